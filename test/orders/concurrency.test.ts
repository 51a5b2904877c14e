import { expect } from 'chai';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { get } from '../support/http.js';
import { addLine, cartCall, checkoutBody, makeCart, makeVariant, stockOf, type TestCart } from './support.js';

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('checkout under contention', function () {
  this.timeout(180_000);
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });

  it('sells the last 50 units to exactly 50 of 200 concurrent checkouts; the rest hear "out of stock"', async () => {
    const v = await makeVariant(shop, { price: 4200, stock: 50 });
    const other = await makeVariant(shop, { price: 100, stock: 1000 });
    const carts = await inBatches(Array.from({ length: 200 }, (_, i) => i), 20, async (i): Promise<TestCart> => {
      const cart = await makeCart(shop);
      // Some carts also hold another variant, in either order, so the stock rows are taken in varied patterns.
      if (i % 3 === 0) await addLine(shop, cart, other, 1);
      await addLine(shop, cart, v, 1);
      if (i % 3 === 1) await addLine(shop, cart, other, 1);
      return cart;
    });

    const results = await Promise.all(carts.map((cart) => cartCall(shop, cart, 'POST', '/checkout', checkoutBody())));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500), results.filter((r) => r.status >= 500).map((r) => r.text).join('\n')).to.deep.equal([]);
    expect(statuses.filter((s) => s === 201)).to.have.length(50);
    const refused = results.filter((r) => r.status === 409);
    expect(refused).to.have.length(150);
    for (const r of refused) expect(r.body).to.include({ code: 'INSUFFICIENT_STOCK', variantId: v });
    expect(refused[0].body.title).to.match(/stock/i);

    expect(await stockOf(shop, v)).to.include({ onHand: 50, reserved: 50, available: 0 });
    let count = 0;
    let cursor: string | null = null;
    const numbers = new Set<number>();
    do {
      const page: { body: { items: { number: number }[]; nextCursor: string | null } } = await get(`/admin/v1/orders?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: shop.ownerToken });
      count += page.body.items.length;
      for (const o of page.body.items) numbers.add(o.number);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(count).to.equal(50);
    // Order numbers are unique (a placement that lost the stock may leave a gap).
    expect(numbers.size).to.equal(50);
    // Carts that lost stay open for the shopper to change.
    const loser = carts[results.findIndex((r) => r.status === 409)];
    expect((await cartCall(shop, loser, 'GET', '')).body.status).to.equal('open');
  });
});
