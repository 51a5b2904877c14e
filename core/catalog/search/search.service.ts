// Store search on top of the engine: results as product cards, suggestions while typing, and
// the tenant's hot search terms (counted per day, whatever engine answers).
import type { TenantCtx } from '../../context.js';
import { SearchQuery } from '../catalog.model.js';
import { table } from '../tables.js';
import { encodeCursor, decodeCursor } from '../../http/pagination.js';
import { cardsByIds, type ProductCard } from '../storefront.service.js';
import { searchEngine } from './search-engine.js';
import { normalize } from './tokenize.js';

export interface SearchPage {
  query: string;
  corrected: string | null;
  total: number;
  items: ProductCard[];
  nextCursor: string | null;
}

/** The query as it is counted: normalised, spaces collapsed, at most 100 characters. */
export function queryKey(q: string): string {
  return normalize(q).replace(/\s+/g, ' ').trim().slice(0, 100);
}

export async function searchProducts(ctx: TenantCtx, q: string, opts: { limit: number; cursor?: string; locale: string; currency: string }): Promise<SearchPage> {
  const offset = Number(decodeCursor(opts.cursor, 1)?.[0] ?? 0);
  const result = await searchEngine().search(ctx, q, { limit: opts.limit, offset });
  const items = await cardsByIds(ctx, result.hits.map((h) => h.productId), opts.locale, opts.currency);
  if (!opts.cursor) await recordQuery(ctx, q, result.total);
  const next = offset + opts.limit;
  return { query: q, corrected: result.corrected && result.corrected !== queryKey(q) ? result.corrected : null, total: result.total, items, nextCursor: next < result.total ? encodeCursor([next]) : null };
}

export async function suggest(ctx: TenantCtx, q: string, opts: { limit: number; locale: string; currency: string }): Promise<{ query: string; suggestions: string[]; products: { id: string; slug: string; name: string }[] }> {
  const engine = searchEngine();
  const [suggestions, found] = await Promise.all([engine.suggest(ctx, q, opts.limit), engine.search(ctx, q, { limit: 5, offset: 0 })]);
  const cards = await cardsByIds(ctx, found.hits.map((h) => h.productId), opts.locale, opts.currency);
  return { query: q, suggestions, products: cards.map((c) => ({ id: c.id, slug: c.slug, name: c.name })) };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Counts a search (the first page only) for the hot-terms report. */
export async function recordQuery(ctx: TenantCtx, q: string, results: number): Promise<void> {
  const query = queryKey(q);
  // A store being moved is read-only: its search counts pause for the move.
  if (!query || ctx.tenant.movingTo) return;
  const zero = results === 0 ? 1 : 0;
  await ctx.db(SearchQuery.tableName)
    .insert({ tenant_id: ctx.tenant.id, day: today(), query, count: 1, zero_results: zero })
    .onConflict(['tenant_id', 'day', 'query'])
    .merge({
      count: ctx.db.raw('?? + 1', [`${SearchQuery.tableName}.count`]),
      zero_results: ctx.db.raw('?? + ?', [`${SearchQuery.tableName}.zero_results`, zero]),
    });
}

/** The most searched queries of the last `days` days, with how often they found nothing. */
export async function hotTerms(ctx: TenantCtx, opts: { days: number; limit: number }): Promise<{ term: string; count: number; zeroResults: number }[]> {
  const since = new Date(Date.now() - (opts.days - 1) * 86_400_000).toISOString().slice(0, 10);
  const rows = (await table(ctx, SearchQuery)
    .select('query')
    .sum({ total: 'count', zero: 'zero_results' })
    .where('day', '>=', since)
    .groupBy('query')
    .orderBy([{ column: 'total', order: 'desc' }, { column: 'query' }])
    .limit(opts.limit)) as { query: string; total: number | string; zero: number | string }[];
  return rows.map((r) => ({ term: r.query, count: Number(r.total), zeroResults: Number(r.zero) }));
}
