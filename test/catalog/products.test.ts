import { expect } from 'chai';
import { get, post, patch, del, call } from '../support/http.js';
import { makeTenant, makeStaff, unique, type TestTenant } from '../support/factories.js';
import { makeProduct, makeCategory, pointers } from './support.js';

describe('catalog admin: products, variants, prices', () => {
  let shop: TestTenant;
  let other: TestTenant;
  before(async () => {
    shop = await makeTenant({ currencies: ['USD', 'EUR', 'JPY'] });
    other = await makeTenant();
  });
  const as = (t: TestTenant = shop) => ({ token: t.ownerToken });

  describe('POST /admin/v1/products', () => {
    it('creates a product with translations, variants, prices, stock and categories', async () => {
      const cat = await makeCategory(shop, 'Shoes');
      const sku = unique('RUN');
      const res = await post('/admin/v1/products', {
        status: 'active',
        translations: { en: { name: 'Trail Runner 2', description: 'Light shoe' }, 'zh-cn': { name: '越野跑鞋 2' } },
        attributes: { material: 'mesh', drop: 8 },
        images: [{ url: 'https://cdn.example.com/runner.jpg', alt: 'Runner, side view' }],
        categoryIds: [cat.id],
        variants: [{ sku, options: { size: '42' }, prices: [{ currency: 'USD', amount: 12900 }, { currency: 'JPY', amount: 19800 }], stock: 7 }],
      }, as());
      expect(res.status, res.text).to.equal(201);
      expect(res.headers.get('location')).to.equal(`/admin/v1/products/${res.body.id}`);
      expect(res.body).to.include({ status: 'active' });
      expect(res.body.translations.en).to.deep.equal({ name: 'Trail Runner 2', slug: 'trail-runner-2', description: 'Light shoe' });
      expect(res.body.translations['zh-CN'], 'locale is canonicalised').to.deep.include({ name: '越野跑鞋 2', slug: '越野跑鞋-2' });
      expect(res.body.categoryIds).to.deep.equal([cat.id]);
      expect(res.body.publishedAt).to.be.a('string');
      const [v] = res.body.variants;
      expect(v).to.deep.include({ sku, options: { size: '42' }, status: 'active' });
      expect(v.prices).to.deep.equal([{ currency: 'JPY', amount: 19800, compareAtAmount: null }, { currency: 'USD', amount: 12900, compareAtAmount: null }]);
      expect(v.stock).to.deep.equal({ onHand: 7, reserved: 0, available: 7 });
      const again = await get(`/admin/v1/products/${res.body.id}`, as());
      expect(again.body).to.deep.equal(res.body);
    });

    it('refuses a price of -1, naming the field', async () => {
      const res = await post('/admin/v1/products', { translations: { en: { name: 'Cheap' } }, variants: [{ sku: unique('S'), prices: [{ currency: 'USD', amount: -1 }] }] }, as());
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('VALIDATION_FAILED');
      expect(pointers(res.body)).to.deep.equal(['/variants/0/prices/0/amount']);
    });

    it('refuses an unknown currency and one the store does not sell in', async () => {
      const unknown = await post('/admin/v1/products', { translations: { en: { name: 'X' } }, variants: [{ sku: unique('S'), prices: [{ currency: 'XYZ', amount: 100 }] }] }, as());
      expect(unknown.status).to.equal(400);
      expect(unknown.body.code).to.equal('UNKNOWN_CURRENCY');
      expect(pointers(unknown.body)).to.deep.equal(['/variants/0/prices/0/currency']);
      const notSold = await post('/admin/v1/products', { translations: { en: { name: 'X' } }, variants: [{ sku: unique('S'), prices: [{ currency: 'GBP', amount: 100 }] }] }, as());
      expect(notSold.status).to.equal(400);
      expect(notSold.body.code).to.equal('CURRENCY_NOT_ENABLED');
      const lower = await post('/admin/v1/products', { translations: { en: { name: 'X' } }, variants: [{ sku: unique('S'), prices: [{ currency: 'usd', amount: 100 }] }] }, as());
      expect(lower.status).to.equal(400);
      expect(pointers(lower.body)).to.deep.equal(['/variants/0/prices/0/currency']);
    });

    it('answers a duplicate SKU with 409 naming /variants/n/sku, case-insensitively, within a request and across the store', async () => {
      const sku = unique('DUP');
      await makeProduct(shop, { variants: [{ sku, prices: [] }] });
      const res = await post('/admin/v1/products', { translations: { en: { name: 'Dup' } }, variants: [{ sku: unique('OK') }, { sku: sku.toLowerCase() }] }, as());
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('SKU_TAKEN');
      expect(pointers(res.body)).to.deep.equal(['/variants/1/sku']);
      const twice = await post('/admin/v1/products', { translations: { en: { name: 'Dup' } }, variants: [{ sku: 'same-1' }, { sku: 'SAME-1' }] }, as());
      expect(twice.status).to.equal(409);
      expect(pointers(twice.body)).to.deep.equal(['/variants/1/sku']);
      // another store may use the same SKU
      await makeProduct(other, { variants: [{ sku, prices: [] }] });
    });

    it('answers a slug clash with 409 naming the slug; a derived slug gets a suffix instead', async () => {
      const name = unique('Desk Lamp');
      const first = await makeProduct(shop, { name });
      const slug = first.translations.en.slug;
      const clash = await post('/admin/v1/products', { translations: { en: { name: 'Another lamp', slug } } }, as());
      expect(clash.status).to.equal(409);
      expect(clash.body.code).to.equal('SLUG_TAKEN');
      expect(pointers(clash.body)).to.deep.equal(['/translations/en/slug']);
      expect(clash.body.errors[0].message).to.include(slug);
      const derived = await makeProduct(shop, { name });
      expect(derived.translations.en.slug).to.equal(`${slug}-2`);
    });

    it('needs text in the store default locale, and names bad fields', async () => {
      const noDefault = await post('/admin/v1/products', { translations: { 'zh-CN': { name: '台灯' } } }, as());
      expect(noDefault.status).to.equal(400);
      expect(noDefault.body.code).to.equal('TRANSLATION_REQUIRED');
      expect(pointers(noDefault.body)).to.deep.equal(['/translations/en']);
      const bad = await post('/admin/v1/products', { status: 'live', translations: { en: { name: '' } }, images: [{ url: 'ftp://x/y.png' }], colour: 'red' }, as());
      expect(bad.status).to.equal(400);
      expect(pointers(bad.body)).to.include.members(['/status', '/translations/en/name', '/images/0/url', '/colour']);
      const badSlug = await post('/admin/v1/products', { translations: { en: { name: 'Lamp', slug: 'Has Spaces' } } }, as());
      expect(pointers(badSlug.body)).to.deep.equal(['/translations/en/slug']);
    });

    it('refuses a category of another store', async () => {
      const foreign = await makeCategory(other, 'Theirs');
      const res = await post('/admin/v1/products', { translations: { en: { name: 'Mine' } }, categoryIds: [foreign.id] }, as());
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('CATEGORY_NOT_FOUND');
      expect(pointers(res.body)).to.deep.equal(['/categoryIds/0']);
    });

    it('needs catalog:write: a viewer can read but not create', async () => {
      const viewer = await makeStaff(shop, 'viewer');
      const res = await post('/admin/v1/products', { translations: { en: { name: 'Nope' } } }, { token: viewer.token });
      expect(res.status).to.equal(403);
      expect(res.body.permission).to.equal('catalog:write');
      expect((await get('/admin/v1/products', { token: viewer.token })).status).to.equal(200);
      expect((await get('/admin/v1/products', { tenant: shop.slug })).status).to.equal(401);
    });

    it('replays an Idempotency-Key instead of creating twice', async () => {
      const key = unique('idem');
      const body = { translations: { en: { name: unique('Once') } } };
      const a = await call('POST', '/admin/v1/products', { ...as(), body, headers: { 'idempotency-key': key } });
      const b = await call('POST', '/admin/v1/products', { ...as(), body, headers: { 'idempotency-key': key } });
      expect(a.status).to.equal(201);
      expect(b.body.id).to.equal(a.body.id);
    });
  });

  describe('GET /admin/v1/products', () => {
    it('pages newest first with a cursor and filters by status and category', async () => {
      const t = await makeTenant();
      const cat = await makeCategory(t, 'Only');
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await makeProduct(t, { status: i % 2 ? 'draft' : 'active', categoryIds: i === 4 ? [cat.id] : [] }));
      const first = await get('/admin/v1/products?limit=2', { token: t.ownerToken });
      expect(first.body.items.map((p: any) => p.id)).to.deep.equal([made[4].id, made[3].id]);
      expect(first.body.items[0]).to.include({ name: made[4].translations.en.name, variantCount: 1 });
      const second = await get(`/admin/v1/products?limit=2&cursor=${first.body.nextCursor}`, { token: t.ownerToken });
      expect(second.body.items.map((p: any) => p.id)).to.deep.equal([made[2].id, made[1].id]);
      const third = await get(`/admin/v1/products?limit=2&cursor=${second.body.nextCursor}`, { token: t.ownerToken });
      expect(third.body.items.map((p: any) => p.id)).to.deep.equal([made[0].id]);
      expect(third.body.nextCursor).to.equal(null);
      const drafts = await get('/admin/v1/products?status=draft', { token: t.ownerToken });
      expect(drafts.body.items.map((p: any) => p.id)).to.deep.equal([made[3].id, made[1].id]);
      const inCat = await get(`/admin/v1/products?categoryId=${cat.id}`, { token: t.ownerToken });
      expect(inCat.body.items.map((p: any) => p.id)).to.deep.equal([made[4].id]);
    });

    it('refuses a forged cursor and a limit above 100', async () => {
      expect((await get('/admin/v1/products?cursor=garbage', as())).body.code).to.equal('INVALID_CURSOR');
      expect((await get('/admin/v1/products?limit=500', as())).status).to.equal(400);
    });
  });

  describe('GET /admin/v1/products/:id', () => {
    it('answers 404 for another store’s product and 400 for a malformed id', async () => {
      const theirs = await makeProduct(other);
      const res = await get(`/admin/v1/products/${theirs.id}`, as());
      expect(res.status).to.equal(404);
      expect(res.body.code).to.equal('PRODUCT_NOT_FOUND');
      expect((await get('/admin/v1/products/not-a-uuid', as())).status).to.equal(400);
    });
  });

  describe('PATCH /admin/v1/products/:id', () => {
    it('changes text per locale, removes a locale with null, replaces attributes and categories', async () => {
      const p = await makeProduct(shop, { translations: { en: { name: 'Old name' }, 'zh-CN': { name: '旧名' } } });
      const cat = await makeCategory(shop, 'New home');
      const res = await patch(`/admin/v1/products/${p.id}`, {
        translations: { en: { name: 'New name', slug: unique('new-name') }, 'zh-CN': null, ja: { name: '新しい名前' } },
        attributes: { colour: 'blue' },
        categoryIds: [cat.id],
      }, as());
      expect(res.status, res.text).to.equal(200);
      expect(Object.keys(res.body.translations).sort()).to.deep.equal(['en', 'ja']);
      expect(res.body.translations.en.name).to.equal('New name');
      expect(res.body.translations.ja.slug).to.equal('新しい名前');
      expect(res.body.attributes).to.deep.equal({ colour: 'blue' });
      expect(res.body.categoryIds).to.deep.equal([cat.id]);
    });

    it('keeps the default-locale text and refuses a slug of another product', async () => {
      const a = await makeProduct(shop);
      const b = await makeProduct(shop);
      const drop = await patch(`/admin/v1/products/${a.id}`, { translations: { en: null } }, as());
      expect(drop.status).to.equal(400);
      expect(drop.body.code).to.equal('TRANSLATION_REQUIRED');
      const clash = await patch(`/admin/v1/products/${a.id}`, { translations: { en: { slug: b.translations.en.slug } } }, as());
      expect(clash.status).to.equal(409);
      expect(pointers(clash.body)).to.deep.equal(['/translations/en/slug']);
      const own = await patch(`/admin/v1/products/${a.id}`, { translations: { en: { slug: a.translations.en.slug, description: 'same slug is fine' } } }, as());
      expect(own.status).to.equal(200);
      expect((await patch(`/admin/v1/products/${a.id}`, {}, as())).status).to.equal(400);
    });
  });

  describe('POST /admin/v1/products/:id/archive and DELETE /admin/v1/products/:id', () => {
    it('archives a product that has been on sale and refuses to delete it', async () => {
      const p = await makeProduct(shop, { status: 'active' });
      const gone = await del(`/admin/v1/products/${p.id}`, as());
      expect(gone.status).to.equal(409);
      expect(gone.body.code).to.equal('PRODUCT_PUBLISHED');
      const archived = await post(`/admin/v1/products/${p.id}/archive`, undefined, as());
      expect(archived.body.status).to.equal('archived');
    });

    it('deletes a draft that was never on sale, with its variants and stock', async () => {
      const p = await makeProduct(shop, { status: 'draft' });
      expect((await del(`/admin/v1/products/${p.id}`, as())).status).to.equal(204);
      expect((await get(`/admin/v1/products/${p.id}`, as())).status).to.equal(404);
      expect((await get(`/admin/v1/variants/${p.variants[0].id}`, as())).status).to.equal(404);
      // its SKU is free again
      await makeProduct(shop, { variants: [{ sku: p.variants[0].sku }] });
    });
  });

  describe('variants', () => {
    it('POST /admin/v1/products/:id/variants adds one at the end; GET lists them in order with a cursor', async () => {
      const p = await makeProduct(shop);
      const added = await post(`/admin/v1/products/${p.id}/variants`, { sku: unique('V2'), options: { size: 'XL' }, prices: [{ currency: 'EUR', amount: 500 }], stock: 3 }, as());
      expect(added.status, added.text).to.equal(201);
      expect(added.body).to.deep.include({ position: 1, productId: p.id });
      expect(added.body.stock.available).to.equal(3);
      const page1 = await get(`/admin/v1/products/${p.id}/variants?limit=1`, as());
      expect(page1.body.items.map((v: any) => v.id)).to.deep.equal([p.variants[0].id]);
      const page2 = await get(`/admin/v1/products/${p.id}/variants?limit=1&cursor=${page1.body.nextCursor}`, as());
      expect(page2.body.items.map((v: any) => v.id)).to.deep.equal([added.body.id]);
      expect(page2.body.nextCursor).to.equal(null);
    });

    it('refuses a variant with a taken SKU (409 /sku) or a bad price (400), and 404s another store’s product', async () => {
      const p = await makeProduct(shop);
      const taken = await post(`/admin/v1/products/${p.id}/variants`, { sku: p.variants[0].sku }, as());
      expect(taken.status).to.equal(409);
      expect(pointers(taken.body)).to.deep.equal(['/sku']);
      const neg = await post(`/admin/v1/products/${p.id}/variants`, { sku: unique('N'), prices: [{ currency: 'USD', amount: -1 }] }, as());
      expect(neg.status).to.equal(400);
      expect(pointers(neg.body)).to.deep.equal(['/prices/0/amount']);
      const theirs = await makeProduct(other);
      expect((await post(`/admin/v1/products/${theirs.id}/variants`, { sku: unique('X') }, as())).status).to.equal(404);
    });

    it('PATCH /admin/v1/variants/:id changes SKU and options; refuses a taken SKU', async () => {
      const a = await makeProduct(shop);
      const b = await makeProduct(shop);
      const v = a.variants[0];
      const sku = unique('REN');
      const res = await patch(`/admin/v1/variants/${v.id}`, { sku, options: { colour: 'Red' } }, as());
      expect(res.body).to.deep.include({ sku, options: { colour: 'Red' } });
      const same = await patch(`/admin/v1/variants/${v.id}`, { sku: sku.toLowerCase() }, as());
      expect(same.status, 'its own SKU in another case').to.equal(200);
      const clash = await patch(`/admin/v1/variants/${v.id}`, { sku: b.variants[0].sku }, as());
      expect(clash.status).to.equal(409);
      expect(clash.body.code).to.equal('SKU_TAKEN');
    });

    it('archives a variant of a product on sale and refuses to delete it', async () => {
      const p = await makeProduct(shop);
      const v = p.variants[0];
      expect((await del(`/admin/v1/variants/${v.id}`, as())).status).to.equal(409);
      const archived = await post(`/admin/v1/variants/${v.id}/archive`, undefined, as());
      expect(archived.body.status).to.equal('archived');
      const draft = await makeProduct(shop, { status: 'draft' });
      expect((await del(`/admin/v1/variants/${draft.variants[0].id}`, as())).status).to.equal(204);
    });
  });

  describe('PUT and DELETE /admin/v1/variants/:id/prices/:currency', () => {
    it('sets, replaces and removes a price in minor units', async () => {
      const p = await makeProduct(shop, { price: 1000 });
      const v = p.variants[0];
      const set = await call('PUT', `/admin/v1/variants/${v.id}/prices/JPY`, { ...as(), body: { amount: 1500, compareAtAmount: 2000 } });
      expect(set.status, set.text).to.equal(200);
      expect(set.body.prices).to.deep.include({ currency: 'JPY', amount: 1500, compareAtAmount: 2000 });
      const replaced = await call('PUT', `/admin/v1/variants/${v.id}/prices/JPY`, { ...as(), body: { amount: 1400 } });
      expect(replaced.body.prices).to.deep.include({ currency: 'JPY', amount: 1400, compareAtAmount: null });
      const removed = await del(`/admin/v1/variants/${v.id}/prices/JPY`, as());
      expect(removed.body.prices.map((x: any) => x.currency)).to.deep.equal(['USD']);
      expect((await del(`/admin/v1/variants/${v.id}/prices/JPY`, as())).body.code).to.equal('PRICE_NOT_FOUND');
    });

    it('refuses -1, a fraction, an unknown or unsold currency', async () => {
      const p = await makeProduct(shop);
      const v = p.variants[0];
      const neg = await call('PUT', `/admin/v1/variants/${v.id}/prices/USD`, { ...as(), body: { amount: -1 } });
      expect(neg.status).to.equal(400);
      expect(pointers(neg.body)).to.deep.equal(['/amount']);
      const frac = await call('PUT', `/admin/v1/variants/${v.id}/prices/USD`, { ...as(), body: { amount: 9.99 } });
      expect(frac.status).to.equal(400);
      const unknown = await call('PUT', `/admin/v1/variants/${v.id}/prices/XYZ`, { ...as(), body: { amount: 100 } });
      expect(unknown.body.code).to.equal('UNKNOWN_CURRENCY');
      expect(unknown.body.errors[0]).to.include({ in: 'params', pointer: '/currency' });
      const unsold = await call('PUT', `/admin/v1/variants/${v.id}/prices/GBP`, { ...as(), body: { amount: 100 } });
      expect(unsold.body.code).to.equal('CURRENCY_NOT_ENABLED');
    });
  });
});
