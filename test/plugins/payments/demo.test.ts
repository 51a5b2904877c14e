// Try it as a newcomer would (issue 18, item 6): a fresh embedded server (SQLite, no Redis, no keys)
// seeded as `npm start` seeds it, then the curl walkthrough in plugins/payments/README.md, run by
// bash exactly as written (only the port differs), must end with the order paid. Then the other
// test cards through the same Store API: declined leaves the order unpaid, 3-D Secure pays once
// the challenge passes; and the simulator answers only stores that chose it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import crypto from 'node:crypto';
import { expect } from 'chai';
import { loadConfig } from '../../../core/config.js';
import { createRuntime, type Runtime } from '../../../core/server.js';
import { seedDemo } from '../../../tenants/demo-seed.js';
import { seedDemoProducts } from '../../../core/catalog/demo-seed.js';
import { testEnv } from '../../support/runtime.js';
import { SIMULATOR_WEBHOOK_SECRET, cardSimulator } from '../../../plugins/payments/simulator.js';
import { waitFor } from '../../../core/plugins/testkit.js';

const README = path.join(path.dirname(new URL(import.meta.url).pathname), '../../../plugins/payments/README.md');

function walkthrough(): string {
  const text = fs.readFileSync(README, 'utf8');
  const m = /<!-- demo-walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- demo-walkthrough:end -->/.exec(text);
  if (!m) throw new Error('plugins/payments/README.md has no demo-walkthrough block');
  return m[1];
}

describe('payments plugin: the demo card simulator on the embedded default', function () {
  this.timeout(120_000);
  let rt: Runtime;
  let server: http.Server;
  let base: string;

  const call = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${p}`, { method, headers: { 'x-tenant': 'demo', ...(body ? { 'content-type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
  };
  async function placeCardOrder() {
    const products = await call('GET', '/store/v1/products');
    const product = await call('GET', `/store/v1/products/${products.body.items[0].id}`);
    const cart = await call('POST', '/store/v1/carts', {});
    const h = { 'x-cart-token': cart.body.token };
    expect((await call('POST', `/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: product.body.variants[0].id, quantity: 1 }, h)).status).to.equal(200);
    const order = await call('POST', `/store/v1/carts/${cart.body.cart.id}/checkout`, {
      email: 'ada@example.com', shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentMethod: { provider: 'stripe', method: 'card' },
    }, { ...h, 'idempotency-key': crypto.randomUUID() });
    expect(order.status, order.text).to.equal(201);
    return order.body as { order: { id: string; status: string; payment: { action: { type: string; clientSecret: string; url: string } } }; orderToken: string };
  }
  const orderStatus = async (placed: { order: { id: string }; orderToken: string }) => (await call('GET', `/store/v1/orders/${placed.order.id}`, undefined, { 'x-order-token': placed.orderToken })).body.status as string;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-demo-'));
    const config = loadConfig({ ...testEnv(), DATABASE_URL: `sqlite:${path.join(dir, 'demo.sqlite')}`, REDIS_URL: '', SEED_DEMO: 'false' });
    rt = await createRuntime({ config, role: 'all' });
    const seeded = await seedDemo(rt.kernel, seedDemoProducts);
    expect(seeded.seeded).to.equal(true);
    cardSimulator.target = undefined;
    server = await rt.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => {
    await rt?.close();
    await cardSimulator.close();
  });

  it('the simulator knows this server\'s loopback URL from the start (no shopper request needed for its webhooks)', () => {
    expect(cardSimulator.target).to.equal(base);
  });

  it('the demo store offers the card with no keys configured', async () => {
    const cart = await call('POST', '/store/v1/carts', {});
    const products = await call('GET', '/store/v1/products');
    const product = await call('GET', `/store/v1/products/${products.body.items[0].id}`);
    await call('POST', `/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: product.body.variants[0].id, quantity: 1 }, { 'x-cart-token': cart.body.token });
    const methods = await call('GET', `/store/v1/carts/${cart.body.cart.id}/payment-methods`, undefined, { 'x-cart-token': cart.body.token });
    expect(methods.status, methods.text).to.equal(200);
    expect(methods.body.items.map((m: { provider: string; id: string }) => `${m.provider}/${m.id}`)).to.include('stripe/card');
  });

  it('the README\'s curl walkthrough, run as written, pays a card order', async () => {
    const script = walkthrough();
    expect(script).to.include('B=localhost:3000');
    // Asynchronously: the server answering curl is in this process.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-euo', 'pipefail', '-c', script.replace('B=localhost:3000', `B=${base.replace('http://', '')}`)], { timeout: 90_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(0);
    expect(run.stdout.trim().split('\n')).to.deep.equal(['captured', 'paid']);
  });

  it('4000 0000 0000 0002 is declined: the order stays unpaid; 3-D Secure pays once the challenge passes', async () => {
    const declined = await placeCardOrder();
    expect(declined.order.payment.action).to.include({ type: 'card_form', url: '/store/v1/payments/simulator/confirm' });
    const no = await call('POST', '/store/v1/payments/simulator/confirm', { clientSecret: declined.order.payment.action.clientSecret, card: '4000000000000002' });
    expect(no.status, no.text).to.equal(200);
    expect(no.body).to.deep.include({ paymentStatus: 'failed' });
    expect(no.body.intent.error).to.include('declined');
    expect(await orderStatus(declined)).to.equal('pending_payment');

    const challenged = await placeCardOrder();
    const secret = challenged.order.payment.action.clientSecret;
    const pending = await call('POST', '/store/v1/payments/simulator/confirm', { clientSecret: secret, card: '4000 0027 6000 3184' });
    expect(pending.body).to.deep.include({ paymentStatus: 'pending' });
    expect(pending.body.intent).to.include({ status: 'requires_action', nextAction: '3ds' });
    expect(await orderStatus(challenged)).to.equal('pending_payment');
    const passed = await call('POST', '/store/v1/payments/simulator/3ds', { clientSecret: secret, result: 'pass' });
    expect(passed.status, passed.text).to.equal(200);
    expect(passed.body.paymentStatus).to.equal('captured');
    expect(await orderStatus(challenged)).to.equal('paid');
  });

  it('refuses what is not this store\'s or not a test card: an unknown client secret 404, a malformed one 400', async () => {
    const placed = await placeCardOrder();
    const bad = await call('POST', '/store/v1/payments/simulator/confirm', { clientSecret: 'pi_sim00_secret_00', card: '4242424242424242' });
    expect(bad.status).to.equal(400);
    const unknown = await call('POST', '/store/v1/payments/simulator/confirm', { clientSecret: `pi_sim${'a'.repeat(20)}_secret_${'b'.repeat(24)}`, card: '4242424242424242' });
    expect(unknown.status).to.equal(404);
    const wrong = await call('POST', '/store/v1/payments/simulator/confirm', { clientSecret: placed.order.payment.action.clientSecret, card: '1234567890123456' });
    expect(wrong.body.paymentStatus).to.equal('failed');
    expect(await orderStatus(placed)).to.equal('pending_payment');
  });

  it('the simulator sends Stripe-signed webhooks to the store\'s hook URL: stored once and applied; a copy with a flipped byte is refused', async () => {
    const placed = await placeCardOrder();
    const secret = placed.order.payment.action.clientSecret;
    const paymentId = cardSimulator.byClientSecret(secret)!.metadata.bazaar_payment;
    // The card is confirmed at the simulator itself (no sync by the Store API): only its webhook can tell the store.
    const pi = cardSimulator.byClientSecret(secret)!;
    cardSimulator.confirm(pi, '4242424242424242');
    await Promise.all([...cardSimulator.deliveries]);
    const evt = cardSimulator.events.filter((e) => e.type === 'payment_intent.succeeded' && e.body.includes(pi.id)).at(-1)!;
    expect(evt).to.not.equal(undefined);
    const db = rt.kernel.pool.all()[0];
    const stored = await waitFor(async () => (await db('payment_webhook_inbox').where({ provider: 'stripe', notification_id: evt.id }).whereNotNull('processed_at').first()) as { raw_body: string } | undefined, { timeoutMs: 60_000, what: 'the simulator webhook applied' });
    expect(stored.raw_body).to.equal(evt.body);
    expect(await orderStatus(placed)).to.equal('paid');
    const log = await db('payments_state_log').where({ payment_id: paymentId, source: 'webhook' });
    expect(log.map((l: { event: string }) => l.event)).to.include('captured');
    const flipped = evt.body.replace('"succeeded"', '"succeedee"');
    const signature = (await import('stripe')).default.webhooks.generateTestHeaderString({ payload: evt.body, secret: SIMULATOR_WEBHOOK_SECRET });
    const forged = await fetch(`${base}/hooks/payments/${evt.tenantId}/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: flipped });
    expect(forged.status).to.equal(400);
  });
});
