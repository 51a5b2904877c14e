// What the cart needs to know about variants: are they for sale, what do they cost in the cart's
// currency, what are they called, how many are available. Read from the catalog's tables through
// scoped queries; prices are the catalog's fixed price in that currency, else the base price
// converted through the price point (core/catalog/pricing.ts) when a rate is known.
import type { TenantCtx } from '../context.js';
import type { Knex } from '../db/knex.js';
import { ProductTranslation, StockLevel, Variant } from '../catalog/catalog.model.js';
import { table } from '../catalog/tables.js';
import { priceConversion, shiftsOwnPrices } from '../catalog/pricing.js';
import { shippingView, type VariantShipping } from '../catalog/variant-shipping.js';

export interface VariantInfo {
  variantId: string;
  productId: string;
  sku: string;
  title: string;
  options: Record<string, string>;
  /** Active variant of an active product. */
  sellable: boolean;
  /** Minor units of the asked currency; null when the variant has no price there. */
  unitAmount: number | null;
  /** The price is the base price converted (not a fixed price in the currency). */
  converted: boolean;
  available: number;
  /** Weight, box, HS code and origin for shipping calculators and customs. */
  shipping: VariantShipping;
}

function parseOptions(value: unknown): Record<string, string> {
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Record<string, string>;
    } catch {
      return {};
    }
  }
  return (value as Record<string, string> | null) ?? {};
}

type Row = {
  id: string; product_id: string; sku: string; options: unknown; status: string; product_status: string;
  weight: string | number | null; weight_unit: string | null; length: string | number | null; width: string | number | null; height: string | number | null; dimension_unit: string | null; hs_code: string | null; origin_country: string | null;
  amount: number | string | null; base_amount?: number | string | null; name: string | null; default_name?: string | null; on_hand: number | string | null; reserved: number | string | null;
};

/**
 * One statement for every variant asked (issue 27: it was four, run for every cart view and
 * checkout): the variant and its product, its price in the currency (and the base price when a
 * conversion may be needed), the product's name in the request's and the store's locale, and its
 * stock summed over locations. A product named in neither locale gets any name, with one more read.
 */
export async function lookupVariants(ctx: TenantCtx, variantIds: string[], currency: string): Promise<Map<string, VariantInfo>> {
  const out = new Map<string, VariantInfo>();
  const ids = [...new Set(variantIds)];
  if (!ids.length) return out;
  const base = ctx.tenant.defaultCurrency;
  const [locale, defaultLocale] = [ctx.locale, ctx.tenant.defaultLocale];
  const priceIn = (alias: string, code: string) =>
    function (this: Knex.JoinClause) {
      this.on(`${alias}.tenant_id`, '=', 'product_variants.tenant_id').andOn(`${alias}.variant_id`, '=', 'product_variants.id').andOnVal(`${alias}.currency`, '=', code);
    };
  const nameIn = (alias: string, code: string) =>
    function (this: Knex.JoinClause) {
      this.on(`${alias}.tenant_id`, '=', 'product_variants.tenant_id').andOn(`${alias}.product_id`, '=', 'product_variants.product_id').andOnVal(`${alias}.locale`, '=', code);
    };
  // Stock summed over locations in one aggregation of the store's rows for these variants, joined
  // on: a correlated subquery per sum read every stock row twice (issue 27). A variant with no
  // stock row gets nulls, as the subqueries gave.
  const stock = table(ctx, StockLevel)
    .select('stock_levels.variant_id')
    .sum('stock_levels.on_hand as on_hand')
    .sum('stock_levels.reserved as reserved')
    .whereIn('stock_levels.variant_id', ids)
    .groupBy('stock_levels.variant_id')
    .as('sl');
  const q = table(ctx, Variant)
    .join('products as p', function () {
      this.on('p.tenant_id', '=', 'product_variants.tenant_id').andOn('p.id', '=', 'product_variants.product_id');
    })
    .leftJoin('variant_prices as vp', priceIn('vp', currency))
    .leftJoin('product_translations as pt', nameIn('pt', locale))
    .leftJoin(stock, 'sl.variant_id', 'product_variants.id')
    .select('product_variants.id', 'product_variants.product_id', 'product_variants.sku', 'product_variants.options', 'product_variants.status', 'p.status as product_status',
      'product_variants.weight', 'product_variants.weight_unit', 'product_variants.length', 'product_variants.width', 'product_variants.height', 'product_variants.dimension_unit', 'product_variants.hs_code', 'product_variants.origin_country',
      'vp.amount', 'pt.name', 'sl.on_hand', 'sl.reserved')
    .whereIn('product_variants.id', ids);
  if (currency !== base) q.leftJoin('variant_prices as bp', priceIn('bp', base)).select('bp.amount as base_amount');
  if (defaultLocale !== locale) q.leftJoin('product_translations as dt', nameIn('dt', defaultLocale)).select('dt.name as default_name');
  const variants = (await q) as Row[];
  // Neither locale: any translation, as before (rare: a product always has its default locale's).
  const unnamed = [...new Set(variants.filter((v) => v.name === null && !v.default_name).map((v) => v.product_id))];
  const anyName = new Map<string, string>();
  if (unnamed.length) {
    const rows = (await table(ctx, ProductTranslation).select('product_id', 'name').whereIn('product_id', unnamed).orderBy('locale')) as { product_id: string; name: string }[];
    for (const r of rows) if (!anyName.has(r.product_id)) anyName.set(r.product_id, r.name);
  }
  // In the store's own currency a conversion only comes when a market reprices its prices (tax display).
  const conv = await priceConversion(ctx, base, currency);
  const own = shiftsOwnPrices(conv);
  for (const v of variants) {
    const fixed = v.amount !== null && v.amount !== undefined ? Number(v.amount) : null;
    const basePrice = currency === base ? fixed : v.base_amount !== null && v.base_amount !== undefined ? Number(v.base_amount) : null;
    let unitAmount: number | null = own ? null : fixed;
    let converted = false;
    if (unitAmount === null && (currency !== base || own) && basePrice !== null && conv) {
      unitAmount = conv.convert(basePrice, 'product');
      converted = true;
    }
    const onHand = Number(v.on_hand ?? 0);
    const reserved = Number(v.reserved ?? 0);
    const options = parseOptions(v.options);
    const optionText = Object.values(options).join(' / ');
    const name = v.name ?? v.default_name ?? anyName.get(v.product_id) ?? '';
    out.set(v.id, {
      variantId: v.id,
      productId: v.product_id,
      sku: v.sku,
      title: optionText ? `${name} (${optionText})` : name,
      options,
      sellable: v.status === 'active' && v.product_status === 'active',
      unitAmount,
      converted,
      available: Math.max(0, onHand - reserved),
      shipping: shippingView({ weight: v.weight, weightUnit: v.weight_unit, length: v.length, width: v.width, height: v.height, dimensionUnit: v.dimension_unit, hsCode: v.hs_code, originCountry: v.origin_country }),
    });
  }
  return out;
}
