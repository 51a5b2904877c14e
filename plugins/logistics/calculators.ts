// Eligibility (whether a method applies) and calculators (what it costs), kept apart as in
// Vendure: a method has any number of checks and exactly one calculator. Everything here is
// pure: amounts are integer minor units of the method's currency, weights are converted from
// the unit each variant was given in, and float noise is cut at 6 decimals before any rounding.
import type { DimensionUnit, ShippingInputLine, WeightUnit } from '@bazaar/sdk';

const GRAMS: Record<WeightUnit, number> = { g: 1, kg: 1000, lb: 453.59237, oz: 28.349523125 };
const MILLIMETRES: Record<DimensionUnit, number> = { mm: 1, cm: 10, in: 25.4 };

const clean = (n: number): number => Math.round(n * 1e6) / 1e6;
export const convertWeight = (value: number, from: WeightUnit, to: WeightUnit): number => clean((value * GRAMS[from]) / GRAMS[to]);
export const convertLength = (value: number, from: DimensionUnit, to: DimensionUnit): number => clean((value * MILLIMETRES[from]) / MILLIMETRES[to]);

export interface Bracket {
  /** Inclusive lower bound. */
  min: number;
  /** Exclusive upper bound; none on the top bracket means no limit. */
  max?: number;
  amount: number;
}

export type AboveTop = { mode: 'reject' } | { mode: 'per_unit'; amount: number };

export type Calculator =
  | { type: 'flat'; amount: number }
  | { type: 'per_item'; amount: number; base?: number }
  | { type: 'weight'; unit: WeightUnit; brackets: Bracket[]; above?: AboveTop }
  | { type: 'order_value'; brackets: Bracket[]; freeOver?: number }
  | { type: 'dimensional'; weightUnit: 'kg' | 'lb'; dimensionUnit: 'cm' | 'in'; divisor: number; brackets: Bracket[]; above?: AboveTop }
  /** Live rates of a carrier (priced by carriers.service, not here); `services` filters them, `markup` is added. */
  | { type: 'carrier'; carrier: 'easypost' | 'cainiao'; services?: string[]; markup?: number };

export interface Eligibility {
  weight?: { unit: WeightUnit; min?: number; max?: number };
  subtotal?: { min?: number; max?: number };
  excludedProductIds?: string[];
  excludedCategoryIds?: string[];
  customerGroups?: string[];
}

/** Which subtotal a method compares: after the order's discounts (the default) or before them. */
export type SubtotalBasis = 'after_discounts' | 'before_discounts';

export interface CalcInput {
  /** Compared subtotal in the method's currency, as displayed, after or before the order's discounts (the method's `subtotalBasis`). */
  subtotal: number;
  lines: ShippingInputLine[];
  /** Category ids per product, when a method excludes categories. */
  categories?: Map<string, string[]>;
  /** Groups of the cart's customer. */
  groups?: string[];
}

export type Ineligible = { reason: 'weight_unknown' | 'weight' | 'subtotal' | 'excluded_product' | 'excluded_category' | 'customer_group' | 'no_bracket' };

/** Total actual weight in `unit`, or null when a line has no weight. */
export function totalWeight(lines: ShippingInputLine[], unit: WeightUnit): number | null {
  let total = 0;
  for (const l of lines) {
    if (!l.weight) return null;
    total += convertWeight(l.weight.value, l.weight.unit, unit) * l.quantity;
  }
  return clean(total);
}

/**
 * Billable weight of one parcel: max(actual, L×W×H / divisor) with each dimension rounded to
 * the nearest whole unit first, the result rounded up to the next whole weight unit (UPS).
 */
export function billableWeight(actual: number, dims: { length: number; width: number; height: number } | null, divisor: number): number {
  const dim = dims ? (Math.round(dims.length) * Math.round(dims.width) * Math.round(dims.height)) / divisor : 0;
  return Math.ceil(clean(Math.max(actual, dim)));
}

/** Sum of billable weights, each unit of each line being its own parcel; null when a weight is missing. */
export function totalBillable(lines: ShippingInputLine[], c: { weightUnit: WeightUnit; dimensionUnit: DimensionUnit; divisor: number }): number | null {
  let total = 0;
  for (const l of lines) {
    if (!l.weight) return null;
    const actual = convertWeight(l.weight.value, l.weight.unit, c.weightUnit);
    const d = l.dimensions;
    const dims = d ? { length: convertLength(d.length, d.unit, c.dimensionUnit), width: convertLength(d.width, d.unit, c.dimensionUnit), height: convertLength(d.height, d.unit, c.dimensionUnit) } : null;
    total += billableWeight(actual, dims, c.divisor) * l.quantity;
  }
  return total;
}

function fromBrackets(value: number, brackets: Bracket[], above?: AboveTop): number | null {
  const sorted = [...brackets].sort((a, b) => a.min - b.min);
  const hit = sorted.find((b) => value >= b.min && (b.max === undefined || value < b.max));
  if (hit) return hit.amount;
  const top = sorted[sorted.length - 1];
  if (!top || top.max === undefined || value < top.max || !above || above.mode === 'reject') return null;
  return top.amount + Math.ceil(clean(value - top.max)) * above.amount;
}

export function checkEligibility(e: Eligibility, input: CalcInput): Ineligible | null {
  if (e.weight) {
    const w = totalWeight(input.lines, e.weight.unit);
    if (w === null) return { reason: 'weight_unknown' };
    if ((e.weight.min !== undefined && w < e.weight.min) || (e.weight.max !== undefined && w >= e.weight.max)) return { reason: 'weight' };
  }
  if (e.subtotal && ((e.subtotal.min !== undefined && input.subtotal < e.subtotal.min) || (e.subtotal.max !== undefined && input.subtotal >= e.subtotal.max))) return { reason: 'subtotal' };
  if (e.excludedProductIds?.length && input.lines.some((l) => e.excludedProductIds!.includes(l.productId))) return { reason: 'excluded_product' };
  if (e.excludedCategoryIds?.length && input.lines.some((l) => (input.categories?.get(l.productId) ?? []).some((c) => e.excludedCategoryIds!.includes(c)))) return { reason: 'excluded_category' };
  if (e.customerGroups?.length && !(input.groups ?? []).some((g) => e.customerGroups!.includes(g))) return { reason: 'customer_group' };
  return null;
}

/** The price in minor units of the method's currency, or null when the calculator cannot price this cart. */
export function calculate(c: Calculator, input: CalcInput): number | null {
  switch (c.type) {
    case 'flat':
      return c.amount;
    case 'per_item':
      return (c.base ?? 0) + c.amount * input.lines.reduce((n, l) => n + l.quantity, 0);
    case 'weight': {
      const w = totalWeight(input.lines, c.unit);
      return w === null ? null : fromBrackets(w, c.brackets, c.above);
    }
    case 'order_value':
      if (c.freeOver !== undefined && input.subtotal >= c.freeOver) return 0;
      return fromBrackets(input.subtotal, c.brackets);
    case 'dimensional': {
      const w = totalBillable(input.lines, { weightUnit: c.weightUnit, dimensionUnit: c.dimensionUnit, divisor: c.divisor });
      return w === null ? null : fromBrackets(w, c.brackets, c.above);
    }
    case 'carrier':
      return null;
  }
}

/** Brackets must not overlap; the problem, or null. */
export function badBrackets(brackets: Bracket[]): string | null {
  const sorted = [...brackets].sort((a, b) => a.min - b.min);
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i];
    if (b.max !== undefined && b.max <= b.min) return `bracket starting at ${b.min} ends before it starts`;
    const next = sorted[i + 1];
    if (next && (b.max === undefined || b.max > next.min)) return `brackets starting at ${b.min} and ${next.min} overlap`;
  }
  return null;
}
