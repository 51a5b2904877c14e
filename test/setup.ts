import { closeRuntime, runtime } from './support/runtime.js';
import { RedisCache } from '../core/cache/redis-cache.js';
import { connectionWatch } from '../core/db/knex.js';
import { installNetworkGuard, takeNetworkViolations } from './support/network-guard.js';

installNetworkGuard();

// SQLite's one connection: a query that waits for the connection its own transaction holds is a
// deadlock (core/db/knex.ts); the test during which one is seen fails, naming both places.
const stalls: string[] = [];
connectionWatch.on('stall', (message) => stalls.push(message));

export const mochaHooks = {
  // A file's before() that makes a store builds the shared runtime when it runs first (alone in
  // the run): under its 20 s timeout that failed on a loaded machine. Built here, with room.
  async beforeAll(this: Mocha.Context) {
    this.timeout(Math.max(this.timeout(), 180_000));
    await runtime();
  },
  async beforeEach(this: Mocha.Context) {
    // The first call builds the shared runtime: two databases wiped and migrated (its second
    // placement too), which on a loaded machine takes longer than one test's timeout.
    this.timeout(Math.max(this.timeout(), 180_000));
    // Every test comes from 127.0.0.1: clear the per-address login counters (per store and
    // global) between tests, so one test's failures never throttle the next (per-account
    // counters stay per test).
    const rt = await runtime();
    const cache = rt.kernel.cache;
    if (cache instanceof RedisCache) {
      const prefix = cache.redis.options.keyPrefix ?? '';
      const keys = (await cache.redis.keys(`${prefix}login:ip:*`)).map((k) => k.slice(prefix.length));
      if (keys.length) await cache.del(...keys);
    } else {
      const entries = (cache as unknown as { entries: Map<string, unknown> }).entries;
      for (const key of [...entries.keys()]) if (key.startsWith('login:ip:')) entries.delete(key);
    }
  },
  afterEach() {
    const refused = takeNetworkViolations();
    if (refused.length) throw new Error(`No test may open a socket outside loopback: ${refused.join('; ')}`);
    if (stalls.length) throw new Error(stalls.splice(0).join('\n\n'));
  },
  async afterAll() {
    await closeRuntime();
  },
};
