// Rate limits per client address, store and route class, counted in the shared cache (Redis in
// production) so every web process counts together. Windows are fixed and start at a key's
// first request, like the cache's counters.
//
// A round trip per request would cost more than inspecting it, so each process counts locally
// and reports to the shared counter in batches of limit/50 (at least 1): login and checkout
// limits (tens a minute) are counted exactly, request by request; a limit of 1,200 a minute is
// reported every 24 requests of one address (a shopper browsing a few pages never causes a
// round trip), and may be overshot by at most 23 requests (2%) per web process. Once a key is
// over, this process answers the rest of its window without asking.
import type { PluginCache, TenantCtx } from '../../core/public.js';
import type { ClassLimit, RouteClass } from './waf.settings.js';

export type RateDecision = { limited: false } | { limited: true; retryAfter: number; first: boolean };

interface Slot {
  resetAt: number;
  /** Requests seen here and not yet reported. */
  pending: number;
  /** The shared counter as last read: batches reported by every process. */
  units: number;
  tripped: boolean;
  /** The rule the slot counts for; a changed rule starts a new count. */
  limit: number;
  windowSeconds: number;
}

const PASS: RateDecision = { limited: false };
const SWEEP_AT = 50_000;

export function batchSize(limit: number): number {
  return Math.max(1, Math.floor(limit / 50));
}

/** Local counts by store, route class and address (nested maps: no key string built per request). */
type Slots = Map<string, Map<RouteClass, Map<string, Slot>>>;

export class RateLimiter {
  private readonly slots: Slots = new Map();
  private size = 0;

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
      slot = { resetAt: now + rule.windowSeconds * 1000, pending: 0, units: 0, tripped: false, limit: rule.limit, windowSeconds: rule.windowSeconds };
      byIp.set(ip, slot);
    }
    slot.pending += 1;
    if (slot.units * batch + slot.pending > rule.limit) return this.refuse(slot, now);
    if (slot.pending < batch) return PASS;

    slot.pending -= batch;
    return this.report(ctx, `rl:${klass}:${rule.windowSeconds}:${batch}:${ip}`, slot, rule, batch, now);
  }

  private async report(ctx: TenantCtx, key: string, slot: Slot, rule: ClassLimit, batch: number, now: number): Promise<RateDecision> {
    const shared = await this.cache.incr(ctx, key, rule.windowSeconds);
    slot.units = Math.max(slot.units, shared.count);
    // The shared window is the authority on when counting starts again.
    slot.resetAt = Math.min(slot.resetAt, now + Math.max(1, shared.ttlSeconds) * 1000);
    if (slot.units * batch + slot.pending > rule.limit) return this.refuse(slot, now);
    return PASS;
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
