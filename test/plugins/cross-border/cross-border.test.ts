// Cross-border over HTTP, with a local fake of the ECB and Open Exchange Rates: a store priced in
// USD only lists, carts and checks out in EUR and JPY; the order keeps its rate; stale rates
// freeze prices and alert the owners.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import crossBorder from '../../../plugins/cross-border/index.js';
import { ecbXml, startRateServer, type RateServer } from './rate-server.js';

const today = () => new Date().toISOString().slice(0, 10);
const EU = { code: 'eu', name: 'Europe', countries: ['DE', 'FR'], currency: 'EUR', languages: ['en'], adjustmentPct: '5', rounding: { mode: 'up', step: '1', ending: '0.99' }, dutiesMode: 'DDP', dutyRates: { '*': '10' } };
const JP = { code: 'jp', name: 'Japan', countries: ['JP'], currency: 'JPY', languages: ['ja'], rounding: { mode: 'nearest', step: '100', ending: '0' }, dutiesMode: 'DAP' };

describe('cross-border plugin', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let rx: RateServer;
  let shop: KitTenant;
  let usdOnly: { productId: string; variantId: string };
  let fixedEur: { productId: string; variantId: string };

  const admin = (t: KitTenant) => ({ token: t.ownerToken });
  const store = (t: KitTenant, headers: Record<string, string> = {}) => ({ tenant: t.slug, headers });

  async function product(t: KitTenant, name: string, prices: { currency: string; amount: number }[]) {
    const res = await kit.post('/admin/v1/products', {
      status: 'active', translations: { en: { name, description: `The ${name}` } }, attributes: {}, images: [], categoryIds: [],
      variants: [{ sku: `${name}-1`.toUpperCase(), prices, stock: 20 }],
    }, admin(t));
    expect(res.status, res.text).to.equal(201);
    return { productId: res.body.id as string, variantId: res.body.variants[0].id as string };
  }

  async function sellIn(t: KitTenant, currencies: string[]) {
    const res = await kit.patch('/admin/v1/store', { currencies }, admin(t));
    expect(res.status, res.text).to.equal(200);
  }

  before(async function () {
    // A fresh schema and every migration on MariaDB: minutes on a loaded machine, not a timing claim.
    this.timeout(240_000);
    rx = await startRateServer();
    kit = await startTestKit({ plugin: crossBorder, options: { 'cross-border': { ecbUrl: rx.url('/ecb'), oxrUrl: rx.url('/oxr/latest.json'), oxrAppId: 'test-app', bookTtlMs: 0 } } });
    shop = await kit.tenant({ enable: ['cross-border'] });
    await sellIn(shop, ['USD', 'EUR', 'JPY']);
    const fetched = await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(shop));
    expect(fetched.status, fetched.text + JSON.stringify(kit.logs.filter((l) => l.level >= 50).map((l) => l.err?.message ?? l.msg))).to.equal(200);
    expect(fetched.body).to.include({ source: 'ecb', fetched: 5, added: 5, stale: false, error: null });
    for (const m of [EU, JP]) expect((await kit.post('/admin/v1/cross-border/markets', m, admin(shop))).status).to.equal(201);
    usdOnly = await product(shop, 'Lamp', [{ currency: 'USD', amount: 1000 }]);
    fixedEur = await product(shop, 'Vase', [{ currency: 'USD', amount: 1000 }, { currency: 'EUR', amount: 1900 }]);
    const ship = await kit.patch('/admin/v1/checkout-settings', { shipping: { flatRate: { enabled: true, label: 'Standard', amounts: { USD: 500 }, freeAbove: {}, countries: [] } } }, admin(shop));
    expect(ship.status, ship.text).to.equal(200);
  });
  after(async () => {
    await kit?.close();
    await rx?.close();
  });

  describe('markets', () => {
    it('lists, reads, replaces and deletes markets', async () => {
      const made = await kit.post('/admin/v1/cross-border/markets', { code: 'uk', name: 'UK', countries: ['GB'], currency: 'EUR', fxMode: 'manual', manualRate: '0.95' }, admin(shop));
      expect(made.status, made.text).to.equal(201);
      expect(made.body).to.include({ code: 'uk', fxMode: 'manual', manualRate: '0.95', dutiesMode: 'DAP', isDefault: false });
      const replaced = await kit.put(`/admin/v1/cross-border/markets/${made.body.id}`, { code: 'uk', name: 'United Kingdom', countries: ['GB'], currency: 'EUR' }, admin(shop));
      expect(replaced.body).to.include({ name: 'United Kingdom', fxMode: 'automatic', manualRate: null });
      expect((await kit.get('/admin/v1/cross-border/markets', admin(shop))).body.items.map((m: { code: string }) => m.code)).to.deep.equal(['eu', 'jp', 'uk']);
      expect((await kit.del(`/admin/v1/cross-border/markets/${made.body.id}`, admin(shop))).status).to.equal(204);
      expect((await kit.get(`/admin/v1/cross-border/markets/${made.body.id}`, admin(shop))).status).to.equal(404);
      const trail = await kit.get(`/platform/v1/audit?tenantId=${shop.tenant.id}`, { token: await kit.platformToken() });
      expect(trail.status, trail.text).to.equal(200);
      const acts = trail.body.items.filter((e: { targetId: string }) => e.targetId === made.body.id).map((e: { action: string }) => e.action);
      expect(acts).to.have.members(['cross-border.market.create', 'cross-border.market.update', 'cross-border.market.delete']);
    });

    it('pages the markets by code, for staff and shoppers, and refuses a cursor it did not give', async () => {
      const t = await kit.tenant({ enable: ['cross-border'] });
      await sellIn(t, ['USD', 'EUR']);
      for (const code of ['m-c', 'm-a', 'm-e', 'm-b', 'm-d']) expect((await kit.post('/admin/v1/cross-border/markets', { code, name: code, countries: ['FR'], currency: 'EUR' }, admin(t))).status).to.equal(201);
      const walk = async (path: string, opts: { token?: string; tenant?: string }) => {
        const seen: string[][] = [];
        let cursor: string | null = null;
        do {
          const res: { status: number; text: string; body: { items: { code: string }[]; nextCursor: string | null } } = await kit.get(`${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, opts);
          expect(res.status, res.text).to.equal(200);
          seen.push(res.body.items.map((m: { code: string }) => m.code));
          cursor = res.body.nextCursor;
        } while (cursor);
        return seen;
      };
      const pages = [['m-a', 'm-b'], ['m-c', 'm-d'], ['m-e']];
      expect(await walk('/admin/v1/cross-border/markets', admin(t))).to.deep.equal(pages);
      expect(await walk('/store/v1/cross-border/markets', { tenant: t.slug })).to.deep.equal(pages);
      const bad = await kit.get('/admin/v1/cross-border/markets?cursor=nope', admin(t));
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/cursor');
      expect((await kit.get('/admin/v1/cross-border/markets?limit=101', admin(t))).status).to.equal(400);
    });

    it('refuses a manual market without a rate above zero, a currency the store does not sell in, a rule the currency cannot hold, a taken code', async () => {
      const bad = async (body: Record<string, unknown>, status: number, pointer: string) => {
        const res = await kit.post('/admin/v1/cross-border/markets', { code: 'x', name: 'X', countries: ['US'], currency: 'EUR', ...body }, admin(shop));
        expect(res.status, res.text).to.equal(status);
        expect(res.headers.get('content-type')).to.match(/problem\+json/);
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).to.include(pointer);
      };
      await bad({ fxMode: 'manual' }, 400, '/manualRate');
      await bad({ fxMode: 'manual', manualRate: '0' }, 400, '/manualRate');
      await bad({ currency: 'GBP' }, 400, '/currency');
      await bad({ currency: 'JPY', rounding: { mode: 'up', step: '1', ending: '0.99' } }, 400, '/rounding');
      await bad({ adjustmentPct: 5 }, 400, '/adjustmentPct');
      await bad({ code: 'eu' }, 409, '/code');
    });

    it('an unknown explicit market is a 400 naming it; the country header picks a market', async () => {
      const res = await kit.get('/store/v1/products?market=mars', store(shop));
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('MARKET_NOT_FOUND');
      expect(res.body.errors[0].pointer).to.equal('/market');
      const jp = await kit.get('/store/v1/products', store(shop, { 'cf-ipcountry': 'JP' }));
      expect(jp.body.currency).to.equal('JPY');
      const none = await kit.get('/store/v1/products', store(shop, { 'cf-ipcountry': 'BR' }));
      expect(none.body.currency).to.equal('USD');
    });
  });

  describe('prices', () => {
    it('converts USD-only prices on the list, the product page and search: fixed prices win', async () => {
      const eu = await kit.get('/store/v1/products?market=eu', store(shop));
      expect(eu.status, eu.text).to.equal(200);
      expect(eu.body.currency).to.equal('EUR');
      const price = (body: { items: { id: string; price: { amount: number } | null }[] }, id: string) => body.items.find((i) => i.id === id)?.price?.amount;
      // USD 10.00 x (1 / 1.0830 = 0.9233610342) x 1.05 = 9.6953 -> 9.70 -> .99 rule -> 9.99
      expect(price(eu.body, usdOnly.productId)).to.equal(999);
      expect(price(eu.body, fixedEur.productId)).to.equal(1900);
      const jp = await kit.get('/store/v1/products?market=jp', store(shop));
      // USD 10.00 x (162.45 / 1.0830 = 150) = 1500 yen, already a hundred
      expect(price(jp.body, usdOnly.productId)).to.equal(1500);
      expect(price(jp.body, fixedEur.productId)).to.equal(1500);
      const page = await kit.get(`/store/v1/products/${usdOnly.productId}`, store(shop, { 'x-bazaar-market': 'eu' }));
      expect(page.body.variants[0].price).to.include({ amount: 999, currency: 'EUR' });
      expect(page.body.price.formatted).to.include('9.99');
      const sorted = await kit.get('/store/v1/products?market=eu&sort=price_asc', store(shop));
      expect(sorted.body.items.map((i: { id: string }) => i.id)).to.include.members([usdOnly.productId, fixedEur.productId]);
      const found = await kit.get('/store/v1/search?q=lamp&market=jp', store(shop));
      expect(found.status, found.text).to.equal(200);
      expect(found.body.items[0]?.price?.amount).to.equal(1500);
    });

    it('carts, ships and checks out in EUR; the order locks the rate with its source and date, and keeps it when rates change', async () => {
      const cart = await kit.post('/store/v1/carts', {}, store(shop, { 'x-bazaar-market': 'eu' }));
      expect(cart.status, cart.text).to.equal(201);
      expect(cart.body.cart.currency).to.equal('EUR');
      const headers = { 'x-cart-token': cart.body.token, 'x-bazaar-market': 'eu' };
      const line = await kit.post(`/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: usdOnly.variantId, quantity: 2 }, store(shop, headers));
      expect(line.status, line.text).to.equal(200);
      await kit.post(`/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: fixedEur.variantId, quantity: 1 }, store(shop, headers));
      const placed = await kit.post(`/store/v1/carts/${cart.body.cart.id}/checkout`, {
        email: 'ada@example.com', shippingAddress: { name: 'Ada', line1: '1 Hauptstraße', city: 'Berlin', postalCode: '10115', country: 'DE' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' },
      }, store(shop, headers));
      expect(placed.status, placed.text).to.equal(201);
      const order = placed.body.order;
      expect(order.currency).to.equal('EUR');
      expect(order.lines.map((l: { unitAmount: number }) => l.unitAmount)).to.have.members([999, 1900]);
      // shipping USD 5.00 -> 4.8476 -> 4.85 -> 4.99; duties 10% of 38.98 = 3.90
      expect(order.totals.subtotal).to.equal(3898);
      expect(order.totals.shipping).to.equal(499);
      expect(order.adjustments).to.deep.include({ source: 'cross-border', label: 'Duties & import taxes', amount: 390, code: 'duties' });
      const view = await kit.get(`/admin/v1/orders/${order.id}`, admin(shop));
      expect(view.body).to.include({ exchangeRate: '0.9233610342', exchangeRateSource: 'ecb', exchangeRateAsOf: today(), baseCurrency: 'USD' });

      // New rates: the list moves, the order does not.
      rx.answer.ecb.body = ecbXml(today(), { USD: '1.2000' });
      expect((await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(shop))).body.error).to.equal(null);
      const eu = await kit.get('/store/v1/products?market=eu', store(shop));
      // 10.00 / 1.2 x 1.05 = 8.75 -> 8.99
      expect(eu.body.items.find((i: { id: string }) => i.id === usdOnly.productId).price.amount).to.equal(899);
      const again = await kit.get(`/admin/v1/orders/${order.id}`, admin(shop));
      expect(again.body.exchangeRate).to.equal('0.9233610342');
      expect(again.body.totals).to.deep.equal(view.body.totals);
      expect(again.body.lines.map((l: { unitAmount: number }) => l.unitAmount)).to.have.members([999, 1900]);

      // A return of one line refunds exactly that line, in the order's currency, without a new conversion.
      for (const [action, body] of [['confirm-payment', {}], ['shipments', { carrier: 'DHL', trackingNumber: 'TRK-1' }], ['deliver', {}]] as const) {
        const res = await kit.post(`/admin/v1/orders/${order.id}/${action}`, body, admin(shop));
        expect(res.status, `${action}: ${res.text}`).to.be.oneOf([200, 201]);
      }
      const lamp = again.body.lines.find((l: { variantId: string }) => l.variantId === usdOnly.variantId);
      const ret = await kit.post(`/store/v1/orders/${order.id}/returns`, { lines: [{ lineId: lamp.id, quantity: 2 }], reason: 'damaged' }, store(shop, { 'x-order-token': placed.body.orderToken }));
      expect(ret.status, ret.text).to.equal(201);
      expect(ret.body.currency).to.equal('EUR');
      expect(lamp.total).to.be.greaterThan(lamp.subtotal);
      expect(ret.body.refundAmount).to.equal(lamp.total);
      rx.answer.ecb.body = ecbXml(today());
      await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(shop));
    });

    it('a DAP market shows the duties notice, in the shopper’s language, and adds no duties line', async () => {
      // The Japan market speaks Japanese unless the shopper asks otherwise.
      const ja = await kit.get('/store/v1/cross-border/market?market=jp', store(shop));
      expect(ja.body).to.include({ currency: 'JPY', locale: 'ja' });
      expect(ja.body.market).to.include({ code: 'jp', dutiesMode: 'DAP' });
      expect(ja.body.dutiesNotice).to.include('配達時');
      expect(ja.headers.get('content-language')).to.equal('ja');
      const en = await kit.get('/store/v1/cross-border/market?market=jp', store(shop, { 'accept-language': 'en-US' }));
      expect(en.body.dutiesNotice).to.match(/on delivery/);
      const zh = await kit.get('/store/v1/cross-border/market?market=jp', store(shop, { 'accept-language': 'zh-CN' }));
      expect(zh.body.dutiesNotice).to.include('关税');
      const eu = await kit.get('/store/v1/cross-border/market?market=eu', store(shop));
      expect(eu.body.dutiesNotice).to.equal(null);
    });
  });

  describe('rate sources', () => {
    it('reads Open Exchange Rates JSON with the platform app id, and keeps manual rates', async () => {
      const t = await kit.tenant({ enable: ['cross-border'], settings: { 'cross-border': { rateSource: 'oxr' } } });
      const res = await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(t));
      expect(res.body).to.include({ source: 'oxr', fetched: 4, error: null });
      expect(rx.hits.some((h) => h === '/oxr/latest.json?app_id=test-app')).to.equal(true);
      const eur = await kit.get('/store/v1/products', store(t, { 'x-currency': 'EUR' }));
      expect(eur.status).to.equal(200);
      const history = await kit.get('/admin/v1/cross-border/rates?quote=EUR', admin(t));
      expect(history.body.items[0]).to.include({ source: 'oxr', base: 'USD', quote: 'EUR', rate: '0.9234' });
      const manual = await kit.post('/admin/v1/cross-border/rates', { base: 'USD', quote: 'EUR', rate: '0.5' }, admin(t));
      expect(manual.status, manual.text).to.equal(201);
      const same = await kit.post('/admin/v1/cross-border/rates', { base: 'USD', quote: 'USD', rate: '1' }, admin(t));
      expect(same.status).to.equal(400);
      const float = await kit.post('/admin/v1/cross-border/rates', { base: 'USD', quote: 'EUR', rate: 0.5 }, admin(t));
      expect(float.status).to.equal(400);
      expect(float.body.errors[0].pointer).to.equal('/rate');
    });

    it('a stale source freezes prices at the last good rate and alerts the owners once', async () => {
      const t = await kit.tenant({ enable: ['cross-border'] });
      rx.answer.ecb.body = ecbXml('2020-01-03', { USD: '1.1000' });
      const first = await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(t));
      expect(first.body).to.include({ stale: true, asOf: '2020-01-03', error: null });
      await kit.post('/admin/v1/cross-border/markets', { ...EU, code: 'eu' }, admin(t));
      const p = await product(t, 'Bowl', [{ currency: 'USD', amount: 1000 }]);
      const priced = async () => (await kit.get('/store/v1/products?market=eu', store(t))).body.items.find((i: { id: string }) => i.id === p.productId).price.amount;
      // 10.00 / 1.1 x 1.05 = 9.545 -> 9.55 -> 9.99
      expect(await priced()).to.equal(999);
      rx.answer.ecb = { status: 503, body: 'maintenance' };
      const failing = await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(t));
      expect(failing.body).to.include({ stale: true, error: 'HTTP 503' });
      expect(await priced()).to.equal(999);
      const status = await kit.get('/admin/v1/cross-border/rates/status', admin(t));
      expect(status.body).to.include({ source: 'ecb', stale: true, lastAsOf: '2020-01-03', lastError: 'HTTP 503' });
      const mails = await kit.waitFor(() => {
        const found = kit.logs.filter((l) => l.mail?.subject === 'Exchange rates from ecb are out of date' && l.mail?.to === t.ownerEmail);
        return found.length ? found : undefined;
      }, { what: 'the stale-rates mail' });
      expect(mails).to.have.length(1);
      rx.answer.ecb = { status: 200, body: ecbXml(today()) };
      const fresh = await kit.post('/admin/v1/cross-border/rates/fetch', {}, admin(t));
      expect(fresh.body).to.include({ stale: false });
      expect((await kit.get('/admin/v1/cross-border/rates/status', admin(t))).body.stale).to.equal(false);
    });
  });

  it('is invisible to a store that has it off', async () => {
    const off = await kit.tenant();
    expect((await kit.get('/admin/v1/cross-border/markets', admin(off))).status).to.equal(404);
    const list = await kit.get('/store/v1/products', store(off, { 'x-bazaar-market': 'eu' }));
    expect(list.status).to.equal(200);
    expect(kit.logs.filter((l) => l.level >= 50)).to.deep.equal([]);
  });
});
