// What one checkout costs, without the network: seeded carts (bench/orders-seed.ts) are checked
// out through the app's whole pipeline in memory (bench/in-memory.ts), CONCURRENCY at a time, in
// one process. Prints, per order: app CPU (this process, all threads, GC included), MariaDB CPU
// (mariadbd's /proc/<pid>/stat delta: the server is shared, so run it on an otherwise quiet
// database), SQL statements and transactions, and the statements of one checkout in order.
// The same for uncached product pages (`detail`) of the seeded stores.
//   DATABASE_URL=mysql://…/bazaar_bench_orders REDIS_URL=redis://127.0.0.1:6379/8 NODE_ENV=production LOG_LEVEL=warn \
//   node bench/out/dist/bench/checkout-pipeline.js [checkout|detail] [orders] [store-slug|all] [--trace]
// --trace prints the statements of one more checkout; --profile=<file> writes a CPU profile of the
// measured block (open it in Chrome DevTools or speedscope). PART=k/n walks every n-th cart only
// (runs side by side on one store); GATE=<file>: see below and README.md.
// Each cart is used once: a checkout run consumes carts (the seed made enough for many runs).
import fs from 'node:fs';
import { IncomingMessage } from 'node:http';
import { Session } from 'node:inspector/promises';
import { drive, mariadbTicks, sink } from './in-memory.js';
import { createRuntime } from '../core/server.js';
import { batchedRoundTrips, batchingCounts } from '../core/db/batching.js';

const mode = process.argv[2] ?? 'checkout';
const total = Number(process.argv[3] ?? 1000);
const only = process.argv[4] ?? 'all';
const trace = process.argv.includes('--trace');
// --profile=<file>: a CPU profile of the measured block only (not the boot), for DevTools/speedscope.
const profile = process.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
const concurrency = Number(process.env.CONCURRENCY ?? 50);

const carts = fs
  .readFileSync('bench/out/orders-carts.tsv', 'utf8')
  .trim()
  .split('\n')
  .map((line) => line.split('\t'))
  .filter(([host]) => only === 'all' || host === `${only}.localhost`);

const rt = await createRuntime({ role: 'web', migrate: false });
const db = rt.kernel.pool.control;
// Carts still open (earlier runs used some): the run walks those.
const open = new Set(((await db('carts').where('status', 'open').select('id')) as { id: string }[]).map((r) => r.id));
// PART=k/n: only every n-th cart from the k-th, so n runs (code before and after a change) can
// walk one store's carts side by side without sending the same cart twice.
const [part, parts] = (process.env.PART ?? '0/1').split('/').map(Number);
const todo = carts.filter(([, id], i) => open.has(id) && i % parts === part);
const products = mode === 'detail' ? ((await db('products').select('id', 'tenant_id')) as { id: string; tenant_id: string }[]) : [];
const slugOf = new Map(((await db('tenants').select('id', 'slug')) as { id: string; slug: string }[]).map((t) => [t.id, t.slug]));

function request(i: number): IncomingMessage {
  const req = new IncomingMessage(sink());
  if (mode === 'detail') {
    const p = products[(i * 7919) % products.length];
    req.method = 'GET';
    req.url = `/store/v1/products/${p.id}`;
    req.headers = { host: `${slugOf.get(p.tenant_id)}.localhost`, 'user-agent': 'wrk', accept: '*/*' };
    req.push(null);
    return req;
  }
  const [host, id, token] = todo[next++];
  req.method = 'POST';
  req.url = `/store/v1/carts/${id}/checkout`;
  req.headers = { host, 'x-cart-token': token, 'idempotency-key': `pipe-${id}`, 'content-type': 'application/json', 'content-length': '2', 'user-agent': 'wrk', accept: '*/*' };
  req.push('{}');
  req.push(null);
  return req;
}
let next = 0;

let statements = 0;
let transactions = 0;
let traced: string[] | null = null;
for (const knex of rt.kernel.pool.all()) {
  knex.on('query', (q: { sql: string }) => {
    statements++;
    if (/^(begin|start transaction|BEGIN)/i.test(q.sql)) transactions++;
    if (traced) traced.push(q.sql.slice(0, 160));
  });
}
// Round trips to MariaDB (core/db/batching.ts: BEGIN and deferred writes ride with the next
// statement) and the statements of each that carried more than one.
let carried: string[][] | null = null;
batchedRoundTrips.on('sent', (sqls) => carried?.push(sqls.map((s) => s.slice(0, 60))));

// With --expose-gc: the heap left after a full collection, so a run shows whether orders leave memory behind.
function heapAfter(): string {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return '';
  gc();
  return ` heap_after_gc_mb=${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)}`;
}

async function block(n: number, label: string): Promise<void> {
  if (mode === 'checkout' && next + n > todo.length) throw new Error(`only ${todo.length - next} open carts left: seed again`);
  statements = 0;
  transactions = 0;
  const [trips, deferred] = [batchingCounts.roundTrips, batchingCounts.deferred];
  const [cpu, maria, t0] = [process.cpuUsage(), mariadbTicks(), process.hrtime.bigint()];
  const statuses = await drive(rt.app.callback(), n, request, concurrency);
  const used = process.cpuUsage(cpu);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const mariaMs = (mariadbTicks() - maria) * 10;
  console.log(
    `${label.padEnd(10)} ${mode} n=${n} app_cpu_ms=${((used.user + used.system) / 1000 / n).toFixed(3)} (user ${(used.user / 1000 / n).toFixed(3)}) mariadb_cpu_ms=${(mariaMs / n).toFixed(3)} ` +
      `statements=${((statements + batchingCounts.deferred - deferred) / n).toFixed(2)} round_trips=${((batchingCounts.roundTrips - trips) / n).toFixed(2)} transactions=${(transactions / n).toFixed(2)} per_s=${(n / wall).toFixed(0)}${heapAfter()} statuses=${JSON.stringify(Object.fromEntries(statuses))} load=${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
}

await block(Math.min(200, Math.floor(total / 4)), 'warm-up');
const session = profile ? new Session() : null;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
// GATE=<file> (for `valgrind --tool=callgrind --instr-atstart=no`, see README.md): before measured
// block GATE_BLOCK (default the last), print `gate: waiting` and wait until <file> exists (the
// driver switched instrumentation on); after it, print `gate: done` and wait for <file>.done.
const gate = process.env.GATE;
const repeat = Number(process.env.REPEAT ?? 1);
const gateBlock = Number(process.env.GATE_BLOCK ?? repeat);
async function waitFor(file: string, said: string): Promise<void> {
  console.log(`gate: ${said}`);
  while (!fs.existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 100));
}
for (let i = 1; i <= repeat; i++) {
  if (gate && i === gateBlock) await waitFor(gate, 'waiting');
  await block(total, i === 1 ? 'measured' : `measured ${i}`);
  if (gate && i === gateBlock) await waitFor(`${gate}.done`, 'done');
}
if (session) {
  const { profile: taken } = await session.post('Profiler.stop');
  fs.writeFileSync(profile!, JSON.stringify(taken));
}
if (trace) {
  traced = [];
  carried = [];
  const trips = batchingCounts.roundTrips;
  await drive(rt.app.callback(), 1, request, 1);
  console.log(`one ${mode}: ${traced.length} statements through knex (deferred writes are not among them), ${batchingCounts.roundTrips - trips} round trips`);
  for (const s of traced) console.log(`  ${s}`);
  for (const c of carried) console.log(`  carried in one round trip: ${c.join(' | ')}`);
}
await rt.close();
process.exit(0);
