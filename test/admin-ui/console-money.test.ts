// Without a browser: the console's money helpers convert API minor units with the ISO 4217
// exponent (the one core stores amounts in), not with Intl's display digits.
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths.js';
import { CURRENCY_CODES, exponentOf } from '../../core/money/currencies.js';

// Loaded by path: the console's sources are checked by admin-ui's own tsconfig, not this one.
const load = () => import(path.join(projectRoot, 'admin-ui', 'src', 'money.ts')) as Promise<{
  formatMoney: (amount: number, currency: string, locale: string) => string;
  minorDigits: (currency: string) => number;
}>;

describe('console money', () => {
  it('uses core’s ISO 4217 exponent for every currency', async () => {
    const { minorDigits } = await load();
    expect(CURRENCY_CODES.length).to.be.greaterThan(100);
    const wrong = CURRENCY_CODES.filter((c) => minorDigits(c) !== exponentOf(c)).map((c) => `${c}: ${minorDigits(c)} not ${exponentOf(c)}`);
    expect(wrong).to.deep.equal([]);
  });

  it('divides by 10^exponent where CLDR shows fewer digits than ISO (HUF, IQD)', async () => {
    const { formatMoney } = await load();
    const huf = (n: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'HUF' }).format(n);
    expect(formatMoney(1050, 'HUF', 'en')).to.equal(huf(10.5));
    expect(formatMoney(123456, 'HUF', 'en')).to.equal(huf(1234.56));
    expect(formatMoney(123456, 'HUF', 'en')).to.not.contain('123,456');
    const iqd = (n: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'IQD' }).format(n);
    expect(formatMoney(2_500_000, 'IQD', 'en')).to.equal(iqd(2500));
  });

  it('keeps the ordinary cases: USD cents, JPY whole yen, KWD fils', async () => {
    const { formatMoney } = await load();
    expect(formatMoney(1050, 'USD', 'en')).to.equal('$10.50');
    expect(formatMoney(1050, 'JPY', 'en')).to.equal('¥1,050');
    expect(formatMoney(1234, 'KWD', 'en')).to.equal(new Intl.NumberFormat('en', { style: 'currency', currency: 'KWD' }).format(1.234));
    expect(formatMoney(1234, 'KWD', 'en')).to.contain('1.234');
  });
});
