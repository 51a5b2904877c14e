// Bulk seed for the catalog benchmark (MariaDB): 100 tenants x 1,000 products x 3 variants,
// plus `bench-small` (10 products) and `bench-large` (100,000 products). Tenants are provisioned
// through the service; catalog rows go in as multi-row inserts (what the services would write,
// minus the search index, which `POST /admin/v1/search/reindex` builds when wanted).
// Writes bench/out/targets-<set>.tsv (slug, product id, a keyset cursor) for the wrk scripts.
//
// --idle-stores=N (issue 27) adds N more stores that receive no traffic (`bench-idle-00001`, ...):
// one is provisioned through the service with 10 products, then its rows in every table are
// copied N times in multi-row inserts, each copy with ids of its own (every UUID in a row, also
// inside paths and JSON, mapped to a new one per copy) and its slug in place of the template's:
// 10,000 stores in about a minute instead of 10,000 provisioning calls. With --idle-only the
// database keeps what it has and only the idle stores are added.
//
//   DATABASE_URL=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench node --import tsx bench/seed.ts [--reset] [--stores-only] [--products=1000] [--large=100000] [--idle-stores=N [--idle-only]]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config.js';
import { createRuntime } from '../core/server.js';
import { createSystemCtx, requireTenant, type TenantCtx } from '../core/context.js';
import { createKnex, type Knex } from '../core/db/knex.js';
import { newId } from '../core/db/ids.js';
import { encodeCursor } from '../core/http/pagination.js';
import { provisionTenant } from '../tenants/tenant.service.js';
import { defaultLocation } from '../core/catalog/inventory.service.js';
import { nameKey, slugify } from '../core/catalog/text.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const url = process.env.DATABASE_URL ?? '';
if (!/^mysql:\/\/.*bench/.test(url)) {
  console.error('Set DATABASE_URL to a MariaDB database whose name contains "bench" (it may be wiped with --reset).');
  process.exit(2);
}

const ADJECTIVES = ['Classic', 'Modern', 'Vintage', 'Compact', 'Deluxe', 'Rustic', 'Urban', 'Organic', 'Wireless', 'Ergonomic', 'Waterproof', 'Handmade'];
const NOUNS = ['Lamp', 'Chair', 'Backpack', 'Headphones', 'Kettle', 'Jacket', 'Notebook', 'Speaker', 'Sneakers', 'Watch', 'Mug', 'Blanket', 'Desk', 'Camera'];
const MATERIALS = ['cotton', 'leather', 'steel', 'oak', 'ceramic', 'wool', 'glass', 'bamboo'];
const SIZES = ['S', 'M', 'L'];

// A small deterministic PRNG, so every run seeds the same catalog.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];

async function reset(db: Knex): Promise<void> {
  const [rows] = (await db.raw('select table_name as t from information_schema.tables where table_schema = database()')) as [{ t: string }[]];
  await db.raw('set foreign_key_checks = 0');
  for (const { t } of rows) await db.schema.dropTableIfExists(t);
  await db.raw('set foreign_key_checks = 1');
}

class Batch {
  private readonly rows = new Map<string, Record<string, unknown>[]>();
  constructor(private readonly db: Knex, private readonly size = 2000) {}
  async add(table: string, row: Record<string, unknown>): Promise<void> {
    const list = this.rows.get(table) ?? [];
    list.push(row);
    this.rows.set(table, list);
    if (list.length >= this.size) await this.flush(table);
  }
  async flush(table?: string): Promise<void> {
    for (const t of table ? [table] : [...this.rows.keys()]) {
      const list = this.rows.get(t) ?? [];
      if (list.length) await this.db(t).insert(list);
      this.rows.set(t, []);
    }
  }
}

async function seedCatalog(ctx: TenantCtx, db: Knex, products: number): Promise<string[]> {
  const tenant_id = ctx.tenant.id;
  const location = await defaultLocation(ctx);
  const now = new Date();
  const batch = new Batch(db);
  const categories: string[] = [];
  for (let i = 0; i < 10; i++) {
    const id = newId();
    categories.push(id);
    await batch.add('categories', { tenant_id, id, parent_id: null, path: `/${id}/`, depth: 0, handle: `category-${i}`, names: JSON.stringify({ en: `Category ${i}`, 'zh-CN': `分类 ${i}` }), position: i, created_at: now, updated_at: now });
  }
  const ids: string[] = [];
  for (let n = 0; n < products; n++) {
    const id = newId();
    ids.push(id);
    const name = `${pick(ADJECTIVES)} ${pick(NOUNS)} ${n + 1}`;
    const material = pick(MATERIALS);
    const base = 500 + Math.floor(rand() * 50000);
    const onHand = SIZES.map(() => Math.floor(rand() * 20));
    await batch.add('products', {
      tenant_id, id, status: 'active', in_stock: onHand.some((n) => n > 0),
      card_locale: 'en', card_name: name, card_slug: slugify(name), card_currency: 'USD', card_min_amount: base, card_max_amount: base + 400,
      attributes: JSON.stringify({ material }), images: JSON.stringify([{ url: `https://images.example.com/${id}.jpg`, alt: name }]), published_at: now, created_at: now, updated_at: now,
    });
    await batch.add('product_translations', { tenant_id, product_id: id, locale: 'en', name, name_key: nameKey(name), slug: slugify(name), description: `The ${name.toLowerCase()}, made of ${material}.` });
    await batch.add('product_translations', { tenant_id, product_id: id, locale: 'zh-CN', name: `商品 ${n + 1}`, name_key: nameKey(`商品 ${n + 1}`), slug: `商品-${n + 1}`, description: `${material} 制成。` });
    await batch.add('product_categories', { tenant_id, product_id: id, category_id: categories[n % categories.length] });
    await batch.add('product_facets', { tenant_id, product_id: id, name: 'material', value: material });
    for (const [i, size] of SIZES.entries()) {
      const variant = newId();
      const usd = base + i * 200;
      await batch.add('product_variants', { tenant_id, id: variant, product_id: id, sku: `${ctx.tenant.slug}-${n + 1}-${size}`, sku_key: `${ctx.tenant.slug}-${n + 1}-${size}`.toLowerCase(), options: JSON.stringify({ size }), position: i, status: 'active', created_at: now, updated_at: now });
      await batch.add('variant_prices', { tenant_id, variant_id: variant, currency: 'USD', product_id: id, amount: usd, compare_at_amount: null, updated_at: now });
      await batch.add('variant_prices', { tenant_id, variant_id: variant, currency: 'EUR', product_id: id, amount: Math.round(usd * 0.92), compare_at_amount: null, updated_at: now });
      await batch.add('stock_levels', { tenant_id, variant_id: variant, location_id: location.id, product_id: id, on_hand: onHand[i], reserved: 0, updated_at: now });
      if (onHand[i] > 0) {
        await batch.add('stock_movements', { tenant_id, id: newId(), variant_id: variant, location_id: location.id, reason: 'initial', on_hand_delta: onHand[i], reserved_delta: 0, on_hand_after: onHand[i], reserved_after: 0, reference: null, note: null, actor_type: 'system', actor_id: 'bench-seed', created_at: now });
      }
      await batch.add('product_facets', { tenant_id, product_id: id, name: 'size', value: size.toLowerCase() });
    }
    await batch.add('product_price_ranges', { tenant_id, product_id: id, currency: 'USD', min_amount: base, max_amount: base + 400 });
    await batch.add('product_price_ranges', { tenant_id, product_id: id, currency: 'EUR', min_amount: Math.round(base * 0.92), max_amount: Math.round((base + 400) * 0.92) });
  }
  await batch.flush();
  return ids;
}

/** Lines of `slug \t product id \t cursor` where the cursor starts a page somewhere inside the list. */
function targets(slug: string, ids: string[], count: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[Math.floor(rand() * ids.length)];
    lines.push(`${slug}\t${id}\t${encodeCursor([id])}`);
  }
  return lines;
}

const UUID_G = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** N copies of the template store's rows (see the header), in multi-row inserts. */
async function cloneIdleStores(db: Knex, templateId: string, templateSlug: string, count: number): Promise<void> {
  const [cols] = (await db.raw("select table_name as t from information_schema.columns where table_schema = database() and column_name = 'tenant_id'")) as [{ t: string }[]];
  const rowsOf = new Map<string, Record<string, unknown>[]>();
  rowsOf.set('tenants', await db('tenants').where('id', templateId));
  for (const { t } of cols) {
    const rows = (await db(t).where('tenant_id', templateId)) as Record<string, unknown>[];
    if (rows.length) rowsOf.set(t, rows);
  }
  const started = Date.now();
  const batch = new Batch(db, 1000);
  for (let n = 1; n <= count; n++) {
    const slug = `bench-idle-${String(n).padStart(5, '0')}`;
    const ids = new Map<string, string>();
    const remap = (u: string) => ids.get(u) ?? (ids.set(u, newId()), ids.get(u)!);
    const text = (v: string) => v.replace(UUID_G, remap).split(templateSlug).join(slug);
    // JSON columns come back parsed: written back as JSON text.
    const copy = (v: unknown): unknown => (typeof v === 'string' ? text(v) : v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v) ? text(JSON.stringify(v)) : v);
    for (const [t, rows] of rowsOf) for (const row of rows) await batch.add(t, Object.fromEntries(Object.entries(row).map(([k, v]) => [k, copy(v)])));
    if (n % 1000 === 0) process.stderr.write(`\r${n}/${count} idle stores  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await batch.flush();
  process.stderr.write('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  if (process.argv.includes('--reset')) {
    const db = createKnex(url);
    await reset(db);
    await db.destroy();
  }
  const rt = await createRuntime({ config: loadConfig({ ...process.env, PASSWORD_COST: '10', SEED_DEMO: 'false', LOG_LEVEL: 'warn' }), role: 'web' });
  const db = rt.kernel.pool.control;
  const idle = Number(process.argv.find((a) => a.startsWith('--idle-stores='))?.split('=')[1] ?? 0);
  const idleOnly = process.argv.includes('--idle-only');
  const existing = (await db('tenants').where('slug', 'like', idleOnly ? 'bench-idle-%' : 'bench-%').count({ n: '*' }))[0].n;
  if (Number(existing) > 0) {
    console.error(`the database already has ${existing} bench tenants; run with --reset to start over`);
    await rt.close();
    process.exit(2);
  }
  fs.mkdirSync(out, { recursive: true });
  const system = createSystemCtx(rt.kernel, null, { actor: { type: 'system', name: 'bench-seed' } });
  const make = async (slug: string, products: number) => {
    const view = await provisionTenant(system, {
      slug, name: `Bench ${slug}`, defaultCurrency: 'USD', currencies: ['USD', 'EUR'], defaultLocale: 'en',
      owner: { email: `owner@${slug}.bench`, name: 'Bench Owner', password: 'bench-owner-password' },
    });
    const tenant = (await rt.kernel.tenants.byId(view.id))!;
    // One transaction per tenant: far fewer log flushes than one per batch.
    return db.transaction((trx) => seedCatalog({ ...requireTenant(createSystemCtx(rt.kernel, tenant)), db: trx }, trx, products));
  };
  if (idle > 0) {
    // The template is a store like the others, with 10 products; its copies get their own ids.
    await make('bench-idle-00000', 10);
    const template = (await db('tenants').where('slug', 'bench-idle-00000').first()) as { id: string };
    await cloneIdleStores(db, template.id, 'bench-idle-00000', idle);
  }
  // --products=N and --large=N make a smaller catalog (defaults 1,000 a store and 100,000).
  const perStore = Number(process.argv.find((a) => a.startsWith('--products='))?.split('=')[1] ?? 1000);
  const largeCount = Number(process.argv.find((a) => a.startsWith('--large='))?.split('=')[1] ?? 100_000);
  const many: string[] = [];
  for (let i = 1; i <= (idleOnly ? 0 : 100); i++) {
    const slug = `bench-${String(i).padStart(3, '0')}`;
    many.push(...targets(slug, await make(slug, perStore), 50));
    if (i % 10 === 0) process.stderr.write(`\r${i}/100 tenants of 1,000 products  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  process.stderr.write('\n');
  if (!idleOnly) fs.writeFileSync(path.join(out, 'targets-100.tsv'), many.join('\n') + '\n');
  // The request filter's benchmark needs the 100 stores only: --stores-only skips the two lists.
  if (!process.argv.includes('--stores-only') && !idleOnly) {
    const small = await make('bench-small', 10);
    process.stderr.write(`bench-large: ${largeCount} products ...\n`);
    const large = await make('bench-large', largeCount);
    fs.writeFileSync(path.join(out, 'targets-small.tsv'), targets('bench-small', small, 10).join('\n') + '\n');
    fs.writeFileSync(path.join(out, 'targets-large.tsv'), targets('bench-large', large, 1000).join('\n') + '\n');
  }
  await db.raw('analyze table products, product_translations, product_variants, variant_prices, product_price_ranges, stock_levels, product_categories, product_facets');
  const counts = await Promise.all(['products', 'product_variants', 'variant_prices', 'stock_levels'].map(async (t) => `${t}=${(await db(t).count({ n: '*' }))[0].n}`));
  console.log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s: ${counts.join(' ')}`);
  await rt.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
