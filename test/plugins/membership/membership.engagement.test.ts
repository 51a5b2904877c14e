// Check-in, birthday gifts, referrals, manual adjustments, expiry lots and tier benefits over
// HTTP against a real database; the daily job is run the way its schedule runs it.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import { scoped } from '@bazaar/sdk';
import membership, { clock } from '../../../plugins/membership/index.js';
import { Allocation, Lot, PointsEntry } from '../../../plugins/membership/membership.model.js';
import { expiryFor } from '../../../plugins/membership/orders.js';
import { localDay } from '../../../plugins/membership/clock.js';
import type { MembershipSettings } from '../../../plugins/membership/settings.js';
import { steps } from './helpers.js';

describe('membership over HTTP: check-in, gifts, referrals, adjustments, expiry, benefits', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let s: ReturnType<typeof steps>;
  const daily = (t: KitTenant) => s.daily(t);

  before(async () => {
    kit = await startTestKit({ plugin: membership });
    s = steps(kit);
  });
  afterEach(() => clock.reset());
  after(async () => {
    clock.reset();
    await kit?.close();
  });

  describe('check-in', () => {
    let shop: KitTenant;
    before(async () => {
      shop = await kit.tenant({ enable: ['membership'], settings: { membership: { timeZone: 'Asia/Shanghai', checkin: { points: 10, growth: 1, streakBonuses: [{ day: 3, points: 30, growth: 3 }], perIpPerHour: 1000 } } } });
    });
    const checkin = (token?: string) => kit.post('/store/v1/membership/checkins', {}, { tenant: shop.slug, ...(token ? { token } : {}) });

    it('counts days in the store time zone: at 17:30 UTC it is already tomorrow in Shanghai', async () => {
      const now = new Date();
      const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 17, 30);
      clock.offsetMs = target - Date.now();
      const token = await s.customer(shop);
      const res = await checkin(token);
      expect(res.status, res.text).to.equal(201);
      const utcDay = new Date(target).toISOString().slice(0, 10);
      expect(res.body.day).to.equal(localDay(new Date(target), 'Asia/Shanghai'));
      expect(res.body.day).to.not.equal(utcDay);
    });

    it('two check-ins the same day, one after the other: one entry and a 409', async () => {
      const token = await s.customer(shop);
      expect((await checkin(token)).status).to.equal(201);
      const again = await checkin(token);
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('MEMBERSHIP_ALREADY_CHECKED_IN');
      const member = await s.memberOf(shop, token);
      expect(await s.entries(shop, member.id, 'CHECKIN')).to.have.length(1);
      expect((await s.me(shop, token)).checkin).to.include({ checkedInToday: true, streak: 1 });
    });

    it('five check-ins the same day in parallel: one 201, four 409, one entry', async () => {
      const token = await s.customer(shop);
      const answers = await Promise.all(Array.from({ length: 5 }, () => checkin(token)));
      expect(answers.map((a) => a.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
      const member = await s.memberOf(shop, token);
      expect(await s.entries(shop, member.id, 'CHECKIN')).to.have.length(1);
      expect((await s.me(shop, token)).points.available).to.equal(10);
      await s.clean(shop);
    });

    it('pays the streak bonus on day 3 and starts again after a missed day; guests are refused', async () => {
      const token = await s.customer(shop);
      const got: { streak: number; points: number }[] = [];
      for (const gap of [0, 1, 1, 2]) {
        clock.advanceDays(gap);
        const res = await checkin(token);
        expect(res.status, res.text).to.equal(201);
        got.push({ streak: res.body.streak, points: res.body.points });
      }
      expect(got).to.deep.equal([{ streak: 1, points: 10 }, { streak: 2, points: 10 }, { streak: 3, points: 40 }, { streak: 1, points: 10 }]);
      const member = await s.memberOf(shop, token);
      expect((await s.entries(shop, member.id, 'CHECKIN_STREAK_BONUS')).map((e) => Number(e.availableDelta))).to.deep.equal([30]);
      expect((await s.me(shop, token)).points.available).to.equal(70);
      const guest = await checkin();
      expect(guest.status).to.equal(401);
      await s.clean(shop);
    });

    it('is rate-limited per address: past perIpPerHour a 429 with Retry-After', async () => {
      const tight = await kit.tenant({ enable: ['membership'], settings: { membership: { checkin: { perIpPerHour: 2 } } } });
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 3; i++) {
        last = await kit.post('/store/v1/membership/checkins', {}, { tenant: tight.slug, token: await s.customer(tight) });
        codes.push(last.status);
      }
      expect(codes).to.deep.equal([201, 201, 429]);
      expect(Number(last!.headers.get('retry-after'))).to.be.greaterThan(0);
    });
  });

  it('check-in as a tier benefit: refused in a tier without checkin_enabled, allowed once the member reaches one with it', async () => {
    const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { checkin: { requireTierBenefit: true, perIpPerHour: 1000 } } } });
    await s.setTiers(shop, [{ rank: 0, name: 'Base', threshold: 0 }, { rank: 1, name: 'Gold', threshold: 100, benefits: [{ type: 'checkin_enabled' }] }]);
    const token = await s.customer(shop);
    const refused = await kit.post('/store/v1/membership/checkins', {}, { tenant: shop.slug, token });
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('MEMBERSHIP_CHECKIN_NOT_IN_TIER');
    expect((await s.adjust(shop, (await s.memberOf(shop, token)).id, { growth: 100 })).status).to.equal(201);
    expect((await kit.post('/store/v1/membership/checkins', {}, { tenant: shop.slug, token })).status).to.equal(201);
  });

  it('points held on a cart that never became an order go back after holdMinutes (the hourly job)', async () => {
    const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { redeem: { minRedeemUnit: 10, holdMinutes: 5 } } } });
    const token = await s.customer(shop);
    const member = await s.memberOf(shop, token);
    expect((await s.adjust(shop, member.id, { points: 100 })).status).to.equal(201);
    const cartId = await s.cart(shop, token, [{ variantId: await s.product(shop, 5_000), quantity: 1 }]);
    expect((await s.hold(shop, token, cartId, 100)).status).to.equal(200);
    const run = async () => (await kit.post('/admin/v1/membership/jobs/hourly', {}, { token: shop.ownerToken })).body;
    expect(await run()).to.include({ released: 0 });
    expect((await s.me(shop, token)).points).to.include({ available: 0, held: 100 });
    clock.advanceDays(6 / 1440);
    expect(await run()).to.include({ released: 1 });
    expect(await run()).to.include({ released: 0 });
    expect((await s.me(shop, token)).points).to.include({ available: 100, held: 0 });
    await s.clean(shop);
  });

  it('birthday gift of the tier: once a year on the day, the birthday set once', async () => {
    const shop = await kit.tenant({ enable: ['membership'] });
    await s.setTiers(shop, [{ rank: 0, name: 'Member', threshold: 0, benefits: [{ type: 'birthday_gift', points: 88 }] }]);
    const token = await s.customer(shop);
    expect((await s.me(shop, token)).tier.name).to.equal('Member');
    const today = localDay(clock.now(), 'UTC').slice(5);
    const set = await kit.put('/store/v1/membership/me/birthday', { birthday: today }, { tenant: shop.slug, token });
    expect(set.status, set.text).to.equal(200);
    expect((await kit.put('/store/v1/membership/me/birthday', { birthday: today === '01-01' ? '01-02' : '01-01' }, { tenant: shop.slug, token })).status).to.equal(409);
    expect((await kit.put('/store/v1/membership/me/birthday', { birthday: '13-01' }, { tenant: shop.slug, token })).status).to.equal(400);
    await daily(shop);
    await daily(shop);
    const member = await s.memberOf(shop, token);
    expect((await s.entries(shop, member.id, 'BIRTHDAY')).map((e) => Number(e.availableDelta))).to.deep.equal([88]);
    clock.advanceDays(today === '02-29' ? 1461 : 365);
    if (localDay(clock.now(), 'UTC').slice(5) !== today) clock.advanceDays(1);
    await daily(shop);
    expect(await s.entries(shop, member.id, 'BIRTHDAY')).to.have.length(2);
    await s.clean(shop);
  });

  it('referral and sign-up rewards wait for the first order to pass its window; at most N referral rewards a month', async () => {
    const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { rewards: { signupPoints: 20, referralPoints: 30, maxReferralsPerMonth: 1 } } } });
    const referrer = await s.customer(shop);
    const code = (await s.me(shop, referrer)).referralCode as string;
    const v = await s.product(shop, 1_000);
    const referees: { token: string; orderId: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const token = await s.customer(shop);
      const named = await kit.put('/store/v1/membership/me/referrer', { code }, { tenant: shop.slug, token });
      expect(named.status, named.text).to.equal(200);
      const order = await s.buy(shop, token, [{ variantId: v, quantity: 1 }]);
      await s.act(shop, order.id, 'confirm-payment');
      await s.complete(shop, order.id);
      referees.push({ token, orderId: order.id });
    }
    expect((await kit.put('/store/v1/membership/me/referrer', { code }, { tenant: shop.slug, token: referrer })).status).to.equal(404);
    await kit.waitFor(async () => (await scoped(shop.ctx, Lot).whereIn('source_id', referees.map((r) => r.orderId)).whereNotNull('available_at').resultSize()) === 2, { what: 'the windows to start' });
    expect((await kit.put('/store/v1/membership/me/referrer', { code }, { tenant: shop.slug, token: referees[0].token })).body.code).to.equal('MEMBERSHIP_REFERRER_SET');
    // Inside the window: nothing yet.
    expect((await s.me(shop, referees[0].token)).points.available).to.equal(0);
    expect((await s.me(shop, referrer)).points.available).to.equal(0);
    clock.advanceDays(8);
    for (const r of referees) expect((await s.me(shop, r.token)).points.available).to.equal(20 + 10);
    expect((await s.me(shop, referrer)).points.available).to.equal(30);
    const late = await s.customer(shop);
    const o = await s.buy(shop, late, [{ variantId: v, quantity: 1 }]);
    await s.act(shop, o.id, 'confirm-payment');
    await kit.waitFor(async () => (await scoped(shop.ctx, Lot).where('source_id', o.id).first()) ?? false, { what: 'the earn' });
    const tooLate = await kit.put('/store/v1/membership/me/referrer', { code }, { tenant: shop.slug, token: late });
    expect(tooLate.status).to.equal(409);
    expect(tooLate.body.code).to.equal('MEMBERSHIP_REFERRER_TOO_LATE');
    await s.clean(shop);
  });

  it('manual adjustments: a reason code, a daily cap per staff member, a second staff member approves above it, every act audited', async () => {
    const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { adjustments: { dailyCapPerStaff: 1000 } } } });
    const token = await s.customer(shop);
    const member = await s.memberOf(shop, token);
    expect((await s.adjust(shop, member.id, { points: 600 })).status).to.equal(201);
    const over = await s.adjust(shop, member.id, { points: 600, note: 'big one' });
    expect(over.status, over.text).to.equal(202);
    expect(over.body.status).to.equal('pending_approval');
    expect((await s.me(shop, token)).points.available).to.equal(600);
    const self = await kit.post(`/admin/v1/membership/adjustments/${over.body.id}/approve`, {}, { token: shop.ownerToken });
    expect(self.status).to.equal(403);
    expect(self.body.code).to.equal('MEMBERSHIP_FOUR_EYES');

    const email = `second-${s.next()}@example.com`;
    expect((await kit.post('/admin/v1/staff', { email, name: 'Second', role: 'admin', password: 'correct horse battery' }, { token: shop.ownerToken })).status).to.equal(201);
    const login = await kit.post('/admin/v1/auth/login', { tenant: shop.slug, email, password: 'correct horse battery' });
    expect(login.status, login.text).to.equal(200);
    const second = login.body.token as string;
    const ok = await kit.post(`/admin/v1/membership/adjustments/${over.body.id}/approve`, {}, { token: second });
    expect(ok.status, ok.text).to.equal(200);
    expect(ok.body).to.include({ status: 'applied' });
    expect((await s.me(shop, token)).points.available).to.equal(1200);
    expect((await kit.post(`/admin/v1/membership/adjustments/${over.body.id}/approve`, {}, { token: second })).status).to.equal(409);

    const another = await s.adjust(shop, member.id, { points: -500, reasonCode: 'correction' });
    expect(another.status).to.equal(202);
    expect((await kit.post(`/admin/v1/membership/adjustments/${another.body.id}/reject`, {}, { token: second })).status).to.equal(200);
    expect((await s.me(shop, token)).points.available).to.equal(1200);
    const take = await s.adjust(shop, member.id, { points: -200, reasonCode: 'correction' }, second);
    expect(take.status, take.text).to.equal(201);
    expect((await s.me(shop, token)).points.available).to.equal(1000);

    const noReason = await kit.post(`/admin/v1/membership/members/${member.id}/adjustments`, { points: 5 }, { token: shop.ownerToken });
    expect(noReason.status).to.equal(400);
    expect(noReason.body.errors[0].pointer).to.equal('/reasonCode');
    expect((await s.adjust(shop, member.id, { points: 5, reasonCode: 'because' })).status).to.equal(400);
    const empty = await s.adjust(shop, member.id, {});
    expect(empty.status).to.equal(400);
    expect(empty.body.code).to.equal('MEMBERSHIP_ADJUSTMENT_EMPTY');
    const pending = await kit.get('/admin/v1/membership/adjustments?status=rejected', { token: shop.ownerToken });
    expect(pending.body.items.map((a: { id: string }) => a.id)).to.deep.equal([another.body.id]);

    const audit = await kit.get(`/platform/v1/audit?tenantId=${shop.tenant.id}&limit=50`, { token: await kit.platformToken() });
    expect(audit.status, audit.text).to.equal(200);
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'membership.adjustment.create')).to.have.length(4);
    expect(actions).to.include.members(['membership.adjustment.approve', 'membership.adjustment.reject']);
    await s.clean(shop);
  });

  it('expiry: lots spent first-expiring-first, a notice before, expired once by the daily job; inactivity expires everything', async () => {
    const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { expiry: { policy: 'rolling_days', days: 30, noticeDays: 10 }, redeem: { minRedeemUnit: 10 } } } });
    const { token, email } = await s.signup(shop);
    const member = await s.memberOf(shop, token);
    expect((await s.adjust(shop, member.id, { points: 100 })).status).to.equal(201);
    clock.advanceDays(5);
    expect((await s.adjust(shop, member.id, { points: 200 })).status).to.equal(201);
    const lots = await scoped(shop.ctx, Lot).where('member_id', member.id).orderBy('expires_at');
    expect(lots.map((l) => Number(l.granted))).to.deep.equal([100, 200]);
    expect((await s.me(shop, token)).points.nextExpiry).to.include({ points: 100 });

    const v = await s.product(shop, 10_000);
    const cartId = await s.cart(shop, token, [{ variantId: v, quantity: 1 }]);
    expect((await s.hold(shop, token, cartId, 150)).status).to.equal(200);
    const alloc = await scoped(shop.ctx, Allocation).where('member_id', member.id).orderBy('id');
    expect(alloc.map((a) => ({ lot: a.lotId, points: Number(a.points) }))).to.deep.equal([{ lot: lots[0].id, points: 100 }, { lot: lots[1].id, points: 50 }]);
    expect((await kit.del(`/store/v1/membership/carts/${cartId}/points`, { tenant: shop.slug, token })).status).to.equal(204);

    clock.advanceDays(17); // day 22: the first lot expires on day 30, inside the 10-day notice
    await daily(shop);
    await daily(shop);
    const notices = s.mails(email);
    expect(notices).to.have.length(1);
    expect(notices[0].subject).to.contain('100');
    clock.advanceDays(9); // day 31
    await daily(shop);
    await daily(shop);
    const expired = await s.entries(shop, member.id, 'EXPIRE');
    expect(expired.map((e) => Number(e.availableDelta))).to.deep.equal([-100]);
    expect((await s.me(shop, token)).points.available).to.equal(200);
    await s.clean(shop);

    const idle = await kit.tenant({ enable: ['membership'], settings: { membership: { expiry: { policy: 'inactivity', months: 1 } } } });
    const t2 = await s.customer(idle);
    const m2 = await s.memberOf(idle, t2);
    expect((await s.adjust(idle, m2.id, { points: 70 })).status).to.equal(201);
    clock.advanceDays(20);
    await daily(idle);
    expect((await s.me(idle, t2)).points.available).to.equal(70);
    clock.advanceDays(15);
    await daily(idle);
    expect((await s.me(idle, t2)).points.available).to.equal(0);
    expect(await scoped(idle.ctx, PointsEntry).where({ member_id: m2.id, biz_type: 'EXPIRE' }).resultSize()).to.equal(1);
    await s.clean(idle);
  });

  it('fixed_year_end: points that become available in year Y expire at the end of 31 Dec of Y+1', () => {
    const cfg = { expiry: { policy: 'fixed_year_end' } } as MembershipSettings;
    expect(expiryFor(cfg, new Date('2026-03-05T10:00:00Z'))).to.equal('2027-12-31T23:59:59.999Z');
    expect(expiryFor({ expiry: { policy: 'none' } } as MembershipSettings, new Date())).to.equal(null);
  });

  it('tier benefits at checkout: member price discount, free shipping over the threshold, points multiplier on earning', async () => {
    const shop = await kit.tenant({ enable: ['membership'] });
    const flat = await kit.patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Standard', amounts: { USD: 800 }, freeAbove: {}, countries: [] } } }, { token: shop.ownerToken });
    expect(flat.status, flat.text).to.equal(200);
    await s.setTiers(shop, [
      { rank: 0, name: 'Base', threshold: 0 },
      { rank: 1, name: 'Gold', threshold: 100, benefits: [{ type: 'member_price_discount_percent', percent: 10 }, { type: 'free_shipping_threshold', amount: 5_000 }, { type: 'points_multiplier', percent: 200 }] },
    ]);
    const v = await s.product(shop, 6_000);
    const base = await s.customer(shop);
    const plain = await s.buy(shop, base, [{ variantId: v, quantity: 1 }]);
    expect(plain.adjustments.filter((a) => a.source === 'membership')).to.deep.equal([]);
    expect(plain.totals.shipping).to.equal(800);

    const gold = await s.customer(shop);
    const member = await s.memberOf(shop, gold);
    expect((await s.adjust(shop, member.id, { growth: 150 })).status).to.equal(201);
    expect((await s.me(shop, gold)).tier.name).to.equal('Gold');
    const order = await s.buy(shop, gold, [{ variantId: v, quantity: 1 }]);
    const mine = order.adjustments.filter((a) => a.source === 'membership');
    expect(mine.map((a) => a.amount)).to.deep.equal([-600, -800]);
    expect(order.totals.total).to.equal(6_000 + 800 + order.totals.tax - 600 - 800);
    await s.act(shop, order.id, 'confirm-payment');
    await kit.waitFor(async () => (await s.entries(shop, member.id, 'EARN_ORDER')).length === 1, { what: 'the earn' });
    const [earn] = await s.entries(shop, member.id, 'EARN_ORDER');
    // What the line cost after the adjustments, 1 point per USD 1, doubled by the Gold multiplier.
    const lineTotal = (order.lines[0] as unknown as { total: number }).total;
    expect(lineTotal).to.be.greaterThan(1000);
    expect(Number(earn.pendingDelta)).to.equal(Math.floor((lineTotal * 200) / (100 * 100)));
  });

  it("free_shipping_threshold compares the subtotal after discounts (the member's own price included): under it shipping is charged, exactly at it ships free", async () => {
    const shop = await kit.tenant({ enable: ['membership'] });
    const flat = await kit.patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Standard', amounts: { USD: 800 }, freeAbove: {}, countries: [] } } }, { token: shop.ownerToken });
    expect(flat.status, flat.text).to.equal(200);
    await s.setTiers(shop, [
      { rank: 0, name: 'Base', threshold: 0 },
      { rank: 1, name: 'Gold', threshold: 100, benefits: [{ type: 'member_price_discount_percent', percent: 10 }, { type: 'free_shipping_threshold', amount: 5_400 }] },
    ]);
    const gold = await s.customer(shop);
    const member = await s.memberOf(shop, gold);
    expect((await s.adjust(shop, member.id, { growth: 150 })).status).to.equal(201);
    // 59.00 less 10% is 53.10: under 54.00 after the discount (over it before), so shipping is charged.
    const under = await s.buy(shop, gold, [{ variantId: await s.product(shop, 5_900), quantity: 1 }]);
    expect(under.adjustments.filter((a) => a.source === 'membership').map((a) => a.amount)).to.deep.equal([-590]);
    expect(under.totals.shipping).to.equal(800);
    // 60.00 less 10% is exactly 54.00: free.
    const at = await s.buy(shop, gold, [{ variantId: await s.product(shop, 6_000), quantity: 1 }]);
    expect(at.adjustments.filter((a) => a.source === 'membership').map((a) => a.amount)).to.deep.equal([-600, -800]);
  });

  it('tier table changes: a dry-run preview counts who would move, nothing moves without confirm; the liability CSV adds up', async () => {
    const shop = await kit.tenant({ enable: ['membership'] });
    await s.setTiers(shop, [{ rank: 0, name: 'Base', threshold: 0 }]);
    const tokens = [await s.customer(shop), await s.customer(shop)];
    const ids = [] as string[];
    for (const t of tokens) ids.push((await s.memberOf(shop, t)).id);
    expect((await s.adjust(shop, ids[0], { growth: 500, points: 250 })).status).to.equal(201);
    const proposal = [{ rank: 0, name: 'Base', threshold: 0 }, { rank: 1, name: 'Silver', threshold: 300 }];
    const preview = await kit.post('/admin/v1/membership/tiers/preview', { tiers: proposal }, { token: shop.ownerToken });
    expect(preview.status, preview.text).to.equal(200);
    expect(preview.body).to.deep.equal({ up: 1, down: 0, same: 1 });
    const unconfirmed = await kit.put('/admin/v1/membership/tiers', { tiers: proposal }, { token: shop.ownerToken });
    expect(unconfirmed.status).to.equal(400);
    expect((await s.me(shop, tokens[0])).tier.name).to.equal('Base');
    await s.setTiers(shop, proposal);
    expect((await s.me(shop, tokens[0])).tier.name).to.equal('Silver');

    const csv = await kit.get('/admin/v1/membership/liability.csv', { token: shop.ownerToken });
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.contain('text/csv');
    const rows = csv.text.trim().split('\n').map((r) => r.split(','));
    expect(rows[0]).to.deep.equal(['member_id', 'customer_id', 'points_available', 'points_pending', 'points_held', 'value_minor', 'currency']);
    const row = rows.find((r) => r[0] === ids[0])!;
    expect(row.slice(2)).to.deep.equal(['250', '0', '0', '250', 'USD']);
    expect(rows[rows.length - 1]).to.deep.equal(['total', '', '', '', '', '250', 'USD']);
  });
});
