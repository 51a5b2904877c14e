// Cards through Stripe PaymentIntents with the official SDK. Checkout creates an intent (automatic
// or manual capture, per store) and hands the shopper its client secret; the card form confirms
// it at Stripe; the order becomes paid by the signed webhook or by reconciliation. Every mutating
// call carries a deterministic idempotency key, and the SDK's own retries reuse it, so a response
// lost after Stripe committed never charges twice.
import Stripe from 'stripe';
import { AppError, type PaymentProvider, type PaymentResult, type PaymentWebhookEvent, type PluginApi, type TenantCtx } from '@bazaar/sdk';
import { badSignature, fromStripeAmount, header, idempotencyKey, refused, toStripeAmount } from './common.js';
import { gatewayUrl, need, type PaymentSettings } from './settings.js';
import { SIMULATOR_KEY, cardSimulator, simulatorAllowed } from './simulator.js';

/** Where the store's card form confirms in simulator mode (the Store API plays it). */
export const SIMULATOR_CONFIRM_PATH = '/store/v1/payments/simulator/confirm';

/** The store's card settings; in simulator mode, the bundled simulator's URL and key. */
export async function cardSettings(s: PaymentSettings): Promise<PaymentSettings> {
  if (s.cardMode !== 'simulator') return s;
  if (!simulatorAllowed()) throw new AppError(422, 'CARD_SIMULATOR_OFF', 'The card simulator is not available in production; configure the store\'s Stripe keys', { params: {} });
  return { ...s, cardSecretKey: SIMULATOR_KEY, cardPublishableKey: 'pk_test_bazaar_simulator', cardBaseUrl: await cardSimulator.url() };
}

export const STRIPE_PROVIDER = 'stripe';
/** Stripe's default tolerance for a webhook's timestamp. */
export const STRIPE_TOLERANCE_S = 300;

const clients = new Map<string, Stripe>();

export function stripeClient(s: PaymentSettings): Stripe {
  const key = need(s.cardSecretKey, 'cardSecretKey');
  const base = gatewayUrl(s.cardBaseUrl, 'cardBaseUrl');
  const id = `${base.origin}\n${key}`;
  let client = clients.get(id);
  if (!client) {
    client = new Stripe(key, {
      host: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || (base.protocol === 'https:' ? 443 : 80),
      protocol: base.protocol === 'https:' ? 'https' : 'http',
      // Set explicitly (the SDK's default differs from its README): a lost response is retried
      // with the same idempotency key and Stripe replays the stored answer.
      maxNetworkRetries: 2,
      timeout: 20_000,
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
  throw new Error(`stripe unreachable: ${(err as Error)?.message ?? err}`, { cause: err });
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
      return { status: 'cancelled', reference: pi.id, failureReason: pi.cancellation_reason ?? undefined };
    case 'requires_action': {
      const url = pi.next_action?.redirect_to_url?.url ?? undefined;
      return { status: 'pending', reference: pi.id, action: { type: 'redirect', url } };
    }
    case 'requires_payment_method':
      if (pi.last_payment_error) return { status: 'failed', reference: pi.id, failureReason: pi.last_payment_error.message ?? pi.last_payment_error.code ?? 'declined' };
      return { status: 'pending', reference: pi.id };
    default:
      return { status: 'pending', reference: pi.id };
  }
}

export function stripeProvider(api: PluginApi): PaymentProvider {
  const settings = async (ctx: TenantCtx) => cardSettings(await api.settings<PaymentSettings>(ctx));

  async function retrieve(ctx: TenantCtx, reference: string | null): Promise<Stripe.PaymentIntent> {
    if (!reference) throw refused('stripe', 'the payment has no PaymentIntent yet');
    try {
      return await stripeClient(await settings(ctx)).paymentIntents.retrieve(reference);
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

    async initiate(ctx, input) {
      const s = await settings(ctx);
      const amount = toStripeAmount(input.amount, input.currency);
      try {
        const pi = await stripeClient(s).paymentIntents.create({
          amount,
          currency: input.currency.toLowerCase(),
          capture_method: s.cardCaptureMethod === 'manual' ? 'manual' : 'automatic',
          allowed_payment_method_types: ['card'],
          receipt_email: input.email,
          description: `Order ${input.orderNumber}`,
          metadata: { bazaar_tenant: ctx.tenant.id, bazaar_payment: input.paymentId, bazaar_order: input.orderId },
        }, { idempotencyKey: idempotencyKey(ctx, input.paymentId, input.idempotencyKey) });
        return { status: 'pending', reference: pi.id, action: { type: 'card_form', clientSecret: pi.client_secret ?? undefined, publishableKey: s.cardPublishableKey, ...(s.cardMode === 'simulator' ? { url: SIMULATOR_CONFIRM_PATH } : {}) } };
      } catch (err) {
        return mapError(err);
      }
    },

    async authorize(ctx, input) {
      // The card form authorizes at Stripe; here we only read what it holds.
      const r = intentResult(await retrieve(ctx, input.reference));
      if (r.status === 'authorized' || r.status === 'captured') return { ...r, status: 'authorized' };
      throw refused('stripe', `the card is not authorized (${r.status}${r.failureReason ? `: ${r.failureReason}` : ''})`, 'PAYMENT_NOT_AUTHORIZED');
    },

    async capture(ctx, input) {
      const client = stripeClient(await settings(ctx));
      const wanted = input.capturedAmount + input.amount;
      const already = (pi: Stripe.PaymentIntent): PaymentResult | null => {
        if (pi.status !== 'succeeded') return null;
        // Stripe captures once: a capture the gateway already holds is a success, more is not possible.
        if (fromStripeAmount(pi.amount_received, input.currency) >= wanted) return { status: 'captured', amount: input.amount, reference: pi.id };
        throw refused('stripe', 'the payment was already captured; the rest of the authorization was released', 'CAPTURE_NOT_POSSIBLE');
      };
      const pi = await retrieve(ctx, input.reference);
      const done = already(pi);
      if (done) return done;
      if (pi.status !== 'requires_capture') throw refused('stripe', `nothing to capture (${pi.status})`, 'PAYMENT_NOT_AUTHORIZED');
      try {
        const after = await client.paymentIntents.capture(pi.id, { amount_to_capture: toStripeAmount(input.amount, input.currency) }, { idempotencyKey: idempotencyKey(ctx, input.paymentId, input.idempotencyKey) });
        return { status: 'captured', amount: Math.min(input.amount, fromStripeAmount(after.amount_received, input.currency)), reference: after.id };
      } catch (err) {
        if (unexpectedState(err)) {
          const again = already(await retrieve(ctx, pi.id));
          if (again) return again;
        }
        return mapError(err);
      }
    },

    async refund(ctx, input) {
      const client = stripeClient(await settings(ctx));
      try {
        const re = await client.refunds.create({ payment_intent: need(input.reference ?? undefined, 'reference'), amount: toStripeAmount(input.amount, input.currency), metadata: { bazaar_tenant: ctx.tenant.id, bazaar_payment: input.paymentId } }, { idempotencyKey: idempotencyKey(ctx, input.paymentId, input.idempotencyKey) });
        if (re.status === 'failed' || re.status === 'canceled') throw refused('stripe', `refund ${re.status}${re.failure_reason ? `: ${re.failure_reason}` : ''}`);
        return { status: 'refunded', amount: input.amount, reference: re.id };
      } catch (err) {
        return mapError(err);
      }
    },

    async cancel(ctx, input) {
      if (!input.reference) return { status: 'cancelled' };
      const client = stripeClient(await settings(ctx));
      try {
        const pi = await client.paymentIntents.cancel(input.reference, {}, { idempotencyKey: idempotencyKey(ctx, input.paymentId, input.idempotencyKey) });
        return { status: pi.status === 'canceled' ? 'cancelled' : 'failed', reference: pi.id };
      } catch (err) {
        if (unexpectedState(err)) {
          const pi = await retrieve(ctx, input.reference);
          if (pi.status === 'canceled') return { status: 'cancelled', reference: pi.id };
        }
        return mapError(err);
      }
    },

    async status(ctx, input) {
      return intentResult(await retrieve(ctx, input.reference));
    },

    async parseWebhook(ctx, { headers, rawBody }) {
      const s = await settings(ctx);
      const secrets = (s.cardWebhookSecrets ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      const sig = header(headers, 'stripe-signature');
      if (!secrets.length) throw new AppError(404, 'WEBHOOK_NOT_CONFIGURED', 'No Stripe webhook secret is configured for this store');
      if (!sig) throw badSignature('stripe', 'no Stripe-Signature header');
      return { events: parseStripeEvent(ctx.tenant.id, rawBody, sig, secrets) };
    },
  };
}

/** Verifies (any of the secrets, 300 s tolerance) and maps one Stripe event; an event not ours maps to nothing. */
export function parseStripeEvent(tenantId: string, rawBody: string, signature: string, secrets: string[], receivedAtMs?: number): PaymentWebhookEvent[] {
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
  if (!event.data?.object) return [];
  const obj = event.data.object as unknown as { object?: string; metadata?: Record<string, string>; currency?: string; payment_intent?: string | { id: string } };
  // Only events for this store's payments: a PSP event without our metadata is not ours.
  if (obj.metadata?.bazaar_tenant !== tenantId && obj.object === 'payment_intent') return [];
  const base = { id: event.id };
  if (obj.object === 'payment_intent') {
    const pi = event.data.object as Stripe.PaymentIntent;
    const cur = pi.currency.toUpperCase();
    switch (event.type) {
      case 'payment_intent.succeeded':
        return [{ ...base, reference: pi.id, type: 'captured', amount: fromStripeAmount(pi.amount_received, cur) }];
      case 'payment_intent.amount_capturable_updated':
        return pi.status === 'requires_capture' ? [{ ...base, reference: pi.id, type: 'authorized', amount: fromStripeAmount(pi.amount_capturable, cur) }] : [];
      case 'payment_intent.payment_failed':
        return [{ ...base, reference: pi.id, type: 'failed', amount: 0 }];
      case 'payment_intent.canceled':
        return [{ ...base, reference: pi.id, type: 'cancelled', amount: 0 }];
      default:
        return [];
    }
  }
  if (event.type === 'charge.refunded' && obj.object === 'charge') {
    const ch = event.data.object as Stripe.Charge;
    const piId = typeof ch.payment_intent === 'string' ? ch.payment_intent : ch.payment_intent?.id;
    if (!piId) return [];
    return [{ ...base, reference: piId, type: 'refunded', amount: fromStripeAmount(ch.amount_refunded, ch.currency.toUpperCase()) }];
  }
  return [];
}
