// Store API for the catalog: product list and detail, categories, search and suggestions.
import { route, Reply, type JsonBody, type RouteSpec } from '../http/route.js';
import { requireTenant, type Ctx, type TenantCtx } from '../context.js';
import { InvalidError } from '../errors.js';
import { canonicalLocale } from './text.js';
import { fieldError } from '../http/validation.js';
import { storeCategoryTree, storeProductList, storeProductPage, type StoreSort } from './storefront.service.js';
import { searchProducts, suggest } from './search/search.service.js';
import * as s from './catalog.schemas.js';

const tags = ['store: catalog'];

/** ?locale= first, then Accept-Language (ctx.locale, already negotiated), then the store default. */
function localeOf(ctx: Ctx, query: { locale?: string }): string {
  return query.locale ? canonicalLocale(query.locale) : ctx.locale;
}

/** ?currency= must be one the store sells in; X-Currency (ctx.currency) quietly falls back to the default. */
function currencyOf(ctx: TenantCtx, query: { currency?: string }): string {
  if (!query.currency) return ctx.currency;
  if (!ctx.tenant.currencies.includes(query.currency)) {
    const currencies = ctx.tenant.currencies.join(', ');
    throw new InvalidError('CURRENCY_NOT_ENABLED', `This store sells in ${currencies}`, {
      params: { currencies },
      errors: [fieldError('query', '/currency', 'CURRENCY_NOT_ENABLED', `query.currency must be one of ${currencies}`, { currencies })],
    });
  }
  return query.currency;
}

function attributeFilters(query: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith('attr.')) continue;
    const values = String(value).split(',').map((v) => v.trim()).filter(Boolean);
    if (values.length) out[key.slice(5)] = values;
  }
  return out;
}

export const storeRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/store/v1/products', summary: 'Active products: filter by category, price, attributes, stock; sort newest, price or name; keyset pages', tags, access: 'public',
    query: s.storeListQuery, responses: { 200: s.storeListOut },
    errors: { 400: ['CURRENCY_NOT_ENABLED'] },
    async handler({ ctx, query }) {
      const tctx = requireTenant(ctx);
      const locale = localeOf(ctx, query);
      const currency = currencyOf(tctx, query);
      if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
        throw new InvalidError('VALIDATION_FAILED', 'minPrice is above maxPrice', { errors: [{ in: 'query', pointer: '/minPrice', code: 'range', message: 'query.minPrice must not be above query.maxPrice' }] });
      }
      return storeProductList(tctx, {
        limit: query.limit, cursor: query.cursor, sort: query.sort as StoreSort, category: query.category, minPrice: query.minPrice, maxPrice: query.maxPrice,
        inStock: query.inStock, attributes: attributeFilters(query), locale, currency,
      });
    },
  }),
  route({
    method: 'GET', path: '/store/v1/products/:idOrSlug', summary: 'A product page by id or slug: text in the shopper’s locale, prices in their currency', tags, access: 'public',
    params: s.storeDetailParams, query: s.storeDetailQuery, responses: { 200: s.storeProductOut },
    errors: { 400: ['CURRENCY_NOT_ENABLED'], 404: ['PRODUCT_NOT_FOUND'] },
    handler: async ({ ctx, params, query }) => {
      const tctx = requireTenant(ctx);
      const body: JsonBody = await storeProductPage(tctx, params.idOrSlug, localeOf(ctx, query), currencyOf(tctx, query));
      // The language the text was served in, which the fallback may have changed.
      return new Reply(200, body, { 'Content-Language': String((body.value as { locale: string }).locale) });
    },
  }),
  route({
    method: 'GET', path: '/store/v1/categories', summary: 'The category tree, depth first, in the shopper’s locale', tags, access: 'public',
    query: { type: 'object', additionalProperties: false, properties: { locale: s.localeKey } },
    responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: s.storeCategoryOut } } } },
    handler: ({ ctx, query }) => storeCategoryTree(requireTenant(ctx), localeOf(ctx, query)),
  }),
  route({
    method: 'GET', path: '/store/v1/search', summary: 'Full-text search over names and descriptions (typo tolerant; Chinese and Japanese too)', tags, access: 'public',
    query: s.searchQuery, responses: { 200: s.searchOut },
    handler: ({ ctx, query }) => {
      const tctx = requireTenant(ctx);
      return searchProducts(tctx, query.q, { limit: query.limit, cursor: query.cursor, locale: localeOf(ctx, query), currency: currencyOf(tctx, query) });
    },
  }),
  route({
    method: 'GET', path: '/store/v1/search/suggest', summary: 'Completions and matching products while the shopper types', tags, access: 'public',
    query: s.suggestQuery, responses: { 200: s.suggestOut },
    handler: ({ ctx, query }) => {
      const tctx = requireTenant(ctx);
      return suggest(tctx, query.q, { limit: query.limit, locale: localeOf(ctx, query), currency: currencyOf(tctx, query) });
    },
  }),
];
