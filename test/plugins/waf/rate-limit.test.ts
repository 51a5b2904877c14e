// The rate limiter across web processes: two limiters (two processes) share one counter store.
// Small limits are exact; large ones are reported in batches and overshoot by less than a batch
// per process.
import { expect } from 'chai';
import { MemoryCache } from '../../../core/cache/memory-cache.js';
import type { PluginCache, TenantCtx } from '../../../core/public.js';
import { RateLimiter, batchSize } from '../../../plugins/waf/waf.rate-limit.js';

function sharedCache(): PluginCache {
  const store = new MemoryCache();
  const key = (ctx: { tenant: { id: string } | null }, k: string) => `${ctx.tenant?.id}:${k}`;
  return {
    get: (ctx, k) => store.get(key(ctx, k)),
    set: (ctx, k, v, ttl) => store.set(key(ctx, k), v, ttl),
    del: (ctx, k) => store.del(key(ctx, k)),
    incr: (ctx, k, ttl) => store.incr(key(ctx, k), ttl),
    peek: (ctx, k) => store.peek(key(ctx, k)),
  };
}

const store = (id: string) => ({ tenant: { id } }) as unknown as TenantCtx;

async function allowed(limiters: RateLimiter[], n: number, ctx: TenantCtx, limit: number, ip = '192.0.2.1'): Promise<number> {
  let ok = 0;
  for (let i = 0; i < n; i++) if (!(await limiters[i % limiters.length].hit(ctx, 'default', ip, { limit, windowSeconds: 60 })).limited) ok++;
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

  it('does not limit a class whose limit is 0', async () => {
    expect(await allowed([new RateLimiter(sharedCache())], 50, store('t1'), 0)).to.equal(50);
  });
});
