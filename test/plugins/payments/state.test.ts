// The spec's payment state machine (requirement 6: nine states, same-state is a no-op, backward
// moves ignored and logged; requirement 7: amount invariants) as a table, every (state, event)
// pair checked against an expectation written out here; then the machine in the plugin: the
// gateway-side state and log through the Admin API, a late `authorized` webhook after the capture
// ignored, and manual-capture windows (requirement 21): the warning 24 h before capture_before and
// the authorization voided once it passed, with the order unpaid again and flagged on its timeline.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import { scoped } from '../../../core/db/model.js';
import payments from '../../../plugins/payments/index.js';
import { PAYMENT_STATES, TRANSITIONS, checkCapture, checkRefund, transition, type GatewayEvent, type GatewayState, type Snapshot } from '../../../plugins/payments/state.js';
import { PaymentStateRow } from '../../../plugins/payments/tracker.js';
import { OutboxEvent } from '../../../core/events/event.model.js';
import { CARDS, startFakeStripe, type FakeStripe } from './fakes/stripe.js';
import { adminAct, applied, checkout, makeVariant, staffOrder } from './support.js';

// A payment of 1000 in each state, with amounts that state implies.
const AT: Record<GatewayState, Snapshot> = {
  pending: { state: 'pending', total: 1000, authorized: 0, captured: 0, refunded: 0 },
  requires_action: { state: 'requires_action', total: 1000, authorized: 0, captured: 0, refunded: 0 },
  authorized: { state: 'authorized', total: 1000, authorized: 1000, captured: 0, refunded: 0 },
  partially_captured: { state: 'partially_captured', total: 1000, authorized: 1000, captured: 600, refunded: 0 },
  captured: { state: 'captured', total: 1000, authorized: 1000, captured: 1000, refunded: 0 },
  partially_refunded: { state: 'partially_refunded', total: 1000, authorized: 1000, captured: 1000, refunded: 300 },
  refunded: { state: 'refunded', total: 1000, authorized: 1000, captured: 1000, refunded: 1000 },
  canceled: { state: 'canceled', total: 1000, authorized: 0, captured: 0, refunded: 0 },
  failed: { state: 'failed', total: 1000, authorized: 0, captured: 0, refunded: 0 },
};

// The events tried from every state, and what each must do: [outcome, state after].
const EVENTS: Record<string, GatewayEvent> = {
  pending: { type: 'pending' },
  requires_action: { type: 'requires_action' },
  authorized: { type: 'authorized', amount: 1000 },
  captured_part: { type: 'captured', amount: 600 },
  captured_all: { type: 'captured', amount: 1000 },
  refunded_part: { type: 'refunded', amount: 300 },
  refunded_all: { type: 'refunded', amount: 1000 },
  canceled: { type: 'canceled' },
  failed: { type: 'failed' },
};
type Want = [('moved' | 'same' | 'ignored'), GatewayState];
const I = (s: GatewayState): Want => ['ignored', s];
const S = (s: GatewayState): Want => ['same', s];
const M = (s: GatewayState): Want => ['moved', s];
const EXPECT: Record<GatewayState, Record<keyof typeof EVENTS, Want>> = {
  pending: { pending: S('pending'), requires_action: M('requires_action'), authorized: M('authorized'), captured_part: M('captured'), captured_all: M('captured'), refunded_part: I('pending'), refunded_all: I('pending'), canceled: M('canceled'), failed: M('failed') },
  requires_action: { pending: I('requires_action'), requires_action: S('requires_action'), authorized: M('authorized'), captured_part: M('captured'), captured_all: M('captured'), refunded_part: I('requires_action'), refunded_all: I('requires_action'), canceled: M('canceled'), failed: M('failed') },
  authorized: { pending: I('authorized'), requires_action: I('authorized'), authorized: S('authorized'), captured_part: M('partially_captured'), captured_all: M('captured'), refunded_part: I('authorized'), refunded_all: I('authorized'), canceled: M('canceled'), failed: I('authorized') },
  partially_captured: { pending: I('partially_captured'), requires_action: I('partially_captured'), authorized: I('partially_captured'), captured_part: S('partially_captured'), captured_all: M('captured'), refunded_part: M('partially_refunded'), refunded_all: I('partially_captured'), canceled: I('partially_captured'), failed: I('partially_captured') },
  captured: { pending: I('captured'), requires_action: I('captured'), authorized: I('captured'), captured_part: S('captured'), captured_all: S('captured'), refunded_part: M('partially_refunded'), refunded_all: M('refunded'), canceled: I('captured'), failed: I('captured') },
  partially_refunded: { pending: I('partially_refunded'), requires_action: I('partially_refunded'), authorized: I('partially_refunded'), captured_part: S('partially_refunded'), captured_all: S('partially_refunded'), refunded_part: S('partially_refunded'), refunded_all: M('refunded'), canceled: I('partially_refunded'), failed: I('partially_refunded') },
  refunded: { pending: I('refunded'), requires_action: I('refunded'), authorized: I('refunded'), captured_part: S('refunded'), captured_all: S('refunded'), refunded_part: S('refunded'), refunded_all: S('refunded'), canceled: I('refunded'), failed: I('refunded') },
  canceled: { pending: I('canceled'), requires_action: I('canceled'), authorized: I('canceled'), captured_part: I('canceled'), captured_all: I('canceled'), refunded_part: I('canceled'), refunded_all: I('canceled'), canceled: S('canceled'), failed: I('canceled') },
  failed: { pending: M('pending'), requires_action: M('requires_action'), authorized: M('authorized'), captured_part: M('captured'), captured_all: M('captured'), refunded_part: I('failed'), refunded_all: I('failed'), canceled: M('canceled'), failed: S('failed') },
};

describe('payments plugin: the payment state machine', () => {
  it('has the spec\'s nine states and terminal refunded/canceled', () => {
    expect([...PAYMENT_STATES].sort()).to.deep.equal(['authorized', 'canceled', 'captured', 'failed', 'partially_captured', 'partially_refunded', 'pending', 'refunded', 'requires_action']);
    expect(TRANSITIONS.refunded).to.deep.equal([]);
    expect(TRANSITIONS.canceled).to.deep.equal([]);
  });

  for (const from of PAYMENT_STATES) {
    it(`from ${from}: every event does what the table says`, () => {
      for (const [name, event] of Object.entries(EVENTS)) {
        const [outcome, to] = EXPECT[from][name];
        const t = transition(AT[from], event);
        expect({ outcome: t.outcome, to: t.next.state }, `${from} + ${name}`).to.deep.equal({ outcome, to });
        if (t.outcome === 'moved') expect(TRANSITIONS[from], `${from} -> ${to} is in the table`).to.include(to);
        if (t.outcome !== 'moved') expect(t.next, `${from} + ${name} changes nothing`).to.deep.equal(AT[from]);
        if (t.outcome === 'ignored') expect(t.reason).to.be.a('string');
      }
    });
  }

  it('amounts only grow and stay within their ceilings', () => {
    expect(transition(AT.authorized, { type: 'authorized', amount: 1001 }).outcome).to.equal('ignored');
    expect(transition(AT.pending, { type: 'captured', amount: 1200 }).outcome).to.equal('ignored');
    expect(transition(AT.captured, { type: 'refunded', amount: 1001 }).outcome).to.equal('ignored');
    const p = transition(AT.partially_refunded, { type: 'refunded', amount: 200 });
    expect(p.outcome, 'a smaller cumulative refund is an old event').to.equal('same');
    const more = transition(AT.partially_refunded, { type: 'refunded', amount: 500 });
    expect(more).to.deep.include({ outcome: 'moved' });
    expect(more.next).to.include({ state: 'partially_refunded', refunded: 500 });
    const cap = transition(AT.partially_captured, { type: 'captured', amount: 800 });
    expect(cap.next).to.include({ state: 'partially_captured', captured: 800 });
    expect(transition(AT.pending, { type: 'authorized' }).outcome).to.equal('ignored');
  });

  it('requirement 7: authorize 1000, capture 600, capture 500 refused, capture 400 captures, refund 1001 refused; capture after cancel is PAYMENT_CANCELED', () => {
    let s = transition(AT.pending, { type: 'authorized', amount: 1000 }).next;
    expect(checkCapture(s, 600)).to.equal('capture');
    s = transition(s, { type: 'captured', amount: 600 }).next;
    expect(s.state).to.equal('partially_captured');
    expect(() => checkCapture(s, 500)).to.throw().with.property('code', 'CAPTURE_EXCEEDS_AUTHORIZED');
    expect(checkCapture(s, 400)).to.equal('capture');
    s = transition(s, { type: 'captured', amount: 1000 }).next;
    expect(s.state).to.equal('captured');
    expect(checkCapture(s, 0), 'capture on a fully captured payment: no-op success').to.equal('noop');
    expect(() => checkRefund(s, 1001)).to.throw().with.property('code', 'REFUND_EXCEEDS_CAPTURED');
    checkRefund(s, 1000);
    expect(() => checkCapture(AT.canceled, 1)).to.throw().with.property('code', 'PAYMENT_CANCELED');
  });
});

const KEY = 'sk_test_fake_key_S';
const WHSEC = 'whsec_fake_S';

describe('payments plugin: gateway state, log and capture windows', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let stripe: FakeStripe;
  let shop: KitTenant;
  let variant: string;

  const hook = async (body: string) => {
    const res = await kit.request('POST', '/store/v1/payments/stripe/webhook', { tenant: shop.slug, raw: body, headers: { 'stripe-signature': stripe.sign(body) } });
    await applied(kit, shop);
    return res;
  };
  const delivered = async () => {
    await Promise.all(stripe.deliveries.splice(0));
    await applied(kit, shop);
  };
  const stateOf = async (paymentId: string) => {
    const res = await kit.get(`/admin/v1/payments/states/${paymentId}`, { token: shop.ownerToken });
    expect(res.status, res.text).to.equal(200);
    return res.body as { payment: { state: string; captured: number; refunded: number; captureBefore: string | null; warnedAt: string | null }; log: { source: string; event: string; outcome: string; to: string }[] };
  };
  async function authorized() {
    const placed = await checkout(kit, shop, variant, { provider: 'stripe', method: 'card' });
    const payment = (await staffOrder(kit, shop, placed.order.id)).payments[0];
    await stripe.confirm(payment.reference, CARDS.success);
    await delivered();
    return { placed, paymentId: payment.id as string, pi: payment.reference as string };
  }

  before(async () => {
    stripe = await startFakeStripe({ apiKey: KEY, webhookSecret: WHSEC });
    kit = await startTestKit({ plugin: payments, options: { payments: { reconcileEveryMs: 150 } } });
    shop = await kit.tenant({ enable: ['payments'], settings: { payments: { cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: WHSEC, cardBaseUrl: stripe.url, cardCaptureMethod: 'manual' } } });
    variant = await makeVariant(kit, shop, 10_000);
    stripe.webhookTarget = { url: `${kit.baseUrl}/store/v1/payments/stripe/webhook`, headers: { 'x-tenant': shop.slug } };
  });
  after(async () => {
    await kit?.close();
    await stripe?.close();
  });

  it('follows the payment through the machine: pending, authorized with its capture deadline, partially captured, partially refunded; a late authorized event after the capture is ignored and logged', async () => {
    const { placed, paymentId, pi } = await authorized();
    let s = await stateOf(paymentId);
    expect(s.payment.state).to.equal('authorized');
    const window = new Date(s.payment.captureBefore!).getTime() - Date.now();
    expect(window, 'capture_before is 156 h away by default').to.be.within(155.9 * 3_600_000, 156 * 3_600_000);
    const authEvent = stripe.events.filter((e) => e.type === 'payment_intent.amount_capturable_updated').at(-1)!;

    const total = placed.order.totals.total as number;
    expect((await adminAct(kit, shop, placed.order.id, 'confirm-payment', { amount: total - 2000 })).status).to.equal(200);
    await delivered();
    expect((await adminAct(kit, shop, placed.order.id, 'refunds', { amount: 500 })).status).to.equal(201);
    await delivered();
    s = await stateOf(paymentId);
    expect(s.payment).to.include({ state: 'partially_refunded', captured: total - 2000, refunded: 500, captureBefore: null });

    // One payments.captured event for the capture, though the core's capture and Stripe's succeeded event both told the machine.
    const captured = (await scoped(shop.ctx, OutboxEvent).where('type', 'payments.captured')).filter((e) => JSON.stringify(e).includes(paymentId));
    expect(captured, 'one payments.captured').to.have.length(1);
    expect(JSON.stringify(captured[0])).to.include(`"amount":${total - 2000}`);
    const succeeded = stripe.events.filter((e) => e.type === 'payment_intent.succeeded' && e.body.includes(pi)).at(-1)!;
    expect((await hook(succeeded.body)).status).to.equal(200);
    expect((await scoped(shop.ctx, OutboxEvent).where('type', 'payments.captured')).filter((e) => JSON.stringify(e).includes(paymentId)), 'a replayed capture emits nothing').to.have.length(1);
    // A redelivery of a notification already stored is answered and not stored again (REQ 13).
    expect((await hook(authEvent.body)).status).to.equal(200);
    // An authorization event arriving late (its own id, after the capture): answered 200, ignored by the machine, nothing moves.
    const late = await hook(authEvent.body.replace(authEvent.id, `${authEvent.id}_late`));
    expect(late.status, late.text).to.equal(200);
    s = await stateOf(paymentId);
    expect(s.payment.state).to.equal('partially_refunded');
    expect(s.log.find((l) => l.source === 'webhook' && l.event === 'authorized' && l.outcome === 'ignored'), JSON.stringify(s.log)).to.not.equal(undefined);
    expect(s.log.map((l) => l.source)).to.include.members(['initiate', 'capture', 'refund']);
    const order = await staffOrder(kit, shop, placed.order.id);
    expect(order.totals.paid).to.equal(total - 2000);
    expect(order.totals.refunded).to.equal(500);
    expect(stripe.intents.get(pi)!.status).to.equal('succeeded');

    const list = await kit.get('/admin/v1/payments/states?state=partially_refunded&limit=5', { token: shop.ownerToken });
    expect(list.status, list.text).to.equal(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).to.include(paymentId);
    expect((await kit.get('/admin/v1/payments/states?state=sideways', { token: shop.ownerToken })).status).to.equal(400);
    expect((await kit.get(`/admin/v1/payments/states/${crypto.randomUUID()}`, { token: shop.ownerToken })).status).to.equal(404);
  });

  it('takes Stripe\'s own capture_before (the charge\'s payment_method_details.card) as the deadline when it states one: a 5-day MIT authorization', async () => {
    stripe.captureBeforeSeconds = 5 * 24 * 3600;
    let auth;
    try {
      auth = await authorized();
    } finally {
      stripe.captureBeforeSeconds = undefined;
    }
    const charge = stripe.charges.get(stripe.intents.get(auth.pi)!.latest_charge!)!;
    const stated = charge.payment_method_details.card.capture_before!;
    const s = await stateOf(auth.paymentId);
    expect(s.payment.state).to.equal('authorized');
    expect(new Date(s.payment.captureBefore!).getTime(), 'Stripe\'s deadline, not the store\'s 156 h').to.equal(stated * 1000);
  });

  it('warns staff 24 h before capture_before, then voids the lapsed authorization: canceled at Stripe, the payment cancelled, the order unpaid again and flagged', async () => {
    const { placed, paymentId, pi } = await authorized();
    // The clock moves on: the deadline is now 23 h away.
    await scoped(shop.ctx, PaymentStateRow).patch({ captureDeadlineAt: new Date(Date.now() + 23 * 3_600_000).toISOString() }).where('id', paymentId);
    const warned = await kit.waitFor(async () => (await stateOf(paymentId)).payment.warnedAt, { what: 'the capture-window warning' });
    expect(warned).to.be.a('string');
    expect((await stateOf(paymentId)).payment.state).to.equal('authorized');
    expect(stripe.intents.get(pi)!.status).to.equal('requires_capture');
    // The sweep notifies the owners and audits after it marked the payment warned.
    const audit = await kit.waitFor(async () => {
      const a = await kit.get('/platform/v1/audit?limit=100', { token: await kit.platformToken() });
      return a.status !== 200 || JSON.stringify(a.body).includes('payments.capture_window_closing') ? a : null;
    }, { what: 'the warning audited' });
    expect(audit.status, audit.text).to.equal(200);
    expect(JSON.stringify(audit.body)).to.include('payments.capture_window_closing');

    // And past it.
    await scoped(shop.ctx, PaymentStateRow).patch({ captureDeadlineAt: new Date(Date.now() - 1000).toISOString() }).where('id', paymentId);
    await kit.waitFor(async () => (await staffOrder(kit, shop, placed.order.id)).payments[0].status === 'cancelled', { what: 'the lapsed authorization cancelled' });
    expect(stripe.intents.get(pi)!.status).to.equal('canceled');
    // Stripe's canceled webhook, applied from the queue, may cancel the payment before the sweep logs its own step.
    const s = await kit.waitFor(async () => {
      const now = await stateOf(paymentId);
      return now.log.some((l) => l.source === 'capture_window') ? now : null;
    }, { what: 'the capture window step logged' });
    expect(s.payment.state).to.equal('canceled');
    expect(s.log.map((l) => l.source)).to.include.members(['cancel', 'capture_window']);
    // Read again once the sweep is done: the order's GET reads the order and its payments in
    // separate statements, so the read that saw the payment cancelled may hold the order from just
    // before the cancel's commit (the payment and the order change in one transaction).
    const order = await staffOrder(kit, shop, placed.order.id);
    expect(order.payments[0].status).to.equal('cancelled');
    expect(order.paymentStatus, 'the authorization no longer counts').to.equal('unpaid');
    expect(order.status).to.equal('pending_payment');
    expect(JSON.stringify(order.timeline)).to.include('the authorization no longer holds');
    // The sweep counts the lapse after it logged and audited it.
    const metrics = await kit.waitFor(async () => {
      const m = await kit.get('/metrics');
      return /bazaar_plugin_payments_capture_window\{[^}]*outcome="lapsed"/.test(m.text) ? m : null;
    }, { what: 'the lapse counted' });
    expect(metrics.text).to.match(/bazaar_plugin_payments_capture_window\{[^}]*outcome="lapsed"/);
    expect(metrics.text).to.match(/bazaar_plugin_payments_capture_window\{[^}]*outcome="warned"/);
  });
});
