// Orders after checkout: reading them (staff: all, filtered; customers: their own, or a guest
// with the order token) and the staff acts that are not about money or parcels: hold, release,
// cancel (stock back, money back), complete, notes.
import crypto from 'node:crypto';
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, InvalidError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { releaseStock } from '../catalog/inventory.service.js';
import { money } from '../money/money.js';
import { Fulfilment, FulfilmentLine, Order, OrderHistory, OrderLine, Payment, Refund, Return, ReturnLine, Shipment } from './order.model.js';
import type { OrderStatus } from './order.types.js';
import { hashToken } from './cart.service.js';
import { recordHistory } from './order.history.js';
import { emitEvent, orderEventBase } from './order.events.js';
import { lockOrder, moveOrder, orderNotFound, requireOrder } from './order.transitions.js';
import { stateConflict } from './order.machine.js';
import { cancelAuthorizations, refundPayment } from './payment.service.js';
import { retryOnDeadlock } from './db.js';

export interface OrderDetail {
  order: Order;
  lines: OrderLine[];
  history: OrderHistory[];
  payments: Payment[];
  fulfilments: (Fulfilment & { lines: FulfilmentLine[] })[];
  shipments: Shipment[];
  returns: (Return & { lines: ReturnLine[] })[];
  refunds: Refund[];
  /** What the lines come to, counted in SQL (so a page can show them without loading every line). */
  lineStats?: LineStats;
}

export interface LineStats {
  count: number;
  units: number;
  unfulfilledUnits: number;
  unshippedUnits: number;
}

export async function lineStats(ctx: TenantCtx, orderId: string): Promise<LineStats> {
  const row = (await scoped(ctx, OrderLine)
    .where('order_id', orderId)
    .count('id as n')
    .sum('quantity as units')
    .sum('fulfilled_quantity as fulfilled')
    .sum('shipped_quantity as shipped')
    .first()) as unknown as { n: number | string; units: number | string | null; fulfilled: number | string | null; shipped: number | string | null } | undefined;
  const units = Number(row?.units ?? 0);
  return { count: Number(row?.n ?? 0), units, unfulfilledUnits: units - Number(row?.fulfilled ?? 0), unshippedUnits: units - Number(row?.shipped ?? 0) };
}

/** An order's lines in their order, a page at a time (keyset on position, id). */
export async function orderLines(ctx: TenantCtx, orderId: string, opts: { limit: number; cursor?: string }): Promise<{ items: OrderLine[]; nextCursor: string | null }> {
  const q = scoped(ctx, OrderLine).where('order_id', orderId);
  const after = decodeCursor(opts.cursor, 2);
  if (after) {
    const [position, id] = [Number(after[0]), String(after[1])];
    q.where((b) => b.where('position', '>', position).orWhere((c) => c.where('position', position).where('id', '>', id)));
  }
  const rows = await q.orderBy([{ column: 'position' }, { column: 'id' }]).limit(opts.limit + 1);
  const items = rows.slice(0, opts.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > opts.limit ? encodeCursor([last.position, last.id]) : null };
}

/** An order with everything about it; `lines: false` leaves its lines out (lineStats still counts them). */
export async function orderDetail(ctx: TenantCtx, order: Order, opts: { lines?: boolean } = {}): Promise<OrderDetail> {
  const id = order.id;
  const [lines, history, payments, fulfilments, shipments, returns, refunds, stats] = await Promise.all([
    opts.lines === false ? Promise.resolve([] as OrderLine[]) : scoped(ctx, OrderLine).where('order_id', id).orderBy('position'),
    scoped(ctx, OrderHistory).where('order_id', id).orderBy('id'),
    scoped(ctx, Payment).where('order_id', id).orderBy('id'),
    scoped(ctx, Fulfilment).where('order_id', id).orderBy('id'),
    scoped(ctx, Shipment).where('order_id', id).orderBy('id'),
    scoped(ctx, Return).where('order_id', id).orderBy('id'),
    scoped(ctx, Refund).where('order_id', id).orderBy('id'),
    lineStats(ctx, id),
  ]);
  const [fLines, rLines] = await Promise.all([
    fulfilments.length ? scoped(ctx, FulfilmentLine).whereIn('fulfilment_id', fulfilments.map((f) => f.id)) : Promise.resolve([] as FulfilmentLine[]),
    returns.length ? scoped(ctx, ReturnLine).whereIn('return_id', returns.map((r) => r.id)) : Promise.resolve([] as ReturnLine[]),
  ]);
  return {
    order,
    lines,
    history,
    payments,
    fulfilments: fulfilments.map((f) => Object.assign(f, { lines: fLines.filter((l) => l.fulfilmentId === f.id) })),
    shipments,
    returns: returns.map((r) => Object.assign(r, { lines: rLines.filter((l) => l.returnId === r.id) })),
    refunds,
    lineStats: stats,
  };
}

/** An order the caller may follow: their own as a customer, or any with its order token. */
export async function customerOrder(ctx: TenantCtx, id: string, token: string | undefined): Promise<Order> {
  const order = await scoped(ctx, Order).findById(id);
  if (!order) throw orderNotFound();
  const mine = ctx.actor.type === 'customer' && order.customerId === ctx.actor.id;
  const holdsToken = Boolean(token) && crypto.timingSafeEqual(Buffer.from(hashToken(token!)), Buffer.from(order.accessTokenHash));
  if (!mine && !holdsToken) throw orderNotFound();
  return order;
}

export interface OrderFilter {
  limit: number;
  cursor?: string;
  status?: OrderStatus;
  customerId?: string;
  email?: string;
  placedFrom?: string;
  placedTo?: string;
}

/** Newest first, keyset on id (time-ordered). */
export async function listOrders(ctx: TenantCtx, f: OrderFilter): Promise<{ items: Order[]; nextCursor: string | null }> {
  const q = scoped(ctx, Order);
  if (f.status) q.where('status', f.status);
  if (f.customerId) q.where('customer_id', f.customerId);
  if (f.email) q.where('email', f.email.toLowerCase());
  if (f.placedFrom) q.where('placed_at', '>=', new Date(f.placedFrom));
  if (f.placedTo) q.where('placed_at', '<', new Date(f.placedTo));
  const after = decodeCursor(f.cursor, 1);
  if (after) q.where('id', '<', String(after[0]));
  const rows = await q.orderBy('id', 'desc').limit(f.limit + 1);
  const items = rows.slice(0, f.limit);
  return { items, nextCursor: rows.length > f.limit ? encodeCursor([items[items.length - 1].id]) : null };
}

export async function holdOrder(ctx: TenantCtx, id: string, reason: string): Promise<Order> {
  return withTransaction(ctx, async (trx) => {
    const order = await lockOrder(trx, id);
    const from = order.status;
    const held = await moveOrder(trx, order, 'on_hold', { action: 'held', message: reason, patch: { heldFrom: from, holdReason: reason } });
    await emitEvent(trx, 'order.held', { ...orderEventBase(held), reason, source: 'staff' });
    return held;
  });
}

/** Back to where it was held from (or to `paid` if the money arrived meanwhile). */
export async function releaseOrder(ctx: TenantCtx, id: string, note?: string): Promise<Order> {
  return withTransaction(ctx, async (trx) => {
    const order = await lockOrder(trx, id);
    if (order.status !== 'on_hold') throw stateConflict(order.status, 'released');
    let to: OrderStatus = order.heldFrom ?? 'pending_payment';
    if (to === 'pending_payment' && order.paidAmount >= order.totalAmount) to = 'paid';
    const released = await moveOrder(trx, order, to, { action: 'released', message: note ?? 'Released from hold', patch: { heldFrom: null, holdReason: null } });
    await emitEvent(trx, 'order.released', orderEventBase(released));
    return released;
  });
}

/**
 * Cancels an order that has not shipped: its reserved stock goes back, open authorizations are
 * released and whatever was paid is refunded through the provider. A customer may cancel only
 * before paying.
 */
export async function cancelOrder(ctx: TenantCtx, id: string, reason: string | null, opts: { byCustomer?: boolean } = {}): Promise<Order> {
  const before = await requireOrder(ctx, id);
  if (opts.byCustomer && before.status !== 'pending_payment') throw stateConflict(before.status, 'cancelled by the customer');
  const order = await retryOnDeadlock(ctx, () =>
    withTransaction(ctx, async (trx) => {
      const current = await lockOrder(trx, id);
      const lines = await scoped(trx, OrderLine).where('order_id', id);
      if (lines.some((l) => l.shippedQuantity > 0)) throw stateConflict(current.status === 'fulfilling' ? 'partially shipped' : current.status, 'cancelled');
      const cancelled = await moveOrder(trx, current, 'cancelled', { action: 'cancelled', message: reason ?? 'Cancelled', patch: { cancelledAt: new Date().toISOString(), heldFrom: null } });
      for (const line of [...lines].sort((a, b) => a.variantId.localeCompare(b.variantId))) {
        await releaseStock(trx, line.variantId, line.quantity, { locationId: line.locationId, reference: id, note: 'order cancelled' });
      }
      await scoped(trx, Fulfilment).patch({ status: 'cancelled' }).where({ order_id: id, status: 'pending' });
      await emitEvent(trx, 'order.cancelled', { ...orderEventBase(cancelled), reason });
      return cancelled;
    }),
  );
  await cancelAuthorizations(ctx, order);
  const refundable = money(order.paidAmount, order.currency).subtract(money(order.refundedAmount, order.currency)).toMinor();
  if (refundable > 0) {
    try {
      await refundPayment(ctx, id, { amount: refundable, reason: 'Order cancelled', moveToRefunded: false });
    } catch (err) {
      ctx.log.error({ err, orderId: id }, 'refund on cancel failed');
      await recordHistory(ctx, id, { kind: 'refund', message: 'The refund of the cancelled order failed; issue it again from the order' });
    }
  }
  return requireOrder(ctx, id);
}

/** Delivered and paid: nothing more is expected of this order (returns remain possible). */
export async function completeOrder(ctx: TenantCtx, id: string): Promise<Order> {
  return withTransaction(ctx, async (trx) => {
    const order = await lockOrder(trx, id);
    if (order.status === 'delivered' && order.paidAmount < order.totalAmount) {
      throw new ConflictError('ORDER_NOT_PAID', 'The order cannot be completed before it is paid in full', { extra: { currentState: order.status, paymentStatus: order.paymentStatus } });
    }
    const done = await moveOrder(trx, order, 'completed', { action: 'completed', message: 'Completed', patch: { completedAt: new Date().toISOString() } });
    await emitEvent(trx, 'order.completed', orderEventBase(done));
    return done;
  });
}

export async function addNote(ctx: TenantCtx, id: string, message: string): Promise<void> {
  await requireOrder(ctx, id);
  if (!message.trim()) throw new InvalidError('VALIDATION_FAILED', 'The note is empty', { errors: [{ in: 'body', pointer: '/message', code: 'minLength', message: 'body.message is empty' }] });
  await recordHistory(ctx, id, { kind: 'note', message: message.trim() });
}
