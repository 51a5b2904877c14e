// The end-to-end check, over HTTP only: sign up, check in, buy, wait out the return
// window (the plugin's test clock), see the points available, pay part of the next order with
// them, refund that order, see them restored. Nothing here reads the database.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import membership, { clock } from '../../../plugins/membership/index.js';
import { ADDRESS } from './helpers.js';

describe('membership end to end over HTTP', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let shop: KitTenant;

  before(async () => {
    kit = await startTestKit({ plugin: membership });
    shop = await kit.tenant({ enable: ['membership'], settings: { membership: { earn: { pointsPerUnit: 1, growthPerUnit: 1, returnWindowDays: 7 }, checkin: { points: 10, perIpPerHour: 1000 }, redeem: { pointsPerCurrencyUnit: 100, maxPercentOfOrder: 50, minRedeemUnit: 10 } } } });
  });
  after(async () => {
    clock.reset();
    await kit?.close();
  });

  it('sign up, check in, buy, wait out the window, see points available, pay part of the next order with them, refund it, see them restored', async () => {
    const store = { tenant: shop.slug };
    const owner = { token: shop.ownerToken };
    const product = async (amount: number) => {
      const res = await kit.post('/admin/v1/products', {
        status: 'active', translations: { en: { name: `E2E ${amount}`, description: 'x' } }, attributes: {}, images: [], categoryIds: [],
        variants: [{ sku: `E2E-${amount}-${Date.now()}`, prices: [{ currency: 'USD', amount }], stock: 10 }],
      }, owner);
      expect(res.status, res.text).to.equal(201);
      return res.body.variants[0].id as string;
    };
    const staff = async (orderId: string, action: string, body: unknown = {}) => {
      const res = await kit.post(`/admin/v1/orders/${orderId}/${action}`, body, owner);
      expect(res.status, `${action}: ${res.text}`).to.be.oneOf([200, 201]);
      return res.body;
    };
    const me = async () => {
      const res = await kit.get('/store/v1/membership/me', { ...store, token });
      expect(res.status, res.text).to.equal(200);
      return res.body;
    };
    const cartWith = async (variantId: string) => {
      const cart = await kit.post('/store/v1/carts', {}, { ...store, token });
      expect(cart.status, cart.text).to.be.oneOf([200, 201]);
      const id = cart.body.cart.id as string;
      expect((await kit.post(`/store/v1/carts/${id}/lines`, { variantId, quantity: 1 }, { ...store, token })).status).to.equal(200);
      return id;
    };
    const checkout = async (cartId: string) => {
      const res = await kit.post(`/store/v1/carts/${cartId}/checkout`, { shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { ...store, token });
      expect(res.status, res.text).to.equal(201);
      return res.body.order;
    };

    // Sign up.
    const signup = await kit.post('/store/v1/auth/signup', { email: `e2e-${Date.now()}@example.com`, password: 'correct horse battery staple', name: 'Ada' }, store);
    expect(signup.status, signup.text).to.equal(201);
    const token = signup.body.token as string;

    // Check in: 10 points, available at once.
    const checkin = await kit.post('/store/v1/membership/checkins', {}, { ...store, token });
    expect(checkin.status, checkin.text).to.equal(201);
    expect(checkin.body).to.include({ streak: 1, points: 10 });
    expect((await me()).points).to.include({ available: 10, pending: 0 });

    // Buy 100.00: 100 points pending once paid.
    const first = await checkout(await cartWith(await product(10_000)));
    await staff(first.id, 'confirm-payment');
    await kit.waitFor(async () => (await me()).points.pending === 100, { what: 'the earn to be pending' });
    expect((await me()).points.available).to.equal(10);

    // Delivered and completed: the return window starts; the points stay pending through it.
    await staff(first.id, 'shipments', { carrier: 'DHL', trackingNumber: `E2E${Date.now()}` });
    await staff(first.id, 'deliver');
    await staff(first.id, 'complete');
    const waiting = await kit.waitFor(async () => (await me()).points.nextAvailable, { what: 'the return window to start' });
    expect(waiting.points).to.equal(100);
    const until = Date.parse(waiting.at);
    expect(until - clock.now().getTime()).to.be.within(6.9 * 86_400_000, 7.01 * 86_400_000);
    clock.advanceDays(6);
    expect((await me()).points).to.include({ available: 10, pending: 100 });

    // Wait out the window (the test clock): available.
    clock.advanceDays(1.1);
    let view = await me();
    expect(view.points).to.include({ available: 110, pending: 0, held: 0 });
    expect(view.points.nextAvailable).to.equal(null);

    // Pay part of the next order (20.00) with 100 points (1.00).
    const cartId = await cartWith(await product(2_000));
    const held = await kit.put(`/store/v1/membership/carts/${cartId}/points`, { points: 100 }, { ...store, token });
    expect(held.status, held.text).to.equal(200);
    expect(held.body).to.include({ held: 100 });
    const second = await checkout(cartId);
    const pointsPart = second.adjustments.find((a: { source: string }) => a.source === 'membership');
    expect(pointsPart).to.include({ amount: -100, code: 'points:100' });
    expect(second.totals.total).to.equal(second.totals.subtotal + second.totals.shipping + second.totals.tax - 100);
    await staff(second.id, 'confirm-payment', {});
    await kit.waitFor(async () => {
      const p = await kit.get(`/store/v1/membership/orders/${second.id}/payment`, { ...store, token });
      return p.body.pointsStatus === 'spent' ? p : false;
    }, { what: 'the points to be spent' });
    const payment = (await kit.get(`/store/v1/membership/orders/${second.id}/payment`, { ...store, token })).body;
    expect(payment).to.include({ points: 100, pointsValue: 100, money: second.totals.total, total: second.totals.total + 100, currency: 'USD' });
    view = await me();
    expect(view.points).to.include({ available: 10, held: 0 });

    // Refund it (all the money): the 100 points come back.
    await staff(second.id, 'refunds', { amount: second.totals.total, reason: 'customer returned it' });
    view = await kit.waitFor(async () => {
      const v = await me();
      return v.points.available === 110 ? v : false;
    }, { what: 'the points to be restored' });
    expect(view.points).to.include({ available: 110, held: 0 });
    const restored = (await kit.get(`/store/v1/membership/orders/${second.id}/payment`, { ...store, token })).body;
    expect(restored).to.include({ pointsRestored: 100 });
    const ledger = await kit.get('/store/v1/membership/me/ledger?limit=50', { ...store, token });
    expect(ledger.status).to.equal(200);
    const types = ledger.body.items.map((e: { bizType: string }) => e.bizType);
    expect(types).to.include.members(['CHECKIN', 'EARN_ORDER', 'EARN_ORDER_APPROVED', 'REDEEM_HOLD', 'REDEEM_ORDER', 'REDEEM_ORDER_RETURN_FULL']);
    const reconcile = await kit.post('/admin/v1/membership/reconcile', {}, owner);
    expect(reconcile.status).to.equal(200);
    expect(reconcile.body.mismatches).to.deep.equal([]);
  });
});
