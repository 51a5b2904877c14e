// `bazaar tenant:move`: a store moves between placements with every row (plugin tables too),
// read-only meanwhile (writes 503 + Retry-After, reads go on), verified, switched; a failure at
// any step leaves it where it was.
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { makePlatformAdmin, makeTenant, makeCustomer, type TestTenant } from '../support/factories.js';
import { get, post } from '../support/http.js';
import { runtime, testEnv, SECOND_PLACEMENT } from '../support/runtime.js';
import { makeVariant, placeOrder } from '../orders/support.js';
import { createSystemCtx, requireTenant } from '../../core/context.js';
import { tenantModels } from '../../core/db/model.js';
import { enablePlugin } from '../../core/plugins/lifecycle.service.js';
import { waitFor } from '../../core/plugins/testkit.js';
import { AppError } from '../../core/errors.js';
import { moveTenant, type MoveOptions } from '../../tenants/tenant.move.js';
import type { Knex } from '../../core/db/knex.js';

async function rowsOf(db: Knex, tenantId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tenantModels.keys()) {
    if (!(await db.schema.hasTable(table))) continue;
    const [{ n }] = (await db(table).where('tenant_id', tenantId).count({ n: '*' })) as { n: number | string }[];
    if (Number(n)) out[table] = Number(n);
  }
  return out;
}

async function move(opts: Omit<MoveOptions, 'drainMs'> & { drainMs?: number }) {
  const rt = await runtime();
  return moveTenant(createSystemCtx(rt.kernel, null, { actor: { type: 'system', name: 'test' } }), { drainMs: 20, ...opts });
}

async function moveError(opts: Parameters<typeof move>[0]): Promise<AppError> {
  try {
    await move(opts);
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    return err as AppError;
  }
  throw new Error('the move was expected to fail');
}

async function placementOf(slug: string): Promise<{ placement: string; moving_to: string | null }> {
  const rt = await runtime();
  return (await rt.kernel.pool.control('tenants').where({ slug }).first('placement', 'moving_to')) as { placement: string; moving_to: string | null };
}

describe('bazaar tenant:move', function () {
  this.timeout(120_000);
  let shop: TestTenant;
  let variant: string;

  before(async () => {
    const rt = await runtime();
    shop = await makeTenant();
    const admin = await makePlatformAdmin();
    expect((await post('/platform/v1/plugins/webhooks/install', {}, { token: admin.token })).status).to.equal(200);
    await enablePlugin(requireTenant(createSystemCtx(rt.kernel, shop.tenant)), 'webhooks');
    const hook = await post('/admin/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/orders', events: ['order.*'] }, { token: shop.ownerToken });
    expect(hook.status, hook.text).to.equal(201);
    variant = await makeVariant(shop, { price: 1200, stock: 50 });
    await makeCustomer(shop);
    await placeOrder(shop, [{ variantId: variant, quantity: 2 }]);
    // The order's webhook is attempted (port 9 refuses; the retry is a minute away): the rows are settled.
    await waitFor(async () => Number(((await rt.kernel.pool.forTenant(shop.tenant)('webhooks_attempts').where('tenant_id', shop.tenant.id).count({ n: '*' })) as { n: number }[])[0].n) > 0, { what: 'the first webhook attempt' });
  });

  it('moves a store with every row, read-only while it moves, and it goes on working on the new database', async () => {
    const rt = await runtime();
    const from = rt.kernel.pool.forTenant({ placement: 'default' });
    const to = rt.kernel.pool.forTenant({ placement: SECOND_PLACEMENT });
    const before = await rowsOf(from, shop.tenant.id);
    expect(before).to.include.keys('products', 'orders', 'customers', 'outbox', 'tenant_plugins', 'webhooks_endpoints', 'webhooks_attempts');

    const during: { write: number; retryAfter: string | null; code: string; read: number; staffLogin: number }[] = [];
    const report = await move({
      slug: shop.slug,
      to: SECOND_PLACEMENT,
      async onStep(step) {
        if (step !== 'copied') return;
        const write = await post('/store/v1/auth/signup', { email: 'late@example.com', password: 'correct horse battery', name: 'Late' }, { tenant: shop.slug });
        const read = await get(`/store/v1/products`, { tenant: shop.slug });
        const login = await post('/admin/v1/auth/login', { tenant: shop.slug, email: shop.ownerEmail, password: 'correct horse battery' });
        during.push({ write: write.status, retryAfter: write.headers.get('retry-after'), code: write.body.code, read: read.status, staffLogin: login.status });
      },
    });
    expect(during).to.deep.equal([{ write: 503, retryAfter: '5', code: 'TENANT_MOVING', read: 200, staffLogin: 503 }]);
    expect(report).to.include({ from: 'default', to: SECOND_PLACEMENT, slug: shop.slug });
    expect(report.cleanupError).to.equal(undefined);
    expect(Object.fromEntries(report.tables.filter((t) => t.rows).map((t) => [t.table, t.rows]))).to.deep.equal(before);
    expect(report.tables.every((t) => /^[0-9a-f]{64}$/.test(t.sha256))).to.equal(true);

    expect(await placementOf(shop.slug)).to.deep.equal({ placement: SECOND_PLACEMENT, moving_to: null });
    expect(await rowsOf(to, shop.tenant.id)).to.deep.equal(before);
    expect(await rowsOf(from, shop.tenant.id), 'the old rows are removed').to.deep.equal({});

    // Reads, sign-ins and writes go to the new database; numbering and stock carry on.
    const list = await get('/store/v1/products', { tenant: shop.slug });
    expect(list.status).to.equal(200);
    expect(list.body.items).to.have.length(1);
    const second = await placeOrder(shop, [{ variantId: variant, quantity: 1 }]);
    const [first] = (await to('orders').where('tenant_id', shop.tenant.id).orderBy('number').select('number')) as { number: number }[];
    expect(second.order.number).to.equal(Number(first.number) + 1);
    const stock = await get(`/admin/v1/variants/${variant}/stock`, { token: shop.ownerToken });
    expect(stock.body).to.include({ onHand: 50, reserved: 3 });
    // The new order's event reaches the webhooks plugin, whose rows are on the new database.
    await waitFor(async () => Number(((await to('webhooks_deliveries').where('tenant_id', shop.tenant.id).count({ n: '*' })) as { n: number }[])[0].n) >= 2, { what: 'a delivery for the order placed after the move' });
    expect(await rowsOf(from, shop.tenant.id)).to.deep.equal({});

    const audit = await rt.kernel.pool.control('audit_log').where({ tenant_id: shop.tenant.id, action: 'tenant.moved' }).first();
    expect(audit, 'the move is audited').to.not.equal(undefined);
  });

  it('leaves the store where it was when verification fails, with nothing left on the target', async () => {
    const rt = await runtime();
    const here = rt.kernel.pool.forTenant({ placement: SECOND_PLACEMENT });
    const there = rt.kernel.pool.forTenant({ placement: 'default' });
    const before = await rowsOf(here, shop.tenant.id);
    const err = await moveError({
      slug: shop.slug,
      to: 'default',
      async onStep(step) {
        // A write the read-only guard cannot see (straight into the database) after the copy.
        if (step === 'copied') await here('search_queries').insert({ tenant_id: shop.tenant.id, day: '2026-01-01', query: 'sneaked in', count: 1, zero_results: 0 });
      },
    });
    expect(err.code).to.equal('MOVE_VERIFY_FAILED');
    expect(err.message).to.match(/^Table search_queries differs after the copy/);
    expect(await placementOf(shop.slug)).to.deep.equal({ placement: SECOND_PLACEMENT, moving_to: null });
    expect(await rowsOf(there, shop.tenant.id), 'nothing left on the target').to.deep.equal({});
    expect(await rowsOf(here, shop.tenant.id)).to.deep.equal({ ...before, search_queries: (before.search_queries ?? 0) + 1 });
    const write = await post('/store/v1/auth/signup', { email: 'after@example.com', password: 'correct horse battery', name: 'After' }, { tenant: shop.slug });
    expect(write.status, 'writable again').to.equal(201);
  });

  it('refuses an unknown placement, the one it is on, and a second move at the same time', async () => {
    expect((await moveError({ slug: shop.slug, to: 'nowhere' })).code).to.equal('UNKNOWN_PLACEMENT');
    expect((await moveError({ slug: shop.slug, to: SECOND_PLACEMENT })).code).to.equal('ALREADY_THERE');
    expect((await moveError({ slug: 'no-such-store', to: 'default' })).code).to.equal('TENANT_NOT_FOUND');
    let release!: () => void;
    const paused = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atCopy = new Promise<void>((r) => (reached = r));
    const first = move({ slug: shop.slug, to: 'default', onStep: async (s) => { if (s === 'readOnly') { reached(); await paused; } } });
    await atCopy;
    expect((await moveError({ slug: shop.slug, to: 'default' })).code).to.equal('MOVE_IN_PROGRESS');
    release();
    expect((await first).to).to.equal('default');
    expect(await placementOf(shop.slug)).to.deep.equal({ placement: 'default', moving_to: null });
  });

  it('runs as a command, with usage errors in one line', async function () {
    const rt = await runtime();
    const other = await makeTenant();
    await makeVariant(other, { price: 500, stock: 3 });
    const env = { ...testEnv(), DATABASE_URL: rt.kernel.config.databaseUrl, DATABASE_PLACEMENTS: JSON.stringify(rt.kernel.config.placements), REDIS_URL: rt.kernel.config.redisUrl ?? '', SEED_DEMO: 'false' };
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'core/cli.ts', ...args], { env, encoding: 'utf8', timeout: 90_000 });
    const usage = cli('tenant:move', '--slug', other.slug);
    expect(usage.status).to.equal(2);
    expect(usage.stderr.trim()).to.equal('tenant:move needs --slug and --to');
    // 6 s: longer than this process's tenant memo (5 s), as the default 8 s is.
    const done = cli('tenant:move', '--slug', other.slug, '--to', SECOND_PLACEMENT, '--drain-seconds', '6');
    expect(done.status, done.stderr).to.equal(0);
    const report = JSON.parse(done.stdout) as { to: string; tables: { table: string; rows: number }[] };
    expect(report.to).to.equal(SECOND_PLACEMENT);
    expect(report.tables.find((t) => t.table === 'product_variants')?.rows).to.equal(1);
    expect(done.stderr).to.match(/verified \d+ rows \(count and SHA-256 per table\)/);
    expect(await placementOf(other.slug)).to.deep.equal({ placement: SECOND_PLACEMENT, moving_to: null });
    // This process sees the new placement once its tenant directory entry expires (5 s).
    await waitFor(async () => (await get('/store/v1/products', { tenant: other.slug })).body.items?.length === 1, { timeoutMs: 15_000, what: 'the moved store answering from its new database' });
  });
});
