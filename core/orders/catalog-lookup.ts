// What the cart needs to know about variants: are they for sale, what do they cost in the cart's
// currency, what are they called, how many are available. Read from the catalog's tables through
// scoped queries; prices are the catalog's fixed price in that currency, else the base price
// converted through the price point (core/catalog/pricing.ts) when a rate is known.
import type { TenantCtx } from '../context.js';
import { ProductTranslation, Variant, VariantPrice } from '../catalog/catalog.model.js';
import { availableByVariant } from '../catalog/inventory.service.js';
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

export async function lookupVariants(ctx: TenantCtx, variantIds: string[], currency: string): Promise<Map<string, VariantInfo>> {
  const out = new Map<string, VariantInfo>();
  const ids = [...new Set(variantIds)];
  if (!ids.length) return out;
  const base = ctx.tenant.defaultCurrency;
  const currencies = currency === base ? [currency] : [currency, base];
  const [variants, prices, stock] = await Promise.all([
    table(ctx, Variant)
      .join('products as p', function () {
        this.on('p.tenant_id', '=', 'product_variants.tenant_id').andOn('p.id', '=', 'product_variants.product_id');
      })
      .select('product_variants.id', 'product_variants.product_id', 'product_variants.sku', 'product_variants.options', 'product_variants.status', 'p.status as product_status',
        'product_variants.weight', 'product_variants.weight_unit', 'product_variants.length', 'product_variants.width', 'product_variants.height', 'product_variants.dimension_unit', 'product_variants.hs_code', 'product_variants.origin_country')
      .whereIn('product_variants.id', ids) as Promise<{ id: string; product_id: string; sku: string; options: unknown; status: string; product_status: string; weight: string | number | null; weight_unit: string | null; length: string | number | null; width: string | number | null; height: string | number | null; dimension_unit: string | null; hs_code: string | null; origin_country: string | null }[]>,
    table(ctx, VariantPrice).select('variant_id', 'currency', 'amount').whereIn('variant_id', ids).whereIn('currency', currencies) as Promise<{ variant_id: string; currency: string; amount: number | string }[]>,
    availableByVariant(ctx, ids),
  ]);
  const productIds = [...new Set(variants.map((v) => v.product_id))];
  const locales = [...new Set([ctx.locale, ctx.tenant.defaultLocale])];
  const names = productIds.length
    ? ((await table(ctx, ProductTranslation).select('product_id', 'locale', 'name').whereIn('product_id', productIds)) as { product_id: string; locale: string; name: string }[])
    : [];
  const nameOf = (productId: string): string => {
    const mine = names.filter((n) => n.product_id === productId);
    for (const l of locales) {
      const hit = mine.find((n) => n.locale === l);
      if (hit) return hit.name;
    }
    return mine[0]?.name ?? '';
  };
  // In the store's own currency a conversion only comes when a market reprices its prices (tax display).
  const conv = await priceConversion(ctx, base, currency);
  const own = shiftsOwnPrices(conv);
  for (const v of variants) {
    const fixed = own ? undefined : prices.find((p) => p.variant_id === v.id && p.currency === currency);
    let unitAmount: number | null = fixed ? Number(fixed.amount) : null;
    let converted = false;
    if (unitAmount === null && (currency !== base || own)) {
      const basePrice = prices.find((p) => p.variant_id === v.id && p.currency === base);
      if (basePrice && conv) {
        unitAmount = conv.convert(Number(basePrice.amount), 'product');
        converted = true;
      }
    }
    const s = stock.get(v.id) ?? { onHand: 0, reserved: 0 };
    const options = parseOptions(v.options);
    const optionText = Object.values(options).join(' / ');
    out.set(v.id, {
      variantId: v.id,
      productId: v.product_id,
      sku: v.sku,
      title: optionText ? `${nameOf(v.product_id)} (${optionText})` : nameOf(v.product_id),
      options,
      sellable: v.status === 'active' && v.product_status === 'active',
      unitAmount,
      converted,
      available: Math.max(0, s.onHand - s.reserved),
      shipping: shippingView({ weight: v.weight, weightUnit: v.weight_unit, length: v.length, width: v.width, height: v.height, dimensionUnit: v.dimension_unit, hsCode: v.hs_code, originCountry: v.origin_country }),
    });
  }
  return out;
}
