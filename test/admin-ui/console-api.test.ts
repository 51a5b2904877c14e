// The read and admin APIs the console's pages stand on: product text search, the dashboard's
// figures counted in SQL, a customer's summary, platform admins (audited, never the last), and
// detail pages' lines and variants a page at a time (UI-5).
import { expect } from 'chai';
import { get, post, call } from '../support/http.js';
import { makeCustomer, makePlatformAdmin, makeStaff, makeTenant, unique, PASSWORD, type TestTenant } from '../support/factories.js';
import { makeVariant, placeOrder, adminAct, addLine, makeCart, cartCall, checkoutBody, ADDRESS } from '../orders/support.js';
import { scoped } from '../../core/db/model.js';
import { Order } from '../../core/orders/order.model.js';
import { runtime } from '../support/runtime.js';
import { PlatformAdmin } from '../../core/users/user.model.js';
import { permissionsFor, ROLES } from '../../core/users/roles.js';

async function product(t: TestTenant, names: Record<string, string>, sku: string): Promise<string> {
  const res = await post(
    '/admin/v1/products',
    { status: 'active', translations: Object.fromEntries(Object.entries(names).map(([locale, name]) => [locale, { name }])), variants: [{ sku, prices: [{ currency: 'USD', amount: 1000 }] }] },
    { token: t.ownerToken },
  );
  expect(res.status, res.text).to.equal(201);
  return res.body.id;
}

describe('console APIs', function () {
  this.timeout(60_000);

  describe('GET /admin/v1/products?q=', () => {
    let shop: TestTenant;
    let other: TestTenant;
    const ids: Record<string, string> = {};
    before(async () => {
      shop = await makeTenant();
      other = await makeTenant();
      ids.linen = await product(shop, { en: 'Linen shirt', 'zh-CN': '亚麻衬衫' }, 'LIN-100');
      ids.wool = await product(shop, { en: 'Wool scarf' }, 'WOOL_7');
      ids.percent = await product(shop, { en: '100% cotton tee' }, 'TEE-1');
      ids.foreign = await product(other, { en: 'Linen trousers' }, 'LIN-200');
    });
    const search = (t: TestTenant, q: string, extra = '') => get(`/admin/v1/products?q=${encodeURIComponent(q)}${extra}`, { token: t.ownerToken });

    it('finds a name in any language or a SKU, case-insensitively, only in the caller’s store', async () => {
      expect((await search(shop, 'linen')).body.items.map((p: { id: string }) => p.id)).to.deep.equal([ids.linen]);
      expect((await search(shop, '亚麻')).body.items.map((p: { id: string }) => p.id)).to.deep.equal([ids.linen]);
      expect((await search(shop, 'lin-1')).body.items.map((p: { id: string }) => p.id)).to.deep.equal([ids.linen]);
      expect((await search(other, 'linen')).body.items.map((p: { id: string }) => p.id)).to.deep.equal([ids.foreign]);
    });

    it('takes % and _ literally', async () => {
      expect((await search(shop, '100%')).body.items.map((p: { id: string }) => p.id)).to.deep.equal([ids.percent]);
      expect((await search(shop, 'l_n')).body.items).to.deep.equal([]);
      expect((await search(shop, 'wool_')).body.items.map((p: { id: string }) => p.id)).to.deep.equal([ids.wool]);
    });

    it('pages the matches and combines with the status filter', async () => {
      const first = await search(shop, 'e', '&limit=1');
      expect(first.body.items).to.have.length(1);
      expect(first.body.nextCursor).to.be.a('string');
      const second = await search(shop, 'e', `&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body.items).to.have.length(1);
      expect(second.body.items[0].id).not.to.equal(first.body.items[0].id);
      expect((await search(shop, 'linen', '&status=draft')).body.items).to.deep.equal([]);
    });

    it('refuses an empty, blank or over-long q with a 400 naming it', async () => {
      for (const q of ['', '   ', 'x'.repeat(101)]) {
        const res = await search(shop, q);
        expect(res.status, JSON.stringify(q)).to.equal(400);
        expect(res.headers.get('content-type')).to.contain('problem+json');
        expect(JSON.stringify(res.body.errors)).to.contain('/q');
      }
    });
  });

  describe('GET /admin/v1/dashboard/sales', () => {
    let shop: TestTenant;
    let other: TestTenant;
    before(async () => {
      shop = await makeTenant();
      other = await makeTenant();
    });

    it('counts orders and value per currency per day in the caller’s calendar, cancelled orders count but add no value', async () => {
      const usd = await makeVariant(shop, { prices: [{ currency: 'USD', amount: 1000 }, { currency: 'EUR', amount: 900 }], stock: 100 });
      const now = new Date();
      const placed = [];
      for (let i = 0; i < 4; i++) placed.push((await placeOrder(shop, [{ variantId: usd, quantity: 1 + i }])).order);
      // One order of three days ago, one cancelled today, one past the 30-day window.
      await scoped(shop.ctx, Order).patch({ placedAt: new Date(now.getTime() - 3 * 86_400_000).toISOString() } as never).where('id', placed[0].id);
      await scoped(shop.ctx, Order).patch({ placedAt: new Date(now.getTime() - 40 * 86_400_000).toISOString() } as never).where('id', placed[3].id);
      expect((await adminAct(shop, placed[1].id, 'cancel', {})).status).to.equal(200);
      const foreignVariant = await makeVariant(other, { price: 777, stock: 10 });
      await placeOrder(other, [{ variantId: foreignVariant, quantity: 1 }]);

      const res = await get('/admin/v1/dashboard/sales?days=30&tzOffset=0', { token: shop.ownerToken });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.days).to.have.length(30);
      const today = now.toISOString().slice(0, 10);
      expect(res.body.today.day).to.equal(today);
      // Orders 1 (cancelled, 2 units) and 2 (3 units) today; order 0 (1 unit) three days ago.
      expect(res.body.today.orders).to.equal(2);
      expect(res.body.today.revenue).to.deep.equal([{ currency: 'USD', amount: placed[2].totals.total }]);
      const threeAgo = new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
      expect(res.body.days.find((d: { day: string }) => d.day === threeAgo)).to.deep.equal({ day: threeAgo, orders: 1, revenue: [{ currency: 'USD', amount: placed[0].totals.total }] });
      expect(res.body.days.reduce((n: number, d: { orders: number }) => n + d.orders, 0)).to.equal(3);
      expect(res.body.currencies).to.deep.equal(['USD']);

      const other_ = await get('/admin/v1/dashboard/sales', { token: other.ownerToken });
      expect(other_.body.today.orders).to.equal(1);
      expect(other_.body.today.revenue[0].amount).to.be.greaterThan(0);
      expect(other_.body.days.reduce((n: number, d: { orders: number }) => n + d.orders, 0)).to.equal(1);
    });

    it('moves an order across midnight with the caller’s offset', async () => {
      const shop2 = await makeTenant();
      const v = await makeVariant(shop2, { price: 500, stock: 10 });
      const { order } = await placeOrder(shop2, [{ variantId: v, quantity: 1 }]);
      // 23:30 UTC yesterday is today at UTC+1 and yesterday at UTC.
      const d = new Date();
      const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - 30 * 60_000;
      await scoped(shop2.ctx, Order).patch({ placedAt: new Date(at).toISOString() } as never).where('id', order.id);
      const utc = await get('/admin/v1/dashboard/sales?days=2&tzOffset=0', { token: shop2.ownerToken });
      const plus1 = await get(`/admin/v1/dashboard/sales?days=2&tzOffset=60`, { token: shop2.ownerToken });
      expect(utc.body.days.map((x: { orders: number }) => x.orders)).to.deep.equal([1, 0]);
      // At UTC+1 "today" may already be tomorrow in UTC terms; the order sits on the local day 00:30.
      const localDay = new Date(at + 60 * 60_000).toISOString().slice(0, 10);
      expect(plus1.body.days.find((x: { day: string }) => x.day === localDay)?.orders).to.equal(1);
    });

    it('refuses a bad window or offset with a 400', async () => {
      for (const q of ['days=0', 'days=91', 'tzOffset=900', 'tzOffset=abc', 'extra=1']) {
        const res = await get(`/admin/v1/dashboard/sales?${q}`, { token: shop.ownerToken });
        expect(res.status, q).to.equal(400);
      }
    });
  });

  describe('GET /admin/v1/customers/:id/summary', () => {
    it('sums the customer’s orders per currency and lists the addresses used, and is 404 for another store’s customer', async () => {
      const shop = await makeTenant();
      const other = await makeTenant();
      const customer = await makeCustomer(shop);
      const v = await makeVariant(shop, { price: 1000, stock: 50 });
      const a = await placeOrder(shop, [{ variantId: v, quantity: 2 }], { customerToken: customer.token });
      const b = await placeOrder(shop, [{ variantId: v, quantity: 1 }], { customerToken: customer.token });
      await placeOrder(shop, [{ variantId: v, quantity: 5 }]);
      const res = await get(`/admin/v1/customers/${customer.id}/summary`, { token: shop.ownerToken });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.orders).to.equal(2);
      expect(res.body.spent).to.deep.equal([{ currency: 'USD', amount: a.order.totals.total + b.order.totals.total }]);
      expect(Date.parse(res.body.firstOrderAt)).to.be.at.most(Date.parse(res.body.lastOrderAt));
      expect(res.body.addresses.map((x: { kind: string; address: { line1: string } }) => `${x.kind} ${x.address.line1}`).sort()).to.deep.equal([`billing ${ADDRESS.line1}`, `shipping ${ADDRESS.line1}`]);

      const none = await makeCustomer(shop);
      const empty = await get(`/admin/v1/customers/${none.id}/summary`, { token: shop.ownerToken });
      expect(empty.body).to.deep.include({ orders: 0, spent: [], firstOrderAt: null, lastOrderAt: null, addresses: [] });

      const foreign = await get(`/admin/v1/customers/${customer.id}/summary`, { token: other.ownerToken });
      expect(foreign.status).to.equal(404);
      expect(foreign.text).not.to.contain(customer.email);
    });
  });

  describe('/platform/v1/admins', () => {
    it('lists, adds and removes platform admins, audited, and refuses a duplicate or a bad body', async () => {
      const me = await makePlatformAdmin();
      const email = `${unique('pa')}@platform.test`;
      const added = await post('/platform/v1/admins', { email, name: 'Second Admin', password: PASSWORD }, { token: me.token });
      expect(added.status, added.text).to.equal(201);
      expect(added.body).to.include({ email, name: 'Second Admin' });
      expect(added.text).not.to.contain('password');
      const login = await post('/platform/v1/auth/login', { email, password: PASSWORD });
      expect(login.status).to.equal(200);

      const dup = await post('/platform/v1/admins', { email, name: 'Again', password: PASSWORD }, { token: me.token });
      expect(dup.status).to.equal(409);
      const bad = await post('/platform/v1/admins', { email: 'not-an-email', name: '', password: 'short' }, { token: me.token });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).to.include.members(['/email', '/password']);

      const list = await get('/platform/v1/admins?limit=100', { token: me.token });
      expect(list.body.items.map((x: { email: string }) => x.email)).to.include(email);

      const removed = await call('DELETE', `/platform/v1/admins/${added.body.id}`, { token: me.token });
      expect(removed.status, removed.text).to.equal(204);
      // Their session ends with them.
      expect((await get('/platform/v1/me', { token: login.body.token })).status).to.equal(401);
      expect((await call('DELETE', `/platform/v1/admins/${added.body.id}`, { token: me.token })).status).to.equal(404);

      const audit = await get('/platform/v1/audit?limit=100', { token: me.token });
      const mine = audit.body.items.filter((e: { targetId: string }) => e.targetId === added.body.id).map((e: { action: string; actorId: string }) => `${e.action} ${e.actorId}`);
      expect(mine).to.deep.equal([`platform_admin.removed ${me.id}`, `platform_admin.added ${me.id}`]);

      const anon = await get('/platform/v1/admins');
      expect(anon.status).to.equal(401);
      const shop = await makeTenant();
      expect((await get('/platform/v1/admins', { token: shop.ownerToken })).status).to.equal(401);
    });

    it('never removes the last admin, even when two removals race', async () => {
      const rt = await runtime();
      const me = await makePlatformAdmin();
      // Leave this test's admin alone with one other, as a platform with two admins would be.
      for (const a of await PlatformAdmin.query(rt.kernel.pool.control).whereNot('id', me.id)) {
        const res = await call('DELETE', `/platform/v1/admins/${a.id}`, { token: me.token });
        expect(res.status, res.text).to.equal(204);
      }
      const other = await post('/platform/v1/admins', { email: `${unique('pa')}@platform.test`, name: 'Other', password: PASSWORD }, { token: me.token });
      const otherLogin = await post('/platform/v1/auth/login', { email: other.body.email, password: PASSWORD });
      // Each removes the other at the same moment: one wins, one is told no.
      const [x, y] = await Promise.all([
        call('DELETE', `/platform/v1/admins/${other.body.id}`, { token: me.token }),
        call('DELETE', `/platform/v1/admins/${me.id}`, { token: otherLogin.body.token }),
      ]);
      const statuses = [x.status, y.status].sort();
      // 409: the loser counted one admin left; 401: its own session was already ended by the winner.
      expect([[204, 409], [204, 401]], `${x.text} ${y.text}`).to.deep.include(statuses);
      expect(await PlatformAdmin.query(rt.kernel.pool.control).resultSize()).to.equal(1);
      const survivor = (await PlatformAdmin.query(rt.kernel.pool.control).first())!;
      const token = survivor.id === me.id ? me.token : otherLogin.body.token;
      const last = await call('DELETE', `/platform/v1/admins/${survivor.id}`, { token });
      expect(last.status).to.equal(409);
      expect(last.body.code).to.equal('LAST_PLATFORM_ADMIN');
      expect(last.body.title).to.equal('The last platform admin cannot be removed');
      const zh = await call('DELETE', `/platform/v1/admins/${survivor.id}`, { token, headers: { 'accept-language': 'zh-CN' } });
      expect(zh.body.title).to.equal('不能移除最后一位平台管理员');
    });
  });

  describe('GET /admin/v1/roles', () => {
    it('lists each role with the permissions the API grants it, to roles that may read staff', async () => {
      const shop = await makeTenant();
      const res = await get('/admin/v1/roles', { token: shop.ownerToken });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.items.map((r: { role: string }) => r.role)).to.deep.equal([...ROLES]);
      for (const r of res.body.items as { role: string; permissions: string[] }[]) expect(r.permissions, r.role).to.have.members([...permissionsFor(r.role)]);
      const clerk = await makeStaff(shop, 'staff');
      const refused = await get('/admin/v1/roles', { token: clerk.token });
      expect(refused.status).to.equal(403);
      expect(refused.body.code).to.equal('PERMISSION_DENIED');
    });
  });

  describe('detail pages load lines and variants paged (UI-5)', () => {
    let shop: TestTenant;
    let productId: string;
    let variantIds: string[];
    let orderId: string;
    before(async () => {
      shop = await makeTenant();
      const variants = Array.from({ length: 23 }, (_v, i) => ({ sku: `PAGE-${String(i).padStart(2, '0')}`, options: { size: String(i) }, prices: [{ currency: shop.tenant.defaultCurrency, amount: 100 + i }], stock: 5 }));
      const res = await post('/admin/v1/products', { status: 'active', translations: { en: { name: 'Many sizes' } }, variants }, { token: shop.ownerToken });
      expect(res.status, res.text).to.equal(201);
      productId = res.body.id;
      variantIds = res.body.variants.map((v: { id: string }) => v.id);
      const cart = await makeCart(shop);
      for (const id of variantIds) expect((await addLine(shop, cart, id, 2)).status).to.be.oneOf([200, 201]);
      const placed = await cartCall(shop, cart, 'POST', '/checkout', checkoutBody());
      expect(placed.status, placed.text).to.equal(201);
      orderId = placed.body.order.id;
    });

    it('pages an order’s lines 20 at a time in their order; lines=none leaves them out and counts them', async () => {
      const first = await get(`/admin/v1/orders/${orderId}/lines`, { token: shop.ownerToken });
      expect(first.status, first.text).to.equal(200);
      expect(first.body.items).to.have.length(20);
      const second = await get(`/admin/v1/orders/${orderId}/lines?cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: shop.ownerToken });
      expect(second.body.items).to.have.length(3);
      expect(second.body.nextCursor).to.equal(null);
      const all = await get(`/admin/v1/orders/${orderId}`, { token: shop.ownerToken });
      expect([...first.body.items, ...second.body.items].map((l: { id: string }) => l.id)).to.deep.equal(all.body.lines.map((l: { id: string }) => l.id));
      expect(all.body.lineStats).to.deep.equal({ count: 23, units: 46, unfulfilledUnits: 46, unshippedUnits: 46 });
      const bare = await get(`/admin/v1/orders/${orderId}?lines=none`, { token: shop.ownerToken });
      expect(bare.status, bare.text).to.equal(200);
      expect(bare.body.lines).to.deep.equal([]);
      expect(bare.body.lineStats).to.deep.equal({ count: 23, units: 46, unfulfilledUnits: 46, unshippedUnits: 46 });
      // Shipping everything: nothing left to fulfil or ship.
      expect((await adminAct(shop, orderId, 'confirm-payment')).status).to.equal(200);
      const shipped = await adminAct(shop, orderId, 'shipments', { carrier: 'DHL', trackingNumber: 'T-1' });
      expect(shipped.status, shipped.text).to.equal(201);
      expect((await get(`/admin/v1/orders/${orderId}?lines=none`, { token: shop.ownerToken })).body.lineStats).to.deep.equal({ count: 23, units: 46, unfulfilledUnits: 0, unshippedUnits: 0 });
    });

    it('refuses a bad lines value, a bad cursor and another store’s order', async () => {
      const bad = await get(`/admin/v1/orders/${orderId}?lines=some`, { token: shop.ownerToken });
      expect(bad.status).to.equal(400);
      expect(JSON.stringify(bad.body.errors)).to.contain('/lines');
      const cursor = await get(`/admin/v1/orders/${orderId}/lines?cursor=nonsense`, { token: shop.ownerToken });
      expect(cursor.status).to.equal(400);
      expect(cursor.body.code).to.equal('INVALID_CURSOR');
      const other = await makeTenant();
      const foreign = await get(`/admin/v1/orders/${orderId}/lines`, { token: other.ownerToken });
      expect(foreign.status).to.equal(404);
      expect(foreign.body.code).to.equal('ORDER_NOT_FOUND');
    });

    it('leaves a product’s variants out with variants=none, counts them, and pages them from /variants', async () => {
      const bare = await get(`/admin/v1/products/${productId}?variants=none`, { token: shop.ownerToken });
      expect(bare.status, bare.text).to.equal(200);
      expect(bare.body.variants).to.deep.equal([]);
      expect(bare.body.variantCount).to.equal(23);
      const full = await get(`/admin/v1/products/${productId}`, { token: shop.ownerToken });
      expect(full.body.variants).to.have.length(23);
      expect(full.body.variantCount).to.equal(23);
      const first = await get(`/admin/v1/products/${productId}/variants`, { token: shop.ownerToken });
      expect(first.body.items.map((v: { sku: string }) => v.sku)).to.deep.equal(variants(0, 20));
      const second = await get(`/admin/v1/products/${productId}/variants?cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: shop.ownerToken });
      expect(second.body.items.map((v: { sku: string }) => v.sku)).to.deep.equal(variants(20, 23));
      expect(second.body.nextCursor).to.equal(null);
      expect((await get(`/admin/v1/products/${productId}?variants=few`, { token: shop.ownerToken })).status).to.equal(400);
    });
    const variants = (from: number, to: number) => Array.from({ length: to - from }, (_v, i) => `PAGE-${String(from + i).padStart(2, '0')}`);
  });
});
