// Two tables, two purposes (requirement 2 of the cross-border spec):
// - storage: ISO 4217 minor units (Table A.1), from the list SIX publishes for ISO, vendored by the
//   `currency-codes` package as `iso-4217-list-one.xml` and stamped with its publication date.
//   Read from the file at start, never fetched. Funds (IsFund) and codes without minor units
//   (N.A.: gold, SDR, testing) are not currencies a store can sell in.
// - display: CLDR's digits, which Intl uses and which differ from ISO for some codes (IQD 0 where
//   ISO says 3; HUF and IDR 0 where ISO says 2). Only formatting asks for them.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export interface CurrencyTableVersion {
  standard: 'ISO 4217';
  /** Where the table comes from: SIX's list one, as vendored by an npm package at a version. */
  source: string;
  /** The list's publication date (its `Pblshd` attribute): the amendment in force. */
  published: string;
}

function readListOne(): { version: CurrencyTableVersion; exponents: Record<string, number> } {
  const require = createRequire(import.meta.url);
  const file = require.resolve('currency-codes/iso-4217-list-one.xml');
  const { version } = require('currency-codes/package.json') as { version: string };
  const xml = fs.readFileSync(file, 'utf8');
  const published = /<ISO_4217\s+Pblshd="(\d{4}-\d{2}-\d{2})"/.exec(xml)?.[1];
  if (!published) throw new Error(`${file}: no publication date`);
  const exponents: Record<string, number> = {};
  for (const [, entry] of xml.matchAll(/<CcyNtry>([\s\S]*?)<\/CcyNtry>/g)) {
    const code = /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)?.[1];
    const units = /<CcyMnrUnts>([^<]*)<\/CcyMnrUnts>/.exec(entry)?.[1];
    if (!code || !units || !/^\d$/.test(units) || /IsFund="true"/i.test(entry)) continue;
    const e = Number(units);
    if (exponents[code] !== undefined && exponents[code] !== e) throw new Error(`${file}: ${code} has two exponents`);
    exponents[code] = e;
  }
  if (Object.keys(exponents).length < 100) throw new Error(`${file}: only ${Object.keys(exponents).length} currencies read`);
  return { version: { standard: 'ISO 4217', source: `SIX list one, currency-codes@${version}`, published }, exponents };
}

const listOne = readListOne();

/** Which ISO 4217 publication the storage exponents come from. */
export const CURRENCY_TABLE_VERSION: Readonly<CurrencyTableVersion> = Object.freeze(listOne.version);

/** ISO 4217 minor-unit exponents: how many decimals a minor unit is (USD 2, JPY 0, KWD 3). */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze(Object.fromEntries(Object.entries(listOne.exponents).sort(([a], [b]) => (a < b ? -1 : 1))));

export const CURRENCY_CODES = Object.freeze(Object.keys(CURRENCY_EXPONENTS));

export function isCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

/** The ISO 4217 exponent: amounts are stored and passed in these minor units. */
export function exponentOf(code: string): number {
  const e = CURRENCY_EXPONENTS[code];
  if (e === undefined) throw new Error(`unknown currency ${code}`);
  return e;
}

const displayDigits = new Map<string, number>();

/** CLDR's digits for showing an amount (what Intl uses): for display only, never for storage. */
export function displayDigitsOf(code: string): number {
  exponentOf(code);
  let d = displayDigits.get(code);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? exponentOf(code);
    displayDigits.set(code, d);
  }
  return d;
}

/** JSON Schema for a supported currency code. */
export const currencySchema = { type: 'string', enum: CURRENCY_CODES as string[] } as const;
