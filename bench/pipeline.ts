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
//
// The product page (issue 27): `detail` walks the seeded targets (5,000 products of 100 stores);
// PRODUCTS=n bounds them to n products, as many from each store (PRODUCTS=300: 3 a store), so
// a cached run re-reads pages the warm-up cached (the local entries live 30 s; keep a block
// shorter than that). CATALOG_CACHE=off for the uncached page. Each block also prints the SQL
// statements per request (knex's `query` events) and mariadbd's CPU per request (its
// /proc/<pid>/stat; the whole server's, so run it on an otherwise idle database).
// WARMUP=n requests before measuring (default min(requests, 5000)); REPEAT=n measured blocks;
// BARE=0 skips the bare Koa app; PROFILE=<file> writes a CPU profile of the app's blocks; GATE=<file> (with GATE_BLOCK, default the last block): as in
// bench/checkout-pipeline.ts, waits for <file> before that block and for <file>.done after it,
// printing `gate: waiting` / `gate: done`, for `valgrind --tool=callgrind --instr-atstart=no`.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { drive, mariadbTicks, sink } from './in-memory.js';
import Koa from 'koa';
import { createRuntime } from '../core/server.js';

const mode = process.argv[2] ?? 'list-first';
const total = Number(process.argv[3] ?? 20_000);
const shoppers = process.argv[4] === 'shoppers';
const warmup = Number(process.env.WARMUP ?? Math.min(total, 5000));
const repeat = Number(process.env.REPEAT ?? 1);
const gate = process.env.GATE;
const gateBlock = Number(process.env.GATE_BLOCK ?? repeat);
let targets = fs
  .readFileSync('bench/out/targets-100.tsv', 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split('\t'));
if (process.env.PRODUCTS) {
  // n products, taken round-robin over the stores (the file lists each store's products together).
  const bySlug = new Map<string, string[][]>();
  for (const t of targets) (bySlug.get(t[0]) ?? bySlug.set(t[0], []).get(t[0])!).push(t);
  const stores = [...bySlug.values()];
  const n = Number(process.env.PRODUCTS);
  const bounded: string[][] = [];
  for (let j = 0; j < Math.ceil(n / stores.length); j++) for (const list of stores) if (list[j] && bounded.length < n) bounded.push(list[j]);
  targets = bounded;
}

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

/** CPU ticks of the mariadbd threads serving this database's connections (its own work, not the other databases'). */
async function connectionTicks(): Promise<number> {
  if (!rt || !String(process.env.DATABASE_URL ?? '').startsWith('mysql')) return NaN;
  try {
    const pid = execFileSync('pgrep', ['-o', 'mariadbd']).toString().trim();
    const [rows] = (await rt.kernel.pool.control.raw('select tid from information_schema.processlist where db = database()')) as [{ tid: number }[]];
    let ticks = 0;
    for (const { tid } of rows) {
      const f = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks;
  } catch {
    return NaN;
  }
}

let statements = 0;
async function waitFor(file: string, said: string): Promise<void> {
  console.log(`gate: ${said}`);
  while (!fs.existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function measure(label: string, handle: (req: IncomingMessage, res: ServerResponse) => void, blocks = 1, app = false): Promise<number> {
  if (warmup > 0) await drive(handle, warmup, request); // warm-up: JIT and caches
  let us = 0;
  for (let b = 1; b <= blocks; b++) {
    if (gate && app && b === gateBlock) await waitFor(gate, 'waiting');
    const own = app ? await connectionTicks() : NaN;
    statements = 0;
    const [cpu, maria, t0] = [process.cpuUsage(), mariadbTicks(), process.hrtime.bigint()];
    const statuses = await drive(handle, total, request);
    const used = process.cpuUsage(cpu);
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const mariaUs = ((mariadbTicks() - maria) * 10_000) / total;
    const ownUs = app ? (((await connectionTicks()) - own) * 10_000) / total : NaN;
    if (gate && app && b === gateBlock) await waitFor(`${gate}.done`, 'done');
    us = (used.user + used.system) / total;
    const extra = app ? `  statements ${(statements / total).toFixed(2)}, mariadbd ${mariaUs.toFixed(1)} µs (its threads serving this database ${ownUs.toFixed(1)} µs), ${(total / wall).toFixed(0)}/s, load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}` : '';
    console.log(`${(b > 1 ? `${label} #${b}` : label).padEnd(28)} ${us.toFixed(1).padStart(7)} µs CPU per request  (${total} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))})${extra}`);
  }
  return us;
}

let rt: Awaited<ReturnType<typeof createRuntime>> | null = null;
let bareUs = NaN;
if (process.env.BARE !== '0') {
  const bare = new Koa();
  bare.use((koa) => {
    koa.body = { hello: 'world' };
  });
  bareUs = await measure('bare Koa {"hello":"world"}', bare.callback());
}

rt = await createRuntime({ role: 'web', migrate: false });
// A cached read should not reach the database: count what does (memo expiries, 5 s TTLs).
const queries = new Map<string, number>();
for (const db of rt.kernel.pool.all()) {
  db.on('query', (q: { sql: string }) => {
    statements++;
    queries.set(q.sql, (queries.get(q.sql) ?? 0) + 1);
  });
}
// PROFILE=<file>: a CPU profile of the app's warm-up and measured blocks (not the boot), for DevTools/speedscope.
const session = process.env.PROFILE ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const appUs = await measure(`app ${mode}`, rt.app.callback(), repeat, true);
if (session) fs.writeFileSync(process.env.PROFILE!, JSON.stringify((await session.post('Profiler.stop')).profile));
const shown = queries.size > 20 ? `(${queries.size} distinct)` : Object.fromEntries(queries);
console.log(`database queries during warm-up and run: ${[...queries.values()].reduce((a, b) => a + b, 0)}`, shown);
if (process.env.BARE !== '0') console.log(`app / bare: ${(appUs / bareUs).toFixed(2)}x`);
await rt.close();
process.exit(0);
