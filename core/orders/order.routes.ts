// Orders and returns on the store surface (a customer's own orders, or a guest's with
// X-Order-Token) and the admin surface (list, filter, act), plus checkout settings and the
// payment providers' webhook.
import { route, accepted, created, raw, type RouteSpec, type RouteInput } from '../http/route.js';
import { idParams, page, pageQuery } from '../http/schemas.js';
import { requireTenant, withTransaction, type Ctx, type TenantCtx } from '../context.js';
import { NotFoundError } from '../errors.js';
import * as orders from './order.service.js';
import * as returns from './return.service.js';
import { createFulfilment, createShipment, deliverOrder } from './fulfilment.service.js';
import { capturePayment, outcomeUnknown, refundPayment, startNewPayment } from './payment.service.js';
import { receiveWebhook } from './payment.webhooks.js';
import { requireOrder } from './order.transitions.js';
import { getCheckoutSettings, updateCheckoutSettings } from './checkout-settings.service.js';
import { lineView, orderSummary, orderView, returnView } from './order.views.js';
import { Payment, type Refund } from './order.model.js';
import { scoped } from '../db/model.js';
import { syncPayment } from './payment.reconcile.js';
import * as s from './order.schemas.js';

const storeTags = ['store: orders'];
const adminTags = ['admin: orders'];
const returnTags = ['admin: returns'];

function orderToken(headers: RouteInput['headers']): string | undefined {
  const v = headers['x-order-token'];
  return typeof v === 'string' && v.length <= 100 ? v : undefined;
}

// An order's view is read in one transaction, so the order and its payments, lines and shipments
// come from one snapshot (InnoDB's repeatable read, from the first read; SQLite's one connection):
// read separately, a payment's change committed between two reads could show the order before it
// and the payment after. On MariaDB its BEGIN rides with the first read (core/db/batching.ts).
async function staffView(ctx: Ctx, id: string, opts: { lines?: boolean } = {}) {
  const tctx = requireTenant(ctx);
  const detail = await withTransaction(tctx, async (trx) => orders.orderDetail(trx, await requireOrder(trx, id), opts));
  return orderView(detail, 'staff', tctx.t as never);
}

async function customerView(ctx: TenantCtx, id: string, token: string | undefined) {
  const detail = await withTransaction(ctx, async (trx) => orders.orderDetail(trx, await orders.customerOrder(trx, id, token)));
  return orderView(detail, 'customer', ctx.t as never);
}

const refundView = (r: Refund) => ({ id: r.id, orderId: r.orderId, returnId: r.returnId, amount: Number(r.amount), currency: r.currency, status: r.status, reason: r.reason, createdAt: r.createdAt });

async function returnOut(ctx: TenantCtx, id: string) {
  const r = await returns.requireReturn(ctx, id);
  return returnView(r, await returns.returnLines(ctx, id));
}

export const storeOrderRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/store/v1/orders', summary: "The signed-in customer's orders, newest first", tags: storeTags, access: 'customer',
    query: s.myOrdersQuery, responses: { 200: page(s.orderSummaryOut) },
    async handler({ ctx, query }) {
      const tctx = requireTenant(ctx);
      const customerId = ctx.actor.type === 'customer' ? ctx.actor.id : '';
      const res = await orders.listOrders(tctx, { limit: query.limit, cursor: query.cursor, customerId });
      return { items: res.items.map(orderSummary), nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'GET', path: '/store/v1/orders/:id', summary: 'An order and its progress (a guest sends X-Order-Token)', tags: storeTags, access: 'public',
    params: idParams, responses: { 200: s.orderOut },
    errors: { 404: ['ORDER_NOT_FOUND'] },
    handler: ({ ctx, params, headers }) => customerView(requireTenant(ctx), params.id, orderToken(headers)),
  }),
  route({
    method: 'POST', path: '/store/v1/orders/:id/cancel', summary: 'Cancel an order not yet paid', tags: storeTags, access: 'public', idempotent: true,
    params: idParams, body: s.reasonBody(false), responses: { 200: s.orderOut },
    errors: { 404: ['ORDER_NOT_FOUND'], 409: ['ORDER_STATE_CONFLICT'] },
    async handler({ ctx, params, body, headers }) {
      const tctx = requireTenant(ctx);
      await orders.customerOrder(tctx, params.id, orderToken(headers));
      await orders.cancelOrder(tctx, params.id, body.reason ?? 'Cancelled by the customer', { byCustomer: true });
      return customerView(tctx, params.id, orderToken(headers));
    },
  }),
  route({
    method: 'POST', path: '/store/v1/orders/:id/payments', summary: 'Pay an unpaid order again, perhaps another way (the open payment is cancelled); send an Idempotency-Key', tags: storeTags, access: 'public', idempotent: true,
    params: idParams, body: s.paymentChoiceBody, responses: { 200: s.orderOut },
    errors: { 400: ['PAYMENT_METHOD_UNAVAILABLE'], 404: ['ORDER_NOT_FOUND'], 409: ['ORDER_STATE_CONFLICT'] },
    async handler({ ctx, params, body, headers }) {
      const tctx = requireTenant(ctx);
      await orders.customerOrder(tctx, params.id, orderToken(headers));
      await startNewPayment(tctx, params.id, body);
      return customerView(tctx, params.id, orderToken(headers));
    },
  }),
  route({
    method: 'POST', path: '/store/v1/orders/:id/payment/sync', summary: "Back from the card form or the wallet: bring the order's payment up to date from its provider (same effect as its webhook, applied once)", tags: storeTags, access: 'public',
    params: idParams, body: s.emptyBody, responses: { 200: s.orderOut },
    errors: { 404: ['ORDER_NOT_FOUND'] },
    async handler({ ctx, params, headers }) {
      const tctx = requireTenant(ctx);
      await orders.customerOrder(tctx, params.id, orderToken(headers));
      const payment = await scoped(tctx, Payment).where('order_id', params.id).orderBy('id', 'desc').first();
      if (payment && (payment.status === 'pending' || payment.status === 'authorized')) await syncPayment(tctx, payment.id);
      return customerView(tctx, params.id, orderToken(headers));
    },
  }),
  route({
    method: 'POST', path: '/store/v1/orders/:id/returns', summary: 'Ask to return items of a shipped order', tags: storeTags, access: 'public', idempotent: true,
    params: idParams, body: s.returnBody, responses: { 201: s.returnOut },
    errors: { 404: ['ORDER_LINE_NOT_FOUND', 'ORDER_NOT_FOUND'], 409: ['ORDER_STATE_CONFLICT', 'RETURN_EXCEEDS_SHIPPED'] },
    async handler({ ctx, params, body, headers }) {
      const tctx = requireTenant(ctx);
      const order = await orders.customerOrder(tctx, params.id, orderToken(headers));
      const r = await returns.requestReturn(tctx, order, body);
      return created(await returnOut(tctx, r.id));
    },
  }),
  route({
    method: 'POST', path: '/store/v1/payments/:provider/webhook', summary: "A payment provider's webhook (raw body): verified, stored once and answered at once in the provider's format; applied from the queue", tags: ['store: payments'], access: 'public',
    params: s.providerParams, responses: { 200: {} },
    errors: { 400: ['WEBHOOK_SIGNATURE_INVALID'], 401: ['WEBHOOK_SIGNATURE_INVALID'], 404: ['WEBHOOK_NOT_SUPPORTED'] },
    async handler({ ctx, params, headers, rawBody }) {
      const res = await receiveWebhook(requireTenant(ctx), params.provider, headers, rawBody ?? '');
      if (!res) return { received: true };
      return raw(res.status, res.body ?? '', res.contentType ?? 'text/plain');
    },
  }),
  route({
    method: 'POST', path: '/hooks/payments/:tenant/:config', summary: "A payment gateway's webhook for one store and gateway configuration (the URL to register at the gateway: the store's id and the configuration, i.e. the provider id, in the path; raw body, answered in the gateway's format)", tags: ['store: payments'], access: 'public',
    params: { type: 'object', required: ['tenant', 'config'], additionalProperties: false, properties: { tenant: { type: 'string', format: 'uuid' }, config: s.providerParams.properties.provider } },
    responses: { 200: {} },
    // The store is named by the path: an unknown or closed one is 404, a store being moved 503.
    errors: { 400: ['WEBHOOK_SIGNATURE_INVALID'], 404: ['TENANT_NOT_FOUND', 'WEBHOOK_NOT_SUPPORTED'], 503: ['TENANT_MOVING'] },
    async handler({ ctx, params, headers, rawBody }) {
      const tctx = requireTenant(ctx);
      if (tctx.tenant.id !== params.tenant.toLowerCase()) throw new NotFoundError('TENANT_NOT_FOUND', 'No store answers at this address');
      const res = await receiveWebhook(tctx, params.config, headers, rawBody ?? '');
      if (!res) return { received: true };
      return raw(res.status, res.body ?? '', res.contentType ?? 'text/plain');
    },
  }),
];

const act = (path: string, summary: string, body: Record<string, unknown>, fn: (ctx: TenantCtx, id: string, body: any) => Promise<unknown>, opts: { idempotent?: boolean; errors?: RouteSpec['errors'] } = {}): RouteSpec =>
  route({
    method: 'POST', path: `/admin/v1/orders/:id/${path}`, summary, tags: adminTags, access: 'staff', permission: 'orders:write', idempotent: opts.idempotent,
    params: idParams, body, responses: { 200: s.staffOrderOut },
    errors: { ...opts.errors, 404: ['ORDER_NOT_FOUND', ...(opts.errors?.[404] ?? [])] },
    async handler({ ctx, params, body: input }) {
      await fn(requireTenant(ctx), params.id, input);
      return staffView(ctx, params.id);
    },
  });

export const adminOrderRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/orders', summary: 'Orders, newest first; filter by status, customer, email, placing date', tags: adminTags, access: 'staff', permission: 'orders:read',
    query: s.orderListQuery, responses: { 200: page(s.orderSummaryOut) },
    async handler({ ctx, query }) {
      const res = await orders.listOrders(requireTenant(ctx), query);
      return { items: res.items.map(orderSummary), nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/orders/:id', summary: 'An order with lines, payments, fulfilments, shipments, returns, refunds and its timeline', tags: adminTags, access: 'staff', permission: 'orders:read',
    params: idParams, query: s.orderDetailQuery, responses: { 200: s.staffOrderOut },
    errors: { 404: ['ORDER_NOT_FOUND'] },
    handler: ({ ctx, params, query }) => staffView(ctx, params.id, { lines: query.lines !== 'none' }),
  }),
  route({
    method: 'GET', path: '/admin/v1/orders/:id/lines', summary: "An order's lines in their order, a page at a time (for orders with many lines)", tags: adminTags, access: 'staff', permission: 'orders:read',
    params: idParams, query: { type: 'object', additionalProperties: false, properties: pageQuery }, responses: { 200: page(s.orderLineOut) },
    errors: { 404: ['ORDER_NOT_FOUND'] },
    async handler({ ctx, params, query }) {
      const tctx = requireTenant(ctx);
      const order = await requireOrder(tctx, params.id);
      const res = await orders.orderLines(tctx, order.id, { limit: query.limit ?? 20, cursor: query.cursor });
      return { items: res.items.map(lineView), nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/orders/:id/confirm-payment', summary: 'Confirm money received (bank transfer arrived, cash collected) or capture an authorization; send an Idempotency-Key. 202: the gateway did not answer; the capture is held and asked about again under the same key (a retry of the same capture is that capture)', tags: adminTags, access: 'staff', permission: 'orders:write', idempotent: true,
    params: idParams, body: s.confirmPaymentBody, responses: { 200: s.staffOrderOut, 202: s.staffOrderOut },
    errors: { 404: ['ORDER_NOT_FOUND'], 409: ['AMOUNT_EXCEEDS_OUTSTANDING', 'ORDER_STATE_CONFLICT', 'PAYMENT_CANCELED'], 422: ['PAYMENT_REFUSED'] },
    async handler({ ctx, params, body }) {
      const order = await capturePayment(requireTenant(ctx), params.id, body);
      const view = await staffView(ctx, params.id);
      return outcomeUnknown(order) ? accepted(view) : view;
    },
  }),
  act('deliver', 'Mark the order delivered', s.emptyBody, (ctx, id) => deliverOrder(ctx, id), { errors: { 409: ['ORDER_STATE_CONFLICT'] } }),
  act('complete', 'Complete a delivered, paid order', s.emptyBody, (ctx, id) => orders.completeOrder(ctx, id), { errors: { 409: ['ORDER_NOT_PAID', 'ORDER_STATE_CONFLICT'] } }),
  act('cancel', 'Cancel an order not yet shipped: stock back, payment released or refunded', s.reasonBody(false), (ctx, id, b) => orders.cancelOrder(ctx, id, b.reason ?? null), { idempotent: true, errors: { 409: ['ORDER_STATE_CONFLICT'] } }),
  act('hold', 'Put the order on hold (risk review)', s.reasonBody(true), (ctx, id, b) => orders.holdOrder(ctx, id, b.reason), { errors: { 409: ['ORDER_STATE_CONFLICT'] } }),
  act('release', 'Release a held order to where it was', s.releaseBody, (ctx, id, b) => orders.releaseOrder(ctx, id, b.note), { errors: { 409: ['ORDER_STATE_CONFLICT'] } }),
  act('notes', 'Add a staff note to the timeline', s.noteBody, (ctx, id, b) => orders.addNote(ctx, id, b.message)),
  route({
    method: 'POST', path: '/admin/v1/orders/:id/fulfilments', summary: 'Pack lines for shipping (all remaining units by default)', tags: adminTags, access: 'staff', permission: 'orders:write',
    params: idParams, body: s.fulfilmentBody, responses: { 201: s.fulfilmentOut },
    errors: { 404: ['ORDER_NOT_FOUND'], 409: ['FULFILMENT_EXCEEDS_ORDERED', 'ORDER_STATE_CONFLICT'] },
    async handler({ ctx, params, body }) {
      const f = await createFulfilment(requireTenant(ctx), params.id, body.lines);
      return created({ id: f.id, orderId: f.orderId, status: f.status });
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/orders/:id/shipments', summary: 'Hand a fulfilment (or everything left) to a carrier with a tracking number', tags: adminTags, access: 'staff', permission: 'orders:write', idempotent: true,
    params: idParams, body: s.shipmentBody, responses: { 201: s.shipmentOut },
    errors: { 404: ['FULFILMENT_NOT_FOUND', 'ORDER_NOT_FOUND'], 409: ['FULFILMENT_ALREADY_SHIPPED', 'FULFILMENT_REQUIRED', 'ORDER_STATE_CONFLICT'] },
    async handler({ ctx, params, body }) {
      const sh = await createShipment(requireTenant(ctx), params.id, body);
      return created({ id: sh.id, orderId: sh.orderId, fulfilmentId: sh.fulfilmentId, carrier: sh.carrier, trackingNumber: sh.trackingNumber, trackingUrl: sh.trackingUrl, status: sh.status, shippedAt: sh.shippedAt });
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/orders/:id/refunds', summary: 'Refund part or all of what was paid, through the payment provider; send an Idempotency-Key. 202: the gateway did not answer; the refund is pending, held, and asked about again under the same key (a retry of the same amount is that refund, never a second)', tags: adminTags, access: 'staff', permission: 'orders:write', idempotent: true,
    params: idParams, body: s.refundBody, responses: { 201: s.refundOut, 202: s.refundOut },
    errors: { 404: ['ORDER_NOT_FOUND'], 409: ['REFUND_EXCEEDS_CAPTURED', 'REFUND_EXCEEDS_PAID'], 422: ['PAYMENT_REFUSED'] },
    async handler({ ctx, params, body }) {
      const refund = await refundPayment(requireTenant(ctx), params.id, { amount: body.amount, reason: body.reason ?? null });
      return outcomeUnknown(refund) ? accepted(refundView(refund)) : created(refundView(refund));
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/orders/:id/returns', summary: 'Open a return for the customer (e.g. asked by phone)', tags: returnTags, access: 'staff', permission: 'returns:write', idempotent: true,
    params: idParams, body: s.returnBody, responses: { 201: s.returnOut },
    errors: { 404: ['ORDER_NOT_FOUND'] },
    async handler({ ctx, params, body }) {
      const tctx = requireTenant(ctx);
      const r = await returns.requestReturn(tctx, await requireOrder(tctx, params.id), body);
      return created(await returnOut(tctx, r.id));
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/returns', summary: 'Returns, newest first; filter by status or order', tags: returnTags, access: 'staff', permission: 'returns:read',
    query: s.returnListQuery, responses: { 200: page(s.returnOut) },
    async handler({ ctx, query }) {
      const tctx = requireTenant(ctx);
      const res = await returns.listReturns(tctx, query);
      const items = await Promise.all(res.items.map(async (r) => returnView(r, await returns.returnLines(tctx, r.id))));
      return { items, nextCursor: res.nextCursor };
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/returns/:id', summary: 'One return', tags: returnTags, access: 'staff', permission: 'returns:read',
    params: idParams, responses: { 200: s.returnOut },
    errors: { 404: ['RETURN_NOT_FOUND'] },
    handler: ({ ctx, params }) => returnOut(requireTenant(ctx), params.id),
  }),
  ...(
    [
      ['approve', 'Approve a requested return', s.returnNoteBody, (ctx: TenantCtx, id: string, b: { note?: string }) => returns.approveReturn(ctx, id, b.note)],
      ['reject', 'Reject a return; its units can be returned again', s.reasonBody(true), (ctx: TenantCtx, id: string, b: { reason: string }) => returns.rejectReturn(ctx, id, b.reason)],
      ['receive', 'The goods came back (restocked unless restock is false)', s.receiveBody, (ctx: TenantCtx, id: string, b: { restock?: boolean; note?: string }) => returns.receiveReturn(ctx, id, b)],
      ['refund', "Refund the return through the order's payment provider (its share by default); send an Idempotency-Key", s.returnRefundBody, (ctx: TenantCtx, id: string, b: { amount?: number; reason?: string }) => returns.refundReturn(ctx, id, b)],
    ] as const
  ).map(([path, summary, body, fn]) =>
    route({
      method: 'POST', path: `/admin/v1/returns/:id/${path}`, summary, tags: returnTags, access: 'staff', permission: 'returns:write', idempotent: path === 'refund',
      params: idParams, body, responses: { 200: s.returnOut },
      errors: { 404: ['RETURN_NOT_FOUND'], 409: ['RETURN_STATE_CONFLICT'] },
      async handler({ ctx, params, body: input }) {
        const tctx = requireTenant(ctx);
        await (fn as (c: TenantCtx, i: string, b: unknown) => Promise<unknown>)(tctx, params.id, input);
        return returnOut(tctx, params.id);
      },
    }),
  ),
  route({
    method: 'GET', path: '/admin/v1/checkout-settings', summary: 'Flat-rate shipping and offline payment settings', tags: ['admin: store'], access: 'staff', permission: 'store:read',
    responses: { 200: s.checkoutSettingsOut },
    handler: ({ ctx }) => getCheckoutSettings(requireTenant(ctx)),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/checkout-settings', summary: 'Replace the shipping or payment part of the checkout settings', tags: ['admin: store'], access: 'staff', permission: 'store:write',
    body: s.checkoutSettingsBody, responses: { 200: s.checkoutSettingsOut },
    handler: ({ ctx, body }) => updateCheckoutSettings(requireTenant(ctx), body),
  }),
];

