// Admin API for the catalog: products, variants, prices, categories, bulk import, search admin.
import type Koa from 'koa';
import { route, accepted, created, noContent, reply, type RouteSpec } from '../http/route.js';
import { idParams } from '../http/schemas.js';
import { requireTenant } from '../context.js';
import { AppError, InvalidError } from '../errors.js';
import * as products from './product.service.js';
import * as variants from './variant.service.js';
import * as categories from './category.service.js';
import type { ImportFormat } from './import/product-import.js';
import { IMPORT_LIMIT_BYTES, getImport, listImports, queueImport, storeImport } from './import/import.service.js';
import { hotTerms } from './search/search.service.js';
import * as s from './catalog.schemas.js';

const tags = ['admin: catalog'];
const read = 'catalog:read';
const write = 'catalog:write';

const listQuery = (extra: Record<string, unknown> = {}) => ({ type: 'object', additionalProperties: false, properties: { ...s.pageQuery, ...extra } });

const IMPORT_TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv', 'application/csv': 'csv', 'application/x-ndjson': 'jsonl', 'application/jsonl': 'jsonl', 'application/x-jsonlines': 'jsonl', 'application/jsonlines': 'jsonl',
};

/** The import's format, from its content type (text/plain says it with ?format=). */
function importFormat(koa: Koa.Context, format: ImportFormat | undefined): ImportFormat {
  const type = (koa.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  const byType = type === 'text/plain' ? format : IMPORT_TYPES[type];
  if (type === 'text/plain' && !format) {
    throw new InvalidError('FORMAT_REQUIRED', 'Say ?format=csv or ?format=jsonl for a text/plain body', { errors: [{ in: 'query', pointer: '/format', code: 'required', message: 'query.format is required for text/plain' }] });
  }
  if (!byType) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as text/csv or application/x-ndjson (JSON lines)');
  return format ?? byType;
}

/** The body as it arrives (the body parser takes JSON and forms only), or what a parser before us kept. */
function importBody(koa: Koa.Context, rawBody: string | undefined): AsyncIterable<Buffer> | string[] {
  if (rawBody !== undefined) return [rawBody];
  const declared = Number(koa.get('content-length'));
  if (declared > IMPORT_LIMIT_BYTES) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `An import is at most ${IMPORT_LIMIT_BYTES / 1024 / 1024} MB; use the CLI (bazaar import:products) for larger files`);
  return koa.req as AsyncIterable<Buffer>;
}

const importPath = (id: string) => `/admin/v1/products/imports/${id}`;

export const productRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/products', summary: 'List products, newest first; `q` finds text in a name (any language) or a SKU', tags, access: 'staff', permission: read,
    query: listQuery({ status: { type: 'string', enum: ['draft', 'active', 'archived'] }, categoryId: { type: 'string', format: 'uuid' }, q: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } }),
    responses: { 200: s.page(s.productSummaryOut) },
    handler: ({ ctx, query }) => products.listProducts(requireTenant(ctx), query),
  }),
  route({
    method: 'POST', path: '/admin/v1/products', summary: 'Create a product with its translations, variants, prices, stock and categories', tags, access: 'staff', permission: write,
    idempotent: true, body: s.productIn, responses: { 201: s.productOut },
    errors: { 400: ['CATEGORY_NOT_FOUND', 'CURRENCY_NOT_ENABLED', 'TRANSLATION_REQUIRED', 'UNKNOWN_CURRENCY'], 409: ['PUBLISH_VETOED', 'SKU_TAKEN', 'SLUG_TAKEN'] },
    handler: async ({ ctx, body }) => {
      const product = await products.createProduct(requireTenant(ctx), body);
      return created(product, `/admin/v1/products/${product.id}`);
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/products/import',
    summary: 'Start an import of products from CSV (text/csv) or JSON lines (application/x-ndjson), at most 50 MB: answers 202 at once with the import, which a worker runs; follow it at Location', tags, access: 'staff', permission: write,
    query: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['csv', 'jsonl'] } } },
    responses: { 202: s.importOut },
    errors: { 400: ['FORMAT_REQUIRED'], 409: ['IMPORTS_IN_PROGRESS'], 413: ['PAYLOAD_TOO_LARGE'], 415: ['UNSUPPORTED_MEDIA_TYPE'] },
    handler: async ({ ctx, query, koa, rawBody }) => {
      const format = importFormat(koa, query.format);
      const tenantCtx = requireTenant(ctx);
      const stored = await storeImport(tenantCtx, format, importBody(koa, rawBody));
      await queueImport(tenantCtx, stored.id);
      return reply(202, await getImport(tenantCtx, stored.id), { Location: importPath(stored.id) });
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/products/imports', summary: 'Product imports, newest first, with their progress', tags, access: 'staff', permission: read,
    query: listQuery(), responses: { 200: s.page(s.importOut) },
    handler: ({ ctx, query }) => listImports(requireTenant(ctx), query),
  }),
  route({
    method: 'GET', path: '/admin/v1/products/imports/:id', summary: "An import's progress and result: products read, imported and failed, and each bad row's line and error", tags, access: 'staff', permission: read,
    params: idParams, responses: { 200: s.importOut }, errors: { 404: ['IMPORT_NOT_FOUND'] },
    handler: ({ ctx, params }) => getImport(requireTenant(ctx), params.id),
  }),
  route({
    method: 'GET', path: '/admin/v1/products/:id', summary: 'A product with every translation, variant, price and stock total', tags, access: 'staff', permission: read,
    params: idParams, query: { type: 'object', additionalProperties: false, properties: { variants: { enum: ['all', 'none'], default: 'all', description: 'none: leave the variants out (variantCount still counts them; page them from /variants)' } } }, responses: { 200: s.productOut },
    errors: { 404: ['PRODUCT_NOT_FOUND'] },
    handler: ({ ctx, params, query }) => products.getProduct(requireTenant(ctx), params.id, { variants: query.variants !== 'none' }),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/products/:id', summary: 'Change status, text (a locale set to null is removed), attributes, images or categories; 202 when a plugin holds a live product\'s edit for review (the live product stays as it is)', tags, access: 'staff', permission: write,
    params: idParams, body: s.productPatch, responses: { 200: s.productOut, 202: s.editHeldOut },
    errors: { 400: ['TRANSLATION_REQUIRED'], 404: ['PRODUCT_NOT_FOUND'], 409: ['EDIT_VETOED', 'PUBLISH_VETOED', 'SLUG_TAKEN'] },
    handler: async ({ ctx, params, body }) => {
      const out = await products.editProduct(requireTenant(ctx), params.id, body);
      return 'held' in out ? accepted({ productId: params.id, held: out.held }) : out.product;
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/products/:id/archive', summary: 'Take a product off the store (kept for history)', tags, access: 'staff', permission: write,
    params: idParams, responses: { 200: s.productOut },
    errors: { 404: ['PRODUCT_NOT_FOUND'] },
    handler: ({ ctx, params }) => products.archiveProduct(requireTenant(ctx), params.id),
  }),
  route({
    method: 'DELETE', path: '/admin/v1/products/:id', summary: 'Delete a product that was never on sale (else archive it)', tags, access: 'staff', permission: write,
    params: idParams, responses: { 204: null },
    errors: { 404: ['PRODUCT_NOT_FOUND'], 409: ['PRODUCT_PUBLISHED'] },
    handler: async ({ ctx, params }) => {
      await products.deleteProduct(requireTenant(ctx), params.id);
      return noContent();
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/products/:id/variants', summary: "A product's variants in display order", tags, access: 'staff', permission: read,
    params: idParams, query: listQuery(), responses: { 200: s.page(s.variantOut) },
    errors: { 404: ['PRODUCT_NOT_FOUND'] },
    handler: ({ ctx, params, query }) => variants.listVariants(requireTenant(ctx), params.id, query),
  }),
  route({
    method: 'POST', path: '/admin/v1/products/:id/variants', summary: "Add a variant with prices and initial stock; 202 when a plugin holds a live product's new variant for review", tags, access: 'staff', permission: write,
    params: idParams, body: s.variantIn, responses: { 201: s.variantOut, 202: s.variantHeldOut },
    errors: { 404: ['PRODUCT_NOT_FOUND'], 409: ['SKU_TAKEN', 'EDIT_VETOED'] },
    handler: async ({ ctx, params, body }) => {
      const out = await variants.proposeVariant(requireTenant(ctx), params.id, body);
      return 'held' in out ? accepted({ productId: params.id, held: out.held }) : created(out.variant);
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/variants/:id', summary: 'A variant with its prices and stock', tags, access: 'staff', permission: read,
    params: idParams, responses: { 200: s.variantOut },
    errors: { 404: ['VARIANT_NOT_FOUND'] },
    handler: ({ ctx, params }) => variants.getVariant(requireTenant(ctx), params.id),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/variants/:id', summary: "Change SKU, options or position; 202 when a plugin holds new options of a live product's variant for review", tags, access: 'staff', permission: write,
    params: idParams, body: s.variantPatch, responses: { 200: s.variantOut, 202: s.variantHeldOut },
    errors: { 404: ['VARIANT_NOT_FOUND'], 409: ['SKU_TAKEN', 'EDIT_VETOED'] },
    handler: async ({ ctx, params, body }) => {
      const out = await variants.editVariant(requireTenant(ctx), params.id, body);
      return 'held' in out ? accepted({ variantId: params.id, held: out.held }) : out.variant;
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/variants/:id/archive', summary: 'Take a variant off sale', tags, access: 'staff', permission: write,
    params: idParams, responses: { 200: s.variantOut },
    errors: { 404: ['VARIANT_NOT_FOUND'] },
    handler: ({ ctx, params }) => variants.archiveVariant(requireTenant(ctx), params.id),
  }),
  route({
    method: 'DELETE', path: '/admin/v1/variants/:id', summary: 'Delete a variant of a product never on sale (else archive it)', tags, access: 'staff', permission: write,
    params: idParams, responses: { 204: null },
    errors: { 404: ['VARIANT_NOT_FOUND'], 409: ['PRODUCT_PUBLISHED'] },
    handler: async ({ ctx, params }) => {
      await variants.deleteVariant(requireTenant(ctx), params.id);
      return noContent();
    },
  }),
  route({
    method: 'PUT', path: '/admin/v1/variants/:id/prices/:currency', summary: "Set the price in one currency (minor units); 202 when a plugin holds a live product's price change for review (the old price stays on sale)", tags, access: 'staff', permission: write,
    params: s.priceParams, body: s.priceBody, responses: { 200: s.variantOut, 202: s.variantHeldOut },
    errors: { 400: ['CURRENCY_NOT_ENABLED', 'UNKNOWN_CURRENCY'], 404: ['VARIANT_NOT_FOUND'], 409: ['EDIT_VETOED'] },
    handler: async ({ ctx, params, body }) => {
      const out = await variants.proposePrice(requireTenant(ctx), params.id, { currency: params.currency, ...body });
      return 'held' in out ? accepted({ variantId: params.id, held: out.held }) : out.variant;
    },
  }),
  route({
    method: 'DELETE', path: '/admin/v1/variants/:id/prices/:currency', summary: 'Remove the price in one currency', tags, access: 'staff', permission: write,
    params: s.priceParams, responses: { 200: s.variantOut },
    errors: { 404: ['PRICE_NOT_FOUND', 'VARIANT_NOT_FOUND'] },
    handler: ({ ctx, params }) => variants.deletePrice(requireTenant(ctx), params.id, params.currency),
  }),
];

export const categoryRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/categories', summary: 'The category tree, depth first', tags, access: 'staff', permission: read,
    query: listQuery({ parentId: { type: 'string', format: 'uuid' } }), responses: { 200: s.page(s.categoryOut) },
    handler: ({ ctx, query }) => categories.listCategories(requireTenant(ctx), query),
  }),
  route({
    method: 'POST', path: '/admin/v1/categories', summary: 'Create a category (under parentId, or at the top)', tags, access: 'staff', permission: write,
    body: s.categoryIn, responses: { 201: s.categoryOut },
    errors: { 400: ['CATEGORY_NOT_FOUND', 'TRANSLATION_REQUIRED'], 409: ['HANDLE_TAKEN'] },
    handler: async ({ ctx, body }) => created(await categories.createCategory(requireTenant(ctx), body)),
  }),
  route({
    method: 'GET', path: '/admin/v1/categories/:id', summary: 'A category', tags, access: 'staff', permission: read,
    params: idParams, responses: { 200: s.categoryOut },
    errors: { 404: ['CATEGORY_NOT_FOUND'] },
    handler: ({ ctx, params }) => categories.getCategory(requireTenant(ctx), params.id),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/categories/:id', summary: 'Rename, re-handle, reorder or move a category (with its sub-tree)', tags, access: 'staff', permission: write,
    params: idParams, body: s.categoryPatch, responses: { 200: s.categoryOut },
    errors: { 400: ['CATEGORY_CYCLE'], 404: ['CATEGORY_NOT_FOUND'] },
    handler: ({ ctx, params, body }) => categories.updateCategory(requireTenant(ctx), params.id, body),
  }),
  route({
    method: 'DELETE', path: '/admin/v1/categories/:id', summary: 'Delete a category without sub-categories (products stay, unlinked)', tags, access: 'staff', permission: write,
    params: idParams, responses: { 204: null },
    errors: { 404: ['CATEGORY_NOT_FOUND'], 409: ['CATEGORY_HAS_CHILDREN'] },
    handler: async ({ ctx, params }) => {
      await categories.deleteCategory(requireTenant(ctx), params.id);
      return noContent();
    },
  }),
];

export const searchAdminRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/search/hot-terms', summary: "The store's most searched queries (and how often they found nothing)", tags, access: 'staff', permission: read,
    query: s.hotTermsQuery, responses: { 200: s.hotTermsOut },
    handler: async ({ ctx, query }) => ({ days: query.days, items: await hotTerms(requireTenant(ctx), query) }),
  }),
  route({
    method: 'POST', path: '/admin/v1/search/reindex', summary: "Rebuild the store's search index from its active products", tags, access: 'staff', permission: write,
    responses: { 200: { type: 'object', required: ['indexed'], properties: { indexed: { type: 'integer' } } } },
    handler: async ({ ctx }) => ({ indexed: await products.reindexCatalog(requireTenant(ctx)) }),
  }),
];
