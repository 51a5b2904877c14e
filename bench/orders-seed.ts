// Seed for the orders benchmark (MariaDB): two like stores with 100 products x 3 variants (a
// million units each) and N guest carts each, of 3 lines with checkout details already set (email,
// address, offline bank transfer), as a shopper leaves them right before "Place order".
// `bench-orders` has no plugin on; `bench-orders-plugins` has every plugin that takes part in
// checkout on (payments, cross-border, logistics, membership; settings left at their defaults:
// no card gateway, no market, no zone, the offline bank transfer still chosen), so one run
// measures what they cost (issue 27).
// Tenant and products go through the services; carts go in as multi-row inserts of what the cart
// service writes. Writes bench/out/orders-carts-{off,on}.tsv (host, cart id, cart token) for
// orders.lua, and both in bench/out/orders-carts.tsv.
//
//   DATABASE_URL=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench_orders node --import tsx bench/orders-seed.ts [carts]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config.js';
import { createRuntime } from '../core/server.js';
import { createSystemCtx, requireTenant } from '../core/context.js';
import { createKnex } from '../core/db/knex.js';
import { newId } from '../core/db/ids.js';
import { provisionTenant } from '../tenants/tenant.service.js';
import { createProductRows } from '../core/catalog/product.service.js';
import { hashToken, newToken } from '../core/orders/cart.service.js';
import { enablePlugin, installPlugin } from '../core/plugins/lifecycle.service.js';

const CHECKOUT_PLUGINS = ['payments', 'cross-border', 'logistics', 'membership'];

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'out');
const url = process.env.DATABASE_URL ?? '';
if (!/^mysql:\/\/.*bench/.test(url)) {
  console.error('Set DATABASE_URL to a MariaDB database whose name contains "bench" (it is wiped).');
  process.exit(2);
}
const CARTS = Number(process.argv[2] ?? 40_000);
const SLUG = 'bench-orders';

const wipe = createKnex(url);
const [tables] = (await wipe.raw('select table_name as t from information_schema.tables where table_schema = database()')) as [{ t: string }[]];
for (const { t } of tables) await wipe.schema.dropTableIfExists(t);
await wipe.destroy();

const rt = await createRuntime({ config: loadConfig({ ...process.env, SEED_DEMO: 'false', LOG_LEVEL: 'warn' }), role: 'web' });
const platform = createSystemCtx(rt.kernel, null);
for (const name of CHECKOUT_PLUGINS) await installPlugin(platform, name);
const address = JSON.stringify({ name: 'Bench Shopper', line1: '1 Load Street', city: 'Springfield', postalCode: '12345', country: 'US' });
const now = new Date();
fs.mkdirSync(out, { recursive: true });
const all: string[][] = [];

async function seedStore(slug: string, plugins: string[]): Promise<string[]> {
  const view = await provisionTenant(platform, { slug, name: `Bench ${slug}`, defaultCurrency: 'USD', currencies: ['USD'], taxMode: 'exclusive', taxRateBp: 800, owner: { email: `owner@${slug}.test`, name: 'Owner', password: 'correct horse battery' } });
  const tenant = (await rt.kernel.tenants.byId(view.id))!;
  const ctx = requireTenant(createSystemCtx(rt.kernel, tenant));
  for (const name of plugins) await enablePlugin(ctx, name, {});
  const variants: string[] = [];
  for (let p = 0; p < 100; p++) {
    const productId = await createProductRows(ctx, {
      status: 'active',
      translations: { en: { name: `Bench product ${p}` } },
      variants: ['S', 'M', 'L'].map((size, i) => ({ sku: `B-${p}-${size}`, options: { size }, prices: [{ currency: 'USD', amount: 990 + p * 10 + i }], stock: 1_000_000 })),
    });
    const rows = (await ctx.db('product_variants').where({ tenant_id: tenant.id, product_id: productId }).select('id')) as { id: string }[];
    variants.push(...rows.map((r) => r.id));
  }
  const lines: string[] = [];
  let carts: Record<string, unknown>[] = [];
  let cartLines: Record<string, unknown>[] = [];
  const flush = async () => {
    if (carts.length) await ctx.db('carts').insert(carts);
    if (cartLines.length) await ctx.db('cart_lines').insert(cartLines);
    carts = [];
    cartLines = [];
  };
  for (let i = 0; i < CARTS; i++) {
    const id = newId();
    const token = newToken();
    carts.push({
      tenant_id: tenant.id, id, customer_id: null, token_hash: hashToken(token), status: 'open', currency: 'USD', email: `shopper${i}@example.com`,
      shipping_address: address, billing_address: null, shipping_provider: null, shipping_option: null, payment_provider: 'offline', payment_method: 'bank_transfer',
      version: 0, order_id: null, merged_into: null, created_at: now, updated_at: now,
    });
    const picked = new Set<string>();
    while (picked.size < 3) picked.add(variants[Math.floor(Math.random() * variants.length)]);
    for (const variantId of picked) cartLines.push({ tenant_id: tenant.id, id: newId(), cart_id: id, variant_id: variantId, quantity: 1 + (i % 2), created_at: now, updated_at: now });
    lines.push(`${slug}.localhost\t${id}\t${token}`);
    if (carts.length >= 1000) await flush();
  }
  await flush();
  console.log(`seeded ${slug}: ${variants.length} variants, ${CARTS} carts of 3 lines, plugins on: ${plugins.join(', ') || 'none'}`);
  return lines;
}

for (const [slug, plugins, file] of [[SLUG, [], 'off'], [`${SLUG}-plugins`, CHECKOUT_PLUGINS, 'on']] as const) {
  const lines = await seedStore(slug, [...plugins]);
  fs.writeFileSync(path.join(out, `orders-carts-${file}.tsv`), lines.join('\n') + '\n');
  all.push(lines);
}
// Both stores' carts, one after the other of each in turn.
fs.writeFileSync(path.join(out, 'orders-carts.tsv'), all[0].flatMap((l, i) => [l, all[1][i]]).join('\n') + '\n');
await rt.close();
