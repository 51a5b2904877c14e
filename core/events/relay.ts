// The relay moves committed outbox rows to the queue, one job per (event, subscriber), then
// marks them relayed. Two triggers: a kick right after the emitting transaction commits, and a
// poll (worker role) that picks up whatever the kick could not send, e.g. while Redis was down.
// A row is marked only after its jobs are queued, so nothing is lost; a job queued twice is
// harmless (job ids deduplicate, and subscribers keep receipts). A job the queue loses after that
// (a Redis failover, the embedded queue's process stopping) is found by the recheck and queued again.
import type { Kernel } from '../kernel.js';
import type { Tenant } from '../context.js';
import type { Knex } from '../db/knex.js';
import type { EventBus } from './bus.js';
import { EVENTS_QUEUE, type EventJob } from './runner.js';
import type { Subscriber } from './event.types.js';
import type { JobOptions } from './queue.js';

interface Row {
  tenant_id: string;
  id: string;
  type: string;
  request_id: string | null;
}

const COLUMNS = ['tenant_id', 'id', 'type', 'request_id'];

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

function jobOf(row: Row, s: Subscriber): EventJob {
  return { tenantId: row.tenant_id, eventId: row.id, type: row.type, requestId: row.request_id ?? 'event', subscriber: s.name };
}

/** One job per (event, subscriber): its id deduplicates a second relay or a recheck. */
function jobOptions(row: Row, s: Subscriber): JobOptions {
  return { jobId: `${row.id}:${s.name}`, attempts: s.attempts ?? 8, backoffMs: s.backoffMs ?? 1000 };
}

/** MariaDB gives Dates, SQLite epoch milliseconds. */
function asDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as number | string);
}

export class Relay {
  private readonly pending = new Map<string, { tenant: Tenant; rows: Map<string, Row> }>();
  private readonly inflight = new Set<Promise<unknown>>();
  private scheduled = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private downSince: number | null = null;
  /** Per database: relayed events up to this time have been rechecked. */
  private readonly checkedUpTo = new Map<Knex, Date>();

  constructor(
    private readonly kernel: Kernel,
    private readonly bus: EventBus,
  ) {}

  private track<T>(p: Promise<T>): Promise<T> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /** The emitter hands over what the row says (it just committed it), so the kick reads nothing back. */
  kick(tenant: Tenant, event: { id: string; type: string; requestId: string | null }): void {
    if (this.stopped) return;
    const entry = this.pending.get(tenant.id) ?? { tenant, rows: new Map<string, Row>() };
    entry.rows.set(event.id, { tenant_id: tenant.id, id: event.id, type: event.type, request_id: event.requestId });
    this.pending.set(tenant.id, entry);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.track(this.flush()).catch((err: Error) => this.kernel.log.warn({ err: err.message }, 'event relay kick failed; the poll will retry'));
    });
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const { tenant, rows } of batch) {
      if (this.stopped) return;
      // A store being moved between databases is read-only: the poll relays its events after.
      if ((await this.kernel.tenants.byId(tenant.id))?.movingTo) continue;
      // Not read back from the outbox (issue 27: a round trip per kick): the rows committed as the
      // emitter described them. Should the poll have relayed one meanwhile, its jobs are queued
      // again under the same job ids, which deduplicate.
      if (!(await this.send(this.kernel.pool.forTenant(tenant), [...rows.values()]))) return;
    }
  }

  /** One pass over every database, oldest pending events first. */
  async poll(): Promise<number> {
    let sent = 0;
    for (const db of this.kernel.pool.all()) {
      for (;;) {
        if (this.stopped) return sent;
        const rows = (await db('outbox').select(COLUMNS).whereNull('relayed_at').orderBy('created_at').limit(this.bus.options.batch)) as Row[];
        if (!rows.length) break;
        const ready = await this.notMoving(rows);
        const ok = await this.send(db, ready);
        sent += ok ? ready.length : 0;
        if (!ok || rows.length < this.bus.options.batch || ready.length < rows.length) break;
      }
    }
    return sent;
  }

  /** The rows whose store is not being moved between databases (those wait for the next poll). */
  private async notMoving(rows: Row[]): Promise<Row[]> {
    const moving = new Set<string>();
    for (const id of new Set(rows.map((r) => r.tenant_id))) if ((await this.kernel.tenants.byId(id))?.movingTo) moving.add(id);
    return moving.size ? rows.filter((r) => !moving.has(r.tenant_id)) : rows;
  }

  /**
   * Queues again the jobs the queue lost after their events were marked relayed. A Redis failover
   * keeps only what reached the replica, and the embedded in-process queue forgets everything when
   * its process stops; the outbox row then says "relayed" of a job that no longer exists. Each
   * relayed event is looked at once, `recheckAfterMs` after its relay (from `recheckLookbackMs`
   * back when the process starts): every subscriber it goes to that holds no receipt and whose
   * job the queue does not know gets that job again, under the same job id. Returns how many.
   */
  async recheck(afterMs = this.bus.options.recheckAfterMs, maxBatches = Infinity): Promise<number> {
    let requeued = 0;
    let batches = 0;
    const end = new Date(Date.now() - afterMs);
    for (const db of this.kernel.pool.all()) {
      let from = this.checkedUpTo.get(db) ?? new Date(Date.now() - this.bus.options.recheckLookbackMs);
      while (from < end && !this.stopped && batches++ < maxBatches) {
        const limit = this.bus.options.batch;
        const rows = (await db('outbox').select([...COLUMNS, 'relayed_at']).where('relayed_at', '>', from).andWhere('relayed_at', '<=', end).orderBy('relayed_at').limit(limit)) as (Row & { relayed_at: unknown })[];
        let upTo = end;
        let slice: Row[] = rows;
        if (rows.length === limit) {
          // One relay pass marks its rows with one timestamp: finish the last one's rows whole.
          upTo = asDate(rows[rows.length - 1].relayed_at);
          slice = [...rows.filter((r) => asDate(r.relayed_at) < upTo), ...((await db('outbox').select(COLUMNS).where('relayed_at', upTo)) as Row[])];
        }
        // The queue not answering throws here, and the same window is looked at next time.
        requeued += await this.requeueLost(db, slice);
        from = upTo;
        this.checkedUpTo.set(db, from);
      }
    }
    return requeued;
  }

  private async requeueLost(db: Knex, rows: Row[]): Promise<number> {
    const expected: { row: Row; subscriber: Subscriber }[] = [];
    for (const row of rows) for (const s of await this.bus.targets(row.tenant_id, row.type)) expected.push({ row, subscriber: s });
    if (!expected.length) return 0;
    const receipts = new Set<string>();
    const byTenant = new Map<string, { subscribers: Set<string>; events: Set<string> }>();
    for (const { row, subscriber } of expected) {
      const t = byTenant.get(row.tenant_id) ?? { subscribers: new Set<string>(), events: new Set<string>() };
      t.subscribers.add(subscriber.name);
      t.events.add(row.id);
      byTenant.set(row.tenant_id, t);
    }
    for (const [tenantId, t] of byTenant) {
      const got = (await db('handled_events').select('subscriber', 'event_id').where('tenant_id', tenantId).whereIn('subscriber', [...t.subscribers]).whereIn('event_id', [...t.events])) as { subscriber: string; event_id: string }[];
      for (const r of got) receipts.add(`${tenantId}:${r.event_id}:${r.subscriber}`);
    }
    let requeued = 0;
    for (const { row, subscriber } of expected) {
      if (receipts.has(`${row.tenant_id}:${row.id}:${subscriber.name}`)) continue;
      const jobId = `${row.id}:${subscriber.name}`;
      if (await withTimeout(this.kernel.queue.has(EVENTS_QUEUE, jobId), this.bus.options.enqueueTimeoutMs)) continue;
      await withTimeout(this.kernel.queue.add(EVENTS_QUEUE, jobOf(row, subscriber) as unknown as Record<string, unknown>, jobOptions(row, subscriber)), this.bus.options.enqueueTimeoutMs);
      this.kernel.log.warn({ eventId: row.id, type: row.type, subscriber: subscriber.name }, 'an event relayed earlier had no job in the queue (lost by Redis or a restart); queued again');
      requeued++;
    }
    return requeued;
  }

  /** Queues the rows' jobs and marks them relayed; false when the queue is unreachable. */
  private async send(db: Knex, rows: Row[]): Promise<boolean> {
    if (!rows.length) return true;
    const queued: Row[] = [];
    let ok = true;
    for (const row of rows) {
      const targets = await this.bus.targets(row.tenant_id, row.type);
      try {
        await withTimeout(
          Promise.all(
            targets.map((s) => this.kernel.queue.add(EVENTS_QUEUE, jobOf(row, s) as unknown as Record<string, unknown>, jobOptions(row, s))),
          ),
          this.bus.options.enqueueTimeoutMs,
        );
        queued.push(row);
      } catch (err) {
        ok = false;
        if (this.downSince === null) {
          this.downSince = Date.now();
          this.kernel.log.warn({ err: (err as Error).message }, 'event queue unreachable; events stay in the outbox until it is back');
        }
        break;
      }
    }
    const byTenant = new Map<string, string[]>();
    for (const r of queued) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.id]);
    for (const [tenantId, ids] of byTenant) await db('outbox').where('tenant_id', tenantId).whereIn('id', ids).update({ relayed_at: new Date() });
    if (ok && this.downSince !== null) {
      this.kernel.log.info({ downForMs: Date.now() - this.downSince }, 'event queue reachable again; relaying');
      this.downSince = null;
    }
    return ok;
  }

  start(): void {
    if (this.timer || this.stopped) return;
    const loop = async () => {
      if (this.stopped) return;
      try {
        await this.track(this.poll());
        // A few batches a turn, so a long lookback after a start never holds up the poll.
        await this.track(this.recheck(undefined, 5)).catch((err: Error) => this.kernel.log.debug({ err: err.message }, 'event recheck stopped; it goes on next time'));
      } catch (err) {
        if (!this.stopped) this.kernel.log.warn({ err: (err as Error).message }, 'event relay poll failed');
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => void loop(), this.bus.options.pollMs);
      this.timer.unref();
    };
    this.timer = setTimeout(() => void loop(), 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inflight]);
  }
}
