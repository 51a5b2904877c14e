// The relay moves committed outbox rows to the queue, one job per (event, subscriber), then
// marks them relayed. Two triggers: a kick right after the emitting transaction commits, and a
// poll (worker role) that picks up whatever the kick could not send, e.g. while Redis was down.
// A row is marked only after its jobs are queued, so nothing is lost; a job queued twice is
// harmless (job ids deduplicate, and subscribers keep receipts).
import type { Kernel } from '../kernel.js';
import type { Tenant } from '../context.js';
import type { Knex } from '../db/knex.js';
import type { EventBus } from './bus.js';
import { EVENTS_QUEUE, type EventJob } from './runner.js';

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

export class Relay {
  private readonly pending = new Map<string, { tenant: Tenant; rows: Map<string, Row> }>();
  private readonly inflight = new Set<Promise<unknown>>();
  private scheduled = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private downSince: number | null = null;

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
            targets.map((s) => {
              const job: EventJob = { tenantId: row.tenant_id, eventId: row.id, type: row.type, requestId: row.request_id ?? 'event', subscriber: s.name };
              return this.kernel.queue.add(EVENTS_QUEUE, job as unknown as Record<string, unknown>, { jobId: `${row.id}:${s.name}`, attempts: s.attempts ?? 8, backoffMs: s.backoffMs ?? 1000 });
            }),
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
