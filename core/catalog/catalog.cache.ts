// Hot store reads (product detail, first list pages, the category tree) are cached under a
// per-tenant catalog version. Every catalog write bumps the version once its data is
// committed, so every process misses at once and reads fresh rows; stale entries age out.
//
// Two levels: the shared cache (Redis in production) and, in front of it, a small in-process
// map keyed by the same versioned key. Each read still asks the shared cache for the current
// version, so a write in another process is seen at once; what the local map saves is fetching,
// parsing and serialising the entry again: it keeps the answer's JSON bytes (JsonBody). Its
// entries live 30 s: if Redis loses its data (versions start again from 0), a process may serve
// a page that old, never older.
import { tenantKey } from '../cache/cache.js';
import type { Ctx, TenantCtx } from '../context.js';
import { JsonBody } from '../http/route.js';
import { afterCommit } from './tables.js';

const TTL_SECONDS = 300;
const LOCAL_ENTRIES = 5000;
const LOCAL_TTL_MS = 30_000;
/** CATALOG_CACHE=off reads the database every time: for benchmarks of the uncached path and for debugging. */
const enabled = process.env.CATALOG_CACHE !== 'off';

const local = new Map<string, { body: JsonBody; until: number }>();
const inflight = new Map<string, Promise<JsonBody>>();

function remember(key: string, body: JsonBody): void {
  if (local.size >= LOCAL_ENTRIES) {
    // Map keeps insertion order: drop the oldest tenth.
    let n = LOCAL_ENTRIES / 10;
    for (const k of local.keys()) {
      local.delete(k);
      if (--n <= 0) break;
    }
  }
  local.set(key, { body, until: Date.now() + LOCAL_TTL_MS });
}

const namespace = (tenantId: string) => `catalog:${tenantId}`;

/**
 * Reads through the cache, as an answer body (the JSON is serialised once per process and
 * entry); when the cache cannot tell its version (Redis down) it reads the database. The value
 * is shared between requests: callers must not change it.
 */
export async function cachedBody(ctx: TenantCtx, parts: (string | number)[], load: () => Promise<unknown>): Promise<JsonBody> {
  if (!enabled) return JsonBody.of(await load());
  const cache = ctx.kernel.cache;
  const version = await cache.version(namespace(ctx.tenant.id));
  if (version < 0) return JsonBody.of(await load());
  const key = tenantKey(ctx.tenant.id, 'catalog', version, ...parts);
  const near = local.get(key);
  if (near && near.until > Date.now()) return near.body;
  // Requests that miss together (a popular store right after a write) share one fill.
  let filling = inflight.get(key);
  if (!filling) {
    filling = fill(ctx, key, load).finally(() => inflight.delete(key));
    inflight.set(key, filling);
  }
  return filling;
}

async function fill(ctx: TenantCtx, key: string, load: () => Promise<unknown>): Promise<JsonBody> {
  const cache = ctx.kernel.cache;
  const hit = await cache.get<unknown>(key);
  if (hit !== undefined) {
    const body = JsonBody.of(hit);
    remember(key, body);
    return body;
  }
  const body = JsonBody.of(await load());
  await cache.set(key, body.value, TTL_SECONDS);
  remember(key, body);
  return body;
}

/** Invalidates the tenant's cached catalog reads, after the current transaction commits. */
export function invalidateCatalog(ctx: Ctx): Promise<void> {
  const tenantId = ctx.tenant?.id;
  if (!tenantId) return Promise.resolve();
  return afterCommit(ctx, () => ctx.kernel.cache.bump(namespace(tenantId)));
}
