// The card form of the bundled simulator, played through the Store API: the shopper (or curl)
// confirms the intent checkout returned with one of Stripe's test card numbers, passes or fails
// 3-D Secure, and the payment is brought up to date at once (the same path as the shopper back
// from a real card form); the simulator also sends its signed webhook events to this server on
// loopback (told its port when it listens: api.onListening), as Stripe would. Only for stores in
// `cardMode: simulator`; the client secret is the capability, as at Stripe, and must be this store's.
import { NotFoundError, route, type PaymentReconcileService, type PluginApi, type PluginRoute, type TenantCtx } from '@bazaar/sdk';
import type { PaymentSettings } from './settings.js';
import { cardSimulator, simulatorAllowed, type SimIntent } from './simulator.js';

const clientSecret = { type: 'string', minLength: 20, maxLength: 200, pattern: '^pi_sim[a-f0-9]+_secret_[a-f0-9]+$', description: 'action.clientSecret from checkout' } as const;
const out = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    paymentStatus: { type: 'string' },
    intent: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, nextAction: { type: ['string', 'null'] }, error: { type: ['string', 'null'] } } },
  },
} as const;

export function simulatorRoutes(api: PluginApi, reconcile: PaymentReconcileService): PluginRoute[] {
  const tags = ['store: payments'];
  const t = (ctx: unknown) => ctx as TenantCtx;
  async function intentOf(ctx: TenantCtx, secret: string): Promise<SimIntent> {
    const s = await api.settings<PaymentSettings>(ctx);
    if (s.cardMode !== 'simulator' || !simulatorAllowed()) throw new NotFoundError('CARD_SIMULATOR_OFF', 'This store does not use the card simulator');
    const pi = cardSimulator.byClientSecret(secret);
    if (!pi || pi.metadata.bazaar_tenant !== ctx.tenant.id) throw new NotFoundError('PAYMENT_NOT_FOUND', 'No payment of this store has that client secret');
    return pi;
  }
  async function answer(ctx: TenantCtx, pi: SimIntent) {
    const { status } = await reconcile.sync(ctx, pi.metadata.bazaar_payment);
    return {
      orderId: pi.metadata.bazaar_order, paymentStatus: status,
      intent: { id: pi.id, status: pi.status, nextAction: pi.next_action ? '3ds' : null, error: pi.last_payment_error?.message ?? null },
    };
  }
  return [
    route({
      method: 'POST', path: '/simulator/confirm', summary: "The card simulator's card form: confirm checkout's intent with a test card number (4242424242424242 pays, 4000000000000002 is declined, 4000002760003184 asks for 3-D Secure)", tags, access: 'public',
      body: { type: 'object', required: ['clientSecret', 'card'], additionalProperties: false, properties: { clientSecret, card: { type: 'string', pattern: '^[0-9 ]{12,23}$', description: 'a test card number' } } },
      responses: { 200: out },
      errors: { 404: ['PAYMENT_NOT_FOUND'] },
      handler: async ({ ctx, body }) => {
        const pi = await intentOf(t(ctx), body.clientSecret);
        cardSimulator.confirm(pi, body.card.replace(/ /g, ''));
        return answer(t(ctx), pi);
      },
    }),
    route({
      method: 'POST', path: '/simulator/3ds', summary: 'The card simulator\'s 3-D Secure challenge: pass or fail it', tags, access: 'public',
      body: { type: 'object', required: ['clientSecret', 'result'], additionalProperties: false, properties: { clientSecret, result: { enum: ['pass', 'fail'] } } },
      responses: { 200: out },
      handler: async ({ ctx, body }) => {
        const pi = await intentOf(t(ctx), body.clientSecret);
        cardSimulator.complete3ds(pi, body.result === 'pass');
        return answer(t(ctx), pi);
      },
    }),
  ];
}
