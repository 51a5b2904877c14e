// The exchange rate an order locks at checkout: 1 when the cart is in the store's default
// currency, else the first `fx-rates` provider that knows the pair (the cross-border plugin
// brings them; the core ships none). With no rate known the order keeps null: fixed prices per
// currency still sell, and nothing pretends to know a rate it does not.
import type { TenantCtx } from '../context.js';
import type { Provider } from '../extensions.js';
import type { PriceConversion } from '../catalog/pricing.js';

export interface FxRatesProvider extends Provider {
  /** Units of `to` per one unit of `from`, as a decimal string ("0.9123"); null when unknown. */
  rate(ctx: TenantCtx, from: string, to: string): Promise<string | null>;
  /**
   * Optional: the whole conversion of a price (rate, then the store's adjustment and rounding
   * rule), with the rate's source and date. core/catalog/pricing.ts asks it first.
   */
  conversion?(ctx: TenantCtx, from: string, to: string): Promise<PriceConversion | null>;
}

declare module '../extensions.js' {
  interface ProviderMap {
    'fx-rates': FxRatesProvider;
  }
}

const DECIMAL = /^\d{1,12}(\.\d{1,12})?$/;

export async function exchangeRate(ctx: TenantCtx, from: string, to: string): Promise<string | null> {
  if (from === to) return '1';
  for (const provider of await ctx.kernel.extensions.providers(ctx, 'fx-rates')) {
    try {
      const rate = await provider.rate(ctx, from, to);
      if (rate && DECIMAL.test(rate) && !/^0+(\.0+)?$/.test(rate)) return rate;
    } catch (err) {
      ctx.log.warn({ err, provider: provider.id, from, to }, 'fx-rates provider failed');
    }
  }
  return null;
}
