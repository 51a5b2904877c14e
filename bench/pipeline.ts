// CPU per request of the app's own pipeline (every middleware, the route, the answer's headers
// and body) without the network: requests are made in memory and answered into a socket that
// discards what it is given. On a machine where system calls are slow and shared with the load
// generator, this isolates what the code costs; the wrk runs (bench/run.sh) say what a client
// sees. Compared against a bare Koa app answering {"hello":"world"} the same way.
//   DATABASE_URL=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench REDIS_URL=redis://127.0.0.1:6379/6 \
//   NODE_ENV=production LOG_LEVEL=warn node bench/out/dist/bench/pipeline.js [list-first|detail|healthz] [requests] [shoppers]
// With `shoppers`, each request comes through 127.0.0.1 as a proxy with X-Forwarded-For set to
// one of 100 returning addresses of its store, as bench/waf.lua sends them (for the request
// filter: BAZAAR_PLUGIN_OPTIONS='{"waf":{"trustedProxies":["127.0.0.1"]}}').
import fs from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import { drive, sink } from './in-memory.js';
import Koa from 'koa';
import { createRuntime } from '../core/server.js';

const mode = process.argv[2] ?? 'list-first';
const total = Number(process.argv[3] ?? 20_000);
const shoppers = process.argv[4] === 'shoppers';
const targets = fs
  .readFileSync('bench/out/targets-100.tsv', 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split('\t'));

function request(i: number): IncomingMessage {
  const [slug, id] = targets[i % targets.length];
  const req = new IncomingMessage(sink());
  req.method = 'GET';
  req.url = mode === 'detail' ? `/store/v1/products/${id}` : mode === 'healthz' ? '/healthz' : '/store/v1/products?limit=20';
  req.headers = { host: `${slug}.localhost`, 'user-agent': 'wrk', accept: '*/*' };
  if (shoppers) {
    const n = Number(slug.replace(/\D/g, '')) * 100 + ((i * 7919) % 100);
    req.headers['x-forwarded-for'] = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  }
  req.push(null);
  return req;
}

async function measure(label: string, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  await drive(handle, Math.min(total, 5000), request); // warm-up: JIT and caches
  const cpu = process.cpuUsage();
  const statuses = await drive(handle, total, request);
  const used = process.cpuUsage(cpu);
  const us = (used.user + used.system) / total;
  console.log(`${label.padEnd(28)} ${us.toFixed(1).padStart(7)} µs CPU per request  (${total} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))})`);
  return us;
}

const bare = new Koa();
bare.use((koa) => {
  koa.body = { hello: 'world' };
});
const bareUs = await measure('bare Koa {"hello":"world"}', bare.callback());

const rt = await createRuntime({ role: 'web', migrate: false });
// A cached read should not reach the database: count what does (memo expiries, 5 s TTLs).
const queries = new Map<string, number>();
for (const db of rt.kernel.pool.all()) db.on('query', (q: { sql: string }) => queries.set(q.sql, (queries.get(q.sql) ?? 0) + 1));
const appUs = await measure(`app ${mode}`, rt.app.callback());
console.log(`database queries during warm-up and run: ${[...queries.values()].reduce((a, b) => a + b, 0)}`, Object.fromEntries(queries));
console.log(`app / bare: ${(appUs / bareUs).toFixed(2)}x`);
await rt.close();
process.exit(0);
