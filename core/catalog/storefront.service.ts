// What shoppers see: active products only, text in their locale (falling back to the store's
// default), prices in their currency. The list is one SQL query per page, ordered along an
// index (newest: products(tenant, status, id); price: price_ranges(tenant, currency, min, id);
// name: translations(tenant, locale, name_key, id)) and keyset-paginated, so page 500 of a
// 100,000-product store costs what page 1 of a 10-product store costs.
import type { Knex } from '../db/knex.js';
import type { TenantCtx } from '../context.js';
import { NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { formatMinor } from '../money/money.js';
import { Category, Product, ProductCategory, ProductPriceRange, ProductTranslation, type ProductImage } from './catalog.model.js';
import { table, json, shapedRows } from './tables.js';
import { facetKey } from './text.js';
import { cachedBody } from './catalog.cache.js';
import { JsonBody } from '../http/route.js';
import { subtreeIds } from './category.service.js';
import { baseBounds, convertOrNull, priceConversion, shiftsOwnPrices, type PriceConversion } from './pricing.js';

export type StoreSort = 'newest' | 'price_asc' | 'price_desc' | 'name';

export interface StoreListParams {
  limit: number;
  cursor?: string;
  sort: StoreSort;
  /** A category id or handle; its sub-categories are included. */
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  /** Attribute or option name -> accepted values (any of them). */
  attributes: Record<string, string[]>;
  locale: string;
  currency: string;
}

export interface StorePrice {
  amount: number;
  currency: string;
  formatted: string;
}

export interface ProductCard {
  id: string;
  slug: string;
  name: string;
  locale: string;
  image: ProductImage | null;
  price: StorePrice | null;
  priceVaries: boolean;
  inStock: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function price(amount: number, currency: string, locale: string): StorePrice {
  return { amount, currency, formatted: formatMinor(amount, currency, locale) };
}

export interface StoreListAnswer {
  items: ProductCard[];
  nextCursor: string | null;
  locale: string;
  currency: string;
}

/** One page of product cards, as the answer's body. The first page of each filter combination is cached. */
export async function storeProductList(ctx: TenantCtx, params: StoreListParams): Promise<JsonBody> {
  const { locale, currency, ...rest } = params;
  const conv = await priceConversion(ctx, ctx.tenant.defaultCurrency, currency);
  const load = async (): Promise<StoreListAnswer> => ({ ...(await loadPage(ctx, params, conv)), locale, currency });
  if (params.cursor) return JsonBody.of(await load());
  return cachedBody(ctx, ['listAnswer', locale, (ctx.fallbackLocales ?? []).join(','), currency, conv?.key ?? '', JSON.stringify(rest)], load);
}

/** The card copy kept on the product row for the store's default locale and currency. */
const CARD_COLUMNS = ['products.card_locale', 'products.card_name', 'products.card_slug', 'products.card_currency', 'products.card_min_amount', 'products.card_max_amount'];

/**
 * With a conversion (the asked currency is not the default one and a rate is known) prices sort
 * and show from the base price, converted, unless the product has a fixed price in the currency.
 */
async function loadPage(ctx: TenantCtx, params: StoreListParams, conv: PriceConversion | null): Promise<{ items: ProductCard[]; nextCursor: string | null }> {
  const db = ctx.db;
  const { locale, currency, sort } = params;
  const { defaultLocale, defaultCurrency } = ctx.tenant;
  const byPrice = sort === 'price_asc' || sort === 'price_desc';
  if (byPrice && conv) return loadConvertedByPrice(ctx, params, conv);
  const byOwnName = sort === 'name' && locale === defaultLocale;
  // The table that drives the index scan depends on the sort; every one starts from scoped().
  let q: Knex.QueryBuilder;
  let pr: string | null = null;
  let lt: string | null = null;
  const joinProducts = (from: string) =>
    function (this: Knex.JoinClause) {
      this.on('products.tenant_id', '=', `${from}.tenant_id`).andOn('products.id', '=', `${from}.product_id`);
    };
  if (byPrice) {
    pr = 'product_price_ranges';
    q = table(ctx, ProductPriceRange).join('products', joinProducts(pr)).where(`${pr}.currency`, conv ? defaultCurrency : currency);
  } else if (byOwnName) {
    lt = 'product_translations';
    q = table(ctx, ProductTranslation).join('products', joinProducts(lt)).where(`${lt}.locale`, locale);
  } else {
    q = table(ctx, Product);
  }
  q.where('products.status', 'active');
  q.select('products.id', 'products.images', 'products.in_stock', ...CARD_COLUMNS);
  // In the store's default locale and currency the card copy is enough; otherwise join.
  if (!lt && locale !== defaultLocale) {
    lt = 'lt';
    q.leftJoin('product_translations as lt', on('lt', 'locale', locale));
  }
  if (!pr && currency !== defaultCurrency && !conv) {
    pr = 'pr';
    q.leftJoin('product_price_ranges as pr', on('pr', 'currency', currency));
  }
  // Converting: the fixed range in the currency, where there is one, in the same query.
  if (conv) fixedRange(ctx, q, conv, currency);
  if (lt) q.select(`${lt}.name as l_name`, `${lt}.slug as l_slug`);
  if (pr) q.select(`${pr}.min_amount`, `${pr}.max_amount`);

  if (!(await applyFilters(ctx, q, params, conv))) return { items: [], nextCursor: null };

  // Order and keyset: the cursor is the last row's sort key and id.
  let sortKey: (r: Record<string, unknown>) => (string | number)[];
  if (sort === 'newest') {
    const after = decodeCursor(params.cursor, 1);
    if (after) q.where('products.id', '<', String(after[0]));
    q.orderBy('products.id', 'desc');
    sortKey = (r) => [String(r.id)];
  } else if (byPrice) {
    const dir = sort === 'price_asc' ? 'asc' : 'desc';
    const op = dir === 'asc' ? '>' : '<';
    const after = decodeCursor(params.cursor, 2);
    if (after) {
      const [amount, id] = [Number(after[0]), String(after[1])];
      q.where((b) => b.where(`${pr}.min_amount`, op, amount).orWhere((c) => c.where(`${pr}.min_amount`, amount).where(`${pr}.product_id`, op, id)));
    }
    q.orderBy([{ column: `${pr}.min_amount`, order: dir }, { column: `${pr}.product_id`, order: dir }]);
    sortKey = (r) => [Number(r.min_amount), String(r.id)];
  } else {
    if (!byOwnName) q.leftJoin('product_translations as dt', on('dt', 'locale', defaultLocale));
    const nameExpr = byOwnName ? `${lt}.name_key` : 'coalesce(lt.name_key, dt.name_key)';
    const idExpr = byOwnName ? `${lt}.product_id` : 'products.id';
    // eslint-disable-next-line no-restricted-syntax -- nameExpr and idExpr are column names chosen here (lt is a constant alias)
    q.select(db.raw(`${nameExpr} as sort_name`));
    const after = decodeCursor(params.cursor, 2);
    // eslint-disable-next-line no-restricted-syntax -- the same constant columns; the cursor's values are bindings
    if (after) q.whereRaw(`(${nameExpr} > ? or (${nameExpr} = ? and ${idExpr} > ?))`, [String(after[0]), String(after[0]), String(after[1])]);
    // eslint-disable-next-line no-restricted-syntax -- the same constant columns
    q.orderByRaw(`${nameExpr} asc, ${idExpr} asc`);
    sortKey = (r) => [String(r.sort_name ?? ''), String(r.id)];
  }

  const rows = (await q.limit(params.limit + 1)) as Record<string, unknown>[];
  const page = rows.slice(0, params.limit);
  const items = await toCards(ctx, page, locale, currency, conv);
  return { items, nextCursor: rows.length > params.limit ? encodeCursor(sortKey(page[page.length - 1])) : null };
}

function on(alias: string, column: string, value: string) {
  return function (this: Knex.JoinClause) {
    this.on(`${alias}.tenant_id`, '=', 'products.tenant_id').andOn(`${alias}.product_id`, '=', 'products.id').andOnVal(`${alias}.${column}`, '=', value);
  };
}

/**
 * Sorted by price in a converted currency: the shown price is the fixed one where the product has
 * one in the currency, else its base price converted. Conversions are monotone, so two keyset
 * scans in SQL are merged here: products without a fixed price by base price (their converted
 * order), products with one by that price. The order is (price, fixed before converted, base
 * price, id), reversed for price_desc; the cursor carries all four.
 */
/** Converting: the fixed range in the currency, where there is one (none when the conversion reprices the store's own prices). */
function fixedRange(ctx: TenantCtx, q: Knex.QueryBuilder, conv: PriceConversion, currency: string): void {
  if (shiftsOwnPrices(conv)) q.select(ctx.db.raw('null as fx_min'), ctx.db.raw('null as fx_max'));
  else q.leftJoin('product_price_ranges as fxr', on('fxr', 'currency', currency)).select('fxr.min_amount as fx_min', 'fxr.max_amount as fx_max');
}

async function loadConvertedByPrice(ctx: TenantCtx, params: StoreListParams, conv: PriceConversion): Promise<{ items: ProductCard[]; nextCursor: string | null }> {
  const { locale, currency } = params;
  const { defaultLocale, defaultCurrency } = ctx.tenant;
  const desc = params.sort === 'price_desc';
  const dir = desc ? 'desc' : 'asc';
  const after = decodeCursor(params.cursor, 4);
  const cur = after ? { value: Number(after[0]), group: Number(after[1]), sub: Number(after[2]), id: String(after[3]) } : null;
  const pr = 'product_price_ranges';
  const scan = async (rangeCurrency: string, converted: boolean): Promise<Record<string, unknown>[]> => {
    const q = table(ctx, ProductPriceRange)
      .join('products', function (this: Knex.JoinClause) {
        this.on('products.tenant_id', '=', `${pr}.tenant_id`).andOn('products.id', '=', `${pr}.product_id`);
      })
      .where(`${pr}.currency`, rangeCurrency)
      .where('products.status', 'active')
      .select('products.id', 'products.images', 'products.in_stock', ...CARD_COLUMNS, `${pr}.min_amount`, `${pr}.max_amount`);
    // What toCards reads as the fixed range: none for the converted scan, the scanned one for the other.
    if (converted) q.select(ctx.db.raw('null as fx_min'), ctx.db.raw('null as fx_max'));
    else q.select(`${pr}.min_amount as fx_min`, `${pr}.max_amount as fx_max`);
    if (converted && !shiftsOwnPrices(conv)) {
      q.whereNotExists(function () {
        // eslint-disable-next-line no-restricted-syntax -- pr is a constant table alias
        this.select(ctx.db.raw('1')).from('product_price_ranges as fx').whereRaw(`fx.tenant_id = ${pr}.tenant_id and fx.product_id = ${pr}.product_id`).where('fx.currency', currency);
      });
    }
    if (locale !== defaultLocale) q.leftJoin('product_translations as lt', on('lt', 'locale', locale)).select('lt.name as l_name', 'lt.slug as l_slug');
    if (!(await applyFilters(ctx, q, params, conv))) return [];
    const op = desc ? '<' : '>';
    if (cur && converted) {
      if (cur.group === 1) q.where((b) => b.where(`${pr}.min_amount`, op, cur.sub).orWhere((c) => c.where(`${pr}.min_amount`, cur.sub).where(`${pr}.product_id`, op, cur.id)));
      else {
        // After a fixed price X: converted prices from X on (asc) or below X (desc).
        const lo = baseBounds(conv, cur.value, undefined).min!;
        q.where(`${pr}.min_amount`, desc ? '<' : '>=', lo);
      }
    } else if (cur) {
      if (cur.group === 0) q.where((b) => b.where(`${pr}.min_amount`, op, cur.value).orWhere((c) => c.where(`${pr}.min_amount`, cur.value).where(`${pr}.product_id`, op, cur.id)));
      else q.where(`${pr}.min_amount`, desc ? '<=' : '>', cur.value);
    }
    q.orderBy([{ column: `${pr}.min_amount`, order: dir }, { column: `${pr}.product_id`, order: dir }]);
    return (await q.limit(params.limit + 1)) as Record<string, unknown>[];
  };
  // Repricing the store's own prices: every product is converted, none is fixed.
  const [converted, fixed] = await Promise.all([scan(defaultCurrency, true), shiftsOwnPrices(conv) ? Promise.resolve([]) : scan(currency, false)]);
  type Keyed = { row: Record<string, unknown>; key: [number, number, number, string] };
  const keyed: Keyed[] = [
    ...converted.map((row): Keyed => ({ row, key: [conv.convert(Number(row.min_amount)), 1, Number(row.min_amount), String(row.id)] })),
    ...fixed.map((row): Keyed => ({ row, key: [Number(row.min_amount), 0, 0, String(row.id)] })),
  ];
  const compare = (a: Keyed, b: Keyed): number => {
    for (let i = 0; i < 4; i++) {
      const x = a.key[i];
      const y = b.key[i];
      if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  };
  keyed.sort(compare);
  const page = keyed.slice(0, params.limit);
  const items = await toCards(ctx, page.map((k) => k.row), locale, currency, conv);
  return { items, nextCursor: keyed.length > params.limit ? encodeCursor(page[page.length - 1].key) : null };
}

/** Adds the shopper's filters as EXISTS clauses; false when a filter can match nothing. */
async function applyFilters(ctx: TenantCtx, q: Knex.QueryBuilder, params: StoreListParams, conv: PriceConversion | null = null): Promise<boolean> {
  const db = ctx.db;
  if (params.category) {
    const ids = await subtreeIds(ctx, params.category);
    if (!ids) return false;
    q.whereExists(function () {
      this.select(db.raw('1')).from('product_categories as pc').whereRaw('pc.tenant_id = products.tenant_id and pc.product_id = products.id').whereIn('pc.category_id', ids);
    });
  }
  for (const [name, values] of Object.entries(params.attributes)) {
    q.whereExists(function () {
      this.select(db.raw('1')).from('product_facets as f').whereRaw('f.tenant_id = products.tenant_id and f.product_id = products.id')
        .where('f.name', facetKey(name)).whereIn('f.value', values.map(facetKey));
    });
  }
  if ((params.minPrice !== undefined || params.maxPrice !== undefined) && conv) {
    // In a converted currency a variant's price is its fixed one there, else its base price
    // converted; the bounds are taken back to base amounts (conversions are monotone).
    const base = baseBounds(conv, params.minPrice, params.maxPrice);
    const { minPrice, maxPrice, currency } = params;
    const baseCurrency = ctx.tenant.defaultCurrency;
    // Repricing the store's own prices: nothing is fixed, a currency's price is the base one shifted.
    const own = shiftsOwnPrices(conv);
    q.whereExists(function () {
      this.select(db.raw('1')).from('product_variants as pv')
        .whereRaw('pv.tenant_id = products.tenant_id and pv.product_id = products.id')
        .where('pv.status', 'active')
        .where(function () {
          this.whereExists(function () {
            this.select(db.raw('1')).from('variant_prices as vf').whereRaw('vf.tenant_id = pv.tenant_id and vf.variant_id = pv.id').where('vf.currency', currency);
            if (own) this.whereRaw('1 = 0');
            if (minPrice !== undefined) this.where('vf.amount', '>=', minPrice);
            if (maxPrice !== undefined) this.where('vf.amount', '<=', maxPrice);
          }).orWhere(function () {
            this.whereNotExists(function () {
              this.select(db.raw('1')).from('variant_prices as vn').whereRaw('vn.tenant_id = pv.tenant_id and vn.variant_id = pv.id').where('vn.currency', currency);
              if (own) this.whereRaw('1 = 0');
            }).whereExists(function () {
              this.select(db.raw('1')).from('variant_prices as vb').whereRaw('vb.tenant_id = pv.tenant_id and vb.variant_id = pv.id').where('vb.currency', baseCurrency);
              if (base.min !== undefined) this.where('vb.amount', '>=', base.min);
              if (base.max !== undefined) this.where('vb.amount', '<=', base.max);
            });
          });
        });
    });
  } else if (params.minPrice !== undefined || params.maxPrice !== undefined) {
    q.whereExists(function () {
      this.select(db.raw('1')).from('variant_prices as vp')
        .join('product_variants as pv', function () {
          this.on('pv.tenant_id', '=', 'vp.tenant_id').andOn('pv.id', '=', 'vp.variant_id');
        })
        .whereRaw('vp.tenant_id = products.tenant_id and vp.product_id = products.id')
        .where('vp.currency', params.currency)
        .where('pv.status', 'active');
      if (params.minPrice !== undefined) this.where('vp.amount', '>=', params.minPrice);
      if (params.maxPrice !== undefined) this.where('vp.amount', '<=', params.maxPrice);
    });
  }
  if (params.inStock !== undefined) q.where('products.in_stock', params.inStock);
  return true;
}

/**
 * Rows to cards. Text: the asked locale's (l_name), else the card copy (default locale), else
 * whatever the product has. Price: the joined range (pr), else the card copy when it is for
 * this currency, else the range looked up (the store's default currency changed since).
 */
async function toCards(ctx: TenantCtx, rows: Record<string, unknown>[], locale: string, currency: string, conv: PriceConversion | null = null): Promise<ProductCard[]> {
  const { defaultLocale, defaultCurrency } = ctx.tenant;
  const cardText = (r: Record<string, unknown>) => r.card_locale === defaultLocale && r.card_name !== null && r.card_name !== undefined;
  const needText = rows.filter((r) => !r.l_name && !cardText(r)).map((r) => String(r.id));
  // Converting: the fixed ranges in the currency for every row, the base ones where the row lacks them.
  const needPrice = conv ? rows.filter((r) => !('fx_min' in r)).map((r) => String(r.id)) : rows.filter((r) => !('min_amount' in r) && r.card_currency !== currency).map((r) => String(r.id));
  const needBase = conv ? rows.filter((r) => !('min_amount' in r) && r.card_currency !== defaultCurrency).map((r) => String(r.id)) : [];
  const anyText = new Map<string, { locale: string; name: string; slug: string }>();
  const ranges = new Map<string, { min_amount: number; max_amount: number }>();
  const baseRanges = new Map<string, { min_amount: number; max_amount: number }>();
  await Promise.all([
    needBase.length
      ? (table(ctx, ProductPriceRange).select('product_id', 'min_amount', 'max_amount').whereIn('product_id', needBase).where('currency', defaultCurrency) as Promise<{ product_id: string; min_amount: number; max_amount: number }[]>).then((found) => {
          for (const r of found) baseRanges.set(r.product_id, r);
        })
      : undefined,
    needText.length
      ? (table(ctx, ProductTranslation).select('product_id', 'locale', 'name', 'slug').whereIn('product_id', needText) as Promise<{ product_id: string; locale: string; name: string; slug: string }[]>).then((found) => {
          for (const id of needText) {
            const t = pickLocale(found.filter((f) => f.product_id === id), locale, defaultLocale, ctx.fallbackLocales);
            if (t) anyText.set(id, t);
          }
        })
      : undefined,
    needPrice.length
      ? (table(ctx, ProductPriceRange).select('product_id', 'min_amount', 'max_amount').whereIn('product_id', needPrice).where('currency', currency) as Promise<{ product_id: string; min_amount: number; max_amount: number }[]>).then((found) => {
          for (const r of found) ranges.set(r.product_id, r);
        })
      : undefined,
  ]);
  return rows.map((r) => {
    const id = String(r.id);
    const text = r.l_name
      ? { locale, name: String(r.l_name), slug: String(r.l_slug) }
      : cardText(r)
        ? { locale: defaultLocale, name: String(r.card_name), slug: String(r.card_slug) }
        : (anyText.get(id) ?? { locale, name: '', slug: id });
    let range: { min: unknown; max: unknown };
    if (conv) {
      const fixed = 'fx_min' in r ? (r.fx_min === null || r.fx_min === undefined ? undefined : { min_amount: Number(r.fx_min), max_amount: Number(r.fx_max) }) : ranges.get(id);
      const base = 'min_amount' in r ? { min: r.min_amount, max: r.max_amount } : r.card_currency === defaultCurrency ? { min: r.card_min_amount, max: r.card_max_amount } : { min: baseRanges.get(id)?.min_amount, max: baseRanges.get(id)?.max_amount };
      range = fixed
        ? { min: fixed.min_amount, max: fixed.max_amount }
        : base.min === null || base.min === undefined ? { min: null, max: null } : { min: conv.convert(Number(base.min)), max: conv.convert(Number(base.max)) };
    } else {
      range = 'min_amount' in r ? { min: r.min_amount, max: r.max_amount } : r.card_currency === currency ? { min: r.card_min_amount, max: r.card_max_amount } : { min: ranges.get(id)?.min_amount, max: ranges.get(id)?.max_amount };
    }
    const min = range.min === null || range.min === undefined ? null : Number(range.min);
    const images = json<ProductImage[]>(r.images, []);
    return {
      id,
      slug: text.slug,
      name: text.name,
      locale: text.locale,
      image: images[0] ?? null,
      price: min === null ? null : price(min, currency, locale),
      priceVaries: min !== null && Number(range.max) !== min,
      inStock: Boolean(Number(r.in_stock)),
    };
  });
}

/** Cards for the given active products, in the given order (search results). */
export async function cardsByIds(ctx: TenantCtx, ids: string[], locale: string, currency: string): Promise<ProductCard[]> {
  if (!ids.length) return [];
  const conv = await priceConversion(ctx, ctx.tenant.defaultCurrency, currency);
  const q = table(ctx, Product).select('products.id', 'products.images', 'products.in_stock', ...CARD_COLUMNS).whereIn('products.id', ids).where('products.status', 'active');
  if (locale !== ctx.tenant.defaultLocale) q.leftJoin('product_translations as lt', on('lt', 'locale', locale)).select('lt.name as l_name', 'lt.slug as l_slug');
  if (currency !== ctx.tenant.defaultCurrency && !conv) q.leftJoin('product_price_ranges as pr', on('pr', 'currency', currency)).select('pr.min_amount', 'pr.max_amount');
  if (conv) fixedRange(ctx, q, conv, currency);
  const rows = (await q) as Record<string, unknown>[];
  const byId = new Map((await toCards(ctx, rows, locale, currency, conv)).map((c) => [c.id, c]));
  return ids.map((id) => byId.get(id)).filter((c): c is ProductCard => Boolean(c));
}

// --- detail ------------------------------------------------------------------------------

export interface StoreVariant {
  id: string;
  sku: string;
  options: Record<string, string>;
  price: StorePrice | null;
  compareAtPrice: StorePrice | null;
  inStock: boolean;
}

export interface StoreProduct {
  id: string;
  slug: string;
  locale: string;
  name: string;
  description: string;
  images: ProductImage[];
  attributes: Record<string, unknown>;
  categories: { id: string; handle: string; name: string }[];
  price: StorePrice | null;
  priceVaries: boolean;
  inStock: boolean;
  options: { name: string; values: string[] }[];
  variants: StoreVariant[];
  /** The product's slug in each locale it is written in (for language links). */
  slugs: Record<string, string>;
}

/**
 * Picks the text for `locale`: exact (fr-CA), same language (fr), the fallbacks in order (a
 * market's language), the store's default, then any.
 */
export function pickLocale<T extends { locale: string }>(rows: T[], locale: string, defaultLocale: string, fallbacks: readonly string[] = []): T | undefined {
  const lang = locale.split('-')[0].toLowerCase();
  const exact = rows.find((r) => r.locale === locale) ?? rows.find((r) => r.locale.split('-')[0].toLowerCase() === lang);
  if (exact) return exact;
  for (const f of fallbacks) {
    const hit = rows.find((r) => r.locale === f);
    if (hit) return hit;
  }
  return rows.find((r) => r.locale === defaultLocale) ?? rows[0];
}

/** A product page by id or by slug (in any of its locales). Cached per locale and currency. */
export async function storeProductPage(ctx: TenantCtx, idOrSlug: string, locale: string, currency: string): Promise<JsonBody> {
  const conv = await priceConversion(ctx, ctx.tenant.defaultCurrency, currency);
  const found = await cachedBody(ctx, ['product', idOrSlug, locale, (ctx.fallbackLocales ?? []).join(','), currency, conv?.key ?? ''], async (): Promise<StoreProduct | null> => {
    if (UUID.test(idOrSlug)) {
      const byId = await loadProduct(ctx, idOrSlug.toLowerCase(), locale, currency, conv);
      if (byId) return byId;
    }
    const id = await productIdBySlug(ctx, idOrSlug, locale);
    return id ? loadProduct(ctx, id, locale, currency, conv) : null;
  });
  if (found.value === null) throw new NotFoundError('PRODUCT_NOT_FOUND', 'No such product');
  return found;
}

async function productIdBySlug(ctx: TenantCtx, idOrSlug: string, locale: string): Promise<string | null> {
  const matches = (await table(ctx, ProductTranslation)
    .select('product_translations.product_id', 'product_translations.locale')
    .join('products', function () {
      this.on('products.tenant_id', '=', 'product_translations.tenant_id').andOn('products.id', '=', 'product_translations.product_id');
    })
    .where('product_translations.slug', idOrSlug.normalize('NFC').toLowerCase())
    .where('products.status', 'active')) as { product_id: string; locale: string }[];
  return pickLocale(matches, locale, ctx.tenant.defaultLocale, ctx.fallbackLocales)?.product_id ?? null;
}

const VARIANT_IN_STOCK = 'exists(select 1 from stock_levels sl where sl.tenant_id = product_variants.tenant_id and sl.variant_id = product_variants.id and sl.on_hand > sl.reserved)';

/** A row of the product page's statement: `kind` says which part of the UNION ALL it comes from (see loadProduct). */
interface PageRow {
  kind: 'v' | 't' | 'c';
  a: unknown;
  b: unknown;
  c: unknown;
  d: unknown;
  e: unknown;
  f: number | null;
  g: number | null;
  h: number | null;
  i: number | null;
  j: number | null;
  k: number | null;
}

/**
 * One statement (issue 27: it was four, one per table, then two): the product with its active
 * variants (price, base price when converting, stock), its text in every locale and its
 * categories, as one UNION ALL told apart by `kind`; every part starts from the scoped helper.
 * One round trip instead of two: on the bench machine each statement cost the app about as much
 * CPU again in its socket write, knex's build and mysql2's answer as the page's own work.
 * Columns, by kind:
 *   v: a images, b attributes, c variant id (null: no active variant), d sku, e options,
 *      f amount, g compare-at, h base amount, i base compare-at (converting), j in stock, k position
 *   t: a locale, b name, c slug, d description
 *   c: a category id, b handle, c names, d path
 */
async function loadProduct(ctx: TenantCtx, id: string, locale: string, currency: string, conv: PriceConversion | null): Promise<StoreProduct | null> {
  // Built and compiled once per process and shape (converting or not), run with this page's values.
  const values = { id, currency, from: conv?.from ?? '' };
  const all = await shapedRows<keyof typeof values, PageRow>(ctx, conv ? 'product-page:converting' : 'product-page', values, (sctx, v) => {
    // eslint-disable-next-line no-restricted-syntax -- names are the constant column letters passed below
    const nulls = (...names: string[]) => names.map((n) => sctx.db.raw(`null as ${n}`));
    const variantPart = table(sctx, Product)
      .select(
        sctx.db.raw("'v' as kind"), 'products.images as a', 'products.attributes as b', 'product_variants.id as c', 'product_variants.sku as d', 'product_variants.options as e',
        'vp.amount as f', 'vp.compare_at_amount as g',
        ...(conv ? ['bp.amount as h', 'bp.compare_at_amount as i'] : nulls('h', 'i')),
        // eslint-disable-next-line no-restricted-syntax -- VARIANT_IN_STOCK is a constant SQL condition
        sctx.db.raw(`${VARIANT_IN_STOCK} as j`), 'product_variants.position as k',
      )
      .leftJoin('product_variants', function () {
        this.on('product_variants.tenant_id', '=', 'products.tenant_id').andOn('product_variants.product_id', '=', 'products.id').andOnVal('product_variants.status', '=', 'active');
      })
      .leftJoin('variant_prices as vp', function () {
        this.on('vp.tenant_id', '=', 'product_variants.tenant_id').andOn('vp.variant_id', '=', 'product_variants.id').andOnVal('vp.currency', '=', v.currency);
      })
      .where({ 'products.id': v.id, 'products.status': 'active' });
    if (conv) {
      variantPart.leftJoin('variant_prices as bp', function () {
        this.on('bp.tenant_id', '=', 'product_variants.tenant_id').andOn('bp.variant_id', '=', 'product_variants.id').andOnVal('bp.currency', '=', v.from);
      });
    }
    const textPart = table(sctx, ProductTranslation)
      .select(sctx.db.raw("'t' as kind"), 'locale as a', 'name as b', 'slug as c', 'description as d', ...nulls('e', 'f', 'g', 'h', 'i', 'j', 'k'))
      .where('product_id', v.id);
    const categoryPart = table(sctx, ProductCategory)
      .select(sctx.db.raw("'c' as kind"), 'c.id as a', 'c.handle as b', 'c.names as c', 'c.path as d', ...nulls('e', 'f', 'g', 'h', 'i', 'j', 'k'))
      .join('categories as c', function () {
        this.on('c.tenant_id', '=', 'product_categories.tenant_id').andOn('c.id', '=', 'product_categories.category_id');
      })
      .where('product_categories.product_id', v.id);
    // Unwrapped: SQLite refuses parenthesised parts of a compound select. Order is set below, not in SQL.
    return variantPart.unionAll([textPart, categoryPart], false);
  });
  const rows: PageRow[] = [];
  const translations: { locale: string; name: string; slug: string; description: string }[] = [];
  const categoryRows: PageRow[] = [];
  for (const r of all) {
    if (r.kind === 'v') rows.push(r);
    else if (r.kind === 't') translations.push({ locale: String(r.a), name: String(r.b), slug: String(r.c), description: String(r.d) });
    else categoryRows.push(r);
  }
  if (!rows.length) return null;
  const product = { images: rows[0].a, attributes: rows[0].b };
  // Variants in display order (position, then id), as the statement's ORDER BY gave them before.
  rows.sort((x, y) => Number(x.k) - Number(y.k) || (String(x.c) < String(y.c) ? -1 : String(x.c) > String(y.c) ? 1 : 0));
  translations.sort((x, y) => (x.locale < y.locale ? -1 : x.locale > y.locale ? 1 : 0));
  const categories = categoryRows.sort((x, y) => (String(x.d) < String(y.d) ? -1 : String(x.d) > String(y.d) ? 1 : 0)).map((r) => ({ id: String(r.a), handle: String(r.b), names: r.c }));
  const text = pickLocale(translations, locale, ctx.tenant.defaultLocale, ctx.fallbackLocales) ?? { locale, name: '', slug: id, description: '' };
  const storeVariants: StoreVariant[] = rows.filter((v) => v.c !== null && v.c !== undefined).map((v) => {
    // A fixed price in the currency wins; else the base price converted (compare-at too, only then).
    const fixed = v.f !== null && v.f !== undefined && !shiftsOwnPrices(conv);
    const amount = fixed ? Number(v.f) : convertOrNull(conv, v.h);
    const compareAt = fixed ? v.g : convertOrNull(conv, v.i);
    return {
      id: String(v.c),
      sku: String(v.d),
      options: json<Record<string, string>>(v.e, {}),
      price: amount === null ? null : price(amount, currency, locale),
      compareAtPrice: compareAt === null || compareAt === undefined ? null : price(Number(compareAt), currency, locale),
      inStock: Boolean(Number(v.j)),
    };
  });
  const amounts = storeVariants.flatMap((v) => (v.price ? [v.price.amount] : []));
  const optionValues = new Map<string, Set<string>>();
  for (const v of storeVariants) for (const [k, val] of Object.entries(v.options)) (optionValues.get(k) ?? optionValues.set(k, new Set()).get(k)!).add(val);
  return {
    id,
    slug: text.slug,
    locale: text.locale,
    name: text.name,
    description: text.description,
    images: json<ProductImage[]>(product.images, []),
    attributes: json<Record<string, unknown>>(product.attributes, {}),
    categories: categories.map((c) => ({ id: c.id, handle: c.handle, name: localName(json<Record<string, string>>(c.names, {}), locale, ctx.tenant.defaultLocale) })),
    price: amounts.length ? price(Math.min(...amounts), currency, locale) : null,
    priceVaries: amounts.length > 0 && Math.min(...amounts) !== Math.max(...amounts),
    inStock: storeVariants.some((v) => v.inStock),
    options: [...optionValues].map(([name, values]) => ({ name, values: [...values] })),
    variants: storeVariants,
    slugs: Object.fromEntries(translations.map((t) => [t.locale, t.slug])),
  };
}

export function localName(names: Record<string, string>, locale: string, defaultLocale: string): string {
  const rows = Object.entries(names).map(([l, name]) => ({ locale: l, name }));
  return pickLocale(rows, locale, defaultLocale)?.name ?? '';
}

export interface StoreCategory {
  id: string;
  parentId: string | null;
  handle: string;
  name: string;
  depth: number;
}

/** The whole tree, depth first, names in the shopper's locale, as the answer `{ items }` (cached). */
export async function storeCategoryTree(ctx: TenantCtx, locale: string): Promise<JsonBody> {
  return cachedBody(ctx, ['categoryTree', locale], async (): Promise<{ items: StoreCategory[] }> => {
    const rows = (await table(ctx, Category).select('id', 'parent_id', 'handle', 'names', 'depth', 'position', 'path').orderBy('path').limit(2000)) as {
      id: string; parent_id: string | null; handle: string; names: unknown; depth: number; position: number; path: string;
    }[];
    return { items: rows.map((r) => ({ id: r.id, parentId: r.parent_id, handle: r.handle, name: localName(json<Record<string, string>>(r.names, {}), locale, ctx.tenant.defaultLocale), depth: Number(r.depth) })) };
  });
}
