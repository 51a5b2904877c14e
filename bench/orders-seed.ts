// Seed for the orders benchmark (MariaDB): one store with 100 products x 3 variants (a million
// units each), and N guest carts of 3 lines each with checkout details already set (email,
// address, offline bank transfer), as a shopper leaves them right before "Place order".
// Tenant and products go through the services; carts go in as multi-row inserts of what the cart
// service writes. Writes bench/out/orders-carts.tsv (host, cart id, cart token) for orders.lua.
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
const view = await provisionTenant(createSystemCtx(rt.kernel, null), { slug: SLUG, name: 'Bench Orders', defaultCurrency: 'USD', currencies: ['USD'], taxMode: 'exclusive', taxRateBp: 800, owner: { email: 'owner@bench-orders.test', name: 'Owner', password: 'correct horse battery' } });
const tenant = (await rt.kernel.tenants.byId(view.id))!;
const ctx = requireTenant(createSystemCtx(rt.kernel, tenant));

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

const address = JSON.stringify({ name: 'Bench Shopper', line1: '1 Load Street', city: 'Springfield', postalCode: '12345', country: 'US' });
const lines: string[] = [];
const now = new Date();
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
  lines.push(`${SLUG}.localhost\t${id}\t${token}`);
  if (carts.length >= 1000) await flush();
}
await flush();
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'orders-carts.tsv'), lines.join('\n') + '\n');
console.log(`seeded ${SLUG}: ${variants.length} variants, ${CARTS} carts of 3 lines -> bench/out/orders-carts.tsv`);
await rt.close();
