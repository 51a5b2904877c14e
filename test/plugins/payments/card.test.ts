// Cards through the official Stripe SDK against a fake Stripe on loopback: the shopper's four
// steps, automatic and manual capture, partial capture, several refunds, cancel, 3-D Secure,
// webhook signatures (the spec's vector, a flipped byte, a stale timestamp, another store's
// secret), and the exactly-once rules (replays, a lost response, the sync/webhook race).
import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import payments from '../../../plugins/payments/index.js';
import { parseStripeEvent } from '../../../plugins/payments/stripe.provider.js';
import { toStripeAmount } from '../../../plugins/payments/common.js';
import { CARDS, startFakeStripe, type FakeStripe } from './fakes/stripe.js';
import { scoped } from '../../../core/db/model.js';
import { PaymentWebhookInbox } from '../../../core/orders/order.model.js';
import { adminAct, applied, checkout, makeVariant, shopperOrder, staffOrder } from './support.js';

const KEY = 'sk_test_fake_key_A';
const WHSEC = 'whsec_fake_A';

describe('payments plugin: card (Stripe)', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let stripe: FakeStripe;
  let shop: KitTenant;
  let manual: KitTenant;
  let variant: string;
  let manualVariant: string;

  const cardSettings = (extra: Record<string, unknown> = {}) => ({ cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: WHSEC, cardPublishableKey: 'pk_test_A', cardBaseUrl: stripe.url, ...extra });
  const hook = (t: KitTenant, body: string, signature: string) => kit.request('POST', '/store/v1/payments/stripe/webhook', { tenant: t.slug, raw: body, headers: { 'stripe-signature': signature } });
  const piOf = async (t: KitTenant, orderId: string) => (await staffOrder(kit, t, orderId)).payments.at(-1).reference as string;
  async function settle() {
    await Promise.all(stripe.deliveries.splice(0));
    await applied(kit, shop, manual);
  }

  before(async () => {
    stripe = await startFakeStripe({ apiKey: KEY, webhookSecret: WHSEC });
    kit = await startTestKit({ plugin: payments });
    shop = await kit.tenant({ enable: ['payments'], settings: { payments: cardSettings() } });
    manual = await kit.tenant({ enable: ['payments'], settings: { payments: cardSettings({ cardCaptureMethod: 'manual' }) } });
    variant = await makeVariant(kit, shop, 2500);
    manualVariant = await makeVariant(kit, manual, 10_000);
    stripe.webhookTarget = { url: `${kit.baseUrl}/store/v1/payments/stripe/webhook`, headers: { 'x-tenant': shop.slug } };
  });
  after(async () => {
    await kit?.close();
    await stripe?.close();
  });

  it('offers the card at checkout only where the store switched it on, and never returns the keys', async () => {
    const cart = await kit.post('/store/v1/carts', {}, { tenant: shop.slug });
    const methods = await kit.get(`/store/v1/carts/${cart.body.cart.id}/payment-methods`, { tenant: shop.slug, headers: cart.body.token ? { 'x-cart-token': cart.body.token } : {} });
    expect(methods.status, methods.text).to.equal(200);
    expect(JSON.stringify(methods.body)).to.include('"provider":"stripe"');
    const view = await kit.get('/admin/v1/plugins/payments', { token: shop.ownerToken });
    expect(view.status).to.equal(200);
    expect(view.body.secretsSet).to.include.members(['cardSecretKey', 'cardWebhookSecrets']);
    expect(view.text).not.to.include(KEY);
    expect(view.text).not.to.include(WHSEC);
  });

  it('refuses a base URL that is neither https nor loopback, naming the field', async () => {
    const other = await kit.tenant({ enable: ['payments'], settings: { payments: cardSettings({ cardBaseUrl: 'http://10.0.0.7:8080' }) } });
    const v = await makeVariant(kit, other, 1000);
    const placed = await checkout(kit, other, v, { provider: 'stripe', method: 'card' });
    const order = await staffOrder(kit, other, placed.order.id);
    expect(order.payments[0].status).to.equal('failed');
    expect(JSON.stringify(order.timeline)).to.include('cardBaseUrl must be https');
    expect(stripe.server.requests.filter((r) => r.headers.host?.includes('10.0.0.7'))).to.have.length(0);
  });

  it('four steps: checkout returns the card form, the webhook makes the order paid (automatic capture)', async () => {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    expect(placed.order.status).to.equal('pending_payment');
    expect(placed.order.payment.action).to.include({ type: 'card_form', publishableKey: 'pk_test_A' });
    expect(placed.order.payment.action.clientSecret).to.match(/^pi_[0-9a-f]+_secret_/);
    const pi = await piOf(shop, placed.order.id);
    const created = stripe.server.requests.find((r) => r.path === '/v1/payment_intents' && r.body.includes(pi.slice(3, 8)) === false && r.method === 'POST');
    expect(created?.headers['idempotency-key']).to.match(new RegExp(`^bz:${shop.tenant.id}:[^:]+:initiate:`));
    expect(stripe.intents.get(pi)).to.include({ amount: placed.order.totals.total, currency: 'usd', capture_method: 'automatic' });
    expect(stripe.intents.get(pi)!.metadata).to.include({ bazaar_tenant: shop.tenant.id });

    await stripe.confirm(pi, CARDS.success);
    await settle();
    const after = await shopperOrder(kit, shop, placed);
    expect(after.status).to.equal('paid');
    expect(after.paymentStatus).to.equal('paid');
    expect(after.payment.status).to.equal('captured');
  });

  it('a declined card leaves the order unpaid and the shopper retries with another method', async () => {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    const pi = await piOf(shop, placed.order.id);
    await stripe.confirm(pi, CARDS.decline);
    await settle();
    const seen = await shopperOrder(kit, shop, placed);
    expect(seen.status).to.equal('pending_payment');
    expect(seen.payment.status).to.equal('failed');
    const retry = await kit.post(`/store/v1/orders/${placed.order.id}/payments`, { provider: 'stripe', method: 'card' }, { tenant: shop.slug, headers: { 'x-order-token': placed.orderToken, 'idempotency-key': `retry-${pi}` } });
    expect(retry.status, retry.text).to.equal(200);
    const pi2 = await piOf(shop, placed.order.id);
    expect(pi2).not.to.equal(pi);
    await stripe.confirm(pi2, CARDS.success);
    await settle();
    expect((await shopperOrder(kit, shop, placed)).status).to.equal('paid');
  });

  it('3-D Secure: the shopper is sent to the bank, and the order is paid once the challenge passes', async () => {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    const pi = await piOf(shop, placed.order.id);
    const confirmed = await stripe.confirm(pi, CARDS.threeDS);
    expect(confirmed.status).to.equal('requires_action');
    expect(confirmed.next_action?.redirect_to_url.url).to.include(`/3ds/${pi}`);
    await settle();
    expect((await shopperOrder(kit, shop, placed)).status).to.equal('pending_payment');
    await stripe.complete3ds(pi, true);
    await settle();
    expect((await shopperOrder(kit, shop, placed)).status).to.equal('paid');
  });

  describe('manual capture', () => {
    before(() => {
      stripe.webhookTarget = { url: `${kit.baseUrl}/store/v1/payments/stripe/webhook`, headers: { 'x-tenant': manual.slug } };
    });
    after(() => {
      stripe.webhookTarget = { url: `${kit.baseUrl}/store/v1/payments/stripe/webhook`, headers: { 'x-tenant': shop.slug } };
    });

    it('authorizes, captures part, refunds twice, never above what was captured', async () => {
      const placed = await checkout(kit, manual, manualVariant, { provider: 'stripe', method: 'card' });
      const total = placed.order.totals.total as number;
      const pi = await piOf(manual, placed.order.id);
      await stripe.confirm(pi, CARDS.success);
      await settle();
      let order = await staffOrder(kit, manual, placed.order.id);
      expect(order.payments[0]).to.include({ status: 'authorized', authorizedAmount: total, capturedAmount: 0 });
      expect(order.status).to.equal('pending_payment');

      const part = total - 1000;
      const cap = await adminAct(kit, manual, placed.order.id, 'confirm-payment', { amount: part });
      expect(cap.status, cap.text).to.equal(200);
      expect(stripe.intents.get(pi)).to.include({ status: 'succeeded', amount_received: part });
      await settle(); // Stripe's own succeeded event for the same capture changes nothing
      order = await staffOrder(kit, manual, placed.order.id);
      expect(order.payments[0]).to.include({ capturedAmount: part });
      expect(order.totals.paid).to.equal(part);

      // Stripe captures once: the rest was released, a second capture is refused and nothing moves.
      const again = await adminAct(kit, manual, placed.order.id, 'confirm-payment', { amount: 1000 });
      expect(again.status).to.equal(422);
      expect(stripe.captureCount).to.be.greaterThan(0);
      expect((await staffOrder(kit, manual, placed.order.id)).totals.paid).to.equal(part);

      const r1 = await adminAct(kit, manual, placed.order.id, 'refunds', { amount: 1500, reason: 'damaged' });
      expect(r1.status, r1.text).to.equal(201);
      const r2 = await adminAct(kit, manual, placed.order.id, 'refunds', { amount: 2000 });
      expect(r2.status, r2.text).to.equal(201);
      const tooMuch = await adminAct(kit, manual, placed.order.id, 'refunds', { amount: part });
      expect(tooMuch.status).to.equal(409);
      await settle(); // charge.refunded events carry the cumulative amount: applied once
      const ch = stripe.charges.get(stripe.intents.get(pi)!.latest_charge!)!;
      expect(ch.amount_refunded).to.equal(3500);
      order = await staffOrder(kit, manual, placed.order.id);
      expect(order.totals.refunded).to.equal(3500);
      expect(order.payments[0].refundedAmount).to.equal(3500);
    });

    it('cancel releases the authorization at Stripe', async () => {
      const placed = await checkout(kit, manual, manualVariant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(manual, placed.order.id);
      await stripe.confirm(pi, CARDS.success);
      await settle();
      const res = await adminAct(kit, manual, placed.order.id, 'cancel', { reason: 'out of stock' });
      expect(res.status, res.text).to.equal(200);
      expect(stripe.intents.get(pi)!.status).to.equal('canceled');
      await settle();
      const order = await staffOrder(kit, manual, placed.order.id);
      expect(order.status).to.equal('cancelled');
      expect(order.payments[0].capturedAmount).to.equal(0);
    });

    it('a response lost after Stripe captured is retried with the same key: one capture', async () => {
      const placed = await checkout(kit, manual, manualVariant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(manual, placed.order.id);
      await stripe.confirm(pi, CARDS.success);
      await settle();
      const before = stripe.captureCount;
      stripe.dropWebhooks = true;
      stripe.server.loseResponses(1, (r) => r.path.endsWith('/capture'));
      const cap = await adminAct(kit, manual, placed.order.id, 'confirm-payment', {});
      stripe.dropWebhooks = false;
      expect(cap.status, cap.text).to.equal(200);
      expect(stripe.captureCount - before).to.equal(1);
      const captures = stripe.server.requests.filter((r) => r.path === `/v1/payment_intents/${pi}/capture`);
      expect(captures.length).to.equal(2);
      expect(captures[0].headers['idempotency-key']).to.equal(captures[1].headers['idempotency-key']);
      expect((await staffOrder(kit, manual, placed.order.id)).status).to.equal('paid');
    });
  });

  describe('a capture or refund whose answer was lost (the SDK\'s retries lost too)', () => {
    before(() => {
      stripe.webhookTarget = { url: `${kit.baseUrl}/store/v1/payments/stripe/webhook`, headers: { 'x-tenant': manual.slug } };
      stripe.dropWebhooks = true;
    });
    after(() => {
      stripe.webhookTarget = { url: `${kit.baseUrl}/store/v1/payments/stripe/webhook`, headers: { 'x-tenant': shop.slug } };
      stripe.dropWebhooks = false;
    });

    it('the capture is held, not failed (202); the staff retry is that capture under its key: captured once, paid once', async () => {
      const placed = await checkout(kit, manual, manualVariant, { provider: 'stripe', method: 'card' });
      const total = placed.order.totals.total as number;
      const pi = await piOf(manual, placed.order.id);
      stripe.dropWebhooks = false;
      await stripe.confirm(pi, CARDS.success);
      await settle();
      stripe.dropWebhooks = true;
      const before = stripe.captureCount;
      // The first call and the SDK's two retries (maxNetworkRetries 2): Stripe captured, no answer came back.
      stripe.server.loseResponses(3, (r) => r.path.endsWith('/capture'));
      const lost = await adminAct(kit, manual, placed.order.id, 'confirm-payment', {});
      expect(lost.status, lost.text).to.equal(202);
      expect(stripe.intents.get(pi)!.status).to.equal('succeeded');
      expect(lost.body.status).to.equal('pending_payment');
      expect(lost.body.payments[0]).to.include({ capturedAmount: total });
      expect(lost.body.totals.paid).to.equal(0);
      expect(lost.body.timeline.map((e: { message: string }) => e.message).join('\n')).to.include('not failed');

      const retry = await adminAct(kit, manual, placed.order.id, 'confirm-payment', {});
      expect(retry.status, retry.text).to.equal(200);
      expect(retry.body.status).to.equal('paid');
      expect(retry.body.totals.paid).to.equal(total);
      expect(stripe.captureCount - before).to.equal(1);
      const keys = new Set(stripe.server.requests.filter((r) => r.path === `/v1/payment_intents/${pi}/capture`).map((r) => r.headers['idempotency-key']));
      expect(keys.size, 'one key for the call, its retries and the replay').to.equal(1);
      expect(retry.body.timeline.filter((e: { to?: string }) => e.to === 'paid')).to.have.length(1);
    });

    it('the refund is pending and held (202); asked again after Stripe forgot the key, it is found by our key: one refund', async () => {
      const placed = await checkout(kit, manual, manualVariant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(manual, placed.order.id);
      stripe.dropWebhooks = false;
      await stripe.confirm(pi, CARDS.success);
      await settle();
      expect((await adminAct(kit, manual, placed.order.id, 'confirm-payment', {})).status).to.equal(200);
      await settle();
      stripe.dropWebhooks = true;
      stripe.server.loseResponses(3, (r) => r.method === 'POST' && r.path === '/v1/refunds');
      const lost = await adminAct(kit, manual, placed.order.id, 'refunds', { amount: 2500 });
      expect(lost.status, lost.text).to.equal(202);
      expect(lost.body).to.include({ status: 'pending', amount: 2500 });
      expect(stripe.refunds.filter((r) => r.object.payment_intent === pi)).to.have.length(1);
      let order = await staffOrder(kit, manual, placed.order.id);
      expect(order.totals.refunded).to.equal(0);
      expect(order.payments[0].refundedAmount).to.equal(2500);

      // More than 24 h later a key sent again would be a new refund at Stripe: the replay looks first.
      stripe.forgetKeys();
      const retry = await adminAct(kit, manual, placed.order.id, 'refunds', { amount: 2500 });
      expect(retry.status, retry.text).to.equal(201);
      expect(retry.body).to.include({ id: lost.body.id, status: 'succeeded' });
      expect(stripe.refunds.filter((r) => r.object.payment_intent === pi)).to.have.length(1);
      order = await staffOrder(kit, manual, placed.order.id);
      expect(order.totals.refunded).to.equal(2500);
      expect(order.refunds.map((r: { status: string }) => r.status)).to.deep.equal(['succeeded']);
    });
  });

  describe('webhooks', () => {
    it('verifies the spec vector and refuses a flipped byte and a stale timestamp', () => {
      const payload = '{"id":"evt_1","type":"payment_intent.succeeded"}';
      const header = 't=1700000000,v1=22d8dc182f5c588077683bd378368e29765bfe5df2560112b4f28fef120f0e31';
      expect(stripe.sign(payload, 1700000000, 'whsec_test_secret')).to.equal(header);
      expect(parseStripeEvent('t1', payload, header, ['whsec_test_secret'], 1700000000_000)).to.deep.equal({ id: 'evt_1', actions: [] });
      expect(parseStripeEvent('t1', payload, header, ['whsec_old', 'whsec_test_secret'], 1700000299_000)).to.deep.equal({ id: 'evt_1', actions: [] });
      expect(() => parseStripeEvent('t1', payload.replace('evt_1', 'evt_2'), header, ['whsec_test_secret'], 1700000000_000)).to.throw(/webhook refused/);
      expect(() => parseStripeEvent('t1', payload, header, ['whsec_test_secret'], 1700000301_000)).to.throw(/tolerance/);
    });

    it('answers 400 problem+json to a bad signature, and to an event signed for another store', async () => {
      const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(shop, placed.order.id);
      const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'payment_intent.succeeded', data: { object: { ...stripe.intents.get(pi), status: 'succeeded', amount_received: placed.order.totals.total } } });
      const flipped = await hook(shop, body.replace('succeeded', 'succeedee'), stripe.sign(body));
      expect(flipped.status).to.equal(400);
      expect(flipped.headers.get('content-type')).to.include('application/problem+json');
      expect(flipped.body.code).to.equal('WEBHOOK_SIGNATURE_INVALID');
      const stale = await hook(shop, body, stripe.sign(body, Math.floor(Date.now() / 1000) - 301));
      expect(stale.status).to.equal(400);
      const foreign = await hook(shop, body, stripe.sign(body, undefined, 'whsec_of_store_B'));
      expect(foreign.status).to.equal(400);
      const missing = await kit.request('POST', '/store/v1/payments/stripe/webhook', { tenant: shop.slug, raw: body });
      expect(missing.status).to.equal(400);
      expect((await shopperOrder(kit, shop, placed)).status).to.equal('pending_payment');
    });

    it('an event for a payment of this store signed by the other store is refused there, and one without our metadata changes nothing', async () => {
      const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(shop, placed.order.id);
      const obj = { ...stripe.intents.get(pi), status: 'succeeded', amount_received: placed.order.totals.total };
      const body = JSON.stringify({ id: 'evt_cross', object: 'event', type: 'payment_intent.succeeded', data: { object: obj } });
      // Posted to the manual store, whose secret is the same fake's: its tenant id is not in the metadata.
      const cross = await hook(manual, body, stripe.sign(body));
      expect(cross.status).to.equal(200);
      const bare = JSON.stringify({ id: 'evt_bare', object: 'event', type: 'payment_intent.succeeded', data: { object: { ...obj, metadata: {} } } });
      const res = await hook(shop, bare, stripe.sign(bare));
      expect(res.status).to.equal(200);
      await applied(kit, shop, manual);
      expect((await shopperOrder(kit, shop, placed)).status).to.equal('pending_payment');
    });

    it('REQ 15: /hooks/payments/:tenant/:config names the store in the path (no Host, no header); another store\'s secret, an unknown store or config is refused', async () => {
      const other = await kit.tenant({ enable: ['payments'], settings: { payments: cardSettings({ cardWebhookSecrets: 'whsec_other_store_B' }) } });
      const url = (t: KitTenant, config = 'stripe') => `/hooks/payments/${t.tenant.id}/${config}`;
      const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(shop, placed.order.id);
      const obj = { ...stripe.intents.get(pi), status: 'succeeded', amount_received: placed.order.totals.total };
      const body = JSON.stringify({ id: 'evt_path_1', object: 'event', type: 'payment_intent.succeeded', data: { object: obj } });
      // Signed with store B's secret, posted to store A's URL: refused.
      const forged = await kit.request('POST', url(shop), { raw: body, headers: { 'stripe-signature': stripe.sign(body, undefined, 'whsec_other_store_B') } });
      expect(forged.status, forged.text).to.equal(400);
      expect(forged.body.code).to.equal('WEBHOOK_SIGNATURE_INVALID');
      // Signed with A's secret, posted to B's URL: refused there.
      expect((await kit.request('POST', url(other), { raw: body, headers: { 'stripe-signature': stripe.sign(body) } })).status).to.equal(400);
      expect((await shopperOrder(kit, shop, placed)).status).to.equal('pending_payment');
      const unknown = await kit.request('POST', `/hooks/payments/${crypto.randomUUID()}/stripe`, { raw: body, headers: { 'stripe-signature': stripe.sign(body) } });
      expect(unknown.status).to.equal(404);
      expect((await kit.request('POST', url(shop, 'paypal'), { raw: body, headers: { 'stripe-signature': stripe.sign(body) } })).status).to.equal(404);
      expect((await kit.request('POST', url(shop, 'Bad Config!'), { raw: body, headers: { 'stripe-signature': stripe.sign(body) } })).status).to.be.oneOf([400, 404]);
      // Signed with A's secret at A's URL: applied once.
      const ok = await kit.request('POST', url(shop), { raw: body, headers: { 'stripe-signature': stripe.sign(body) } });
      expect(ok.status, ok.text).to.equal(200);
      expect((await kit.request('POST', url(shop), { raw: body, headers: { 'stripe-signature': stripe.sign(body) } })).status).to.equal(200);
      await applied(kit, shop);
      const order = await staffOrder(kit, shop, placed.order.id);
      expect(order.status).to.equal('paid');
      expect(order.timeline.filter((h: { to: string }) => h.to === 'paid')).to.have.length(1);
      // Without our metadata: 200 and nothing changes (REQ 15's not_supported).
      const p2 = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
      const bare = JSON.stringify({ id: 'evt_path_bare', object: 'event', type: 'payment_intent.succeeded', data: { object: { ...stripe.intents.get(await piOf(shop, p2.order.id)), status: 'succeeded', amount_received: p2.order.totals.total, metadata: {} } } });
      expect((await kit.request('POST', url(shop), { raw: bare, headers: { 'stripe-signature': stripe.sign(bare) } })).status).to.equal(200);
      await applied(kit, shop);
      expect((await shopperOrder(kit, shop, p2)).status).to.equal('pending_payment');
      // The Admin API tells staff the URL to register for each gateway.
      const hooks = await kit.get('/admin/v1/payments/hooks', { token: shop.ownerToken });
      expect(hooks.status, hooks.text).to.equal(200);
      expect(hooks.body.items).to.deep.include({ gateway: 'stripe', path: url(shop) });
    });

    it('10 concurrent replays of one succeeded event: one capture, one order.paid', async () => {
      const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
      const pi = await piOf(shop, placed.order.id);
      stripe.dropWebhooks = true;
      await stripe.confirm(pi, CARDS.success);
      stripe.dropWebhooks = false;
      const evt = stripe.events.filter((e) => e.type === 'payment_intent.succeeded').at(-1)!;
      const answers = await Promise.all(Array.from({ length: 10 }, () => hook(shop, evt.body, stripe.sign(evt.body))));
      expect(answers.map((a) => a.status)).to.deep.equal(Array(10).fill(200));
      // REQ 13: the notification is stored once, whatever the number of copies.
      expect(await scoped(shop.ctx, PaymentWebhookInbox).where({ provider: 'stripe', notification_id: evt.id }).resultSize()).to.equal(1);
      await applied(kit, shop);
      const order = await staffOrder(kit, shop, placed.order.id);
      expect(order.status).to.equal('paid');
      expect(order.totals.paid).to.equal(placed.order.totals.total);
      expect(order.timeline.filter((h: { to: string }) => h.to === 'paid')).to.have.length(1);
    });
  });

  describe('amounts Stripe cannot represent', () => {
    it('refuses a three-decimal amount not ending in 0, passes JPY unchanged, scales ISK', () => {
      expect(() => toStripeAmount(1235, 'KWD')).to.throw(/AMOUNT_NOT_REPRESENTABLE|must end in 0/);
      expect(toStripeAmount(1230, 'KWD')).to.equal(1230);
      expect(toStripeAmount(500, 'JPY')).to.equal(500);
      expect(toStripeAmount(1000, 'USD')).to.equal(1000);
      expect(toStripeAmount(5, 'ISK')).to.equal(500);
      try {
        toStripeAmount(1235, 'KWD');
      } catch (err) {
        expect((err as { code: string }).code).to.equal('AMOUNT_NOT_REPRESENTABLE');
      }
    });
  });
});
