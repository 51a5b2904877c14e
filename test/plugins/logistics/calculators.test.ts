// Zones and calculators as pure functions: the spec's examples (requirements 22-24).
import { expect } from 'chai';
import { areasOverlap, badRange, findOverlap, matchZone, type ZoneLike } from '../../../plugins/logistics/zones.js';
import { badBrackets, billableWeight, calculate, checkEligibility, totalBillable, type CalcInput } from '../../../plugins/logistics/calculators.js';
import type { ShippingInputLine } from '@bazaar/sdk';

const line = (o: Partial<ShippingInputLine> = {}): ShippingInputLine => ({ variantId: 'v', productId: 'p', sku: 'S', quantity: 1, unitAmount: 1000, ...o });
const input = (o: Partial<CalcInput> = {}): CalcInput => ({ subtotal: 1000, lines: [line()], ...o });

describe('logistics zones', () => {
  const us: ZoneLike = { id: 'us', name: 'US', areas: [{ country: 'US' }] };
  const bay: ZoneLike = { id: 'bay', name: 'CA-Bay', areas: [{ country: 'US', region: 'US-CA', postalRules: [{ start: '94000', end: '94999', mode: 'include' }, { start: '94128', mode: 'exclude' }] }] };
  const ca: ZoneLike = { id: 'ca', name: 'California', areas: [{ country: 'US', region: 'CA' }] };

  it('US-CA 94105 picks the bay-area zone over the US zone, whatever the order', () => {
    expect(matchZone([us, bay], { country: 'US', region: 'CA', postalCode: '94105' })!.zone.name).to.equal('CA-Bay');
    expect(matchZone([bay, us], { country: 'US', region: 'US-CA', postalCode: '94105' })!).to.deep.include({ specificity: 3 });
    expect(matchZone([us, bay], { country: 'US', region: 'NY', postalCode: '10001' })!.zone.name).to.equal('US');
    expect(matchZone([us, bay], { country: 'DE', postalCode: '10115' })).to.equal(null);
  });

  it('an excluded postal code falls through to the parent zone (region, then country)', () => {
    expect(matchZone([us, bay], { country: 'US', region: 'CA', postalCode: '94128' })!.zone.name).to.equal('US');
    expect(matchZone([us, bay, ca], { country: 'US', region: 'CA', postalCode: '94128' })!.zone.name).to.equal('California');
    expect(matchZone([us, bay, ca], { country: 'US', region: 'CA', postalCode: '90001' })!.zone.name).to.equal('California');
  });

  it('matches prefixes and compares ranges only between codes of the same length, ignoring case and spaces', () => {
    const london: ZoneLike = { id: 'l', name: 'London', areas: [{ country: 'GB', postalRules: [{ start: 'SW1*', mode: 'include' }] }] };
    expect(matchZone([london], { country: 'GB', postalCode: 'sw1a 1aa' })!.zone.name).to.equal('London');
    expect(matchZone([london], { country: 'GB', postalCode: 'SE1 7PB' })).to.equal(null);
    expect(matchZone([bay], { country: 'US', region: 'CA', postalCode: '941' })).to.equal(null);
  });

  it('refuses zones that would claim one address at the same level, and allows nesting', () => {
    expect(findOverlap(bay, [us, ca])).to.equal(null);
    expect(findOverlap({ id: 'us2', name: 'US again', areas: [{ country: 'US' }] }, [us])!.zone.name).to.equal('US');
    expect(findOverlap({ id: 'ca2', name: 'Cal', areas: [{ country: 'FR' }, { country: 'US', region: 'US-CA' }] }, [ca])).to.deep.include({ areaIndex: 1 });
    expect(areasOverlap({ country: 'US', postalRules: [{ start: '941*', mode: 'include' }] }, { country: 'US', postalRules: [{ start: '94100', end: '94199', mode: 'include' }] })).to.equal(true);
    expect(areasOverlap({ country: 'US', postalRules: [{ start: '95000', end: '95999', mode: 'include' }] }, bay.areas[0])).to.equal(false);
    expect(areasOverlap({ country: 'US', region: 'NY', postalRules: [{ start: '94105', mode: 'include' }] }, bay.areas[0])).to.equal(false);
    expect(findOverlap(us, [us])).to.equal(null);
  });

  it('says what is wrong with a range', () => {
    expect(badRange({ start: '94999', end: '94000', mode: 'include' })).to.equal('end comes before start');
    expect(badRange({ start: '940', end: '94000', mode: 'include' })).to.equal('start and end must have the same length');
    expect(badRange({ start: '94*', end: '95', mode: 'include' })).to.match(/prefix/);
    expect(badRange({ start: '94000', end: '94999', mode: 'include' })).to.equal(null);
  });
});

describe('logistics calculators', () => {
  it('dimensional weight: 12x10x8 in at 5 lb with divisor 139 bills 7 lb; 40x30x25 cm at 4 kg with 5000 bills 6 kg', () => {
    expect(billableWeight(5, { length: 12, width: 10, height: 8 }, 139)).to.equal(7);
    expect(billableWeight(4, { length: 40, width: 30, height: 25 }, 5000)).to.equal(6);
    expect(billableWeight(9.2, { length: 40, width: 30, height: 25 }, 5000)).to.equal(10);
    expect(billableWeight(4, { length: 40.4, width: 29.6, height: 25.2 }, 6000)).to.equal(5);
    // Given in other units, converted first: 5 lb and 12x10x8 in stay exact.
    const lines = [line({ weight: { value: 80, unit: 'oz' }, dimensions: { length: 12, width: 10, height: 8, unit: 'in' } })];
    expect(totalBillable(lines, { weightUnit: 'lb', dimensionUnit: 'in', divisor: 139 })).to.equal(7);
    expect(totalBillable([line({ weight: { value: 4000, unit: 'g' }, dimensions: { length: 400, width: 300, height: 250, unit: 'mm' }, quantity: 2 })], { weightUnit: 'kg', dimensionUnit: 'cm', divisor: 5000 })).to.equal(12);
    expect(totalBillable([line()], { weightUnit: 'kg', dimensionUnit: 'cm', divisor: 5000 })).to.equal(null);
  });

  it('prices by dimensional weight from brackets', () => {
    const c = { type: 'dimensional' as const, weightUnit: 'lb' as const, dimensionUnit: 'in' as const, divisor: 139, brackets: [{ min: 0, max: 7, amount: 900 }, { min: 7, max: 10, amount: 1500 }] };
    expect(calculate(c, input({ lines: [line({ weight: { value: 5, unit: 'lb' }, dimensions: { length: 12, width: 10, height: 8, unit: 'in' } })] }))).to.equal(1500);
    expect(calculate(c, input({ lines: [line({ weight: { value: 5, unit: 'lb' } })] }))).to.equal(900);
  });

  it('order value: a cart exactly at the threshold ships free, one minor unit below pays', () => {
    const c = { type: 'order_value' as const, brackets: [{ min: 0, max: 2000, amount: 800 }, { min: 2000, amount: 500 }], freeOver: 5000 };
    expect(calculate(c, input({ subtotal: 5000 }))).to.equal(0);
    expect(calculate(c, input({ subtotal: 4999 }))).to.equal(500);
    expect(calculate(c, input({ subtotal: 1999 }))).to.equal(800);
    expect(calculate({ type: 'order_value', brackets: [{ min: 1000, amount: 300 }] }, input({ subtotal: 999 }))).to.equal(null);
  });

  it('weight brackets are [min, max) in their unit; above the top they reject or charge per extra unit', () => {
    const brackets = [{ min: 0, max: 1, amount: 500 }, { min: 1, max: 5, amount: 900 }];
    const kg = (value: number, unit: 'kg' | 'g' | 'lb' = 'kg') => input({ lines: [line({ weight: { value, unit } })] });
    expect(calculate({ type: 'weight', unit: 'kg', brackets }, kg(999, 'g'))).to.equal(500);
    expect(calculate({ type: 'weight', unit: 'kg', brackets }, kg(1))).to.equal(900);
    expect(calculate({ type: 'weight', unit: 'kg', brackets }, kg(5))).to.equal(null);
    expect(calculate({ type: 'weight', unit: 'kg', brackets, above: { mode: 'reject' } }, kg(7))).to.equal(null);
    expect(calculate({ type: 'weight', unit: 'kg', brackets, above: { mode: 'per_unit', amount: 200 } }, kg(7.2))).to.equal(900 + 3 * 200);
    expect(calculate({ type: 'weight', unit: 'kg', brackets }, kg(10, 'lb'))).to.equal(900);
    expect(calculate({ type: 'weight', unit: 'kg', brackets }, input())).to.equal(null);
  });

  it('flat per order and per item', () => {
    expect(calculate({ type: 'flat', amount: 700 }, input({ lines: [line({ quantity: 3 })] }))).to.equal(700);
    expect(calculate({ type: 'per_item', amount: 250, base: 100 }, input({ lines: [line({ quantity: 3 }), line({ quantity: 1 })] }))).to.equal(1100);
  });

  it('eligibility is checked apart from price: weight, subtotal, products, categories, customer groups', () => {
    const heavy = input({ lines: [line({ weight: { value: 12, unit: 'kg' } })] });
    expect(checkEligibility({ weight: { unit: 'kg', max: 10 } }, heavy)).to.deep.equal({ reason: 'weight' });
    expect(checkEligibility({ weight: { unit: 'kg', max: 10 } }, input())).to.deep.equal({ reason: 'weight_unknown' });
    expect(checkEligibility({ weight: { unit: 'kg', min: 10 } }, heavy)).to.equal(null);
    expect(checkEligibility({ subtotal: { min: 2000 } }, input({ subtotal: 1999 }))).to.deep.equal({ reason: 'subtotal' });
    expect(checkEligibility({ subtotal: { max: 2000 } }, input({ subtotal: 2000 }))).to.deep.equal({ reason: 'subtotal' });
    expect(checkEligibility({ excludedProductIds: ['p'] }, input())).to.deep.equal({ reason: 'excluded_product' });
    expect(checkEligibility({ excludedCategoryIds: ['c1'] }, input({ categories: new Map([['p', ['c0', 'c1']]]) }))).to.deep.equal({ reason: 'excluded_category' });
    expect(checkEligibility({ excludedCategoryIds: ['c1'] }, input({ categories: new Map([['p', ['c0']]]) }))).to.equal(null);
    expect(checkEligibility({ customerGroups: ['vip'] }, input())).to.deep.equal({ reason: 'customer_group' });
    expect(checkEligibility({ customerGroups: ['vip'] }, input({ groups: ['vip'] }))).to.equal(null);
  });

  it('refuses overlapping or inverted brackets', () => {
    expect(badBrackets([{ min: 0, max: 5, amount: 1 }, { min: 4, amount: 2 }])).to.match(/overlap/);
    expect(badBrackets([{ min: 5, max: 5, amount: 1 }])).to.match(/ends before/);
    expect(badBrackets([{ min: 0, max: 5, amount: 1 }, { min: 5, amount: 2 }])).to.equal(null);
  });
});
