// The subscriber runner: one queue job per (event, subscriber). The job carries ids only; the
// worker rebuilds a fresh ctx from the database, reads the event from the outbox and runs the
// subscriber inside the transaction that records its receipt.
import type { Kernel } from '../kernel.js';
import { createSystemCtx, requireTenant } from '../context.js';
import { scoped } from '../db/model.js';
import type { EventBus } from './bus.js';
import { OutboxEvent } from './event.model.js';
import type { DomainEvent } from './event.types.js';
import { runOnce } from './once.js';
import { assertWritable } from '../errors.js';

export const EVENTS_QUEUE = 'events';

export interface EventJob {
  tenantId: string;
  eventId: string;
  type: string;
  requestId: string;
  subscriber: string;
}

export type JobOutcome = 'handled' | 'duplicate' | 'skipped';

export async function runSubscriberJob(kernel: Kernel, bus: EventBus, job: EventJob): Promise<JobOutcome> {
  const sub = bus.subscriber(job.subscriber);
  if (!sub) {
    kernel.log.warn({ subscriber: job.subscriber, eventId: job.eventId }, 'event job for an unknown subscriber dropped');
    return 'skipped';
  }
  const tenant = await kernel.tenants.byId(job.tenantId);
  if (!tenant) return 'skipped';
  // Being moved between databases: the queue retries this after the move.
  assertWritable(tenant);
  // A plugin switched off after the event was relayed: its subscriber does not run for this tenant.
  if (sub.source !== 'core' && bus.gate && !(await bus.gate(tenant.id, sub.source))) return 'skipped';
  const ctx = requireTenant(createSystemCtx(kernel, tenant, { requestId: job.requestId, actor: { type: 'system', name: `subscriber:${sub.name}` } }));
  const row = await scoped(ctx, OutboxEvent).findById(job.eventId);
  if (!row) return 'skipped';
  const event: DomainEvent<string, Record<string, unknown>> = {
    id: row.id,
    type: row.type,
    tenantId: tenant.id,
    payload: row.payload,
    requestId: row.requestId,
    actor: row.actor,
    createdAt: row.createdAt,
  };
  const started = Date.now();
  try {
    const result = await runOnce(ctx, sub.name, event.id, (trx) => sub.handle(trx, event as never));
    if (result.done) ctx.log.debug({ subscriber: sub.name, event: event.type, eventId: event.id, ms: Date.now() - started }, 'event handled');
    return result.done ? 'handled' : 'duplicate';
  } catch (err) {
    ctx.log.warn({ subscriber: sub.name, event: event.type, eventId: event.id, err }, 'subscriber failed; the queue retries it');
    throw err;
  }
}
