import { expect } from 'chai';
import { makeTenant, makeCustomer, makeStaff, unique, type TestTenant } from '../support/factories.js';
import { call, get, patch, post } from '../support/http.js';
import { runtime } from '../support/runtime.js';
import { scoped } from '../../core/db/model.js';
import { StockLevel } from '../../core/catalog/catalog.model.js';
import { ADDRESS, addLine, cartCall, makeCart, makeVariant, placeOrder } from './support.js';

describe('carts', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant({ currencies: ['USD', 'EUR', 'JPY'] });
  });

  describe('POST /store/v1/carts', () => {
    it('gives a guest a cart and a token that alone opens it', async () => {
      const res = await post('/store/v1/carts', {}, { tenant: shop.slug });
      expect(res.status).to.equal(201);
      expect(res.body.token).to.be.a('string');
      expect(res.body.cart).to.include({ status: 'open', currency: 'USD' });
      expect(res.body.cart.totals).to.deep.include({ subtotal: 0, total: 0 });
      const id = res.body.cart.id;
      expect((await get(`/store/v1/carts/${id}`, { tenant: shop.slug })).status).to.equal(404);
      expect((await get(`/store/v1/carts/${id}`, { tenant: shop.slug, headers: { 'x-cart-token': 'not-the-token' } })).status).to.equal(404);
      expect((await get(`/store/v1/carts/${id}`, { tenant: shop.slug, headers: { 'x-cart-token': res.body.token } })).status).to.equal(200);
      const other = await makeTenant();
      expect((await get(`/store/v1/carts/${id}`, { tenant: other.slug, headers: { 'x-cart-token': res.body.token } })).status).to.equal(404);
    });

    it('opens a cart in the currency asked for, or the X-Currency header, and refuses one the store does not sell in', async () => {
      expect((await post('/store/v1/carts', { currency: 'EUR' }, { tenant: shop.slug })).body.cart.currency).to.equal('EUR');
      expect((await post('/store/v1/carts', {}, { tenant: shop.slug, headers: { 'x-currency': 'JPY' } })).body.cart.currency).to.equal('JPY');
      const gbp = await post('/store/v1/carts', { currency: 'GBP' }, { tenant: shop.slug });
      expect(gbp.status).to.equal(400);
      expect(gbp.body.code).to.equal('CURRENCY_NOT_ENABLED');
      const bad = await post('/store/v1/carts', { currency: 'usd', extra: 1 }, { tenant: shop.slug });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).to.include.members(['/currency', '/extra']);
    });

    it("gives a signed-in customer their one open cart, which nobody else can open", async () => {
      const ann = await makeCustomer(shop);
      const first = await post('/store/v1/carts', {}, { tenant: shop.slug, token: ann.token });
      expect(first.status).to.equal(201);
      expect(first.body.token).to.equal(null);
      const again = await post('/store/v1/carts', {}, { tenant: shop.slug, token: ann.token });
      expect(again.body.cart.id).to.equal(first.body.cart.id);
      expect((await get('/store/v1/me/cart', { tenant: shop.slug, token: ann.token })).body.id).to.equal(first.body.cart.id);
      const bob = await makeCustomer(shop);
      expect((await get(`/store/v1/carts/${first.body.cart.id}`, { tenant: shop.slug, token: bob.token })).status).to.equal(404);
      expect((await get(`/store/v1/carts/${first.body.cart.id}`, { tenant: shop.slug })).status).to.equal(404);
      expect((await get('/store/v1/me/cart', { tenant: shop.slug })).status).to.equal(401);
    });
  });

  describe('lines', () => {
    it('adds variants at their current price, adds up quantities and re-prices when the price changes', async () => {
      const v = await makeVariant(shop, { price: 1250, stock: 10 });
      const cart = await makeCart(shop);
      await addLine(shop, cart, v, 2);
      const res = await addLine(shop, cart, v, 1);
      expect(res.body.lines).to.have.length(1);
      expect(res.body.lines[0]).to.include({ variantId: v, quantity: 3, unitAmount: 1250, subtotal: 3750, available: 10, issue: null });
      expect(res.body.lines[0].title).to.be.a('string').and.not.equal('');
      expect(res.body.totals).to.deep.include({ subtotal: 3750, shipping: 0, tax: 0, total: 3750 });
      const priced = await call('PUT', `/admin/v1/variants/${v}/prices/USD`, { token: shop.ownerToken, body: { amount: 1100 } });
      expect(priced.status, priced.text).to.equal(200);
      const now = await cartCall(shop, cart, 'GET', '');
      expect(now.body.lines[0].unitAmount).to.equal(1100);
      expect(now.body.totals.total).to.equal(3300);
    });

    it('uses the price of the cart currency', async () => {
      const v = await makeVariant(shop, { prices: [{ currency: 'USD', amount: 1000 }, { currency: 'EUR', amount: 900 }, { currency: 'JPY', amount: 150 }] });
      const eur = await makeCart(shop, { currency: 'EUR' });
      expect((await addLine(shop, eur, v, 2)).body.totals.subtotal).to.equal(1800);
      const jpy = await makeCart(shop, { currency: 'JPY' });
      expect((await addLine(shop, jpy, v, 3)).body.totals.subtotal).to.equal(450);
    });

    it('refuses more than is in stock, an unknown or unsellable variant, and one with no price in the cart currency', async () => {
      const v = await makeVariant(shop, { stock: 3 });
      const cart = await makeCart(shop);
      const tooMany = await cartCall(shop, cart, 'POST', '/lines', { variantId: v, quantity: 4 });
      expect(tooMany.status).to.equal(409);
      expect(tooMany.body).to.include({ code: 'INSUFFICIENT_STOCK', available: 3, requested: 4 });
      await addLine(shop, cart, v, 2);
      expect((await cartCall(shop, cart, 'POST', '/lines', { variantId: v, quantity: 2 })).body.code).to.equal('INSUFFICIENT_STOCK');
      const unknown = await cartCall(shop, cart, 'POST', '/lines', { variantId: '01a00000-0000-7000-8000-000000000000', quantity: 1 });
      expect(unknown.status).to.equal(404);
      expect(unknown.body.code).to.equal('VARIANT_NOT_FOUND');
      const usdOnly = await makeVariant(shop);
      const eur = await makeCart(shop, { currency: 'EUR' });
      const noPrice = await cartCall(shop, eur, 'POST', '/lines', { variantId: usdOnly, quantity: 1 });
      expect(noPrice.status).to.equal(409);
      expect(noPrice.body.code).to.equal('PRICE_UNAVAILABLE');
      const archived = await makeVariant(shop);
      expect((await post(`/admin/v1/variants/${archived}/archive`, {}, { token: shop.ownerToken })).status).to.equal(200);
      const off = await cartCall(shop, cart, 'POST', '/lines', { variantId: archived, quantity: 1 });
      expect(off.status).to.equal(409);
      expect(off.body.code).to.equal('VARIANT_UNAVAILABLE');
    });

    it('refuses malformed lines', async () => {
      const v = await makeVariant(shop);
      const cart = await makeCart(shop);
      for (const body of [{ variantId: v, quantity: 0 }, { variantId: v, quantity: 1.5 }, { variantId: v }, { variantId: 'nope', quantity: 1 }, { variantId: v, quantity: 10000 }, { variantId: v, quantity: '2' }]) {
        const res = await cartCall(shop, cart, 'POST', '/lines', body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.code).to.equal('VALIDATION_FAILED');
      }
    });

    it('changes and removes lines, within stock, only in its own cart', async () => {
      const v = await makeVariant(shop, { stock: 5 });
      const w = await makeVariant(shop, { price: 300 });
      const cart = await makeCart(shop);
      await addLine(shop, cart, v, 1);
      const added = await addLine(shop, cart, w, 1);
      const lineId = added.body.lines.find((l: { variantId: string }) => l.variantId === v).id;
      const changed = await cartCall(shop, cart, 'PATCH', `/lines/${lineId}`, { quantity: 4 });
      expect(changed.status).to.equal(200);
      expect(changed.body.totals.subtotal).to.equal(4300);
      expect((await cartCall(shop, cart, 'PATCH', `/lines/${lineId}`, { quantity: 6 })).body.code).to.equal('INSUFFICIENT_STOCK');
      expect((await cartCall(shop, cart, 'PATCH', `/lines/${lineId}`, { quantity: 0 })).status).to.equal(400);
      const other = await makeCart(shop);
      expect((await cartCall(shop, other, 'PATCH', `/lines/${lineId}`, { quantity: 1 })).status).to.equal(404);
      expect((await cartCall(shop, other, 'DELETE', `/lines/${lineId}`)).status).to.equal(404);
      const removed = await cartCall(shop, cart, 'DELETE', `/lines/${lineId}`);
      expect(removed.status).to.equal(200);
      expect(removed.body.lines).to.have.length(1);
      expect(removed.body.version).to.be.greaterThan(added.body.version);
    });

    it('counts the stock of every location less what orders reserved, and none for a variant without a stock row', async () => {
      const v = await makeVariant(shop, { stock: 2 });
      const north = await post('/admin/v1/stock-locations', { code: unique('north'), name: 'North' }, { token: shop.ownerToken });
      expect(north.status, north.text).to.equal(201);
      const adj = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 6, reason: 'received', locationId: north.body.id }, { token: shop.ownerToken });
      expect(adj.status, adj.text).to.be.oneOf([200, 201]);
      await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const bare = await makeVariant(shop, { stock: 3 });
      const cart = await makeCart(shop);
      await addLine(shop, cart, v, 7);
      await addLine(shop, cart, bare, 1);
      // A variant whose stock rows are gone (never stocked anywhere) has nothing available.
      await scoped(shop.ctx, StockLevel).delete().where('variant_id', bare);
      const res = await cartCall(shop, cart, 'GET', '');
      expect(res.status, res.text).to.equal(200);
      expect(res.body.lines.map((l: { variantId: string; available: number; issue: string | null }) => [l.variantId, l.available, l.issue])).to.deep.equal([
        [v, 7, null],
        [bare, 0, 'insufficient_stock'],
      ]);
      expect((await cartCall(shop, cart, 'POST', '/lines', { variantId: v, quantity: 1 })).body.code).to.equal('INSUFFICIENT_STOCK');
    });

    it('shows a line that went out of stock, without refusing to show the cart', async () => {
      const v = await makeVariant(shop, { stock: 2 });
      const cart = await makeCart(shop);
      await addLine(shop, cart, v, 2);
      const adj = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: -1, reason: 'damaged' }, { token: shop.ownerToken });
      expect(adj.status, adj.text).to.be.oneOf([200, 201]);
      const res = await cartCall(shop, cart, 'GET', '');
      expect(res.body.lines[0]).to.include({ issue: 'insufficient_stock', available: 1 });
    });
  });

  describe('PATCH /store/v1/carts/:id (checkout details)', () => {
    it('takes email, addresses and the choices the providers offer', async () => {
      const v = await makeVariant(shop);
      const cart = await makeCart(shop);
      await addLine(shop, cart, v, 1);
      const options = await cartCall(shop, cart, 'GET', '/shipping-options');
      expect(options.status).to.equal(200);
      expect(options.body.items).to.deep.equal([{ id: 'standard', label: 'Standard shipping', provider: 'flat-rate', amount: 0 }]);
      const methods = await cartCall(shop, cart, 'GET', '/payment-methods');
      expect(methods.body.items.map((m: { provider: string; id: string }) => `${m.provider}/${m.id}`)).to.deep.equal(['offline/bank_transfer', 'offline/cash_on_delivery']);
      const res = await cartCall(shop, cart, 'PATCH', '', {
        email: 'Ada@Example.com', shippingAddress: ADDRESS, shippingMethod: { provider: 'flat-rate', option: 'standard' }, paymentMethod: { provider: 'offline', method: 'cash_on_delivery' },
      });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.include({ email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'cash_on_delivery' } });
      expect(res.body.shippingMethod).to.include({ provider: 'flat-rate', option: 'standard' });
    });

    it('refuses what is not offered, malformed addresses and empty bodies', async () => {
      const cart = await makeCart(shop);
      const ship = await cartCall(shop, cart, 'PATCH', '', { shippingMethod: { provider: 'flat-rate', option: 'teleport' } });
      expect(ship.status).to.equal(400);
      expect(ship.body.code).to.equal('SHIPPING_OPTION_UNAVAILABLE');
      const pay = await cartCall(shop, cart, 'PATCH', '', { paymentMethod: { provider: 'stripe', method: 'card' } });
      expect(pay.status).to.equal(400);
      expect(pay.body.code).to.equal('PAYMENT_METHOD_UNAVAILABLE');
      const addr = await cartCall(shop, cart, 'PATCH', '', { shippingAddress: { ...ADDRESS, country: 'usa', zip: '1' } });
      expect(addr.status).to.equal(400);
      expect(addr.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/shippingAddress/country');
      expect((await cartCall(shop, cart, 'PATCH', '', {})).status).to.equal(400);
      expect((await get('/store/v1/carts/not-a-cart', { tenant: shop.slug })).status).to.equal(400);
      expect((await get(`/store/v1/carts/${cart.id}/shipping-options`, { tenant: shop.slug })).status).to.equal(404);
      expect((await get(`/store/v1/carts/${cart.id}/payment-methods`, { tenant: shop.slug, headers: { 'x-cart-token': 'nope' } })).status).to.equal(404);
      expect((await cartCall(shop, cart, 'PATCH', '', { email: 'not-an-email' })).status).to.equal(400);
    });
  });

  describe('totals', () => {
    it('charges the flat rate the store set, free above its threshold, only where it ships', async () => {
      const t = await makeTenant();
      const set = await patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Post', amounts: { USD: 595 }, freeAbove: { USD: 5000 }, countries: ['US', 'CA'] } } }, { token: t.ownerToken });
      expect(set.status, set.text).to.equal(200);
      const cheap = await makeVariant(t, { price: 1000 });
      const cart = await makeCart(t);
      const one = await addLine(t, cart, cheap, 1);
      expect(one.body.totals).to.deep.include({ subtotal: 1000, shipping: 595, total: 1595 });
      expect(one.body.shippingMethod).to.include({ provider: 'flat-rate', label: 'Post', amount: 595 });
      expect((await addLine(t, cart, cheap, 4)).body.totals).to.deep.include({ subtotal: 5000, shipping: 0, total: 5000 });
      const abroad = await cartCall(t, cart, 'PATCH', '', { shippingAddress: { ...ADDRESS, country: 'FR' } });
      expect(abroad.body.shippingMethod).to.equal(null);
      expect((await cartCall(t, cart, 'GET', '/shipping-options')).body.items).to.deep.equal([]);
      const staff = await makeStaff(t, 'viewer');
      expect((await patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: false, label: 'x', amounts: {}, freeAbove: {}, countries: [] } } }, { token: staff.token })).status).to.equal(403);
      const bad = await patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'x', amounts: { GBP: 1 }, freeAbove: {}, countries: [] } } }, { token: t.ownerToken });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/shipping/flatRate/amounts/GBP');
      expect((await patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true } } }, { token: t.ownerToken })).status).to.equal(400);
      expect((await get('/admin/v1/checkout-settings', { token: t.ownerToken })).body.shipping.flatRate.amounts).to.deep.equal({ USD: 595 });
    });

    it('adds exclusive tax on goods and shipping', async () => {
      const t = await makeTenant({ taxMode: 'exclusive', taxRateBp: 1000 });
      await patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Post', amounts: { USD: 500 }, freeAbove: {}, countries: [] } } }, { token: t.ownerToken });
      const v = await makeVariant(t, { price: 1999 });
      const cart = await makeCart(t);
      const res = await addLine(t, cart, v, 2);
      expect(res.body.totals).to.deep.include({ subtotal: 3998, shipping: 500, tax: 450, total: 4948, taxMode: 'exclusive', taxRateBp: 1000 });
    });

    it('shows the tax inside inclusive prices', async () => {
      const t = await makeTenant({ taxMode: 'inclusive', taxRateBp: 2000 });
      const v = await makeVariant(t, { price: 1200 });
      const cart = await makeCart(t);
      expect((await addLine(t, cart, v, 1)).body.totals).to.deep.include({ subtotal: 1200, tax: 200, total: 1200 });
    });

    it('applies adjustments from the checkout.adjustments hook, stamped with their source, and survives hooks that throw, hang or lie', async () => {
      const t = await makeTenant();
      const rt = await runtime();
      const mine = (tenantId: string) => tenantId === t.tenant.id;
      rt.kernel.extensions.addHook('checkout.adjustments', 'test-promo', (ctx, input) => (mine(ctx.tenant.id) ? [{ label: '10% off', amount: -Math.round(input.subtotal / 10), code: 'TEN' }] : []));
      rt.kernel.extensions.addHook('checkout.adjustments', 'test-thrower', (ctx) => {
        if (mine(ctx.tenant.id)) throw new Error('boom');
        return [];
      });
      rt.kernel.extensions.addHook('checkout.adjustments', 'test-sleeper', async (ctx) => {
        if (!mine(ctx.tenant.id)) return [];
        await new Promise((r) => setTimeout(r, 1500));
        return [{ label: 'late', amount: -1 }];
      }, 100);
      rt.kernel.extensions.addHook('checkout.adjustments', 'test-liar', (ctx) => (mine(ctx.tenant.id) ? ([{ label: 'float', amount: 0.5 }] as never) : []));
      const v = await makeVariant(t, { price: 2000 });
      const cart = await makeCart(t);
      const started = Date.now();
      const res = await addLine(t, cart, v, 1);
      expect(Date.now() - started).to.be.lessThan(1400);
      expect(res.body.adjustments).to.deep.equal([{ source: 'test-promo', label: '10% off', amount: -200, code: 'TEN' }]);
      expect(res.body.totals).to.deep.include({ subtotal: 2000, adjustments: -200, total: 1800 });
    });
  });

  describe('POST /store/v1/me/cart/merge', () => {
    it("folds a guest cart into the customer's cart on login, adding quantities up to the stock", async () => {
      const a = await makeVariant(shop, { stock: 4 });
      const b = await makeVariant(shop, { price: 700 });
      const customer = await makeCustomer(shop);
      const mine = await makeCart(shop, { customerToken: customer.token });
      await addLine(shop, mine, a, 3, customer.token);
      const guest = await makeCart(shop);
      await addLine(shop, guest, a, 2);
      await addLine(shop, guest, b, 1);
      await cartCall(shop, guest, 'PATCH', '', { email: 'guest@example.com', shippingAddress: ADDRESS });
      const merged = await post('/store/v1/me/cart/merge', { cartId: guest.id, token: guest.token }, { tenant: shop.slug, token: customer.token });
      expect(merged.status, merged.text).to.equal(200);
      expect(merged.body.id).to.equal(mine.id);
      const qty = Object.fromEntries(merged.body.lines.map((l: { variantId: string; quantity: number }) => [l.variantId, l.quantity]));
      expect(qty).to.deep.equal({ [a]: 4, [b]: 1 });
      expect(merged.body.email).to.equal('guest@example.com');
      const old = await cartCall(shop, guest, 'GET', '');
      expect(old.body).to.include({ status: 'merged', mergedInto: mine.id });
      const again = await post('/store/v1/me/cart/merge', { cartId: guest.id, token: guest.token }, { tenant: shop.slug, token: customer.token });
      expect(again.status).to.equal(409);
      expect(again.body).to.include({ code: 'CART_NOT_OPEN', currentState: 'merged' });
      expect((await cartCall(shop, guest, 'POST', '/lines', { variantId: b, quantity: 1 })).body.code).to.equal('CART_NOT_OPEN');
    });

    it('lets a customer without a cart adopt the guest cart, and refuses a wrong token or a guest', async () => {
      const v = await makeVariant(shop);
      const guest = await makeCart(shop);
      await addLine(shop, guest, v, 1);
      const customer = await makeCustomer(shop);
      expect((await post('/store/v1/me/cart/merge', { cartId: guest.id, token: 'wrong' }, { tenant: shop.slug, token: customer.token })).status).to.equal(404);
      expect((await post('/store/v1/me/cart/merge', { cartId: guest.id, token: guest.token }, { tenant: shop.slug })).status).to.equal(401);
      expect((await post('/store/v1/me/cart/merge', { cartId: 'x', token: guest.token }, { tenant: shop.slug, token: customer.token })).status).to.equal(400);
      const adopted = await post('/store/v1/me/cart/merge', { cartId: guest.id, token: guest.token }, { tenant: shop.slug, token: customer.token });
      expect(adopted.status).to.equal(200);
      expect(adopted.body).to.include({ id: guest.id, customerId: customer.id });
      expect((await get(`/store/v1/carts/${guest.id}`, { tenant: shop.slug, headers: guest.headers })).status).to.equal(404);
      expect((await get('/store/v1/me/cart', { tenant: shop.slug, token: customer.token })).body.id).to.equal(guest.id);
    });
  });
});
