// Money: an amount in integer minor units that knows its currency. currency.js does the
// same-currency arithmetic at the currency's own ISO 4217 precision (JPY 0, USD 2, KWD 3);
// anything with a ratio (tax, discounts, FX) runs on bigint with an explicit rounding mode, so
// a rate such as "0.9123" never passes through a float. Intl is used only to display, with
// CLDR's digits (currencies.ts).
import currencyJs from 'currency.js';
import { exponentOf } from './currencies.js';

/**
 * How a result between two minor units is rounded. The default everywhere is `halfEven`
 * (banker's rounding: ties go to the even unit), which does not drift upwards when many
 * rounded amounts are added; pass `halfUp` where a tax authority asks for commercial rounding.
 */
export type Rounding = 'halfEven' | 'halfUp' | 'down' | 'up';
export const DEFAULT_ROUNDING: Rounding = 'halfEven';

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

export class Money {
  readonly currency: string;
  readonly exponent: number;
  private readonly value: currencyJs;

  /** Use money(minor, currency). */
  constructor(minor: number, currency: string) {
    if (!Number.isSafeInteger(minor)) throw new MoneyError(`money needs an integer number of minor units (got ${minor})`);
    this.currency = currency;
    this.exponent = exponentOf(currency);
    this.value = currencyJs(minor, { precision: this.exponent, fromCents: true });
  }

  /** The amount in minor units (cents for USD, yen for JPY, fils for KWD). */
  toMinor(): number {
    return this.value.intValue;
  }

  add(other: Money): Money {
    this.assertSame(other, 'add');
    return fromCurrencyJs(this.value.add(other.value), this.currency);
  }

  subtract(other: Money): Money {
    this.assertSame(other, 'subtract');
    return fromCurrencyJs(this.value.subtract(other.value), this.currency);
  }

  /**
   * Multiplies by a ratio given as a decimal string ("0.2", "1.0825") or an integer, rounding
   * the result to a minor unit with the given mode.
   */
  multiply(ratio: string | number, rounding: Rounding = DEFAULT_ROUNDING): Money {
    const { num, den } = parseRatio(ratio);
    return new Money(toSafe(divideRounded(BigInt(this.toMinor()) * num, den, rounding)), this.currency);
  }

  /**
   * Splits into parts proportional to `ratios` (non-negative integers) without losing a
   * minor unit: the remainder goes one unit at a time to the first parts. allocate([1, 1, 1])
   * of 100 cents gives 34, 33, 33.
   */
  allocate(ratios: number[]): Money[] {
    if (ratios.length === 0 || ratios.some((r) => !Number.isSafeInteger(r) || r < 0)) throw new MoneyError('allocate needs non-negative integer ratios');
    const total = ratios.reduce((a, b) => a + BigInt(b), 0n);
    if (total === 0n) throw new MoneyError('allocate needs at least one ratio above zero');
    const minor = BigInt(this.toMinor());
    const parts = ratios.map((r) => (minor * BigInt(r)) / total); // truncates toward zero
    let rest = minor - parts.reduce((a, b) => a + b, 0n);
    const step = rest < 0n ? -1n : 1n;
    for (let i = 0; rest !== 0n; i = (i + 1) % parts.length) {
      if (ratios[i] === 0) continue;
      parts[i] += step;
      rest -= step;
    }
    return parts.map((p) => new Money(toSafe(p), this.currency));
  }

  /**
   * Converts to another currency at `rate` (units of `to` per one unit of this currency, as a
   * decimal string), with both currencies' exponents respected: 1000 JPY at "0.0062" is 620 cents.
   */
  convert(to: string, rate: string, rounding: Rounding = DEFAULT_ROUNDING): Money {
    const { num, den } = parseRatio(rate);
    if (num <= 0n) throw new MoneyError(`an exchange rate must be above zero (got ${rate})`);
    const scaleTo = 10n ** BigInt(exponentOf(to));
    const scaleFrom = 10n ** BigInt(this.exponent);
    return new Money(toSafe(divideRounded(BigInt(this.toMinor()) * num * scaleTo, den * scaleFrom, rounding)), to);
  }

  compare(other: Money): -1 | 0 | 1 {
    this.assertSame(other, 'compare');
    const a = this.toMinor();
    const b = other.toMinor();
    return a < b ? -1 : a > b ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.currency === other.currency && this.toMinor() === other.toMinor();
  }

  isZero(): boolean {
    return this.toMinor() === 0;
  }

  isNegative(): boolean {
    return this.toMinor() < 0;
  }

  /** The exact amount in major units as a string: "19.99", "1000", "1.250". */
  toDecimal(): string {
    return minorToDecimal(this.toMinor(), this.exponent);
  }

  /** For display only: "$19.99", "¥1,000", "19,99 €" in the given locale, with CLDR's digits ("IQD 1" for 1.234 IQD). */
  format(locale: string): string {
    return formatter(locale, this.currency).format(this.toDecimal() as unknown as number);
  }

  toJSON(): { amount: number; currency: string } {
    return { amount: this.toMinor(), currency: this.currency };
  }

  private assertSame(other: Money, op: string): void {
    if (other.currency !== this.currency) throw new MoneyError(`cannot ${op} ${other.currency} and ${this.currency}`);
  }
}

function fromCurrencyJs(value: currencyJs, currency: string): Money {
  return new Money(value.intValue, currency);
}

/** money(1999, 'USD') is $19.99; money(1000, 'JPY') is ¥1,000. Throws on an unknown currency. */
export function money(minor: number | bigint | string, currency: string): Money {
  const n = typeof minor === 'number' ? minor : Number(minor);
  if (typeof minor === 'string' && !/^-?\d+$/.test(minor)) throw new MoneyError(`"${minor}" is not an integer number of minor units`);
  return new Money(n, currency);
}

export const add = (a: Money, b: Money): Money => a.add(b);
export const subtract = (a: Money, b: Money): Money => a.subtract(b);
export const multiply = (m: Money, ratio: string | number, rounding?: Rounding): Money => m.multiply(ratio, rounding);
export const allocate = (m: Money, ratios: number[]): Money[] => m.allocate(ratios);
export const convert = (m: Money, to: string, rate: string, rounding?: Rounding): Money => m.convert(to, rate, rounding);
export const format = (m: Money, locale: string): string => m.format(locale);

/**
 * Display text straight from minor units, without building a Money: for hot read paths that
 * format many prices. Same output as money(minor, currency).format(locale).
 */
export function formatMinor(minor: number, currency: string, locale: string): string {
  // Catalog pages show the same prices again and again; Intl formatting is the slow part.
  const key = `${locale}|${currency}|${minor}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const exponent = exponentOf(currency);
  const f = formatter(locale, currency);
  // Below 10^12 minor units a float division is exact to well within the displayed digits.
  const text = Math.abs(minor) < 1e12 ? f.format(minor / 10 ** exponent) : f.format(minorToDecimal(minor, exponent) as unknown as number);
  if (formatted.size >= FORMATTED_ENTRIES) formatted.clear();
  formatted.set(key, text);
  return text;
}

const FORMATTED_ENTRIES = 20_000;
const formatted = new Map<string, string>();

/** Adds a list of amounts of one currency; an empty list is zero of `currency`. */
export function sum(items: Money[], currency: string): Money {
  return items.reduce((acc, m) => acc.add(m), money(0, currency));
}

/** Parses a major-unit decimal ("19.99") into minor units, refusing more digits than the currency has. */
export function parseDecimal(text: string, currency: string): Money {
  const exp = exponentOf(currency);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new MoneyError(`"${text}" is not a decimal amount`);
  const frac = m[3] ?? '';
  if (frac.length > exp) throw new MoneyError(`${currency} has ${exp} decimal places; "${text}" has ${frac.length}`);
  const minor = BigInt(m[2] + frac.padEnd(exp, '0'));
  return new Money(toSafe(m[1] ? -minor : minor), currency);
}

// --- exact decimal helpers -------------------------------------------------------------

function parseRatio(ratio: string | number): { num: bigint; den: bigint } {
  if (typeof ratio === 'number') {
    if (!Number.isSafeInteger(ratio)) throw new MoneyError(`pass a fractional ratio as a decimal string, not the float ${ratio}`);
    return { num: BigInt(ratio), den: 1n };
  }
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(ratio.trim());
  if (!m) throw new MoneyError(`"${ratio}" is not a decimal number`);
  const frac = m[3] ?? '';
  const num = BigInt(m[2] + frac);
  return { num: m[1] ? -num : num, den: 10n ** BigInt(frac.length) };
}

/** num / den rounded to an integer with the given mode; den > 0. */
function divideRounded(num: bigint, den: bigint, rounding: Rounding): bigint {
  const negative = num < 0n;
  const a = negative ? -num : num;
  let q = a / den;
  const r = a % den;
  if (r !== 0n) {
    const twice = r * 2n;
    // Work on the magnitude; `up`/`down` mean away from / toward zero.
    if (rounding === 'up') q += 1n;
    else if (rounding === 'halfUp' && twice >= den) q += 1n;
    else if (rounding === 'halfEven' && (twice > den || (twice === den && q % 2n === 1n))) q += 1n;
  }
  return negative ? -q : q;
}

function toSafe(n: bigint): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new MoneyError('amount out of range');
  return Number(n);
}

function minorToDecimal(minor: number, exponent: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  return exponent === 0 ? sign + digits : `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    let resolved: string;
    try {
      resolved = Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? 'en';
    } catch {
      resolved = 'en';
    }
    // CLDR's display digits (Intl's own), not the ISO exponent the amount is stored in: IQD is
    // stored in thousandths and shown in whole dinars, HUF in hundredths and shown in whole forints
    // (requirement 2). Display only: what is charged is the stored amount.
    f = new Intl.NumberFormat(resolved, { style: 'currency', currency });
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}
