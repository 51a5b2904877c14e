// ONB-11's order defects as they happen, not only through the reviewers' route: a chargeback the
// payment gateway reports (the core's `disputed` webhook action, event `payment.disputed`) and a
// return asked for because the store got the order wrong (event `return.requested`, a guarantee
// claim) are recorded for a store onboarding opened and counted in the order defect rate.
import { expect } from 'chai';
import type { TestKit } from '@bazaar/sdk/testing';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { applyProviderEvent } from '../../../core/orders/payment.service.js';
import { liveProduct, onboardingKit, openStore, reviewer } from './helpers.js';

const R = '/platform/v1/onboarding';
const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

describe('onboarding: chargebacks and claims from the core events (ONB-11)', function () {
  this.timeout(180_000);
  let kit: TestKit;
  let rev: string;
  let s: Awaited<ReturnType<typeof openStore>>;
  const db = () => kit.kernel.pool.control;

  before(async () => {
    kit = await onboardingKit({ autoApproveAfter: 100, scorecard: { minOrders: 1 } });
    rev = await reviewer(kit);
    s = await openStore(kit, rev);
  });
  after(async () => {
    await kit?.close();
  });

  async function paidOrder(slug: string, owner: string, variant: string): Promise<{ id: string; lineId: string }> {
    const cart = await kit.post('/store/v1/carts', {}, { tenant: slug });
    const headers: Record<string, string> = cart.body.token ? { 'x-cart-token': String(cart.body.token) } : {};
    await kit.request('POST', `/store/v1/carts/${cart.body.cart.id}/lines`, { tenant: slug, headers, body: { variantId: variant, quantity: 1 } });
    const placed = await kit.request('POST', `/store/v1/carts/${cart.body.cart.id}/checkout`, { tenant: slug, headers, body: { email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } } });
    expect(placed.status, placed.text).to.equal(201);
    const paid = await kit.post(`/admin/v1/orders/${placed.body.order.id}/confirm-payment`, {}, { token: owner });
    expect(paid.status, paid.text).to.be.oneOf([200, 201]);
    return { id: placed.body.order.id, lineId: placed.body.order.lines[0].id };
  }

  async function dispute(slug: string, orderId: string, disputeId: string) {
    const tenant = (await kit.kernel.tenants.bySlug(slug))!;
    const ctx = requireTenant(createSystemCtx(kit.kernel, tenant));
    const payment = await kit.kernel.pool.forTenant(tenant)('payments').where({ tenant_id: tenant.id, order_id: orderId }).first();
    await applyProviderEvent(ctx, payment.provider, { id: `evt-${disputeId}`, action: 'disputed', paymentId: payment.id, amount: 1500, dispute: { reference: disputeId, reason: 'fraudulent' } });
  }

  /** Waits until the plugin's subscriber has run `n` times for the store (handled or not). */
  const handled = (subscriber: string, tenantId: string, n: number) =>
    kit.waitFor(async () => ((await db()('handled_events').where({ tenant_id: tenantId, subscriber: `onboarding.${subscriber}` })).length >= n ? true : undefined), { what: `${n} runs of onboarding.${subscriber}` });
  const feedback = (orderId: string) => db()('onboarding_order_feedback').where({ store_id: s.storeId, order_id: orderId });

  it('a chargeback reported by the gateway is recorded once (a second dispute of the order changes nothing) and counts in the ODR; the order shows it', async () => {
    const variant = (await kit.get(`/admin/v1/products/${await liveProduct(kit, rev, s, 'Longjing')}`, { token: s.owner })).body.variants[0].id as string;
    const disputed = await paidOrder(s.slug, s.owner, variant);
    await paidOrder(s.slug, s.owner, variant);
    await dispute(s.slug, disputed.id, 'dp_1');
    const row = await kit.waitFor(async () => (await feedback(disputed.id))[0], { what: 'the chargeback recorded from payment.disputed' });
    expect(row).to.include({ kind: 'chargeback', reference: 'offline:dp_1', recorded_by: null });
    await dispute(s.slug, disputed.id, 'dp_2');
    const history = (await kit.get(`/admin/v1/orders/${disputed.id}`, { token: s.owner })).body;
    expect(JSON.stringify(history)).to.include('Payment disputed at offline (chargeback: fraudulent)');
    await handled('chargebacks', s.storeId, 2);
    expect(await feedback(disputed.id)).to.have.length(1);

    expect((await kit.post(`${R}/scorecards/compute`, {}, { token: rev })).status).to.equal(200);
    const card = (await kit.get(`${R}/stores/${s.storeId}/scorecard`, { token: rev })).body;
    expect(card.days30).to.include({ orders: 2, defective: 1 });
    expect(card.days30.breaches).to.include('odr');
  });

  it('a return for damage, a defect, a wrong item or a wrong description is a claim; changing one\'s mind is not', async () => {
    const variant = (await kit.get(`/admin/v1/products/${await liveProduct(kit, rev, s, 'Biluochun')}`, { token: s.owner })).body.variants[0].id as string;
    const [claimed, changedMind] = [await paidOrder(s.slug, s.owner, variant), await paidOrder(s.slug, s.owner, variant)];
    for (const [o, reason] of [[claimed, 'not_as_described'], [changedMind, 'no_longer_needed']] as const) {
      expect((await kit.post(`/admin/v1/orders/${o.id}/shipments`, { carrier: 'DHL', trackingNumber: `TRK${o.id.slice(-8)}` }, { token: s.owner })).status).to.be.oneOf([200, 201]);
      const r = await kit.post(`/admin/v1/orders/${o.id}/returns`, { lines: [{ lineId: o.lineId, quantity: 1 }], reason }, { token: s.owner });
      expect(r.status, r.text).to.equal(201);
    }
    const row = await kit.waitFor(async () => (await feedback(claimed.id))[0], { what: 'the claim recorded from return.requested' });
    expect(row).to.include({ kind: 'claim' });
    expect(row.reference).to.match(/^return:/);
    await handled('claims', s.storeId, 2);
    expect(await feedback(changedMind.id)).to.have.length(0);
  });

  it('a store not opened through onboarding gets no record', async () => {
    const other = await kit.tenant();
    const made = await kit.post('/admin/v1/products', { status: 'active', translations: { en: { name: 'Free' } }, variants: [{ sku: `FREE-${Date.now()}`, prices: [{ currency: 'USD', amount: 1500 }], stock: 5 }] }, { token: other.ownerToken });
    expect(made.status, made.text).to.equal(201);
    const order = await paidOrder(other.slug, other.ownerToken, made.body.variants[0].id);
    await dispute(other.slug, order.id, 'dp_9');
    await handled('chargebacks', other.tenant.id, 1);
    expect(await db()('onboarding_order_feedback').where({ order_id: order.id })).to.have.length(0);
  });
});
