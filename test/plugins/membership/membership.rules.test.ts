// Over HTTP against a real database: the store's time zone in year-end expiry and the
// calendar-year tier basis, order.refunded next to refund.issued, the per-device check-in limit,
// referral payouts held for review when referee and referrer share a phone or an address, and
// the staff views the console pages read (member search and paging, both ledgers, tier history).
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import { scoped } from '@bazaar/sdk';
import membership, { clock } from '../../../plugins/membership/index.js';
import { Flag, Lot, PointsEntry } from '../../../plugins/membership/membership.model.js';
import { expiryFor } from '../../../plugins/membership/orders.js';
import type { MembershipSettings } from '../../../plugins/membership/settings.js';
import { ADDRESS, steps } from './helpers.js';

/** Moves the plugin's clock so that now is `iso`. */
const at = (iso: string) => {
  clock.offsetMs = Date.parse(iso) - Date.now();
};

describe('membership over HTTP: time zones, refunds, devices, shared contacts, staff views', function () {
  this.timeout(180_000);
  let kit: TestKit;
  let s: ReturnType<typeof steps>;

  before(async () => {
    kit = await startTestKit({ plugin: membership });
    s = steps(kit);
  });
  afterEach(() => clock.reset());
  after(async () => {
    clock.reset();
    await kit?.close();
  });

  describe('the store time zone', () => {
    it('fixed_year_end: points granted at 01:00 on 1 January in Shanghai (still 31 December in UTC) live until the end of the next year there', async () => {
      const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { timeZone: 'Asia/Shanghai', expiry: { policy: 'fixed_year_end' } } } });
      const token = await s.customer(shop);
      const member = (await s.me(shop, token)).memberId;
      at('2026-12-31T17:00:00.000Z');
      const res = await s.adjust(shop, member, { points: 100 });
      expect(res.status, res.text).to.equal(201);
      const view = await s.me(shop, token);
      // Granted in 2027 (Shanghai): expires at the end of 31 Dec 2028 there, 16:00 UTC that day.
      expect(view.points.nextExpiry).to.deep.equal({ points: 100, at: '2028-12-31T15:59:59.999Z' });
      // The same instant under UTC would have been 2026: the lot would die a year earlier.
      const utc = expiryFor({ timeZone: 'UTC', expiry: { policy: 'fixed_year_end' } } as MembershipSettings, new Date('2026-12-31T17:00:00.000Z'));
      expect(utc).to.equal('2027-12-31T23:59:59.999Z');
      // New York: the end of the year in local winter time, 05:00 UTC on 1 January.
      expect(expiryFor({ timeZone: 'America/New_York', expiry: { policy: 'fixed_year_end' } } as MembershipSettings, new Date('2027-07-01T12:00:00Z'))).to.equal('2029-01-01T04:59:59.999Z');
      // The daily job leaves the lot alone until then, and expires it just after.
      at('2028-12-31T15:59:00.000Z');
      expect((await s.daily(shop)).expired).to.deep.equal({ lots: 0, points: 0 });
      at('2028-12-31T16:00:01.000Z');
      expect((await s.daily(shop)).expired).to.deep.equal({ lots: 1, points: 100 });
      expect((await s.me(shop, token)).points.available).to.equal(0);
      await s.clean(shop);
    });

    it('calendar_year tiers count growth from 1 January in the store time zone, and each move shows in the tier history', async () => {
      const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { timeZone: 'Asia/Shanghai', tiers: { basis: 'calendar_year' } } } });
      await s.setTiers(shop, [{ rank: 0, name: 'Member', threshold: 0 }, { rank: 1, name: 'Silver', threshold: 100 }]);
      const token = await s.customer(shop);
      const member = (await s.me(shop, token)).memberId;
      // 23:30 on 31 Dec 2026 in Shanghai: 80 growth in 2026.
      at('2026-12-31T15:30:00.000Z');
      expect((await s.adjust(shop, member, { growth: 80 })).status).to.equal(201);
      expect((await s.me(shop, token)).growth).to.include({ basis: 'calendar_year', value: 80 });
      // 00:30 on 1 Jan 2027 in Shanghai (still 2026 in UTC): the year starts again.
      at('2026-12-31T16:30:00.000Z');
      expect((await s.adjust(shop, member, { growth: 50 })).status).to.equal(201);
      let view = await s.me(shop, token);
      expect(view.growth).to.include({ value: 50, lifetime: 130 });
      expect(view.tier.name).to.equal('Member');
      expect(view.nextTier).to.deep.equal({ name: 'Silver', threshold: 100, remaining: 50 });
      expect((await s.adjust(shop, member, { growth: 50 })).status).to.equal(201);
      view = await s.me(shop, token);
      expect(view.tier.name).to.equal('Silver');
      // Twelve months from entry (the clock runs on in real time while the test goes).
      expect(Date.parse(view.tierExpiresAt)).to.be.within(Date.parse('2027-12-31T16:30:00.000Z'), Date.parse('2027-12-31T16:31:00.000Z'));
      const history = await kit.get(`/admin/v1/membership/members/${member}/tier-history`, { token: shop.ownerToken });
      expect(history.status, history.text).to.equal(200);
      expect(history.body.items.map((h: { move: string; reason: string; from: { name: string } | null; to: { name: string } | null; growth: number }) => [h.move, h.reason, h.from?.name ?? null, h.to?.name ?? null, h.growth])).to.deep.equal([
        ['up', 'growth', 'Member', 'Silver', 100],
        ['up', 'growth', null, 'Member', 0],
      ]);
      // A year later in Shanghai (2028 has begun there, the term has ended): 2028's growth is 0, down one tier.
      at('2027-12-31T16:35:00.000Z');
      expect((await s.daily(shop)).terms).to.deep.equal({ renewed: 0, down: 1 });
      const after = await kit.get(`/admin/v1/membership/members/${member}`, { token: shop.ownerToken });
      expect(after.body.tier.name).to.equal('Member');
      expect(after.body.tierHistory[0]).to.include({ move: 'down', reason: 'term', growth: 0 });
      expect(after.body.tierHistory[0].to).to.deep.include({ name: 'Member' });
    });
  });

  describe('refunds', () => {
    it('a whole refund sends refund.issued and order.refunded: together they reverse the earn once; order.refunded alone reverses it too', async () => {
      const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { earn: { pointsPerUnit: 1, growthPerUnit: 1, returnWindowDays: 7 } } } });
      const token = await s.customer(shop);
      const v = await s.product(shop, 4_000);
      const member = (await s.me(shop, token)).memberId;

      const first = await s.buy(shop, token, [{ variantId: v, quantity: 2 }]);
      const paid = await s.handledCount(shop, 'membership.paid');
      await s.act(shop, first.id, 'confirm-payment');
      await s.handled(shop, 'membership.paid', paid + 1);
      expect((await s.me(shop, token)).points.pending).to.equal(80);
      const issued = await s.handledCount(shop, 'membership.refunded');
      const whole = await s.handledCount(shop, 'membership.order-refunded');
      await s.act(shop, first.id, 'refunds', { amount: 8_000 });
      await s.handled(shop, 'membership.refunded', issued + 1);
      await s.handled(shop, 'membership.order-refunded', whole + 1);
      const reversals = await s.entries(shop, member, 'EARN_ORDER_REVERSAL_FULL');
      expect(reversals.reduce((a, e) => a + Number(e.pendingDelta), 0)).to.equal(-80);
      expect(reversals).to.have.length(1);
      for (let i = 0; i < 5; i++) await kit.emit(shop, 'order.refunded', { orderId: first.id, number: first.number, status: 'refunded', currency: 'USD', customerId: null, refundedAmount: 8_000 });
      await s.handled(shop, 'membership.order-refunded', whole + 6);
      expect(await s.entries(shop, member, 'EARN_ORDER_REVERSAL_FULL')).to.have.length(1);

      // order.refunded on its own (refund.issued lost or not yet handled) reverses everything.
      const second = await s.buy(shop, token, [{ variantId: v, quantity: 1 }]);
      await s.act(shop, second.id, 'confirm-payment');
      await kit.waitFor(async () => (await scoped(shop.ctx, Lot).where('source_id', second.id).first()) ?? false, { what: 'the earn' });
      await kit.emit(shop, 'order.refunded', { orderId: second.id, number: second.number, status: 'refunded', currency: 'USD', customerId: null, refundedAmount: 4_000 });
      await kit.waitFor(async () => (await scoped(shop.ctx, PointsEntry).where({ member_id: member, biz_id: `order:${second.id}` }).first()) ?? false, { what: 'the reversal' });
      const view = await s.me(shop, token);
      expect(view.points).to.include({ pending: 0, available: 0 });
      expect(view.growth.pending).to.equal(0);
      await s.clean(shop);
    });
  });

  describe('check-in per device', () => {
    let shop: KitTenant;
    before(async () => {
      shop = await kit.tenant({ enable: ['membership'], settings: { membership: { checkin: { perIpPerHour: 1000, perDevicePerDay: 2 } } } });
    });
    const checkin = (token: string, device?: string) => kit.post('/store/v1/membership/checkins', {}, { tenant: shop.slug, token, ...(device === undefined ? {} : { headers: { 'X-Device-Id': device } }) });

    it('one device checks in for two accounts a day, the third is refused until the next day; other devices go on', async () => {
      const device = `phone-${s.next()}`;
      const tokens = [await s.customer(shop), await s.customer(shop), await s.customer(shop)];
      expect((await checkin(tokens[0], device)).status).to.equal(201);
      expect((await checkin(tokens[1], device)).status).to.equal(201);
      const third = await checkin(tokens[2], device);
      expect(third.status, third.text).to.equal(429);
      expect(third.body.code).to.equal('MEMBERSHIP_CHECKIN_DEVICE_LIMIT');
      const retry = Number(third.headers.get('retry-after'));
      expect(retry).to.be.greaterThan(0).and.at.most(86_400);
      const member = await s.memberOf(shop, tokens[2]);
      expect(await s.entries(shop, member.id, 'CHECKIN')).to.have.length(0);
      // The same account again on its own device is the once-a-day rule, not the device rule.
      expect((await checkin(tokens[0], device)).body.code).to.equal('MEMBERSHIP_ALREADY_CHECKED_IN');
      expect((await checkin(tokens[2], `tablet-${s.next()}`)).status).to.equal(201);
      // The next day the device may check in again.
      clock.advanceDays(1);
      const fourth = await s.customer(shop);
      expect((await checkin(fourth, device)).status).to.equal(201);
    });

    it('lets exactly the limit through when many accounts on one device check in at once', async () => {
      const device = `race-device-${s.next()}`;
      const tokens: string[] = [];
      for (let i = 0; i < 6; i++) tokens.push(await s.customer(shop));
      const answers = await Promise.all(tokens.map((token) => checkin(token, device)));
      expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text).join('\n')).to.deep.equal([201, 201, 429, 429, 429, 429]);
      const refused = answers.filter((a) => a.status === 429);
      expect(refused.every((a) => a.body.code === 'MEMBERSHIP_CHECKIN_DEVICE_LIMIT')).to.equal(true);
    });

    it('refuses a malformed device id, and a missing one where the store requires it, naming the header', async () => {
      const token = await s.customer(shop);
      const bad = await checkin(token, 'x y');
      expect(bad.status).to.equal(400);
      expect(bad.body.code).to.equal('MEMBERSHIP_DEVICE_INVALID');
      expect(bad.body.errors[0]).to.include({ in: 'header', pointer: '/x-device-id' });
      const strict = await kit.tenant({ enable: ['membership'], settings: { membership: { checkin: { perIpPerHour: 1000, requireDevice: true } } } });
      const other = await s.customer(strict);
      const missing = await kit.post('/store/v1/membership/checkins', {}, { tenant: strict.slug, token: other });
      expect(missing.status).to.equal(400);
      expect(missing.body.code).to.equal('MEMBERSHIP_DEVICE_REQUIRED');
      const ok = await kit.post('/store/v1/membership/checkins', {}, { tenant: strict.slug, token: other, headers: { 'X-Device-Id': 'device-0001' } });
      expect(ok.status, ok.text).to.equal(201);
    });
  });

  describe('referrals sharing a phone or an address', () => {
    it('holds the payout as a flag; staff approve (paid, audited) or reject (not paid); an unrelated referee is paid at once', async () => {
      const shop = await kit.tenant({ enable: ['membership'], settings: { membership: { rewards: { referralPoints: 30, maxReferralsPerMonth: 10 } } } });
      const v = await s.product(shop, 1_000);
      const buyAt = async (token: string, address: Record<string, string>) => {
        const cartId = await s.cart(shop, token, [{ variantId: v, quantity: 1 }]);
        const res = await kit.post(`/store/v1/carts/${cartId}/checkout`, { shippingAddress: address, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: shop.slug, token });
        expect(res.status, res.text).to.equal(201);
        await s.act(shop, res.body.order.id, 'confirm-payment');
        await s.complete(shop, res.body.order.id);
        return res.body.order.id as string;
      };
      const referrer = await s.customer(shop);
      const code = (await s.me(shop, referrer)).referralCode as string;
      const referrerId = (await s.me(shop, referrer)).memberId as string;
      await buyAt(referrer, { ...ADDRESS, phone: '+86 138-0013-8000' });
      const samePhone = await s.customer(shop);
      const sameAddress = await s.customer(shop);
      const unrelated = await s.customer(shop);
      for (const t of [samePhone, sameAddress, unrelated]) expect((await kit.put('/store/v1/membership/me/referrer', { code }, { tenant: shop.slug, token: t })).status).to.equal(200);
      const orders = [
        await buyAt(samePhone, { ...ADDRESS, line1: '9 Other Road', postalCode: '99999', phone: '13800138000' }),
        await buyAt(sameAddress, { ...ADDRESS, line1: ' 1  market street', phone: '+1 555 0100' }),
        await buyAt(unrelated, { ...ADDRESS, line1: '7 Far Lane', postalCode: '70000', phone: '+1 555 0199' }),
      ];
      await kit.waitFor(async () => (await scoped(shop.ctx, Lot).whereIn('source_id', orders).whereNotNull('available_at').resultSize()) === 3, { what: 'the windows to start' });
      clock.advanceDays(8);
      for (const t of [samePhone, sameAddress, unrelated]) await s.me(shop, t);
      // Only the unrelated referee's reward is paid.
      expect((await s.me(shop, referrer)).points.available).to.equal(30 + 10);
      const flags = await kit.get('/admin/v1/membership/flags?status=open', { token: shop.ownerToken });
      expect(flags.status, flags.text).to.equal(200);
      const byMember = new Map(flags.body.items.map((f: { memberId: string }) => [f.memberId, f]));
      const phoneFlag = byMember.get((await s.me(shop, samePhone)).memberId) as { id: string; via: string[]; points: number; otherMemberId: string };
      const addressFlag = byMember.get((await s.me(shop, sameAddress)).memberId) as { id: string; via: string[] };
      expect(flags.body.items).to.have.length(2);
      expect(phoneFlag).to.include({ points: 30, otherMemberId: referrerId });
      expect(phoneFlag.via).to.deep.equal(['phone']);
      expect(addressFlag.via).to.deep.equal(['address']);
      // The job and the member's next visit do not pay a flagged referral.
      expect((await s.me(shop, samePhone)).points.available).to.equal(10);
      expect((await s.me(shop, referrer)).points.available).to.equal(40);

      const approve = await kit.post(`/admin/v1/membership/flags/${phoneFlag.id}/approve`, { note: 'family, checked' }, { token: shop.ownerToken });
      expect(approve.status, approve.text).to.equal(200);
      expect(approve.body).to.include({ status: 'approved', note: 'family, checked' });
      expect((await s.me(shop, referrer)).points.available).to.equal(70);
      const reject = await kit.post(`/admin/v1/membership/flags/${addressFlag.id}/reject`, {}, { token: shop.ownerToken });
      expect(reject.body.status).to.equal('rejected');
      const again = await kit.post(`/admin/v1/membership/flags/${addressFlag.id}/approve`, {}, { token: shop.ownerToken });
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('MEMBERSHIP_FLAG_DECIDED');
      expect((await s.me(shop, referrer)).points.available).to.equal(70);
      expect(await scoped(shop.ctx, Flag).where('status', 'open').resultSize()).to.equal(0);
      const audit = await kit.get(`/platform/v1/audit?tenantId=${shop.tenant.id}`, { token: await kit.platformToken() });
      expect(audit.body.items.map((a: { action: string }) => a.action)).to.include.members(['membership.flag.approve', 'membership.flag.reject']);
      await s.clean(shop);
    });
  });

  describe('POST /admin/v1/membership/import', () => {
    it('imports points and growth as IMPORT entries keyed by reference: a replay writes nothing, an unknown customer is reported, tiers follow', async () => {
      const shop = await kit.tenant({ enable: ['membership'] });
      await s.setTiers(shop, [{ rank: 0, name: 'Member', threshold: 0 }, { rank: 1, name: 'Gold', threshold: 1000 }]);
      const a = await s.signup(shop);
      const b = await s.signup(shop);
      const ids = async (token: string) => (await kit.get('/store/v1/me', { tenant: shop.slug, token })).body.id as string;
      const [ca, cb] = [await ids(a.token), await ids(b.token)];
      const rows = [{ customerId: ca, reference: 'old-1', points: 1500, growth: 1200 }, { customerId: cb, reference: 'old-2', points: 20 }, { customerId: 'nobody', reference: 'old-3', points: 5 }];
      const first = await kit.post('/admin/v1/membership/import', { rows }, { token: shop.ownerToken });
      expect(first.status, first.text).to.equal(200);
      expect(first.body).to.deep.equal({ imported: 2, replayed: 0, errors: [{ index: 2, code: 'CUSTOMER_NOT_FOUND' }] });
      const again = await kit.post('/admin/v1/membership/import', { rows }, { token: shop.ownerToken });
      expect(again.body).to.include({ imported: 0, replayed: 2 });
      const va = await s.me(shop, a.token);
      expect(va.points.available).to.equal(1500);
      expect(va.growth.lifetime).to.equal(1200);
      expect(va.tier.name).to.equal('Gold');
      expect((await s.me(shop, b.token)).points.available).to.equal(20);
      expect((await s.entries(shop, va.memberId, 'IMPORT')).map((e) => [e.bizId, Number(e.availableDelta)])).to.deep.equal([['old-1', 1500]]);
      const bad = await kit.post('/admin/v1/membership/import', { rows: [{ customerId: ca, reference: 'x y', points: -1 }] }, { token: shop.ownerToken });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).to.include.members(['/rows/0/reference', '/rows/0/points']);
      const audit = await kit.get(`/platform/v1/audit?tenantId=${shop.tenant.id}`, { token: await kit.platformToken() });
      expect(audit.body.items.filter((x: { action: string }) => x.action === 'membership.import')).to.have.length(2);
      await s.clean(shop);
    });
  });

  describe('staff views', () => {
    it('finds members by email prefix, member id or referral code, pages them, and pages both ledgers of one member', async () => {
      const shop = await kit.tenant({ enable: ['membership'] });
      const mine: { email: string; token: string }[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await s.signup(shop);
        await s.me(shop, c.token);
        mine.push(c);
      }
      const list = (query: string) => kit.get(`/admin/v1/membership/members?${query}`, { token: shop.ownerToken });
      const first = await list('limit=2');
      expect(first.status, first.text).to.equal(200);
      expect(first.body.items).to.have.length(2);
      expect(first.body.nextCursor).to.be.a('string');
      const second = await list(`limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body.items).to.have.length(1);
      expect([...first.body.items, ...second.body.items].map((m: { email: string }) => m.email).sort()).to.deep.equal(mine.map((m) => m.email).sort());
      const target = await s.me(shop, mine[1].token);
      const byEmail = await list(`q=${encodeURIComponent(mine[1].email.slice(0, -6))}`);
      expect(byEmail.body.items.map((m: { id: string }) => m.id)).to.deep.equal([target.memberId]);
      expect((await list(`q=${target.referralCode.toLowerCase()}`)).body.items.map((m: { id: string }) => m.id)).to.deep.equal([target.memberId]);
      expect((await list(`q=${target.memberId}`)).body.items).to.have.length(1);
      expect((await list('q=nobody-here')).body.items).to.deep.equal([]);
      expect((await list('limit=0')).status).to.equal(400);

      for (let i = 1; i <= 3; i++) expect((await s.adjust(shop, target.memberId, { points: i * 10, growth: i })).status).to.equal(201);
      const points = await kit.get(`/admin/v1/membership/members/${target.memberId}/points?limit=2`, { token: shop.ownerToken });
      expect(points.body.items.map((e: { available: number }) => e.available)).to.deep.equal([30, 20]);
      const rest = await kit.get(`/admin/v1/membership/members/${target.memberId}/points?limit=2&cursor=${encodeURIComponent(points.body.nextCursor)}`, { token: shop.ownerToken });
      expect(rest.body.items.map((e: { available: number }) => e.available)).to.deep.equal([10]);
      const growth = await kit.get(`/admin/v1/membership/members/${target.memberId}/growth`, { token: shop.ownerToken });
      expect(growth.body.items.map((e: { approved: number }) => e.approved)).to.deep.equal([3, 2, 1]);
      const detail = await kit.get(`/admin/v1/membership/members/${target.memberId}`, { token: shop.ownerToken });
      expect(detail.body).to.include({ email: mine[1].email });
      expect(detail.body.points.available).to.equal(60);
      const other = await kit.tenant({ enable: ['membership'] });
      const missing = await kit.get(`/admin/v1/membership/members/${target.memberId}/points`, { token: other.ownerToken });
      expect(missing.status).to.equal(404);
      expect(missing.body.code).to.equal('MEMBERSHIP_MEMBER_NOT_FOUND');
    });
  });
});
