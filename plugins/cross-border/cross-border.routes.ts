// Admin API under /admin/v1/cross-border (markets, rates, the source's health) and the Store API
// under /store/v1/cross-border (the markets a shopper can pick, the one they are in).
import type { PluginRoute, TenantCtx, Ctx, AuditService } from '@bazaar/sdk';
import { route, created, noContent, idParams, id, timestamp, pageQuery, pageByIdDesc, encodeCursor, decodeCursor, scoped, requireTenant, Reply } from '@bazaar/sdk';
import { deleteTranslation, fallbackChain, listTranslations, putTranslation, resolveFields } from './translations.js';
import { Translation } from './cross-border.model.js';
import type { CrossBorderService } from './cross-border.service.js';
import { requestMarkets } from './cross-border.service.js';
import { Rate } from './cross-border.model.js';

const code3 = { type: 'string', pattern: '^[A-Z]{3}$' } as const;
const country = { type: 'string', pattern: '^[A-Z]{2}$' } as const;
const lang = { type: 'string', minLength: 2, maxLength: 35, pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' } as const;
const decimal = { type: 'string', maxLength: 32, pattern: '^\\d{1,12}(\\.\\d{1,12})?$' } as const;
const pct = { type: 'string', maxLength: 12, pattern: '^-?\\d{1,3}(\\.\\d{1,4})?$', description: 'percent, e.g. "5" or "-12.5"' } as const;
const rounding = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['mode', 'step', 'ending'],
  description: 'After rounding to the exponent: the value ending in `ending` modulo `step` (major units), the next one up (up) or the closest (nearest)',
  properties: { mode: { enum: ['up', 'nearest'] }, step: { type: 'string', maxLength: 16, pattern: '^\\d{1,9}(\\.\\d{1,4})?$' }, ending: { type: 'string', maxLength: 16, pattern: '^\\d{1,9}(\\.\\d{1,4})?$' } },
} as const;

const marketProps = {
  code: { type: 'string', minLength: 1, maxLength: 32, pattern: '^[a-z0-9][a-z0-9-]*$' },
  name: { type: 'string', minLength: 1, maxLength: 100 },
  countries: { type: 'array', minItems: 1, maxItems: 250, uniqueItems: true, items: country },
  currency: code3,
  languages: { type: 'array', maxItems: 20, uniqueItems: true, items: lang },
  isDefault: { type: 'boolean' },
  pricesIncludeTax: { type: 'boolean', description: 'Prices are entered and shown with tax (EU, UK), decomposed at checkout; false: tax is added at checkout (US). Default: true when every country is in the EU or the UK' },
  taxRateBp: { type: ['integer', 'null'], minimum: 0, maximum: 10_000, description: 'The market tax rate in basis points (1900 = 19%); null: the store rate' },
  dutiesMode: { enum: ['DDP', 'DAP'], description: 'DDP: the shop pays, a duties line at checkout; DAP: the buyer pays on delivery, a notice' },
  dutyRates: { type: 'object', maxProperties: 250, propertyNames: { pattern: '^([A-Z]{2}|\\*)$' }, additionalProperties: { type: 'string', maxLength: 8, pattern: '^\\d{1,2}(\\.\\d{1,2})?$' }, description: 'DDP duty percent per destination country, "*" for the rest' },
  dutyThreshold: { type: ['integer', 'null'], minimum: 0, maximum: 1e12, description: 'DDP: no duties below this goods subtotal (minor units)' },
  fxMode: { enum: ['automatic', 'manual'] },
  manualRate: { ...decimal, type: ['string', 'null'] },
  adjustmentPct: { ...pct, type: ['string', 'null'] },
  rounding,
} as const;

const marketBody = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name', 'countries', 'currency'],
  properties: marketProps,
  if: { required: ['fxMode'], properties: { fxMode: { const: 'manual' } } },
  then: { required: ['manualRate'], properties: { manualRate: decimal } },
} as const;

const marketOut = {
  type: 'object',
  required: ['id', 'code', 'name', 'countries', 'currency', 'languages', 'isDefault', 'dutiesMode', 'fxMode'],
  properties: { id, ...marketProps, createdAt: timestamp, updatedAt: timestamp },
} as const;

const rateOut = {
  type: 'object',
  required: ['id', 'source', 'base', 'quote', 'rate', 'asOf'],
  properties: { id, source: { type: 'string' }, base: { type: 'string' }, quote: { type: 'string' }, rate: { type: 'string' }, asOf: { type: 'string' }, fetchedAt: { type: 'string' } },
} as const;

const tags = ['admin: cross-border'];

const listOf = (item: Record<string, unknown>) => ({ type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } } }) as const;
const pageParams = { type: 'object', additionalProperties: false, properties: pageQuery } as const;

/** A page of rows held in memory (a store's markets, an entity's languages) by a unique key, after the cursor's key. */
export function pageByKey<T>(rows: T[], key: (r: T) => string, limit: number, cursor: string | undefined): { items: T[]; nextCursor: string | null } {
  const after = decodeCursor(cursor, 1);
  // Sorted here by code points: the database's collation may order "-" elsewhere.
  const sorted = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const rest = after ? sorted.filter((r) => key(r) > String(after[0])) : sorted;
  const items = rest.slice(0, limit);
  return { items, nextCursor: rest.length > limit ? encodeCursor([key(items[items.length - 1])]) : null };
}

const entityParams = {
  type: 'object', additionalProperties: false, required: ['entityType', 'entityId'],
  properties: { entityType: { type: 'string', pattern: '^[a-z][a-z0-9_.-]{0,63}$' }, entityId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' } },
} as const;
const localeParams = { ...entityParams, required: [...entityParams.required, 'locale'], properties: { ...entityParams.properties, locale: lang } } as const;
const translationFields = {
  type: 'object', minProperties: 1, maxProperties: 50,
  propertyNames: { pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,63}$' },
  properties: { slug: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\p{Ll}\\p{Lo}\\p{Lm}\\p{N}]+(-[\\p{Ll}\\p{Lo}\\p{Lm}\\p{N}]+)*$' } },
  additionalProperties: { type: 'string', maxLength: 20_000 },
} as const;
const translationOut = {
  type: 'object', required: ['entityType', 'entityId', 'locale', 'fields'],
  properties: { id, entityType: { type: 'string' }, entityId: { type: 'string' }, locale: { type: 'string' }, fields: { type: 'object', additionalProperties: { type: 'string' } }, updatedAt: timestamp },
} as const;
const translationView = (r: Translation) => ({ id: r.id, entityType: r.entityType, entityId: r.entityId, locale: r.locale, fields: r.fields, updatedAt: r.updatedAt });

/** Every change is audited (the platform's trail, actions `cross-border.*`). */
export function adminRoutes(service: CrossBorderService, audit: AuditService): PluginRoute[] {
  const t = (ctx: Ctx) => requireTenant(ctx) as TenantCtx;
  const rateView = (r: Rate) => ({ id: r.id, source: r.source, base: r.base, quote: r.quote, rate: r.rate, asOf: r.asOf, fetchedAt: String(r.fetchedAt) });
  return [
    route({
      method: 'GET', path: '/markets', summary: 'Markets of this store, by code, a page at a time', tags, access: 'staff',
      query: pageParams,
      responses: { 200: listOf(marketOut) },
      handler: async ({ ctx, query }) => {
        const page = await service.markets.page(t(ctx), query.limit, query.cursor);
        return { items: page.items.map(service.markets.view), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'POST', path: '/markets', summary: 'Create a market', tags, access: 'staff',
      body: marketBody, responses: { 201: marketOut },
      errors: { 409: ['MARKET_CODE_TAKEN'] },
      handler: async ({ ctx, body }) => {
        const m = await service.markets.save(t(ctx), body as never);
        await audit.record(t(ctx), { action: 'market.create', targetType: 'market', targetId: m.id, after: service.markets.view(m) });
        return created(service.markets.view(m), `/admin/v1/cross-border/markets/${m.id}`);
      },
    }),
    route({
      method: 'GET', path: '/markets/:id', summary: 'A market', tags, access: 'staff',
      params: idParams, responses: { 200: marketOut },
      errors: { 404: ['MARKET_NOT_FOUND'] },
      handler: async ({ ctx, params }) => service.markets.view(await service.markets.get(t(ctx), params.id)),
    }),
    route({
      method: 'PUT', path: '/markets/:id', summary: 'Replace a market', tags, access: 'staff',
      params: idParams, body: marketBody, responses: { 200: marketOut },
      errors: { 404: ['MARKET_NOT_FOUND'] },
      handler: async ({ ctx, params, body }) => {
        const before = service.markets.view(await service.markets.get(t(ctx), params.id));
        const after = service.markets.view(await service.markets.save(t(ctx), body as never, params.id));
        await audit.record(t(ctx), { action: 'market.update', targetType: 'market', targetId: params.id, before, after });
        return after;
      },
    }),
    route({
      method: 'DELETE', path: '/markets/:id', summary: 'Delete a market', tags, access: 'staff',
      params: idParams, responses: { 204: {} },
      errors: { 404: ['MARKET_NOT_FOUND'] },
      handler: async ({ ctx, params }) => {
        const before = service.markets.view(await service.markets.get(t(ctx), params.id));
        await service.markets.delete(t(ctx), params.id);
        await audit.record(t(ctx), { action: 'market.delete', targetType: 'market', targetId: params.id, before });
        return noContent();
      },
    }),
    route({
      method: 'GET', path: '/rates', summary: 'Rate history, newest first', tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, source: { enum: ['ecb', 'oxr', 'manual'] }, base: code3, quote: code3 } },
      responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: rateOut }, nextCursor: { type: ['string', 'null'] } } } },
      handler: async ({ ctx, query }) => {
        const base = scoped(t(ctx), Rate);
        if (query.source) base.where('source', query.source);
        if (query.base) base.where('base', query.base);
        if (query.quote) base.where('quote', query.quote);
        const page = await pageByIdDesc(base, 'id', query.limit, query.cursor);
        return { items: page.items.map(rateView), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'POST', path: '/rates', summary: 'Enter a manual rate (used when the store’s source is manual)', tags, access: 'staff',
      body: { type: 'object', additionalProperties: false, required: ['base', 'quote', 'rate'], properties: { base: code3, quote: code3, rate: decimal, asOf: { type: 'string', format: 'date' } } },
      responses: { 201: rateOut },
      handler: async ({ ctx, body }) => {
        const r = rateView(await service.rates.addManual(t(ctx), body));
        await audit.record(t(ctx), { action: 'rate.manual', targetType: 'rate', targetId: r.id, after: r });
        return created(r, '/admin/v1/cross-border/rates');
      },
    }),
    route({
      method: 'POST', path: '/rates/fetch', summary: 'Fetch the store’s rate source now (the scheduled job does the same)', tags, access: 'staff',
      responses: { 200: { type: 'object', required: ['source', 'fetched', 'added', 'stale'], properties: { source: { type: 'string' }, fetched: { type: 'integer' }, added: { type: 'integer' }, error: { type: ['string', 'null'] }, stale: { type: 'boolean' }, asOf: { type: ['string', 'null'] } } } },
      handler: ({ ctx }) => service.rates.refresh(t(ctx)),
    }),
    route({
      method: 'PUT', path: '/translations/:entityType/:entityId/:locale', summary: 'Set the text of any entity in one language (fields absent here fall back to other languages)', tags, access: 'staff',
      params: localeParams, body: { type: 'object', additionalProperties: false, required: ['fields'], properties: { fields: translationFields } }, responses: { 200: translationOut },
      errors: { 409: ['TRANSLATION_SLUG_TAKEN'] },
      handler: async ({ ctx, params, body }) => {
        const saved = translationView(await putTranslation(t(ctx), params, body.fields as Record<string, string>));
        await audit.record(t(ctx), { action: 'translation.put', targetType: params.entityType, targetId: params.entityId, after: saved });
        return saved;
      },
    }),
    route({
      method: 'GET', path: '/translations/:entityType/:entityId', summary: 'Every language of an entity', tags, access: 'staff',
      params: entityParams, query: pageParams, responses: { 200: listOf(translationOut) },
      errors: { 404: ['TRANSLATION_NOT_FOUND'] },
      handler: async ({ ctx, params, query }) => {
        const page = pageByKey(await listTranslations(t(ctx), params.entityType, params.entityId), (r) => r.locale, query.limit, query.cursor);
        return { items: page.items.map(translationView), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'DELETE', path: '/translations/:entityType/:entityId/:locale', summary: 'Remove one language of an entity', tags, access: 'staff',
      params: localeParams, responses: { 204: {} },
      errors: { 404: ['TRANSLATION_NOT_FOUND'] },
      handler: async ({ ctx, params }) => {
        await deleteTranslation(t(ctx), params.entityType, params.entityId, params.locale);
        await audit.record(t(ctx), { action: 'translation.delete', targetType: params.entityType, targetId: params.entityId, before: { locale: params.locale } });
        return noContent();
      },
    }),
    route({
      method: 'GET', path: '/rates/status', summary: 'The rate source’s health: last fetch, last good date, stale or not', tags, access: 'staff',
      responses: { 200: { type: 'object', required: ['source', 'stale'], properties: { source: { type: 'string' }, stale: { type: 'boolean' } } } },
      handler: ({ ctx }) => service.rates.status(t(ctx)),
    }),
  ];
}

export function storeRoutes(service: CrossBorderService): PluginRoute[] {
  const storeTags = ['store: cross-border'];
  const publicView = (m: ReturnType<CrossBorderService['markets']['view']>) => ({
    code: m.code, name: m.name, countries: m.countries, currency: m.currency, languages: m.languages, pricesIncludeTax: m.pricesIncludeTax, taxRateBp: m.taxRateBp, dutiesMode: m.dutiesMode,
  });
  const publicOut = { type: 'object', required: ['code', 'name', 'currency'], properties: { code: { type: 'string' }, name: { type: 'string' }, currency: { type: 'string' } } } as const;
  return [
    route({
      method: 'GET', path: '/translations/:entityType/:entityId', summary: 'An entity’s text in the request’s language, field by field through the fallback chain', tags: storeTags, access: 'public',
      params: entityParams,
      errors: { 404: ['TRANSLATION_NOT_FOUND'] },
      responses: { 200: { type: 'object', required: ['entityType', 'entityId', 'locale', 'fields', 'locales'], properties: { entityType: { type: 'string' }, entityId: { type: 'string' }, locale: { type: 'string' }, fields: { type: 'object' }, locales: { type: 'object' } } } },
      handler: async ({ ctx, params }) => {
        const tctx = requireTenant(ctx);
        const rows = await listTranslations(tctx, params.entityType, params.entityId);
        const chain = fallbackChain(ctx.locale, requestMarkets.get(ctx.requestId)?.languages ?? [], tctx.tenant.defaultLocale);
        const { fields, locales } = resolveFields(rows, chain);
        const served = [...new Set(Object.values(locales))];
        const main = served.includes(ctx.locale) ? ctx.locale : (served[0] ?? ctx.locale);
        return new Reply(200, { entityType: params.entityType, entityId: params.entityId, locale: main, fields, locales }, { 'Content-Language': served.length ? served.join(', ') : ctx.locale });
      },
    }),
    route({
      method: 'GET', path: '/markets', summary: 'The markets a shopper can choose (?market=code), by code, a page at a time', tags: storeTags, access: 'public',
      query: pageParams,
      responses: { 200: listOf(publicOut) },
      handler: async ({ ctx, query }) => {
        // The book holds the markets ordered by code, in memory: a page of it costs no query.
        const page = pageByKey((await service.book(requireTenant(ctx))).markets, (m) => m.code, query.limit, query.cursor);
        return { items: page.items.map((m) => publicView(service.markets.view(m))), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/market', summary: 'The market this request is in, with the duties notice for DAP markets', tags: storeTags, access: 'public',
      responses: { 200: { type: 'object', required: ['market', 'currency', 'locale'], properties: { market: { oneOf: [publicOut, { type: 'null' }] }, currency: { type: 'string' }, locale: { type: 'string' }, dutiesNotice: { type: ['string', 'null'] } } } },
      handler: async ({ ctx }) => {
        const m = requestMarkets.get(ctx.requestId);
        return {
          market: m ? publicView(service.markets.view(m)) : null,
          currency: ctx.currency,
          locale: ctx.locale,
          dutiesNotice: m?.dutiesMode === 'DAP' ? ctx.t('cross-border:dutiesNotice') : null,
        };
      },
    }),
  ];
}
