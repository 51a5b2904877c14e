import { closeRuntime, runtime } from './support/runtime.js';
import { installNetworkGuard, takeNetworkViolations } from './support/network-guard.js';

installNetworkGuard();

export const mochaHooks = {
  async beforeEach(this: unknown) {
    // Every test comes from 127.0.0.1: clear the per-address login counter between tests,
    // so one test's failures never throttle the next (per-account counters stay per test).
    const rt = await runtime();
    await rt.kernel.cache.del('login:ip:127.0.0.1', 'login:ip:::ffff:127.0.0.1', 'login:ip:::1');
  },
  afterEach() {
    const refused = takeNetworkViolations();
    if (refused.length) throw new Error(`No test may open a socket outside loopback: ${refused.join('; ')}`);
  },
  async afterAll() {
    await closeRuntime();
  },
};
