import { expect } from 'chai';
import { get, post, patch, del } from '../support/http.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { makeCategory, makeProduct, pointers } from './support.js';

describe('categories', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });
  const as = () => ({ token: shop.ownerToken });

  describe('POST /admin/v1/categories', () => {
    it('creates a tree with handles derived from the default-locale name', async () => {
      const t = await makeTenant();
      const root = await post('/admin/v1/categories', { names: { en: 'Home & Garden', 'zh-CN': '家居园艺' } }, { token: t.ownerToken });
      expect(root.status, root.text).to.equal(201);
      expect(root.body).to.deep.include({ handle: 'home-garden', parentId: null, depth: 0, names: { en: 'Home & Garden', 'zh-CN': '家居园艺' } });
      const child = await makeCategory(t, 'Lamps', root.body.id);
      expect(child).to.deep.include({ parentId: root.body.id, depth: 1, handle: 'lamps' });
      const again = await makeCategory(t, 'Lamps');
      expect(again.handle).to.equal('lamps-2');
      const list = await get('/admin/v1/categories?limit=2', { token: t.ownerToken });
      expect(list.body.items.map((c: any) => c.id)).to.deep.equal([root.body.id, child.id]);
      const rest = await get(`/admin/v1/categories?cursor=${list.body.nextCursor}`, { token: t.ownerToken });
      expect(rest.body.items.map((c: any) => c.id)).to.deep.equal([again.id]);
      const children = await get(`/admin/v1/categories?parentId=${root.body.id}`, { token: t.ownerToken });
      expect(children.body.items.map((c: any) => c.id)).to.deep.equal([child.id]);
    });

    it('refuses a taken handle (409 /handle), a missing default name, an unknown parent', async () => {
      const c = await makeCategory(shop, 'Unique Shelf');
      const taken = await post('/admin/v1/categories', { names: { en: 'Other' }, handle: c.handle }, as());
      expect(taken.status).to.equal(409);
      expect(taken.body.code).to.equal('HANDLE_TAKEN');
      expect(pointers(taken.body)).to.deep.equal(['/handle']);
      const noDefault = await post('/admin/v1/categories', { names: { 'zh-CN': '书架' } }, as());
      expect(noDefault.body.code).to.equal('TRANSLATION_REQUIRED');
      const orphan = await post('/admin/v1/categories', { names: { en: 'X' }, parentId: '01900000-0000-7000-8000-000000000000' }, as());
      expect(orphan.status).to.equal(400);
      expect(pointers(orphan.body)).to.deep.equal(['/parentId']);
      const bad = await post('/admin/v1/categories', { names: {}, handle: 'Bad Handle' }, as());
      expect(pointers(bad.body)).to.include.members(['/names', '/handle']);
    });
  });

  describe('PATCH /admin/v1/categories/:id', () => {
    it('moves a branch with its sub-tree and refuses to move it under itself', async () => {
      const t = await makeTenant();
      const a = await makeCategory(t, 'A');
      const b = await makeCategory(t, 'B', a.id);
      const c = await makeCategory(t, 'C', b.id);
      const d = await makeCategory(t, 'D');
      const moved = await patch(`/admin/v1/categories/${b.id}`, { parentId: d.id }, { token: t.ownerToken });
      expect(moved.body).to.deep.include({ parentId: d.id, depth: 1 });
      expect((await get(`/admin/v1/categories/${c.id}`, { token: t.ownerToken })).body.depth).to.equal(2);
      const p = await makeProduct(t, { categoryIds: [c.id] });
      const underD = await get(`/store/v1/products?category=${d.handle}`, { tenant: t.slug });
      expect(underD.body.items.map((x: any) => x.id), 'products of a moved sub-tree follow it').to.deep.equal([p.id]);
      expect((await get(`/store/v1/products?category=${a.id}`, { tenant: t.slug })).body.items).to.deep.equal([]);
      const cycle = await patch(`/admin/v1/categories/${d.id}`, { parentId: c.id }, { token: t.ownerToken });
      expect(cycle.status).to.equal(400);
      expect(cycle.body.code).to.equal('CATEGORY_CYCLE');
      const renamed = await patch(`/admin/v1/categories/${d.id}`, { names: { 'zh-CN': '丁' } }, { token: t.ownerToken });
      expect(renamed.body.names).to.deep.equal({ en: 'D', 'zh-CN': '丁' });
      const top = await patch(`/admin/v1/categories/${b.id}`, { parentId: null }, { token: t.ownerToken });
      expect(top.body).to.deep.include({ parentId: null, depth: 0 });
    });
  });

  describe('DELETE /admin/v1/categories/:id', () => {
    it('deletes a leaf (its products stay), refuses a category with children, 404s an unknown one', async () => {
      const parent = await makeCategory(shop, 'Parent');
      const leaf = await makeCategory(shop, 'Leaf', parent.id);
      const p = await makeProduct(shop, { categoryIds: [leaf.id] });
      const refused = await del(`/admin/v1/categories/${parent.id}`, as());
      expect(refused.status).to.equal(409);
      expect(refused.body.code).to.equal('CATEGORY_HAS_CHILDREN');
      expect((await del(`/admin/v1/categories/${leaf.id}`, as())).status).to.equal(204);
      expect((await get(`/admin/v1/products/${p.id}`, as())).body.categoryIds).to.deep.equal([]);
      expect((await del(`/admin/v1/categories/${leaf.id}`, as())).status).to.equal(404);
    });
  });

  describe('GET /store/v1/categories', () => {
    it('lists the tree in the shopper’s locale with fallback to the store default', async () => {
      const t = await makeTenant();
      const root = await post('/admin/v1/categories', { names: { en: 'Tea', 'zh-CN': '茶' } }, { token: t.ownerToken });
      await makeCategory(t, 'Green tea', root.body.id);
      const zh = await get('/store/v1/categories', { tenant: t.slug, headers: { 'accept-language': 'zh-CN' } });
      expect(zh.body.items.map((c: any) => [c.name, c.depth])).to.deep.equal([['茶', 0], ['Green tea', 1]]);
      const en = await get('/store/v1/categories?locale=en', { tenant: t.slug, headers: { 'accept-language': 'zh-CN' } });
      expect(en.body.items[0].name).to.equal('Tea');
      expect((await get('/store/v1/categories?locale=not_a_locale', { tenant: t.slug })).status).to.equal(400);
    });
  });
});
