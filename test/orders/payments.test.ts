// The payment provider contract, exercised through a provider registered the way a payments
// plugin would: card-like (pending at checkout, money arrives by webhook), with a signed webhook.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { call, get } from '../support/http.js';
import { runtime } from '../support/runtime.js';
import { TenantMovingError, UnauthorizedError } from '../../core/errors.js';
import { PaymentRefusedError, type PaymentProvider, type WebhookAction } from '../../core/orders/payment.provider.js';
import { scoped } from '../../core/db/model.js';
import { Payment, PaymentTransaction, PaymentWebhookInbox } from '../../core/orders/order.model.js';
import { waitFor } from '../../core/plugins/testkit.js';
import { syncPayment, type PaymentReconcileService } from '../../core/orders/payment.reconcile.js';
import { pluginService } from '../../core/plugins/services.js';
import { WEBHOOK_QUEUE, requeueWebhooks, runWebhookJob } from '../../core/orders/payment.webhooks.js';
import { addLine, adminAct, cartCall, makeCart, makeVariant, ADDRESS } from './support.js';

const SECRET = 'whsec_test';
const sign = (body: string) => crypto.createHmac('sha256', SECRET).update(body).digest('hex');

describe('payment providers', () => {
  let shop: TestTenant;
  const behaviour = { refund: 'ok' as 'ok' | 'refuse' | 'lose', capture: 'ok' as 'ok' | 'lose', initiate: 'ok' as 'ok' | 'throw' | 'refuse', admitFailures: 0 };
  const calls: string[] = [];
  // What the gateway did, by idempotency key: a repeat of a key answers what the first call did.
  const done = new Map<string, { kind: string; amount: number }>();
  /** The gateway does it (once per key); `lose`: and then the answer is lost on the way back. */
  const atGateway = (kind: string, key: string, amount: number, lose: boolean) => {
    if (!done.has(key)) done.set(key, { kind, amount });
    if (lose) throw new Error('socket hang up');
    return done.get(key)!.amount;
  };

  before(async () => {
    shop = await makeTenant();
    const mine = (id: string) => id === shop.tenant.id;
    const provider: PaymentProvider = {
      id: 'test-card',
      async methods(ctx) {
        return mine(ctx.tenant.id) ? [{ id: 'card', label: 'Card' }] : [];
      },
      async initiate(_ctx, { data, context }) {
        calls.push(`initiate:${data.amount}:${context.idempotencyKey}`);
        if (behaviour.initiate === 'throw') throw new Error('gateway timeout');
        if (behaviour.initiate === 'refuse') throw new PaymentRefusedError('PAYMENT_GATEWAY_REFUSED', 'test-card: merchant account closed');
        return { status: 'pending', reference: `tc_${context.paymentId}`, action: { type: 'redirect', url: `https://pay.example/${context.paymentId}` } };
      },
      async update(_ctx, { data }) {
        return { status: 'pending', amount: data.newAmount };
      },
      async authorize(_ctx, { data }) {
        return { status: 'authorized', amount: data.authorizeAmount };
      },
      async capture(_ctx, { data, context }) {
        calls.push(`capture:${data.captureAmount}:${context.idempotencyKey}`);
        const amount = atGateway('capture', `${context.paymentId}:${context.idempotencyKey}`, data.captureAmount ?? 0, behaviour.capture === 'lose');
        return { status: 'captured', amount };
      },
      async refund(_ctx, { data, context }) {
        calls.push(`refund:${data.refundAmount}:${context.idempotencyKey}`);
        if (behaviour.refund === 'refuse') throw new PaymentRefusedError('PAYMENT_GATEWAY_REFUSED', 'card expired');
        const amount = atGateway('refund', `${context.paymentId}:${context.idempotencyKey}`, data.refundAmount, behaviour.refund === 'lose');
        return { status: 'refunded', amount, reference: `re_${context.idempotencyKey}` };
      },
      async cancel() {
        return { status: 'canceled' };
      },
      async getStatus() {
        return { status: 'pending' };
      },
      async admitAction() {
        // A processing step that fails after the notification was stored and answered.
        if (behaviour.admitFailures > 0) {
          behaviour.admitFailures--;
          throw new Error('the processing failed this time');
        }
        return true;
      },
      async parseWebhook(_ctx, { data: { headers, rawBody } }) {
        if (headers['x-signature'] !== sign(rawBody)) throw new UnauthorizedError('WEBHOOK_SIGNATURE_INVALID', 'bad signature');
        const e = JSON.parse(rawBody) as { id: string; reference: string; type: WebhookAction['action']; amount: number };
        return { notificationId: e.id, actions: [{ id: e.id, action: e.type, paymentId: null, reference: e.reference, amount: e.amount }], response: { status: 200, body: 'success', contentType: 'text/plain' } };
      },
    };
    (await runtime()).kernel.extensions.addProvider('payment', provider);
  });

  async function cardOrder(price = 5000) {
    const v = await makeVariant(shop, { price });
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 1);
    const res = await cartCall(shop, cart, 'POST', '/checkout', { email: 'card@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'test-card', method: 'card' } });
    expect(res.status, res.text).to.equal(201);
    return res.body.order;
  }

  /** Posts a signed notification; answered at once, applied from the queue: waits until the store's are all applied. */
  async function webhook(event: Record<string, unknown>, signature?: string) {
    const raw = JSON.stringify(event);
    const res = await call('POST', '/store/v1/payments/test-card/webhook', { tenant: shop.slug, raw, headers: { 'x-signature': signature ?? sign(raw) } });
    await applied();
    return res;
  }
  const applied = () => waitFor(async () => !(await scoped(shop.ctx, PaymentWebhookInbox).whereNull('processed_at').first()), { timeoutMs: 60_000, what: 'stored notifications applied' });

  it('hands the shopper the provider action and takes the money when the webhook says so, once', async () => {
    const order = await cardOrder();
    expect(order.payment).to.deep.include({ provider: 'test-card', method: 'card', status: 'pending' });
    expect(order.payment.action).to.deep.equal({ type: 'redirect', url: `https://pay.example/${order.payment.action.url.split('/').pop()}` });
    const staff = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    const reference = staff.body.payments[0].reference;
    expect(reference).to.match(/^tc_/);

    const res = await webhook({ id: `evt_1_${order.id}`, reference, type: 'captured', amount: 5000 });
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('success');
    expect(res.headers.get('content-type')).to.include('text/plain');
    const replay = await webhook({ id: `evt_1_${order.id}`, reference, type: 'captured', amount: 5000 });
    expect(replay.status).to.equal(200);
    // Late and out-of-order events never move the payment backwards.
    await webhook({ id: `evt_0_${order.id}`, reference, type: 'authorized', amount: 5000 });
    await webhook({ id: `evt_2_${order.id}`, reference, type: 'failed', amount: 0 });
    const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body).to.include({ status: 'paid', paymentStatus: 'paid' });
    expect(view.body.totals.paid).to.equal(5000);
    expect(view.body.payments[0]).to.include({ status: 'captured', authorizedAmount: 5000, capturedAmount: 5000 });
    expect(view.body.timeline.filter((e: { kind: string; message: string }) => e.kind === 'payment' && e.message.includes('received'))).to.have.length(1);
  });

  it('applies racing events for one payment one at a time', async () => {
    const order = await cardOrder(4000);
    const reference = (await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.payments[0].reference;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => webhook({ id: `race_${i}_${order.id}`, reference, type: 'captured', amount: 4000 })));
    expect(results.map((r) => r.status)).to.deep.equal(Array(6).fill(200));
    const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body.totals.paid).to.equal(4000);
    expect(view.body.payments[0].capturedAmount).to.equal(4000);
  });

  it('refuses a webhook with a bad signature, and a provider that takes none', async () => {
    const order = await cardOrder();
    const bad = await webhook({ id: 'evt_x', reference: order.id, type: 'captured', amount: 5000 }, 'forged');
    expect(bad.status).to.equal(401);
    const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body.totals.paid).to.equal(0);
    const offline = await call('POST', '/store/v1/payments/offline/webhook', { tenant: shop.slug, raw: '{}' });
    expect(offline.status).to.equal(404);
    expect(offline.body.code).to.equal('WEBHOOK_NOT_SUPPORTED');
    expect((await call('POST', '/store/v1/payments/nobody/webhook', { tenant: shop.slug, raw: '{}' })).status).to.equal(404);
    expect((await call('POST', '/store/v1/payments/Bad Name/webhook', { tenant: shop.slug, raw: '{}' })).status).to.equal(400);
  });

  it('records a refund made at the provider, from its cumulative amount', async () => {
    const order = await cardOrder(3000);
    const reference = (await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.payments[0].reference;
    await webhook({ id: `c_${order.id}`, reference, type: 'captured', amount: 3000 });
    await webhook({ id: `r1_${order.id}`, reference, type: 'refunded', amount: 1000 });
    await webhook({ id: `r2_${order.id}`, reference, type: 'refunded', amount: 1000 });
    let view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body.totals.refunded).to.equal(1000);
    expect(view.body.paymentStatus).to.equal('partially_refunded');
    await webhook({ id: `r3_${order.id}`, reference, type: 'refunded', amount: 3000 });
    view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body).to.include({ status: 'refunded', paymentStatus: 'refunded' });
    expect(view.body.refunds.map((r: { amount: number }) => r.amount)).to.deep.equal([1000, 2000]);
  });

  it('gives the reserved amount back when the provider refuses a refund, and passes a fresh idempotency key per refund', async () => {
    const order = await cardOrder(2000);
    const reference = (await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.payments[0].reference;
    await webhook({ id: `c_${order.id}`, reference, type: 'captured', amount: 2000 });
    behaviour.refund = 'refuse';
    try {
      const refused = await adminAct(shop, order.id, 'refunds', { amount: 500 });
      expect(refused.status).to.equal(422);
      expect(refused.body).to.include({ code: 'PAYMENT_REFUSED', reason: 'card expired' });
    } finally {
      behaviour.refund = 'ok';
    }
    let view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body.totals.refunded).to.equal(0);
    expect(view.body.payments[0].refundedAmount).to.equal(0);
    expect(view.body.refunds.map((r: { status: string }) => r.status)).to.deep.equal(['failed']);
    const ok = await adminAct(shop, order.id, 'refunds', { amount: 500 });
    expect(ok.status).to.equal(201);
    view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body.totals.refunded).to.equal(500);
    const keys = calls.filter((c) => c.startsWith('refund:500:')).map((c) => c.split(':').slice(2).join(':'));
    expect(new Set(keys).size).to.equal(keys.length);
  });

  describe('a capture or refund whose answer was lost', () => {
    const gatewayOps = (paymentId: string, kind: string) => [...done].filter(([k, v]) => k.startsWith(`${paymentId}:`) && v.kind === kind);

    it('a refund is pending and its amount held, not failed; the staff retry is that refund under its key: one refund at the gateway', async () => {
      const order = await cardOrder(2200);
      let view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      const { reference, id: paymentId } = view.body.payments[0];
      await webhook({ id: `c_${order.id}`, reference, type: 'captured', amount: 2200 });
      behaviour.refund = 'lose';
      let lost;
      try {
        lost = await adminAct(shop, order.id, 'refunds', { amount: 700 });
      } finally {
        behaviour.refund = 'ok';
      }
      expect(lost.status, lost.text).to.equal(202);
      expect(lost.body).to.include({ status: 'pending', amount: 700 });
      view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.totals.refunded, 'not counted before the gateway says so').to.equal(0);
      expect(view.body.payments[0].refundedAmount, 'held: nobody can refund it a second time meanwhile').to.equal(700);
      expect(view.body.refunds.map((r: { status: string }) => r.status)).to.deep.equal(['pending']);
      expect(view.body.timeline.map((e: { message: string }) => e.message).join('\n')).to.include('not failed');
      // Above what is left once the held amount counts: refused before the gateway is asked.
      expect((await adminAct(shop, order.id, 'refunds', { amount: 1600 })).status).to.equal(409);

      const retry = await adminAct(shop, order.id, 'refunds', { amount: 700 });
      expect(retry.status, retry.text).to.equal(201);
      expect(retry.body).to.include({ id: lost.body.id, status: 'succeeded' });
      const keys = calls.filter((c) => c.startsWith('refund:700:')).map((c) => c.split(':').slice(2).join(':'));
      expect(keys.slice(-2)[0], 'the retry sent the first attempt\'s key').to.equal(keys.slice(-2)[1]);
      expect(gatewayOps(paymentId, 'refund')).to.have.length(1);
      view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.totals.refunded).to.equal(700);
      expect(view.body.payments[0].refundedAmount).to.equal(700);
      expect(view.body.refunds.map((r: { status: string }) => r.status)).to.deep.equal(['succeeded']);
      // That retry was answered with it: a later refund of the same amount is a new one.
      const second = await adminAct(shop, order.id, 'refunds', { amount: 700 });
      expect(second.status, second.text).to.equal(201);
      expect(second.body.id).to.not.equal(lost.body.id);
      expect(gatewayOps(paymentId, 'refund')).to.have.length(2);
    });

    it('a capture is held, not failed; the payments job asks again under its key and the order is paid once', async () => {
      const order = await cardOrder(1900);
      let view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      const { reference, id: paymentId } = view.body.payments[0];
      await webhook({ id: `a_${order.id}`, reference, type: 'authorized', amount: 1900 });
      behaviour.capture = 'lose';
      let lost;
      try {
        lost = await adminAct(shop, order.id, 'confirm-payment', {});
      } finally {
        behaviour.capture = 'ok';
      }
      expect(lost.status, lost.text).to.equal(202);
      expect(lost.body).to.include({ status: 'pending_payment' });
      expect(lost.body.payments[0]).to.include({ status: 'authorized', capturedAmount: 1900 });
      expect(lost.body.totals.paid).to.equal(0);

      const rt = await runtime();
      // What the payments plugin's job calls each round.
      const reconcile = pluginService('payments:reconcile')!.create(rt.kernel, { name: 'payments' }) as PaymentReconcileService;
      const replayed = await reconcile.replayOperations(shop.ctx, { provider: 'test-card' });
      expect(replayed.map((r) => r.outcome)).to.deep.equal(['succeeded']);
      expect(await reconcile.replayOperations(shop.ctx, { provider: 'test-card' }), 'nothing left to ask').to.deep.equal([]);
      const keys = calls.filter((c) => c.startsWith('capture:1900:')).map((c) => c.split(':').slice(2).join(':'));
      expect(keys.slice(-2)[0]).to.equal(keys.slice(-2)[1]);
      expect(gatewayOps(paymentId, 'capture')).to.have.length(1);
      view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body).to.include({ status: 'paid' });
      expect(view.body.totals.paid).to.equal(1900);
      expect(view.body.timeline.filter((e: { to?: string }) => e.to === 'paid')).to.have.length(1);
      // A staff retry now finds nothing outstanding: no second capture.
      expect((await adminAct(shop, order.id, 'confirm-payment', {})).status).to.equal(200);
      expect(gatewayOps(paymentId, 'capture')).to.have.length(1);
    });
  });

  it('keeps the order when the provider refuses to start the payment; the payment failed', async () => {
    behaviour.initiate = 'refuse';
    try {
      const order = await cardOrder();
      expect(order.status).to.equal('pending_payment');
      expect(order.payment.status).to.equal('failed');
    } finally {
      behaviour.initiate = 'ok';
    }
  });

  it('a start with no answer (timeout) is pending, not failed, and the sync replays it under the same key', async () => {
    behaviour.initiate = 'throw';
    let order: { id: string; payment: { status: string; action: unknown } };
    try {
      order = await cardOrder();
    } finally {
      behaviour.initiate = 'ok';
    }
    expect(order.payment.status).to.equal('pending');
    expect(order.payment.action).to.equal(null);
    const staff = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    const paymentId = staff.body.payments[0].id as string;
    expect(staff.body.timeline.map((e: { message: string }) => e.message).join('\n')).to.include('not failed');
    await syncPayment(shop.ctx, paymentId);
    const after = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(after.body.payments[0]).to.include({ status: 'pending', reference: `tc_${paymentId}` });
    const keys = calls.filter((c) => c.endsWith(`initiate:${paymentId}`));
    expect(keys, 'the same key twice: the first try and its replay').to.have.length(2);
  });

  it('a start whose process died between recording the payment and closing its attempt is replayed by the sync under the same key, writing the same', async () => {
    // The pending start writes the payment's reference and action, then closes the attempt, with
    // no transaction around the two (issue 27): a crash between them leaves this state.
    const order = await cardOrder();
    const staff = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    const paymentId = staff.body.payments[0].id as string;
    expect(staff.body.payments[0]).to.include({ status: 'pending', reference: `tc_${paymentId}` });
    const attempt = () => scoped(shop.ctx, PaymentTransaction).where({ payment_id: paymentId, kind: 'initiate' }).first();
    expect((await attempt())?.status, 'closed once the payment holds its action').to.equal('succeeded');
    await scoped(shop.ctx, PaymentTransaction).patch({ status: 'pending' }).where({ payment_id: paymentId, kind: 'initiate' });
    await syncPayment(shop.ctx, paymentId);
    expect((await attempt())?.status, 'the replay closed it').to.equal('succeeded');
    const after = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(after.body.payments[0]).to.include({ status: 'pending', reference: `tc_${paymentId}` });
    expect((await scoped(shop.ctx, Payment).findById(paymentId))?.action).to.deep.equal({ type: 'redirect', url: `https://pay.example/${paymentId}` });
    expect(calls.filter((c) => c.endsWith(`initiate:${paymentId}`)), 'the same key twice: the start and its replay').to.have.length(2);
  });

  it('POST /store/v1/orders/:id/payments starts a new payment, once per Idempotency-Key, only while nothing is paid', async () => {
    behaviour.initiate = 'throw';
    const v = await makeVariant(shop, { price: 2500 });
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 1);
    const placed = await cartCall(shop, cart, 'POST', '/checkout', { email: 'again@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'test-card', method: 'card' } });
    behaviour.initiate = 'ok';
    const { order, orderToken } = placed.body;
    const headers = { 'x-order-token': orderToken, 'idempotency-key': `again-${order.id}` };
    const tries = await Promise.all(Array.from({ length: 5 }, () => call('POST', `/store/v1/orders/${order.id}/payments`, { tenant: shop.slug, headers, body: { provider: 'test-card', method: 'card' } })));
    expect(tries.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
    expect(tries[0].body.payment).to.deep.include({ provider: 'test-card', status: 'pending' });
    let staff = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(staff.body.payments.map((p: { status: string }) => p.status)).to.deep.equal(['cancelled', 'pending']);
    const offline = await call('POST', `/store/v1/orders/${order.id}/payments`, { tenant: shop.slug, headers: { 'x-order-token': orderToken }, body: { provider: 'offline', method: 'bank_transfer' } });
    expect(offline.status, offline.text).to.equal(200);
    expect(offline.body.payment).to.deep.include({ provider: 'offline', method: 'bank_transfer', status: 'pending' });
    staff = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(staff.body.payments.map((p: { status: string }) => p.status)).to.deep.equal(['cancelled', 'cancelled', 'pending']);
    const bad = await call('POST', `/store/v1/orders/${order.id}/payments`, { tenant: shop.slug, headers: { 'x-order-token': orderToken }, body: { provider: 'offline', method: 'iou' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('PAYMENT_METHOD_UNAVAILABLE');
    expect((await call('POST', `/store/v1/orders/${order.id}/payments`, { tenant: shop.slug, headers: { 'x-order-token': orderToken }, body: { provider: 'offline' } })).status).to.equal(400);
    expect((await call('POST', `/store/v1/orders/${order.id}/payments`, { tenant: shop.slug, body: { provider: 'offline', method: 'bank_transfer' } })).status).to.equal(404);
    await adminAct(shop, order.id, 'confirm-payment');
    const late = await call('POST', `/store/v1/orders/${order.id}/payments`, { tenant: shop.slug, headers: { 'x-order-token': orderToken }, body: { provider: 'offline', method: 'bank_transfer' } });
    expect(late.status).to.equal(409);
    expect(late.body.currentState).to.equal('paid');
  });

  describe('REQ 13: stored, answered at once, applied from the queue', () => {
    it('a processing step that throws after the answer: the gateway got `success`, the queue retries, applied once', async () => {
      const order = await cardOrder(1500);
      const reference = (await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.payments[0].reference;
      behaviour.admitFailures = 2;
      const raw = JSON.stringify({ id: `q_${order.id}`, reference, type: 'captured', amount: 1500 });
      const res = await call('POST', '/store/v1/payments/test-card/webhook', { tenant: shop.slug, raw, headers: { 'x-signature': sign(raw) } });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal('success');
      await applied();
      expect(behaviour.admitFailures).to.equal(0);
      const row = await scoped(shop.ctx, PaymentWebhookInbox).where({ provider: 'test-card', notification_id: `q_${order.id}` }).first();
      expect(row!.attempts, 'two failed runs, then the one that applied it').to.equal(3);
      expect(row!.rawBody).to.equal(raw);
      expect(row!.headers).to.have.property('content-type');
      const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body).to.include({ status: 'paid' });
      expect(view.body.totals.paid).to.equal(1500);
    });

    it('a crash between the answer and the work loses nothing: the worker scan queues the stored notification again', async () => {
      const order = await cardOrder(1700);
      const reference = (await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.payments[0].reference;
      const rt = await runtime();
      const queue = rt.kernel.queue;
      const add = queue.add.bind(queue);
      // The process "dies" after storing and answering: the job never reaches the queue.
      queue.add = async (name, data, opts) => (name === WEBHOOK_QUEUE ? Promise.reject(new Error('process died')) : add(name, data, opts));
      const raw = JSON.stringify({ id: `crash_${order.id}`, reference, type: 'captured', amount: 1700 });
      let res;
      try {
        res = await call('POST', '/store/v1/payments/test-card/webhook', { tenant: shop.slug, raw, headers: { 'x-signature': sign(raw) } });
      } finally {
        queue.add = add;
      }
      expect(res.status).to.equal(200);
      const stored = await scoped(shop.ctx, PaymentWebhookInbox).where({ notification_id: `crash_${order.id}` }).first();
      expect(stored!.processedAt).to.equal(null);
      expect((await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.status).to.equal('pending_payment');
      // A repeat from the gateway is answered and not stored twice.
      expect((await call('POST', '/store/v1/payments/test-card/webhook', { tenant: shop.slug, raw, headers: { 'x-signature': sign(raw) } })).status).to.equal(200);
      expect(await scoped(shop.ctx, PaymentWebhookInbox).where({ notification_id: `crash_${order.id}` }).resultSize()).to.equal(1);
      expect(await requeueWebhooks(rt.kernel, 0)).to.be.greaterThan(0);
      await applied();
      const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.status).to.equal('paid');
      expect(view.body.timeline.filter((e: { to?: string }) => e.to === 'paid')).to.have.length(1);
    });

    it('a store being moved (tenant:move) is read-only for the webhook job: TENANT_MOVING and nothing written, the scan leaves it; applied after the move', async () => {
      const order = await cardOrder(1300);
      const reference = (await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.payments[0].reference;
      const rt = await runtime();
      const queue = rt.kernel.queue;
      const add = queue.add.bind(queue);
      const queued: string[] = [];
      // Stored and answered, but the job is left to this test.
      queue.add = async (name, data, opts) => {
        if (name !== WEBHOOK_QUEUE) return add(name, data, opts);
        queued.push((data as { inboxId: string }).inboxId);
      };
      const setMoving = async (to: string | null) => {
        await rt.kernel.pool.control('tenants').where({ id: shop.tenant.id }).update({ moving_to: to });
        await rt.kernel.tenants.invalidate(shop.tenant);
      };
      try {
        const raw = JSON.stringify({ id: `moving_${order.id}`, reference, type: 'captured', amount: 1300 });
        expect((await call('POST', '/store/v1/payments/test-card/webhook', { tenant: shop.slug, raw, headers: { 'x-signature': sign(raw) } })).status).to.equal(200);
        const stored = (await scoped(shop.ctx, PaymentWebhookInbox).where({ notification_id: `moving_${order.id}` }).first())!;
        expect(queued).to.include(stored.id);
        await setMoving('second');
        try {
          let refused: unknown;
          try {
            await runWebhookJob(rt.kernel, { tenantId: shop.tenant.id, inboxId: stored.id });
          } catch (err) {
            refused = err;
          }
          expect(refused).to.be.instanceOf(TenantMovingError);
          const row = (await scoped(shop.ctx, PaymentWebhookInbox).findById(stored.id))!;
          expect(row.processedAt).to.equal(null);
          expect(row.attempts, 'not even the attempt count is written').to.equal(stored.attempts);
          queued.length = 0;
          await requeueWebhooks(rt.kernel, 0);
          expect(queued, 'the scan leaves a moving store alone').to.not.include(stored.id);
          expect((await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.status).to.equal('pending_payment');
        } finally {
          await setMoving(null);
        }
        expect(await runWebhookJob(rt.kernel, { tenantId: shop.tenant.id, inboxId: stored.id })).to.equal('applied');
      } finally {
        queue.add = add;
      }
      expect((await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })).body.status).to.equal('paid');
    });
  });

  describe('an in-process provider (issue 27): its start is written with the order', () => {
    // Asked before the order's transaction; `existed` says whether the order was already in the
    // database when it was asked (it must not be: the answer is written with the order).
    const inProcess = { answer: 'pending' as 'pending' | 'authorized' | 'throw-once', asked: [] as { key: string; existed: boolean }[] };
    before(async () => {
      const provider: PaymentProvider = {
        id: 'test-inproc',
        inProcess: true,
        async methods(ctx) {
          return ctx.tenant.id === shop.tenant.id ? [{ id: 'voucher', label: 'Voucher' }] : [];
        },
        async initiate(ctx, { data, context }) {
          inProcess.asked.push({ key: context.idempotencyKey, existed: Boolean(await scoped(ctx, Payment).findById(context.paymentId)) });
          if (inProcess.answer === 'throw-once') {
            inProcess.answer = 'pending';
            throw new Error('not this time');
          }
          if (inProcess.answer === 'authorized') return { status: 'authorized', amount: data.amount, reference: `vo-${context.orderNumber}` };
          return { status: 'pending', reference: `vo-${context.orderNumber}`, action: { type: 'instructions', text: 'Show the voucher at the till' } };
        },
        async update(_ctx, { data }) {
          return { status: 'pending', amount: data.newAmount };
        },
        async authorize(_ctx, { data }) {
          return { status: 'authorized', amount: data.authorizeAmount };
        },
        async capture(_ctx, { data }) {
          return { status: 'captured', amount: data.captureAmount ?? data.authorizedAmount - data.capturedAmount };
        },
        async refund(_ctx, { data }) {
          return { status: 'refunded', amount: data.refundAmount };
        },
        async cancel() {
          return { status: 'canceled' };
        },
        async getStatus() {
          return { status: 'pending' };
        },
      };
      (await runtime()).kernel.extensions.addProvider('payment', provider);
    });

    async function voucherOrder() {
      inProcess.asked.length = 0;
      const v = await makeVariant(shop, { price: 2500 });
      const cart = await makeCart(shop);
      await addLine(shop, cart, v, 2);
      const res = await cartCall(shop, cart, 'POST', '/checkout', { email: 'voucher@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'test-inproc', method: 'voucher' } });
      expect(res.status, res.text).to.equal(201);
      const staff = await get(`/admin/v1/orders/${res.body.order.id}`, { token: shop.ownerToken });
      const paymentId = staff.body.payments[0].id as string;
      const attempt = await scoped(shop.ctx, PaymentTransaction).where({ payment_id: paymentId, kind: 'initiate' }).first();
      return { answer: res.body.order, staff: staff.body, paymentId, attempt };
    }

    it('instructions: asked once, before the order was written; the payment carries them and its attempt is closed, in the answer too', async () => {
      const { answer, staff, paymentId, attempt } = await voucherOrder();
      expect(inProcess.asked).to.deep.equal([{ key: `initiate:${paymentId}`, existed: false }]);
      const reference = `vo-${answer.number}`;
      expect(answer.payment).to.include({ provider: 'test-inproc', status: 'pending' }).and.to.have.deep.property('action', { type: 'instructions', text: 'Show the voucher at the till' });
      expect(staff.payments[0]).to.include({ status: 'pending', reference });
      expect((await scoped(shop.ctx, Payment).findById(paymentId))?.action).to.deep.equal({ type: 'instructions', text: 'Show the voucher at the till' });
      expect(attempt).to.include({ status: 'succeeded', reference, amount: 5000, payer: null });
    });

    it('an answer with more to record (authorized): asked once; the attempt written open with the order is closed after the commit, and the order authorized', async () => {
      inProcess.answer = 'authorized';
      try {
        const { answer, staff, paymentId, attempt } = await voucherOrder();
        expect(inProcess.asked).to.deep.equal([{ key: `initiate:${paymentId}`, existed: false }]);
        expect(staff.payments[0]).to.include({ status: 'authorized', reference: `vo-${answer.number}` });
        expect(staff.paymentStatus).to.equal('authorized');
        expect(attempt).to.include({ status: 'succeeded', reference: `vo-${answer.number}` });
      } finally {
        inProcess.answer = 'pending';
      }
    });

    it('a start that threw is asked again after the commit, as for any provider, under the same key', async () => {
      inProcess.answer = 'throw-once';
      const { answer, paymentId, attempt } = await voucherOrder();
      expect(inProcess.asked).to.deep.equal([{ key: `initiate:${paymentId}`, existed: false }, { key: `initiate:${paymentId}`, existed: true }]);
      expect(answer.payment).to.include({ status: 'pending' }).and.to.have.deep.property('action', { type: 'instructions', text: 'Show the voucher at the till' });
      expect(attempt).to.include({ status: 'succeeded', reference: `vo-${answer.number}` });
    });
  });
});
