// The scorecard's arithmetic (ONB-11), kept pure so the spec's vectors test it directly: the rates
// of a window, which of them breach the thresholds, the week and quarter a penalty belongs to, and
// the restriction tiers the quarter's points reach.

export interface ScoreThresholds {
  /** Highest allowed rates, in percent, and the lowest allowed valid-tracking rate. */
  odrMax: number;
  cancelRateMax: number;
  lateShipmentRateMax: number;
  validTrackingRateMin: number;
  returnRateMax: number;
}

export interface WindowCounts {
  orders: number;
  /** Orders with a 1-2 star rating, a chargeback or a guarantee claim. */
  defective: number;
  cancelledBySeller: number;
  shipped: number;
  shippedLate: number;
  validTracking: number;
  returned: number;
  ratings: number;
  ratingSum: number;
}

export type Rates = Record<'odr' | 'cancelRate' | 'lateShipmentRate' | 'validTrackingRate' | 'returnRate' | 'averageRating', number | null>;

/** Percent with two decimals; null when there is nothing to divide by. */
export const pct = (n: number, d: number): number | null => (d ? Math.round((n / d) * 10_000) / 100 : null);

export function scoreRates(s: WindowCounts): Rates {
  return {
    odr: pct(s.defective, s.orders),
    cancelRate: pct(s.cancelledBySeller, s.orders),
    lateShipmentRate: pct(s.shippedLate, s.shipped),
    validTrackingRate: pct(s.validTracking, s.shipped),
    returnRate: pct(s.returned, s.orders),
    averageRating: s.ratings ? Math.round((s.ratingSum / s.ratings) * 100) / 100 : null,
  };
}

/** The breached metrics: a rate at or past its maximum (ODR < 1% is the target, so 1% breaches), tracking below its minimum. */
export function scoreBreaches(r: Rates, orders: number, t: ScoreThresholds & { minOrders: number }): string[] {
  if (orders < t.minOrders) return [];
  const out: string[] = [];
  if (r.odr !== null && r.odr >= t.odrMax) out.push('odr');
  if (r.cancelRate !== null && r.cancelRate >= t.cancelRateMax) out.push('cancelRate');
  if (r.lateShipmentRate !== null && r.lateShipmentRate >= t.lateShipmentRateMax) out.push('lateShipmentRate');
  if (r.validTrackingRate !== null && r.validTrackingRate < t.validTrackingRateMin) out.push('validTrackingRate');
  if (r.returnRate !== null && r.returnRate >= t.returnRateMax) out.push('returnRate');
  return out;
}

/** The Monday (UTC) of the date's week, as YYYY-MM-DD: penalties accrue once a week. */
export function weekOf(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** The calendar quarter of a week's Monday, `2026-Q4`: points reset when it changes. */
export function quarterOf(week: string): string {
  return `${week.slice(0, 4)}-Q${Math.floor((Number(week.slice(5, 7)) - 1) / 3) + 1}`;
}

export const RESTRICTION_KINDS = ['no_campaigns', 'deboost', 'no_new_listings'] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];

/** The tiers (3/6/9 by default: no campaigns, de-boost, no new listings) that `points` reach. */
export function tiersReached(points: number, tiers: number[]): { level: number; kind: RestrictionKind }[] {
  return tiers.map((level, i) => ({ level, kind: RESTRICTION_KINDS[Math.min(i, RESTRICTION_KINDS.length - 1)] })).filter((t) => points >= t.level);
}
