// The sweep covers the membership tables and routes: a victim member with points, growth, a lot,
// a hold on a cart (and its allocation), a check-in, a tier and a manual adjustment must stay out
// of the attacker's reach. Every store so far gets the plugin, so the attacker's requests reach
// the lookups.
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makeCustomer, makePlatformAdmin } from '../../support/factories.js';
import { post, call } from '../../support/http.js';
import { runtime } from '../../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { scoped } from '../../../core/db/model.js';
import { newId } from '../../../core/db/ids.js';
import { enablePlugin } from '../../../core/plugins/lifecycle.service.js';
import { Flag, Member } from '../../../plugins/membership/membership.model.js';

addSweepFixture({
  name: 'membership',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/membership/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`membership install failed: ${installed.text}`);
    for (const { id } of (await rt.kernel.pool.control('tenants').select('id')) as { id: string }[]) {
      const tenant = await rt.kernel.tenants.byId(id);
      if (tenant) await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant)), 'membership', { checkin: { perIpPerHour: 10_000 } });
    }
    const customer = await makeCustomer(victim);
    const checkin = await post('/store/v1/membership/checkins', {}, { tenant: victim.slug, token: customer.token, headers: { 'X-Device-Id': 'victim-device-0001' } });
    if (checkin.status !== 201) throw new Error(`victim check-in failed: ${checkin.text}`);
    const member = (await scoped(victim.ctx, Member).where('customer_id', customer.id).first())!;
    const tiers = await call('PUT', '/admin/v1/membership/tiers', { token: victim.ownerToken, body: { confirm: true, tiers: [{ rank: 0, name: 'victim-tier-marker', threshold: 0 }] } });
    if (tiers.status !== 200) throw new Error(`victim tiers failed: ${tiers.text}`);
    const adj = await post(`/admin/v1/membership/members/${member.id}/adjustments`, { points: 500, growth: 5, reasonCode: 'goodwill', note: 'victim-adjust-marker' }, { token: victim.ownerToken });
    if (adj.status !== 201) throw new Error(`victim adjustment failed: ${adj.text}`);
    const cart = await post('/store/v1/carts', {}, { tenant: victim.slug, token: customer.token });
    const hold = await call('PUT', `/store/v1/membership/carts/${cart.body.cart.id}/points`, { tenant: victim.slug, token: customer.token, body: { points: 100 } });
    if (hold.status !== 200) throw new Error(`victim hold failed: ${hold.text}`);
    // A referral payout held for review (the payout path is tested in membership.rules.test.ts).
    const flagId = newId();
    await scoped(victim.ctx, Flag).insert({ id: flagId, memberId: member.id, otherMemberId: member.id, kind: 'referral_shared_contact', via: ['phone'], points: 30, status: 'open', decidedBy: null, note: 'victim-flag-marker' });
    return {
      ids: { members: member.id, adjustments: adj.body.id, flags: flagId, cartId: cart.body.cart.id, orderId: adj.body.id },
      secrets: [member.id, member.referralCode, 'victim-tier-marker', 'victim-adjust-marker', 'victim-flag-marker', customer.email],
    };
  },
  bodies: {
    'PUT /store/v1/membership/carts/:cartId/points': { points: 100 },
    'POST /admin/v1/membership/members/:id/adjustments': { points: 1, reasonCode: 'goodwill' },
    'PUT /store/v1/membership/me/birthday': { birthday: '01-31' },
    'PUT /store/v1/membership/me/referrer': { code: 'NOSUCHCODE' },
    'PUT /admin/v1/membership/tiers': { confirm: true, tiers: [] },
    'POST /admin/v1/membership/tiers/preview': { tiers: [] },
    'POST /admin/v1/membership/import': { rows: [{ customerId: 'no-such-customer', reference: 'sweep', points: 1 }] },
    'POST /admin/v1/membership/flags/:id/approve': {},
    'POST /admin/v1/membership/flags/:id/reject': {},
  },
  async verify(victim, seed) {
    const m = await scoped(victim.ctx, Member).findById(seed.ids.members);
    expect(m, 'victim member still there').not.to.equal(undefined);
    expect(Number(m!.pointsHeld)).to.equal(100);
    expect((await scoped(victim.ctx, Flag).findById(seed.ids.flags))?.status, 'victim flag undecided').to.equal('open');
  },
});
