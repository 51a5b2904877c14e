// Rate limits per client address, store and route class, counted in the shared cache (Redis in
// production) so every web process counts together. Windows are fixed and start at a key's
// first request, like the cache's counters.
//
// A round trip per request would cost more than inspecting it, so each process counts locally
// and reports to the shared counter in batches of limit/50 (at least 1). Login and checkout
// limits (tens a minute) are counted exactly: every request is reported and waits for the shared
// count. Larger limits are reported in the background: the reports of the next FLUSH_MS go out
// together (ioredis pipelines the commands of one tick: one round trip for all of them) and the
// request that filled a batch does not wait. Meanwhile each process counts its own batches as
// reported, so it alone never lets more than the limit through; across processes a limit of
// 1,200 a minute may be overshot by less than a batch (2%) per web process, plus what other
// processes let through in the FLUSH_MS before their reports arrive. Once a key is over, this
// process answers the rest of its window without asking.
import type { PluginCache, TenantCtx } from '../../core/public.js';
import type { ClassLimit, RouteClass } from './waf.settings.js';

export type RateDecision = { limited: false } | { limited: true; retryAfter: number; first: boolean };

interface Slot {
  resetAt: number;
  /** Requests seen here and not yet reported. */
  pending: number;
  /** The shared counter as last read: batches reported by every process. */
  units: number;
  /** Batches of this process sent (or about to be) whose shared count has not come back yet. */
  inflight: number;
  tripped: boolean;
  /** The rule the slot counts for; a changed rule starts a new count. */
  limit: number;
  windowSeconds: number;
}

const PASS: RateDecision = { limited: false };
const SWEEP_AT = 50_000;
/** How long reports of large limits wait to go out together. */
export const FLUSH_MS = 10;

interface Report {
  ctx: TenantCtx;
  key: string;
  slot: Slot;
  rule: ClassLimit;
  now: number;
}

export function batchSize(limit: number): number {
  return Math.max(1, Math.floor(limit / 50));
}

/** Over the limit: what every process reported, this process's batches on their way, and its own count since. */
function over(slot: Slot, batch: number, rule: ClassLimit): boolean {
  return (slot.units + slot.inflight) * batch + slot.pending > rule.limit;
}

function learn(slot: Slot, shared: { count: number; ttlSeconds: number }, now: number): void {
  slot.units = Math.max(slot.units, shared.count);
  // The shared window is the authority on when counting starts again.
  slot.resetAt = Math.min(slot.resetAt, now + Math.max(1, shared.ttlSeconds) * 1000);
}

/** Local counts by store, route class and address (nested maps: no key string built per request). */
type Slots = Map<string, Map<RouteClass, Map<string, Slot>>>;

export class RateLimiter {
  private readonly slots: Slots = new Map();
  private size = 0;
  private queue: Report[] = [];
  private timer: NodeJS.Timeout | undefined;

  /** Told when a background report fails (its batch is not counted: the filter fails open). */
  onReportError: (ctx: TenantCtx, err: unknown) => void = () => undefined;

  constructor(private readonly cache: PluginCache) {}

  private slotsOf(tenantId: string, klass: RouteClass): Map<string, Slot> {
    let byClass = this.slots.get(tenantId);
    if (byClass === undefined) {
      byClass = new Map();
      this.slots.set(tenantId, byClass);
    }
    let byIp = byClass.get(klass);
    if (byIp === undefined) {
      byIp = new Map();
      byClass.set(klass, byIp);
    }
    return byIp;
  }

  /** Synchronous unless this request reports a batch to the shared counter. */
  hit(ctx: TenantCtx, klass: RouteClass, ip: string, rule: ClassLimit | undefined): RateDecision | Promise<RateDecision> {
    if (!rule || rule.limit <= 0) return PASS;
    const now = Date.now();
    const batch = batchSize(rule.limit);
    const byIp = this.slotsOf(ctx.tenant.id, klass);
    let slot = byIp.get(ip);
    if (slot === undefined || slot.resetAt <= now || slot.limit !== rule.limit || slot.windowSeconds !== rule.windowSeconds) {
      if (slot === undefined) {
        if (this.size >= SWEEP_AT) this.sweep(now);
        this.size += 1;
      }
      slot = { resetAt: now + rule.windowSeconds * 1000, pending: 0, units: 0, inflight: 0, tripped: false, limit: rule.limit, windowSeconds: rule.windowSeconds };
      byIp.set(ip, slot);
    }
    slot.pending += 1;
    if (over(slot, batch, rule)) return this.refuse(slot, now);
    if (slot.pending < batch) return PASS;

    slot.pending -= batch;
    const key = `rl:${klass}:${rule.windowSeconds}:${batch}:${ip}`;
    if (batch === 1) return this.report(ctx, key, slot, rule, now);
    slot.inflight += 1;
    this.queue.push({ ctx, key, slot, rule, now });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
    return PASS;
  }

  /** Small limits: the request waits for the shared count. */
  private async report(ctx: TenantCtx, key: string, slot: Slot, rule: ClassLimit, now: number): Promise<RateDecision> {
    learn(slot, await this.cache.incr(ctx, key, rule.windowSeconds), now);
    if (over(slot, 1, rule)) return this.refuse(slot, now);
    return PASS;
  }

  /** Sends the waiting reports of large limits, all in one tick; resolves when their answers are in. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const queue = this.queue;
    this.queue = [];
    const sent = queue.map((r) =>
      this.cache.incr(r.ctx, r.key, r.rule.windowSeconds).then(
        (shared) => {
          r.slot.inflight -= 1;
          learn(r.slot, shared, r.now);
        },
        (err: unknown) => {
          r.slot.inflight -= 1;
          this.onReportError(r.ctx, err);
        },
      ),
    );
    return Promise.all(sent).then(() => undefined);
  }

  private refuse(slot: Slot, now: number): RateDecision {
    const first = !slot.tripped;
    slot.tripped = true;
    return { limited: true, retryAfter: Math.max(1, Math.ceil((slot.resetAt - now) / 1000)), first };
  }

  /** Forgets finished windows, then if need be half of the rest (their counts live on in the shared store). */
  private sweep(now: number): void {
    let drop = 0;
    for (const pass of [0, 1]) {
      for (const byClass of this.slots.values()) {
        for (const byIp of byClass.values()) {
          for (const [ip, slot] of byIp) {
            if (pass === 0 ? slot.resetAt <= now : drop-- > 0) {
              byIp.delete(ip);
              this.size -= 1;
            }
          }
        }
      }
      if (pass === 0) {
        if (this.size < SWEEP_AT / 2) return;
        drop = this.size / 2;
      }
    }
  }
}
