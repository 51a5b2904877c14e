// The order side over HTTP against a real database: reversals on refunds (per returned line,
// in proportion to money, never above the earn, replay-safe), a negative balance netted against
// the next earn, and points as part of a payment (the JD vector at checkout, trim, cancel, refund).
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import { definePlugin, scoped, withTransaction } from '@bazaar/sdk';
import { hostOf } from '../../../core/plugins/host.js';
import membership, { clock } from '../../../plugins/membership/index.js';
import { GrowthEntry, Hold, Lot } from '../../../plugins/membership/membership.model.js';
import { steps } from './helpers.js';

// A stand-in for a coupons plugin (none exists yet): ten off every cart, coded `coupon:` as the
// checkout hooks' convention says.
const coupons = definePlugin({
  name: 'coupon-fixture', version: '1.0.0', core: '*', permissions: [],
  register(api) {
    api.hook('checkout.adjustments', async () => [{ label: 'Coupon TEN', amount: -1000, code: 'coupon:TEN' }]);
  },
});

const SETTINGS = { earn: { pointsPerUnit: 1, growthPerUnit: 1, returnWindowDays: 7 }, redeem: { pointsPerCurrencyUnit: 100, maxPercentOfOrder: 50, minRedeemUnit: 10 }, checkin: { perIpPerHour: 1000 } };

describe('membership over HTTP: refunds and points as payment', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let shop: KitTenant;
  let s: ReturnType<typeof steps>;

  before(async () => {
    kit = await startTestKit({ plugin: membership, plugins: [coupons] });
    s = steps(kit);
    shop = await kit.tenant({ enable: ['membership'], settings: { membership: SETTINGS } });
  });
  afterEach(() => clock.reset());
  after(async () => {
    clock.reset();
    await kit?.close();
  });

  it('a return of one unit of one line reverses exactly that share while pending; a later full refund reverses the rest, never more; replays write nothing', async () => {
    const token = await s.customer(shop);
    const a = await s.product(shop, 10_000);
    const b = await s.product(shop, 2_550);
    const order = await s.buy(shop, token, [{ variantId: a, quantity: 1 }, { variantId: b, quantity: 2 }]);
    const before = await s.handledCount(shop, 'membership.paid');
    await s.act(shop, order.id, 'confirm-payment');
    await s.handled(shop, 'membership.paid', before + 1);
    const member = await s.memberOf(shop, token);
    expect((await s.me(shop, token)).points).to.include({ pending: 151, available: 0 });

    await s.ship(shop, order.id);
    const lineB = order.lines.find((l) => l.variantId === b)!;
    const refundsBefore = await s.handledCount(shop, 'membership.refunded');
    const returnId = await s.returnLines(shop, order.id, [{ lineId: lineB.id, quantity: 1 }]);
    await s.handled(shop, 'membership.refunded', refundsBefore + 1);
    const item = await s.entries(shop, member.id, 'EARN_ORDER_REVERSAL_ITEM');
    expect(item.map((e) => ({ line: e.bizLineId, pending: Number(e.pendingDelta), available: Number(e.availableDelta) }))).to.deep.equal([{ line: lineB.id, pending: -25, available: 0 }]);
    const growthItem = await scoped(shop.ctx, GrowthEntry).where({ member_id: member.id, biz_type: 'EARN_ORDER_REVERSAL_ITEM' });
    expect(growthItem.map((g) => Number(g.pendingDelta))).to.deep.equal([-25]);
    expect((await s.me(shop, token)).points).to.include({ pending: 126, available: 0 });

    // The same refund event delivered again (five times): nothing new.
    const refund = (await kit.get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.refunds[0];
    for (let i = 0; i < 5; i++) await kit.emit(shop, 'refund.issued', { refundId: refund.id, orderId: order.id, returnId, amount: refund.amount, currency: 'USD', refundedAmount: refund.amount });
    await s.handled(shop, 'membership.refunded', refundsBefore + 6);
    expect(await s.entries(shop, member.id, 'EARN_ORDER_REVERSAL_ITEM')).to.have.length(1);

    // After the window: available; then everything left is refunded: a reversal of the rest only.
    await s.act(shop, order.id, 'complete');
    await kit.waitFor(async () => (await scoped(shop.ctx, Lot).where({ source_id: order.id }).whereNotNull('available_at').resultSize()) === 2, { what: 'the window to start' });
    clock.advanceDays(8);
    expect((await s.me(shop, token)).points).to.include({ pending: 0, available: 126 });
    const view = (await kit.get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body;
    const rest = view.totals.paid - view.totals.refunded;
    await s.act(shop, order.id, 'refunds', { amount: rest, reason: 'goodwill' });
    await s.handled(shop, 'membership.refunded', refundsBefore + 7);
    const full = await s.entries(shop, member.id, 'EARN_ORDER_REVERSAL_FULL');
    expect(full.map((e) => Number(e.availableDelta)).sort((x, y) => x - y)).to.deep.equal([-100, -26]);
    const all = [...item, ...full].reduce((sum, e) => sum + Number(e.availableDelta) + Number(e.pendingDelta), 0);
    expect(all).to.equal(-151);
    const after = await s.me(shop, token);
    expect(after.points).to.include({ pending: 0, available: 0, debt: 0 });
    expect(after.growth.lifetime).to.equal(0);
    await s.clean(shop);
  });

  it("reads the store's settings inside a subscriber's transaction when the plugin rows are no longer remembered, without waiting for SQLite's one connection", async () => {
    // Every subscriber runs in the transaction of its receipt, and onRefund reads the settings
    // there. The plugin rows are remembered 5 s; when they expired between the job's gate and that
    // read (a slow queue: the job waited its turn for the one connection), the read went to the
    // database around the transaction and waited for knex's minute: the 7th refund above timed out.
    const host = hostOf(kit.kernel);
    host.state.forget(shop.tenant.id);
    const read = withTransaction(shop.ctx, async (trx) => host.settingsOf(host.get('membership')!, trx));
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 3_000).unref());
    const settings = await Promise.race([read, late]);
    expect(settings, 'the read waited for the connection its transaction holds').to.not.equal('late');
    expect(settings).to.deep.include({ earn: { ...(settings as { earn: object }).earn, returnWindowDays: 7 } });
    await read;
  });

  it('a reversal that finds the points spent leaves a negative balance that blocks redemption and is netted against the next earn', async () => {
    const token = await s.customer(shop);
    const v = await s.product(shop, 5_000);
    const first = await s.buy(shop, token, [{ variantId: v, quantity: 1 }]);
    await s.act(shop, first.id, 'confirm-payment');
    await s.complete(shop, first.id);
    await kit.waitFor(async () => (await scoped(shop.ctx, Lot).where({ source_id: first.id }).whereNotNull('available_at').first()) ?? false, { what: 'the window to start' });
    clock.advanceDays(8);
    expect((await s.me(shop, token)).points).to.include({ available: 50 });

    // Spend all 50 on a second order (10.00: the cap is 5.00 = 500 points, so 50 fit).
    const cheap = await s.product(shop, 1_000);
    const second = await s.buy(shop, token, [{ variantId: cheap, quantity: 1 }], 50);
    expect(second.adjustments.find((x) => x.source === 'membership')).to.include({ amount: -50, code: 'points:50' });
    await s.act(shop, second.id, 'confirm-payment');
    await kit.waitFor(async () => (await scoped(shop.ctx, Hold).where({ order_id: second.id, status: 'spent' }).first()) ?? false, { what: 'the points to be spent' });
    expect((await s.me(shop, token)).points).to.include({ available: 0, held: 0 });

    // The first order is refunded whole after its window: 50 to take back, none left.
    const member = await s.memberOf(shop, token);
    await s.act(shop, first.id, 'refunds', { amount: 5_000 });
    await kit.waitFor(async () => (await s.entries(shop, member.id, 'EARN_ORDER_REVERSAL_FULL')).length === 1, { what: 'the reversal' });
    let view = await s.me(shop, token);
    expect(view.points).to.include({ available: -50, debt: 50 });
    const cart = await s.cart(shop, token, [{ variantId: cheap, quantity: 1 }]);
    const refused = await s.hold(shop, token, cart, 10);
    expect(refused.status, refused.text).to.equal(409);
    expect(refused.body.code).to.equal('MEMBERSHIP_POINTS_INSUFFICIENT');

    // The next earn (the second order, 9.50 paid in money: 9 points) pays the debt down first.
    await s.complete(shop, second.id);
    await kit.waitFor(async () => (await scoped(shop.ctx, Lot).where({ source_id: second.id }).whereNotNull('available_at').first()) ?? false, { what: 'the window to start' });
    clock.advanceDays(8);
    view = await s.me(shop, token);
    expect(view.points).to.include({ available: -41, debt: 41 });
    await s.clean(shop);
  });

  it('JD over HTTP: a 40.00 order with 5,000 points held and a 50% cap takes 2,000 points (20.00); the rest goes back, money and points add up to the total', async () => {
    const jd = await kit.tenant({ enable: ['membership'], settings: { membership: { redeem: { pointsPerCurrencyUnit: 100, maxPercentOfOrder: 50, minRedeemUnit: 1000 } } } });
    const token = await s.customer(jd);
    const member = await s.memberOf(jd, token);
    expect((await s.adjust(jd, member.id, { points: 5000, reasonCode: 'migration' })).status).to.equal(201);
    const v = await s.product(jd, 4_000);
    const cartId = await s.cart(jd, token, [{ variantId: v, quantity: 1 }]);
    const odd = await s.hold(jd, token, cartId, 1500);
    expect(odd.status, odd.text).to.equal(400);
    expect(odd.body.code).to.equal('MEMBERSHIP_REDEEM_UNIT');
    const tooMany = await s.hold(jd, token, cartId, 6000);
    expect(tooMany.status).to.equal(409);
    const held = await s.hold(jd, token, cartId, 5000);
    expect(held.status, held.text).to.equal(200);
    expect((await s.me(jd, token)).points).to.include({ available: 0, held: 5000 });

    const order = await s.checkout(jd, token, cartId);
    const adj = order.adjustments.find((a) => a.source === 'membership')!;
    expect(adj).to.include({ amount: -2000, code: 'points:2000' });
    expect(order.totals).to.include({ subtotal: 4000, adjustments: -2000 });
    expect(order.totals.total).to.equal(4000 + order.totals.shipping + order.totals.tax - 2000);
    await kit.waitFor(async () => (await scoped(jd.ctx, Hold).where({ order_id: order.id }).first()) ?? false, { what: 'the hold to attach' });
    expect((await s.me(jd, token)).points).to.include({ available: 3000, held: 2000 });

    await s.act(jd, order.id, 'confirm-payment');
    await kit.waitFor(async () => (await scoped(jd.ctx, Hold).where({ order_id: order.id, status: 'spent' }).first()) ?? false, { what: 'the points to be spent' });
    expect((await s.me(jd, token)).points).to.include({ available: 3000, held: 0 });
    const pay = await kit.get(`/store/v1/membership/orders/${order.id}/payment`, { tenant: jd.slug, token });
    expect(pay.status, pay.text).to.equal(200);
    expect(pay.body).to.include({ points: 2000, pointsValue: 2000, money: order.totals.total, total: order.totals.total + 2000, currency: 'USD', pointsStatus: 'spent' });
    // Somebody else's order is not found.
    const other = await s.customer(jd);
    expect((await kit.get(`/store/v1/membership/orders/${order.id}/payment`, { tenant: jd.slug, token: other })).status).to.equal(404);

    // Half the money back: half the points back (to the lot they came from).
    await s.act(jd, order.id, 'refunds', { amount: Math.floor(order.totals.total / 2) });
    await kit.waitFor(async () => Number((await scoped(jd.ctx, Hold).where({ order_id: order.id }).first())!.restored) > 0, { what: 'points restored' });
    expect((await s.me(jd, token)).points.available).to.equal(3000 + Math.floor((2000 * Math.floor(order.totals.total / 2)) / order.totals.total));
    await s.clean(jd);
  });

  it('cancelling an unpaid order gives its points back whole; DELETE gives back a cart hold; a stranger cannot hold on my cart', async () => {
    const token = await s.customer(shop);
    const member = await s.memberOf(shop, token);
    expect((await s.adjust(shop, member.id, { points: 300 })).status).to.equal(201);
    const v = await s.product(shop, 2_000);
    const order = await s.buy(shop, token, [{ variantId: v, quantity: 1 }], 300);
    expect(order.adjustments.find((a) => a.source === 'membership')).to.include({ amount: -300, code: 'points:300' });
    await kit.waitFor(async () => (await scoped(shop.ctx, Hold).where({ order_id: order.id }).first()) ?? false, { what: 'the hold to attach' });
    expect((await s.me(shop, token)).points).to.include({ available: 0, held: 300 });
    await s.act(shop, order.id, 'cancel', { reason: 'customer asked' });
    await kit.waitFor(async () => (await scoped(shop.ctx, Hold).where({ order_id: order.id, status: 'released' }).first()) ?? false, { what: 'the points to come back' });
    expect((await s.me(shop, token)).points).to.include({ available: 300, held: 0 });

    const cartId = await s.cart(shop, token, [{ variantId: v, quantity: 1 }]);
    expect((await s.hold(shop, token, cartId, 200)).status).to.equal(200);
    const stranger = await s.customer(shop);
    expect((await s.hold(shop, stranger, cartId, 10)).status).to.equal(404);
    expect((await kit.request('PUT', `/store/v1/membership/carts/${cartId}/points`, { tenant: shop.slug, body: { points: 10 } })).status).to.equal(401);
    expect((await s.hold(shop, token, cartId, 0)).status).to.equal(400);
    expect((await s.me(shop, token)).points).to.include({ available: 100, held: 200 });
    expect((await kit.del(`/store/v1/membership/carts/${cartId}/points`, { tenant: shop.slug, token })).status).to.equal(204);
    expect((await s.me(shop, token)).points).to.include({ available: 300, held: 0 });
    await s.clean(shop);
  });

  it('lifetime basis: a refund after the window that takes growth under the threshold drops the tier by one, at once', async () => {
    const t = await kit.tenant({ enable: ['membership'], settings: { membership: { tiers: { basis: 'lifetime' } } } });
    await s.setTiers(t, [{ rank: 0, name: 'Base', threshold: 0 }, { rank: 1, name: 'Silver', threshold: 50 }, { rank: 2, name: 'Gold', threshold: 55 }]);
    const token = await s.customer(t);
    const order = await s.buy(t, token, [{ variantId: await s.product(t, 6_000), quantity: 1 }]);
    await s.act(t, order.id, 'confirm-payment');
    await s.complete(t, order.id);
    await kit.waitFor(async () => (await scoped(t.ctx, Lot).where({ source_id: order.id }).whereNotNull('available_at').first()) ?? false, { what: 'the window to start' });
    clock.advanceDays(8);
    expect((await s.me(t, token)).tier.name).to.equal('Gold');
    // A year on, the daily job leaves a lifetime tier alone.
    clock.advanceDays(400);
    expect((await s.daily(t)).terms).to.deep.equal({ renewed: 0, down: 0 });
    expect((await s.me(t, token)).tier.name).to.equal('Gold');
    await s.act(t, order.id, 'refunds', { amount: 2_000 });
    await kit.waitFor(async () => (await s.me(t, token)).growth.lifetime === 40, { what: 'the growth reversal' });
    expect((await s.me(t, token)).tier.name).to.equal('Silver');
    await s.clean(t);
  });

  it('points given back after their lot expired go to a new lot living restoreGraceDays', async () => {
    const t = await kit.tenant({ enable: ['membership'], settings: { membership: { expiry: { policy: 'rolling_days', days: 10, restoreGraceDays: 30, noticeDays: 0 }, redeem: { minRedeemUnit: 10 } } } });
    const token = await s.customer(t);
    const member = await s.memberOf(t, token);
    expect((await s.adjust(t, member.id, { points: 100 })).status).to.equal(201);
    const order = await s.buy(t, token, [{ variantId: await s.product(t, 1_000), quantity: 1 }], 100);
    await s.act(t, order.id, 'confirm-payment');
    await kit.waitFor(async () => (await scoped(t.ctx, Hold).where({ order_id: order.id, status: 'spent' }).first()) ?? false, { what: 'the points to be spent' });
    clock.advanceDays(11);
    await s.daily(t);
    expect((await s.me(t, token)).points.available).to.equal(0);
    await s.act(t, order.id, 'refunds', { amount: order.totals.total });
    const view = await kit.waitFor(async () => {
      const v = await s.me(t, token);
      return v.points.available === 100 ? v : false;
    }, { what: 'the points to come back' });
    const left = Date.parse(view.points.nextExpiry.at) - clock.now().getTime();
    expect(view.points.nextExpiry.points).to.equal(100);
    expect(left).to.be.within(29.9 * 86_400_000, 30.01 * 86_400_000);
    expect(await scoped(t.ctx, Lot).where({ member_id: member.id, source_type: 'RESTORE' }).resultSize()).to.equal(1);
    await s.clean(t);
  });

  describe('with coupons (combinableWithCoupons)', () => {
    const redeem = { pointsPerCurrencyUnit: 100, maxPercentOfOrder: 50, minRedeemUnit: 100 };
    async function withPoints(t: KitTenant, points: number) {
      const token = await s.customer(t);
      const member = await s.memberOf(t, token);
      expect((await s.adjust(t, member.id, { points, reasonCode: 'migration' })).status).to.equal(201);
      return token;
    }

    it('combinable: the points cap is worked out on the subtotal after the coupon (40.00 - 10.00, 50%: 1,500 points)', async () => {
      const t = await kit.tenant({ enable: ['membership', 'coupon-fixture'], settings: { membership: { redeem: { ...redeem, combinableWithCoupons: true } } } });
      const token = await withPoints(t, 5000);
      const order = await s.buy(t, token, [{ variantId: await s.product(t, 4_000), quantity: 1 }], 5000);
      expect(order.adjustments.map((a) => [a.source, a.amount, a.code])).to.deep.equal([['coupon-fixture', -1000, 'coupon:TEN'], ['membership', -1500, 'points:1500']]);
      expect(order.totals.total).to.equal(4000 + order.totals.shipping + order.totals.tax - 1000 - 1500);
      await kit.waitFor(async () => (await scoped(t.ctx, Hold).where({ order_id: order.id }).first()) ?? false, { what: 'the hold to attach' });
      expect((await s.me(t, token)).points).to.include({ available: 3500, held: 1500 });
      await s.clean(t);
    });

    it('not combinable: with a coupon on the cart no points are taken and the hold goes back whole; without one they are', async () => {
      const t = await kit.tenant({ enable: ['membership', 'coupon-fixture'], settings: { membership: { redeem: { ...redeem, combinableWithCoupons: false } } } });
      const token = await withPoints(t, 5000);
      const v = await s.product(t, 4_000);
      const order = await s.buy(t, token, [{ variantId: v, quantity: 1 }], 1000);
      expect(order.adjustments.map((a) => a.source)).to.deep.equal(['coupon-fixture']);
      await kit.waitFor(async () => (await scoped(t.ctx, Hold).where({ cart_id: order.cartId, status: 'released' }).first()) ?? false, { what: 'the hold to go back' });
      expect((await s.me(t, token)).points).to.include({ available: 5000, held: 0 });

      expect((await kit.disable(t, 'coupon-fixture')).status).to.equal(200);
      const plain = await s.buy(t, token, [{ variantId: v, quantity: 1 }], 1000);
      expect(plain.adjustments.map((a) => [a.source, a.amount])).to.deep.equal([['membership', -1000]]);
      await s.clean(t);
    });
  });

  describe('step-up before spending points (LOY-10)', () => {
    async function member(t: KitTenant, points: number) {
      const who = await s.signup(t);
      const m = await s.memberOf(t, who.token);
      expect((await s.adjust(t, m.id, { points, reasonCode: 'migration' })).status).to.equal(201);
      return who;
    }
    const codeFrom = (email: string) => {
      const mail = s.mails(email).pop();
      expect(mail, 'a step-up mail').to.not.equal(undefined);
      return /\b(\d{6})\b/.exec(mail!.text)![1];
    };

    it('above the threshold: refused without a code, a mailed code works once, a wrong one never', async () => {
      const t = await kit.tenant({ enable: ['membership'], settings: { membership: { redeem: { minRedeemUnit: 100, stepUpAbovePoints: 1000 } } } });
      const { token, email } = await member(t, 5000);
      const v = await s.product(t, 100_000);
      const cartId = await s.cart(t, token, [{ variantId: v, quantity: 1 }]);
      expect((await s.hold(t, token, cartId, 1000)).status).to.equal(200);
      const refused = await s.hold(t, token, cartId, 2000);
      expect(refused.status, refused.text).to.equal(403);
      expect(refused.body).to.include({ code: 'MEMBERSHIP_STEP_UP_REQUIRED', reason: 'threshold' });
      expect(refused.body.errors[0].pointer).to.equal('/stepUpCode');
      const sent = await kit.post('/store/v1/membership/step-up', {}, { tenant: t.slug, token });
      expect(sent.status, sent.text).to.equal(202);
      expect(sent.body.sentTo).to.equal(`${email[0]}***@example.com`);
      const code = await kit.waitFor(() => s.mails(email).length > 0 && codeFrom(email), { what: 'the mail' });
      const wrong = await s.hold(t, token, cartId, 2000, { stepUpCode: code === '000000' ? '000001' : '000000' });
      expect(wrong.status).to.equal(403);
      expect(wrong.body.code).to.equal('MEMBERSHIP_STEP_UP_INVALID');
      const ok = await s.hold(t, token, cartId, 2000, { stepUpCode: code });
      expect(ok.status, ok.text).to.equal(200);
      expect((await s.me(t, token)).points).to.include({ available: 3000, held: 2000 });
      expect((await s.hold(t, token, cartId, 2000, { stepUpCode: code })).status).to.equal(403);
      expect((await s.hold(t, token, cartId, 2000, { stepUpCode: 'abc' })).status).to.equal(400);
    });

    it('within 24 hours of a password change every redemption needs a code; after them it does not; at most five codes an hour', async () => {
      const t = await kit.tenant({ enable: ['membership'], settings: { membership: { redeem: { minRedeemUnit: 100 } } } });
      const { email, password } = await member(t, 500);
      const first = await kit.post('/store/v1/auth/login', { email, password }, { tenant: t.slug });
      const changed = await kit.post('/store/v1/auth/password', { currentPassword: password, newPassword: 'another long passphrase 2' }, { tenant: t.slug, token: first.body.token });
      expect(changed.status, changed.text).to.equal(204);
      const login = await kit.post('/store/v1/auth/login', { email, password: 'another long passphrase 2' }, { tenant: t.slug });
      expect(login.status, login.text).to.equal(200);
      const token = login.body.token as string;
      const cartId = await s.cart(t, token, [{ variantId: await s.product(t, 10_000), quantity: 1 }]);
      const refused = await s.hold(t, token, cartId, 100);
      expect(refused.status).to.equal(403);
      expect(refused.body).to.include({ code: 'MEMBERSHIP_STEP_UP_REQUIRED', reason: 'recent_credential_change' });
      clock.advanceDays(1.05);
      expect((await s.hold(t, token, cartId, 100)).status).to.equal(200);

      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await kit.post('/store/v1/membership/step-up', {}, { tenant: t.slug, token })).status);
      expect(codes).to.deep.equal([202, 202, 202, 202, 202, 429]);
    });
  });
});
