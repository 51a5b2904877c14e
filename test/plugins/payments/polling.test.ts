// Reconciliation by polling (spec REQ 16), against the fake Stripe: a create whose answer comes
// later than the client's timeout is pending (never failed) and is made good by replaying it under
// the same idempotency key; a payment whose webhooks are lost is asked about with exponential
// back-off and a cap, reaches `captured` through polling, and is no longer polled after the
// gateway's notify window. The clock of each polling round is the test's (`now`), not a timer.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import { pluginService } from '../../../core/plugins/services.js';
import type { PaymentReconcileService } from '../../../core/orders/payment.reconcile.js';
import payments from '../../../plugins/payments/index.js';
import { backoffMs, pollDue } from '../../../plugins/payments/polling.js';
import type { PaymentSettings } from '../../../plugins/payments/settings.js';
import { PaymentStateRow } from '../../../plugins/payments/tracker.js';
import { scoped } from '../../../core/db/model.js';
import { Payment } from '../../../core/orders/order.model.js';
import { CARDS, startFakeStripe, type FakeStripe } from './fakes/stripe.js';
import { checkout, makeVariant, shopperOrder, staffOrder } from './support.js';

const KEY = 'sk_test_fake_key_P';
const WHSEC = 'whsec_fake_P';
const MIN = 60_000;

describe('payments plugin: polling with back-off, and creates that time out (REQ 16)', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let stripe: FakeStripe;
  let shop: KitTenant;
  let variant: string;
  let reconcile: PaymentReconcileService;
  let settings: PaymentSettings;

  before(async () => {
    stripe = await startFakeStripe({ apiKey: KEY, webhookSecret: WHSEC });
    stripe.dropWebhooks = true; // every webhook is lost: only polling can tell
    // The scheduled round is out of the way (an hour); each test runs rounds itself with its clock.
    kit = await startTestKit({ plugin: payments, options: { payments: { reconcileEveryMs: 3_600_000, gatewayTimeoutMs: 400 } } });
    shop = await kit.tenant({ enable: ['payments'], settings: { payments: { cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: WHSEC, cardBaseUrl: stripe.url, reconcileBackoffMaxMinutes: 3 } } });
    variant = await makeVariant(kit, shop, 4200);
    reconcile = pluginService('payments:reconcile')!.create(kit.kernel, { name: 'payments' }) as PaymentReconcileService;
    const view = await kit.get('/admin/v1/plugins/payments', { token: shop.ownerToken });
    settings = view.body.settings as PaymentSettings;
  });
  after(async () => {
    await kit?.close();
    await stripe?.close();
  });

  const round = (now: Date) => pollDue({ reconcile, log: kit.kernel.log }, shop.ctx, 'stripe', settings, now);
  const queries = (pi: string) => stripe.server.requests.filter((r) => r.method === 'GET' && r.path === `/v1/payment_intents/${pi}`).length;

  it('the back-off doubles from reconcileBackoffSeconds and stops at reconcileBackoffMaxMinutes', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 60_000, 3 * MIN))).to.deep.equal([60_000, 120_000, 180_000, 180_000, 180_000]);
    expect(backoffMs(40, 1000, 3_600_000)).to.equal(3_600_000);
    expect(settings).to.include({ reconcileAfterMinutes: 15, reconcileBackoffSeconds: 60, reconcileBackoffMaxMinutes: 3 });
  });

  it('a create answered after the client gave up is pending, not failed; the shopper\'s return replays it with the same key: one intent', async () => {
    const before = stripe.intents.size;
    stripe.server.hold((r) => r.method === 'POST' && r.path === '/v1/payment_intents');
    let placed;
    try {
      placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    } finally {
      stripe.server.release();
    }
    expect(placed.order.status).to.equal('pending_payment');
    expect(placed.order.payment.status, 'never failed').to.equal('pending');
    expect(placed.order.payment.action).to.equal(null);
    expect(stripe.intents.size - before, 'Stripe committed the first create only').to.equal(1);
    const creates = stripe.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents').slice(-3);
    expect(new Set(creates.map((r) => r.headers['idempotency-key'])).size, 'the SDK retried with one key').to.equal(1);
    const staff = await staffOrder(kit, shop, placed.order.id);
    expect(staff.payments[0]).to.include({ status: 'pending', reference: null });
    expect(JSON.stringify(staff.timeline)).to.include('not failed');
    const state = await kit.get(`/admin/v1/payments/states/${staff.payments[0].id}`, { token: shop.ownerToken });
    expect(state.body.payment.state).to.equal('pending');

    // Back from the card page: the initiation is replayed under the same key; Stripe replays its answer.
    const sync = await kit.post(`/store/v1/orders/${placed.order.id}/payment/sync`, {}, { tenant: shop.slug, headers: { 'x-order-token': placed.orderToken } });
    expect(sync.status, sync.text).to.equal(200);
    expect(sync.body.payment.action.type).to.equal('card_form');
    expect(stripe.intents.size - before, 'still one intent').to.equal(1);
    const pi = (await staffOrder(kit, shop, placed.order.id)).payments[0].reference as string;
    expect(stripe.intents.has(pi)).to.equal(true);
    expect(sync.body.payment.action.clientSecret).to.equal(stripe.intents.get(pi)!.client_secret);
    await stripe.confirm(pi, CARDS.success);
    const paid = await kit.post(`/store/v1/orders/${placed.order.id}/payment/sync`, {}, { tenant: shop.slug, headers: { 'x-order-token': placed.orderToken } });
    expect(paid.body.status).to.equal('paid');
    expect(stripe.captureCount).to.be.greaterThan(0);
  });

  it('webhooks lost: polled at reconcileAfterMinutes, then after 1, 2, 3 (the cap), 3 minutes; captured through polling; nothing after the notify window', async () => {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    const payment = (await scoped(shop.ctx, Payment).where('order_id', placed.order.id).first())!;
    const pi = payment.reference!;
    const t0 = new Date(payment.createdAt).getTime();
    const at = (ms: number) => new Date(t0 + ms);
    const polled = async (ms: number) => (await round(at(ms))).polled.includes(payment.id);

    expect(await polled(14 * MIN), 'not before reconcileAfterMinutes').to.equal(false);
    expect(queries(pi)).to.equal(0);
    expect(await polled(15 * MIN + 1000)).to.equal(true);
    expect(queries(pi)).to.equal(1);
    expect((await scoped(shop.ctx, PaymentStateRow).findById(payment.id))!.polls).to.equal(1);
    expect(await polled(15 * MIN + 30_000), 'backing off: 1 min').to.equal(false);
    expect(await polled(16 * MIN + 2000)).to.equal(true);
    expect(await polled(17 * MIN + 3000), 'backing off: 2 min').to.equal(false);
    expect(await polled(18 * MIN + 3000)).to.equal(true);
    expect(await polled(20 * MIN + 4000), 'backing off: 3 min (4 without the cap)').to.equal(false);
    expect(await polled(21 * MIN + 4000), 'the cap: 3 min, not 4').to.equal(true);
    expect(queries(pi)).to.equal(4);
    expect((await shopperOrder(kit, shop, placed)).status).to.equal('pending_payment');

    // The shopper pays; the webhook is lost; the next poll finds it.
    await stripe.confirm(pi, CARDS.success);
    expect(await polled(24 * MIN + 5000)).to.equal(true);
    const order = await staffOrder(kit, shop, placed.order.id);
    expect(order.status).to.equal('paid');
    expect(order.totals.paid).to.equal(placed.order.totals.total);
    const state = await kit.get(`/admin/v1/payments/states/${payment.id}`, { token: shop.ownerToken });
    expect(state.body.payment.state).to.equal('captured');
    expect(state.body.log.filter((l: { source: string }) => l.source === 'poll').length).to.equal(5);
    expect((await round(at(30 * MIN))).polled, 'no longer pending: no longer polled').not.to.include(payment.id);

    // Another payment, still pending three days on: Stripe's notify window is over, it is not polled.
    const late = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    const latePayment = (await scoped(shop.ctx, Payment).where('order_id', late.order.id).first())!;
    const r = await pollDue({ reconcile, log: kit.kernel.log }, shop.ctx, 'stripe', settings, new Date(new Date(latePayment.createdAt).getTime() + 72 * 60 * MIN + MIN));
    expect(r.gaveUp).to.include(latePayment.id);
    expect(r.polled).not.to.include(latePayment.id);
    expect(queries(latePayment.reference!)).to.equal(0);
  });
});
