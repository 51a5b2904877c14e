// Rows derived from a product, rebuilt inside the same transaction as the write that changes
// them: filter facets, "from" price ranges and the search index.
import type { TenantCtx } from '../context.js';
import { Product, ProductFacet, ProductPriceRange, ProductTranslation, Variant, VariantPrice } from './catalog.model.js';
import { table, insertRows, json } from './tables.js';
import { facetKey } from './text.js';
import { searchEngine } from './search/search-engine.js';

/** Attribute values a shopper can filter on: scalars and lists of scalars, plus variant options. */
function facetsOf(attributes: Record<string, unknown>, options: Record<string, string>[]): { name: string; value: string }[] {
  const out = new Map<string, { name: string; value: string }>();
  const add = (name: string, value: unknown) => {
    if (value === null || value === undefined || typeof value === 'object') return;
    const n = facetKey(name).slice(0, 64);
    const v = facetKey(value);
    if (n && v) out.set(`${n}\u0000${v}`, { name: n, value: v });
  };
  for (const [name, value] of Object.entries(attributes)) {
    if (Array.isArray(value)) for (const v of value.slice(0, 50)) add(name, v);
    else add(name, value);
  }
  for (const o of options) for (const [name, value] of Object.entries(o)) add(name, value);
  return [...out.values()];
}

export async function syncFacets(ctx: TenantCtx, productId: string): Promise<void> {
  const product = (await table(ctx, Product).select('attributes').where('id', productId).first()) as { attributes: unknown } | undefined;
  if (!product) return;
  const variants = (await table(ctx, Variant).select('options').where({ product_id: productId, status: 'active' })) as { options: unknown }[];
  const rows = facetsOf(json(product.attributes, {}), variants.map((v) => json(v.options, {})));
  await table(ctx, ProductFacet).where('product_id', productId).delete();
  await insertRows(ctx, ProductFacet, rows.map((r) => ({ product_id: productId, name: r.name, value: r.value })));
}

export async function syncPriceRanges(ctx: TenantCtx, productId: string): Promise<void> {
  const ranges = (await table(ctx, VariantPrice)
    .select('variant_prices.currency')
    .min({ min_amount: 'variant_prices.amount' })
    .max({ max_amount: 'variant_prices.amount' })
    .join('product_variants as v', function () {
      this.on('v.tenant_id', '=', 'variant_prices.tenant_id').andOn('v.id', '=', 'variant_prices.variant_id');
    })
    .where('variant_prices.product_id', productId)
    .where('v.status', 'active')
    .groupBy('variant_prices.currency')) as { currency: string; min_amount: number; max_amount: number }[];
  await table(ctx, ProductPriceRange).where('product_id', productId).delete();
  await insertRows(ctx, ProductPriceRange, ranges.map((r) => ({ product_id: productId, currency: r.currency, min_amount: Number(r.min_amount), max_amount: Number(r.max_amount) })));
  await syncCard(ctx, productId);
}

/**
 * The card copy on the product row: name and slug in the store's default locale, price range
 * in its default currency. Run after text or prices change.
 */
export async function syncCard(ctx: TenantCtx, productId: string): Promise<void> {
  const { defaultLocale, defaultCurrency } = ctx.tenant;
  const [text, range] = await Promise.all([
    table(ctx, ProductTranslation).select('name', 'slug').where({ product_id: productId, locale: defaultLocale }).first() as Promise<{ name: string; slug: string } | undefined>,
    table(ctx, ProductPriceRange).select('min_amount', 'max_amount').where({ product_id: productId, currency: defaultCurrency }).first() as Promise<{ min_amount: number; max_amount: number } | undefined>,
  ]);
  await table(ctx, Product).where('id', productId).update({
    card_locale: defaultLocale, card_name: text?.name ?? null, card_slug: text?.slug ?? null,
    card_currency: defaultCurrency, card_min_amount: range ? Number(range.min_amount) : null, card_max_amount: range ? Number(range.max_amount) : null,
  });
}

/** Active products are in the search index with every locale's text; others are not. */
export async function syncSearch(ctx: TenantCtx, productId: string): Promise<void> {
  const product = (await table(ctx, Product).select('status').where('id', productId).first()) as { status: string } | undefined;
  if (!product || product.status !== 'active') {
    await searchEngine().remove(ctx, productId);
    return;
  }
  const texts = (await table(ctx, ProductTranslation).select('locale', 'name', 'description').where('product_id', productId)) as { locale: string; name: string; description: string }[];
  await searchEngine().index(ctx, { productId, texts });
}

const IN_STOCK =
  'exists(select 1 from stock_levels sl join product_variants sv on sv.tenant_id = sl.tenant_id and sv.id = sl.variant_id ' +
  "where sl.tenant_id = products.tenant_id and sl.product_id = products.id and sv.status = 'active' and sl.on_hand > sl.reserved)";

/** products.in_stock: some active variant has units available. Run when a level crosses zero or variants change. */
export async function syncStockFlag(ctx: TenantCtx, productId: string): Promise<void> {
  // eslint-disable-next-line no-restricted-syntax -- IN_STOCK is a constant SQL condition
  await table(ctx, Product).where('id', productId).update({ in_stock: ctx.db.raw(`case when ${IN_STOCK} then 1 else 0 end`) });
}

export async function syncAll(ctx: TenantCtx, productId: string): Promise<void> {
  await syncFacets(ctx, productId);
  await syncPriceRanges(ctx, productId);
  await syncStockFlag(ctx, productId);
  await syncSearch(ctx, productId);
}
