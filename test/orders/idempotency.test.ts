// Idempotency-Key at rest and after a crash: stored answers are sealed, keys expire after a day,
// and a key whose request died after its order committed is resumed, never stuck `running`.
import { expect } from 'chai';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { get } from '../support/http.js';
import { runtime } from '../support/runtime.js';
import { scoped } from '../../core/db/model.js';
import { IdempotencyKey } from '../../core/http/idempotency.js';
import { batchedRoundTrips } from '../../core/db/batching.js';
import { Order } from '../../core/orders/order.model.js';
import type { PaymentProvider } from '../../core/orders/payment.provider.js';
import { ADDRESS, addLine, cartCall, checkoutBody, makeCart, makeVariant } from './support.js';

describe('Idempotency-Key: at rest and after a crash', () => {
  let shop: TestTenant;
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();

  before(async () => {
    shop = await makeTenant();
    // A gateway that hangs until released: the process "dies" after the order committed.
    const hanging: PaymentProvider = {
      id: 'test-hang',
      async methods(ctx) {
        return ctx.tenant.id === shop.tenant.id ? [{ id: 'card', label: 'Card' }] : [];
      },
      async initiate() {
        await gate;
        return { status: 'pending', reference: 'hang' };
      },
      async update(_c, i) { return { status: 'pending', amount: i.data.newAmount }; },
      async authorize(_c, i) { return { status: 'authorized', amount: i.data.authorizeAmount }; },
      async capture(_c, i) { return { status: 'captured', amount: i.data.captureAmount }; },
      async refund(_c, i) { return { status: 'refunded', amount: i.data.refundAmount, reference: 'r' }; },
      async cancel() { return { status: 'canceled' }; },
      async getStatus() { return { status: 'pending' }; },
      async parseWebhook() { return { actions: [] }; },
    } as PaymentProvider;
    (await runtime()).kernel.extensions.addProvider('payment', hanging);
  });

  after(() => release());

  it("keeps no guest's order token or email readable in the stored answer, and still replays it", async () => {
    const v = await makeVariant(shop);
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 1);
    const body = { ...checkoutBody(), email: 'sealed-guest@example.com' };
    const first = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'sealed-1' } });
    expect(first.status, first.text).to.equal(201);
    const rows = await scoped(shop.ctx, IdempotencyKey).select();
    const stored = JSON.stringify(rows);
    expect(stored).not.to.include(first.body.orderToken);
    expect(stored).not.to.include('sealed-guest@example.com');
    expect(stored).not.to.include(first.body.order.id);
    const again = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'sealed-1' } });
    expect(again.status).to.equal(201);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body.orderToken).to.equal(first.body.orderToken);
  });

  it('keeps a bank-transfer checkout\'s whole answer with its key in the order\'s transaction (issue 27): one write to the key after its claim, and the replay is that answer', async () => {
    const v = await makeVariant(shop);
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 2);
    const body = { ...checkoutBody(), email: 'in-transaction@example.com' };
    const keyWrites: string[] = [];
    const count = (q: { sql: string }) => {
      if (/^(update|insert into) [`"]idempotency_keys[`"]/i.test(q.sql)) keyWrites.push(q.sql.slice(0, 6).toLowerCase());
    };
    // On MariaDB a deferred write (core/db/batching.ts) is sent with the statement after it, not through knex's own query event.
    const carried = (sqls: string[]) => sqls.slice(0, -1).forEach((sql) => count({ sql }));
    const knexes = (await runtime()).kernel.pool.all();
    for (const k of knexes) k.on('query', count);
    batchedRoundTrips.on('sent', carried);
    let first;
    try {
      first = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'in-tx-1' } });
    } finally {
      for (const k of knexes) k.off('query', count);
      batchedRoundTrips.off('sent', carried);
    }
    expect(first.status, first.text).to.equal(201);
    expect(keyWrites, 'the claim, then the answer with the order').to.deep.equal(['insert', 'update']);
    const key = await scoped(shop.ctx, IdempotencyKey).where('state', 'done').orderBy('created_at', 'desc').first();
    expect(key).to.include({ state: 'done', responseStatus: 201, leaseExpiresAt: null });
    const again = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'in-tx-1' } });
    expect(again.status).to.equal(201);
    expect(again.headers.get('idempotent-replayed')).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    expect(first.body.order.payment).to.include({ status: 'pending' }).and.to.have.nested.property('action.type', 'instructions');
  });

  it('forgets a key after 24 hours: the same key then runs as a new request, and old keys are purged', async () => {
    const v = await makeVariant(shop);
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 1);
    const body = { ...checkoutBody(), email: 'expiry@example.com' };
    const first = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'day-old' } });
    expect(first.status).to.equal(201);
    const dayAgo = new Date(Date.now() - 25 * 3600_000).toISOString();
    expect(await scoped(shop.ctx, IdempotencyKey).patch({ createdAt: dayAgo, expiresAt: dayAgo }).where('state', 'done')).to.be.greaterThan(0);
    const later = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'day-old' } });
    // Not a replay: the cart was ordered, so a fresh run is refused for that reason.
    expect(later.headers.get('idempotent-replayed')).to.equal(null);
    expect(later.status).to.equal(409);
    expect(later.headers.get('content-type')).to.include('application/problem+json');
  });

  it('resumes a checkout whose process died after the order committed: same order, same order token', async () => {
    gate = new Promise((r) => { release = r; });
    const v = await makeVariant(shop, { stock: 5 });
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 1);
    const body = { email: 'crash@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'test-hang', method: 'card' } };
    const stuck = cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'crash-1' } });
    let order: Order | undefined;
    for (let i = 0; i < 400 && !order; i++) {
      order = await scoped(shop.ctx, Order).where('email', 'crash@example.com').first();
      if (!order) await new Promise((r) => setTimeout(r, 25));
    }
    expect(order, 'the order committed').to.not.equal(undefined);
    // The lease of the dead request runs out.
    expect(await scoped(shop.ctx, IdempotencyKey).patch({ leaseExpiresAt: new Date(Date.now() - 1000).toISOString() }).whereNot('state', 'done')).to.equal(1);
    const retry = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'crash-1' } });
    expect(retry.status, retry.text).to.equal(201);
    expect(retry.body.order.id).to.equal(order!.id);
    const seen = await get(`/store/v1/orders/${order!.id}`, { tenant: shop.slug, headers: { 'x-order-token': retry.body.orderToken } });
    expect(seen.status, seen.text).to.equal(200);
    expect(await scoped(shop.ctx, Order).where('email', 'crash@example.com').resultSize()).to.equal(1);
    // A further retry replays the recorded answer; the dead request, woken, cannot overwrite it.
    release();
    await stuck;
    const replay = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'crash-1' } });
    expect(replay.status).to.equal(201);
    expect(replay.body.orderToken).to.equal(retry.body.orderToken);
  });

  it('runs a key again after its lease when nothing committed', async () => {
    const v = await makeVariant(shop, { stock: 5 });
    const cart = await makeCart(shop);
    await addLine(shop, cart, v, 1);
    const body = { ...checkoutBody(), email: 'nothing-committed@example.com' };
    // What a process killed before its transaction committed leaves behind.
    const first = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'lost-1' } });
    expect(first.status).to.equal(201);
    await scoped(shop.ctx, IdempotencyKey).patch({ state: 'running', responseBody: null, leaseExpiresAt: new Date(Date.now() - 1000).toISOString() }).where('state', 'done');
    
    const retry = await cartCall(shop, cart, 'POST', '/checkout', body, { headers: { 'idempotency-key': 'lost-1' } });
    // It ran again (the cart is ordered now, so this run is refused) instead of waiting forever.
    expect(retry.status).to.equal(409);
    expect(retry.body.code).to.not.equal('IDEMPOTENCY_IN_PROGRESS');
  });
});
