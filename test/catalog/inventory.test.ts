import { expect } from 'chai';
import { get, post, patch } from '../support/http.js';
import { makeTenant, makeStaff, type TestTenant } from '../support/factories.js';
import { withTransaction } from '../../core/context.js';
import { ConflictError } from '../../core/errors.js';
import { reserveStock, reserveStockLines, releaseStock, commitStock, variantStock } from '../../core/catalog/inventory.service.js';
import { makeProduct, pointers } from './support.js';

async function movements(t: TestTenant, variantId: string): Promise<any[]> {
  const all: any[] = [];
  let cursor = '';
  for (;;) {
    const res = await get(`/admin/v1/variants/${variantId}/stock/movements?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: t.ownerToken });
    all.push(...res.body.items);
    if (!res.body.nextCursor) return all;
    cursor = res.body.nextCursor;
  }
}

/** The level is the sum of its movements, and each movement's "after" is the running total. */
async function expectExplained(t: TestTenant, variantId: string): Promise<void> {
  const stock = await variantStock(t.ctx, variantId);
  const list = (await movements(t, variantId)).reverse();
  const byLocation = new Map<string, { onHand: number; reserved: number }>();
  for (const m of list) {
    const acc = byLocation.get(m.locationId) ?? { onHand: 0, reserved: 0 };
    acc.onHand += m.onHandDelta;
    acc.reserved += m.reservedDelta;
    expect({ onHand: m.onHandAfter, reserved: m.reservedAfter }, `movement ${m.id} (${m.reason})`).to.deep.equal(acc);
    byLocation.set(m.locationId, acc);
  }
  for (const level of stock.locations) {
    expect(byLocation.get(level.locationId) ?? { onHand: 0, reserved: 0 }).to.deep.equal({ onHand: level.onHand, reserved: level.reserved });
  }
}

describe('inventory', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });
  const as = () => ({ token: shop.ownerToken });

  describe('reserveStock under concurrency', () => {
    it('100 parallel reservations of a variant with stock 10 give exactly 10 successes and stock 0', async () => {
      const p = await makeProduct(shop, { stock: 10 });
      const variantId = p.variants[0].id;
      const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => reserveStock(shop.ctx, variantId, 1, { reference: `order-${i}` })));
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).to.have.length(10);
      expect(refused).to.have.length(90);
      for (const r of refused) {
        expect(r.reason).to.be.instanceOf(ConflictError);
        expect(r.reason.code).to.equal('INSUFFICIENT_STOCK');
        expect(r.reason.extra.variantId).to.equal(variantId);
      }
      const stock = await variantStock(shop.ctx, variantId);
      expect(stock).to.deep.include({ onHand: 10, reserved: 10, available: 0 });
      const res = await get(`/store/v1/products/${p.id}`, { tenant: shop.slug });
      expect(res.body.inStock, 'the store shows it sold out at once').to.equal(false);
      await expectExplained(shop, variantId);
    });

    it('100 parallel 3-unit reservations of stock 10 leave 1 unit and never go negative', async () => {
      const p = await makeProduct(shop, { stock: 10 });
      const variantId = p.variants[0].id;
      const results = await Promise.allSettled(Array.from({ length: 100 }, () => reserveStock(shop.ctx, variantId, 3)));
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(3);
      expect(await variantStock(shop.ctx, variantId)).to.deep.include({ onHand: 10, reserved: 9, available: 1 });
    });
  });

  describe('reserveStockLines', () => {
    it("reserves an order's lines all or none, and 50 parallel orders of 2 lines never oversell", async () => {
      const a = await makeProduct(shop, { stock: 10 });
      const b = await makeProduct(shop, { stock: 4 });
      const va = a.variants[0].id;
      const vb = b.variants[0].id;
      const one = await reserveStockLines(shop.ctx, [{ variantId: va, quantity: 1 }, { variantId: vb, quantity: 1 }, { variantId: va, quantity: 1 }], { reference: 'order-x' });
      expect(one.map((l) => [l.variantId, l.reserved, l.available])).to.deep.equal([[va, 2, 8], [vb, 1, 3]]);
      const short = await reserveStockLines(shop.ctx, [{ variantId: va, quantity: 1 }, { variantId: vb, quantity: 5 }]).catch((e) => e);
      expect(short.code).to.equal('INSUFFICIENT_STOCK');
      expect(short.extra).to.deep.equal({ variantId: vb, requested: 5, available: 3 });
      expect((await variantStock(shop.ctx, va)).reserved, 'the line that fitted was rolled back').to.equal(2);
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => reserveStockLines(shop.ctx, [{ variantId: va, quantity: 1 }, { variantId: vb, quantity: 1 }])));
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(3);
      expect(await variantStock(shop.ctx, va)).to.deep.include({ reserved: 5, available: 5 });
      expect(await variantStock(shop.ctx, vb)).to.deep.include({ reserved: 4, available: 0 });
      expect((await get(`/store/v1/products/${b.id}`, { tenant: shop.slug })).body.inStock).to.equal(false);
      await expectExplained(shop, va);
      await expectExplained(shop, vb);
      expect((await reserveStockLines(shop.ctx, [{ variantId: va, quantity: 0 }]).catch((e) => e)).code).to.equal('INVALID_QUANTITY');
      expect((await reserveStockLines(shop.ctx, [{ variantId: '01900000-0000-7000-8000-000000000000', quantity: 1 }]).catch((e) => e)).code).to.equal('VARIANT_NOT_FOUND');
    });
  });

  describe('reserve, release, commit', () => {
    it('follow the documented semantics and write a movement each', async () => {
      const p = await makeProduct(shop, { stock: 5 });
      const v = p.variants[0].id;
      expect(await reserveStock(shop.ctx, v, 2, { reference: 'order-1' })).to.deep.include({ onHand: 5, reserved: 2, available: 3 });
      expect(await releaseStock(shop.ctx, v, 1, { reference: 'order-1' })).to.deep.include({ onHand: 5, reserved: 1, available: 4 });
      expect(await commitStock(shop.ctx, v, 1, { reference: 'order-1' })).to.deep.include({ onHand: 4, reserved: 0, available: 4 });
      expect(await commitStock(shop.ctx, v, 4, { fromReserved: false, reference: 'pos-1' })).to.deep.include({ onHand: 0, reserved: 0, available: 0 });
      const reasons = (await movements(shop, v)).map((m) => [m.reason, m.onHandDelta, m.reservedDelta, m.reference]);
      expect(reasons).to.deep.equal([
        ['sold', -4, 0, 'pos-1'],
        ['committed', -1, -1, 'order-1'],
        ['released', 0, -1, 'order-1'],
        ['reserved', 0, 2, 'order-1'],
        ['initial', 5, 0, null],
      ]);
      await expectExplained(shop, v);
    });

    it('refuse what is not there: more than available, releasing or committing unreserved units, bad quantities, unknown variants', async () => {
      const p = await makeProduct(shop, { stock: 2 });
      const v = p.variants[0].id;
      const err = await reserveStock(shop.ctx, v, 3).catch((e) => e);
      expect(err.code).to.equal('INSUFFICIENT_STOCK');
      expect(err.extra).to.deep.equal({ variantId: v, requested: 3, available: 2 });
      expect((await releaseStock(shop.ctx, v, 1).catch((e) => e)).code).to.equal('NOT_RESERVED');
      expect((await commitStock(shop.ctx, v, 1).catch((e) => e)).code).to.equal('NOT_RESERVED');
      expect((await commitStock(shop.ctx, v, 3, { fromReserved: false }).catch((e) => e)).code).to.equal('INSUFFICIENT_STOCK');
      expect((await reserveStock(shop.ctx, v, 0).catch((e) => e)).code).to.equal('INVALID_QUANTITY');
      expect((await reserveStock(shop.ctx, v, 1.5).catch((e) => e)).code).to.equal('INVALID_QUANTITY');
      expect((await reserveStock(shop.ctx, '01900000-0000-7000-8000-000000000000', 1).catch((e) => e)).code).to.equal('VARIANT_NOT_FOUND');
      const other = await makeTenant();
      expect((await reserveStock(other.ctx, v, 1).catch((e) => e)).code, "another store's variant").to.equal('VARIANT_NOT_FOUND');
      expect(await variantStock(shop.ctx, v)).to.deep.include({ onHand: 2, reserved: 0 });
    });

    it("run inside the caller's transaction and vanish with its rollback", async () => {
      const p = await makeProduct(shop, { stock: 4 });
      const v = p.variants[0].id;
      await withTransaction(shop.ctx, async (trx) => {
        await reserveStock(trx, v, 3);
        throw new Error('payment failed');
      }).catch((e: Error) => expect(e.message).to.equal('payment failed'));
      expect(await variantStock(shop.ctx, v)).to.deep.include({ reserved: 0, available: 4 });
      expect((await movements(shop, v)).map((m) => m.reason)).to.deep.equal(['initial']);
      await withTransaction(shop.ctx, async (trx) => {
        await reserveStock(trx, v, 3);
        await commitStock(trx, v, 3);
      });
      expect(await variantStock(shop.ctx, v)).to.deep.include({ onHand: 1, reserved: 0 });
    });
  });

  describe('POST /admin/v1/variants/:id/stock/adjustments', () => {
    it('adds and removes on-hand units with a reason, and records who did it', async () => {
      const p = await makeProduct(shop, { stock: 3 });
      const v = p.variants[0].id;
      const add = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 10, reason: 'received', note: 'PO-77' }, as());
      expect(add.status, add.text).to.equal(201);
      expect(add.body).to.deep.include({ onHand: 13, reserved: 0, available: 13 });
      const take = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: -2, reason: 'damaged' }, as());
      expect(take.body.onHand).to.equal(11);
      const [last, prev] = await movements(shop, v);
      expect(last).to.deep.include({ reason: 'damaged', onHandDelta: -2, onHandAfter: 11 });
      expect(prev).to.deep.include({ reason: 'received', note: 'PO-77', onHandDelta: 10 });
      expect(last.actor.type).to.equal('staff');
      await expectExplained(shop, v);
    });

    it('sets on-hand from a count', async () => {
      const p = await makeProduct(shop, { stock: 3 });
      const v = p.variants[0].id;
      const count = await post(`/admin/v1/variants/${v}/stock/adjustments`, { onHand: 8, reason: 'count' }, as());
      expect(count.body.onHand).to.equal(8);
      expect((await movements(shop, v))[0]).to.deep.include({ reason: 'count', onHandDelta: 5, onHandAfter: 8 });
    });

    it('never takes stock below what is reserved, and refuses bad input', async () => {
      const p = await makeProduct(shop, { stock: 5 });
      const v = p.variants[0].id;
      await reserveStock(shop.ctx, v, 4);
      const below = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: -2, reason: 'lost' }, as());
      expect(below.status).to.equal(409);
      expect(below.body).to.include({ code: 'INSUFFICIENT_STOCK', variantId: v, available: 1 });
      const countBelow = await post(`/admin/v1/variants/${v}/stock/adjustments`, { onHand: 3, reason: 'count' }, as());
      expect(countBelow.status).to.equal(409);
      const both = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 1, onHand: 3, reason: 'count' }, as());
      expect(both.status).to.equal(400);
      const zero = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 0, reason: 'count' }, as());
      expect(pointers(zero.body)).to.deep.equal(['/delta']);
      const reason = await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 1, reason: 'because' }, as());
      expect(pointers(reason.body)).to.deep.equal(['/reason']);
      expect(await variantStock(shop.ctx, v)).to.deep.include({ onHand: 5, reserved: 4 });
    });

    it('needs inventory:write, which a viewer lacks', async () => {
      const p = await makeProduct(shop);
      const viewer = await makeStaff(shop, 'viewer');
      const res = await post(`/admin/v1/variants/${p.variants[0].id}/stock/adjustments`, { delta: 1, reason: 'received' }, { token: viewer.token });
      expect(res.status).to.equal(403);
      expect((await get(`/admin/v1/variants/${p.variants[0].id}/stock`, { token: viewer.token })).status).to.equal(200);
    });
  });

  describe('stock locations', () => {
    it('keep levels per location; GET /admin/v1/variants/:id/stock shows totals and each location', async () => {
      const t = await makeTenant();
      const p = await makeProduct(t, { stock: 2 });
      const v = p.variants[0].id;
      const loc = await post('/admin/v1/stock-locations', { code: 'east', name: 'East warehouse' }, { token: t.ownerToken });
      expect(loc.status, loc.text).to.equal(201);
      await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 6, reason: 'received', locationId: loc.body.id }, { token: t.ownerToken });
      const stock = await get(`/admin/v1/variants/${v}/stock`, { token: t.ownerToken });
      expect(stock.body).to.deep.include({ onHand: 8, reserved: 0, available: 8 });
      expect(stock.body.locations.map((l: any) => [l.isDefault, l.onHand])).to.deep.equal([[true, 2], [false, 6]]);
      // a reservation the default location cannot hold comes from one that can
      const r = await reserveStock(t.ctx, v, 5);
      expect(r.locationId).to.equal(loc.body.id);
      const dup = await post('/admin/v1/stock-locations', { code: 'east', name: 'Again' }, { token: t.ownerToken });
      expect(dup.status).to.equal(409);
      expect(pointers(dup.body)).to.deep.equal(['/code']);
      const moved = await patch(`/admin/v1/stock-locations/${loc.body.id}`, { isDefault: true }, { token: t.ownerToken });
      expect(moved.body.isDefault).to.equal(true);
      const list = await get('/admin/v1/stock-locations', { token: t.ownerToken });
      expect(list.body.items.filter((l: any) => l.isDefault).map((l: any) => l.code)).to.deep.equal(['east']);
      const all = await get('/admin/v1/stock/movements?limit=2', { token: t.ownerToken });
      expect(all.body.items).to.have.length(2);
      expect(all.body.nextCursor).to.be.a('string');
    });
  });

  describe('GET /admin/v1/variants/:id/stock/movements', () => {
    it('pages newest first and 404s an unknown variant', async () => {
      const p = await makeProduct(shop, { stock: 1 });
      const v = p.variants[0].id;
      for (let i = 0; i < 3; i++) await post(`/admin/v1/variants/${v}/stock/adjustments`, { delta: 1, reason: 'received' }, as());
      const page1 = await get(`/admin/v1/variants/${v}/stock/movements?limit=2`, as());
      expect(page1.body.items.map((m: any) => m.onHandAfter)).to.deep.equal([4, 3]);
      const page2 = await get(`/admin/v1/variants/${v}/stock/movements?limit=2&cursor=${page1.body.nextCursor}`, as());
      expect(page2.body.items.map((m: any) => m.onHandAfter)).to.deep.equal([2, 1]);
      expect(page2.body.nextCursor).to.equal(null);
      expect((await get('/admin/v1/variants/01900000-0000-7000-8000-000000000000/stock/movements', as())).status).to.equal(404);
    });
  });
});
