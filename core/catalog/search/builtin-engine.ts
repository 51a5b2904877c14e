// The built-in engine: an inverted index in three tables of the tenant's database.
// - search_terms: the tenant's vocabulary with document counts (prefix completion, idf);
// - search_grams: padded bigrams of each word term with its length (typo candidates);
// - search_postings: term -> product with a weight (name counts more than description).
// A query word that is not in the vocabulary is matched to terms sharing enough bigrams and
// then kept only within Damerau-Levenshtein distance 1 (2 for long words).
import type { TenantCtx } from '../../context.js';
import { SearchGram, SearchPosting, SearchTerm } from '../catalog.model.js';
import { table, insertRows } from '../tables.js';
import type { SearchDocument, SearchEngine, SearchResult } from './search-engine.js';
import { allowedEdits, damerauLevenshtein, grams, indexTerms, isCjk, normalize, queryTokens, type QueryToken } from './tokenize.js';

const NAME_WEIGHT = 4;
const MAX_POSTINGS_PER_TERM = 5000;
const MAX_RESULTS = 1000;

/** Term -> weight for a product: every locale's name and description. */
function documentTerms(doc: SearchDocument): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (terms: Map<string, number>, factor: number, cap: number) => {
    for (const [term, count] of terms) weights.set(term, (weights.get(term) ?? 0) + Math.min(count, cap) * factor);
  };
  for (const t of doc.texts) {
    add(indexTerms(t.name, { unigrams: true }), NAME_WEIGHT, 3);
    add(indexTerms(t.description.slice(0, 5000), { unigrams: false }), 1, 5);
  }
  return weights;
}

/** The smallest string greater than every string starting with `prefix` (byte order). */
function prefixEnd(prefix: string): string {
  const chars = [...prefix];
  const last = chars.pop()!;
  return chars.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}

async function completions(ctx: TenantCtx, prefix: string, limit: number): Promise<{ term: string; docCount: number }[]> {
  const rows = (await table(ctx, SearchTerm)
    .select('term', 'doc_count')
    .where('term', '>=', prefix)
    .where('term', '<', prefixEnd(prefix))
    .where('doc_count', '>', 0)
    .orderBy('doc_count', 'desc')
    .orderBy('term')
    .limit(limit)) as { term: string; doc_count: number }[];
  return rows.map((r) => ({ term: r.term, docCount: Number(r.doc_count) }));
}

/** Vocabulary words within the allowed edit distance of `word`, nearest first. */
async function typoCandidates(ctx: TenantCtx, word: string): Promise<{ term: string; edits: number }[]> {
  const max = allowedEdits([...word].length);
  if (max === 0 || [...word].some(isCjk)) return [];
  const g = grams(word);
  const len = [...word].length;
  // Each edit spoils at most three padded bigrams (a swap of neighbours).
  const need = Math.max(1, g.length - 3 * max);
  const rows = (await table(ctx, SearchGram)
    .select('term')
    .count({ shared: '*' })
    .whereIn('gram', g)
    .whereBetween('len', [len - max, len + max])
    .groupBy('term')
    .having(ctx.db.raw('count(*)'), '>=', need)
    .limit(500)) as { term: string; shared: number }[];
  const near = rows
    .map((r) => ({ term: r.term, edits: damerauLevenshtein(word, r.term, max) }))
    .filter((c) => c.edits <= max && c.term !== word);
  if (near.length === 0) return [];
  const live = new Set(
    ((await table(ctx, SearchTerm).select('term').whereIn('term', near.map((c) => c.term)).where('doc_count', '>', 0)) as { term: string }[]).map((r) => r.term),
  );
  return near.filter((c) => live.has(c.term)).sort((a, b) => a.edits - b.edits || a.term.localeCompare(b.term));
}

interface Expansion {
  token: QueryToken;
  /** term -> match quality (1 exact, less for a prefix or a typo). */
  terms: Map<string, number>;
  /** The nearest correction when the word itself is unknown. */
  correction?: string;
}

async function expand(ctx: TenantCtx, tokens: QueryToken[], prefixLast: boolean): Promise<Expansion[]> {
  const vocabulary = new Set(
    ((await table(ctx, SearchTerm).select('term').whereIn('term', [...new Set(tokens.map((t) => t.term))]).where('doc_count', '>', 0)) as { term: string }[]).map((r) => r.term),
  );
  return Promise.all(
    tokens.map(async (token, i): Promise<Expansion> => {
      const terms = new Map<string, number>();
      if (vocabulary.has(token.term)) terms.set(token.term, 1);
      const isLast = i === tokens.length - 1;
      if (token.kind === 'word' && ((prefixLast && isLast) || [...token.term].length >= 3)) {
        for (const c of await completions(ctx, token.term, 20)) if (!terms.has(c.term)) terms.set(c.term, isLast && prefixLast ? 0.8 : 0.6);
      }
      let correction: string | undefined;
      if (token.kind === 'word' && !vocabulary.has(token.term)) {
        const near = await typoCandidates(ctx, token.term);
        for (const c of near) if (!terms.has(c.term)) terms.set(c.term, c.edits === 1 ? 0.6 : 0.4);
        correction = near[0]?.term;
      }
      return { token, terms, correction };
    }),
  );
}

export const builtinSearchEngine: SearchEngine = {
  name: 'builtin',

  async index(ctx, doc) {
    const wanted = documentTerms(doc);
    const current = new Map(
      ((await table(ctx, SearchPosting).select('term', 'weight').where('product_id', doc.productId)) as { term: string; weight: number }[]).map((r) => [r.term, Number(r.weight)]),
    );
    const removed = [...current.keys()].filter((t) => !wanted.has(t)).sort();
    const added = [...wanted.keys()].filter((t) => !current.has(t)).sort();
    const changed = [...wanted].filter(([t, w]) => current.has(t) && current.get(t) !== w);
    if (removed.length) {
      await table(ctx, SearchPosting).where('product_id', doc.productId).whereIn('term', removed).delete();
      await table(ctx, SearchTerm).whereIn('term', removed).decrement('doc_count', 1);
    }
    for (const [term, weight] of changed) await table(ctx, SearchPosting).where({ product_id: doc.productId, term }).update({ weight });
    if (added.length) {
      await insertRows(ctx, SearchPosting, added.map((term) => ({ term, product_id: doc.productId, weight: wanted.get(term)! })));
      for (let i = 0; i < added.length; i += 500) {
        await ctx.db(SearchTerm.tableName)
          .insert(added.slice(i, i + 500).map((term) => ({ tenant_id: ctx.tenant.id, term, doc_count: 1 })))
          .onConflict(['tenant_id', 'term'])
          .merge({ doc_count: ctx.db.raw('?? + 1', [`${SearchTerm.tableName}.doc_count`]) });
      }
      const gramRows = added
        .filter((t) => !isCjk(t[0]) && [...t].length >= 4)
        .flatMap((term) => grams(term).map((gram) => ({ tenant_id: ctx.tenant.id, gram, len: [...term].length, term })));
      for (let i = 0; i < gramRows.length; i += 500) await ctx.db(SearchGram.tableName).insert(gramRows.slice(i, i + 500)).onConflict().ignore();
    }
  },

  async remove(ctx, productId) {
    const terms = ((await table(ctx, SearchPosting).select('term').where('product_id', productId)) as { term: string }[]).map((r) => r.term).sort();
    if (!terms.length) return;
    await table(ctx, SearchPosting).where('product_id', productId).delete();
    await table(ctx, SearchTerm).whereIn('term', terms).decrement('doc_count', 1);
  },

  async clear(ctx) {
    await table(ctx, SearchPosting).delete();
    await table(ctx, SearchGram).delete();
    await table(ctx, SearchTerm).delete();
  },

  async search(ctx, query, { limit, offset }): Promise<SearchResult> {
    const tokens = queryTokens(query).slice(0, 16);
    if (!tokens.length) return { hits: [], total: 0 };
    const expansions = await expand(ctx, tokens, false);
    const allTerms = [...new Set(expansions.flatMap((e) => [...e.terms.keys()]))];
    const postings = new Map<string, { productId: string; weight: number }[]>();
    await Promise.all(
      allTerms.map(async (term) => {
        const rows = (await table(ctx, SearchPosting).select('product_id', 'weight').where('term', term).limit(MAX_POSTINGS_PER_TERM)) as { product_id: string; weight: number }[];
        postings.set(term, rows.map((r) => ({ productId: r.product_id, weight: Number(r.weight) })));
      }),
    );
    // Per product: the best-matching term of each query token, weighted by rarity.
    const scores = new Map<string, { score: number; matched: number }>();
    for (const e of expansions) {
      const best = new Map<string, number>();
      for (const [term, quality] of e.terms) {
        const list = postings.get(term) ?? [];
        const idf = Math.log(2 + 1000 / Math.max(1, list.length));
        for (const p of list) best.set(p.productId, Math.max(best.get(p.productId) ?? 0, p.weight * quality * idf));
      }
      for (const [productId, s] of best) {
        const acc = scores.get(productId) ?? { score: 0, matched: 0 };
        acc.score += s;
        acc.matched += 1;
        scores.set(productId, acc);
      }
    }
    // Every token must match; when nothing matches them all, the best partial matches do.
    const most = Math.max(0, ...[...scores.values()].map((s) => s.matched));
    const ranked = [...scores]
      .filter(([, s]) => s.matched === most)
      .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? 1 : -1))
      .slice(0, MAX_RESULTS);
    const corrected = expansions.some((e) => e.correction)
      ? normalize(query).replace(/[\p{L}\p{N}]+/gu, (w) => expansions.find((e) => e.token.term === w)?.correction ?? w)
      : undefined;
    return { hits: ranked.slice(offset, offset + limit).map(([productId, s]) => ({ productId, score: Math.round(s.score * 100) / 100 })), total: ranked.length, corrected };
  },

  async suggest(ctx, prefix, limit) {
    const normalized = normalize(prefix);
    const tokens = queryTokens(normalized);
    const last = tokens[tokens.length - 1];
    if (!last) return [];
    const before = normalized.slice(0, last.start);
    if (last.kind === 'cjk') {
      // Complete from the run's last character: "智能手" -> 手机 -> "智能手机".
      const chars = [...last.term];
      const tail = chars[chars.length - 1];
      const head = normalized.slice(0, last.start + last.term.length - tail.length);
      const found = (await completions(ctx, tail, 50)).filter((c) => [...c.term].length > 1);
      if (chars.length < 2 || !found.length) return found.slice(0, limit).map((c) => head + c.term);
      // Keep bigrams that follow the typed one in some product ("能手" then "手机", not "手工").
      const rows = (await table(ctx, SearchPosting)
        .select('term')
        .count({ n: '*' })
        .whereIn('term', found.map((c) => c.term))
        .whereIn('product_id', table(ctx, SearchPosting).select('product_id').where('term', last.term))
        .groupBy('term')
        .orderBy([{ column: 'n', order: 'desc' }, { column: 'term' }])
        .limit(limit)) as { term: string }[];
      return rows.map((r) => head + r.term);
    }
    const found = await completions(ctx, last.term, limit);
    if (found.length === 0) return (await typoCandidates(ctx, last.term)).slice(0, limit).map((c) => before + c.term);
    return found.map((c) => before + c.term);
  },
};
