// Price conversion with exact decimal arithmetic (bigint fractions, never a float), in one fixed
// order (requirement 32):
//
//   base price -> x rate -> x (1 + adjustment%) -> x tax display shift (requirement 36: a net
//   base price shown in a market that shows tax gets the market's tax) -> round to the
//   currency's exponent (half-even) -> rounding rule (products and shipping only, never gift cards)
//
// A rounding rule is { mode, step, ending } in major units: the price becomes the value that
// ends in `ending` modulo `step`; `mode: 'up'` takes the first such value at or above the price,
// `mode: 'nearest'` the closest one (a tie goes up). Examples:
//   { up, step "1", ending "0.99" }     EUR 9.70 -> 9.99, 10.00 -> 10.99, 9.99 stays
//   { up, step "1", ending "0.95" }     GBP 12.10 -> 12.95
//   { nearest, step "100", ending "0" } JPY 1,249 -> 1,200; 1,250 -> 1,300
//   { up, step "1", ending "0" }        whole units, rounding up
import { exponentOf } from '@bazaar/sdk';

export interface RoundingRule {
  mode: 'up' | 'nearest';
  /** Major units, a decimal string: "1", "100", "0.05". */
  step: string;
  /** Major units below `step`: "0.99", "0". */
  ending: string;
}

export interface Fraction {
  num: bigint;
  den: bigint;
}

const DEC = /^(\d{1,15})(?:\.(\d{1,15}))?$/;

export function parseDecimal(text: string): Fraction {
  const m = DEC.exec(text);
  if (!m) throw new Error(`"${text}" is not a decimal number`);
  const frac = m[2] ?? '';
  return { num: BigInt(m[1] + frac), den: 10n ** BigInt(frac.length) };
}

/** A signed percentage ("5", "-12.5") as the factor 1 + p/100. */
export function percentFactor(pct: string | null | undefined): Fraction {
  if (!pct) return { num: 1n, den: 1n };
  const negative = pct.startsWith('-');
  const p = parseDecimal(negative ? pct.slice(1) : pct);
  const signed = negative ? -p.num : p.num;
  return { num: p.den * 100n + signed, den: p.den * 100n };
}

/** How a converted price between two minor units rounds (the core's names; default half-even). */
export type RoundingMode = 'halfEven' | 'halfUp' | 'up' | 'down';

/** num / den rounded half-even to an integer (den > 0, num >= 0). */
function halfEven(num: bigint, den: bigint): bigint {
  return roundTo(num, den, 'halfEven');
}

/** num / den rounded to an integer by `mode` (den > 0, num >= 0). */
export function roundTo(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den;
  const r = num % den;
  if (r === 0n) return q;
  if (mode === 'down') return q;
  if (mode === 'up') return q + 1n;
  const twice = r * 2n;
  if (mode === 'halfUp') return twice >= den ? q + 1n : q;
  return twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q;
}

/** Minor units of the rule's step and ending in a currency; throws when they need more digits than it has. */
export function ruleInMinor(rule: RoundingRule, currency: string): { step: bigint; ending: bigint } {
  const scale = 10n ** BigInt(exponentOf(currency));
  const toMinor = (text: string): bigint => {
    const f = parseDecimal(text);
    if ((f.num * scale) % f.den !== 0n) throw new Error(`${text} has more decimals than ${currency} has`);
    return (f.num * scale) / f.den;
  };
  const step = toMinor(rule.step);
  const ending = toMinor(rule.ending);
  if (step <= 0n) throw new Error('a rounding step must be above zero');
  if (ending >= step) throw new Error('a rounding ending must be below its step');
  return { step, ending };
}

/** Applies a rounding rule to an amount in minor units (>= 0). */
export function applyRule(minor: bigint, rule: { mode: 'up' | 'nearest'; step: bigint; ending: bigint }): bigint {
  const { step, ending } = rule;
  const offset = (((minor - ending) % step) + step) % step;
  const below = minor - offset; // the last value at or below `minor` that ends right
  if (offset === 0n) return minor;
  const above = below + step;
  if (rule.mode === 'up') return above;
  const candidate = above - minor <= minor - below ? above : below;
  return candidate < 0n ? above : candidate;
}

export interface ConversionSpec {
  from: string;
  to: string;
  rate: string;
  adjustmentPct?: string | null;
  /**
   * The tax display shift (requirement 36), as a factor: base prices entered without tax shown in
   * a market that shows tax are x (1 + market rate); the other way / (1 + store rate). Null: none.
   */
  tax?: { num: number; den: number } | null;
  rounding?: RoundingRule | null;
  /** Rounding to the currency's exponent (the store's setting; default half-even). */
  roundingMode?: RoundingMode;
}

/** The factor that takes a store's base price (entered with or without tax) to a market's display. */
export function taxShift(store: { taxMode: 'inclusive' | 'exclusive'; taxRateBp: number }, market: { pricesIncludeTax: boolean; taxRateBp: number | null } | undefined): { num: number; den: number } | null {
  if (!market) return null;
  const m = market.taxRateBp ?? store.taxRateBp;
  const t = store.taxRateBp;
  const entered = store.taxMode === 'inclusive' ? 10_000 + t : 10_000;
  const shown = market.pricesIncludeTax ? 10_000 + m : 10_000;
  return entered === shown ? null : { num: shown, den: entered };
}

/** The pipeline as a function of minor units (the rule's units are worked out once). */
export function converter(spec: ConversionSpec): (minor: number, kind?: 'product' | 'shipping' | 'giftCard') => number {
  const rate = parseDecimal(spec.rate);
  if (rate.num <= 0n) throw new Error('an exchange rate must be above zero');
  const adj = percentFactor(spec.adjustmentPct);
  const tax = spec.tax ? { num: BigInt(spec.tax.num), den: BigInt(spec.tax.den) } : { num: 1n, den: 1n };
  if (tax.num <= 0n || tax.den <= 0n) throw new Error('a tax factor must be above zero');
  const scaleFrom = 10n ** BigInt(exponentOf(spec.from));
  const scaleTo = 10n ** BigInt(exponentOf(spec.to));
  const rule = spec.rounding ? { mode: spec.rounding.mode, ...ruleInMinor(spec.rounding, spec.to) } : null;
  // minor_to = minor_from / scaleFrom * rate * adj * tax * scaleTo
  const mode = spec.roundingMode ?? 'halfEven';
  const num = rate.num * adj.num * tax.num * scaleTo;
  const den = rate.den * adj.den * tax.den * scaleFrom;
  return (minor, kind = 'product') => {
    if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`cannot convert ${minor}`);
    let out = roundTo(BigInt(minor) * num, den, mode);
    if (rule && kind !== 'giftCard') out = applyRule(out, rule);
    if (out > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('converted amount out of range');
    return Number(out);
  };
}

/** a / b as a decimal string with `digits` significant digits (half-even), for cross and inverse rates. */
export function divideToDecimal(a: Fraction, b: Fraction, digits = 10): string {
  const num = a.num * b.den;
  const den = a.den * b.num;
  if (den <= 0n || num <= 0n) throw new Error('rates must be above zero');
  // Scale so the integer part plus decimals hold `digits` significant digits.
  const intDigits = (num / den).toString().length;
  const lead = num / den === 0n ? -leadingZeros(num, den) : intDigits;
  const decimals = Math.max(0, Math.min(18, digits - lead));
  const scaled = halfEven(num * 10n ** BigInt(decimals), den);
  return formatScaled(scaled, decimals);
}

function leadingZeros(num: bigint, den: bigint): number {
  let zeros = 0;
  let n = num;
  while (n * 10n < den) {
    n *= 10n;
    zeros++;
  }
  return zeros;
}

function formatScaled(scaled: bigint, decimals: number): string {
  if (decimals === 0) return scaled.toString();
  const digits = scaled.toString().padStart(decimals + 1, '0');
  const text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`.replace(/0+$/, '').replace(/\.$/, '');
  return text;
}
