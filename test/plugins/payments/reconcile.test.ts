// The money-is-never-counted-twice rules across paths: the shopper's synchronous confirmation
// racing the gateway's webhook (100 rounds), reconciliation when every webhook is lost, and
// orders left unpaid expiring with their stock released and their payment voided at the gateway.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import { scoped } from '../../../core/db/model.js';
import { Order, Payment } from '../../../core/orders/order.model.js';
import payments from '../../../plugins/payments/index.js';
import { CARDS, startFakeStripe, type FakeStripe } from './fakes/stripe.js';
import { applied, checkout, makeVariant, shopperOrder, staffOrder } from './support.js';

const KEY = 'sk_test_fake_key_R';
const WHSEC = 'whsec_fake_R';

describe('payments plugin: race, reconciliation, expiry', function () {
  // 100 rounds of checkout + confirm + sync racing a webhook: minutes on MariaDB on a loaded shared VM.
  this.timeout(480_000);
  let kit: TestKit;
  let stripe: FakeStripe;
  let shop: KitTenant;
  let variant: string;

  // Answered at once, applied from the queue: the helper waits until the store's notifications are applied.
  const hook = async (body: string) => {
    const res = await kit.request('POST', '/store/v1/payments/stripe/webhook', { tenant: shop.slug, raw: body, headers: { 'stripe-signature': stripe.sign(body) } });
    await applied(kit, shop);
    return res;
  };
  const piOf = async (orderId: string) => (await staffOrder(kit, shop, orderId)).payments.at(-1).reference as string;
  async function backdate(orderId: string, minutes: number) {
    const at = new Date(Date.now() - minutes * 60_000);
    await scoped(shop.ctx, Order).patch({ placedAt: at as never }).where('id', orderId);
    await scoped(shop.ctx, Payment).patch({ createdAt: at as never }).where('order_id', orderId);
  }

  before(async () => {
    stripe = await startFakeStripe({ apiKey: KEY, webhookSecret: WHSEC });
    stripe.dropWebhooks = true;
    kit = await startTestKit({ plugin: payments, options: { payments: { reconcileEveryMs: 150 } } });
    shop = await kit.tenant({ enable: ['payments'], settings: { payments: { cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: WHSEC, cardBaseUrl: stripe.url, reconcileAfterMinutes: 5, cardUnpaidExpiryMinutes: 60 } } });
    variant = await makeVariant(kit, shop, 1999, 'USD', 1000);
  });
  after(async () => {
    await kit?.close();
    await stripe?.close();
  });

  it('the shopper\'s confirmation racing the webhook, 100 rounds: one capture and one order.paid each time', async () => {
    for (let round = 0; round < 100; round++) {
      const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(placed.order.id);
      await stripe.confirm(pi, CARDS.success);
      const evt = stripe.events.filter((e) => e.type === 'payment_intent.succeeded').at(-1)!;
      const [sync, webhook] = await Promise.all([
        kit.post(`/store/v1/orders/${placed.order.id}/payment/sync`, {}, { tenant: shop.slug, headers: { 'x-order-token': placed.orderToken } }),
        hook(evt.body),
      ]);
      expect(sync.status, sync.text).to.equal(200);
      expect(webhook.status, webhook.text).to.equal(200);
      const order = await staffOrder(kit, shop, placed.order.id);
      expect(order.status, `round ${round}`).to.equal('paid');
      expect(order.totals.paid, `round ${round}`).to.equal(placed.order.totals.total);
      expect(order.payments[0].capturedAmount).to.equal(placed.order.totals.total);
      expect(order.timeline.filter((h: { to: string }) => h.to === 'paid'), `round ${round}`).to.have.length(1);
    }
  });

  it('every webhook lost: the schedule asks Stripe and the order becomes paid', async () => {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    await stripe.confirm(await piOf(placed.order.id), CARDS.success);
    await new Promise((r) => setTimeout(r, 400));
    expect((await shopperOrder(kit, shop, placed)).status, 'not before reconcileAfterMinutes').to.equal('pending_payment');
    await backdate(placed.order.id, 6);
    await kit.waitFor(async () => (await shopperOrder(kit, shop, placed)).status === 'paid', { what: 'the reconciled order paid' });
    const metrics = await kit.get('/metrics');
    expect(metrics.text).to.match(/bazaar_plugin_payments_reconciled\{[^}]*outcome="captured"/);
  });

  it('a refund whose answer was lost (202, held) is settled by the schedule under its key: one refund at Stripe, counted once', async () => {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    const pi = await piOf(placed.order.id);
    await stripe.confirm(pi, CARDS.success);
    const sync = await kit.post(`/store/v1/orders/${placed.order.id}/payment/sync`, {}, { tenant: shop.slug, headers: { 'x-order-token': placed.orderToken } });
    expect(sync.status, sync.text).to.equal(200);
    expect((await shopperOrder(kit, shop, placed)).status).to.equal('paid');
    stripe.server.loseResponses(3, (r) => r.method === 'POST' && r.path === '/v1/refunds');
    const lost = await kit.post(`/admin/v1/orders/${placed.order.id}/refunds`, { amount: 999 }, { token: shop.ownerToken, headers: { 'idempotency-key': `lost-${placed.order.id}` } });
    expect(lost.status, lost.text).to.equal(202);
    expect(lost.body.status).to.equal('pending');
    const settled = await kit.waitFor(async () => {
      const o = await staffOrder(kit, shop, placed.order.id);
      return o.totals.refunded === 999 ? o : null;
    }, { what: 'the lost refund settled by the schedule' });
    expect(settled.refunds.map((r: { id: string; status: string }) => [r.id, r.status])).to.deep.equal([[lost.body.id, 'succeeded']]);
    expect(stripe.refunds.filter((r) => r.object.payment_intent === pi)).to.have.length(1);
    const metrics = await kit.get('/metrics');
    expect(metrics.text).to.match(/bazaar_plugin_payments_replayed\{[^}]*outcome="succeeded"/);
  });

  it('an order left unpaid past the deadline is cancelled: stock back, intent cancelled at Stripe, the reason on the timeline', async () => {
    const stockBefore = (await kit.get(`/admin/v1/variants/${variant}/stock`, { token: shop.ownerToken })).body.available as number;
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' }, { quantity: 3 });
    const pi = await piOf(placed.order.id);
    expect((await kit.get(`/admin/v1/variants/${variant}/stock`, { token: shop.ownerToken })).body.available).to.equal(stockBefore - 3);
    await backdate(placed.order.id, 61);
    const seen = await kit.waitFor(async () => {
      const o = await shopperOrder(kit, shop, placed);
      return o.status === 'cancelled' ? o : null;
    }, { what: 'the expired order cancelled' });
    expect(JSON.stringify(seen.timeline)).to.include('Not paid within 60 minutes');
    // The order is cancelled first (its transaction), then the authorization is voided at Stripe.
    await kit.waitFor(() => stripe.intents.get(pi)!.status === 'canceled', { what: 'the intent cancelled at Stripe' });
    expect((await kit.get(`/admin/v1/variants/${variant}/stock`, { token: shop.ownerToken })).body.available).to.equal(stockBefore);
  });
});
