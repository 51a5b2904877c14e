// The exchange rate an order locks at checkout: 1 when the cart is in the store's default
// currency, else the first `fx-rates` provider that knows the pair (the cross-border plugin
// brings them; the core ships none). With no rate known the order keeps null: fixed prices per
// currency still sell, and nothing pretends to know a rate it does not.
import type { TenantCtx } from '../context.js';
import type { Provider } from '../extensions.js';
import type { LockedConversion, PriceConversion } from '../catalog/pricing.js';

/** What a market decides about a cart besides its prices: its code, currency and tax display. */
export interface MarketTerms {
  code: string;
  currency: string;
  /** 'inclusive': prices are entered and shown with tax, decomposed at checkout; null: the store's. */
  taxMode: 'inclusive' | 'exclusive' | null;
  /** The market's tax rate in basis points; null: the store's. */
  taxRateBp: number | null;
}

export interface FxRatesProvider extends Provider {
  /** Units of `to` per one unit of `from`, as a decimal string ("0.9123"); null when unknown. */
  rate(ctx: TenantCtx, from: string, to: string): Promise<string | null>;
  /**
   * Optional: the whole conversion of a price (rate, then the store's adjustment and rounding
   * rule), with the rate's source and date. core/catalog/pricing.ts asks it first. Asked with
   * `from === to` too: answer null unless the store's own prices are shown otherwise in this
   * currency (a market's tax display); such an answer reprices every price in that currency.
   */
  conversion?(ctx: TenantCtx, from: string, to: string, opts?: { market?: string | null }): Promise<PriceConversion | null>;
  /** Optional: rebuilds a conversion this provider made, from what a cart locked (its `lock` data). */
  restore?(ctx: TenantCtx, lock: LockedConversion): PriceConversion | null;
  /**
   * Optional: a cart's market. With `country` (the shipping address): the market that country
   * belongs to, unless the shopper chose one explicitly in this request; with `code`: that market;
   * else the request's market for `currency`. Null: no market, the store's own terms.
   */
  market?(ctx: TenantCtx, query: { code?: string | null; country?: string | null; currency: string }): Promise<MarketTerms | null>;
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

/** A cart's market terms from the first provider that has markets; null when none does. */
export async function marketTerms(ctx: TenantCtx, query: { code?: string | null; country?: string | null; currency: string }): Promise<MarketTerms | null> {
  for (const provider of await ctx.kernel.extensions.providers(ctx, 'fx-rates')) {
    if (!provider.market) continue;
    try {
      const terms = await provider.market(ctx, query);
      if (terms) return terms;
    } catch (err) {
      ctx.log.warn({ err, provider: provider.id }, 'fx-rates provider failed to name a market');
    }
  }
  return null;
}
