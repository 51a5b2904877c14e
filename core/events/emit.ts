// emitEvent(): the only way to publish a domain event. The row goes into the outbox on ctx.db,
// so it commits or rolls back with the caller's change; the relay is kicked once it commits.
import type { Actor, Ctx } from '../context.js';
import { requireTenant } from '../context.js';
import type { Knex } from '../db/knex.js';
import { newId } from '../db/ids.js';
import { deferWrite } from '../db/batching.js';
import { OutboxEvent } from './event.model.js';
import { isEventType, type EventPayload } from './event.types.js';

export function actorLabel(actor: Actor): string {
  if ('id' in actor) return `${actor.type}:${actor.id}`;
  return actor.type === 'system' ? `system:${actor.name}` : actor.type;
}

/** Runs fn once the transaction ctx.db belongs to has committed (now, if there is none); never on rollback. */
export function afterCommit(ctx: Pick<Ctx, 'db'>, fn: () => unknown): void {
  let trx = ctx.db as Knex.Transaction;
  if (!trx.isTransaction) {
    setImmediate(() => void Promise.resolve().then(fn).catch(() => undefined));
    return;
  }
  // A savepoint's promise settles when the savepoint is released; wait for the outermost commit.
  while (trx.parentTransaction) trx = trx.parentTransaction;
  trx.executionPromise.then(
    () => void Promise.resolve().then(fn).catch(() => undefined),
    () => undefined,
  );
}

/**
 * Writes `type` with `payload` to the outbox in the caller's transaction and returns the event
 * id. Names are `domain.pastTense`: `order.placed`, `return.requested`.
 */
export async function emitEvent<T extends string>(ctx: Ctx, type: T, payload: EventPayload<T>): Promise<string> {
  const tctx = requireTenant(ctx);
  if (!isEventType(type)) throw new Error(`event type "${type}" is not domain.pastTense (order.placed, merchant.approved)`);
  const id = newId();
  // Plain knex, the row as the model wrote it, tenant stamped (objection's builder cost as much as
  // the statement); deferred: in a transaction it rides with the next statement (issue 27).
  await deferWrite(tctx, tctx.db(OutboxEvent.tableName).insert({
    id,
    tenant_id: tctx.tenant.id,
    type,
    payload: JSON.stringify(payload),
    request_id: ctx.requestId,
    actor: actorLabel(ctx.actor),
    created_at: new Date(),
    relayed_at: null,
  }));
  const bus = ctx.kernel.events;
  afterCommit(ctx, () => bus.kick(tctx.tenant, { id, type, requestId: ctx.requestId }));
  return id;
}
