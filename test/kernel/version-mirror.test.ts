// The local copy of namespace versions (core/cache/version-mirror.ts) against a real Redis: a
// bump anywhere is seen at once everywhere, and a lost connection never leaves a stale copy.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pino from 'pino';
import { RedisCache } from '../../core/cache/redis-cache.js';
import { usingRedis } from '../support/runtime.js';

const log = pino({ level: 'silent' });

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('cache version mirror (Redis client tracking)', function () {
  this.timeout(20_000);
  // A prefix of its own: these keys never meet the suite's runtime.
  const prefix = `bzm${process.pid}:`;
  let a: RedisCache;
  let b: RedisCache;
  let admin: Redis;

  before(async function () {
    // The mirror exists only on Redis; the embedded default keeps versions in memory.
    if (!usingRedis()) this.skip();
    a = new RedisCache(process.env.REDIS_URL!, log, prefix);
    b = new RedisCache(process.env.REDIS_URL!, log, prefix);
    admin = new Redis(process.env.REDIS_URL!);
    await until('tracking', () => a.versions.tracking && b.versions.tracking);
  });

  after(async () => {
    if (!admin) return;
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
    admin.disconnect();
    await a.close();
    await b.close();
  });

  it('serves a version from memory, and sees a bump by another process at once (200 times)', async () => {
    const ns = 'catalog:t-200';
    for (let i = 0; i < 200; i++) {
      const before = await a.version(ns);
      expect(a.versions.get(ns), 'kept locally after a read').to.equal(before);
      const bumped = await b.bump(ns);
      expect(bumped).to.equal(before + 1);
      expect(await a.version(ns), `round ${i}`).to.equal(bumped);
    }
  });

  it('sees its own bump at once', async () => {
    const ns = 'catalog:t-own';
    const before = await a.version(ns);
    const bumped = await a.bump(ns);
    expect(bumped).to.equal(before + 1);
    expect(await a.version(ns)).to.equal(bumped);
  });

  it('forgets everything when its connection drops, reads Redis meanwhile, and tracks again once back', async () => {
    const ns = 'catalog:t-cut';
    await a.version(ns);
    expect(a.versions.get(ns)).to.equal(0);
    const id = a.versions.connectionId!;
    await admin.client('KILL', 'ID', String(id));
    await until('the drop to be noticed', () => !a.versions.tracking);
    expect(a.versions.get(ns), 'no copy while not tracking').to.equal(undefined);
    const bumped = await b.bump(ns);
    expect(await a.version(ns)).to.equal(bumped);
    await until('tracking again', () => a.versions.tracking);
    expect(a.versions.connectionId).to.not.equal(id);
    expect(await a.version(ns)).to.equal(bumped);
    expect(a.versions.get(ns)).to.equal(bumped);
    const again = await b.bump(ns);
    expect(await a.version(ns)).to.equal(again);
  });

  it('drops a copy when the key changes by any other road (a DEL, as when Redis evicts it)', async () => {
    const ns = 'catalog:t-del';
    await b.bump(ns);
    expect(await a.version(ns)).to.equal(1);
    await admin.del(`${prefix}v:${ns}`);
    await until('the invalidation', () => a.versions.get(ns) === undefined);
    expect(await a.version(ns)).to.equal(0);
  });
});
