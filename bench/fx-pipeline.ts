// What price conversion costs (issue 20): the store product list through the app's whole pipeline,
// in memory (no sockets, bench/in-memory.ts), for a store priced in USD only shown in its EUR
// market (every price converted: rate x 5% adjustment, half-even, a .99 rule) beside an identical
// store whose products carry fixed EUR prices (nothing converted). Both have the cross-border
// plugin on with the same market, so the difference is the conversion itself.
//
// Cases, each for both stores, in alternating blocks (ABBA) in one process, CPU per request
// (every thread: GC included):
//   list     GET /store/v1/products?limit=20            (the first page: served from the catalog cache)
//   page2    the second page (a cursor: never cached, 20 cards read and priced)
//   price    the second page sorted by price_asc (converted: two keyset scans merged)
// The database queries made during the cached blocks are counted: the rates and markets must come
// from memory (the plugin's per-store book), not from the database.
//
// Self-contained: it makes its own two stores through the Admin API with the plugin test kit
// (a fresh database beside DATABASE_URL's, or SQLite without one) and a local ECB fake.
//   DATABASE_URL=mysql://bazaar_ci:bazaar_ci@127.0.0.1:3306/bazaar_ci_fx REDIS_URL=redis://127.0.0.1:6379/4 \
//   node --import tsx bench/fx-pipeline.ts [rounds=6] [block=2000] [products=100]
import http from 'node:http';
import { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drive, sink } from './in-memory.js';
import { startTestKit, type KitTenant } from '../core/plugins/testkit.js';
import crossBorder from '../plugins/cross-border/index.js';

const rounds = Number(process.argv[2] ?? 6);
const block = Number(process.argv[3] ?? 2000);
const products = Number(process.argv[4] ?? 100);

const today = new Date().toISOString().slice(0, 10);
const ECB = `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>Reference rates</gesmes:subject><gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
<Cube><Cube time='${today}'><Cube currency='USD' rate='1.0830'/><Cube currency='JPY' rate='162.45'/></Cube></Cube></gesmes:Envelope>`;
const ecb = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/xml' });
  res.end(ECB);
});
await new Promise<void>((resolve) => ecb.listen(0, '127.0.0.1', resolve));
const ecbUrl = `http://127.0.0.1:${(ecb.address() as AddressInfo).port}/ecb`;

const kit = await startTestKit({ plugin: crossBorder, options: { 'cross-border': { ecbUrl } }, env: { LOG_LEVEL: 'warn', NODE_ENV: process.env.NODE_ENV ?? 'test' } });
const check = (res: { status: number; text: string }, what: string) => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
};

async function store(kind: 'converted' | 'fixed'): Promise<KitTenant> {
  const t = await kit.tenant({ enable: ['cross-border'], settings: { 'cross-border': kind === 'fixed' ? { rateSource: 'manual' } : {} } });
  const admin = { token: t.ownerToken };
  check(await kit.patch('/admin/v1/store', { currencies: ['USD', 'EUR'] }, admin), 'currencies');
  if (kind === 'converted') check(await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin), 'rates');
  check(await kit.post('/admin/v1/cross-border/markets', { code: 'eu', name: 'Europe', countries: ['DE', 'FR'], currency: 'EUR', isDefault: true, adjustmentPct: '5', rounding: { mode: 'up', step: '1', ending: '0.99' } }, admin), 'market');
  for (let i = 0; i < products; i++) {
    const usd = 1000 + ((i * 7919) % 20_000);
    const prices = kind === 'fixed' ? [{ currency: 'USD', amount: usd }, { currency: 'EUR', amount: Math.round(usd * 0.97) - (Math.round(usd * 0.97) % 100) + 99 }] : [{ currency: 'USD', amount: usd }];
    check(await kit.post('/admin/v1/products', {
      status: 'active', translations: { en: { name: `Product ${i}`, description: `Product ${i}` } }, attributes: {}, images: [], categoryIds: [],
      variants: [{ sku: `P-${i}`, prices, stock: 10 }],
    }, admin), 'product');
  }
  return t;
}

const stores = { converted: await store('converted'), fixed: await store('fixed') };
type Kind = keyof typeof stores;

/** A store GET by its Host (`<slug>.localhost`), as production names stores (X-Tenant is for tests). */
function storeGet(path: string, slug: string): Promise<{ status: number; text: string; body: any }> {
  const url = new URL(path, kit.baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host: `${slug}.localhost`, accept: 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

// The second pages' cursors, and a check that both lists are in EUR with every price shown.
const cursors: Record<Kind, Record<string, string>> = { converted: {}, fixed: {} };
for (const kind of ['converted', 'fixed'] as const) {
  for (const [name, query] of [['page2', ''], ['price', '&sort=price_asc']]) {
    const first = await storeGet(`/store/v1/products?limit=20${query}`, stores[kind].slug);
    check(first, `${kind} list`);
    if (first.body.currency !== 'EUR' || first.body.items.some((i: { price: unknown }) => !i.price)) throw new Error(`${kind}: not every price is shown in EUR`);
    cursors[kind][name] = first.body.nextCursor;
  }
}

function request(kind: Kind, which: string): IncomingMessage {
  const req = new IncomingMessage(sink());
  req.method = 'GET';
  req.url = which === 'list' ? '/store/v1/products?limit=20' : `/store/v1/products?limit=20${which === 'price' ? '&sort=price_asc' : ''}&cursor=${cursors[kind][which]}`;
  req.headers = { host: `${stores[kind].slug}.localhost`, accept: 'application/json', 'user-agent': 'bench' };
  req.push(null);
  return req;
}

const handle = kit.runtime.app.callback();
let queries = 0;
for (const db of kit.kernel.pool.all()) db.on('query', () => queries++);

const results: Record<string, { cpu: Record<Kind, number[]>; queries: Record<Kind, number> }> = {};
for (const which of ['list', 'page2', 'price']) {
  const n = which === 'list' ? block * 2 : block;
  for (const kind of ['converted', 'fixed'] as const) await drive(handle, Math.min(n, 2000), () => request(kind, which)); // warm-up
  const cpu: Record<Kind, number[]> = { converted: [], fixed: [] };
  const q: Record<Kind, number> = { converted: 0, fixed: 0 };
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 === 0 ? (['converted', 'fixed'] as const) : (['fixed', 'converted'] as const)) {
      const q0 = queries;
      const before = process.cpuUsage();
      const statuses = await drive(handle, n, () => request(kind, which));
      const used = process.cpuUsage(before);
      q[kind] += queries - q0;
      if (statuses.size !== 1 || !statuses.has(200)) throw new Error(`${which} ${kind}: ${JSON.stringify(Object.fromEntries(statuses))}`);
      cpu[kind].push((used.user + used.system) / n);
    }
  }
  results[which] = { cpu, queries: q };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`fx-pipeline: ${rounds} ABBA pairs per case, ${products} products per store, ${kit.kernel.config.databaseUrl?.startsWith('mysql') ? 'MariaDB' : 'SQLite'}`);
for (const [which, r] of Object.entries(results)) {
  const n = which === 'list' ? block * 2 : block;
  const diffs = r.cpu.converted.map((x, i) => x - r.cpu.fixed[i]);
  const line = (kind: Kind) => `${kind.padEnd(9)} mean ${mean(r.cpu[kind]).toFixed(1).padStart(6)} µs (blocks ${Math.min(...r.cpu[kind]).toFixed(1)}–${Math.max(...r.cpu[kind]).toFixed(1)}), ${(r.queries[kind] / (rounds * n)).toFixed(2)} queries/request`;
  console.log(`${which.padEnd(6)} ${line('converted')}`);
  console.log(`${''.padEnd(6)} ${line('fixed')}`);
  console.log(`${''.padEnd(6)} conversion: mean ${(mean(r.cpu.converted) - mean(r.cpu.fixed)).toFixed(1)} µs, median of pairs ${median(diffs).toFixed(1)} µs (pairs ${Math.min(...diffs).toFixed(1)} to ${Math.max(...diffs).toFixed(1)}), ${n} requests a block`);
}
await kit.close();
await new Promise<void>((resolve) => ecb.close(() => resolve()));
process.exit(0);
