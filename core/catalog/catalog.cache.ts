// Hot store reads (product detail, first list pages) are cached under a per-tenant catalog
// version. Every catalog write bumps the version once its data is committed, so every process
// misses at once and reads fresh rows; stale entries simply age out.
import crypto from 'node:crypto';
import { tenantKey } from '../cache/cache.js';
import type { Ctx, TenantCtx } from '../context.js';
import { afterCommit } from './tables.js';

const TTL_SECONDS = 300;

const namespace = (tenantId: string) => `catalog:${tenantId}`;

/** Reads through the cache; when the cache cannot tell its version (Redis down) it reads the database. */
export async function cachedRead<T>(ctx: TenantCtx, parts: (string | number)[], load: () => Promise<T>): Promise<T> {
  const cache = ctx.kernel.cache;
  const version = await cache.version(namespace(ctx.tenant.id));
  if (version < 0) return load();
  const key = tenantKey(ctx.tenant.id, 'catalog', version, ...parts);
  const hit = await cache.get<T>(key);
  if (hit !== undefined) return hit;
  const value = await load();
  await cache.set(key, value, TTL_SECONDS);
  return value;
}

/** A short stable key part for a set of query parameters. */
export function hashParts(value: unknown): string {
  return crypto.createHash('sha1').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

/** Invalidates the tenant's cached catalog reads, after the current transaction commits. */
export function invalidateCatalog(ctx: Ctx): Promise<void> {
  const tenantId = ctx.tenant?.id;
  if (!tenantId) return Promise.resolve();
  return afterCommit(ctx, () => ctx.kernel.cache.bump(namespace(tenantId)));
}
