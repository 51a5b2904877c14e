// Zones and methods over HTTP, and the cart's shipping options and checkout with them
// (requirements 22-24 and the checkout integration of issue 22).
import { expect } from 'chai';
import { definePlugin } from '@bazaar/sdk';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import logistics from '../../../plugins/logistics/index.js';
import { address, cart, method, variant, zone } from './support.js';

/** A stand-in for the cross-border plugin: 1 USD = 0.9 EUR. */
const fx = definePlugin({
  name: 'fx-stub',
  version: '1.0.0',
  core: '>=0.1.0',
  register(api) {
    api.provide('fx-rates', {
      id: 'fx-stub',
      async rate(_ctx, from, to) {
        if (from === 'USD' && to === 'EUR') return '0.9';
        if (from === 'EUR' && to === 'USD') return '1.111111';
        return null;
      },
    });
  },
});

/** A coupon of 10.00 off every cart of the stores that enable it (a `checkout.adjustments` discount). */
const coupon = definePlugin({
  name: 'coupon-stub',
  version: '1.0.0',
  core: '>=0.1.0',
  register(api) {
    api.hook('checkout.adjustments', async () => [{ label: 'Coupon TEN', amount: -1000, code: 'coupon:TEN' }]);
  },
});

describe('logistics plugin: zones, methods and checkout', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let shop: KitTenant;
  let other: KitTenant;
  let us: { id: string };
  let bay: { id: string };

  before(async () => {
    kit = await startTestKit({ plugin: logistics, plugins: [fx, coupon] });
    shop = await kit.tenant({ enable: ['logistics', 'fx-stub'] });
    other = await kit.tenant({ enable: ['logistics'] });
    us = await zone(kit, shop, { name: 'US', areas: [{ country: 'US' }] });
    bay = await zone(kit, shop, { name: 'CA-Bay', areas: [{ country: 'US', region: 'US-CA', postalRules: [{ start: '94000', end: '94999', mode: 'include' }, { start: '94128', mode: 'exclude' }] }] });
  });
  after(async () => {
    await kit?.close();
  });

  it('picks the most specific zone for an address: US-CA 94105 is CA-Bay, 94128 falls through to US', async () => {
    const hit = await kit.get('/admin/v1/logistics/zones/match?country=US&region=CA&postalCode=94105', { token: shop.ownerToken });
    expect(hit.status, hit.text).to.equal(200);
    expect(hit.body).to.deep.include({ level: 'postal' });
    expect(hit.body.zone.name).to.equal('CA-Bay');
    const excluded = await kit.get('/admin/v1/logistics/zones/match?country=US&region=CA&postalCode=94128', { token: shop.ownerToken });
    expect(excluded.body.zone.name).to.equal('US');
    const none = await kit.get('/admin/v1/logistics/zones/match?country=FR', { token: shop.ownerToken });
    expect(none.body).to.deep.equal({ zone: null, level: null });
  });

  it('refuses an overlapping zone and bad input with problem+json naming the field', async () => {
    const clash = await kit.post('/admin/v1/logistics/zones', { name: 'Also US', areas: [{ country: 'CA' }, { country: 'US' }] }, { token: shop.ownerToken });
    expect(clash.status).to.equal(409);
    expect(clash.headers.get('content-type')).to.match(/problem\+json/);
    expect(clash.body).to.include({ code: 'ZONE_OVERLAP', zoneId: us.id });
    expect(clash.body.errors[0].pointer).to.equal('/areas/1');
    const sf = await kit.post('/admin/v1/logistics/zones', { name: 'SF', areas: [{ country: 'US', postalRules: [{ start: '941*', mode: 'include' }] }] }, { token: shop.ownerToken });
    expect(sf.status).to.equal(409);
    const range = await kit.post('/admin/v1/logistics/zones', { name: 'Back', areas: [{ country: 'DE', postalRules: [{ start: '20000', end: '10000', mode: 'include' }] }] }, { token: shop.ownerToken });
    expect(range.status).to.equal(400);
    expect(range.body.errors[0].pointer).to.equal('/areas/0/postalRules/0');
    const country = await kit.post('/admin/v1/logistics/zones', { name: 'X', areas: [{ country: 'usa' }] }, { token: shop.ownerToken });
    expect(country.status).to.equal(400);
    expect(country.body.errors[0].pointer).to.equal('/areas/0/country');
    const many = await kit.post('/admin/v1/logistics/zones', { name: 'Y', areas: Array.from({ length: 101 }, () => ({ country: 'DE' })) }, { token: shop.ownerToken });
    expect(many.status).to.equal(400);
    const brackets = await kit.post('/admin/v1/logistics/methods', { zoneId: us.id, code: 'bad', label: 'Bad', currency: 'USD', calculator: { type: 'weight', unit: 'kg', brackets: [{ min: 0, max: 5, amount: 1 }, { min: 3, amount: 2 }] } }, { token: shop.ownerToken });
    expect(brackets.status).to.equal(400);
    expect(brackets.body.errors[0].pointer).to.equal('/calculator/brackets');
    const cur = await kit.post('/admin/v1/logistics/methods', { zoneId: us.id, code: 'bad', label: 'Bad', currency: 'JPY', calculator: { type: 'flat', amount: 1 } }, { token: shop.ownerToken });
    expect(cur.body.errors[0].pointer).to.equal('/currency');
    const zoneless = await kit.post('/admin/v1/logistics/methods', { zoneId: '00000000-0000-4000-8000-000000000000', code: 'bad', label: 'Bad', currency: 'USD', calculator: { type: 'flat', amount: 1 } }, { token: shop.ownerToken });
    expect(zoneless.body.errors[0].pointer).to.equal('/zoneId');
    const neg = await kit.post('/admin/v1/logistics/methods', { zoneId: us.id, code: 'bad', label: 'Bad', currency: 'USD', calculator: { type: 'flat', amount: -1 } }, { token: shop.ownerToken });
    expect(neg.status).to.equal(400);
  });

  it('offers the eligible methods of the matched zone with their prices, and never an ineligible one', async () => {
    await method(kit, shop, { zoneId: bay.id, code: 'bay-courier', label: 'Bay courier', labels: { 'zh-CN': '湾区快递' }, calculator: { type: 'flat', amount: 700 }, minDays: 1, maxDays: 2 });
    await method(kit, shop, { zoneId: bay.id, code: 'bay-free', label: 'Free over $50', calculator: { type: 'order_value', brackets: [{ min: 0, amount: 900 }], freeOver: 5000 } });
    await method(kit, shop, { zoneId: bay.id, code: 'bay-dim', label: 'Parcel (dimensional)', calculator: { type: 'dimensional', weightUnit: 'lb', dimensionUnit: 'in', divisor: 139, brackets: [{ min: 0, max: 7, amount: 1000 }, { min: 7, max: 20, amount: 1700 }] } });
    await method(kit, shop, { zoneId: bay.id, code: 'bay-light', label: 'Letter', eligibility: { weight: { unit: 'lb', max: 1 } }, calculator: { type: 'flat', amount: 1 } });
    await method(kit, shop, { zoneId: bay.id, code: 'bay-off', label: 'Off', active: false, calculator: { type: 'flat', amount: 1 } });
    await method(kit, shop, { zoneId: us.id, code: 'us-per-item', label: 'Per item', calculator: { type: 'per_item', amount: 300 } });

    const box = await variant(kit, shop, { price: 2500, shipping: { weight: { value: 5, unit: 'lb' }, dimensions: { length: 12, width: 10, height: 8, unit: 'in' }, hsCode: '620342', originCountry: 'CN' } });
    const c = await cart(kit, shop, [{ variantId: box.variantId, quantity: 2 }], address());
    const opts = await c.options();
    expect(opts.map((o) => [o.id, o.amount])).to.deep.equal([['bay-courier', 700], ['bay-dim', 1700], ['bay-free', 0]]);
    expect(opts.find((o) => o.id === 'bay-courier')).to.deep.include({ label: 'Bay courier', minDays: 1, maxDays: 2 });

    const one = await cart(kit, shop, [{ variantId: box.variantId, quantity: 1 }], address());
    expect((await one.options()).map((o) => [o.id, o.amount])).to.deep.equal([['bay-courier', 700], ['bay-dim', 1700], ['bay-free', 900]]);
    const ny = await cart(kit, shop, [{ variantId: box.variantId, quantity: 3 }], address({ region: 'NY', postalCode: '10001', city: 'New York' }));
    expect((await ny.options()).map((o) => [o.id, o.amount])).to.deep.equal([['us-per-item', 900]]);
    const abroad = await cart(kit, shop, [{ variantId: box.variantId, quantity: 1 }], address({ country: 'DE', region: undefined, postalCode: '10115' }));
    expect(await abroad.options()).to.deep.equal([]);

    const admin = await kit.get(`/admin/v1/variants/${box.variantId}`, { token: shop.ownerToken });
    expect(admin.body.shipping).to.deep.equal({ weight: { value: 5, unit: 'lb' }, dimensions: { length: 12, width: 10, height: 8, unit: 'in' }, hsCode: '620342', originCountry: 'CN' });
  });

  it('a cart exactly at the free-shipping threshold ships free, and the choice is locked onto the order', async () => {
    const item = await variant(kit, shop, { price: 2500, shipping: { weight: { value: 0.4, unit: 'lb' } } });
    const c = await cart(kit, shop, [{ variantId: item.variantId, quantity: 2 }], address());
    const opts = await c.options();
    expect(opts.find((o) => o.id === 'bay-free')!.amount).to.equal(0);
    expect(opts.map((o) => o.id)).to.include('bay-light');
    const res = await kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'bay-courier' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: shop.slug, headers: c.headers });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.order.shippingMethod).to.deep.equal({ provider: 'logistics', option: 'bay-courier', label: 'Bay courier', amount: 700 });
    expect(res.body.order.totals).to.deep.include({ subtotal: 5000, shipping: 700, total: 5700 });

    // A method later repriced does not change the placed order.
    const list = await kit.get('/admin/v1/logistics/methods', { token: shop.ownerToken });
    const courier = list.body.items.find((m: { code: string }) => m.code === 'bay-courier');
    const { id: courierId, createdAt: _c, updatedAt: _u, ...rest } = courier;
    const upd = await kit.put(`/admin/v1/logistics/methods/${courierId}`, { ...rest, calculator: { type: 'flat', amount: 800 } }, { token: shop.ownerToken });
    expect(upd.status, upd.text).to.equal(200);
    const order = await kit.get(`/admin/v1/orders/${res.body.order.id}`, { token: shop.ownerToken });
    expect(order.body.shippingMethod.amount).to.equal(700);
    expect((await c.options()).length).to.be.greaterThan(0);
  });

  it('compares the subtotal after discounts by default (free-over, order-value brackets, subtotal checks); a method may compare before them', async () => {
    const t = await kit.tenant({ enable: ['logistics', 'coupon-stub'] });
    const z = await zone(kit, t, { name: 'US', areas: [{ country: 'US' }] });
    const after = await method(kit, t, { zoneId: z.id, code: 'free-after', calculator: { type: 'order_value', brackets: [{ min: 0, max: 4500, amount: 900 }, { min: 4500, amount: 500 }], freeOver: 5000 } });
    await method(kit, t, { zoneId: z.id, code: 'free-before', subtotalBasis: 'before_discounts', calculator: { type: 'order_value', brackets: [{ min: 0, amount: 900 }], freeOver: 5000 } });
    await method(kit, t, { zoneId: z.id, code: 'small-after', eligibility: { subtotal: { max: 5000 } }, calculator: { type: 'flat', amount: 300 } });
    await method(kit, t, { zoneId: z.id, code: 'small-before', subtotalBasis: 'before_discounts', eligibility: { subtotal: { max: 5000 } }, calculator: { type: 'flat', amount: 300 } });
    expect((await kit.get(`/admin/v1/logistics/methods/${after.id}`, { token: t.ownerToken })).body.subtotalBasis, 'the default').to.equal('after_discounts');
    const bad = await kit.post('/admin/v1/logistics/methods', { zoneId: z.id, code: 'bad', label: 'Bad', currency: 'USD', subtotalBasis: 'with_tax', calculator: { type: 'flat', amount: 1 } }, { token: t.ownerToken });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].pointer).to.equal('/subtotalBasis');

    // 2 x 25.00 = 50.00, less the 10.00 coupon: 40.00 after discounts.
    const item = await variant(kit, t, { price: 2500 });
    const c = await cart(kit, t, [{ variantId: item.variantId, quantity: 2 }], address());
    expect((await c.options()).map((o) => [o.id, o.amount])).to.deep.equal([['free-after', 900], ['free-before', 0], ['small-after', 300]]);
    const res = await kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'free-after' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: c.headers });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.order.totals).to.deep.include({ subtotal: 5000, adjustments: -1000, shipping: 900, total: 4900 });

    // 3 x 25.00 less 10.00 = 65.00: free either way; exactly at the threshold after discounts is free too.
    const more = await cart(kit, t, [{ variantId: item.variantId, quantity: 3 }], address());
    expect((await more.options()).map((o) => [o.id, o.amount])).to.deep.equal([['free-after', 0], ['free-before', 0]]);
    const pricier = await variant(kit, t, { price: 3000 });
    const exact = await cart(kit, t, [{ variantId: pricier.variantId, quantity: 2 }], address());
    expect((await exact.options()).find((o) => o.id === 'free-after')!.amount, '60.00 - 10.00 = 50.00').to.equal(0);
  });

  it('refuses at checkout an option the cart is not eligible for', async () => {
    const box = await variant(kit, shop, { price: 1000, shipping: { weight: { value: 5, unit: 'lb' } } });
    const c = await cart(kit, shop, [{ variantId: box.variantId, quantity: 1 }], address());
    const res = await kit.patch(`/store/v1/carts/${c.id}`, { shippingMethod: { provider: 'logistics', option: 'bay-light' } }, { tenant: shop.slug, headers: c.headers });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('SHIPPING_OPTION_UNAVAILABLE');
  });

  it('excludes products, categories and limits methods to customer groups', async () => {
    const cat = await kit.post('/admin/v1/categories', { names: { en: 'Batteries' }, parentId: null }, { token: shop.ownerToken });
    expect(cat.status, cat.text).to.equal(201);
    const z = await zone(kit, shop, { name: 'Oregon', areas: [{ country: 'US', region: 'OR' }] });
    const battery = await variant(kit, shop, { categoryIds: [cat.body.id] });
    const plain = await variant(kit, shop);
    await method(kit, shop, { zoneId: z.id, code: 'or-air', label: 'Air', eligibility: { excludedCategoryIds: [cat.body.id] }, calculator: { type: 'flat', amount: 2000 } });
    await method(kit, shop, { zoneId: z.id, code: 'or-ground', label: 'Ground', eligibility: { excludedProductIds: [plain.productId] }, calculator: { type: 'flat', amount: 500 } });
    await method(kit, shop, { zoneId: z.id, code: 'or-vip', label: 'VIP', eligibility: { customerGroups: ['vip'] }, calculator: { type: 'flat', amount: 0 } });
    const portland = address({ region: 'US-OR', postalCode: '97201', city: 'Portland' });
    expect((await (await cart(kit, shop, [{ variantId: battery.variantId, quantity: 1 }], portland)).options()).map((o) => o.id)).to.deep.equal(['or-ground']);
    expect((await (await cart(kit, shop, [{ variantId: plain.variantId, quantity: 1 }], portland)).options()).map((o) => o.id)).to.deep.equal(['or-air']);

    const reg = await kit.post('/store/v1/auth/signup', { email: 'vip@example.com', password: 'correct horse battery', name: 'Vip' }, { tenant: shop.slug });
    expect(reg.status, reg.text).to.equal(201);
    const customerId = reg.body.customer?.id ?? reg.body.id;
    const groups = await kit.put(`/admin/v1/logistics/customers/${customerId}/groups`, { groups: ['vip'] }, { token: shop.ownerToken });
    expect(groups.body).to.deep.equal({ customerId, groups: ['vip'] });
    const mine = await cart(kit, shop, [{ variantId: plain.variantId, quantity: 1 }], portland, { token: reg.body.token });
    expect((await mine.options()).map((o) => o.id)).to.deep.equal(['or-air', 'or-vip']);
  });

  it("prices in the cart's currency through the fx-rates provider", async () => {
    const item = await variant(kit, shop, { price: 1000, prices: [{ currency: 'USD', amount: 1000 }, { currency: 'EUR', amount: 900 }] });
    const c = await cart(kit, shop, [{ variantId: item.variantId, quantity: 1 }], address({ region: 'NY', postalCode: '10001' }), { currency: 'EUR' });
    expect((await c.options()).map((o) => [o.id, o.amount])).to.deep.equal([['us-per-item', 270]]);
  });

  it("keeps each store's zones and methods to itself, and is off where not enabled", async () => {
    expect((await kit.get('/admin/v1/logistics/zones', { token: other.ownerToken })).body.items).to.deep.equal([]);
    expect((await kit.get(`/admin/v1/logistics/zones/${us.id}`, { token: other.ownerToken })).status).to.equal(404);
    const box = await variant(kit, other, { shipping: { weight: { value: 1, unit: 'kg' } } });
    expect(await (await cart(kit, other, [{ variantId: box.variantId, quantity: 1 }], address())).options()).to.deep.equal([]);
    const off = await kit.tenant();
    expect((await kit.get('/admin/v1/logistics/zones', { token: off.ownerToken })).status).to.equal(404);
    expect(kit.logs.filter((l) => l.level >= 50)).to.deep.equal([]);
  });
});
