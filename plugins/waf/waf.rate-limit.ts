// Rate limits per client address, store and route class, counted in the shared cache (Redis in
// production) so every web process counts together. Windows are fixed and start at a key's
// first request, like the cache's counters.
//
// A round trip per request would cost more than inspecting it, so each process counts locally
// and reports to the shared counter in batches of limit/100 (at least 1): login and checkout
// limits (tens a minute) are counted exactly, request by request; a limit of 1,200 a minute is
// reported every 12 requests of one address, and may be overshot by at most 11 requests per web
// process. Once a key is over, this process answers the rest of its window without asking.
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
}

const PASS: RateDecision = { limited: false };
const SWEEP_AT = 50_000;

export function batchSize(limit: number): number {
  return Math.max(1, Math.floor(limit / 100));
}

export class RateLimiter {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly cache: PluginCache) {}

  async hit(ctx: TenantCtx, klass: RouteClass, ip: string, rule: ClassLimit | undefined): Promise<RateDecision> {
    if (!rule || rule.limit <= 0) return PASS;
    const now = Date.now();
    const batch = batchSize(rule.limit);
    const local = `${ctx.tenant.id}|${klass}|${rule.windowSeconds}|${batch}|${ip}`;
    let slot = this.slots.get(local);
    if (slot === undefined || slot.resetAt <= now) {
      if (this.slots.size >= SWEEP_AT) this.sweep(now);
      slot = { resetAt: now + rule.windowSeconds * 1000, pending: 0, units: 0, tripped: false };
      this.slots.set(local, slot);
    }
    slot.pending += 1;
    if (slot.units * batch + slot.pending > rule.limit) return this.refuse(slot, now);
    if (slot.pending < batch) return PASS;

    slot.pending -= batch;
    const shared = await this.cache.incr(ctx, `rl:${klass}:${rule.windowSeconds}:${batch}:${ip}`, rule.windowSeconds);
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

  private sweep(now: number): void {
    for (const [k, s] of this.slots) if (s.resetAt <= now) this.slots.delete(k);
    if (this.slots.size >= SWEEP_AT) this.slots.clear();
  }
}
