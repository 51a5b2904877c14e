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
import { MAX_UNIT_AMOUNT } from '../money/limits.js';
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
  /** The market (a code of the provider's) whose adjustment and rounding apply; null when none. */
  market?: string | null;
  /** The provider that answered (set by the core). */
  provider?: string | null;
  /**
   * What the provider needs to rebuild exactly this conversion later (JSON), so a cart can lock
   * it when checkout begins (requirement 35). Absent: the lock keeps the bare rate.
   */
  lock?: Record<string, unknown>;
}

/** A conversion a cart locked: the rate and its source and date, and the provider's own terms. */
export interface LockedConversion {
  provider: string | null;
  from: string;
  to: string;
  rate: string;
  source: string | null;
  asOf: string | null;
  market: string | null;
  lockedAt: string;
  data: Record<string, unknown> | null;
  /**
   * The converted unit price of each variant in the cart when the lock was taken (requirement 35),
   * by variant id: kept while the lock holds, whatever the base price does. Variants with a fixed
   * price in the currency are not in it; a line added later is priced with the locked conversion.
   */
  prices?: Record<string, number>;
}

/** How long a cart keeps the conversion it locked; after that it is priced (and locked) afresh. */
export const LOCK_TTL_MS = 24 * 3_600_000;

const perRequest = new WeakMap<object, Map<string, Promise<PriceConversion | null>>>();

/**
 * The conversion from `from` to `to` for this request (null when no rate is known). Asked once
 * per ctx and pair; a transaction's ctx asks again. From a currency to itself there is none
 * unless a provider shifts the store's own prices (see `shiftsOwnPrices`).
 */
export function priceConversion(ctx: TenantCtx, from: string, to: string, opts: { market?: string | null } = {}): Promise<PriceConversion | null> {
  let byPair = perRequest.get(ctx);
  if (!byPair) perRequest.set(ctx, (byPair = new Map()));
  const pinned = byPair.get(`${from}>${to}`);
  const pair = opts.market ? `${from}>${to}@${opts.market}` : `${from}>${to}`;
  let found = byPair.get(pair) ?? (opts.market && pinned && pinnedConversions.has(pinned) ? pinned : undefined);
  if (!found) byPair.set(pair, (found = resolve(ctx, from, to, opts.market ?? null)));
  return found;
}

const pinnedConversions = new WeakSet<Promise<PriceConversion | null>>();

/**
 * For the rest of this ctx, prices from `conv.from` to `conv.to` use `conv` (a cart's locked
 * conversion): lines, shipping and adjustments of one quote all price with the same rate.
 */
export function pinConversion(ctx: TenantCtx, conv: PriceConversion): void {
  let byPair = perRequest.get(ctx);
  if (!byPair) perRequest.set(ctx, (byPair = new Map()));
  const p = Promise.resolve(conv);
  pinnedConversions.add(p);
  byPair.set(`${conv.from}>${conv.to}`, p);
  if (conv.market) byPair.set(`${conv.from}>${conv.to}@${conv.market}`, p);
}

/**
 * Whether a conversion reprices the store's own prices in their own currency (from === to): a
 * market that shows tax where the store entered prices without it, or the other way (requirement
 * 36 of the cross-border spec). Then a price in that currency is not a fixed price there: it is
 * the base price, and it is shown converted like any other.
 */
export function shiftsOwnPrices(conv: PriceConversion | null | undefined): conv is PriceConversion {
  return Boolean(conv && conv.from === conv.to);
}

async function resolve(ctx: TenantCtx, from: string, to: string, market: string | null): Promise<PriceConversion | null> {
  for (const provider of await ctx.kernel.extensions.providers(ctx, 'fx-rates')) {
    if (!provider.conversion) continue;
    try {
      const c = await provider.conversion(ctx, from, to, market ? { market } : {});
      if (c) return { ...c, provider: provider.id };
    } catch (err) {
      ctx.log.warn({ err, provider: provider.id, from, to }, 'fx-rates provider failed to convert');
    }
  }
  if (from === to) return null;
  const rate = await exchangeRate(ctx, from, to);
  if (!rate) return null;
  return bareConversion(from, to, rate, null, null);
}

function bareConversion(from: string, to: string, rate: string, source: string | null, asOf: string | null): PriceConversion {
  return { from, to, rate, source, asOf, key: `r${rate}`, convert: (minor) => money(minor, from).convert(to, rate).toMinor() };
}

/** The conversion to lock on a cart now. */
export function lockOf(conv: PriceConversion, now = new Date()): LockedConversion {
  return { provider: conv.provider ?? null, from: conv.from, to: conv.to, rate: conv.rate, source: conv.source, asOf: conv.asOf, market: conv.market ?? null, lockedAt: now.toISOString(), data: conv.lock ?? null };
}

/** Whether a cart's lock still prices `from` -> `to` in `market`. */
export function lockHolds(lock: LockedConversion | null | undefined, from: string, to: string, market: string | null | undefined, now = Date.now()): lock is LockedConversion {
  if (!lock || lock.from !== from || lock.to !== to) return false;
  if (market && lock.market !== market) return false;
  const at = Date.parse(lock.lockedAt);
  return Number.isFinite(at) && now - at < LOCK_TTL_MS && now >= at - 60_000;
}

/** A locked conversion rebuilt: by the provider that made it when it can, else from the bare rate. */
export async function restoreConversion(ctx: TenantCtx, lock: LockedConversion): Promise<PriceConversion> {
  if (lock.provider && lock.data) {
    const provider = (await ctx.kernel.extensions.providers(ctx, 'fx-rates')).find((p) => p.id === lock.provider);
    if (provider?.restore) {
      try {
        const c = provider.restore(ctx, lock);
        if (c) return { ...c, provider: provider.id, market: lock.market };
      } catch (err) {
        ctx.log.warn({ err, provider: provider.id }, 'fx-rates provider could not restore a locked conversion; the bare rate prices');
      }
    }
  }
  return { ...bareConversion(lock.from, lock.to, lock.rate, lock.source, lock.asOf), market: lock.market, key: `lock|${lock.rate}|${lock.lockedAt}` };
}

/** The inverse bounds of a monotone conversion: the base amounts whose converted value is within [min, max]. */
export function baseBounds(conv: PriceConversion, min: number | undefined, max: number | undefined, limit = MAX_UNIT_AMOUNT): { min: number | undefined; max: number | undefined } {
  // Conversions are monotone (rate, adjustment, half-even, a rounding rule all keep the order).
  const c = (b: number) => {
    try {
      return conv.convert(b, 'product');
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  };
  // smallest b with c(b) >= target
  const lowest = (target: number): number => {
    let lo = 0;
    let hi = Math.floor(limit);
    if (c(hi) < target) return hi + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (c(mid) >= target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return {
    min: min === undefined ? undefined : lowest(min),
    max: max === undefined ? undefined : lowest(max + 1) - 1,
  };
}

/** The base-currency amount converted, or null when there is no conversion. */
export function convertOrNull(conversion: PriceConversion | null, minor: number | null | undefined, kind: PriceKind = 'product'): number | null {
  if (!conversion || minor === null || minor === undefined) return null;
  return conversion.convert(Number(minor), kind);
}
