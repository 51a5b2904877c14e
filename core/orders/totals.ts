// Cart and order totals in integer minor units. Adjustments are spread over the lines and
// shipping with Money.allocate, so every line knows its exact share and the shares add up to the
// totals to the unit: a partial refund of a line can then never drift from what was paid.
// Tax follows the store's rounding (requirement 4 of the cross-border spec): by default each
// line's tax is rounded on its own, half-even, and the tax is their sum ("round at the line, then
// sum"); a store may round half-up, or round the tax of the whole taxable total once and spread it.
import { money, sum, type Money, type Rounding } from '../money/money.js';
import type { AdjustmentLine } from './order.types.js';

export interface PricedLine {
  key: string;
  unitAmount: number;
  quantity: number;
}

export interface LineTotals {
  key: string;
  subtotal: number;
  adjustment: number;
  tax: number;
  total: number;
}

export interface Totals {
  currency: string;
  subtotal: number;
  /** The adjustments that apply, each cut so the order never goes below zero. */
  adjustmentLines: AdjustmentLine[];
  adjustments: number;
  shipping: number;
  tax: number;
  total: number;
  taxMode: 'inclusive' | 'exclusive';
  taxRateBp: number;
  /** How the tax was rounded: per part (each line and shipping) or once on the total; the mode. */
  taxRounding: TaxRounding;
  lines: LineTotals[];
  /** Shipping's share of adjustments and tax. */
  shippingLine: { subtotal: number; adjustment: number; tax: number; total: number };
}

/** A store's tax rounding: where (each line, or the taxable total once) and how (half-even or half-up). */
export interface TaxRounding {
  per: 'line' | 'total';
  mode: Extract<Rounding, 'halfEven' | 'halfUp'>;
}

export const DEFAULT_TAX_ROUNDING: TaxRounding = Object.freeze({ per: 'line', mode: 'halfEven' }) as TaxRounding;

/**
 * m × num / den rounded half-even (or half-up when asked). money.ts multiplies by decimal ratios only; tax-inclusive
 * prices need bp / (10000 + bp), which has no finite decimal form.
 */
export function fraction(m: Money, num: number, den: number, mode: 'halfEven' | 'halfUp' = 'halfEven'): Money {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || den <= 0 || num < 0) throw new RangeError('fraction needs integers, den > 0');
  const a = BigInt(m.toMinor()) * BigInt(num);
  const d = BigInt(den);
  const negative = a < 0n;
  const abs = negative ? -a : a;
  let q = abs / d;
  const r = abs % d;
  if (r * 2n > d || (r * 2n === d && (mode === 'halfUp' || q % 2n === 1n))) q += 1n;
  return money(negative ? -q : q, m.currency);
}

/** Proportional shares of `amount` by non-negative weights, exact to the unit; equal shares when all weights are 0. */
function spread(amount: Money, weights: number[]): Money[] {
  if (weights.length === 0) return [];
  if (amount.isZero()) return weights.map(() => money(0, amount.currency));
  const usable = weights.some((w) => w > 0) ? weights : weights.map(() => 1);
  return amount.allocate(usable);
}

/** Keeps adjustments in order, cutting the first one that would take the total below zero (and dropping the rest of the discounts). */
export function capAdjustments(base: Money, adjustments: AdjustmentLine[]): AdjustmentLine[] {
  const out: AdjustmentLine[] = [];
  let running = base;
  for (const a of adjustments) {
    let amount = money(a.amount, base.currency);
    if (running.add(amount).isNegative()) amount = money(-running.toMinor(), base.currency);
    if (amount.isZero()) continue;
    running = running.add(amount);
    out.push({ ...a, amount: amount.toMinor() });
  }
  return out;
}

export function computeTotals(input: {
  currency: string;
  lines: PricedLine[];
  shippingAmount: number;
  adjustments: AdjustmentLine[];
  taxMode: 'inclusive' | 'exclusive';
  taxRateBp: number;
  taxRounding?: TaxRounding;
}): Totals {
  const cur = input.currency;
  const lineSubtotals = input.lines.map((l) => money(l.unitAmount, cur).multiply(l.quantity));
  const subtotal = sum(lineSubtotals, cur);
  const shipping = money(input.shippingAmount, cur);
  const base = subtotal.add(shipping);
  const adjustmentLines = capAdjustments(base, input.adjustments);
  const adjustments = sum(adjustmentLines.map((a) => money(a.amount, cur)), cur);

  // Parts: every line, then shipping last.
  const bases = [...lineSubtotals, shipping];
  const adjShares = spread(adjustments, bases.map((b) => b.toMinor()));
  const taxable = bases.map((b, i) => b.add(adjShares[i]));
  const taxableTotal = sum(taxable, cur);
  const bp = input.taxRateBp;
  const rounding = input.taxRounding ?? DEFAULT_TAX_ROUNDING;
  const taxOf = (m: Money) => (bp === 0 ? money(0, cur) : input.taxMode === 'exclusive' ? fraction(m, bp, 10_000, rounding.mode) : fraction(m, bp, 10_000 + bp, rounding.mode));
  let tax: Money;
  let taxShares: Money[];
  if (rounding.per === 'line') {
    // Each part's tax rounded on its own; the tax is their sum.
    taxShares = taxable.map(taxOf);
    tax = sum(taxShares, cur);
  } else {
    // Rounded once on the taxable total, then spread exactly over the parts.
    tax = taxOf(taxableTotal);
    taxShares = spread(tax, taxable.map((t) => t.toMinor()));
  }
  const partTotal = (i: number) => (input.taxMode === 'exclusive' ? taxable[i].add(taxShares[i]) : taxable[i]);
  const total = input.taxMode === 'exclusive' ? taxableTotal.add(tax) : taxableTotal;

  const last = bases.length - 1;
  return {
    currency: cur,
    subtotal: subtotal.toMinor(),
    adjustmentLines,
    adjustments: adjustments.toMinor(),
    shipping: shipping.toMinor(),
    tax: tax.toMinor(),
    total: total.toMinor(),
    taxMode: input.taxMode,
    taxRateBp: bp,
    taxRounding: { per: rounding.per, mode: rounding.mode },
    lines: input.lines.map((l, i) => ({
      key: l.key,
      subtotal: lineSubtotals[i].toMinor(),
      adjustment: adjShares[i].toMinor(),
      tax: taxShares[i].toMinor(),
      total: partTotal(i).toMinor(),
    })),
    shippingLine: { subtotal: shipping.toMinor(), adjustment: adjShares[last].toMinor(), tax: taxShares[last].toMinor(), total: partTotal(last).toMinor() },
  };
}

/**
 * What `quantity` more units of a line are worth when `already` were returned before: the
 * difference of two rounded shares, so returning a line piece by piece adds up to its total.
 */
export function lineShare(lineTotal: number, lineQuantity: number, already: number, quantity: number, currency: string): number {
  const t = money(lineTotal, currency);
  return fraction(t, already + quantity, lineQuantity).subtract(fraction(t, already, lineQuantity)).toMinor();
}
