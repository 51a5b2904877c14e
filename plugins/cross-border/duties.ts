// Duties of a DDP market: the percentage for the destination country (else the market's "*"
// rate), on the goods subtotal, nothing below the market's threshold; rounded half-even to a
// minor unit. A DAP market charges nothing here: the store shows the buyer a notice instead.
import type { Market } from './cross-border.model.js';
import { parseDecimal } from './pricing.js';

export function dutiesFor(market: Pick<Market, 'dutiesMode' | 'dutyRates' | 'dutyThreshold' | 'currency'>, country: string, currency: string, subtotal: number): number {
  if (market.dutiesMode !== 'DDP' || market.currency !== currency || subtotal <= 0) return 0;
  if (market.dutyThreshold !== null && market.dutyThreshold !== undefined && subtotal < Number(market.dutyThreshold)) return 0;
  const pct = market.dutyRates?.[country] ?? market.dutyRates?.['*'];
  if (!pct) return 0;
  const f = parseDecimal(pct);
  const num = BigInt(subtotal) * f.num;
  const den = f.den * 100n;
  const q = num / den;
  const twice = (num % den) * 2n;
  return Number(twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q);
}
