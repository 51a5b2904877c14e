// Moving an order between states: checked against the machine, applied with a conditional
// update on the state it was read in, and written to the timeline, all in the caller's transaction.
import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { NotFoundError } from '../errors.js';
import { Order } from './order.model.js';
import type { OrderStatus, PaymentStatus } from './order.types.js';
import { assertCanMove, stateConflict } from './order.machine.js';
import { recordHistory } from './order.history.js';

export const orderNotFound = () => new NotFoundError('ORDER_NOT_FOUND', 'No such order');

export async function requireOrder(ctx: TenantCtx, id: string): Promise<Order> {
  const order = await scoped(ctx, Order).findById(id);
  if (!order) throw orderNotFound();
  return order;
}

/**
 * Reads the order with a row lock, first thing in a transaction that changes it: acts on one
 * order then run one at a time, and every later read in the transaction sees what the previous
 * act committed (a repeatable-read snapshot starts after the lock is granted).
 */
export async function lockOrder(trx: TenantCtx, id: string): Promise<Order> {
  const order = await scoped(trx, Order).findById(id).forUpdate();
  if (!order) throw orderNotFound();
  return order;
}

export async function moveOrder(
  trx: TenantCtx,
  order: Order,
  to: OrderStatus,
  opts: { action?: string; message?: string | null; data?: Record<string, unknown>; patch?: Partial<Order> } = {},
): Promise<Order> {
  const action = opts.action ?? to;
  assertCanMove(order.status, to, action);
  const n = await scoped(trx, Order).patch({ status: to, ...opts.patch }).where({ id: order.id, status: order.status });
  if (n !== 1) {
    // A locking read: inside a repeatable-read transaction a plain read would show the state as it was when the transaction began.
    const now = await scoped(trx, Order).findById(order.id).forUpdate();
    throw stateConflict(now?.status ?? order.status, action);
  }
  await recordHistory(trx, order.id, { kind: 'status', from: order.status, to, message: opts.message ?? null, data: opts.data ?? null });
  return Object.assign(order, { status: to, ...opts.patch });
}

/** Where the money stands, from the order's amounts. */
export function paymentStatusOf(o: { totalAmount: number; authorizedAmount: number; paidAmount: number; refundedAmount: number }): PaymentStatus {
  if (o.refundedAmount > 0) return o.refundedAmount >= o.paidAmount ? 'refunded' : 'partially_refunded';
  if (o.paidAmount > 0) return o.paidAmount >= o.totalAmount ? 'paid' : 'partially_paid';
  if (o.authorizedAmount > 0 && o.authorizedAmount >= o.totalAmount) return 'authorized';
  return 'unpaid';
}
