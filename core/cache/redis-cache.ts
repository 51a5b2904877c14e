import { Cluster, Redis } from 'ioredis';
import { connectRedis, type RedisClient } from './redis-connect.js';
import type { Logger } from 'pino';
import type { Cache } from './cache.js';
import { VersionMirror } from './version-mirror.js';

/**
 * incr() of every key in one command and one round trip (EVALSHA; ioredis falls back to EVAL once
 * if Redis lost the script): add 1, start the window on the first hit (or on a counter that
 * somehow has no expiry; ARGV[i] is KEYS[i]'s window), answer a flat list of count and seconds
 * left. A MULTI with INCR, TTL and a separate EXPIRE cost two round trips and five replies a key.
 */
const INCR_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('TTL', key)
  if ttl < 0 then
    redis.call('EXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[2 * i - 1] = count
  out[2 * i] = ttl
end
return out`;

/** Takes 1 back from each live counter; a missing or expired one stays missing. */
const DECR_SCRIPT = `
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count and count > 0 then redis.call('DECR', key) end
end
return 0`;

interface IncrCommand {
  bzIncr(keys: number, ...keysThenWindows: (string | number)[]): Promise<unknown>;
  bzDecr(keys: number, ...keys2: string[]): Promise<unknown>;
}

/**
 * Redis-backed cache. Commands fail fast when Redis is away (no offline queue), and a failed
 * read is a miss: a cache outage slows the shop down, it never takes it down.
 */
export class RedisCache implements Cache {
  /** The client: one server, or a Redis Cluster (REDIS_URL redis+cluster://...). */
  readonly client: RedisClient;
  /** Namespace versions known locally, kept current by Redis's invalidation messages. */
  readonly versions: VersionMirror;

  constructor(url: string, private readonly log: Logger, prefix = 'bz:') {
    // Auto-pipelining: commands issued in one tick (the rate limiter's batched reports, cache
    // reads of requests that arrived together) go out in one write and come back in one read.
    this.client = connectRedis(url, { keyPrefix: prefix, enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false, enableAutoPipelining: true });
    this.client.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis cache error'));
    // The number of keys comes first in each call (ioredis prefixes that many arguments).
    this.client.defineCommand('bzIncr', { lua: INCR_SCRIPT });
    this.client.defineCommand('bzDecr', { lua: DECR_SCRIPT });
    // On a cluster the version keys live on every master: no tracking connection, versions are
    // read from Redis on each use (one round trip, auto-pipelined).
    this.versions = new VersionMirror(this.client instanceof Cluster ? null : url, prefix, log);
  }

  /** The single-server client (tests and tools that need one server's commands). */
  get redis(): Redis {
    if (this.client instanceof Cluster) throw new Error('RedisCache.redis: REDIS_URL is a cluster; use .client');
    return this.client;
  }

  /** Keys grouped so that each group is one slot on a cluster (one group of all keys on one server). */
  private groups<T extends string | { key: string }>(items: readonly T[]): T[][] {
    if (!(this.client instanceof Cluster)) return [items as T[]];
    return items.map((i) => [i]);
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.client.get(key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await this.client.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
    } catch {
      /* a cache that cannot write is a cache that misses */
    }
  }

  async del(...keys: string[]): Promise<void> {
    if (keys.length) await Promise.all(this.groups(keys).map((g) => this.client.del(...g)));
  }

  async incr(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }> {
    return (await this.incrMany([{ key, ttlSeconds }]))[0];
  }

  /**
   * Counters of many keys in one EVALSHA: a command costs far more CPU than a counter in it
   * (about 95 µs between client and Redis against 2 µs a key, bench/RESULTS.md session 5), so
   * counters reported together (the request filter's rate-limit batches) share one.
   */
  async incrMany(items: readonly { key: string; ttlSeconds: number }[]): Promise<{ count: number; ttlSeconds: number }[]> {
    if (items.length === 0) return [];
    // A script may touch one slot only on a cluster: one call per key there (auto-pipelined).
    const parts = await Promise.all(this.groups(items).map(async (group) => {
      const args: (string | number)[] = group.map((i) => i.key);
      for (const i of group) args.push(Math.max(1, Math.round(i.ttlSeconds)));
      const flat = (await (this.client as RedisClient & IncrCommand).bzIncr(group.length, ...args)) as number[];
      return group.map((_, i) => ({ count: flat[2 * i], ttlSeconds: flat[2 * i + 1] }));
    }));
    return parts.flat();
  }

  async decrMany(keys: readonly string[]): Promise<void> {
    if (keys.length) await Promise.all(this.groups(keys).map((g) => (this.client as RedisClient & IncrCommand).bzDecr(g.length, ...g)));
  }

  async peek(key: string): Promise<{ count: number; ttlSeconds: number }> {
    const [[, count], [, ttl]] = (await this.client.multi().get(key).ttl(key).exec()) as [[null, string | null], [null, number]];
    return { count: Number(count ?? 0), ttlSeconds: Math.max(ttl, 0) };
  }

  async bump(namespace: string): Promise<number> {
    const version = await this.client.incr(`v:${namespace}`);
    this.versions.changed(namespace);
    return version;
  }

  async version(namespace: string): Promise<number> {
    const known = this.versions.get(namespace);
    if (known !== undefined) return known;
    const mark = this.versions.mark();
    try {
      const version = Number((await this.client.get(`v:${namespace}`)) ?? 0);
      this.versions.remember(namespace, version, mark);
      return version;
    } catch {
      return -1;
    }
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.client.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.versions.close();
    this.client.disconnect();
  }
}
