// The request filter's cost inside the whole app, without the network: bench/waf.sh's traffic
// (the cached catalog list of a random store, from one of its 100 shoppers behind a trusted
// proxy) made in memory and run through the app's complete pipeline, for the stores with the
// filter on and the matched stores with it off, in alternating blocks (ABBA) in one process.
// CPU per request (every thread of the process: GC included) per block; the ratio of the means.
//
// It sees what bench/waf-inspect.ts cannot: the filter's data read among the rest of a request's
// work (caches evicted by the app between two requests) and its allocations collected in a heap
// that holds 50 requests in flight. It is quick (a second or two a pair), but on a shared VM its
// blocks still scatter (32-74 µs for the same half in one run): use tens of pairs, and read the
// median of the pairs' differences beside the means. bench/waf.sh stays the measurement of record.
//   npx tsc -p bench/tsconfig.json && DATABASE_URL=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench \
//   REDIS_URL=redis://127.0.0.1:6379/11 NODE_ENV=production LOG_LEVEL=warn \
//   BAZAAR_PLUGIN_OPTIONS='{"waf":{"trustedProxies":["127.0.0.1"]}}' node bench/out/dist/bench/waf-pipeline.js [rounds] [block]
// Before it: bench/waf.sh's halves switched (`node --import tsx bench/waf-toggle.ts on|off ...`);
// bench/waf-pipeline.sh does all of it.
import fs from 'node:fs';
import { IncomingMessage } from 'node:http';
import { drive, sink } from './in-memory.js';
import { createRuntime } from '../core/server.js';

const rounds = Number(process.argv[2] ?? 6);
const block = Number(process.argv[3] ?? 20_000);
/** ONLY=on or ONLY=off: one half alone (for a CPU profile of each). */
const ONLY = process.env.ONLY === 'on' || process.env.ONLY === 'off' ? (process.env.ONLY as 'on' | 'off') : undefined;
const slugsOf = (file: string) => [...new Set(fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split('\t')[0]))];
const halves = { on: slugsOf('bench/out/targets-waf-on.tsv'), off: slugsOf('bench/out/targets-waf-off.tsv') };
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/** bench/waf.lua's request: store s of the half, one of its 100 shoppers. */
function request(slugs: string[]): IncomingMessage {
  const s = Math.floor(Math.random() * slugs.length);
  const n = s * 100 + Math.floor(Math.random() * 100);
  const req = new IncomingMessage(sink());
  req.method = 'GET';
  req.url = '/store/v1/products?limit=20';
  req.headers = { host: `${slugs[s]}.localhost`, 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, 'user-agent': UA, accept: 'application/json' };
  req.push(null);
  return req;
}

const rt = await createRuntime({ role: 'web', migrate: false });
const handle = rt.app.callback();
// Warm-up: JIT, the catalog cache of every store, the filter's settings and memos.
await drive(handle, block, () => request(halves.on));
await drive(handle, block, () => request(halves.off));

const cpu: Record<'on' | 'off', number[]> = { on: [], off: [] };
for (let r = 0; r < rounds; r++) {
  for (const half of ONLY ? [ONLY] : r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    const before = process.cpuUsage();
    const statuses = await drive(handle, block, () => request(halves[half]));
    const used = process.cpuUsage(before);
    if (statuses.size !== 1 || !statuses.has(200)) throw new Error(`${half}: not every request answered 200: ${JSON.stringify(Object.fromEntries(statuses))}`);
    cpu[half].push((used.user + used.system) / block);
  }
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' ');
if (ONLY) {
  console.log(`filter ${ONLY} µs CPU per request: ${fmt(cpu[ONLY])}  mean ${mean(cpu[ONLY]).toFixed(2)}`);
  await rt.close();
  process.exit(0);
}
console.log(`filter on  µs CPU per request: ${fmt(cpu.on)}  mean ${mean(cpu.on).toFixed(2)}`);
console.log(`filter off µs CPU per request: ${fmt(cpu.off)}  mean ${mean(cpu.off).toFixed(2)}`);
// A block that caught a full collection or a 5 s memo's reload stands out; the median of the
// pairs' differences is not moved by a few of them.
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const diff = median(cpu.on.map((x, i) => x - cpu.off[i]));
console.log(`filter cost: mean ${(mean(cpu.on) - mean(cpu.off)).toFixed(2)} µs, median of pairs ${diff.toFixed(2)} µs; off / on = ${((100 * mean(cpu.off)) / mean(cpu.on)).toFixed(1)}% of the means, ${((100 * median(cpu.off)) / (median(cpu.off) + diff)).toFixed(1)}% by the medians  (${rounds} pairs of ${block} requests, ABBA)`);
await rt.close();
process.exit(0);
