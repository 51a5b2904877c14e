import { expect } from 'chai';
import { get, patch, post, call } from '../support/http.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { reserveStock } from '../../core/catalog/inventory.service.js';
import { makeCategory, makeProduct, pointers } from './support.js';

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((p) => p.id);

async function allPages(slug: string, query: string, limit = 2): Promise<string[]> {
  const out: string[] = [];
  let cursor = '';
  for (let guard = 0; guard < 50; guard++) {
    const res = await get(`/store/v1/products?limit=${limit}${query ? '&' + query : ''}${cursor ? '&cursor=' + cursor : ''}`, { tenant: slug });
    expect(res.status, res.text).to.equal(200);
    out.push(...ids(res));
    if (!res.body.nextCursor) return out;
    cursor = res.body.nextCursor;
  }
  throw new Error('too many pages');
}

describe('store catalog', () => {
  let shop: TestTenant;
  let shoes: any;
  let trail: any;
  let shirts: any;
  const p: Record<string, any> = {};

  before(async () => {
    shop = await makeTenant({ currencies: ['USD', 'EUR', 'JPY'], defaultCurrency: 'USD' });
    shoes = await makeCategory(shop, 'Shoes');
    trail = await makeCategory(shop, 'Trail shoes', shoes.id);
    shirts = await makeCategory(shop, 'Shirts');
    const priced = (usd: number, eur?: number) => [{ currency: 'USD', amount: usd }, ...(eur ? [{ currency: 'EUR', amount: eur }] : [])];
    p.boot = await makeProduct(shop, {
      translations: { en: { name: 'Alpine Boot', description: 'Waterproof leather boot' }, 'zh-CN': { name: '高山靴', description: '防水皮靴' } },
      attributes: { material: 'leather', tags: ['waterproof', 'winter'] },
      categoryIds: [shoes.id],
      variants: [
        { sku: `${shop.slug}-boot-41`, options: { size: '41', colour: 'Brown' }, prices: priced(15000, 14000), stock: 2 },
        { sku: `${shop.slug}-boot-43`, options: { size: '43', colour: 'Black' }, prices: priced(17000, 16000), stock: 0 },
      ],
    });
    p.runner = await makeProduct(shop, {
      translations: { en: { name: 'Trail Runner' }, 'zh-CN': { name: '越野跑鞋' } },
      attributes: { material: 'mesh' },
      categoryIds: [trail.id],
      variants: [{ sku: `${shop.slug}-run`, options: { size: '42', colour: 'Red' }, prices: priced(9000, 8500), stock: 0 }],
    });
    p.shirt = await makeProduct(shop, {
      translations: { en: { name: 'cotton shirt' } },
      attributes: { material: 'cotton' },
      categoryIds: [shirts.id],
      variants: [{ sku: `${shop.slug}-shirt`, options: { colour: 'Red' }, prices: priced(3000), stock: 10 }],
    });
    p.noPrice = await makeProduct(shop, { translations: { en: { name: 'Bare sample' } }, variants: [{ sku: `${shop.slug}-bare`, stock: 1 }] });
    p.draft = await makeProduct(shop, { status: 'draft', translations: { en: { name: 'Secret draft' } } });
    p.archived = await makeProduct(shop, { status: 'archived', translations: { en: { name: 'Old stuff' } } });
  });

  describe('GET /store/v1/products', () => {
    it('lists only active products, newest first, with a card per product', async () => {
      const res = await get('/store/v1/products', { tenant: shop.slug });
      expect(res.status).to.equal(200);
      expect(ids(res)).to.deep.equal([p.noPrice.id, p.shirt.id, p.runner.id, p.boot.id]);
      expect(res.body).to.include({ locale: 'en', currency: 'USD', nextCursor: null });
      const boot = res.body.items[3];
      expect(boot).to.deep.equal({
        id: p.boot.id, slug: 'alpine-boot', name: 'Alpine Boot', locale: 'en', image: null,
        price: { amount: 15000, currency: 'USD', formatted: '$150.00' }, priceVaries: true, inStock: true,
      });
      expect(res.body.items[0].price, 'no price in this currency').to.equal(null);
      expect(res.body.items[2].inStock).to.equal(false);
    });

    it('pages with an opaque cursor in every sort order, with no gaps or repeats', async () => {
      expect(await allPages(shop.slug, '', 1)).to.deep.equal([p.noPrice.id, p.shirt.id, p.runner.id, p.boot.id]);
      expect(await allPages(shop.slug, 'sort=price_asc')).to.deep.equal([p.shirt.id, p.runner.id, p.boot.id]);
      expect(await allPages(shop.slug, 'sort=price_desc')).to.deep.equal([p.boot.id, p.runner.id, p.shirt.id]);
      expect(await allPages(shop.slug, 'sort=name'), 'case-insensitive').to.deep.equal([p.boot.id, p.noPrice.id, p.shirt.id, p.runner.id]);
    });

    it('sorts by name in the shopper’s locale, falling back to the default text', async () => {
      const res = await get('/store/v1/products?sort=name&locale=zh-CN', { tenant: shop.slug });
      expect(res.body.items.map((x: any) => [x.name, x.locale])).to.deep.equal([
        ['Bare sample', 'en'], ['cotton shirt', 'en'], ['越野跑鞋', 'zh-CN'], ['高山靴', 'zh-CN'],
      ]);
      expect(await allPages(shop.slug, 'sort=name&locale=zh-CN', 1)).to.deep.equal(ids(res));
    });

    it('filters by category (with sub-categories, by id or handle), price range, attributes and stock', async () => {
      expect(ids(await get(`/store/v1/products?category=${shoes.id}`, { tenant: shop.slug }))).to.deep.equal([p.runner.id, p.boot.id]);
      expect(ids(await get(`/store/v1/products?category=${trail.handle}`, { tenant: shop.slug }))).to.deep.equal([p.runner.id]);
      expect(ids(await get('/store/v1/products?category=no-such-thing', { tenant: shop.slug }))).to.deep.equal([]);
      // price: any active variant within the range, in the requested currency
      expect(ids(await get('/store/v1/products?minPrice=16000&maxPrice=20000', { tenant: shop.slug }))).to.deep.equal([p.boot.id]);
      expect(ids(await get('/store/v1/products?maxPrice=9000', { tenant: shop.slug }))).to.deep.equal([p.shirt.id, p.runner.id]);
      expect(ids(await get('/store/v1/products?maxPrice=9000&currency=EUR', { tenant: shop.slug }))).to.deep.equal([p.runner.id]);
      // attributes and variant options, case-insensitive, comma = any of
      expect(ids(await get('/store/v1/products?attr.material=Leather,cotton', { tenant: shop.slug }))).to.deep.equal([p.shirt.id, p.boot.id]);
      expect(ids(await get('/store/v1/products?attr.colour=red', { tenant: shop.slug }))).to.deep.equal([p.shirt.id, p.runner.id]);
      expect(ids(await get('/store/v1/products?attr.tags=winter&attr.colour=black', { tenant: shop.slug }))).to.deep.equal([p.boot.id]);
      expect(ids(await get('/store/v1/products?inStock=true', { tenant: shop.slug }))).to.deep.equal([p.noPrice.id, p.shirt.id, p.boot.id]);
      expect(ids(await get('/store/v1/products?inStock=false', { tenant: shop.slug }))).to.deep.equal([p.runner.id]);
      expect(ids(await get(`/store/v1/products?category=${shoes.handle}&inStock=true&sort=price_asc`, { tenant: shop.slug }))).to.deep.equal([p.boot.id]);
    });

    it('shows prices in the requested currency: ?currency=, else X-Currency, else the store default', async () => {
      const eur = await get('/store/v1/products?currency=EUR', { tenant: shop.slug });
      const boot = eur.body.items.find((x: any) => x.id === p.boot.id);
      expect(boot.price).to.deep.equal({ amount: 14000, currency: 'EUR', formatted: '€140.00' });
      expect(eur.body.items.find((x: any) => x.id === p.shirt.id).price, 'no EUR price').to.equal(null);
      const header = await get('/store/v1/products', { tenant: shop.slug, headers: { 'x-currency': 'eur' } });
      expect(header.body.currency).to.equal('EUR');
      const unknownHeader = await get('/store/v1/products', { tenant: shop.slug, headers: { 'x-currency': 'GBP' } });
      expect(unknownHeader.body.currency).to.equal('USD');
      const zh = await get('/store/v1/products?currency=EUR', { tenant: shop.slug, headers: { 'accept-language': 'zh-CN' } });
      expect(zh.body.items.find((x: any) => x.id === p.boot.id).price.formatted).to.equal('€140.00');
    });

    it('refuses a currency the store does not sell in, bad filters and unknown parameters', async () => {
      const gbp = await get('/store/v1/products?currency=GBP', { tenant: shop.slug });
      expect(gbp.status).to.equal(400);
      expect(gbp.body.code).to.equal('CURRENCY_NOT_ENABLED');
      expect(pointers(gbp.body)).to.deep.equal(['/currency']);
      expect(pointers((await get('/store/v1/products?minPrice=-5', { tenant: shop.slug })).body)).to.deep.equal(['/minPrice']);
      expect(pointers((await get('/store/v1/products?minPrice=500&maxPrice=100', { tenant: shop.slug })).body)).to.deep.equal(['/minPrice']);
      expect(pointers((await get('/store/v1/products?sort=random', { tenant: shop.slug })).body)).to.deep.equal(['/sort']);
      expect(pointers((await get('/store/v1/products?colour=red', { tenant: shop.slug })).body)).to.deep.equal(['/colour']);
      expect((await get('/store/v1/products?limit=0', { tenant: shop.slug })).status).to.equal(400);
      expect((await get('/store/v1/products?cursor=bm9wZQ', { tenant: shop.slug })).body.code).to.equal('INVALID_CURSOR');
      // a cursor of one sort order is refused by another
      const page = await get('/store/v1/products?limit=1', { tenant: shop.slug });
      expect((await get(`/store/v1/products?sort=price_asc&cursor=${page.body.nextCursor}`, { tenant: shop.slug })).body.code).to.equal('INVALID_CURSOR');
    });

    it('answers a query string it has seen before exactly as the first time (the router remembers valid ones)', async () => {
      for (let round = 0; round < 3; round++) {
        const bad = await get('/store/v1/products?limit=abc&sort=random', { tenant: shop.slug });
        expect(bad.status).to.equal(400);
        expect(pointers(bad.body)).to.have.members(['/limit', '/sort']);
        const good = await get('/store/v1/products?limit=2&sort=price_asc&attr.material=leather,canvas', { tenant: shop.slug });
        expect(good.status, good.text).to.equal(200);
        expect(good.body.items.length).to.be.at.most(2);
        expect(good.body.items.map((i: { id: string }) => i.id)).to.include(p.boot.id);
        // the same store list with the text in another language is another answer
        const zh = await get('/store/v1/products?limit=2&sort=price_asc&attr.material=leather,canvas&locale=zh-CN', { tenant: shop.slug });
        expect(zh.body.items.find((i: { id: string }) => i.id === p.boot.id).name).to.equal('高山靴');
      }
    });

    it('answers 404 for an unknown store', async () => {
      expect((await get('/store/v1/products', { tenant: 'no-such-store' })).status).to.equal(404);
    });

    it("shows nothing of another store's products", async () => {
      const other = await makeTenant();
      const theirs = await makeProduct(other, { name: 'Foreign thing' });
      const mine = await get('/store/v1/products', { tenant: shop.slug });
      expect(ids(mine)).not.to.include(theirs.id);
      // The product page's statement is compiled once per process (shapedRows) and bound to each
      // request's store: served to its own store, then asked of this one, it must stay theirs.
      expect((await get(`/store/v1/products/${theirs.id}`, { tenant: other.slug })).status).to.equal(200);
      expect((await get(`/store/v1/products/${theirs.id}`, { tenant: shop.slug })).status).to.equal(404);
      expect((await get(`/store/v1/products/${theirs.translations.en.slug}`, { tenant: shop.slug })).status).to.equal(404);
    });
  });

  describe('GET /store/v1/products/:idOrSlug', () => {
    it('finds a product by id or by slug in any of its locales, with text in the requested locale', async () => {
      const byId = await get(`/store/v1/products/${p.boot.id}`, { tenant: shop.slug });
      expect(byId.status, byId.text).to.equal(200);
      expect(byId.body).to.deep.include({ id: p.boot.id, slug: 'alpine-boot', name: 'Alpine Boot', description: 'Waterproof leather boot', inStock: true, priceVaries: true });
      expect(byId.body.price).to.deep.equal({ amount: 15000, currency: 'USD', formatted: '$150.00' });
      expect(byId.body.categories).to.deep.equal([{ id: shoes.id, handle: shoes.handle, name: 'Shoes' }]);
      expect(byId.body.options).to.deep.equal([{ name: 'size', values: ['41', '43'] }, { name: 'colour', values: ['Brown', 'Black'] }]);
      expect(byId.body.variants.map((v: any) => [v.options.size, v.price.amount, v.inStock])).to.deep.equal([['41', 15000, true], ['43', 17000, false]]);
      expect(byId.body.slugs).to.deep.equal({ en: 'alpine-boot', 'zh-CN': '高山靴' });
      const bySlug = await get('/store/v1/products/alpine-boot', { tenant: shop.slug });
      expect(bySlug.body.id).to.equal(p.boot.id);
      const byZhSlug = await get(`/store/v1/products/${encodeURIComponent('高山靴')}`, { tenant: shop.slug, headers: { 'accept-language': 'zh-CN' } });
      expect(byZhSlug.body).to.deep.include({ id: p.boot.id, name: '高山靴', description: '防水皮靴', locale: 'zh-CN' });
      const query = await get(`/store/v1/products/alpine-boot?locale=zh-CN&currency=EUR`, { tenant: shop.slug });
      expect(query.body).to.deep.include({ name: '高山靴', locale: 'zh-CN' });
      expect(query.body.variants[0].price).to.deep.equal({ amount: 14000, currency: 'EUR', formatted: '€140.00' });
    });

    it('falls back to the default locale: exact, then the same language, then the default', async () => {
      const enUs = await get(`/store/v1/products/${p.boot.id}?locale=en-US`, { tenant: shop.slug });
      expect(enUs.body.locale).to.equal('en');
      const ja = await get(`/store/v1/products/${p.shirt.id}?locale=ja`, { tenant: shop.slug });
      expect(ja.body).to.deep.include({ name: 'cotton shirt', locale: 'en' });
      const jpy = await get(`/store/v1/products/${p.shirt.id}?currency=JPY`, { tenant: shop.slug });
      expect(jpy.body.price, 'no JPY price set').to.equal(null);
      expect(jpy.body.variants[0].price).to.equal(null);
    });

    it('hides drafts and archived products, and 404s unknown ids and slugs', async () => {
      for (const x of [p.draft, p.archived]) {
        expect((await get(`/store/v1/products/${x.id}`, { tenant: shop.slug })).status).to.equal(404);
        expect((await get(`/store/v1/products/${x.translations.en.slug}`, { tenant: shop.slug })).status).to.equal(404);
      }
      const res = await get('/store/v1/products/no-such-product', { tenant: shop.slug });
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal('PRODUCT_NOT_FOUND');
      expect((await get(`/store/v1/products/${'x'.repeat(201)}`, { tenant: shop.slug })).status).to.equal(400);
      expect((await get('/store/v1/products/alpine-boot?currency=GBP', { tenant: shop.slug })).status).to.equal(400);
    });
  });

  describe('when the store changes its default locale and currency', () => {
    it('still shows the right text and prices, old products included', async () => {
      const t = await makeTenant({ currencies: ['USD', 'EUR'], defaultCurrency: 'USD' });
      const p = await makeProduct(t, {
        translations: { en: { name: 'Tea pot' }, 'zh-CN': { name: '茶壶' } },
        variants: [{ sku: `${t.slug}-pot`, prices: [{ currency: 'USD', amount: 1000 }, { currency: 'EUR', amount: 900 }] }],
      });
      const changed = await patch('/admin/v1/store', { defaultLocale: 'zh-CN', defaultCurrency: 'EUR' }, { token: t.ownerToken });
      expect(changed.status, changed.text).to.equal(200);
      const list = await get('/store/v1/products', { tenant: t.slug });
      expect(list.body).to.include({ locale: 'zh-CN', currency: 'EUR' });
      expect(list.body.items[0]).to.deep.include({ id: p.id, name: '茶壶', locale: 'zh-CN', price: { amount: 900, currency: 'EUR', formatted: '€9.00' } });
      const en = await get('/store/v1/products?locale=en&currency=USD', { tenant: t.slug });
      expect(en.body.items[0]).to.deep.include({ name: 'Tea pot', price: { amount: 1000, currency: 'USD', formatted: '$10.00' } });
      const found = await get(`/store/v1/search?q=${encodeURIComponent('茶壶')}`, { tenant: t.slug });
      expect(found.body.items.map((x: any) => [x.name, x.price.amount])).to.deep.equal([['茶壶', 900]]);
    });
  });

  describe('cache', () => {
    it('shows every write at once: new product, price change, archive, stock sell-out', async () => {
      const t = await makeTenant();
      const a = await makeProduct(t, { name: 'Cache A', price: 500, stock: 1 });
      const first = await get('/store/v1/products', { tenant: t.slug });
      expect(ids(first)).to.deep.equal([a.id]);
      await get(`/store/v1/products/${a.id}`, { tenant: t.slug });
      const b = await makeProduct(t, { name: 'Cache B' });
      expect(ids(await get('/store/v1/products', { tenant: t.slug }))).to.deep.equal([b.id, a.id]);
      await call('PUT', `/admin/v1/variants/${a.variants[0].id}/prices/USD`, { token: t.ownerToken, body: { amount: 777 } });
      expect((await get(`/store/v1/products/${a.id}`, { tenant: t.slug })).body.price.amount).to.equal(777);
      expect((await get('/store/v1/products', { tenant: t.slug })).body.items[1].price.amount).to.equal(777);
      await reserveStock(t.ctx, a.variants[0].id, 1);
      expect((await get(`/store/v1/products/${a.id}`, { tenant: t.slug })).body.inStock).to.equal(false);
      expect((await get('/store/v1/products?inStock=true', { tenant: t.slug })).body.items.map((x: any) => x.id)).to.deep.equal([b.id]);
      await patch(`/admin/v1/products/${b.id}`, { translations: { en: { name: 'Cache B renamed' } } }, { token: t.ownerToken });
      expect((await get('/store/v1/products', { tenant: t.slug })).body.items[0].name).to.equal('Cache B renamed');
      await post(`/admin/v1/products/${a.id}/archive`, undefined, { token: t.ownerToken });
      expect(ids(await get('/store/v1/products', { tenant: t.slug }))).to.deep.equal([b.id]);
      expect((await get(`/store/v1/products/${a.id}`, { tenant: t.slug })).status).to.equal(404);
    });
  });
});
