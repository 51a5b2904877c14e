// The price point: every place that shows or charges a price in a currency the product has no
// fixed price in (product lists, product pages, search results, carts, shipping) asks here, and
// gets one conversion per request and currency pair. An `fx-rates` provider may answer with a
// whole conversion (rate, adjustment, rounding rule: the cross-border plugin's markets); else a
// bare rate from any provider converts with half-even rounding; else there is no price.
//
// A conversion carries `key`, which changes whenever its result could: cached catalog answers
// include it in their keys, so a new rate is seen without bumping the catalog's version.
import type { TenantCtx } from '../context.js';
import { money } from '../money/money.js';
import { exchangeRate } from '../orders/fx-rates.provider.js';

/** What a price is for: rounding rules apply to products and shipping, never to gift cards. */
export type PriceKind = 'product' | 'shipping' | 'giftCard';

export interface PriceConversion {
  from: string;
  to: string;
  /** Units of `to` per one unit of `from`, a decimal string. */
  rate: string;
  /** Where the rate came from ("ecb", "oxr", "manual"...); null when the provider does not say. */
  source: string | null;
  /** The date the rate is for (YYYY-MM-DD or an ISO timestamp); null when unknown. */
  asOf: string | null;
  /** Changes whenever convert() could answer differently. */
  key: string;
  /** Minor units of `from` to minor units of `to`. Synchronous: rates are read once per request. */
  convert(minor: number, kind?: PriceKind): number;
}

const perRequest = new WeakMap<object, Map<string, Promise<PriceConversion | null>>>();

/**
 * The conversion from `from` to `to` for this request (null when `from` is `to` or no rate is
 * known). Asked once per ctx and pair; a transaction's ctx asks again.
 */
export function priceConversion(ctx: TenantCtx, from: string, to: string): Promise<PriceConversion | null> {
  if (from === to) return Promise.resolve(null);
  let byPair = perRequest.get(ctx);
  if (!byPair) perRequest.set(ctx, (byPair = new Map()));
  const pair = `${from}>${to}`;
  let found = byPair.get(pair);
  if (!found) byPair.set(pair, (found = resolve(ctx, from, to)));
  return found;
}

async function resolve(ctx: TenantCtx, from: string, to: string): Promise<PriceConversion | null> {
  for (const provider of await ctx.kernel.extensions.providers(ctx, 'fx-rates')) {
    if (!provider.conversion) continue;
    try {
      const c = await provider.conversion(ctx, from, to);
      if (c) return c;
    } catch (err) {
      ctx.log.warn({ err, provider: provider.id, from, to }, 'fx-rates provider failed to convert');
    }
  }
  const rate = await exchangeRate(ctx, from, to);
  if (!rate) return null;
  return { from, to, rate, source: null, asOf: null, key: `r${rate}`, convert: (minor) => money(minor, from).convert(to, rate).toMinor() };
}

/** The base-currency amount converted, or null when there is no conversion. */
export function convertOrNull(conversion: PriceConversion | null, minor: number | null | undefined, kind: PriceKind = 'product'): number | null {
  if (!conversion || minor === null || minor === undefined) return null;
  return conversion.convert(Number(minor), kind);
}
