// A fake Stripe on loopback: PaymentIntents (automatic and manual capture, partial capture,
// cancel, 3-D Secure as requires_action), refunds, idempotency keys with Stripe's rules (same key
// and same parameters replay the stored answer; other parameters are an idempotency_error), and
// webhook events signed as Stripe signs them (`t=<unix>,v1=<hmac>`). The test plays the card form
// with confirm(), using Stripe's documented test card numbers.
import crypto from 'node:crypto';
import { startFakeServer, type FakeAnswer, type FakeRequest, type FakeServer } from './http.js';

export const CARDS = { success: '4242424242424242', decline: '4000000000000002', threeDS: '4000002760003184' };

interface Intent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: string;
  client_secret: string;
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: { code: string; message: string } | null;
  next_action: { type: string; redirect_to_url: { url: string; return_url: string | null } } | null;
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  metadata: Record<string, string>;
  refunded: boolean;
  payment_method_details: { type: 'card'; card: { capture_before?: number } };
}

export interface FakeStripe {
  server: FakeServer;
  url: string;
  intents: Map<string, Intent>;
  charges: Map<string, Charge>;
  refunds: { id: string; charge: string; amount: number; object: { payment_intent: string } }[];
  /** Captures that moved money (one per capture call that succeeded, replays excluded). */
  captureCount: number;
  events: { id: string; type: string; body: string }[];
  /** Where events go: a URL and headers (the store's host or X-Tenant). */
  webhookTarget?: { url: string; headers: Record<string, string> };
  dropWebhooks: boolean;
  /** An uncaptured charge's payment_method_details.card.capture_before, seconds after it is made (Stripe sets it; absent: not set). */
  captureBeforeSeconds?: number;
  /** The card form: confirm an intent with a test card number. */
  confirm(id: string, card: string): Promise<Intent>;
  /** The shopper passes (or fails) the 3-D Secure challenge. */
  complete3ds(id: string, ok: boolean): Promise<Intent>;
  /** Sign a payload as Stripe would for `secret` (timestamp in seconds). */
  sign(payload: string, timestamp?: number, secret?: string): string;
  deliveries: Promise<unknown>[];
  /** Stripe prunes idempotency keys after 24 h: a key sent again then is a new request. */
  forgetKeys(): void;
  close(): Promise<void>;
}

function parseForm(body: string): { flat: Record<string, string>; metadata: Record<string, string> } {
  const flat: Record<string, string> = {};
  const metadata: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) metadata[m[1]] = v;
    else flat[k] = v;
  }
  return { flat, metadata };
}

const err = (status: number, type: string, message: string, code?: string): FakeAnswer => ({ status, body: JSON.stringify({ error: { type, message, code } }) });
const ok = (obj: unknown): FakeAnswer => ({ status: 200, body: JSON.stringify(obj) });
const rid = (p: string) => `${p}_${crypto.randomBytes(10).toString('hex')}`;

export async function startFakeStripe(opts: { apiKey: string; webhookSecret: string }): Promise<FakeStripe> {
  const intents = new Map<string, Intent>();
  const charges = new Map<string, Charge>();
  const idem = new Map<string, { fingerprint: string; answer: FakeAnswer }>();
  const refunds: FakeStripe['refunds'] = [];
  const events: FakeStripe['events'] = [];
  const deliveries: Promise<unknown>[] = [];

  const sign = (payload: string, timestamp = Math.floor(Date.now() / 1000), secret = opts.webhookSecret) =>
    `t=${timestamp},v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`;

  function emit(type: string, object: unknown): void {
    const id = rid('evt');
    const body = JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } });
    events.push({ id, type, body });
    const target = fake.webhookTarget;
    if (!target || fake.dropWebhooks) return;
    deliveries.push(fetch(target.url, { method: 'POST', headers: { ...target.headers, 'content-type': 'application/json', 'stripe-signature': sign(body) }, body }).then((r) => r.text()).catch(() => undefined));
  }

  function charge(pi: Intent, captured: number): Charge {
    const captureBefore = pi.capture_method === 'manual' && fake.captureBeforeSeconds !== undefined ? { capture_before: Math.floor(Date.now() / 1000) + fake.captureBeforeSeconds } : {};
    const ch: Charge = { id: rid('ch'), object: 'charge', amount: pi.amount, amount_captured: captured, amount_refunded: 0, currency: pi.currency, payment_intent: pi.id, metadata: { ...pi.metadata }, refunded: false, payment_method_details: { type: 'card', card: captureBefore } };
    charges.set(ch.id, ch);
    pi.latest_charge = ch.id;
    return ch;
  }

  function route(req: FakeRequest): FakeAnswer {
    const { flat, metadata } = parseForm(req.body);
    let m: RegExpExecArray | null;
    if (req.method === 'POST' && req.path === '/v1/payment_intents') {
      const amount = Number(flat.amount);
      if (!Number.isSafeInteger(amount) || amount < 1) return err(400, 'invalid_request_error', 'Invalid amount', 'parameter_invalid_integer');
      const id = rid('pi');
      const pi: Intent = {
        id, object: 'payment_intent', amount, amount_capturable: 0, amount_received: 0, currency: flat.currency, status: 'requires_payment_method',
        capture_method: flat.capture_method ?? 'automatic', client_secret: `${id}_secret_${crypto.randomBytes(8).toString('hex')}`, metadata,
        latest_charge: null, last_payment_error: null, next_action: null, cancellation_reason: null, created: Math.floor(Date.now() / 1000), livemode: false,
      };
      intents.set(id, pi);
      return ok(pi);
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(req.path)) && req.method === 'GET') {
      const pi = intents.get(m[1]);
      if (!pi) return err(404, 'invalid_request_error', 'No such payment_intent', 'resource_missing');
      const expand = [...req.query].filter(([k]) => k.startsWith('expand')).map(([, v]) => v);
      return ok(expand.includes('latest_charge') && pi.latest_charge ? { ...pi, latest_charge: charges.get(pi.latest_charge) } : pi);
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)\/capture$/.exec(req.path)) && req.method === 'POST') {
      const pi = intents.get(m[1]);
      if (!pi) return err(404, 'invalid_request_error', 'No such payment_intent', 'resource_missing');
      if (pi.status !== 'requires_capture') return err(400, 'invalid_request_error', `This PaymentIntent could not be captured because it has a status of ${pi.status}.`, 'payment_intent_unexpected_state');
      const amount = flat.amount_to_capture ? Number(flat.amount_to_capture) : pi.amount_capturable;
      if (amount > pi.amount_capturable) return err(400, 'invalid_request_error', 'amount_to_capture is greater than the amount capturable', 'amount_too_large');
      pi.status = 'succeeded';
      pi.amount_received = amount;
      pi.amount_capturable = 0;
      charges.get(pi.latest_charge!)!.amount_captured = amount;
      fake.captureCount++;
      emit('payment_intent.succeeded', { ...pi });
      return ok(pi);
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(req.path)) && req.method === 'POST') {
      const pi = intents.get(m[1]);
      if (!pi) return err(404, 'invalid_request_error', 'No such payment_intent', 'resource_missing');
      if (pi.status === 'succeeded' || pi.status === 'canceled') return err(400, 'invalid_request_error', `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, 'payment_intent_unexpected_state');
      pi.status = 'canceled';
      pi.amount_capturable = 0;
      pi.cancellation_reason = flat.cancellation_reason ?? 'requested_by_customer';
      emit('payment_intent.canceled', { ...pi });
      return ok(pi);
    }
    if (req.method === 'POST' && req.path === '/v1/refunds') {
      const pi = intents.get(flat.payment_intent);
      const ch = pi?.latest_charge ? charges.get(pi.latest_charge) : undefined;
      if (!pi || !ch || pi.status !== 'succeeded') return err(400, 'invalid_request_error', 'This PaymentIntent has no captured charge to refund', 'charge_not_refundable');
      const amount = flat.amount ? Number(flat.amount) : ch.amount_captured - ch.amount_refunded;
      if (ch.amount_refunded + amount > ch.amount_captured) return err(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge`, 'amount_too_large');
      ch.amount_refunded += amount;
      ch.refunded = ch.amount_refunded === ch.amount_captured;
      const re = { id: rid('re'), object: 'refund', amount, charge: ch.id, payment_intent: pi.id, currency: pi.currency, status: 'succeeded', metadata };
      refunds.push({ id: re.id, charge: ch.id, amount, object: re });
      emit('charge.refunded', { ...ch });
      return ok(re);
    }
    if (req.method === 'GET' && req.path === '/v1/refunds') {
      const pi = req.query.get('payment_intent');
      const data = refunds.filter((r) => !pi || r.object.payment_intent === pi).map((r) => r.object).reverse();
      return ok({ object: 'list', data, has_more: false, url: '/v1/refunds' });
    }
    return err(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${req.path})`);
  }

  const server = await startFakeServer((req) => {
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) return err(401, 'invalid_request_error', 'Invalid API Key provided');
    const key = req.headers['idempotency-key'] as string | undefined;
    if (req.method !== 'POST' || !key) return route(req);
    const fingerprint = `${req.method} ${req.path} ${[...new URLSearchParams(req.body)].sort().join('&')}`;
    const seen = idem.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return err(400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
      return { ...seen.answer, headers: { ...seen.answer.headers, 'idempotent-replayed': 'true' } };
    }
    const answer = route(req);
    idem.set(key, { fingerprint, answer });
    return answer;
  });

  const fake: FakeStripe = {
    server, url: server.url, intents, charges, refunds, events, captureCount: 0, dropWebhooks: false, deliveries, sign,
    forgetKeys: () => idem.clear(),
    async confirm(id, card) {
      const pi = intents.get(id)!;
      if (card === CARDS.decline) {
        pi.status = 'requires_payment_method';
        pi.last_payment_error = { code: 'card_declined', message: 'Your card was declined.' };
        emit('payment_intent.payment_failed', { ...pi });
      } else if (card === CARDS.threeDS) {
        pi.status = 'requires_action';
        pi.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `${server.url}/3ds/${id}`, return_url: null } };
        emit('payment_intent.requires_action', { ...pi });
      } else {
        authorizeOrCapture(pi);
      }
      return pi;
    },
    async complete3ds(id, okay) {
      const pi = intents.get(id)!;
      pi.next_action = null;
      if (okay) authorizeOrCapture(pi);
      else {
        pi.status = 'requires_payment_method';
        pi.last_payment_error = { code: 'payment_intent_authentication_failure', message: 'The customer failed 3-D Secure authentication.' };
        emit('payment_intent.payment_failed', { ...pi });
      }
      return pi;
    },
    close: () => server.close(),
  };

  function authorizeOrCapture(pi: Intent): void {
    pi.last_payment_error = null;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      charge(pi, 0);
      emit('payment_intent.amount_capturable_updated', { ...pi });
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      charge(pi, pi.amount);
      fake.captureCount++;
      emit('payment_intent.succeeded', { ...pi });
    }
  }

  return fake;
}
