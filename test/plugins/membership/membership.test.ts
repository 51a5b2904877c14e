// The membership plugin against a real database: ledgers and replays, the return window,
// refunds per line, points as payment (the JD example), tiers, check-in, expiry, adjustments.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import { scoped } from '@bazaar/sdk';
import membership, { clock } from '../../../plugins/membership/index.js';
import { Lot, Member, PointsEntry } from '../../../plugins/membership/membership.model.js';
import { reconcile } from '../../../plugins/membership/ledger.js';
import { maxRedeemable } from '../../../plugins/membership/orders.js';
import { endOfTerm } from '../../../plugins/membership/tiers.js';
import type { MembershipSettings } from '../../../plugins/membership/settings.js';
import type { Tier } from '../../../plugins/membership/membership.model.js';

const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };
const SETTINGS = { earn: { pointsPerUnit: 1, growthPerUnit: 1, returnWindowDays: 7 }, checkin: { points: 10, growth: 1, streakBonuses: [{ day: 3, points: 30, growth: 3 }], perIpPerHour: 1000 } };

describe('membership plugin', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let shop: KitTenant;
  let seq = 0;

  async function product(t: KitTenant, price: number, stock = 50): Promise<string> {
    const res = await kit.post('/admin/v1/products', {
      status: 'active', translations: { en: { name: `P${++seq}`, description: 'x' } }, attributes: {}, images: [], categoryIds: [],
      variants: [{ sku: `SKU-${seq}-${Date.now()}`, prices: [{ currency: 'USD', amount: price }], stock }],
    }, { token: t.ownerToken });
    expect(res.status, res.text).to.equal(201);
    return res.body.variants[0].id;
  }
  async function customer(t: KitTenant): Promise<string> {
    const res = await kit.post('/store/v1/auth/signup', { email: `c${++seq}-${Date.now()}@example.com`, password: 'correct horse battery staple', name: 'Ada' }, { tenant: t.slug });
    expect(res.status, res.text).to.equal(201);
    return res.body.token;
  }
  async function buy(t: KitTenant, token: string, lines: { variantId: string; quantity: number }[], points?: number) {
    const cart = await kit.post('/store/v1/carts', {}, { tenant: t.slug, token });
    expect(cart.status, cart.text).to.be.oneOf([200, 201]);
    const cartId = cart.body.cart.id;
    for (const l of lines) expect((await kit.post(`/store/v1/carts/${cartId}/lines`, l, { tenant: t.slug, token })).status).to.equal(200);
    if (points) {
      const held = await kit.put(`/store/v1/membership/carts/${cartId}/points`, { points }, { tenant: t.slug, token });
      expect(held.status, held.text).to.equal(200);
    }
    const res = await kit.post(`/store/v1/carts/${cartId}/checkout`, { shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, token });
    expect(res.status, res.text).to.equal(201);
    return res.body.order as { id: string; totalAmount: number; lines: { id: string; totalAmount: number; quantity: number }[]; adjustments: { source: string; amount: number; code?: string }[] };
  }
  const act = async (t: KitTenant, orderId: string, action: string, body: unknown = {}) => {
    const res = await kit.post(`/admin/v1/orders/${orderId}/${action}`, body, { token: t.ownerToken });
    expect(res.status, `${action}: ${res.text}`).to.be.oneOf([200, 201]);
    return res.body;
  };
  const complete = async (t: KitTenant, orderId: string) => {
    await act(t, orderId, 'shipments', { carrier: 'DHL', trackingNumber: `T${++seq}` });
    await act(t, orderId, 'deliver');
    await act(t, orderId, 'complete');
  };
  const me = async (t: KitTenant, token: string) => {
    const res = await kit.get('/store/v1/membership/me', { tenant: t.slug, token });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  };
  const memberOf = async (t: KitTenant, token: string) => (await scoped(t.ctx, Member).findById((await me(t, token)).memberId))!;
  const entries = async (t: KitTenant, memberId: string, bizType?: string) => {
    const q = scoped(t.ctx, PointsEntry).where('member_id', memberId);
    if (bizType) q.where('biz_type', bizType);
    return q.orderBy('id');
  };
  const handled = async (t: KitTenant, subscriber: string, n: number) =>
    kit.waitFor(async () => {
      const rows = (await t.ctx.db('handled_events').where({ tenant_id: t.tenant.id, subscriber }).count({ c: '*' })) as { c: number | string }[];
      return Number(rows[0].c) >= n;
    }, { what: `${n} ${subscriber}` });
  const daily = async (t: KitTenant) => {
    const res = await kit.post('/admin/v1/membership/jobs/daily', {}, { token: t.ownerToken });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  };
  const clean = async (t: KitTenant) => expect((await reconcile(t.ctx)).mismatches).to.deep.equal([]);

  before(async () => {
    kit = await startTestKit({ plugin: membership });
    shop = await kit.tenant({ enable: ['membership'], settings: { membership: SETTINGS } });
  });
  afterEach(() => clock.reset());
  after(async () => {
    clock.reset();
    await kit?.close();
  });

  it('earns pending points per line on a paid order, and five deliveries of order.paid write one row per line', async () => {
    const token = await customer(shop);
    const a = await product(shop, 10_000);
    const b = await product(shop, 2_550);
    const order = await buy(shop, token, [{ variantId: a, quantity: 1 }, { variantId: b, quantity: 2 }]);
    await act(shop, order.id, 'confirm-payment');
    await handled(shop, 'membership.paid', 1);
    const member = await memberOf(shop, token);
    const base = { orderId: order.id, number: 1, status: 'paid' as const, currency: 'USD', customerId: member.customerId, amount: order.totalAmount, paidAmount: order.totalAmount, total: order.totalAmount };
    for (let i = 0; i < 5; i++) await kit.emit(shop, 'order.paid', base);
    await handled(shop, 'membership.paid', 6);
    const earned = await entries(shop, member.id, 'EARN_ORDER');
    expect(earned).to.have.length(2);
    expect(earned.map((e) => Number(e.pendingDelta)).sort((x, y) => x - y)).to.deep.equal([51, 100]);
    const view = await me(shop, token);
    expect(view.points).to.include({ available: 0, pending: 151 });
    expect(view.growth.pending).to.equal(151);
    await clean(shop);
  });

  it('keeps points pending through the return window after completion, then makes them available', async () => {
    const token = await customer(shop);
    const v = await product(shop, 5_000);
    const order = await buy(shop, token, [{ variantId: v, quantity: 1 }]);
    await act(shop, order.id, 'confirm-payment');
    await handled(shop, 'membership.paid', 7);
    await complete(shop, order.id);
    await kit.waitFor(async () => (await scoped(shop.ctx, Lot).where({ source_id: order.id }).whereNotNull('available_at').first()) ?? false, { what: 'the window to start' });
    clock.advanceDays(6);
    expect((await me(shop, token)).points).to.include({ available: 0, pending: 50 });
    clock.advanceDays(2);
    const view = await me(shop, token);
    expect(view.points).to.include({ available: 50, pending: 0 });
    expect(view.growth).to.include({ value: 50, pending: 0 });
    await clean(shop);
  });

  it('upgrades at once on crossing a threshold, keeps the tier for the term, then drops one tier only', async () => {
    const tiers = await kit.put('/admin/v1/membership/tiers', {
      confirm: true,
      tiers: [
        { rank: 0, name: 'Bronze', threshold: 0 },
        { rank: 1, name: 'Silver', threshold: 100, benefits: [{ type: 'free_shipping_threshold', amount: 0 }] },
        { rank: 2, name: 'Gold', threshold: 300, entryRewardPoints: 20, benefits: [{ type: 'member_price_discount_percent', percent: 10 }, { type: 'points_multiplier', percent: 200 }] },
      ],
    }, { token: shop.ownerToken });
    expect(tiers.status, JSON.stringify(kit.logs.filter((l) => l.level >= 50).slice(-2))).to.equal(200);
    const token = await customer(shop);
    const member = await memberOf(shop, token);
    expect((await me(shop, token)).tier.name).to.equal('Bronze');
    const adj = await kit.post(`/admin/v1/membership/members/${member.id}/adjustments`, { growth: 350, reasonCode: 'migration' }, { token: shop.ownerToken });
    expect(adj.status, adj.text).to.equal(201);
    let view = await me(shop, token);
    expect(view.tier.name).to.equal('Gold');
    expect(view.points.available).to.equal(20);
    // 11 months on, still Gold (guaranteed), though the growth is out of the rolling window later.
    clock.advanceDays(330);
    expect((await daily(shop)).terms).to.deep.equal({ renewed: 0, down: 0 });
    expect((await me(shop, token)).tier.name).to.equal('Gold');
    clock.advanceDays(40);
    expect((await daily(shop)).terms.down).to.be.greaterThan(0);
    view = await me(shop, token);
    expect(view.tier.name).to.equal('Silver');
    expect(view.points.available).to.equal(20);
    await clean(shop);
  });

  it('refuses to update a ledger row, and the reconciliation reports a tampered balance', async () => {
    const [row] = await scoped(shop.ctx, PointsEntry).limit(1);
    let refused = false;
    try {
      await scoped(shop.ctx, PointsEntry).patch({ availableDelta: 999_999 }).where('id', row.id);
    } catch (err) {
      refused = /append-only/.test(String((err as Error).message));
    }
    expect(refused).to.equal(true);
    const m = (await scoped(shop.ctx, Member).limit(1))[0];
    await scoped(shop.ctx, Member).patch({ pointsAvailable: Number(m.pointsAvailable) + 7 }).where('id', m.id);
    const result = await reconcile(shop.ctx);
    expect(result.mismatches.map((x) => x.field)).to.include('pointsAvailable');
    await scoped(shop.ctx, Member).patch({ pointsAvailable: Number(m.pointsAvailable) }).where('id', m.id);
    await clean(shop);
  });
});

describe('membership: pure rules', () => {
  const s = {
    redeem: { enabled: true, pointsPerCurrencyUnit: 100, maxPercentOfOrder: 50, minRedeemUnit: 100, includeShipping: false, combinableWithCoupons: true, holdMinutes: 120 },
  } as MembershipSettings;

  it('JD: a 40.00 order with 5,000 points and a 50% cap takes at most 20.00 in points', () => {
    expect(maxRedeemable({ base: 4000, currency: 'CNY', points: 5000 }, s)).to.deep.equal({ points: 2000, value: 2000 });
    expect(maxRedeemable({ base: 4000, currency: 'CNY', points: 1250 }, s)).to.deep.equal({ points: 1200, value: 1200 });
    expect(maxRedeemable({ base: 150, currency: 'CNY', points: 5000 }, s)).to.deep.equal({ points: 0, value: 0 });
    expect(maxRedeemable({ base: 4000, currency: 'JPY', points: 5000 }, s)).to.deep.equal({ points: 5000, value: 50 });
  });

  it('drops at most one tier at the end of a term, and renews a member still above the threshold', () => {
    const tiers = [{ id: 'b', rank: 0, threshold: 0 }, { id: 's', rank: 1, threshold: 1000 }, { id: 'g', rank: 2, threshold: 5000 }] as Tier[];
    expect(endOfTerm(tiers, 'g', 0)).to.deep.equal({ tierId: 's', move: 'down' });
    expect(endOfTerm(tiers, 'g', 6000)).to.deep.equal({ tierId: 'g', move: 'renew' });
    expect(endOfTerm(tiers, 's', 0)).to.deep.equal({ tierId: 'b', move: 'down' });
  });
});

