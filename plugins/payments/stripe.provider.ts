// Cards through Stripe PaymentIntents with the official SDK. Checkout creates an intent (automatic
// or manual capture, per store) and hands the shopper its client secret; the card form confirms
// it at Stripe; the order becomes paid by the signed webhook or by reconciliation. Every mutating
// call carries a deterministic idempotency key, and the SDK's own retries reuse it, so a response
// lost after Stripe committed never charges twice.
import Stripe from 'stripe';
import { AppError, PaymentIndeterminateError, type PaymentProvider, type PaymentResult, type PluginApi, type TenantCtx, type WebhookAction } from '@bazaar/sdk';
import { DEFAULT_GATEWAY_TIMEOUT_MS, badSignature, fromStripeAmount, header, idempotencyKey, refused, toStripeAmount } from './common.js';
import { gatewayUrl, need, type PaymentSettings } from './settings.js';
import { SIMULATOR_KEY, SIMULATOR_WEBHOOK_SECRET, cardSimulator, simulatorAllowed } from './simulator.js';
import type { CaptureDeadlines } from './tracker.js';

/** Where the store's card form confirms in simulator mode (the Store API plays it). */
export const SIMULATOR_CONFIRM_PATH = '/store/v1/payments/simulator/confirm';

/** The store's card settings; in simulator mode, the bundled simulator's URL and key. */
export async function cardSettings(s: PaymentSettings): Promise<PaymentSettings> {
  if (s.cardMode !== 'simulator') return s;
  if (!simulatorAllowed()) throw new AppError(422, 'CARD_SIMULATOR_OFF', 'The card simulator is not available in production; configure the store\'s Stripe keys', { params: {} });
  return { ...s, cardSecretKey: SIMULATOR_KEY, cardPublishableKey: 'pk_test_bazaar_simulator', cardBaseUrl: await cardSimulator.url(), cardWebhookSecrets: SIMULATOR_WEBHOOK_SECRET };
}

export const STRIPE_PROVIDER = 'stripe';
/** Stripe's default tolerance for a webhook's timestamp. */
export const STRIPE_TOLERANCE_S = 300;

const clients = new Map<string, Stripe>();

export function stripeClient(s: PaymentSettings, timeoutMs = DEFAULT_GATEWAY_TIMEOUT_MS): Stripe {
  const key = need(s.cardSecretKey, 'cardSecretKey');
  const base = gatewayUrl(s.cardBaseUrl, 'cardBaseUrl');
  const id = `${base.origin}\n${key}\n${timeoutMs}`;
  let client = clients.get(id);
  if (!client) {
    client = new Stripe(key, {
      host: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      protocol: base.protocol === 'https:' ? 'https' : 'http',
      // Set explicitly (the SDK's default differs from its README): a lost response is retried
      // with the same idempotency key and Stripe replays the stored answer.
      maxNetworkRetries: 2,
      timeout: timeoutMs,
      telemetry: false,
    });
    if (clients.size > 1000) clients.clear();
    clients.set(id, client);
  }
  return client;
}

/** Stripe said no (a declined card, a state it will not move from): a 422 with its reason. Anything else is the network's or Stripe's fault and stays indeterminate. */
function mapError(err: unknown): never {
  if (err instanceof Stripe.errors.StripeCardError || err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
    throw refused('stripe', err.message, err.code === 'idempotency_key_in_use' ? 'PAYMENT_GATEWAY_BUSY' : 'PAYMENT_GATEWAY_REFUSED');
  }
  if (err instanceof AppError) throw err;
  // A timeout, a lost connection, Stripe's 5xx (StripeAPIError): the outcome is unknown.
  throw new PaymentIndeterminateError(`stripe: no answer (${(err as Error)?.message ?? err})`, { cause: err });
}

function unexpectedState(err: unknown): boolean {
  return err instanceof Stripe.errors.StripeInvalidRequestError && (err.code === 'payment_intent_unexpected_state' || err.code === 'charge_already_captured' || err.code === 'charge_already_refunded');
}

export function intentResult(pi: Stripe.PaymentIntent): PaymentResult {
  const cur = pi.currency.toUpperCase();
  switch (pi.status) {
    case 'succeeded':
      return { status: 'captured', amount: fromStripeAmount(pi.amount_received, cur), reference: pi.id };
    case 'requires_capture':
      return { status: 'authorized', amount: fromStripeAmount(pi.amount_capturable, cur), reference: pi.id };
    case 'canceled':
      return { status: 'canceled', reference: pi.id, failureReason: pi.cancellation_reason ?? undefined };
    case 'requires_action': {
      const url = pi.next_action?.redirect_to_url?.url ?? undefined;
      return { status: 'requires_action', reference: pi.id, action: { type: 'redirect', url } };
    }
    case 'requires_payment_method':
      if (pi.last_payment_error) return { status: 'failed', reference: pi.id, failureReason: pi.last_payment_error.message ?? pi.last_payment_error.code ?? 'declined' };
      return { status: 'pending', reference: pi.id };
    default:
      return { status: 'pending', reference: pi.id };
  }
}

export function stripeProvider(api: PluginApi): PaymentProvider & CaptureDeadlines {
  const timeoutMs = (api.options as { gatewayTimeoutMs?: number }).gatewayTimeoutMs ?? DEFAULT_GATEWAY_TIMEOUT_MS;
  const settings = async (ctx: TenantCtx) => cardSettings(await api.settings<PaymentSettings>(ctx));
  const client = async (ctx: TenantCtx) => stripeClient(await settings(ctx), timeoutMs);

  async function retrieve(ctx: TenantCtx, reference: string | null): Promise<Stripe.PaymentIntent> {
    if (!reference) throw refused('stripe', 'the payment has no PaymentIntent yet');
    try {
      return await (await client(ctx)).paymentIntents.retrieve(reference);
    } catch (err) {
      return mapError(err);
    }
  }

  return {
    id: STRIPE_PROVIDER,

    async methods(ctx, input) {
      const raw = await api.settings<PaymentSettings>(ctx);
      if (!raw.cardEnabled || (raw.cardMode === 'simulator' ? !simulatorAllowed() : !raw.cardSecretKey)) return [];
      try {
        toStripeAmount(input.amount, input.currency);
      } catch {
        return [];
      }
      return [{ id: 'card', label: api.t(ctx, 'methods.card'), description: api.t(ctx, 'methods.cardDescription') }];
    },

    async initiate(ctx, { data, context }) {
      const s = await settings(ctx);
      const amount = toStripeAmount(data.amount, data.currency);
      try {
        const pi = await stripeClient(s, timeoutMs).paymentIntents.create({
          amount,
          currency: data.currency.toLowerCase(),
          capture_method: s.cardCaptureMethod === 'manual' ? 'manual' : 'automatic',
          allowed_payment_method_types: ['card'],
          ...(context.email ? { receipt_email: context.email } : {}),
          description: `Order ${context.orderNumber}`,
          metadata: { bazaar_tenant: ctx.tenant.id, bazaar_payment: context.paymentId, bazaar_order: context.orderId },
        }, { idempotencyKey: idempotencyKey(ctx, context.paymentId, context.idempotencyKey) });
        return { status: 'pending', reference: pi.id, action: { type: 'card_form', clientSecret: pi.client_secret ?? undefined, publishableKey: s.cardPublishableKey, ...(s.cardMode === 'simulator' ? { url: SIMULATOR_CONFIRM_PATH } : {}) } };
      } catch (err) {
        return mapError(err);
      }
    },

    async update(ctx, { data, context }) {
      const pi = await retrieve(ctx, data.reference);
      // Stripe changes an intent's amount only before it is confirmed.
      if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation') throw refused('stripe', `the amount cannot change now (${pi.status})`, 'PAYMENT_UPDATE_NOT_POSSIBLE');
      try {
        const after = await (await client(ctx)).paymentIntents.update(pi.id, { amount: toStripeAmount(data.newAmount, data.currency) }, { idempotencyKey: idempotencyKey(ctx, context.paymentId, context.idempotencyKey) });
        return { ...intentResult(after), amount: data.newAmount };
      } catch (err) {
        return mapError(err);
      }
    },

    async authorize(ctx, { data }) {
      // The card form authorizes at Stripe; here we only read what it holds.
      const r = intentResult(await retrieve(ctx, data.reference));
      if (r.status === 'authorized' || r.status === 'captured') return { ...r, status: 'authorized' };
      throw refused('stripe', `the card is not authorized (${r.status}${r.failureReason ? `: ${r.failureReason}` : ''})`, 'PAYMENT_NOT_AUTHORIZED');
    },

    async capture(ctx, { data, context }) {
      const stripe = await client(ctx);
      const amount = data.captureAmount ?? data.authorizedAmount - data.capturedAmount;
      const wanted = data.capturedAmount + amount;
      const already = (pi: Stripe.PaymentIntent): PaymentResult | null => {
        if (pi.status !== 'succeeded') return null;
        // Stripe captures once: a capture the gateway already holds is a success, more is not possible.
        if (fromStripeAmount(pi.amount_received, data.currency) >= wanted) return { status: 'captured', amount, reference: pi.id };
        throw refused('stripe', 'the payment was already captured; the rest of the authorization was released', 'CAPTURE_NOT_POSSIBLE');
      };
      const pi = await retrieve(ctx, data.reference);
      const done = already(pi);
      if (done) return done;
      if (pi.status !== 'requires_capture') throw refused('stripe', `nothing to capture (${pi.status})`, 'PAYMENT_NOT_AUTHORIZED');
      try {
        const after = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: toStripeAmount(amount, data.currency) }, { idempotencyKey: idempotencyKey(ctx, context.paymentId, context.idempotencyKey) });
        return { status: 'captured', amount: Math.min(amount, fromStripeAmount(after.amount_received, data.currency)), reference: after.id };
      } catch (err) {
        if (unexpectedState(err)) {
          const again = already(await retrieve(ctx, pi.id));
          if (again) return again;
        }
        return mapError(err);
      }
    },

    async refund(ctx, { data, context }) {
      const stripe = await client(ctx);
      const key = idempotencyKey(ctx, context.paymentId, context.idempotencyKey);
      const paymentIntent = need(data.reference ?? undefined, 'reference');
      const answer = (re: Stripe.Refund): PaymentResult => {
        if (re.status === 'failed' || re.status === 'canceled') throw refused('stripe', `refund ${re.status}${re.failure_reason ? `: ${re.failure_reason}` : ''}`);
        return { status: 'refunded', amount: data.refundAmount, reference: re.id };
      };
      try {
        if (context.replay) {
          // The first call's answer was lost and Stripe forgets keys after 24 h: the refund it made,
          // if any, carries our key in its metadata.
          const made = (await stripe.refunds.list({ payment_intent: paymentIntent, limit: 100 })).data.find((r) => r.metadata?.bazaar_key === key);
          if (made) return answer(made);
        }
        const re = await stripe.refunds.create({ payment_intent: paymentIntent, amount: toStripeAmount(data.refundAmount, data.currency), metadata: { bazaar_tenant: ctx.tenant.id, bazaar_payment: context.paymentId, bazaar_key: key } }, { idempotencyKey: key });
        return answer(re);
      } catch (err) {
        return mapError(err);
      }
    },

    async cancel(ctx, { data, context }) {
      if (!data.reference) return { status: 'canceled' };
      const stripe = await client(ctx);
      try {
        const pi = await stripe.paymentIntents.cancel(data.reference, {}, { idempotencyKey: idempotencyKey(ctx, context.paymentId, context.idempotencyKey) });
        if (pi.status !== 'canceled') throw refused('stripe', `the intent is ${pi.status}, not canceled`);
        return { status: 'canceled', reference: pi.id };
      } catch (err) {
        if (unexpectedState(err)) {
          const pi = await retrieve(ctx, data.reference);
          if (pi.status === 'canceled') return { status: 'canceled', reference: pi.id };
        }
        return mapError(err);
      }
    },

    async getStatus(ctx, { data }) {
      return intentResult(await retrieve(ctx, data.reference));
    },

    async captureDeadline(ctx, reference) {
      // Stripe states the authorization's end on its charge (5 days for a Visa MIT, 7 online, ...).
      const pi = await (await client(ctx)).paymentIntents.retrieve(reference, { expand: ['latest_charge'] });
      const charge = pi.latest_charge;
      const at = charge && typeof charge === 'object' ? charge.payment_method_details?.card?.capture_before : undefined;
      return typeof at === 'number' && at > 0 ? new Date(at * 1000) : null;
    },

    async parseWebhook(ctx, { data: { headers, rawBody } }) {
      const s = await settings(ctx);
      const secrets = (s.cardWebhookSecrets ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const sig = header(headers, 'stripe-signature');
      if (!secrets.length) throw new AppError(404, 'WEBHOOK_NOT_CONFIGURED', 'No Stripe webhook secret is configured for this store');
      if (!sig) throw badSignature('stripe', 'no Stripe-Signature header');
      const { id, actions } = parseStripeEvent(ctx.tenant.id, rawBody, sig, secrets);
      return { notificationId: id, actions };
    },
  };
}

/**
 * Verifies (any of the secrets, 300 s tolerance) and maps one Stripe event. An intent without this
 * store's metadata is `not_supported` (another integration on the same Stripe account, or another store).
 */
export function parseStripeEvent(tenantId: string, rawBody: string, signature: string, secrets: string[], receivedAtMs?: number): { id: string; actions: WebhookAction[] } {
  let event: Stripe.Event | undefined;
  let last: unknown;
  for (const secret of secrets) {
    try {
      event = Stripe.webhooks.constructEvent(rawBody, signature, secret, STRIPE_TOLERANCE_S, undefined, receivedAtMs);
      break;
    } catch (err) {
      last = err;
    }
  }
  if (!event) throw badSignature('stripe', (last as Error)?.message?.split('\n')[0] ?? 'signature mismatch');
  const out = (actions: WebhookAction[]) => ({ id: event.id, actions });
  if (!event.data?.object) return out([]);
  const obj = event.data.object as unknown as { object?: string; metadata?: Record<string, string>; currency?: string; payment_intent?: string | { id: string } };
  const base = { id: event.id };
  if (obj.object === 'payment_intent') {
    const pi = event.data.object as Stripe.PaymentIntent;
    const cur = pi.currency.toUpperCase();
    if (pi.metadata?.bazaar_tenant !== tenantId || !pi.metadata?.bazaar_payment) return out([{ ...base, action: 'not_supported', paymentId: null, reference: pi.id, amount: 0 }]);
    const mine = { ...base, paymentId: pi.metadata.bazaar_payment, reference: pi.id };
    switch (event.type) {
      case 'payment_intent.succeeded':
        return out([{ ...mine, action: 'captured', amount: fromStripeAmount(pi.amount_received, cur) }]);
      case 'payment_intent.amount_capturable_updated':
        return out(pi.status === 'requires_capture' ? [{ ...mine, action: 'authorized', amount: fromStripeAmount(pi.amount_capturable, cur) }] : []);
      case 'payment_intent.payment_failed':
        return out([{ ...mine, action: 'failed', amount: 0 }]);
      case 'payment_intent.canceled':
        return out([{ ...mine, action: 'canceled', amount: 0 }]);
      case 'payment_intent.requires_action':
        return out([{ ...mine, action: 'requires_action', amount: 0 }]);
      case 'payment_intent.created':
      case 'payment_intent.processing':
        return out([{ ...mine, action: 'pending', amount: 0 }]);
      default:
        return out([]);
    }
  }
  if (event.type === 'charge.refunded' && obj.object === 'charge') {
    const ch = event.data.object as Stripe.Charge;
    const piId = typeof ch.payment_intent === 'string' ? ch.payment_intent : ch.payment_intent?.id;
    if (!piId) return out([]);
    // A charge names its intent; its metadata, when Stripe copied the intent's, names the payment.
    if (ch.metadata?.bazaar_tenant && ch.metadata.bazaar_tenant !== tenantId) return out([{ ...base, action: 'not_supported', paymentId: null, amount: 0 }]);
    return out([{ ...base, action: 'refunded', paymentId: ch.metadata?.bazaar_payment ?? null, reference: piId, amount: fromStripeAmount(ch.amount_refunded, ch.currency.toUpperCase()) }]);
  }
  if (event.type === 'charge.dispute.created' && obj.object === 'dispute') {
    // A chargeback: the dispute names the intent, which finds the payment among this store's (another store's intent finds none).
    const dp = event.data.object as Stripe.Dispute;
    const piId = typeof dp.payment_intent === 'string' ? dp.payment_intent : dp.payment_intent?.id;
    if (!piId) return out([]);
    return out([{ ...base, action: 'disputed', paymentId: null, reference: piId, amount: fromStripeAmount(dp.amount, dp.currency.toUpperCase()), dispute: { reference: dp.id, reason: dp.reason } }]);
  }
  return out([]);
}
