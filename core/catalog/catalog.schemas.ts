// JSON Schemas of the catalog routes: they validate input, check output in tests and make the
// OpenAPI document. Checks that need the database or the tenant live in the services.
import { id, timestamp, pageQuery, page } from '../http/schemas.js';
import { SLUG_PATTERN } from './text.js';
import { ADJUSTMENT_REASONS } from './inventory.service.js';
import { MAX_STOCK_LEVEL, MAX_UNIT_AMOUNT } from '../money/limits.js';

const nullable = (s: Record<string, unknown>) => ({ ...s, type: [s.type as string, 'null'] });
const MAX_AMOUNT = MAX_UNIT_AMOUNT;

export const localeKey = { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 } as const;
const currencyCode = { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, one of the store currencies' } as const;
const amount = { type: 'integer', minimum: 0, maximum: MAX_AMOUNT, description: 'Minor units (cents; yen for JPY)' } as const;
const slug = { type: 'string', pattern: SLUG_PATTERN, maxLength: 120, description: 'Lower-case letters (any script), digits and single hyphens' } as const;
const sku = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$', minLength: 1, maxLength: 100 } as const;
const optionName = { type: 'string', pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} _-]{0,63}$' } as const;
const status = { type: 'string', enum: ['draft', 'active', 'archived'] } as const;

export const image = {
  type: 'object', required: ['url'], additionalProperties: false,
  properties: { url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 }, alt: { type: 'string', maxLength: 500, default: '' } },
} as const;

const translation = {
  type: 'object', required: ['name'], additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 300 }, description: { type: 'string', maxLength: 20000 }, slug },
} as const;

const translationPatch = {
  type: ['object', 'null'], additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 300 }, description: { type: 'string', maxLength: 20000 }, slug },
} as const;

const attributes = { type: 'object', maxProperties: 100, description: 'Free-form: materials, specs; scalar values (and lists of them) can be filtered on' } as const;

export const priceIn = {
  type: 'object', required: ['currency', 'amount'], additionalProperties: false,
  properties: { currency: currencyCode, amount, compareAtAmount: nullable(amount) },
} as const;

const options = { type: 'object', maxProperties: 10, propertyNames: optionName, additionalProperties: { type: 'string', minLength: 1, maxLength: 100 } } as const;

/** Shipping facts of a variant: weight and box as given (value and unit), HS code and origin for customs. */
export const variantShipping = {
  type: 'object', additionalProperties: false,
  properties: {
    weight: nullable({ type: 'object', required: ['value', 'unit'], additionalProperties: false, properties: { value: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 }, unit: { enum: ['g', 'kg', 'lb', 'oz'] } } }),
    dimensions: nullable({
      type: 'object', required: ['length', 'width', 'height', 'unit'], additionalProperties: false,
      properties: { length: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 }, width: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 }, height: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 }, unit: { enum: ['mm', 'cm', 'in'] } },
    }),
    hsCode: nullable({ type: 'string', pattern: '^[0-9]{6,10}$', description: 'Harmonized System code, 6 to 10 digits' }),
    originCountry: nullable({ type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country of origin' }),
  },
} as const;

export const variantIn = {
  type: 'object', required: ['sku'], additionalProperties: false,
  properties: {
    sku, options, position: { type: 'integer', minimum: 0, maximum: 100000 },
    prices: { type: 'array', maxItems: 50, items: priceIn },
    stock: { type: 'integer', minimum: 0, maximum: MAX_STOCK_LEVEL, description: 'Initial on-hand units at the default location' },
    shipping: variantShipping,
  },
} as const;

export const variantPatch = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { sku, options, position: { type: 'integer', minimum: 0, maximum: 100000 }, shipping: variantShipping },
} as const;

export const productIn = {
  type: 'object', required: ['translations'], additionalProperties: false,
  properties: {
    status,
    translations: { type: 'object', minProperties: 1, maxProperties: 30, propertyNames: localeKey, additionalProperties: translation },
    attributes,
    images: { type: 'array', maxItems: 20, items: image },
    categoryIds: { type: 'array', maxItems: 50, uniqueItems: true, items: id },
    variants: { type: 'array', maxItems: 100, items: variantIn },
  },
} as const;

export const productPatch = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    status,
    translations: { type: 'object', maxProperties: 30, propertyNames: localeKey, additionalProperties: translationPatch },
    attributes,
    images: productIn.properties.images,
    categoryIds: productIn.properties.categoryIds,
  },
} as const;

export const priceBody = { type: 'object', required: ['amount'], additionalProperties: false, properties: { amount, compareAtAmount: nullable(amount) } } as const;
export const priceParams = { type: 'object', required: ['id', 'currency'], additionalProperties: false, properties: { id, currency: currencyCode } } as const;

export const categoryIn = {
  type: 'object', required: ['names'], additionalProperties: false,
  properties: {
    names: { type: 'object', minProperties: 1, maxProperties: 30, propertyNames: localeKey, additionalProperties: { type: 'string', minLength: 1, maxLength: 200 } },
    handle: { ...slug, maxLength: 100 },
    parentId: { type: ['string', 'null'], format: 'uuid' },
    position: { type: 'integer', minimum: 0, maximum: 100000 },
  },
} as const;
export const categoryPatch = { ...categoryIn, required: [], minProperties: 1 } as const;

export const adjustmentIn = {
  type: 'object', additionalProperties: false, required: ['reason'],
  description: 'Either delta (a change) or onHand (a count), not both',
  properties: {
    delta: { type: 'integer', minimum: -MAX_STOCK_LEVEL, maximum: MAX_STOCK_LEVEL, not: { const: 0 }, description: 'Units added (positive) or taken (negative)' },
    onHand: { type: 'integer', minimum: 0, maximum: MAX_STOCK_LEVEL, description: 'A physical count: the new on-hand figure' },
    reason: { type: 'string', enum: [...ADJUSTMENT_REASONS] },
    note: { type: 'string', maxLength: 500 },
    locationId: id,
  },
} as const;

export const locationIn = {
  type: 'object', required: ['code', 'name'], additionalProperties: false,
  properties: { code: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' }, name: { type: 'string', minLength: 1, maxLength: 200 }, isDefault: { type: 'boolean' } },
} as const;
export const locationPatch = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, isDefault: { const: true } },
} as const;

// --- outputs -------------------------------------------------------------------------------

const priceOut = { type: 'object', required: ['currency', 'amount', 'compareAtAmount'], properties: { currency: { type: 'string' }, amount: { type: 'integer' }, compareAtAmount: { type: ['integer', 'null'] } } } as const;
const stockSummary = { type: 'object', required: ['onHand', 'reserved', 'available'], properties: { onHand: { type: 'integer' }, reserved: { type: 'integer' }, available: { type: 'integer' } } } as const;

export const variantOut = {
  type: 'object', required: ['id', 'productId', 'sku', 'options', 'position', 'status', 'prices', 'stock', 'createdAt', 'updatedAt'],
  properties: {
    id, productId: id, sku: { type: 'string' }, options: { type: 'object' }, position: { type: 'integer' }, status: { enum: ['active', 'archived'] },
    prices: { type: 'array', items: priceOut }, stock: stockSummary, createdAt: timestamp, updatedAt: timestamp,
    shipping: { type: 'object', required: ['weight', 'dimensions', 'hsCode', 'originCountry'], properties: variantShipping.properties },
  },
} as const;

/** A live product's edit that a plugin held as a change request (202). */
const heldList = { type: 'array', items: { type: 'object', required: ['source', 'changeId', 'code', 'message'], properties: { source: { type: 'string' }, changeId: { type: ['string', 'null'] }, code: { type: 'string' }, message: { type: 'string' } } } } as const;

export const editHeldOut = { type: 'object', required: ['productId', 'held'], properties: { productId: id, held: heldList } } as const;

/** A variant change held for review: the product's (a new variant) or the variant's id, and the holds. */
export const variantHeldOut = { type: 'object', required: ['held'], properties: { productId: id, variantId: id, held: heldList } } as const;

export const productOut = {
  type: 'object', required: ['id', 'status', 'translations', 'attributes', 'images', 'categoryIds', 'variants', 'publishedAt', 'createdAt', 'updatedAt'],
  properties: {
    id, status,
    translations: { type: 'object', additionalProperties: { type: 'object', required: ['name', 'slug', 'description'], properties: { name: { type: 'string' }, slug: { type: 'string' }, description: { type: 'string' } } } },
    attributes: { type: 'object' }, images: { type: 'array', items: image }, categoryIds: { type: 'array', items: id },
    variants: { type: 'array', items: variantOut }, variantCount: { type: 'integer' }, publishedAt: { type: ['string', 'null'] }, createdAt: timestamp, updatedAt: timestamp,
  },
} as const;

export const productSummaryOut = {
  type: 'object', required: ['id', 'status', 'name', 'slug', 'variantCount', 'createdAt', 'updatedAt'],
  properties: { id, status, name: { type: 'string' }, slug: { type: 'string' }, variantCount: { type: 'integer' }, createdAt: timestamp, updatedAt: timestamp },
} as const;

export const categoryOut = {
  type: 'object', required: ['id', 'parentId', 'handle', 'names', 'depth', 'position', 'createdAt', 'updatedAt'],
  properties: { id, parentId: { type: ['string', 'null'] }, handle: { type: 'string' }, names: { type: 'object', additionalProperties: { type: 'string' } }, depth: { type: 'integer' }, position: { type: 'integer' }, createdAt: timestamp, updatedAt: timestamp },
} as const;

export const levelOut = {
  type: 'object', required: ['variantId', 'locationId', 'onHand', 'reserved', 'available'],
  properties: { variantId: id, locationId: id, onHand: { type: 'integer', minimum: 0 }, reserved: { type: 'integer', minimum: 0 }, available: { type: 'integer', minimum: 0 }, isDefault: { type: 'boolean' } },
} as const;

export const stockOut = {
  type: 'object', required: ['variantId', 'onHand', 'reserved', 'available', 'locations'],
  properties: { variantId: id, onHand: { type: 'integer' }, reserved: { type: 'integer' }, available: { type: 'integer' }, locations: { type: 'array', items: levelOut } },
} as const;

export const movementOut = {
  type: 'object', required: ['id', 'variantId', 'locationId', 'reason', 'onHandDelta', 'reservedDelta', 'onHandAfter', 'reservedAfter', 'reference', 'note', 'actor', 'createdAt'],
  properties: {
    id, variantId: id, locationId: id, reason: { type: 'string' }, onHandDelta: { type: 'integer' }, reservedDelta: { type: 'integer' },
    onHandAfter: { type: 'integer' }, reservedAfter: { type: 'integer' }, reference: { type: ['string', 'null'] }, note: { type: ['string', 'null'] },
    actor: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string' }, id: { type: ['string', 'null'] } } }, createdAt: timestamp,
  },
} as const;

export const locationOut = {
  type: 'object', required: ['id', 'code', 'name', 'isDefault'],
  properties: { id, code: { type: 'string' }, name: { type: 'string' }, isDefault: { type: 'boolean' }, createdAt: timestamp, updatedAt: timestamp },
} as const;

export const importOut = {
  type: 'object',
  required: ['id', 'status', 'format', 'bytes', 'bytesRead', 'percent', 'products', 'imported', 'failed', 'errorCount', 'errorsTruncated', 'failure', 'createdAt', 'startedAt', 'finishedAt'],
  properties: {
    id,
    status: { enum: ['queued', 'running', 'done', 'failed'], description: 'queued: waiting for a worker; running; done: every row read (some may have failed); failed: stopped on an internal error' },
    format: { enum: ['csv', 'jsonl'] },
    bytes: { type: 'integer', description: 'Size of the file' },
    bytesRead: { type: 'integer' },
    percent: { type: 'integer', minimum: 0, maximum: 100, description: 'Progress by bytes read' },
    products: { type: 'integer', description: 'Products read so far (imported + failed)' },
    imported: { type: 'integer' },
    failed: { type: 'integer' },
    errorCount: { type: 'integer', description: 'Row errors found; the first 1000 are listed' },
    errorsTruncated: { type: 'boolean' },
    failure: { type: ['string', 'null'], description: 'Why a failed import stopped' },
    createdAt: timestamp, startedAt: { anyOf: [timestamp, { type: 'null' }] }, finishedAt: { anyOf: [timestamp, { type: 'null' }] },
    errors: { type: 'array', maxItems: 1000, items: { type: 'object', required: ['line', 'pointer', 'code', 'message'], properties: { line: { type: 'integer' }, pointer: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
  },
} as const;

// --- store ---------------------------------------------------------------------------------

const storePrice = { type: 'object', required: ['amount', 'currency', 'formatted'], properties: { amount: { type: 'integer' }, currency: { type: 'string' }, formatted: { type: 'string' } } } as const;
const nullablePrice = { anyOf: [storePrice, { type: 'null' }] } as const;

export const cardOut = {
  type: 'object', required: ['id', 'slug', 'name', 'locale', 'image', 'price', 'priceVaries', 'inStock'],
  properties: {
    id, slug: { type: 'string' }, name: { type: 'string' }, locale: { type: 'string' }, image: { anyOf: [image, { type: 'null' }] },
    price: nullablePrice, priceVaries: { type: 'boolean' }, inStock: { type: 'boolean' },
  },
} as const;

export const storeListOut = {
  ...page(cardOut),
  required: ['items', 'nextCursor', 'locale', 'currency'],
  properties: { ...page(cardOut).properties, locale: { type: 'string' }, currency: { type: 'string' } },
} as const;

export const storeProductOut = {
  type: 'object',
  required: ['id', 'slug', 'locale', 'name', 'description', 'images', 'attributes', 'categories', 'price', 'priceVaries', 'inStock', 'options', 'variants', 'slugs'],
  properties: {
    id, slug: { type: 'string' }, locale: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, images: { type: 'array', items: image },
    attributes: { type: 'object' },
    categories: { type: 'array', items: { type: 'object', required: ['id', 'handle', 'name'], properties: { id, handle: { type: 'string' }, name: { type: 'string' } } } },
    price: nullablePrice, priceVaries: { type: 'boolean' }, inStock: { type: 'boolean' },
    options: { type: 'array', items: { type: 'object', required: ['name', 'values'], properties: { name: { type: 'string' }, values: { type: 'array', items: { type: 'string' } } } } },
    variants: {
      type: 'array',
      items: {
        type: 'object', required: ['id', 'sku', 'options', 'price', 'compareAtPrice', 'inStock'],
        properties: { id, sku: { type: 'string' }, options: { type: 'object' }, price: nullablePrice, compareAtPrice: nullablePrice, inStock: { type: 'boolean' } },
      },
    },
    slugs: { type: 'object', additionalProperties: { type: 'string' } },
  },
} as const;

export const storeCategoryOut = {
  type: 'object', required: ['id', 'parentId', 'handle', 'name', 'depth'],
  properties: { id, parentId: { type: ['string', 'null'] }, handle: { type: 'string' }, name: { type: 'string' }, depth: { type: 'integer' } },
} as const;

const localeCurrency = {
  currency: { ...currencyCode, description: 'Prices in this currency (one of the store currencies); else X-Currency, else the store default' },
  locale: { ...localeKey, description: 'Text in this locale; else Accept-Language; falls back to the store default' },
} as const;

export const storeListQuery = {
  type: 'object', additionalProperties: false,
  patternProperties: { '^attr\\.[^.]{1,64}$': { type: 'string', maxLength: 500, description: 'attr.<name>=v1,v2: products with any of these values' } },
  properties: {
    ...pageQuery,
    sort: { type: 'string', enum: ['newest', 'price_asc', 'price_desc', 'name'], default: 'newest' },
    category: { type: 'string', maxLength: 100, description: 'Category id or handle; sub-categories included' },
    minPrice: { ...amount, description: 'Minor units in the requested currency' },
    maxPrice: { ...amount, description: 'Minor units in the requested currency' },
    inStock: { type: 'boolean' },
    ...localeCurrency,
  },
} as const;

export const storeDetailQuery = { type: 'object', additionalProperties: false, properties: { ...localeCurrency } } as const;
export const storeDetailParams = { type: 'object', required: ['idOrSlug'], additionalProperties: false, properties: { idOrSlug: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

export const searchQuery = {
  type: 'object', required: ['q'], additionalProperties: false,
  properties: { q: { type: 'string', minLength: 1, maxLength: 200 }, ...pageQuery, ...localeCurrency },
} as const;

export const suggestQuery = {
  type: 'object', required: ['q'], additionalProperties: false,
  properties: { q: { type: 'string', minLength: 1, maxLength: 100 }, limit: { type: 'integer', minimum: 1, maximum: 20, default: 8 }, ...localeCurrency },
} as const;

export const searchOut = {
  type: 'object', required: ['query', 'corrected', 'total', 'items', 'nextCursor'],
  properties: { query: { type: 'string' }, corrected: { type: ['string', 'null'] }, total: { type: 'integer' }, items: { type: 'array', items: cardOut }, nextCursor: { type: ['string', 'null'] } },
} as const;

export const suggestOut = {
  type: 'object', required: ['query', 'suggestions', 'products'],
  properties: {
    query: { type: 'string' }, suggestions: { type: 'array', items: { type: 'string' } },
    products: { type: 'array', items: { type: 'object', required: ['id', 'slug', 'name'], properties: { id, slug: { type: 'string' }, name: { type: 'string' } } } },
  },
} as const;

export const hotTermsQuery = {
  type: 'object', additionalProperties: false,
  properties: { days: { type: 'integer', minimum: 1, maximum: 90, default: 7 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
} as const;

export const hotTermsOut = {
  type: 'object', required: ['days', 'items'],
  properties: { days: { type: 'integer' }, items: { type: 'array', items: { type: 'object', required: ['term', 'count', 'zeroResults'], properties: { term: { type: 'string' }, count: { type: 'integer' }, zeroResults: { type: 'integer' } } } } },
} as const;

export { page, pageQuery };
