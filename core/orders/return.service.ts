// Returns: requested (by the customer, or by staff for them) -> approved or rejected -> goods
// received (restocked) -> refunded through the payment provider. Each step is a conditional
// update on the step before, so a return cannot skip or repeat one. A line can never be
// returned past what shipped (a conditional update on the line's returned count), and each
// return's refund is the exact share of the line's total, so returning a line in parts adds up
// to what was paid for it.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { raw } from 'objection';
import { scoped } from '../db/model.js';
import { newId } from '../db/ids.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { adjustStock } from '../catalog/inventory.service.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { money, sum } from '../money/money.js';
import { Order, OrderLine, Refund, Return, ReturnLine } from './order.model.js';
import type { ReturnStatus } from './order.types.js';
import { recordHistory } from './order.history.js';
import { emitEvent } from './order.events.js';
import { lockOrder, requireOrder } from './order.transitions.js';
import { stateConflict } from './order.machine.js';
import { insertMany, retryOnDeadlock } from './db.js';
import { lineShare } from './totals.js';
import { refundPayment } from './payment.service.js';

const RETURNABLE: ReadonlySet<string> = new Set(['shipped', 'delivered', 'completed']);

export const returnNotFound = () => new NotFoundError('RETURN_NOT_FOUND', 'No such return');

function returnConflict(current: ReturnStatus, action: string): ConflictError {
  return new ConflictError('RETURN_STATE_CONFLICT', `The return is ${current}; it cannot be ${action}`, { params: { currentState: current, action }, extra: { currentState: current, action } });
}

export async function requireReturn(ctx: TenantCtx, id: string): Promise<Return> {
  const r = await scoped(ctx, Return).findById(id);
  if (!r) throw returnNotFound();
  return r;
}

export async function returnLines(ctx: TenantCtx, returnId: string): Promise<ReturnLine[]> {
  return scoped(ctx, ReturnLine).where('return_id', returnId);
}

export async function requestReturn(ctx: TenantCtx, order: Order, input: { lines: { lineId: string; quantity: number }[]; reason: string; note?: string }): Promise<Return> {
  if (!RETURNABLE.has(order.status)) throw stateConflict(order.status, 'returned');
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    if (seen.has(l.lineId)) throw new InvalidError('VALIDATION_FAILED', 'A line is listed twice', { errors: [{ in: 'body', pointer: `/lines/${i}/lineId`, code: 'duplicate', message: 'body.lines names this line twice' }] });
    seen.add(l.lineId);
  });
  return retryOnDeadlock(ctx, () =>
    withTransaction(ctx, async (trx) => {
      const locked = await lockOrder(trx, order.id);
      if (!RETURNABLE.has(locked.status)) throw stateConflict(locked.status, 'returned');
      const orderLines = await scoped(trx, OrderLine).where('order_id', order.id);
      const shares = [];
      for (const [i, want] of input.lines.entries()) {
        const line = orderLines.find((l) => l.id === want.lineId);
        if (!line) throw new NotFoundError('ORDER_LINE_NOT_FOUND', 'No such line in this order', { errors: [{ in: 'body', pointer: `/lines/${i}/lineId`, code: 'unknown', message: 'body.lines names a line that is not on this order' }] });
        const n = await scoped(trx, OrderLine).patch({ returnedQuantity: raw('returned_quantity + ?', [want.quantity]) as unknown as number }).where('id', line.id).whereRaw('returned_quantity + ? <= shipped_quantity', [want.quantity]);
        if (n !== 1) {
          const now = (await scoped(trx, OrderLine).findById(line.id).forUpdate())!;
          throw new ConflictError('RETURN_EXCEEDS_SHIPPED', `Only ${now.shippedQuantity - now.returnedQuantity} of this line can still be returned`, {
            extra: { lineId: line.id, returnable: now.shippedQuantity - now.returnedQuantity, requested: want.quantity },
            errors: [{ in: 'body', pointer: `/lines/${i}/quantity`, code: 'maximum', message: 'body.lines asks to return more than was shipped and not yet returned' }],
          });
        }
        const after = (await scoped(trx, OrderLine).findById(line.id))!;
        shares.push(money(lineShare(line.totalAmount, line.quantity, after.returnedQuantity - want.quantity, want.quantity, order.currency), order.currency));
      }
      const returnId = newId();
      const refundAmount = sum(shares, order.currency).toMinor();
      await scoped(trx, Return).insert({
        id: returnId, orderId: order.id, customerId: order.customerId, status: 'requested', reason: input.reason, note: input.note ?? null, staffNote: null,
        currency: order.currency, refundAmount, restocked: false, approvedAt: null, rejectedAt: null, receivedAt: null, refundedAt: null,
      });
      await insertMany(trx, ReturnLine, input.lines.map((l) => ({ returnId, orderLineId: l.lineId, quantity: l.quantity })));
      await recordHistory(trx, order.id, { kind: 'return', message: `Return requested (${input.reason})`, key: 'returnRequested', vars: { reason: input.reason }, data: { returnId, lines: input.lines } });
      await emitEvent(trx, 'return.requested', { returnId, orderId: order.id, lines: input.lines, reason: input.reason });
      return (await scoped(trx, Return).findById(returnId))!;
    }),
  );
}

/** Moves a return from one of `from` to `to` with a conditional update; throws naming the current state otherwise. */
async function step(trx: TenantCtx, id: string, from: ReturnStatus[], to: ReturnStatus, action: string, patch: Partial<Return>): Promise<Return> {
  const current = await requireReturn(trx, id);
  if (!from.includes(current.status)) throw returnConflict(current.status, action);
  const n = await scoped(trx, Return).patch({ status: to, ...patch }).where('id', id).whereIn('status', from);
  if (n !== 1) throw returnConflict((await scoped(trx, Return).findById(id).forUpdate())?.status ?? current.status, action);
  return Object.assign(current, { status: to, ...patch });
}

export async function approveReturn(ctx: TenantCtx, id: string, note?: string): Promise<Return> {
  return withTransaction(ctx, async (trx) => {
    const r = await step(trx, id, ['requested'], 'approved', 'approved', { approvedAt: new Date().toISOString(), ...(note ? { staffNote: note } : {}) });
    await recordHistory(trx, r.orderId, { kind: 'return', message: 'Return approved', key: 'returnApproved', data: { returnId: id } });
    await emitEvent(trx, 'return.approved', { returnId: id, orderId: r.orderId });
    return r;
  });
}

/** Refused: the units it claimed can be returned again. */
export async function rejectReturn(ctx: TenantCtx, id: string, reason: string): Promise<Return> {
  return withTransaction(ctx, async (trx) => {
    const r = await step(trx, id, ['requested', 'approved'], 'rejected', 'rejected', { rejectedAt: new Date().toISOString(), staffNote: reason });
    for (const line of await returnLines(trx, id)) {
      await scoped(trx, OrderLine).patch({ returnedQuantity: raw('returned_quantity - ?', [line.quantity]) as unknown as number }).where('id', line.orderLineId);
    }
    await recordHistory(trx, r.orderId, { kind: 'return', message: `Return rejected: ${reason}`, key: 'returnRejected', vars: { reason }, data: { returnId: id } });
    await emitEvent(trx, 'return.rejected', { returnId: id, orderId: r.orderId, reason });
    return r;
  });
}

/** The goods are back; by default they go back into stock where they were sold from. */
export async function receiveReturn(ctx: TenantCtx, id: string, input: { restock?: boolean; note?: string }): Promise<Return> {
  const restock = input.restock ?? true;
  return retryOnDeadlock(ctx, () =>
    withTransaction(ctx, async (trx) => {
      const r = await step(trx, id, ['approved'], 'received', 'received', { receivedAt: new Date().toISOString(), restocked: restock, ...(input.note ? { staffNote: input.note } : {}) });
      if (restock) {
        const lines = await returnLines(trx, id);
        const orderLines = await scoped(trx, OrderLine).whereIn('id', lines.map((l) => l.orderLineId));
        for (const line of lines) {
          const ol = orderLines.find((o) => o.id === line.orderLineId)!;
          await adjustStock(trx, ol.variantId, { delta: line.quantity, reason: 'returned', locationId: ol.locationId, reference: r.orderId, note: `return ${id}` });
        }
      }
      await recordHistory(trx, r.orderId, { kind: 'return', message: restock ? 'Returned goods received and restocked' : 'Returned goods received', key: restock ? 'returnReceivedRestocked' : 'returnReceived', data: { returnId: id } });
      await emitEvent(trx, 'return.received', { returnId: id, orderId: r.orderId, restocked: restock });
      return r;
    }),
  );
}

/**
 * Refunds an approved or received return through the order's payment provider: by default the
 * returned lines' share of what was paid; staff may give a different amount (adding shipping,
 * keeping a restocking fee), never more than what is left to refund on the order.
 */
export async function refundReturn(ctx: TenantCtx, id: string, input: { amount?: number; reason?: string }): Promise<{ ret: Return; refund: Refund }> {
  const r = await requireReturn(ctx, id);
  if (r.status !== 'approved' && r.status !== 'received') throw returnConflict(r.status, 'refunded');
  const amount = input.amount ?? r.refundAmount;
  // Claim the refund first: two clicks never send two refunds to the provider.
  const claimed = await scoped(ctx, Return).patch({ refundedAt: new Date().toISOString() }).where('id', id).whereIn('status', ['approved', 'received']).whereNull('refunded_at');
  if (claimed !== 1) throw returnConflict((await requireReturn(ctx, id)).status === 'refunded' ? 'refunded' : r.status, 'refunded again');
  try {
    const refund = await refundPayment(ctx, r.orderId, { amount, reason: input.reason ?? `Return ${r.reason}`, returnId: id }, async (trx) => {
      await scoped(trx, Return).patch({ status: 'refunded', refundAmount: amount }).where('id', id);
      await recordHistory(trx, r.orderId, { kind: 'return', message: 'Return refunded', key: 'returnRefunded', data: { returnId: id, amount } });
    });
    return { ret: await requireReturn(ctx, id), refund };
  } catch (err) {
    await scoped(ctx, Return).patch({ refundedAt: null }).where('id', id).whereNot('status', 'refunded');
    throw err;
  }
}

export async function listReturns(ctx: TenantCtx, f: { limit: number; cursor?: string; status?: ReturnStatus; orderId?: string }): Promise<{ items: Return[]; nextCursor: string | null }> {
  const q = scoped(ctx, Return);
  if (f.status) q.where('status', f.status);
  if (f.orderId) q.where('order_id', f.orderId);
  const after = decodeCursor(f.cursor, 1);
  if (after) q.where('id', '<', String(after[0]));
  const rows = await q.orderBy('id', 'desc').limit(f.limit + 1);
  const items = rows.slice(0, f.limit);
  return { items, nextCursor: rows.length > f.limit ? encodeCursor([items[items.length - 1].id]) : null };
}

export { requireOrder };
