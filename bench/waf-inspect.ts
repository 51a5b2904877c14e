// The request filter's own cost, in one process and without HTTP: median, p90 and p99 in µs of
// `inspectRequest` alone and of the whole middleware path as the host runs it (plugin gate, ctx,
// settings, client address, IP lists, rate limit, inspection) from the filter's start to next().
// Speed targets are measured here and by bench/waf.sh, not asserted in tests (they fail under
// load). Run: `npm run bench:waf-inspect` (SQLite and the memory cache unless DATABASE_URL and
// REDIS_URL say otherwise; N=5000 samples per row after as many warm-up requests, STORES=10).
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { startTestKit, type KitTenant, type TestKit } from '../core/plugins/testkit.js';
import { hostOf } from '../core/plugins/host.js';
import { ANONYMOUS } from '../core/context.js';
import waf from '../plugins/waf/index.js';
import { inspectRequest, type InspectableRequest } from '../plugins/waf/engine/index.js';

const N = Number(process.env.N ?? 5000);
const STORES = Number(process.env.STORES ?? 10);
/** ONLY_BENCH=1: only the bench/waf.sh traffic rows (for profiling with --cpu-prof). */
const ONLY_BENCH = process.env.ONLY_BENCH === '1';
/**
 * COLD_KB=4096: before each timed call, write over that much memory, so the filter's code and
 * data are out of the CPU's caches, as when a served request's own work has run between two
 * filter calls (served, the filter costs several times its warm-loop time: bench/RESULTS.md).
 */
const COLD_KB = Number(process.env.COLD_KB ?? 0);
const evict = new Int32Array((COLD_KB * 1024) / 4);
function chill(): void {
  for (let k = 0; k < evict.length; k += 16) evict[k] += 1;
}

const BROWSER = {
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  accept: 'application/json',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  connection: 'keep-alive',
  referer: 'https://shop.example.com/collections/shoes',
};

interface Stats {
  mean: number;
  median: number;
  p90: number;
  p99: number;
}

function stats(samples: number[]): Stats {
  samples.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  const at = (p: number) => round(samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]);
  return { mean: round(samples.reduce((a, b) => a + b, 0) / samples.length), median: at(0.5), p90: at(0.9), p99: at(0.99) };
}

function row(label: string, s: Stats & { cpu?: number }): void {
  console.log(`| ${label} | ${s.median} | ${s.p90} | ${s.p99} | ${s.mean} | ${s.cpu ?? ''} |`);
}

/** A browser-like storefront GET with a few varying values (the engine's view). */
function storefront(i: number): InspectableRequest {
  return {
    method: 'GET',
    path: '/products',
    query: { category: 'shoes', size: String(36 + (i % 10)), color: 'black', sort: 'price_asc', page: String(1 + (i % 5)) },
    headers: { host: 'shop.example.com', ...BROWSER, 'upgrade-insecure-requests': '1', 'sec-fetch-mode': 'navigate', cookie: `session=s${i % 97}; cart=3` },
  };
}

function timeInspect(): Stats {
  const policy = { paranoia: 1 as const, threshold: 5, exclusions: [] };
  for (let i = 0; i < N; i++) inspectRequest(storefront(i), policy);
  const samples: number[] = [];
  for (let i = 0; i < N; i++) {
    const req = storefront(i);
    const t0 = process.hrtime.bigint();
    const result = inspectRequest(req, policy);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (result.blocked) throw new Error(`an ordinary storefront GET was blocked: ${result.matches.map((m) => m.ruleId).join(', ')}`);
  }
  return stats(samples);
}

interface Shot {
  tenant: KitTenant;
  peer: string;
  url: string;
  headers: Record<string, string>;
}

/** A browser's storefront GET straight from the shopper (`address(i)`: distinct, or a few who come back). */
function browserShot(t: KitTenant, address: (i: number) => string): (i: number) => Shot {
  return (i) => ({
    tenant: t,
    peer: address(i),
    url: `/store/v1/products?limit=20&sort=price_asc&category=shoes&page=${1 + (i % 5)}`,
    headers: { host: `${t.slug}.localhost`, ...BROWSER, cookie: `cart=c${i % 97}; locale=en` },
  });
}

/** bench/waf.lua's request: the list of a random store, from one of its 100 shoppers, through a trusted proxy. */
function benchShot(stores: KitTenant[]): (i: number) => Shot {
  return () => {
    const s = Math.floor(Math.random() * stores.length);
    const n = s * 100 + Math.floor(Math.random() * 100);
    return {
      tenant: stores[s],
      peer: '127.0.0.1',
      url: '/store/v1/products?limit=20',
      headers: {
        host: `${stores[s].slug}.localhost`,
        'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
        accept: 'application/json',
      },
    };
  };
}

/** The middleware path from the filter's start to next(), as the host calls it. */
async function timeMiddleware(kit: TestKit, shot: (i: number) => Shot): Promise<Stats & { cpu: number; passed: number }> {
  const filter = hostOf(kit.kernel).middleware().find((m) => m.name === 'waf:filter');
  if (!filter) throw new Error('the waf filter middleware is not registered');
  const samples: number[] = [];
  let passed = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const { tenant: t, peer, url, headers } = shot(i);
    const socket = new Socket();
    Object.defineProperty(socket, 'remoteAddress', { value: peer });
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = url;
    req.headers = headers;
    const koa = kit.runtime.app.createContext(req, new ServerResponse(req));
    Object.assign(koa.state, { tenant: t.tenant, requestId: `r${i}`, actor: ANONYMOUS, locale: 'en', startedAt: 0n });
    let reached = 0n;
    if (COLD_KB > 0) chill();
    const start = process.hrtime.bigint();
    await filter.middleware(koa as never, async () => {
      reached = process.hrtime.bigint();
    });
    if (reached) {
      passed++;
      samples.push(Number(reached - start) / 1000);
    }
  }
  const used = process.cpuUsage(cpu);
  return { ...stats(samples), cpu: Math.round(((used.user + used.system) / N) * 10) / 10, passed };
}

const distinct = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const returning = (i: number) => `10.0.${(i % 100) >> 8}.${i % 100}`;

const kit = await startTestKit({ plugin: waf, options: { waf: { trustedProxies: ['127.0.0.1'] } } });
try {
  const on = await kit.tenant({ enable: ['waf'] });
  const off = await kit.tenant();
  const storesOn = [on];
  const storesOff = [off];
  for (let i = 1; i < STORES; i++) {
    storesOn.push(await kit.tenant({ enable: ['waf'] }));
    storesOff.push(await kit.tenant());
  }
  console.log(`node ${process.version}, ${N} samples a row after ${N} warm-up, ${kit.kernel.cache.constructor.name}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // Wall time per call from the filter's start to next() (a Redis report waits for its reply),
  // and CPU time per request of the whole loop (building each request included: compare rows).
  console.log('| what (µs) | median | p90 | p99 | mean | CPU per request, whole loop |');
  console.log('|---|---:|---:|---:|---:|---:|');
  if (!ONLY_BENCH) row('inspectRequest, browser-like storefront GET', timeInspect());
  const rows: [string, (i: number) => Shot][] = [
    [`middleware, filter on, bench/waf.sh traffic (${STORES} stores x 100 shoppers behind a proxy)`, benchShot(storesOn)],
    [`middleware, filter off, the same traffic (the host's check alone)`, benchShot(storesOff)],
  ];
  if (!ONLY_BENCH) {
    rows.push(
      ['middleware, filter on, a browser, a new address per request', browserShot(on, distinct)],
      ['middleware, filter on, a browser, 100 shoppers who come back', browserShot(on, returning)],
    );
  }
  for (const [label, shot] of rows) {
    await timeMiddleware(kit, shot);
    const s = await timeMiddleware(kit, shot);
    if (s.passed !== N) throw new Error(`${label}: ${N - s.passed} of ${N} ordinary requests did not pass`);
    row(label, s);
  }
} finally {
  await kit.close();
}
