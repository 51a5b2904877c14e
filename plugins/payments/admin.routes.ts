// Admin API under /admin/v1/payments: each payment's gateway-side state (the spec's nine states),
// its amounts, its capture deadline and its log of gateway answers and events.
import { NotFoundError, id, idParams, page, pageByIdDesc, pageQuery, route, scoped, timestamp, type PluginRoute, type TenantCtx } from '@bazaar/sdk';
import { PAYMENT_STATES } from './state.js';
import { PaymentStateLog, PaymentStateRow } from './tracker.js';

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;
const stateOut = {
  type: 'object',
  required: ['id', 'orderId', 'provider', 'method', 'state', 'currency', 'amount', 'authorized', 'captured', 'refunded', 'captureBefore'],
  properties: {
    id, orderId: id, provider: { type: 'string' }, method: { type: 'string' }, reference: { type: ['string', 'null'] }, state: { enum: [...PAYMENT_STATES] }, currency: { type: 'string' },
    amount: { type: 'integer' }, authorized: { type: 'integer' }, captured: { type: 'integer' }, refunded: { type: 'integer' },
    authorizedAt: nullableTime, captureBefore: nullableTime, warnedAt: nullableTime, createdAt: timestamp, updatedAt: timestamp,
  },
} as const;
const logOut = {
  type: 'object',
  properties: { id, source: { type: 'string' }, event: { type: 'string' }, amount: { type: ['integer', 'null'] }, from: { type: 'string' }, to: { type: 'string' }, outcome: { enum: ['moved', 'same', 'ignored'] }, detail: { type: ['string', 'null'] }, at: timestamp },
} as const;

const view = (r: PaymentStateRow) => ({
  id: r.id, orderId: r.orderId, provider: r.provider, method: r.method, reference: r.reference, state: r.state, currency: r.currency,
  amount: Number(r.totalAmount), authorized: Number(r.authorizedAmount), captured: Number(r.capturedAmount), refunded: Number(r.refundedAmount),
  authorizedAt: r.authorizedAt, captureBefore: r.captureDeadlineAt, warnedAt: r.warnedAt, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

export function adminRoutes(): PluginRoute[] {
  const t = (ctx: unknown) => ctx as TenantCtx;
  const tags = ['admin: payments'];
  return [
    route({
      method: 'GET', path: '/hooks', summary: "The webhook URL path to register at each gateway for this store (on the platform's public URL): /hooks/payments/<store id>/<gateway>", tags, access: 'staff',
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', properties: { gateway: { type: 'string' }, path: { type: 'string' } } } } } } },
      handler: async ({ ctx }) => ({ items: ['stripe', 'alipay', 'wechatpay'].map((gateway) => ({ gateway, path: `/hooks/payments/${t(ctx).tenant.id}/${gateway}` })) }),
    }),
    route({
      method: 'GET', path: '/states', summary: "Payments as the gateways see them (pending, requires_action, authorized, ... refunded), newest first; `state=authorized` lists those awaiting capture with their deadline", tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, state: { enum: [...PAYMENT_STATES] }, provider: { type: 'string', pattern: '^[a-z0-9_-]{1,64}$' }, orderId: id } },
      responses: { 200: page(stateOut) },
      handler: async ({ ctx, query }) => {
        const q = scoped(t(ctx), PaymentStateRow);
        if (query.state) q.where('state', query.state);
        if (query.provider) q.where('provider', query.provider);
        if (query.orderId) q.where('order_id', query.orderId);
        const p = await pageByIdDesc(q, 'id', query.limit, query.cursor);
        return { items: p.items.map(view), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/states/:id', summary: "One payment's gateway state and its log: every gateway answer and event, and what it did (moved, same, ignored)", tags, access: 'staff',
      params: idParams,
      responses: { 200: { type: 'object', required: ['payment', 'log'], properties: { payment: stateOut, log: { type: 'array', items: logOut } } } },
      errors: { 404: ['PAYMENT_NOT_FOUND'] },
      handler: async ({ ctx, params }) => {
        const r = await scoped(t(ctx), PaymentStateRow).findById(params.id);
        if (!r) throw new NotFoundError('PAYMENT_NOT_FOUND', 'No payment of this store has that id');
        const log = await scoped(t(ctx), PaymentStateLog).where('payment_id', r.id).orderBy('id', 'desc').limit(200);
        return { payment: view(r), log: log.map((l) => ({ id: l.id, source: l.source, event: l.event, amount: l.amount === null ? null : Number(l.amount), from: l.fromState, to: l.toState, outcome: l.outcome, detail: l.detail, at: l.createdAt })) };
      },
    }),
  ];
}
