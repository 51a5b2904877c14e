// Memory per store (issue 27): what an app process holds for a store it has served once and that
// then idles (its tenant row, settings and plugin memos, cached pages). Boots the app (web role)
// in memory, reads one product list from each of the seeded idle stores (bench/seed.ts
// --idle-stores=N), and compares the heap and RSS after a full GC before and after; a store
// never served costs nothing until then (nothing is loaded per store at boot: counted too).
//   DATABASE_URL=... REDIS_URL=... NODE_ENV=production node --expose-gc bench/out/dist/bench/store-memory.js [stores]
import { IncomingMessage } from 'node:http';
import { drive, sink } from './in-memory.js';
import { createRuntime } from '../core/server.js';

const limit = Number(process.argv[2] ?? 2000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function memory(): { heap: number; rss: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const before = memory();
const rt = await createRuntime({ role: 'web', migrate: false });
const db = rt.kernel.pool.control;
const [{ n: stores }] = (await db('tenants').count({ n: '*' })) as { n: number }[];
const slugs = ((await db('tenants').where('slug', 'like', 'bench-idle-%').orderBy('slug').limit(limit).select('slug')) as { slug: string }[]).map((r) => r.slug);
if (slugs.length < 2) throw new Error('no idle stores: seed with bench/seed.ts --idle-stores=N');
const request = (i: number) => {
  const req = new IncomingMessage(sink());
  req.method = 'GET';
  req.url = '/store/v1/products?limit=20';
  req.headers = { host: `${slugs[i % slugs.length]}.localhost`, accept: '*/*' };
  req.push(null);
  return req;
};
// Warm the process on the first 20 stores (code paths, JIT), then measure over the rest.
await drive(rt.app.callback(), 40, request, 10);
const booted = memory();
const rest = slugs.slice(20);
const served = await drive(rt.app.callback(), rest.length, (i) => request(i + 20), 10);
const after = memory();
const kb = (n: number) => (n / 1024).toFixed(1);
console.log(`stores in the database: ${stores}; boot: heap ${kb(booted.heap - before.heap)} KB, rss ${kb(booted.rss - before.rss)} KB (whatever the number of stores)`);
console.log(`served once then idle: ${rest.length} stores (statuses ${JSON.stringify(Object.fromEntries(served))}): heap +${kb((after.heap - booted.heap) / rest.length)} KB and rss +${kb((after.rss - booted.rss) / rest.length)} KB per store`);
await rt.close();
process.exit(0);
