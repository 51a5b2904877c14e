// Checkout with card payment initiation (payments plugin, issue 18) beside the offline checkout
// (bank transfer), in the same run: orders/s and CPU ms per order. One process: the app, its
// database (embedded SQLite by default; BENCH_DATABASE_URL=mysql://... for MariaDB, wiped first)
// and the gateway — the plugin's bundled card simulator, the official stripe SDK talking HTTP to it
// on loopback — so CPU ms per order counts the app and the gateway fake together. Each order is the
// shopper's three calls (cart, line, checkout) over HTTP on loopback at CONCURRENCY at once.
// Rounds alternate offline, card, offline, card ... so a drift of the shared machine falls on both.
//
//   node --import tsx bench/payments-checkout.ts          ORDERS=300 CONCURRENCY=8 ROUNDS=3
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { loadConfig } from '../core/config.js';
import { createRuntime } from '../core/server.js';
import { seedDemo, DEMO } from '../tenants/demo-seed.js';
import { createKnex } from '../core/db/knex.js';

const ORDERS = Number(process.env.ORDERS ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

async function wipe(url: string): Promise<void> {
  const db = createKnex(url);
  try {
    const [rows] = (await db.raw('select table_name as t from information_schema.tables where table_schema = database()')) as [{ t: string }[]];
    for (const { t } of rows) await db.schema.dropTableIfExists(t);
  } finally {
    await db.destroy();
  }
}

const dbUrl = process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-paybench-')), 'bench.sqlite')}`;
if (dbUrl.startsWith('mysql')) await wipe(dbUrl);
const config = loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: dbUrl, REDIS_URL: process.env.BENCH_REDIS_URL ?? '', LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
const rt = await createRuntime({ config, role: 'all' });
await seedDemo(rt.kernel);
const server = await rt.listen(0, '127.0.0.1');
const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

async function call(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${base}${p}`, { method, headers: { 'x-tenant': DEMO.slug, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

const { token } = await call('POST', '/admin/v1/auth/login', { tenant: DEMO.slug, email: DEMO.owner.email, password: DEMO.owner.password });
const product = await call('POST', '/admin/v1/products', {
  status: 'active', translations: { en: { name: 'Bench tee', description: 'For the benchmark' } }, attributes: {}, images: [], categoryIds: [],
  variants: [{ sku: `BENCH-${crypto.randomBytes(3).toString('hex')}`, prices: [{ currency: 'USD', amount: 1999 }], stock: 1_000_000 }],
}, { authorization: `Bearer ${token}` });
const variantId = product.variants[0].id as string;
const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

async function order(payment: { provider: string; method: string }, expect: string): Promise<void> {
  const cart = await call('POST', '/store/v1/carts', {});
  const h = { 'x-cart-token': cart.token as string };
  await call('POST', `/store/v1/carts/${cart.cart.id}/lines`, { variantId, quantity: 1 }, h);
  const placed = await call('POST', `/store/v1/carts/${cart.cart.id}/checkout`, { email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: payment }, { ...h, 'idempotency-key': crypto.randomUUID() });
  if (placed.order.payment?.action?.type !== expect) throw new Error(`expected a ${expect} action, got ${JSON.stringify(placed.order.payment)}`);
}

async function round(payment: { provider: string; method: string }, expect: string): Promise<{ ordersPerS: number; cpuMsPerOrder: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < ORDERS) await order(payment, expect);
  }));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { ordersPerS: ORDERS / wallS, cpuMsPerOrder: (used.user + used.system) / 1000 / ORDERS };
}

const METHODS = [
  { name: 'offline (bank transfer)', payment: { provider: 'offline', method: 'bank_transfer' }, expect: 'instructions' },
  { name: 'card (stripe SDK -> bundled simulator)', payment: { provider: 'stripe', method: 'card' }, expect: 'card_form' },
];
// Warm-up: JIT, pools, the simulator's first start.
for (const m of METHODS) for (let i = 0; i < 20; i++) await order(m.payment, m.expect);

const load = os.loadavg()[0];
const results = new Map<string, { ordersPerS: number; cpuMsPerOrder: number }[]>(METHODS.map((m) => [m.name, []]));
for (let r = 0; r < ROUNDS; r++) for (const m of METHODS) results.get(m.name)!.push(await round(m.payment, m.expect));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[], d: number) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
console.log(`- date: ${new Date().toISOString().slice(0, 16)}Z; load average ${load.toFixed(1)} at start, ${os.loadavg()[0].toFixed(1)} at end`);
console.log(`- machine: ${os.cpus().length} cores, ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; node ${process.version}`);
console.log(`- database: ${dbUrl.startsWith('mysql') ? 'MariaDB' : 'SQLite (embedded)'}; ${ROUNDS} rounds of ${ORDERS} orders each per method, ${CONCURRENCY} at once, alternating\n`);
console.log('| checkout | orders/s median (min–max) | CPU ms per order median (min–max) |');
console.log('|---|---:|---:|');
for (const m of METHODS) {
  const rs = results.get(m.name)!;
  console.log(`| ${m.name} | ${fmt(rs.map((x) => x.ordersPerS), 1)} | ${fmt(rs.map((x) => x.cpuMsPerOrder), 2)} |`);
}
await rt.close();
process.exit(0);
