// Rate limits per client address, store and route class, counted in the shared cache (Redis in
// production) so every web process counts together. Windows are fixed and start at a key's
// first request, like the cache's counters.
//
// A round trip per request would cost more than inspecting it, so each process counts locally
// and reports to the shared counter in batches of limit/50 (at least 1). Login and checkout
// limits (tens a minute) are counted exactly: every request is reported and waits for the shared
// count. Larger limits are reported in the background: the reports of the next FLUSH_MS go out
// together as one command, and the request that filled a batch does not wait. A command costs
// far more than the counters it carries (measured on Redis: about 95 µs of CPU a call between
// client and server, 2 µs a key), so an ordinary shopper's reports wait up to FLUSH_MS (100 ms);
// once a key has used half its limit, they go out within URGENT_FLUSH_MS (10 ms), so that the
// other processes learn of a client pressing on the limit in time. Meanwhile each process counts
// its own batches as reported, so it alone never lets more than the limit through; across
// processes a limit of 1,200 a minute may be overshot by less than a batch (2%) per web process,
// plus what other processes let through in the URGENT_FLUSH_MS before their reports arrive. Once
// a key is over, this process answers the rest of its window without asking.
//
// The local counts live in one open-addressing table of 64-byte entries (typed arrays), keyed by
// store, route class and address: a request reads one cache line for its count. With thousands
// of shoppers, a count is never in the CPU's caches when its shopper comes back, and on a VM
// each line fetched from memory costs a few hundred ns; counts held as objects in nested maps
// cost five or six such lines per request (map, hash table, key, objects), which made the
// limiter the filter's largest cost served (bench/RESULTS.md).
import type { PluginCache, TenantCtx } from '@bazaar/sdk';
import { plainIPv4 } from './engine/index.js';
import type { ClassLimit, RouteClass } from './waf.settings.js';

export type RateDecision = { limited: false } | { limited: true; retryAfter: number; first: boolean };

/** The answer for a request within its limit: shared, so frozen. */
export const NOT_LIMITED: RateDecision = Object.freeze({ limited: false });
/** Most counts held at once; past it, finished windows go first, then half of the rest (their counts live on in the shared store). */
const MAX_SLOTS = 65_536;
/** How long reports of large limits wait to go out together. */
export const FLUSH_MS = 100;
/** The same for a key past half its limit. */
export const URGENT_FLUSH_MS = 10;

const CLASS_INDEX: Record<RouteClass, number> = { login: 0, checkout: 1, search: 2, default: 3 };

// One entry: 16 int32 (64 bytes); the window's end as a float64 in the same bytes.
const INTS = 16;
const TAG = 0; // store index * 4 + class + 1; 0 = free
const ADDR = 1; // the IPv4 address as a number, else a hash of the address text
const FLAGS = 2; // V4 | TRIPPED
const PENDING = 3; // requests seen here and not yet reported
const UNITS = 4; // the shared counter as last read: batches reported by every process
const INFLIGHT = 5; // batches of this process sent (or about to be) whose shared count has not come back
const LIMIT = 6; // the rule the count is for; a changed rule starts a new count
const WINDOW = 7;
const GEN = 10; // which window of the key this is: a report of an earlier one leaves the count alone
const RESET_AT = 4; // float64 index within the entry (int32 8-9)
const V4 = 1;
const TRIPPED = 2;

/** A store's place in the table (`RateLimiter.storeOf`): kept beside its settings, it spares a lookup by id. */
export interface StoreSlots {
  readonly index: number;
}

/** Which count a report is for: found again when its answer arrives (the table may have moved). */
interface Key {
  tag: number;
  addr: number;
  v4: boolean;
  text: string;
  /** The window it was counted in. */
  gen: number;
}

interface Report extends Key {
  ctx: TenantCtx;
  key: string;
  rule: ClassLimit;
  now: number;
}

export function batchSize(limit: number): number {
  return Math.max(1, Math.floor(limit / 50));
}

/** Over the limit: what every process reported, this process's batches on their way, and its own count since. */
function isOver(ints: Int32Array, i: number, batch: number, limit: number): boolean {
  return (ints[i + UNITS] + ints[i + INFLIGHT]) * batch + ints[i + PENDING] > limit;
}

function textHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

function bucketOf(tag: number, addr: number, mask: number): number {
  let h = Math.imul(addr ^ Math.imul(tag, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return h & mask;
}

/** Open addressing with linear probing; entries are never removed one by one, the table is rebuilt. */
class SlotTable {
  ints: Int32Array;
  times: Float64Array;
  /** Address text of entries whose address is not a plain IPv4 (compared on lookup). */
  texts: (string | undefined)[];
  mask: number;
  count = 0;

  constructor(capacity: number) {
    const buffer = new ArrayBuffer(capacity * INTS * 4);
    this.ints = new Int32Array(buffer);
    this.times = new Float64Array(buffer);
    this.texts = [];
    this.mask = capacity - 1;
  }

  /** The entry of the key, or -(free entry) - 1 where it would go. */
  find(tag: number, addr: number, v4: boolean, text: string): number {
    const ints = this.ints;
    for (let e = bucketOf(tag, addr, this.mask); ; e = (e + 1) & this.mask) {
      const i = e * INTS;
      const t = ints[i + TAG];
      if (t === 0) return -e - 1;
      if (t === tag && ints[i + ADDR] === addr && ((ints[i + FLAGS] & V4) !== 0) === v4 && (v4 || this.texts[e] === text)) return e;
    }
  }

  /** Puts a fresh count for the key at free entry e. */
  claim(e: number, tag: number, addr: number, v4: boolean, text: string, rule: ClassLimit, now: number): void {
    const i = e * INTS;
    this.ints[i + TAG] = tag;
    this.ints[i + ADDR] = addr;
    if (!v4) this.texts[e] = text;
    this.count += 1;
    this.reset(e, v4, rule, now);
  }

  resetAt(e: number): number {
    return this.times[e * (INTS / 2) + RESET_AT];
  }

  setResetAt(e: number, at: number): void {
    this.times[e * (INTS / 2) + RESET_AT] = at;
  }

  /** A new window for entry e. */
  reset(e: number, v4: boolean, rule: ClassLimit, now: number): void {
    const i = e * INTS;
    this.ints[i + GEN] += 1;
    this.ints[i + FLAGS] = v4 ? V4 : 0;
    this.ints[i + PENDING] = 0;
    this.ints[i + UNITS] = 0;
    this.ints[i + INFLIGHT] = 0;
    this.ints[i + LIMIT] = rule.limit;
    this.ints[i + WINDOW] = rule.windowSeconds;
    this.setResetAt(e, now + rule.windowSeconds * 1000);
  }

  /** The entry of a report's count if it is still in the window the report was counted in; else -1. */
  findWindow(r: Key): number {
    const e = this.find(r.tag, r.addr, r.v4, r.text);
    return e >= 0 && this.ints[e * INTS + GEN] === r.gen ? e : -1;
  }

  /** Copies entry e of another table into this one (no lookup: keys are unique). */
  copy(from: SlotTable, e: number): void {
    const i = e * INTS;
    const v4 = (from.ints[i + FLAGS] & V4) !== 0;
    const to = -this.find(from.ints[i + TAG], from.ints[i + ADDR], v4, from.texts[e] ?? '') - 1;
    this.ints.set(from.ints.subarray(i, i + INTS), to * INTS);
    if (!v4) this.texts[to] = from.texts[e];
    this.count += 1;
  }
}

export class RateLimiter {
  private table = new SlotTable(1024);
  private readonly stores = new Map<string, StoreSlots>();
  private queue: Report[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The timer is the short one (a key past half its limit is waiting). */
  private urgent = false;

  /** Told when a background report fails (its batch is not counted: the filter fails open). */
  onReportError: (ctx: TenantCtx, err: unknown) => void = () => undefined;

  constructor(private readonly cache: PluginCache) {}

  /** Counts held in this process (for tests and bounds). */
  held(): number {
    return this.table.count;
  }

  /** The store's place in the table, to keep beside its settings. */
  storeOf(tenantId: string): StoreSlots {
    let slots = this.stores.get(tenantId);
    if (slots === undefined) {
      slots = { index: this.stores.size };
      this.stores.set(tenantId, slots);
    }
    return slots;
  }

  /** Synchronous unless this request reports a batch to the shared counter. */
  hit(ctx: TenantCtx, klass: RouteClass, ip: string, rule: ClassLimit | undefined): RateDecision | Promise<RateDecision> {
    return this.hitAt(this.storeOf(ctx.tenant.id), ctx, klass, ip, rule);
  }

  /** hit() with the store's place at hand (`storeOf(ctx.tenant.id)`). */
  hitAt(store: StoreSlots, ctx: TenantCtx, klass: RouteClass, ip: string, rule: ClassLimit | undefined): RateDecision | Promise<RateDecision> {
    if (!rule || rule.limit <= 0) return NOT_LIMITED;
    const now = Date.now();
    const batch = batchSize(rule.limit);
    const tag = store.index * 4 + CLASS_INDEX[klass] + 1;
    const n = plainIPv4(ip);
    const v4 = n >= 0;
    const addr = v4 ? n | 0 : textHash(ip);
    let table = this.table;
    let e = table.find(tag, addr, v4, ip);
    if (e < 0) {
      if ((table.count + 1) * 2 > table.mask + 1) {
        table = this.rebuild(now);
        e = table.find(tag, addr, v4, ip);
      }
      e = -e - 1;
      table.claim(e, tag, addr, v4, ip, rule, now);
    } else if (table.resetAt(e) <= now || table.ints[e * INTS + LIMIT] !== rule.limit || table.ints[e * INTS + WINDOW] !== rule.windowSeconds) {
      table.reset(e, v4, rule, now);
    }
    const ints = table.ints;
    const i = e * INTS;
    ints[i + PENDING] += 1;
    if (isOver(ints, i, batch, rule.limit)) return this.refuse(table, e, now);
    if (ints[i + PENDING] < batch) return NOT_LIMITED;

    ints[i + PENDING] -= batch;
    const key = `rl:${klass}:${rule.windowSeconds}:${batch}:${ip}`;
    const report: Report = { tag, addr, v4, text: ip, gen: ints[i + GEN], ctx, key, rule, now };
    if (batch === 1) return this.report(report);
    ints[i + INFLIGHT] += 1;
    this.queue.push(report);
    if (!this.urgent && (ints[i + UNITS] + ints[i + INFLIGHT]) * batch * 2 >= rule.limit) {
      this.urgent = true;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.flush(), URGENT_FLUSH_MS).unref();
    } else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
    return NOT_LIMITED;
  }

  /** Small limits: the request waits for the shared count. */
  private async report(r: Report): Promise<RateDecision> {
    const shared = await this.cache.incr(r.ctx, r.key, r.rule.windowSeconds);
    const e = this.table.findWindow(r);
    if (e < 0) return NOT_LIMITED; // dropped or a new window meanwhile: its count lives on in the shared store
    this.learn(e, shared, r.now);
    return isOver(this.table.ints, e * INTS, 1, r.rule.limit) ? this.refuse(this.table, e, r.now) : NOT_LIMITED;
  }

  /**
   * Sends the waiting reports of large limits as one command (a command costs the client more
   * CPU than the counters it carries); resolves when the answers are in.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.urgent = false;
    const queue = this.queue;
    this.queue = [];
    if (queue.length === 0) return Promise.resolve();
    const landed = (r: Report): number => {
      const e = this.table.findWindow(r);
      if (e >= 0) this.table.ints[e * INTS + INFLIGHT] -= 1;
      return e;
    };
    return this.cache.incrMany(queue.map((r) => ({ ctx: r.ctx, key: r.key, ttlSeconds: r.rule.windowSeconds }))).then(
      (counts) => {
        queue.forEach((r, k) => {
          const e = landed(r);
          if (e >= 0) this.learn(e, counts[k], r.now);
        });
      },
      (err: unknown) => {
        for (const r of queue) {
          landed(r);
          this.onReportError(r.ctx, err);
        }
      },
    );
  }

  private learn(e: number, shared: { count: number; ttlSeconds: number }, now: number): void {
    const ints = this.table.ints;
    ints[e * INTS + UNITS] = Math.max(ints[e * INTS + UNITS], shared.count);
    // The shared window is the authority on when counting starts again.
    this.table.setResetAt(e, Math.min(this.table.resetAt(e), now + Math.max(1, shared.ttlSeconds) * 1000));
  }

  private refuse(table: SlotTable, e: number, now: number): RateDecision {
    const i = e * INTS;
    const first = (table.ints[i + FLAGS] & TRIPPED) === 0;
    table.ints[i + FLAGS] |= TRIPPED;
    return { limited: true, retryAfter: Math.max(1, Math.ceil((table.resetAt(e) - now) / 1000)), first };
  }

  /**
   * A table with room: counts whose window has ended are left behind (unless a report of theirs
   * is on its way), and past MAX_SLOTS half of the rest; then it grows to keep under half full.
   */
  private rebuild(now: number): SlotTable {
    const old = this.table;
    const keep: number[] = [];
    for (let e = 0; e <= old.mask; e++) {
      const i = e * INTS;
      if (old.ints[i + TAG] !== 0 && (old.resetAt(e) > now || old.ints[i + INFLIGHT] > 0)) keep.push(e);
    }
    const kept = keep.length > MAX_SLOTS / 2 ? keep.filter((e, k) => k % 2 === 0 || old.ints[e * INTS + INFLIGHT] > 0) : keep;
    let capacity = 1024;
    while (capacity < (kept.length + 1) * 4 && capacity < MAX_SLOTS * 2) capacity *= 2;
    const table = new SlotTable(capacity);
    for (const e of kept) table.copy(old, e);
    this.table = table;
    return table;
  }
}
