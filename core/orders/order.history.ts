// The order's timeline: every change, who made it and when. Staff see all of it; the customer
// sees the entries marked public (status, shipments, returns, refunds), without staff ids.
import type { Ctx, TenantCtx } from '../context.js';
import { insertMany } from './db.js';
import { OrderHistory } from './order.model.js';

export type HistoryKind = 'placed' | 'status' | 'payment' | 'fulfilment' | 'shipment' | 'return' | 'refund' | 'note' | 'review';

/** Kinds a customer sees on their order. */
export const PUBLIC_KINDS: ReadonlySet<string> = new Set(['placed', 'status', 'shipment', 'return', 'refund']);

/** A timeline message in the reader's language: its key's text when it has one, else the message as written. */
export function historyMessage(t: ((key: string, opts?: Record<string, unknown>) => string) | undefined, h: { message: string | null; messageKey?: string | null; messageVars?: Record<string, unknown> | null }): string | null {
  if (!t || !h.messageKey) return h.message;
  return t(`orders:timeline.${h.messageKey}`, { ...(h.messageVars ?? {}), defaultValue: h.message ?? '' });
}

export function actorOf(ctx: Ctx): { actorType: string; actorId: string | null } {
  const a = ctx.actor;
  if (a.type === 'system') return { actorType: 'system', actorId: a.name };
  if (a.type === 'anonymous') return { actorType: 'guest', actorId: null };
  return { actorType: a.type, actorId: a.id };
}

export async function recordHistory(
  ctx: TenantCtx,
  orderId: string,
  entry: { kind: HistoryKind; from?: string | null; to?: string | null; message?: string | null; key?: string; vars?: Record<string, unknown>; data?: Record<string, unknown> | null },
): Promise<OrderHistory> {
  // insertMany: the same row without objection's insert builder; deferred: nothing reads the
  // insert's result, so in a transaction it rides with the next statement (issue 27).
  const [row] = await insertMany(ctx, OrderHistory, [{
    orderId,
    kind: entry.kind,
    fromStatus: entry.from ?? null,
    toStatus: entry.to ?? null,
    message: entry.message?.slice(0, 1000) ?? null,
    messageKey: entry.key ?? null,
    messageVars: entry.vars ?? null,
    data: entry.data ?? null,
    ...actorOf(ctx),
    createdAt: new Date().toISOString(),
  }], { deferred: true });
  return row;
}
