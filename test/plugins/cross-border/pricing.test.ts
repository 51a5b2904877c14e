// The conversion pipeline and the rate sources, without a server: the spec's worked examples.
import { expect } from 'chai';
import { applyRule, converter, divideToDecimal, parseDecimal, ruleInMinor } from '../../../plugins/cross-border/pricing.js';
import { parseEcb, parseOxr } from '../../../plugins/cross-border/sources.js';
import { dutiesFor } from '../../../plugins/cross-border/duties.js';
import { computeTotals } from '../../../core/orders/totals.js';
import { ecbXml, fixture } from './rate-server.js';

const up99 = { mode: 'up' as const, step: '1', ending: '0.99' };

describe('cross-border: conversion pipeline', () => {
  it('USD 10.00 at 0.9234 with +5% and a .99 rule gives EUR 9.99 (9.6957 -> 9.70 -> 9.99)', () => {
    expect(converter({ from: 'USD', to: 'EUR', rate: '0.9234', adjustmentPct: '5' })(1000)).to.equal(970);
    expect(converter({ from: 'USD', to: 'EUR', rate: '0.9234', adjustmentPct: '5', rounding: up99 })(1000)).to.equal(999);
  });

  it('rounds to the exponent before the rule, half-even, with decimal arithmetic', () => {
    // 0.125 -> 0.12 (tie to even), 0.135 -> 0.14; a float would give 0.13 for 0.1 * 1.35 * 100.
    expect(converter({ from: 'USD', to: 'EUR', rate: '0.125' })(100)).to.equal(12);
    expect(converter({ from: 'USD', to: 'EUR', rate: '0.135' })(100)).to.equal(14);
    expect(converter({ from: 'USD', to: 'EUR', rate: '1.35' })(10)).to.equal(14);
  });

  it('the store names the rounding mode to the exponent (half-even by default; half-up, up, down)', () => {
    const at = (mode: 'halfEven' | 'halfUp' | 'up' | 'down') => [1, 3, 5, 7].map((m) => converter({ from: 'USD', to: 'EUR', rate: '0.5', roundingMode: mode })(m));
    // 0.005, 0.015, 0.025, 0.035 EUR
    expect(at('halfEven')).to.deep.equal([0, 2, 2, 4]);
    expect(at('halfUp')).to.deep.equal([1, 2, 3, 4]);
    expect(at('up')).to.deep.equal([1, 2, 3, 4]);
    expect(at('down')).to.deep.equal([0, 1, 2, 3]);
    expect(converter({ from: 'USD', to: 'EUR', rate: '0.9' })(1000)).to.equal(900); // exact stays, whatever the mode
    expect(converter({ from: 'USD', to: 'EUR', rate: '0.9', roundingMode: 'up' })(1000)).to.equal(900);
  });

  it('JPY rounds to whole yen; a 100-yen rule rounds to the nearest hundred', () => {
    const plain = converter({ from: 'USD', to: 'JPY', rate: '149.876' });
    expect(plain(1000)).to.equal(1499); // 1498.76
    const hundred = converter({ from: 'USD', to: 'JPY', rate: '149.876', rounding: { mode: 'nearest', step: '100', ending: '0' } });
    expect(hundred(1000)).to.equal(1500);
    expect(hundred(824)).to.equal(1200); // 1234.98 -> 1235 -> 1200
    expect(() => ruleInMinor({ mode: 'up', step: '1', ending: '0.99' }, 'JPY')).to.throw(/decimals/);
  });

  it('a three-decimal currency keeps three', () => {
    expect(converter({ from: 'USD', to: 'KWD', rate: '0.30725' })(1999)).to.equal(6142); // 6.1419275 -> 6.142
    expect(converter({ from: 'KWD', to: 'USD', rate: '3.2547' })(1234)).to.equal(402); // 4.0163 -> 4.02
  });

  it('applies the rule to products and shipping, never to gift cards', () => {
    const c = converter({ from: 'USD', to: 'EUR', rate: '0.9234', rounding: up99 });
    expect(c(1000, 'shipping')).to.equal(999);
    expect(c(1000, 'giftCard')).to.equal(923);
  });

  it('rules: up to an ending, nearest with ties up, exact values stay', () => {
    const r = (mode: 'up' | 'nearest', step: bigint, ending: bigint) => ({ mode, step, ending });
    expect(applyRule(999n, r('up', 100n, 99n))).to.equal(999n);
    expect(applyRule(1000n, r('up', 100n, 99n))).to.equal(1099n);
    expect(applyRule(1210n, r('up', 100n, 95n))).to.equal(1295n);
    expect(applyRule(1250n, r('nearest', 100n, 0n))).to.equal(1300n);
    expect(applyRule(1249n, r('nearest', 100n, 0n))).to.equal(1200n);
    expect(applyRule(20n, r('nearest', 100n, 99n))).to.equal(99n);
  });

  it('a negative adjustment lowers the price', () => {
    expect(converter({ from: 'USD', to: 'EUR', rate: '1', adjustmentPct: '-12.5' })(1000)).to.equal(875);
  });
});

describe('cross-border: integer minor units (requirement 1)', () => {
  it('10.00 USD is 1000, ¥500 is 500, 1.234 KWD is 1234; a fraction of a minor unit is refused', async () => {
    const { money, parseDecimal } = await import('../../../core/money/money.js');
    expect(parseDecimal('10.00', 'USD').toMinor()).to.equal(1000);
    expect(parseDecimal('500', 'JPY').toMinor()).to.equal(500);
    expect(parseDecimal('1.234', 'KWD').toMinor()).to.equal(1234);
    expect(money(1234n, 'KWD').toJSON()).to.deep.equal({ amount: 1234, currency: 'KWD' });
    expect(() => parseDecimal('1.2345', 'KWD')).to.throw(/3 decimal places/);
    expect(() => parseDecimal('5.5', 'JPY')).to.throw(/0 decimal places/);
    expect(() => money(9.99, 'USD')).to.throw(/integer/);
  });
});

describe('cross-border: formatting in the negotiated locale (requirement 42)', () => {
  it('renders money with Intl in the locale and the market currency', async () => {
    const { formatMinor } = await import('../../../core/money/money.js');
    expect(formatMinor(123_450, 'EUR', 'de-DE')).to.equal('1.234,50\u00a0€'); // a no-break space before the sign
    expect(formatMinor(1235, 'JPY', 'ja-JP')).to.equal('￥1,235');
    expect(formatMinor(123_456_750, 'INR', 'en-IN')).to.equal('₹12,34,567.50');
  });
});

describe('cross-border: rate sources', () => {
  it('normalizes the ECB XML to EUR-based rows with the Cube date', () => {
    const rows = parseEcb(ecbXml('2026-12-04'));
    expect(rows).to.deep.include({ source: 'ecb', base: 'EUR', quote: 'USD', rate: '1.0830', asOf: '2026-12-04' });
    expect(rows.map((r) => r.quote)).to.deep.equal(['USD', 'JPY', 'GBP', 'KWD', 'CNY']);
    expect(() => parseEcb('<html>maintenance</html>')).to.throw(/Cube/);
  });

  it('normalizes Open Exchange Rates JSON, keeping the written decimals and dropping the base itself', () => {
    const rows = parseOxr(fixture('oxr-latest.json'));
    expect(rows).to.deep.include({ source: 'oxr', base: 'USD', quote: 'EUR', rate: '0.9234', asOf: '2024-12-05T12:00:00.000Z' });
    expect(rows.find((r) => r.quote === 'USD')).to.equal(undefined);
    expect(rows.find((r) => r.quote === 'JPY')!.rate).to.equal('150');
    expect(() => parseOxr('{"base":"USD","rates":{}}')).to.throw(/timestamp/);
  });

  it('a USD->JPY cross rate through EUR is JPY/EUR / USD/EUR, to 10 significant digits', () => {
    expect(divideToDecimal(parseDecimal('162.45'), parseDecimal('1.0830'))).to.equal('150');
    expect(divideToDecimal(parseDecimal('0.85130'), parseDecimal('1.0830'))).to.equal('0.7860572484');
    expect(divideToDecimal({ num: 1n, den: 1n }, parseDecimal('0.0062'))).to.equal('161.2903226');
  });
});

describe('cross-border: duties and totals', () => {
  const ddp = { dutiesMode: 'DDP' as const, dutyRates: { GB: '4', '*': '10' }, dutyThreshold: 13500, currency: 'GBP' };
  it('charges the destination country rate on goods above the threshold, else the "*" rate, never in DAP', () => {
    expect(dutiesFor(ddp, 'GB', 'GBP', 20000)).to.equal(800);
    expect(dutiesFor(ddp, 'JE', 'GBP', 20000)).to.equal(2000);
    expect(dutiesFor(ddp, 'GB', 'GBP', 13499)).to.equal(0);
    expect(dutiesFor({ ...ddp, dutiesMode: 'DAP' }, 'GB', 'GBP', 20000)).to.equal(0);
  });

  it('the Medusa tax case (24.99 + 10.75% tax + 6.44 shipping): rounded per line, the total is the sum of its parts', () => {
    const goods = computeTotals({ currency: 'USD', lines: [{ key: 'a', unitAmount: 2499, quantity: 1 }], shippingAmount: 0, adjustments: [], taxMode: 'exclusive', taxRateBp: 1075 });
    expect(goods.tax).to.equal(269); // 2.686425 -> 2.69; + 6.44 untaxed shipping = 34.12 (Medusa's 3412)
    expect(goods.total + 644).to.equal(3412);
    // The core taxes shipping too: 2.69 + 0.69 (0.6923) = 3.38, total 34.81, and still the sum to the unit.
    const t = computeTotals({ currency: 'USD', lines: [{ key: 'a', unitAmount: 2499, quantity: 1 }], shippingAmount: 644, adjustments: [], taxMode: 'exclusive', taxRateBp: 1075 });
    expect(t.subtotal + t.shipping + t.tax + t.adjustments).to.equal(t.total);
    expect(t.total).to.equal(3481);
  });

  it('tax rounds per line then sums, half-even by default; half-up and once-on-the-total are the store’s choice (requirement 4)', () => {
    const lines = [{ key: 'a', unitAmount: 105, quantity: 1 }, { key: 'b', unitAmount: 105, quantity: 1 }];
    const at = (taxRounding?: { per: 'line' | 'total'; mode: 'halfEven' | 'halfUp' }) => computeTotals({ currency: 'USD', lines, shippingAmount: 0, adjustments: [], taxMode: 'exclusive', taxRateBp: 1000, taxRounding });
    // 1.05 x 10% = 0.105 on each line.
    expect(at().lines.map((l) => l.tax)).to.deep.equal([10, 10]);
    expect(at()).to.include({ tax: 20, total: 230 });
    expect(at().taxRounding).to.deep.equal({ per: 'line', mode: 'halfEven' });
    expect(at({ per: 'line', mode: 'halfUp' })).to.include({ tax: 22, total: 232 });
    expect(at({ per: 'total', mode: 'halfEven' })).to.include({ tax: 21, total: 231 });
    expect(at({ per: 'total', mode: 'halfEven' }).lines.map((l) => l.tax)).to.deep.equal([11, 10]);
    // Tax-inclusive: 1.10 gross at 10% holds 0.10 exactly; 1.05 holds 0.0954... -> 0.10 per line either way.
    const incl = computeTotals({ currency: 'USD', lines, shippingAmount: 0, adjustments: [], taxMode: 'inclusive', taxRateBp: 1000 });
    expect(incl).to.include({ tax: 20, total: 210 });
    // Whatever the rounding, the total is the sum of its rounded parts.
    for (const r of [undefined, { per: 'line' as const, mode: 'halfUp' as const }, { per: 'total' as const, mode: 'halfUp' as const }]) {
      const t = at(r);
      expect(t.lines.reduce((a, l) => a + l.total, 0) + t.shippingLine.total).to.equal(t.total);
    }
  });
});
