import { expect } from 'chai';
import { money, add, subtract, multiply, allocate, convert, format, formatMinor, sum, parseDecimal, MoneyError } from '../../core/money/money.js';
import { CURRENCY_TABLE_VERSION, displayDigitsOf, exponentOf, isCurrency } from '../../core/money/currencies.js';

describe('money', () => {
  it('keeps minor units in and out, at each currency’s own exponent', () => {
    expect(money(1999, 'USD').toMinor()).to.equal(1999);
    expect(money(1999, 'USD').toDecimal()).to.equal('19.99');
    expect(money(1000, 'JPY').toDecimal()).to.equal('1000');
    expect(money(1250, 'KWD').toDecimal()).to.equal('1.250');
    expect(money(-5, 'EUR').toDecimal()).to.equal('-0.05');
    expect(money('42', 'USD').toMinor()).to.equal(42);
    expect(parseDecimal('19.9', 'USD').toMinor()).to.equal(1990);
    expect(() => parseDecimal('19.999', 'USD')).to.throw(MoneyError, /2 decimal places/);
    expect(() => parseDecimal('1.5', 'JPY')).to.throw(MoneyError);
  });

  it('refuses fractions of a minor unit, unknown currencies and unsafe integers', () => {
    expect(() => money(1.5, 'USD')).to.throw(MoneyError);
    expect(() => money('1.5', 'USD')).to.throw(MoneyError);
    expect(() => money(100, 'XXX')).to.throw(/unknown currency/);
    expect(() => money(2 ** 60, 'USD')).to.throw(MoneyError);
  });

  it('adds and subtracts exactly, where floats would not', () => {
    expect(add(money(10, 'USD'), money(20, 'USD')).toMinor()).to.equal(30); // 0.1 + 0.2
    expect(subtract(money(100, 'USD'), money(1, 'USD')).toMinor()).to.equal(99);
    expect(add(money(1, 'KWD'), money(2, 'KWD')).toMinor()).to.equal(3);
    expect(add(money(999, 'JPY'), money(1, 'JPY')).toDecimal()).to.equal('1000');
    expect(sum([money(1, 'EUR'), money(2, 'EUR'), money(3, 'EUR')], 'EUR').toMinor()).to.equal(6);
    expect(sum([], 'EUR').toMinor()).to.equal(0);
  });

  it('throws rather than mix currencies', () => {
    expect(() => add(money(100, 'USD'), money(100, 'EUR'))).to.throw(MoneyError, /EUR and USD/);
    expect(() => subtract(money(100, 'JPY'), money(100, 'USD'))).to.throw(MoneyError);
    expect(() => money(1, 'USD').compare(money(1, 'EUR'))).to.throw(MoneyError);
    expect(() => sum([money(1, 'USD'), money(1, 'EUR')], 'USD')).to.throw(MoneyError);
  });

  it('multiplies by a decimal ratio with the rounding asked for', () => {
    // 8.25% tax on $10.10 = 83.325 cents
    expect(multiply(money(1010, 'USD'), '0.0825').toMinor()).to.equal(83);
    expect(multiply(money(1010, 'USD'), '0.0825', 'up').toMinor()).to.equal(84);
    // ties: 2.5 -> 2 (half-even), 3 (half-up); 3.5 -> 4 both
    expect(multiply(money(5, 'USD'), '0.5').toMinor()).to.equal(2);
    expect(multiply(money(5, 'USD'), '0.5', 'halfUp').toMinor()).to.equal(3);
    expect(multiply(money(7, 'USD'), '0.5').toMinor()).to.equal(4);
    expect(multiply(money(-5, 'USD'), '0.5', 'halfUp').toMinor()).to.equal(-3);
    expect(multiply(money(-5, 'USD'), '0.5').toMinor()).to.equal(-2);
    expect(multiply(money(9, 'USD'), '0.5', 'down').toMinor()).to.equal(4);
    expect(multiply(money(300, 'JPY'), 3).toMinor()).to.equal(900);
    expect(() => multiply(money(300, 'JPY'), 0.1)).to.throw(MoneyError, /decimal string/);
  });

  it('allocates without losing a minor unit', () => {
    expect(allocate(money(100, 'USD'), [1, 1, 1]).map((m) => m.toMinor())).to.deep.equal([34, 33, 33]);
    expect(allocate(money(5, 'JPY'), [3, 7]).map((m) => m.toMinor())).to.deep.equal([2, 3]);
    expect(allocate(money(-100, 'USD'), [1, 1, 1]).map((m) => m.toMinor())).to.deep.equal([-34, -33, -33]);
    expect(allocate(money(10, 'USD'), [0, 1]).map((m) => m.toMinor())).to.deep.equal([0, 10]);
    const parts = allocate(money(1_000_001, 'EUR'), [13, 29, 58]);
    expect(parts.reduce((a, m) => a + m.toMinor(), 0)).to.equal(1_000_001);
    expect(() => allocate(money(1, 'USD'), [0, 0])).to.throw(MoneyError);
  });

  it('converts at a decimal-string rate with no floating-point drift', () => {
    expect(convert(money(10000, 'USD'), 'EUR', '0.9123').toMinor()).to.equal(9123);
    // 1,000 yen at 0.0062 USD per yen = $6.20 (exponents 0 -> 2)
    expect(convert(money(1000, 'JPY'), 'USD', '0.0062').toMinor()).to.equal(620);
    // $19.99 at 151.37 yen per dollar = 3025.8863 yen -> 3026
    expect(convert(money(1999, 'USD'), 'JPY', '151.37').toMinor()).to.equal(3026);
    // 1.005 USD to EUR at 1: exactly 100.5 cents, a tie
    expect(convert(money(201, 'USD'), 'EUR', '0.5').toMinor()).to.equal(100);
    expect(convert(money(201, 'USD'), 'EUR', '0.5', 'halfUp').toMinor()).to.equal(101);
    // a float would say 0.1 * 3 = 0.30000000000000004
    expect(convert(money(3, 'USD'), 'KWD', '0.1').toMinor()).to.equal(3);
    // many conversions of large amounts stay exact: compare with bigint arithmetic
    for (const minor of [1, 99, 12345, 999_999_999_99, 7_000_000_000_001]) {
      const expected = (BigInt(minor) * 91234567n + 50000000n) / 100000000n;
      expect(convert(money(minor, 'USD'), 'EUR', '0.91234567', 'halfUp').toMinor(), String(minor)).to.equal(Number(expected));
    }
    expect(() => convert(money(1, 'USD'), 'EUR', '0')).to.throw(MoneyError);
    expect(() => convert(money(1, 'USD'), 'EUR', '1e3')).to.throw(MoneyError);
  });

  it('formats for display in a locale, with CLDR digits', () => {
    expect(format(money(1999, 'USD'), 'en')).to.equal('$19.99');
    expect(format(money(123456, 'JPY'), 'en')).to.equal('¥123,456');
    expect(format(money(1999, 'EUR'), 'de')).to.match(/^19,99\s€$/);
    expect(format(money(1999, 'CNY'), 'zh-CN')).to.equal('¥19.99');
    // Stored in ISO 4217 minor units, shown with CLDR's digits (requirement 2): HUF is kept in
    // hundredths (ISO 2) and shown in whole forints (CLDR 0).
    expect(money(1050, 'HUF').toDecimal()).to.equal('10.50');
    expect(format(money(1050, 'HUF'), 'en')).to.equal('HUF\u00a011');
    expect(format(money(1999, 'USD'), 'not a locale!')).to.equal('$19.99');
  });

  it('formats straight from minor units the same way, for any size of amount', () => {
    for (const [minor, currency, locale] of [[1999, 'USD', 'en'], [-5, 'EUR', 'de'], [123456, 'JPY', 'ja'], [1250, 'KWD', 'en'], [999_999_999_999_99, 'USD', 'en'], [2 ** 53 - 1, 'USD', 'zh-CN']] as const) {
      expect(formatMinor(minor, currency, locale), `${minor} ${currency}`).to.equal(format(money(minor, currency), locale));
    }
    expect(formatMinor(2 ** 53 - 1, 'USD', 'en')).to.equal('$90,071,992,547,409.91');
  });

  it('stores in ISO 4217 exponents from a version-stamped table and displays CLDR digits (requirement 2)', () => {
    // The spec's vector: IQD has 3 ISO minor units, CLDR shows none.
    expect(exponentOf('IQD')).to.equal(3);
    expect(displayDigitsOf('IQD')).to.equal(0);
    expect(money(1234, 'IQD').toDecimal()).to.equal('1.234');
    expect(format(money(1234, 'IQD'), 'en')).to.equal('IQD\u00a01');
    expect(formatMinor(1234, 'IQD', 'en')).to.equal('IQD\u00a01');
    for (const [code, iso, cldr] of [['HUF', 2, 0], ['IDR', 2, 0], ['USD', 2, 2], ['JPY', 0, 0], ['KRW', 0, 0], ['KWD', 3, 3], ['BHD', 3, 3], ['TWD', 2, 2], ['ISK', 0, 0]] as const) {
      expect([exponentOf(code), displayDigitsOf(code)], code).to.deep.equal([iso, cldr]);
    }
    // The stamp names the ISO publication the exponents come from; the table is that file's.
    expect(CURRENCY_TABLE_VERSION).to.deep.equal({ standard: 'ISO 4217', source: 'SIX list one, currency-codes@2.2.0', published: '2024-06-25' });
    expect(isCurrency('ZWG')).to.equal(true); // Zimbabwe Gold, added by that publication
    expect(isCurrency('ZWL')).to.equal(false); // withdrawn by it
    expect(isCurrency('CLF')).to.equal(false); // a fund, not a currency a store sells in
    expect(isCurrency('XAU')).to.equal(false); // gold: no minor units (N.A.)
    expect(() => displayDigitsOf('ABC')).to.throw(/unknown currency/);
  });

  it('serialises as minor units and currency', () => {
    expect(JSON.parse(JSON.stringify({ total: money(500, 'JPY') }))).to.deep.equal({ total: { amount: 500, currency: 'JPY' } });
  });
});
