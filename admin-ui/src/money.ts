// Money in the console. The API passes amounts as integer minor units with the ISO 4217 exponent
// (core/money/currencies.ts), which is not always the number of digits Intl shows: CLDR shows HUF,
// IDR, IQD and a dozen others without decimals where ISO has 2 or 3. So amounts are converted with
// the ISO exponent and only then formatted by Intl (CLDR's display digits). The console cannot
// import core: the codes whose exponent is not 2 are mirrored here, and
// test/admin-ui/console-money.test.ts checks them against core's table for every currency.

/** ISO 4217 currencies whose minor unit is not 2 decimals (every other code has 2). */
const EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  ...Object.fromEntries('BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF'.split(' ').map((c) => [c, 0])),
  ...Object.fromEntries('BHD IQD JOD KWD LYD OMR TND'.split(' ').map((c) => [c, 3])),
  UYW: 4,
});

/** The ISO 4217 exponent: how many decimals one minor unit is (USD 2, HUF 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** Minor units to a localized amount: divided by 10^(ISO exponent), shown with CLDR's digits. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount / 10 ** minorDigits(currency));
}
