import { expect } from 'chai';
import { computeTotals, capAdjustments, fraction, lineShare } from '../../core/orders/totals.js';
import { money } from '../../core/money/money.js';

const line = (key: string, unitAmount: number, quantity: number) => ({ key, unitAmount, quantity });

describe('order totals (core/orders/totals.ts)', () => {
  it('adds lines, shipping and exclusive tax in minor units', () => {
    const t = computeTotals({ currency: 'USD', lines: [line('a', 1999, 3), line('b', 501, 1)], shippingAmount: 500, adjustments: [], taxMode: 'exclusive', taxRateBp: 825 });
    expect(t.subtotal).to.equal(6498);
    // 8.25% of 69.98 = 5.77335 -> 5.77
    expect(t.tax).to.equal(577);
    expect(t.total).to.equal(6498 + 500 + 577);
    expect(t.lines.reduce((a, l) => a + l.total, 0) + t.shippingLine.total).to.equal(t.total);
    expect(t.lines.reduce((a, l) => a + l.tax, 0) + t.shippingLine.tax).to.equal(t.tax);
  });

  it('takes tax out of inclusive prices without changing the total', () => {
    const t = computeTotals({ currency: 'EUR', lines: [line('a', 1190, 1)], shippingAmount: 0, adjustments: [], taxMode: 'inclusive', taxRateBp: 1900 });
    expect(t.total).to.equal(1190);
    expect(t.tax).to.equal(190);
    const odd = computeTotals({ currency: 'EUR', lines: [line('a', 1003, 1)], shippingAmount: 0, adjustments: [], taxMode: 'inclusive', taxRateBp: 2000 });
    // 1003 * 2000 / 12000 = 167.17 -> 167 (half-even, not rounded up)
    expect(odd.tax).to.equal(167);
  });

  it('respects currencies without minor units', () => {
    const t = computeTotals({ currency: 'JPY', lines: [line('a', 1000, 3)], shippingAmount: 0, adjustments: [], taxMode: 'exclusive', taxRateBp: 1000 });
    expect(t.total).to.equal(3300);
  });

  it('spreads adjustments over lines and shipping, to the unit', () => {
    const t = computeTotals({
      currency: 'USD', lines: [line('a', 1000, 1), line('b', 2000, 1)], shippingAmount: 0,
      adjustments: [{ source: 'promo', label: '10% off', amount: -301 }], taxMode: 'exclusive', taxRateBp: 0,
    });
    expect(t.adjustments).to.equal(-301);
    expect(t.lines.map((l) => l.adjustment).reduce((a, b) => a + b, 0) + t.shippingLine.adjustment).to.equal(-301);
    expect(t.total).to.equal(2699);
  });

  it('never lets adjustments take the total below zero', () => {
    const t = computeTotals({
      currency: 'USD', lines: [line('a', 1000, 1)], shippingAmount: 500,
      adjustments: [{ source: 'a', label: 'big', amount: -1200 }, { source: 'b', label: 'huge', amount: -5000 }, { source: 'c', label: 'fee', amount: 100 }],
      taxMode: 'exclusive', taxRateBp: 2000,
    });
    expect(t.total).to.equal(120); // fee 100 + tax 20
    expect(t.adjustmentLines.map((a) => a.amount)).to.deep.equal([-1200, -300, 100]);
    expect(capAdjustments(money(0, 'USD'), [{ source: 'x', label: 'x', amount: -1 }])).to.deep.equal([]);
  });

  it('shares a line total by returned units so parts add up to the whole', () => {
    const parts = [lineShare(1000, 3, 0, 1, 'USD'), lineShare(1000, 3, 1, 1, 'USD'), lineShare(1000, 3, 2, 1, 'USD')];
    expect(parts.reduce((a, b) => a + b, 0)).to.equal(1000);
    expect(lineShare(1000, 3, 0, 3, 'USD')).to.equal(1000);
    expect(fraction(money(5, 'USD'), 1, 2).toMinor()).to.equal(2); // 2.5 -> 2 (half-even)
    expect(fraction(money(7, 'USD'), 1, 2).toMinor()).to.equal(4); // 3.5 -> 4
  });
});
