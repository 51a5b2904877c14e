// The bundled card simulator: a small Stripe-compatible PaymentIntents API on 127.0.0.1 (a port
// the OS picks, started on first use), so a store in `cardMode: simulator` takes card payments
// with no account anywhere — the demo store on the embedded default does. The plugin's stripe
// provider talks to it through the official SDK exactly as to Stripe. The shopper's card form is
// played by the Store API (POST /store/v1/payments/simulator/confirm) with Stripe's documented
// test card numbers: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined, 4000 0027 6000
// 3184 asks for 3-D Secure (then POST .../simulator/3ds). Like Stripe, it sends webhook events
// (payment_intent.succeeded / amount_capturable_updated / payment_failed / requires_action /
// canceled, charge.refunded), signed as Stripe signs them (Stripe-Signature t=,v1= with a secret
// made at start), to the store's hook URL on this server (/hooks/payments/<store>/stripe); the
// server tells it its loopback URL when it listens (api.onListening), so webhooks work from the
// first event. State is in memory: a restart forgets intents
// (the orders keep what was recorded). Never used unless a store chose it, and refused when
// NODE_ENV=production.
import crypto from 'node:crypto';
import http from 'node:http';
import Stripe from 'stripe';

export const SIMULATOR_KEY = 'sk_test_bazaar_simulator';
/** The simulator's webhook signing secret: made per process, like an endpoint secret at Stripe. */
export const SIMULATOR_WEBHOOK_SECRET = `whsec_sim_${crypto.randomBytes(24).toString('hex')}`;
export const TEST_CARDS = { success: '4242424242424242', decline: '4000000000000002', threeDS: '4000002760003184' } as const;

export interface SimIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_action' | 'requires_capture' | 'succeeded' | 'canceled';
  capture_method: string;
  client_secret: string;
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: { code: string; message: string } | null;
  next_action: { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } } | null;
  cancellation_reason: string | null;
  created: number;
  livemode: false;
}

interface Answer { status: number; body: unknown }

interface SimCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  metadata: Record<string, string>;
  refunded: boolean;
}

const rid = (p: string) => `${p}_sim${crypto.randomBytes(10).toString('hex')}`;
const fail = (status: number, type: string, message: string, code?: string): Answer => ({ status, body: { error: { type, message, code } } });
const MAX_INTENTS = 10_000;

export class CardSimulator {
  readonly intents = new Map<string, SimIntent>();
  private readonly bySecret = new Map<string, string>();
  private readonly charges = new Map<string, { id: string; captured: number; refunded: number; paymentIntent: string }>();
  private readonly idem = new Map<string, { fingerprint: string; answer: Answer }>();
  private server?: http.Server;
  private starting?: Promise<string>;
  /** Where events go: this server's loopback origin (set by the Store API routes); unset: kept, not sent. */
  /** This server's loopback URL, set when it listens: where webhook events go. */
  target?: string;
  /** Every event made, newest last (the last 1000). */
  readonly events: { id: string; type: string; tenantId: string; body: string }[] = [];
  /** Deliveries in flight (tests await them). */
  readonly deliveries = new Set<Promise<void>>();

  /** Its base URL (`http://127.0.0.1:<port>`), started on first use. */
  url(): Promise<string> {
    this.starting ??= new Promise<string>((resolve, reject) => {
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const a = this.handle(req.method ?? 'GET', new URL(req.url ?? '/', 'http://127.0.0.1').pathname, req.headers, Buffer.concat(chunks).toString('utf8'));
          res.writeHead(a.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(a.body));
        });
      });
      server.keepAliveTimeout = 1000;
      server.unref();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        this.server = server;
        resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
      });
    });
    return this.starting;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (s) await new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });
  }

  /** Makes a Stripe event for the intent's store, signed as Stripe signs, and posts it to the store's hook URL. */
  emit(type: string, object: SimIntent | SimCharge): void {
    const tenantId = object.metadata.bazaar_tenant;
    if (!tenantId) return;
    const id = rid('evt');
    const body = JSON.stringify({ id, object: 'event', api_version: '2024-06-20', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { ...object } } });
    this.events.push({ id, type, tenantId, body });
    if (this.events.length > 1000) this.events.shift();
    if (!this.target || !/^[0-9a-f-]{36}$/.test(tenantId)) return;
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SIMULATOR_WEBHOOK_SECRET });
    const sent: Promise<void> = fetch(`${this.target}/hooks/payments/${tenantId}/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (bazaar simulator)' }, body, signal: AbortSignal.timeout(10_000) })
      .then((r) => r.arrayBuffer())
      .then(() => undefined, () => undefined)
      .finally(() => this.deliveries.delete(sent));
    this.deliveries.add(sent);
  }

  byClientSecret(secret: string): SimIntent | undefined {
    const id = this.bySecret.get(secret);
    return id ? this.intents.get(id) : undefined;
  }

  /** The card form: Stripe's test numbers decide what happens. */
  confirm(pi: SimIntent, card: string): SimIntent {
    if (pi.status !== 'requires_payment_method') return pi;
    if (card === TEST_CARDS.decline) {
      pi.last_payment_error = { code: 'card_declined', message: 'Your card was declined.' };
      this.emit('payment_intent.payment_failed', pi);
    } else if (card === TEST_CARDS.threeDS) {
      pi.status = 'requires_action';
      pi.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `simulator://3ds/${pi.id}`, return_url: null } };
      this.emit('payment_intent.requires_action', pi);
    } else if (card === TEST_CARDS.success) {
      this.authorizeOrCapture(pi);
    } else {
      pi.last_payment_error = { code: 'incorrect_number', message: 'Your card number is incorrect (the simulator takes Stripe\'s test card numbers).' };
      this.emit('payment_intent.payment_failed', pi);
    }
    return pi;
  }

  /** The shopper passes or fails the 3-D Secure challenge. */
  complete3ds(pi: SimIntent, pass: boolean): SimIntent {
    if (pi.status !== 'requires_action') return pi;
    pi.next_action = null;
    if (pass) this.authorizeOrCapture(pi);
    else {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = { code: 'payment_intent_authentication_failure', message: 'The customer failed 3-D Secure authentication.' };
      this.emit('payment_intent.payment_failed', pi);
    }
    return pi;
  }

  private authorizeOrCapture(pi: SimIntent): void {
    pi.last_payment_error = null;
    const ch = { id: rid('ch'), captured: 0, refunded: 0, paymentIntent: pi.id };
    this.charges.set(ch.id, ch);
    pi.latest_charge = ch.id;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      this.emit('payment_intent.amount_capturable_updated', pi);
    } else {
      pi.status = 'succeeded';
      pi.amount_received = pi.amount;
      ch.captured = pi.amount;
      this.emit('payment_intent.succeeded', pi);
    }
  }

  handle(method: string, path: string, headers: http.IncomingHttpHeaders, body: string): Answer {
    if (headers.authorization !== `Bearer ${SIMULATOR_KEY}`) return fail(401, 'invalid_request_error', 'Invalid API Key provided');
    const key = typeof headers['idempotency-key'] === 'string' ? headers['idempotency-key'] : undefined;
    if (method !== 'POST' || !key) return this.route(method, path, body);
    const fingerprint = `${path} ${[...new URLSearchParams(body)].sort().join('&')}`;
    const seen = this.idem.get(key);
    if (seen) return seen.fingerprint === fingerprint ? seen.answer : fail(400, 'idempotency_error', 'Keys for idempotent requests can only be used with the same parameters they were first used with.');
    const answer = this.route(method, path, body);
    if (this.idem.size > MAX_INTENTS * 4) this.idem.clear();
    this.idem.set(key, { fingerprint, answer });
    return answer;
  }

  private route(method: string, path: string, body: string): Answer {
    const flat: Record<string, string> = {};
    const metadata: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body)) {
      const m = /^metadata\[(.+)\]$/.exec(k);
      if (m) metadata[m[1]] = v;
      else flat[k] = v;
    }
    let m: RegExpExecArray | null;
    const missing = fail(404, 'invalid_request_error', 'No such payment_intent', 'resource_missing');
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(flat.amount);
      if (!Number.isSafeInteger(amount) || amount < 1) return fail(400, 'invalid_request_error', 'Invalid amount', 'parameter_invalid_integer');
      if (this.intents.size >= MAX_INTENTS) {
        this.intents.clear();
        this.bySecret.clear();
      }
      const id = rid('pi');
      const pi: SimIntent = {
        id, object: 'payment_intent', amount, amount_capturable: 0, amount_received: 0, currency: flat.currency ?? 'usd', status: 'requires_payment_method',
        capture_method: flat.capture_method ?? 'automatic', client_secret: `${id}_secret_${crypto.randomBytes(12).toString('hex')}`, metadata,
        latest_charge: null, last_payment_error: null, next_action: null, cancellation_reason: null, created: Math.floor(Date.now() / 1000), livemode: false,
      };
      this.intents.set(id, pi);
      this.bySecret.set(pi.client_secret, id);
      return { status: 200, body: pi };
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)) && method === 'GET') {
      const pi = this.intents.get(m[1]);
      return pi ? { status: 200, body: pi } : missing;
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)\/capture$/.exec(path)) && method === 'POST') {
      const pi = this.intents.get(m[1]);
      if (!pi) return missing;
      if (pi.status !== 'requires_capture') return fail(400, 'invalid_request_error', `This PaymentIntent could not be captured because it has a status of ${pi.status}.`, 'payment_intent_unexpected_state');
      const amount = flat.amount_to_capture ? Number(flat.amount_to_capture) : pi.amount_capturable;
      if (!Number.isSafeInteger(amount) || amount < 1 || amount > pi.amount_capturable) return fail(400, 'invalid_request_error', 'amount_to_capture is greater than the amount capturable', 'amount_too_large');
      pi.status = 'succeeded';
      pi.amount_received = amount;
      pi.amount_capturable = 0;
      this.charges.get(pi.latest_charge!)!.captured = amount;
      this.emit('payment_intent.succeeded', pi);
      return { status: 200, body: pi };
    }
    if ((m = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path)) && method === 'POST') {
      const pi = this.intents.get(m[1]);
      if (!pi) return missing;
      if (pi.status === 'succeeded' || pi.status === 'canceled') return fail(400, 'invalid_request_error', `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, 'payment_intent_unexpected_state');
      pi.status = 'canceled';
      pi.amount_capturable = 0;
      pi.cancellation_reason = flat.cancellation_reason ?? 'requested_by_customer';
      this.emit('payment_intent.canceled', pi);
      return { status: 200, body: pi };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = this.intents.get(flat.payment_intent ?? '');
      const ch = pi?.latest_charge ? this.charges.get(pi.latest_charge) : undefined;
      if (!pi || !ch || pi.status !== 'succeeded') return fail(400, 'invalid_request_error', 'This PaymentIntent has no captured charge to refund', 'charge_not_refundable');
      const amount = flat.amount ? Number(flat.amount) : ch.captured - ch.refunded;
      if (!Number.isSafeInteger(amount) || amount < 1 || ch.refunded + amount > ch.captured) return fail(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge`, 'amount_too_large');
      ch.refunded += amount;
      this.emit('charge.refunded', { id: ch.id, object: 'charge', amount: pi.amount, amount_captured: ch.captured, amount_refunded: ch.refunded, currency: pi.currency, payment_intent: pi.id, metadata: { ...pi.metadata }, refunded: ch.refunded >= ch.captured });
      return { status: 200, body: { id: rid('re'), object: 'refund', amount, charge: ch.id, payment_intent: pi.id, currency: pi.currency, status: 'succeeded', metadata } };
    }
    return fail(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }
}

/** One simulator per process. */
export const cardSimulator = new CardSimulator();

export function simulatorAllowed(): boolean {
  return process.env.NODE_ENV !== 'production';
}
