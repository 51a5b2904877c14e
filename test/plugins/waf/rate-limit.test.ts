// The rate limiter across web processes: two limiters (two processes) share one counter store.
// Small limits are exact; large ones are reported in batches and overshoot by less than a batch
// per process.
import { expect } from 'chai';
import pino from 'pino';
import { MemoryCache } from '../../../core/cache/memory-cache.js';
import { RedisCache } from '../../../core/cache/redis-cache.js';
import type { Cache } from '../../../core/cache/cache.js';
import type { PluginCache, TenantCtx } from '../../../core/public.js';
import { FLUSH_MS, RateLimiter, URGENT_FLUSH_MS, batchSize, type RateDecision } from '../../../plugins/waf/waf.rate-limit.js';

function sharedCache(store: Cache = new MemoryCache()): PluginCache {
  const key = (ctx: { tenant: { id: string } | null }, k: string) => `${ctx.tenant?.id}:${k}`;
  return {
    get: (ctx, k) => store.get(key(ctx, k)),
    set: (ctx, k, v, ttl) => store.set(key(ctx, k), v, ttl),
    del: (ctx, k) => store.del(key(ctx, k)),
    incr: (ctx, k, ttl) => store.incr(key(ctx, k), ttl),
    incrMany: (items) => store.incrMany(items.map((i) => ({ key: key(i.ctx, i.key), ttlSeconds: i.ttlSeconds }))),
    peek: (ctx, k) => store.peek(key(ctx, k)),
    version: (ctx, k) => store.version(key(ctx, k)),
    bump: (ctx, k) => store.bump(key(ctx, k)),
  };
}

const store = (id: string) => ({ tenant: { id } }) as unknown as TenantCtx;

/**
 * n requests spread over the limiters in turn. `flushEvery`: the limiters' background reports go
 * out after every so many requests (as their timer would between requests); 0: never (a burst
 * inside one flush interval).
 */
async function allowed(limiters: RateLimiter[], n: number, ctx: TenantCtx, limit: number, ip = '192.0.2.1', flushEvery = 1): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) {
    if (!(await limiters[i % limiters.length].hit(ctx, 'default', ip, { limit, windowSeconds: 60 })).limited) ok++;
    if (flushEvery > 0 && (i + 1) % flushEvery === 0) await Promise.all(limiters.map((l) => l.flush()));
  }
  return ok;
}

describe('waf rate limiter', () => {
  it('reports small limits on every request: exact across processes', async () => {
    const cache = sharedCache();
    const a = new RateLimiter(cache);
    const b = new RateLimiter(cache);
    expect(batchSize(30)).to.equal(1);
    expect(await allowed([a, b], 100, store('t1'), 30)).to.equal(30);
  });

  it('reports large limits in batches of limit/50, overshooting by less than a batch per process', async () => {
    const cache = sharedCache();
    const limiters = [new RateLimiter(cache), new RateLimiter(cache)];
    expect(batchSize(1200)).to.equal(24);
    const ok = await allowed(limiters, 3000, store('t1'), 1200);
    expect(ok).to.be.within(1200, 1200 + 2 * 23);
  });

  it('lets a process alone never pass more than the limit, even before its reports come back', async () => {
    const limiter = new RateLimiter(sharedCache());
    expect(await allowed([limiter], 3000, store('t1'), 1200, '192.0.2.1', 0)).to.equal(1200);
  });

  it('sends the reports of large limits in the background, together, and learns the shared count from them', async () => {
    let calls = 0;
    const cache = sharedCache();
    let counters = 0;
    const counting: PluginCache = { ...cache, incrMany: (items) => (calls++, (counters += items.length), cache.incrMany(items)) };
    const [a, b] = [new RateLimiter(counting), new RateLimiter(counting)];
    // 24 requests fill one batch of a 1,200 limit: the 24th passes at once, its report waits.
    for (let i = 0; i < 24; i++) expect(a.hit(store('t1'), 'default', '192.0.2.9', { limit: 1200, windowSeconds: 60 })).to.deep.equal({ limited: false });
    expect(calls).to.equal(0);
    await a.flush();
    expect([calls, counters]).to.deep.equal([1, 1]);
    // Another process that has counted 1,176 of its own learns of the first's batch on its next report.
    expect(await allowed([b], 1176, store('t1'), 1200, '192.0.2.9')).to.equal(1176);
    expect((await b.hit(store('t1'), 'default', '192.0.2.9', { limit: 1200, windowSeconds: 60 })).limited).to.equal(true);
  });

  it('lets an ordinary shopper\'s reports wait to go out together, and sends those of a key past half its limit at once', async () => {
    let calls = 0;
    const cache = sharedCache();
    const counting: PluginCache = { ...cache, incrMany: (items) => (calls++, cache.incrMany(items)) };
    const limiter = new RateLimiter(counting);
    const rule = { limit: 100, windowSeconds: 60 }; // batches of 2
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // 24 batches on their way: under half the limit, they wait for the slow timer (a timer never fires early).
    for (let i = 0; i < 48; i++) expect(limiter.hit(store('t1'), 'default', '192.0.2.7', rule)).to.deep.equal({ limited: false });
    await sleep(FLUSH_MS / 2);
    expect(calls, 'nothing sent before FLUSH_MS').to.equal(0);
    // The 25th batch makes half the limit: everything waiting goes out within URGENT_FLUSH_MS.
    for (let i = 0; i < 2; i++) limiter.hit(store('t1'), 'default', '192.0.2.7', rule);
    await sleep(URGENT_FLUSH_MS + 40);
    expect(calls).to.equal(1);
    expect((await cache.peek(store('t1'), `rl:default:60:2:192.0.2.7`)).count).to.equal(25);
  });

  it('sends the reports of many stores and addresses waiting together as one command, each learning its own count', async () => {
    const cache = sharedCache();
    const calls: number[] = [];
    const limiter = new RateLimiter({ ...cache, incrMany: (items) => (calls.push(items.length), cache.incrMany(items)) });
    const rule = { limit: 100, windowSeconds: 60 }; // batches of 2
    const visitors: [string, string][] = [['t1', '192.0.2.1'], ['t1', '192.0.2.2'], ['t2', '192.0.2.1'], ['t2', '2001:db8::7']];
    // Another process has reported 49 batches of the first visitor already: 98 of 100.
    for (let i = 0; i < 49; i++) await cache.incr(store('t1'), 'rl:default:60:2:192.0.2.1', 60);
    for (const [t, ip] of visitors) for (let i = 0; i < 2; i++) expect(limiter.hit(store(t), 'default', ip, rule)).to.deep.equal({ limited: false });
    await limiter.flush();
    expect(calls).to.deep.equal([4]);
    // The first visitor learned of the 50 batches (100 requests): its next request is refused; the others go on.
    expect(limiter.hit(store('t1'), 'default', '192.0.2.1', rule)).to.deep.include({ limited: true });
    for (const [t, ip] of visitors.slice(1)) expect(limiter.hit(store(t), 'default', ip, rule)).to.deep.equal({ limited: false });
  });

  it('keeps a report of an ended window out of the next window\'s count', async () => {
    // The answer is held back until the next window has begun, and says nothing was counted, so
    // only this process's own count limits.
    let answer: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (answer = resolve));
    const limiter = new RateLimiter({ ...sharedCache(), incrMany: async (items) => (await held, items.map(() => ({ count: 0, ttlSeconds: 1 }))) });
    const rule = { limit: 100, windowSeconds: 1 }; // batches of 2
    expect(limiter.hit(store('t1'), 'default', '192.0.2.5', rule)).to.deep.equal({ limited: false });
    expect(limiter.hit(store('t1'), 'default', '192.0.2.5', rule)).to.deep.equal({ limited: false }); // a batch on its way
    const sent = limiter.flush();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    let ok = 0;
    if (!(limiter.hit(store('t1'), 'default', '192.0.2.5', rule) as RateDecision).limited) ok++; // the next window
    answer();
    await sent; // the old window's report lands
    for (let i = 0; i < 200; i++) if (!(limiter.hit(store('t1'), 'default', '192.0.2.5', rule) as RateDecision).limited) ok++;
    expect(ok).to.equal(100);
  });

  it('fails open on a report that cannot be made, and says so', async () => {
    const failures: unknown[] = [];
    const broken: PluginCache = { ...sharedCache(), incrMany: () => Promise.reject(new Error('redis away')) };
    const limiter = new RateLimiter(broken);
    limiter.onReportError = (_ctx, err) => failures.push(err);
    expect(await allowed([limiter], 100, store('t1'), 1200)).to.equal(100);
    expect(failures).to.have.length(4);
    expect(String(failures[0])).to.contain('redis away');
  });

  it('counts each store, address and class apart, and says when the window ends', async () => {
    const limiter = new RateLimiter(sharedCache());
    expect(await allowed([limiter], 5, store('t1'), 2)).to.equal(2);
    expect(await allowed([limiter], 5, store('t2'), 2)).to.equal(2);
    expect(await allowed([limiter], 5, store('t1'), 2, '2001:db8::1')).to.equal(2);
    expect((await limiter.hit(store('t1'), 'search', '192.0.2.1', { limit: 2, windowSeconds: 60 })).limited).to.equal(false);
    const refused = await limiter.hit(store('t1'), 'default', '192.0.2.1', { limit: 2, windowSeconds: 60 });
    expect(refused).to.deep.include({ limited: true, first: false });
    expect((refused as { retryAfter: number }).retryAfter).to.be.within(59, 60);
  });

  it('keeps every count as its table grows, and stays bounded under a flood of new addresses', async () => {
    const limiter = new RateLimiter(sharedCache());
    const rule = { limit: 2, windowSeconds: 60 };
    const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    // 3,000 addresses (the table starts with room for 512): each gets its 2 and no more.
    for (let n = 0; n < 3000; n++) expect((await limiter.hit(store('t1'), 'default', ip(n), rule)).limited).to.equal(false);
    for (let n = 0; n < 3000; n++) expect((await limiter.hit(store('t1'), 'default', ip(n), rule)).limited).to.equal(false);
    let refused = 0;
    for (let n = 0; n < 3000; n++) if ((await limiter.hit(store('t1'), 'default', ip(n), rule)).limited) refused++;
    expect(refused).to.equal(3000);
    // 100,000 more, one request each: past its bound the table drops half of what it holds (the
    // shared store keeps those counts), so memory stays bounded and the newest are still counted.
    const flood = { limit: 1000, windowSeconds: 60 };
    for (let n = 3000; n < 103_000; n++) limiter.hit(store('t1'), 'search', ip(n), flood);
    expect(limiter.held()).to.be.at.most(65_536);
    for (let i = 0; i < 999; i++) limiter.hit(store('t1'), 'search', ip(102_999), flood);
    expect(limiter.hit(store('t1'), 'search', ip(102_999), flood)).to.deep.include({ limited: true });
  });

  it('does not limit a class whose limit is 0', async () => {
    expect(await allowed([new RateLimiter(sharedCache())], 50, store('t1'), 0)).to.equal(50);
  });
});

describe('waf rate limiter with counters in Redis', () => {
  let redis: RedisCache;
  before(async function () {
    // These counters are Redis's (shared by every web process); the embedded default counts in
    // memory, which the limiter tests above cover.
    if (!process.env.REDIS_URL) return this.skip();
    // A prefix of this run's own: nothing else's keys are read or written.
    redis = new RedisCache(process.env.REDIS_URL, pino({ level: 'silent' }), `bz-test-rl-${process.pid}-${Date.now()}:`);
    if (redis.redis.status !== 'ready') await new Promise((resolve) => redis.redis.once('ready', resolve));
  });
  after(async () => {
    if (!redis) return;
    const keys = await redis.redis.keys('*');
    if (keys.length) await redis.redis.del(...keys.map((k) => k.slice(String(redis.redis.options.keyPrefix).length)));
    await redis.close();
  });

  it('counts in one window that starts on the first hit, and reports the seconds left', async () => {
    expect(await redis.incr('w', 60)).to.deep.equal({ count: 1, ttlSeconds: 60 });
    const second = await redis.incr('w', 60);
    expect(second.count).to.equal(2);
    expect(second.ttlSeconds).to.be.within(59, 60);
    expect(await redis.peek('w')).to.deep.include({ count: 2 });
  });

  it('gives a counter found without an expiry a window, so it cannot count forever', async () => {
    await redis.redis.set('stale', '7');
    expect(await redis.incr('stale', 30)).to.deep.equal({ count: 8, ttlSeconds: 30 });
    expect(await redis.redis.ttl('stale')).to.be.within(29, 30);
  });

  it('counts many keys in one command, each in its own window', async () => {
    await redis.incr('m1', 60);
    expect(await redis.incrMany([{ key: 'm1', ttlSeconds: 60 }, { key: 'm2', ttlSeconds: 30 }, { key: 'm1', ttlSeconds: 60 }])).to.deep.equal([
      { count: 2, ttlSeconds: 60 },
      { count: 1, ttlSeconds: 30 },
      { count: 3, ttlSeconds: 60 },
    ]);
    expect(await redis.redis.ttl('m2')).to.be.within(29, 30);
    expect(await redis.incrMany([])).to.deep.equal([]);
  });

  it('limits exactly across two processes sharing the counters', async () => {
    const cache = sharedCache(redis);
    expect(await allowed([new RateLimiter(cache), new RateLimiter(cache)], 100, store('t-redis'), 30)).to.equal(30);
  });
});
