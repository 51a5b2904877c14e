// The filter must not be what a shop feels: an ordinary storefront request, through the host's
// middleware path exactly as the app runs it (plugin gate, ctx, settings, client address, IP lists,
// rate limit, inspection), costs well under 50 µs at the median.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import { hostOf } from '../../../core/plugins/host.js';
import { ANONYMOUS } from '../../../core/context.js';
import waf from '../../../plugins/waf/index.js';

const BROWSER = {
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  accept: 'application/json',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  connection: 'keep-alive',
  referer: 'https://shop.example.com/collections/shoes',
};

describe('waf middleware speed', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let on: KitTenant;
  let off: KitTenant;

  before(async () => {
    kit = await startTestKit({ plugin: waf });
    on = await kit.tenant({ enable: ['waf'] });
    off = await kit.tenant();
  });
  after(async () => {
    await kit?.close();
  });

  /** Median, p90 and p99 in µs from the filter's start to the request going on (next()). */
  async function measure(t: KitTenant, n: number): Promise<{ median: number; p90: number; p99: number; passed: number }> {
    const filter = hostOf(kit.kernel).middleware().find((m) => m.name === 'waf:filter')!;
    const samples: number[] = [];
    let passed = 0;
    for (let i = 0; i < n; i++) {
      // Every request from another shopper, as on a real storefront.
      const socket = new Socket();
      Object.defineProperty(socket, 'remoteAddress', { value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
      const req = new IncomingMessage(socket);
      req.method = 'GET';
      req.url = `/store/v1/products?limit=20&sort=price_asc&category=shoes&page=${1 + (i % 5)}`;
      req.headers = { host: `${t.slug}.localhost`, ...BROWSER, cookie: `cart=c${i % 97}; locale=en` };
      const koa = kit.runtime.app.createContext(req, new ServerResponse(req));
      Object.assign(koa.state, { tenant: t.tenant, requestId: `r${i}`, actor: ANONYMOUS, locale: 'en', startedAt: 0n });
      let reached = 0n;
      const start = process.hrtime.bigint();
      await filter.middleware(koa as never, async () => {
        reached = process.hrtime.bigint();
      });
      if (reached) {
        passed++;
        samples.push(Number(reached - start) / 1000);
      }
    }
    samples.sort((a, b) => a - b);
    const at = (p: number) => Math.round(samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] * 10) / 10;
    return { median: at(0.5), p90: at(0.9), p99: at(0.99), passed };
  }

  it('passes an ordinary storefront GET in under 50 µs (median), rate limits and inspection included', async () => {
    await measure(on, 3000);
    const filtered = await measure(on, 5000);
    await measure(off, 3000);
    const unfiltered = await measure(off, 5000);
    console.log(`      filter on:  median ${filtered.median} µs, p90 ${filtered.p90}, p99 ${filtered.p99}`);
    console.log(`      filter off: median ${unfiltered.median} µs, p90 ${unfiltered.p90}, p99 ${unfiltered.p99} (the host's gate alone)`);
    expect(filtered.passed).to.equal(5000);
    expect(filtered.median).to.be.below(50);
  });
});
