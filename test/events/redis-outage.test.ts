// Redis goes away while events are emitted: the changes still commit, and every event reaches
// its subscriber exactly once after Redis is back. The test runs its own redis-server on its
// own port and its own database, so the shared runtime is not disturbed.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config.js';
import { createRuntime, type Runtime } from '../../core/server.js';
import { createKnex } from '../../core/db/knex.js';
import { createSystemCtx, requireTenant, withTransaction, type TenantCtx } from '../../core/context.js';
import { scoped } from '../../core/db/model.js';
import { emitEvent } from '../../core/events/emit.js';
import { OutboxEvent } from '../../core/events/event.model.js';
import { provisionTenant } from '../../tenants/tenant.service.js';
import { testEnv, usingMysql } from '../support/runtime.js';
import { waitFor, sleep } from './helpers.js';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    { what: `redis-server on port ${port}` },
  );
  return child;
}

async function stopRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** A database of this test's own: a second MariaDB schema, or a temporary SQLite file. */
async function ownDatabase(): Promise<string> {
  if (!usingMysql()) return `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-outage-')), 'outage.sqlite')}`;
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_outage`;
  const admin = createKnex(process.env.DATABASE_URL!);
  await admin.raw(`drop database if exists \`${name}\``);
  await admin.raw(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await admin.destroy();
  url.pathname = `/${name}`;
  return url.toString();
}

describe('events while Redis is down', function () {
  this.timeout(90_000);
  let redis: ChildProcess;
  let port: number;
  let rt: Runtime;
  let ctx: TenantCtx;
  const effects = new Map<string, number>();
  let server: http.Server | undefined;

  async function effectCount(eventId: string): Promise<number> {
    const rows = (await ctx.db('drill_effects').where('event_id', eventId).count({ n: '*' })) as { n: number | string }[];
    return Number(rows[0].n);
  }

  before(async () => {
    port = await freePort();
    redis = await startRedis(port);
    const config = loadConfig(testEnv({ DATABASE_URL: await ownDatabase(), REDIS_URL: `redis://127.0.0.1:${port}/0`, QUEUE_PREFIX: '{outage}' }));
    rt = await createRuntime({ config, role: 'all', events: { pollMs: 200, enqueueTimeoutMs: 500 } });
    // The subscriber's effect: one row per committed run, so a second effect would show.
    await rt.kernel.pool.control.schema.createTable('drill_effects', (t) => {
      t.string('event_id', 36).notNullable();
      t.string('tenant_id', 36).notNullable();
    });
    rt.kernel.events.subscribe({
      name: 'outage.orders',
      events: ['order.placed'],
      backoffMs: 100,
      attempts: 20,
      async handle(tctx, event) {
        effects.set(event.id, (effects.get(event.id) ?? 0) + 1);
        await tctx.db('drill_effects').insert({ event_id: event.id, tenant_id: tctx.tenant.id });
      },
    });
    rt.kernel.events.subscribe({
      name: 'outage.count',
      events: ['drill.placed'],
      backoffMs: 100,
      attempts: 20,
      async handle(tctx, event) {
        effects.set(event.id, (effects.get(event.id) ?? 0) + 1);
        await tctx.db('drill_effects').insert({ event_id: event.id, tenant_id: tctx.tenant.id });
      },
    });
    const view = await provisionTenant(createSystemCtx(rt.kernel, null), { slug: 'outage-shop', name: 'Outage', owner: { email: 'owner@outage.test', name: 'O', password: 'correct horse battery' } });
    ctx = requireTenant(createSystemCtx(rt.kernel, (await rt.kernel.tenants.byId(view.id))!));
  });

  after(async () => {
    server?.close();
    await rt?.close();
    if (redis) await stopRedis(redis);
  });

  /** "Places an order": a change and its event in one transaction. */
  async function placeOrder(n: number): Promise<string> {
    return withTransaction(ctx, async (trx) => {
      await trx.db('drill_effects').insert({ event_id: `order-${n}`, tenant_id: trx.tenant.id });
      return emitEvent(trx, 'drill.placed', { n });
    });
  }

  it('commits while Redis is down and delivers every event exactly once when it is back', async () => {
    const before = [await placeOrder(1), await placeOrder(2)];
    await waitFor(async () => (await effectCount(before[0])) === 1 && (await effectCount(before[1])) === 1, { what: 'events before the outage' });

    await stopRedis(redis);
    const during: string[] = [];
    for (let n = 3; n <= 8; n++) during.push(await placeOrder(n));
    // The orders committed; their events wait in the outbox.
    for (let n = 3; n <= 8; n++) expect(await effectCount(`order-${n}`), `order ${n} committed`).to.equal(1);
    await sleep(1500);
    const pending = await scoped(ctx, OutboxEvent).whereIn('id', during).whereNull('relayed_at');
    expect(pending.length, 'events still in the outbox while Redis is down').to.equal(during.length);
    for (const id of during) expect(await effectCount(id)).to.equal(0);

    redis = await startRedis(port);
    const after = [await placeOrder(9)];
    await waitFor(async () => {
      for (const id of [...during, ...after]) if ((await effectCount(id)) !== 1) return false;
      return true;
    }, { timeoutMs: 45_000, what: 'every event after Redis came back' });
    await sleep(1500);
    for (const id of [...before, ...during, ...after]) {
      expect(await effectCount(id), `effects of ${id}`).to.equal(1);
      expect(effects.get(id), `handler runs of ${id}`).to.equal(1);
    }
    const unrelayed = await scoped(ctx, OutboxEvent).whereNull('relayed_at');
    expect(unrelayed).to.deep.equal([]);
  });

  it('places real orders through checkout while Redis is down; each order.placed reaches the subscriber once', async () => {
    server = await rt.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const send = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(base + p, { method, headers: { 'content-type': 'application/json', 'x-tenant': 'outage-shop', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const login = await send('POST', '/admin/v1/auth/login', { tenant: 'outage-shop', email: 'owner@outage.test', password: 'correct horse battery' });
    const auth = { authorization: `Bearer ${login.body.token}` };
    const product = await send('POST', '/admin/v1/products', { status: 'active', translations: { en: { name: 'Outage mug', description: 'A mug' } }, variants: [{ sku: 'OUT-1', prices: [{ currency: 'USD', amount: 1200 }], stock: 100 }] }, auth);
    expect(product.status).to.equal(201);
    const variantId = product.body.variants[0].id as string;
    const checkout = async (): Promise<string> => {
      const cart = await send('POST', '/store/v1/carts', {});
      const token = { 'x-cart-token': cart.body.token as string };
      expect((await send('POST', `/store/v1/carts/${cart.body.cart.id}/lines`, { variantId, quantity: 1 }, token)).status).to.equal(200);
      const placed = await send('POST', `/store/v1/carts/${cart.body.cart.id}/checkout`, { email: 'shopper@example.com', shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, token);
      expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
      const event = (await scoped(ctx, OutboxEvent).where('type', 'order.placed')).find((e) => e.payload.orderId === placed.body.order.id);
      expect(event, 'order.placed in the outbox').not.to.equal(undefined);
      return event!.id;
    };
    const before = [await checkout()];
    await waitFor(async () => (await effectCount(before[0])) === 1, { what: 'order.placed before the outage' });

    await stopRedis(redis);
    const during: string[] = [];
    for (let n = 0; n < 4; n++) during.push(await checkout());
    // Checkout works, so the instance is ready: Redis shows as degraded in the body, not as a 503.
    const ready = await fetch(`${base}/readyz`);
    const readyBody = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(ready.status).to.equal(200);
    expect(readyBody).to.deep.equal({ status: 'degraded', checks: { database: 'ok', redis: 'down' } });
    await sleep(1000);
    for (const id of during) expect(await effectCount(id), 'not delivered while Redis is down').to.equal(0);

    redis = await startRedis(port);
    await waitFor(async () => {
      for (const id of during) if ((await effectCount(id)) !== 1) return false;
      return true;
    }, { timeoutMs: 45_000, what: 'every order.placed after Redis came back' });
    await sleep(1500);
    for (const id of [...before, ...during]) {
      expect(await effectCount(id), `effects of ${id}`).to.equal(1);
      expect(effects.get(id), `handler runs of ${id}`).to.equal(1);
    }
  });
});
