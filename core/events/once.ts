// Once-only work: a receipt row in handled_events, inserted in the same transaction as the
// work. A retry (or a racing twin) finds the receipt and does nothing.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { isUniqueViolation } from '../errors.js';
import { HandledEvent } from './event.model.js';

export type OnceResult<T> = { done: true; value: T } | { done: false };

/**
 * Runs fn once per (tenant, scope, id): a subscriber and an event id, or a payment plugin and a
 * provider's event id. fn gets ctx bound to the transaction that holds the receipt.
 */
export async function runOnce<T>(ctx: TenantCtx, scope: string, id: string, fn: (trx: TenantCtx) => Promise<T>): Promise<OnceResult<T>> {
  if (!scope || scope.length > 100) throw new Error(`runOnce scope must be 1-100 characters (got "${scope}")`);
  if (!id || id.length > 191) throw new Error(`runOnce id must be 1-191 characters`);
  return withTransaction(ctx, async (trx) => {
    try {
      await scoped(trx, HandledEvent).insert({ subscriber: scope, eventId: id, handledAt: new Date().toISOString() });
    } catch (err) {
      if (isUniqueViolation(err)) return { done: false } as const;
      throw err;
    }
    return { done: true, value: await fn(trx) } as const;
  });
}

/** Whether a receipt exists (tests and diagnostics). */
export async function wasHandled(ctx: TenantCtx, scope: string, id: string): Promise<boolean> {
  return Boolean(await scoped(ctx, HandledEvent).where({ subscriber: scope, event_id: id }).first());
}
