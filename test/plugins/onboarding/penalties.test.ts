// ONB-11 beyond the four rates: the order defect rate and average rating from recorded ratings,
// chargebacks and claims; the spec's thresholds as vectors; weekly penalty points per breached
// metric, counted per quarter; restrictions at 3/6/9 points for 28 days, applied (no new listings
// enforced at the publish gate) and lifted (at their end, or on an overturned appeal); appeals
// within 7 days, decided once.
import { expect } from 'chai';
import type { TestKit } from '@bazaar/sdk/testing';
import { newId } from '../../../core/db/ids.js';
import { liveProduct, onboardingKit, openStore, productBody, reviewer } from './helpers.js';
import { quarterOf, scoreBreaches, scoreRates, tiersReached, weekOf, type WindowCounts } from '../../../plugins/onboarding/scorecard.rules.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';
const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };
const AMAZON = { odrMax: 1, cancelRateMax: 2.5, lateShipmentRateMax: 4, validTrackingRateMin: 95, returnRateMax: 10, minOrders: 10 };
const counts = (o: Partial<WindowCounts>): WindowCounts => ({ orders: 200, defective: 0, cancelledBySeller: 0, shipped: 200, shippedLate: 0, validTracking: 200, returned: 0, ratings: 0, ratingSum: 0, ...o });

describe('scorecard rules: the spec\'s vectors', () => {
  const table: [string, Partial<WindowCounts>, string[]][] = [
    ['ODR 1 of 200 (0.5%) meets the < 1% target', { defective: 1 }, []],
    ['ODR 2 of 200 (1%) breaches it', { defective: 2 }, ['odr']],
    ['cancel 4 of 200 (2%) meets < 2.5%', { cancelledBySeller: 4 }, []],
    ['cancel 5 of 200 (2.5%) breaches it', { cancelledBySeller: 5 }, ['cancelRate']],
    ['late 7 of 200 shipped (3.5%) meets < 4%', { shippedLate: 7 }, []],
    ['late 8 of 200 shipped (4%) breaches it', { shippedLate: 8 }, ['lateShipmentRate']],
    ['tracking 190 of 200 (95%) meets >= 95%', { validTracking: 190 }, []],
    ['tracking 189 of 200 (94.5%) breaches it', { validTracking: 189 }, ['validTrackingRate']],
    ['every target missed at once', { defective: 3, cancelledBySeller: 6, shippedLate: 9, validTracking: 150 }, ['odr', 'cancelRate', 'lateShipmentRate', 'validTrackingRate']],
    ['fewer orders than minOrders: nothing judged', { orders: 9, shipped: 9, validTracking: 9, defective: 9 }, []],
  ];
  for (const [what, c, want] of table) {
    it(what, () => {
      const x = counts(c);
      expect(scoreBreaches(scoreRates(x), x.orders, AMAZON)).to.deep.equal(want);
    });
  }
  it('average rating and rates to two decimals; nothing to divide by is null', () => {
    expect(scoreRates(counts({ ratings: 3, ratingSum: 11, defective: 1, orders: 3 }))).to.include({ averageRating: 3.67, odr: 33.33 });
    expect(scoreRates(counts({ orders: 0, shipped: 0, validTracking: 0 }))).to.deep.equal({ odr: null, cancelRate: null, lateShipmentRate: null, validTrackingRate: null, returnRate: null, averageRating: null });
  });
  it('weeks start on Monday (UTC); quarters reset the points', () => {
    expect(weekOf(new Date('2026-12-06T23:59:00Z'))).to.equal('2026-11-30');
    expect(weekOf(new Date('2026-12-07T00:00:00Z'))).to.equal('2026-12-07');
    expect(weekOf(new Date('2027-01-03T12:00:00Z'))).to.equal('2026-12-28');
    expect(quarterOf('2026-12-28')).to.equal('2026-Q4');
    expect(quarterOf('2027-01-04')).to.equal('2027-Q1');
    expect(quarterOf('2027-04-05')).to.equal('2027-Q2');
  });
  it('tiers 3/6/9: no campaigns, de-boost, no new listings', () => {
    expect(tiersReached(2, [3, 6, 9])).to.deep.equal([]);
    expect(tiersReached(3, [3, 6, 9])).to.deep.equal([{ level: 3, kind: 'no_campaigns' }]);
    expect(tiersReached(8, [3, 6, 9]).map((t) => t.kind)).to.deep.equal(['no_campaigns', 'deboost']);
    expect(tiersReached(9, [3, 6, 9]).map((t) => t.kind)).to.deep.equal(['no_campaigns', 'deboost', 'no_new_listings']);
  });
});

describe('onboarding penalties, restrictions and appeals (ONB-11)', function () {
  this.timeout(180_000);
  let kit: TestKit;
  let rev: string;
  let s: Awaited<ReturnType<typeof openStore>>;
  const db = () => kit.kernel.pool.control;

  before(async () => {
    kit = await onboardingKit({ sweepMs: 1000, autoApproveAfter: 100, scorecard: { minOrders: 1 } });
    rev = await reviewer(kit);
    s = await openStore(kit, rev);
  });
  after(async () => {
    await kit?.close();
  });

  async function paidOrder(variant: string): Promise<string> {
    const cart = await kit.post('/store/v1/carts', {}, { tenant: s.slug });
    const headers: Record<string, string> = cart.body.token ? { 'x-cart-token': String(cart.body.token) } : {};
    await kit.request('POST', `/store/v1/carts/${cart.body.cart.id}/lines`, { tenant: s.slug, headers, body: { variantId: variant, quantity: 1 } });
    const placed = await kit.request('POST', `/store/v1/carts/${cart.body.cart.id}/checkout`, { tenant: s.slug, headers, body: { email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } } });
    expect(placed.status, placed.text).to.equal(201);
    const paid = await kit.post(`/admin/v1/orders/${placed.body.order.id}/confirm-payment`, {}, { token: s.owner });
    expect(paid.status, paid.text).to.be.oneOf([200, 201]);
    return placed.body.order.id;
  }

  it('counts an order defective once for a 1-2 star rating, a chargeback or a claim; averages ratings; ODR breaches at 1%', async () => {
    const product = await liveProduct(kit, rev, s, 'Jasmine tea');
    const variant = (await kit.get(`/admin/v1/products/${product}`, { token: s.owner })).body.variants[0].id as string;
    const [bad, good, claimed] = [await paidOrder(variant), await paidOrder(variant), await paidOrder(variant)];
    await paidOrder(variant);
    const feedback = (body: Record<string, unknown>) => kit.post(`${R}/stores/${s.storeId}/feedback`, body, { token: rev });
    expect((await feedback({ orderId: bad, kind: 'rating', rating: 2 })).status).to.equal(201);
    expect((await feedback({ orderId: bad, kind: 'chargeback', reference: 'cb-1' })).status).to.equal(201);
    expect((await feedback({ orderId: good, kind: 'rating', rating: 5 })).status).to.equal(201);
    expect((await feedback({ orderId: claimed, kind: 'claim' })).status).to.equal(201);
    expect((await feedback({ orderId: good, kind: 'rating', rating: 4 })).body.code).to.equal('FEEDBACK_EXISTS');
    expect((await feedback({ orderId: good, kind: 'rating' })).status).to.equal(400);
    expect((await feedback({ orderId: good, kind: 'claim', rating: 3 })).status).to.equal(400);
    expect((await feedback({ orderId: good, kind: 'rating', rating: 6 })).status).to.equal(400);

    expect((await kit.post(`${R}/scorecards/compute`, {}, { token: rev })).status).to.equal(200);
    const card = (await kit.get(`${R}/stores/${s.storeId}/scorecard`, { token: rev })).body;
    expect(card.days30).to.include({ orders: 4, defective: 2, ratings: 2 });
    expect(card.days30.rates).to.include({ odr: 50, averageRating: 3.5, cancelRate: 0 });
    expect(card.days30.breaches).to.deep.equal(['odr']);
    expect(card.thresholds).to.include({ odrMax: 1 });
  });

  it('a breached metric is a point a week; 3/6/9 points in the quarter start 28-day restrictions; no new listings is enforced; the next quarter starts at 0', async () => {
    const first = await kit.post(`${R}/penalties/evaluate`, {}, { token: rev });
    expect(first.body).to.include({ points: 1, restricted: 0 });
    const again = await kit.post(`${R}/penalties/evaluate`, {}, { token: rev });
    expect(again.body).to.include({ points: 0, restricted: 0 });
    const quarter = first.body.quarter as string;
    let standing = (await kit.get(`${R}/stores/${s.storeId}/standing`, { token: rev })).body;
    expect(standing).to.include({ quarter, points: 1 });
    expect(standing.penalties).to.deep.equal([{ week: first.body.week, metric: 'odr', points: 1 }]);

    // Earlier weeks of this quarter, and a past quarter's points, which no longer count.
    const past = (week: string, q: string, metric: string) => ({ id: newId(), store_id: s.storeId, week, quarter: q, metric, points: 1, created_at: new Date() });
    await db()('onboarding_penalties').insert([past('1990-01-01', quarter, 'odr'), past('1990-01-08', quarter, 'odr'), ...['odr', 'cancelRate', 'lateShipmentRate', 'validTrackingRate', 'returnRate'].map((m) => past('1989-10-02', '1989-Q4', m))]);
    const tier1 = await kit.post(`${R}/penalties/evaluate`, {}, { token: rev });
    expect(tier1.body.restricted).to.equal(1);
    standing = (await kit.get(`${R}/stores/${s.storeId}/standing`, { token: rev })).body;
    expect(standing.points).to.equal(3);
    expect(standing.active).to.deep.equal(['no_campaigns']);
    const r3 = standing.restrictions[0];
    expect(r3).to.include({ level: 3, kind: 'no_campaigns', active: true });
    expect(Math.round((Date.parse(r3.endsAt) - Date.parse(r3.startsAt)) / 86_400_000)).to.equal(28);
    expect(Math.round((Date.parse(r3.appeal.dueAt) - Date.parse(r3.startsAt)) / 86_400_000)).to.equal(7);

    await db()('onboarding_penalties').insert(['1990-01-15', '1990-01-22', '1990-01-29', '1990-02-05', '1990-02-12', '1990-02-19'].map((w) => past(w, quarter, 'cancelRate')));
    expect((await kit.post(`${R}/penalties/evaluate`, {}, { token: rev })).body.restricted).to.equal(2);
    standing = (await kit.get(`${R}/stores/${s.storeId}/standing`, { token: rev })).body;
    expect(standing.points).to.equal(9);
    expect([...standing.active].sort()).to.deep.equal(['deboost', 'no_campaigns', 'no_new_listings']);
    const mine = await kit.get(`${A}/applications/${s.id}/standing`, { token: s.applicant.token });
    expect(mine.body.points).to.equal(9);
    expect(await db()('audit_log').where({ action: 'onboarding.restriction.applied', target_id: s.storeId })).to.have.length(3);

    const draft = await kit.post('/admin/v1/products', productBody('draft'), { token: s.owner });
    const refused = await kit.patch(`/admin/v1/products/${draft.body.id}`, { status: 'active' }, { token: s.owner });
    expect(refused.status).to.equal(409);
    expect(refused.body.reasons[0].code).to.equal('LISTING_RESTRICTED');
  });

  it('an appeal within 7 days, once; decided once (409 names the first); overturned lifts it; expired restrictions are lifted by the sweep', async () => {
    const standing = (await kit.get(`${A}/applications/${s.id}/standing`, { token: s.applicant.token })).body;
    const byKind = (k: string) => standing.restrictions.find((r: { kind: string }) => r.kind === k);
    const listings = byKind('no_new_listings');
    const filed = await kit.post(`${A}/applications/${s.id}/restrictions/${listings.id}/appeal`, { text: 'The chargeback was a shopper error, refunded since' }, { token: s.applicant.token });
    expect(filed.status, filed.text).to.equal(200);
    expect(filed.body.appeal).to.include({ status: 'pending' });
    expect((await kit.post(`${A}/applications/${s.id}/restrictions/${listings.id}/appeal`, { text: 'again' }, { token: s.applicant.token })).body.code).to.equal('APPEAL_EXISTS');

    const deboost = byKind('deboost');
    await db()('onboarding_restrictions').where('id', deboost.id).update({ starts_at: new Date(Date.now() - 8 * 86_400_000) });
    const late = await kit.post(`${A}/applications/${s.id}/restrictions/${deboost.id}/appeal`, { text: 'too late' }, { token: s.applicant.token });
    expect(late.status).to.equal(409);
    expect(late.body.code).to.equal('APPEAL_WINDOW_CLOSED');

    const queue = await kit.get(`${R}/appeals`, { token: rev });
    expect(queue.body.items.map((r: { id: string }) => r.id)).to.include(listings.id);
    const [a, b] = await Promise.all([kit.post(`${R}/restrictions/${listings.id}/appeal/decide`, { decision: 'overturn', note: 'refunded' }, { token: rev }), kit.post(`${R}/restrictions/${listings.id}/appeal/decide`, { decision: 'uphold' }, { token: rev })]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const lost = a.status === 409 ? a : b;
    expect(lost.body.code).to.equal('APPEAL_ALREADY_DECIDED');
    expect(lost.body.decidedBy).to.equal((await db()('platform_admins').first()).id);

    const draft = await kit.post('/admin/v1/products', productBody('draft'), { token: s.owner });
    const publish = await kit.patch(`/admin/v1/products/${draft.body.id}`, { status: 'active' }, { token: s.owner });
    const won = (a.status === 200 ? a : b).body;
    if (won.appeal.status === 'overturned') {
      expect(won).to.include({ active: false, liftReason: 'APPEAL_OVERTURNED' });
      expect(publish.body.reasons[0].code).to.equal('REVIEW_PENDING');
    } else {
      expect(won.active).to.equal(true);
      expect(publish.body.reasons[0].code).to.equal('LISTING_RESTRICTED');
    }

    const campaigns = byKind('no_campaigns');
    await db()('onboarding_restrictions').where('id', campaigns.id).update({ ends_at: new Date(Date.now() - 1000) });
    const lifted = await kit.waitFor(async () => {
      const r = await db()('onboarding_restrictions').where('id', campaigns.id).first();
      return r.lifted_at ? r : undefined;
    }, { what: 'the sweep lifting an expired restriction' });
    expect(lifted.lift_reason).to.equal('EXPIRED');
    const after = (await kit.get(`${R}/stores/${s.storeId}/standing`, { token: rev })).body;
    expect(after.active).not.to.include('no_campaigns');
  });
  it('an overturned appeal removes the points of the week that started the restriction (kept on record, void) and lifts any restriction they no longer reach; audited', async () => {
    const s2 = await openStore(kit, rev);
    const now = new Date();
    const week = weekOf(now);
    const quarter = quarterOf(week);
    const point = (w: string, metric: string) => ({ id: newId(), store_id: s2.storeId, week: w, quarter, metric, points: 1, created_at: now });
    await db()('onboarding_penalties').insert([point('1990-01-01', 'odr'), point('1990-01-08', 'odr'), ...['odr', 'cancelRate', 'lateShipmentRate', 'validTrackingRate'].map((m) => point(week, m))]);
    expect((await kit.post(`${R}/penalties/evaluate`, {}, { token: rev })).status).to.equal(200);
    let standing = (await kit.get(`${A}/applications/${s2.id}/standing`, { token: s2.applicant.token })).body;
    expect(standing.points).to.equal(6);
    expect([...standing.active].sort()).to.deep.equal(['deboost', 'no_campaigns']);
    const deboost = standing.restrictions.find((r: { kind: string }) => r.kind === 'deboost');
    const campaigns = standing.restrictions.find((r: { kind: string }) => r.kind === 'no_campaigns');

    expect((await kit.post(`${A}/applications/${s2.id}/restrictions/${deboost.id}/appeal`, { text: 'The carrier lost the scans that week' }, { token: s2.applicant.token })).status).to.equal(200);
    const decided = await kit.post(`${R}/restrictions/${deboost.id}/appeal/decide`, { decision: 'overturn', note: 'carrier outage' }, { token: rev });
    expect(decided.status, decided.text).to.equal(200);
    expect(decided.body).to.include({ active: false, liftReason: 'APPEAL_OVERTURNED' });

    standing = (await kit.get(`${R}/stores/${s2.storeId}/standing`, { token: rev })).body;
    expect(standing.points).to.equal(2);
    expect(standing.active).to.deep.equal([]);
    expect(standing.restrictions.find((r: { id: string }) => r.id === campaigns.id)).to.include({ active: false, liftReason: 'POINTS_REMOVED' });
    const voided = standing.penalties.filter((p: { voidedAt?: string }) => p.voidedAt);
    expect(voided.map((p: { metric: string }) => p.metric).sort()).to.deep.equal(['cancelRate', 'lateShipmentRate', 'odr', 'validTrackingRate']);
    expect(voided.every((p: { week: string; voidedByAppealOf: string }) => p.week === week && p.voidedByAppealOf === deboost.id)).to.equal(true);
    const audit = await db()('audit_log').where({ target_id: s2.storeId }).whereIn('action', ['onboarding.penalty.voided', 'onboarding.restriction.lifted']);
    expect(audit.map((a: { action: string }) => a.action).sort()).to.deep.equal(['onboarding.penalty.voided', 'onboarding.restriction.lifted']);

    // Evaluating the week again does not bring the points back.
    await kit.post(`${R}/penalties/evaluate`, {}, { token: rev });
    expect((await kit.get(`${R}/stores/${s2.storeId}/standing`, { token: rev })).body.points).to.equal(2);
  });
});
