// Cross-border checkout over HTTP: the shipping address picks the market (after an explicit
// choice, before the CDN header), the cart locks its rate once checkout begins (requirement 35),
// and each market shows and decomposes tax its own way (requirement 36).
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import crossBorder from '../../../plugins/cross-border/index.js';
import { ecbXml, startRateServer, type RateServer } from './rate-server.js';

const today = () => new Date().toISOString().slice(0, 10);
const MARKETS = [
  { code: 'us', name: 'United States', countries: ['US'], currency: 'USD', isDefault: true, pricesIncludeTax: false, taxRateBp: 800 },
  { code: 'de', name: 'Germany', countries: ['DE'], currency: 'EUR', fxMode: 'manual', manualRate: '1', pricesIncludeTax: true, taxRateBp: 1900 },
  { code: 'fr', name: 'France', countries: ['FR'], currency: 'EUR' },
  { code: 'jp', name: 'Japan', countries: ['JP'], currency: 'JPY', rounding: { mode: 'nearest', step: '100', ending: '0' } },
];
const address = (country: string) => ({ name: 'Ada', line1: '1 Main Street', city: 'Town', postalCode: '12345', country });

describe('cross-border checkout: market by address, locked rate, tax display', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let rx: RateServer;
  let shop: KitTenant;
  let chair: { productId: string; variantId: string };
  let desk: { productId: string; variantId: string };

  const admin = { token: '' };
  const store = (headers: Record<string, string> = {}) => ({ tenant: shop.slug, headers });

  async function product(name: string, prices: { currency: string; amount: number }[]) {
    const res = await kit.post('/admin/v1/products', {
      status: 'active', translations: { en: { name, description: `The ${name}` } }, attributes: {}, images: [], categoryIds: [],
      variants: [{ sku: `${name}-1`.toUpperCase(), prices, stock: 50 }],
    }, admin);
    expect(res.status, res.text).to.equal(201);
    return { productId: res.body.id as string, variantId: res.body.variants[0].id as string };
  }

  async function newCart(headers: Record<string, string> = {}) {
    const made = await kit.post('/store/v1/carts', {}, store(headers));
    expect(made.status, made.text).to.equal(201);
    const h = { ...headers, 'x-cart-token': made.body.token as string };
    const id = made.body.cart.id as string;
    return {
      id,
      headers: h,
      add: async (variantId: string, quantity = 1) => {
        const res = await kit.post(`/store/v1/carts/${id}/lines`, { variantId, quantity }, store(h));
        expect(res.status, res.text).to.equal(200);
        return res.body;
      },
      patch: async (body: Record<string, unknown>, extra: Record<string, string> = {}) => {
        const res = await kit.patch(`/store/v1/carts/${id}`, body, store({ ...h, ...extra }));
        expect(res.status, res.text).to.equal(200);
        return res.body;
      },
      get: async () => (await kit.get(`/store/v1/carts/${id}`, store(h))).body,
      checkout: async (body: Record<string, unknown> = {}) => {
        const res = await kit.post(`/store/v1/carts/${id}/checkout`, { email: 'ada@example.com', paymentMethod: { provider: 'offline', method: 'bank_transfer' }, ...body }, store(h));
        expect(res.status, res.text).to.equal(201);
        return res.body.order;
      },
    };
  }

  before(async function () {
    // A fresh schema and every migration on MariaDB: minutes on a loaded machine, not a timing claim.
    this.timeout(240_000);
    rx = await startRateServer();
    kit = await startTestKit({ plugin: crossBorder, options: { 'cross-border': { ecbUrl: rx.url('/ecb'), bookTtlMs: 0 } } });
    shop = await kit.tenant({ enable: ['cross-border'] });
    admin.token = shop.ownerToken;
    const s = await kit.patch('/admin/v1/store', { currencies: ['USD', 'EUR', 'JPY'], taxMode: 'exclusive', taxRateBp: 0 }, admin);
    expect(s.status, s.text).to.equal(200);
    expect((await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin)).body).to.include({ source: 'ecb', error: null });
    for (const m of MARKETS) {
      const res = await kit.post('/admin/v1/cross-border/markets', m, admin);
      expect(res.status, res.text).to.equal(201);
    }
    chair = await product('Chair', [{ currency: 'USD', amount: 10_000 }]);
    desk = await product('Desk', [{ currency: 'USD', amount: 10_000 }, { currency: 'EUR', amount: 11_900 }]);
    const ship = await kit.patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Standard', amounts: { USD: 0 }, freeAbove: {}, countries: [] } } }, admin);
    expect(ship.status, ship.text).to.equal(200);
  });
  after(async () => {
    await kit?.close();
    await rx?.close();
  });

  describe('the shipping address picks the market', () => {
    it('a Japanese address moves a default-market cart to the Japan market and yen', async () => {
      const cart = await newCart();
      expect((await cart.add(chair.variantId)).currency).to.equal('USD');
      const moved = await cart.patch({ shippingAddress: address('JP') });
      expect(moved).to.include({ currency: 'JPY', market: 'jp' });
      // USD 100.00 x (162.45 / 1.0830 = 150) = 15,000 yen
      expect(moved.lines[0].unitAmount).to.equal(15_000);
    });

    it('the address beats the CDN country header', async () => {
      const cart = await newCart({ 'cf-ipcountry': 'DE' });
      expect((await cart.add(chair.variantId)).currency).to.equal('EUR');
      const moved = await cart.patch({ shippingAddress: address('JP') });
      expect(moved).to.include({ currency: 'JPY', market: 'jp' });
    });

    it('an explicit choice beats the address, and so does a currency named in the same change', async () => {
      const chosen = await newCart({ 'x-bazaar-market': 'fr' });
      await chosen.add(chair.variantId);
      const kept = await chosen.patch({ shippingAddress: address('JP') });
      expect(kept).to.include({ currency: 'EUR', market: 'fr' });
      const named = await newCart();
      await named.add(chair.variantId);
      const usd = await named.patch({ shippingAddress: address('DE'), currency: 'USD' });
      // Kept in dollars, the cart is not priced in the German market (the store default's terms).
      expect(usd).to.include({ currency: 'USD', market: 'us' });
      expect(usd.totals).to.include({ taxMode: 'exclusive', taxRateBp: 800 });
    });

    it('an address in no market leaves the cart as it was', async () => {
      const cart = await newCart();
      await cart.add(chair.variantId);
      const same = await cart.patch({ shippingAddress: address('BR') });
      expect(same).to.include({ currency: 'USD' });
      expect(same.market).to.equal('us');
    });
  });

  describe('the rate is locked when checkout begins', () => {
    it('keeps the cart and the order on the locked rate while the rates move; a new currency drops the lock', async () => {
      const cart = await newCart({ 'x-bazaar-market': 'fr' });
      const before = await cart.add(chair.variantId, 2);
      expect(before.rateLock).to.equal(null);
      // USD 100.00 / 1.0830 = 92.336...  -> 92.34
      expect(before.lines[0].unitAmount).to.equal(9234);
      const begun = await cart.patch({ email: 'ada@example.com' });
      expect(begun.rateLock).to.include({ rate: '0.9233610342', source: 'ecb', asOf: today() });

      rx.answer.ecb.body = ecbXml(today(), { USD: '1.2500' });
      try {
        expect((await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin)).body.error).to.equal(null);
        const list = await kit.get('/store/v1/products?market=fr', store());
        // The catalog moves: 100.00 / 1.25 = 80.00
        expect(list.body.items.find((i: { id: string }) => i.id === chair.productId).price.amount).to.equal(8000);
        const still = await cart.get();
        expect(still.lines[0].unitAmount).to.equal(9234);
        expect(still.totals.total).to.equal(18_468);
        expect(still.rateLock.rate).to.equal('0.9233610342');
        const order = await cart.checkout({ shippingAddress: address('FR') });
        expect(order).to.include({ currency: 'EUR', exchangeRate: '0.9233610342', exchangeRateSource: 'ecb' });
        expect(order.lines[0].unitAmount).to.equal(9234);
        expect(order.totals.total).to.equal(18_468);

        // Another cart begun now locks today's rate; switching its currency drops the lock.
        const later = await newCart({ 'x-bazaar-market': 'fr' });
        await later.add(chair.variantId);
        const locked = await later.patch({ email: 'bo@example.com' });
        expect(locked.rateLock.rate).to.equal('0.8');
        expect(locked.lines[0].unitAmount).to.equal(8000);
        const dollars = await later.patch({ currency: 'USD' });
        expect(dollars.rateLock).to.equal(null);
      } finally {
        rx.answer.ecb.body = ecbXml(today());
        await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin);
      }
    });
  });

  describe('the lock keeps each line’s converted price (requirement 35)', () => {
    it('a base price changed after checkout began leaves the line as it was; a line added later takes the locked rate', async () => {
      const cart = await newCart({ 'x-bazaar-market': 'fr' });
      await cart.add(chair.variantId);
      await cart.add(desk.variantId);
      const begun = await cart.patch({ email: 'ada@example.com' });
      expect(begun.rateLock).to.include({ rate: '0.9233610342' });
      const set = (amount: number) => kit.put(`/admin/v1/variants/${chair.variantId}/prices/USD`, { amount }, admin);
      expect((await set(20_000)).status).to.equal(200);
      let extra: string | null = null;
      try {
        // The catalog shows the new price: 200.00 x 0.9233610342 = 184.67.
        const list = await kit.get('/store/v1/products?market=fr', store());
        expect(list.body.items.find((i: { id: string }) => i.id === chair.productId).price.amount).to.equal(18_467);
        const stool = await product('Footrest', [{ currency: 'USD', amount: 5000 }]);
        extra = stool.productId;
        const after = await cart.add(stool.variantId);
        const unit = (variantId: string, lines: { variantId: string; unitAmount: number }[]) => lines.find((l) => l.variantId === variantId)!.unitAmount;
        expect(unit(chair.variantId, after.lines)).to.equal(9234); // locked
        expect(unit(desk.variantId, after.lines)).to.equal(11_900); // a fixed EUR price, as it is
        expect(unit(stool.variantId, after.lines)).to.equal(4617); // 50.00 x the locked rate
        const order = await cart.checkout({ shippingAddress: address('FR') });
        expect(unit(chair.variantId, order.lines)).to.equal(9234);
        expect(order.totals.subtotal).to.equal(9234 + 11_900 + 4617);
      } finally {
        expect((await set(10_000)).status).to.equal(200);
        // Out of the shop's lists again: the sort and filter tests below count its products.
        if (extra) expect((await kit.patch(`/admin/v1/products/${extra}`, { status: 'archived' }, admin)).status).to.equal(200);
      }
    });
  });

  describe('price sort and filters in a converted market use the shown prices', () => {
    const ids: Record<string, string> = {};
    before(async () => {
      ids.chair = chair.productId;
      ids.desk = desk.productId;
      ids.lamp = (await product('Lamp', [{ currency: 'USD', amount: 5000 }])).productId;
      ids.rug = (await product('Rug', [{ currency: 'USD', amount: 20_000 }, { currency: 'EUR', amount: 3000 }])).productId;
      ids.stool = (await product('Stool', [{ currency: 'USD', amount: 11_000 }])).productId;
    });
    const name = (id: string) => Object.keys(ids).find((k) => ids[k] === id);

    async function walk(sort: string, extra = ''): Promise<{ names: string[][]; prices: number[] }> {
      const names: string[][] = [];
      const prices: number[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const res = await kit.get(`/store/v1/products?market=fr&sort=${sort}&limit=2${extra}${cursor ? `&cursor=${cursor}` : ''}`, store());
        expect(res.status, res.text).to.equal(200);
        expect(res.body.currency).to.equal('EUR');
        names.push(res.body.items.map((it: { id: string }) => name(it.id)));
        prices.push(...res.body.items.map((it: { price: { amount: number } }) => it.price.amount));
        if (!res.body.nextCursor) break;
        cursor = res.body.nextCursor;
      }
      return { names, prices };
    }

    it('sorts by the converted or fixed price, page by page, both ways', async () => {
      // EUR: Rug 30.00 fixed (base USD 200), Lamp 46.17, Chair 92.34, Stool 101.57, Desk 119.00 fixed (base USD 100)
      const asc = await walk('price_asc');
      expect(asc.names).to.deep.equal([['rug', 'lamp'], ['chair', 'stool'], ['desk']]);
      expect(asc.prices).to.deep.equal([3000, 4617, 9234, 10_157, 11_900]);
      const desc = await walk('price_desc');
      expect(desc.names).to.deep.equal([['desk', 'stool'], ['chair', 'lamp'], ['rug']]);
    });

    it('filters on the shown price: a fixed price is compared as it is, a converted one after conversion', async () => {
      const some = await walk('price_asc', '&minPrice=4000&maxPrice=10000');
      // Not Rug (30.00 shown, though USD 200 would convert to 184.67), not Desk (119.00 shown, though USD 100 converts to 92.34)
      expect(some.names.flat()).to.deep.equal(['lamp', 'chair']);
      const edge = await walk('newest', '&minPrice=9234&maxPrice=9234');
      expect(edge.names.flat()).to.deep.equal(['chair']);
      const above = await walk('price_desc', '&minPrice=10158');
      expect(above.names.flat()).to.deep.equal(['desk']);
    });
  });

  describe('tax display per market', () => {
    it('Germany shows gross prices and decomposes them: 119.00 is 100.00 net and 19.00 VAT', async () => {
      const list = await kit.get('/store/v1/products?market=de', store());
      const price = (id: string) => list.body.items.find((i: { id: string }) => i.id === id).price.amount;
      expect(price(desk.productId)).to.equal(11_900); // the fixed EUR price, entered with tax
      expect(price(chair.productId)).to.equal(11_900); // USD 100.00 net x 1 x 1.19
      const cart = await newCart();
      await cart.add(chair.variantId);
      await cart.add(desk.variantId);
      const de = await cart.patch({ shippingAddress: address('DE') });
      expect(de).to.include({ currency: 'EUR', market: 'de' });
      expect(de.totals).to.include({ subtotal: 23_800, tax: 3800, total: 23_800, taxMode: 'inclusive', taxRateBp: 1900 });
      const order = await cart.checkout();
      expect(order.totals).to.include({ subtotal: 23_800, tax: 3800, total: 23_800 });
      expect(order).to.include({ taxMode: 'inclusive', taxRateBp: 1900 });
      for (const line of order.lines) expect(line).to.include({ subtotal: 11_900, tax: 1900, total: 11_900 });
    });

    it('the United States shows net prices and adds tax at checkout: 100.00 + 8.00', async () => {
      const list = await kit.get('/store/v1/products?market=us', store());
      expect(list.body.items.find((i: { id: string }) => i.id === chair.productId).price.amount).to.equal(10_000);
      const cart = await newCart();
      await cart.add(chair.variantId);
      const us = await cart.patch({ shippingAddress: address('US') });
      expect(us).to.include({ currency: 'USD', market: 'us' });
      expect(us.totals).to.include({ subtotal: 10_000, tax: 800, total: 10_800, taxMode: 'exclusive', taxRateBp: 800 });
      const order = await cart.checkout();
      expect(order.totals).to.include({ subtotal: 10_000, tax: 800, total: 10_800 });
    });
  });

  describe('tax display of a market in the store’s own currency (requirement 36)', () => {
    it('a UK market shows a store’s net pounds with VAT everywhere, and its checkout decomposes them', async () => {
      const t = await kit.tenant({ enable: ['cross-border'] });
      const own = { token: t.ownerToken };
      const s = await kit.patch('/admin/v1/store', { defaultCurrency: 'GBP', currencies: ['GBP'], taxMode: 'exclusive', taxRateBp: 2000 }, own);
      expect(s.status, s.text).to.equal(200);
      expect((await kit.patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Standard', amounts: { GBP: 500 }, freeAbove: {}, countries: [] } } }, own)).status).to.equal(200);
      // No pricesIncludeTax given: a market of EU or UK countries shows tax by default.
      const uk = await kit.post('/admin/v1/cross-border/markets', { code: 'uk', name: 'United Kingdom', countries: ['GB'], currency: 'GBP' }, own);
      expect(uk.status, uk.text).to.equal(201);
      expect(uk.body.pricesIncludeTax).to.equal(true);
      const us = await kit.post('/admin/v1/cross-border/markets', { code: 'us', name: 'United States', countries: ['US'], currency: 'USD' }, own);
      expect(us.status).to.equal(400); // not a currency of this store
      const made = await kit.post('/admin/v1/products', { status: 'active', translations: { en: { name: 'Kettle', description: 'Kettle' } }, attributes: {}, images: [], categoryIds: [], variants: [{ sku: 'KETTLE-1', prices: [{ currency: 'GBP', amount: 10_000 }], stock: 10 }] }, own);
      expect(made.status, made.text).to.equal(201);
      const shop = () => ({ tenant: t.slug });
      const list = async (q: string) => (await kit.get(`/store/v1/products${q}`, shop())).body.items.map((i: { price: { amount: number } }) => i.price.amount);
      // Outside the market the store's own (net) prices; in it, with 20% VAT.
      expect(await list('')).to.deep.equal([10_000]);
      expect(await list('?market=uk')).to.deep.equal([12_000]);
      expect(await list('?market=uk&sort=price_asc')).to.deep.equal([12_000]);
      expect(await list('?market=uk&minPrice=11000')).to.deep.equal([12_000]);
      expect(await list('?market=uk&maxPrice=11000')).to.deep.equal([]);
      const page = await kit.get(`/store/v1/products/${made.body.id}?market=uk`, shop());
      expect(page.body.price.amount).to.equal(12_000);
      expect(page.body.variants[0].price.amount).to.equal(12_000);
      // The cart in the market: 120.00 gross holds 20.00 VAT; shipping 5.00 net shows as 6.00.
      const cart = await kit.post('/store/v1/carts', {}, { tenant: t.slug });
      const h = { 'x-cart-token': cart.body.token as string };
      expect((await kit.post(`/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: made.body.variants[0].id, quantity: 1 }, { tenant: t.slug, headers: h })).body.lines[0].unitAmount).to.equal(10_000);
      const moved = await kit.patch(`/store/v1/carts/${cart.body.cart.id}`, { shippingAddress: address('GB') }, { tenant: t.slug, headers: h });
      expect(moved.status, moved.text).to.equal(200);
      expect(moved.body).to.include({ currency: 'GBP', market: 'uk' });
      expect(moved.body.lines[0].unitAmount).to.equal(12_000);
      expect(moved.body.totals).to.include({ subtotal: 12_000, shipping: 600, tax: 2100, total: 12_600, taxMode: 'inclusive', taxRateBp: 2000 });
      const placed = await kit.post(`/store/v1/carts/${cart.body.cart.id}/checkout`, { email: 'ada@example.com', paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: h });
      expect(placed.status, placed.text).to.equal(201);
      expect(placed.body.order.totals).to.include({ subtotal: 12_000, shipping: 600, tax: 2100, total: 12_600 });
    });
  });

  describe('tax rounding per store (requirement 4)', () => {
    it('rounds each line’s tax then sums (half-even by default); the store may round half-up or once on the total', async () => {
      const t = await kit.tenant({ enable: ['cross-border'] });
      const own = { token: t.ownerToken };
      expect((await kit.patch('/admin/v1/store', { taxMode: 'exclusive', taxRateBp: 1000 }, own)).status).to.equal(200);
      expect((await kit.patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Standard', amounts: { USD: 0 }, freeAbove: {}, countries: [] } } }, own)).status).to.equal(200);
      const ids: string[] = [];
      for (const name of ['Pen', 'Ink']) {
        const res = await kit.post('/admin/v1/products', { status: 'active', translations: { en: { name, description: name } }, attributes: {}, images: [], categoryIds: [], variants: [{ sku: `${name}-R4`.toUpperCase(), prices: [{ currency: 'USD', amount: 105 }], stock: 10 }] }, own);
        expect(res.status, res.text).to.equal(201);
        ids.push(res.body.variants[0].id);
      }
      const quote = async () => {
        const made = await kit.post('/store/v1/carts', {}, { tenant: t.slug });
        const h = { 'x-cart-token': made.body.token as string };
        let body: { totals: Record<string, number>; lines: { tax: number }[] } = made.body.cart;
        for (const variantId of ids) body = (await kit.post(`/store/v1/carts/${made.body.cart.id}/lines`, { variantId, quantity: 1 }, { tenant: t.slug, headers: h })).body;
        return { id: made.body.cart.id as string, h, totals: body.totals };
      };
      // Two lines of 1.05 at 10%: 0.105 each. Per line, half-even: 0.10 + 0.10.
      expect((await kit.get('/admin/v1/store', own)).body.taxRounding).to.deep.equal({ per: 'line', mode: 'halfEven' });
      expect((await quote()).totals).to.include({ subtotal: 210, tax: 20, total: 230 });
      // Per line, half-up: 0.11 + 0.11.
      expect((await kit.patch('/admin/v1/store', { taxRounding: { mode: 'halfUp' } }, own)).body.taxRounding).to.deep.equal({ per: 'line', mode: 'halfUp' });
      const up = await quote();
      expect(up.totals).to.include({ tax: 22, total: 232 });
      // Once on the total: 2.10 x 10% = 0.21, whatever the mode.
      expect((await kit.patch('/admin/v1/store', { taxRounding: { per: 'total' } }, own)).body.taxRounding).to.deep.equal({ per: 'total', mode: 'halfUp' });
      expect((await quote()).totals).to.include({ tax: 21, total: 231 });
      // The order keeps what the cart showed, and the total is the sum of its parts to the unit.
      const placed = await kit.post(`/store/v1/carts/${up.id}/checkout`, { email: 'ada@example.com', shippingAddress: address('US'), paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: up.h });
      expect(placed.status, placed.text).to.equal(201);
      const order = placed.body.order;
      expect(order.totals.subtotal + order.totals.shipping + order.totals.tax + order.totals.adjustments).to.equal(order.totals.total);
      expect(order.lines.reduce((a: number, l: { tax: number }) => a + l.tax, 0)).to.equal(order.totals.tax);
      const bad = await kit.patch('/admin/v1/store', { taxRounding: { per: 'order' } }, own);
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/taxRounding/per');
    });
  });
});
