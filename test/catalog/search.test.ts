import { expect } from 'chai';
import { get, patch, post } from '../support/http.js';
import { makeTenant, makeStaff, type TestTenant } from '../support/factories.js';
import { damerauLevenshtein, indexTerms, queryTokens, normalize } from '../../core/catalog/search/tokenize.js';
import { makeProduct } from './support.js';

const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((i) => i.name);
const search = (t: TestTenant, q: string, extra = '') => get(`/store/v1/search?q=${encodeURIComponent(q)}${extra}`, { tenant: t.slug });

describe('search', () => {
  describe('tokenizer', () => {
    it('lower-cases and strips accents from words, keeps Japanese voicing marks', () => {
      expect(normalize('Crème BRÛLÉE')).to.equal('creme brulee');
      expect(normalize('ガジェット')).to.equal('ガジェット');
      expect(normalize('ｉＰｈｏｎｅ　１５')).to.equal('iphone 15');
    });

    it('splits Chinese and Japanese runs into bigrams (and unigrams for indexing)', () => {
      expect(queryTokens('智能手机').map((t) => t.term)).to.deep.equal(['智能', '能手', '手机']);
      expect(queryTokens('iPhone手机壳').map((t) => [t.term, t.kind])).to.deep.equal([['iphone', 'word'], ['手机', 'cjk'], ['机壳', 'cjk']]);
      expect(queryTokens('茶').map((t) => t.term)).to.deep.equal(['茶']);
      expect([...indexTerms('ワイヤレスイヤホン', { unigrams: false }).keys()]).to.include.members(['イヤ', 'ヤホ', 'ホン']);
      expect([...indexTerms('抹茶', { unigrams: true }).keys()]).to.deep.equal(['抹', '茶', '抹茶']);
    });

    it('measures Damerau-Levenshtein distance with swaps as one edit', () => {
      expect(damerauLevenshtein('iphnoe', 'iphone')).to.equal(1);
      expect(damerauLevenshtein('headphnes', 'headphones')).to.equal(1);
      expect(damerauLevenshtein('kitten', 'sitting')).to.equal(3);
      expect(damerauLevenshtein('kitten', 'sitting', 1)).to.equal(2);
    });
  });

  describe('GET /store/v1/search', () => {
    let shop: TestTenant;
    before(async () => {
      shop = await makeTenant({ currencies: ['USD', 'CNY'] });
      await makeProduct(shop, { translations: { en: { name: 'Apple iPhone 15 Pro', description: 'The titanium smartphone with a 48 MP camera' }, 'zh-CN': { name: '苹果 iPhone 15 Pro 智能手机', description: '钛金属机身' } } });
      await makeProduct(shop, { translations: { en: { name: 'iPhone 15 silicone case', description: 'A soft case for your phone' }, 'zh-CN': { name: 'iPhone 15 硅胶手机壳' } } });
      await makeProduct(shop, { translations: { en: { name: 'Wireless Headphones', description: 'Over-ear noise cancelling headphones' }, ja: { name: 'ワイヤレスヘッドホン', description: 'ノイズキャンセリング機能付きの密閉型ヘッドホン' } } });
      await makeProduct(shop, { translations: { en: { name: 'Uji Matcha', description: 'Stone-ground green tea powder' }, ja: { name: '宇治抹茶', description: '石臼挽きの抹茶' }, 'zh-CN': { name: '宇治抹茶粉' } } });
      await makeProduct(shop, { translations: { en: { name: 'Crème brûlée torch', description: 'Kitchen blowtorch' } } });
      await makeProduct(shop, { status: 'draft', translations: { en: { name: 'Secret iPhone 16 prototype' } } });
    });

    it('finds English words in names and descriptions, best match first', async () => {
      const res = await search(shop, 'iphone');
      expect(res.status, res.text).to.equal(200);
      expect(names(res)).to.have.members(['Apple iPhone 15 Pro', 'iPhone 15 silicone case']);
      expect(res.body).to.include({ total: 2, corrected: null, nextCursor: null });
      expect(names(await search(shop, 'titanium'))).to.deep.equal(['Apple iPhone 15 Pro']);
      expect(names(await search(shop, 'iphone case'))).to.deep.equal(['iPhone 15 silicone case']);
      expect(names(await search(shop, 'creme brulee')), 'accents do not matter').to.deep.equal(['Crème brûlée torch']);
    });

    it('tolerates typos: "iphnoe" finds the iPhone and says what it understood', async () => {
      const res = await search(shop, 'iphnoe');
      expect(names(res)).to.have.members(['Apple iPhone 15 Pro', 'iPhone 15 silicone case']);
      expect(names(await search(shop, 'iphnoe pro'))).to.deep.equal(['Apple iPhone 15 Pro']);
      expect(res.body.corrected).to.equal('iphone');
      expect(names(await search(shop, 'headphnoes'))).to.deep.equal(['Wireless Headphones']);
      expect(names(await search(shop, 'wireles hedphones'))).to.deep.equal(['Wireless Headphones']);
      expect(names(await search(shop, 'matcah'))).to.deep.equal(['Uji Matcha']);
      expect(names(await search(shop, 'xyzzyq'))).to.deep.equal([]);
    });

    it('finds Chinese text without spaces', async () => {
      expect(names(await search(shop, '智能手机'))).to.deep.equal(['Apple iPhone 15 Pro']);
      expect(names(await search(shop, '手机壳'))).to.deep.equal(['iPhone 15 silicone case']);
      const zh = await search(shop, '手机', '&locale=zh-CN&currency=CNY');
      expect(names(zh)).to.have.members(['苹果 iPhone 15 Pro 智能手机', 'iPhone 15 硅胶手机壳']);
      expect(zh.body.items[0].locale).to.equal('zh-CN');
      expect(names(await search(shop, '抹茶'))).to.deep.equal(['Uji Matcha']);
    });

    it('finds Japanese text, katakana and kanji', async () => {
      expect(names(await search(shop, 'ヘッドホン'))).to.deep.equal(['Wireless Headphones']);
      expect(names(await search(shop, 'ノイズキャンセリング', '&locale=ja'))).to.deep.equal(['ワイヤレスヘッドホン']);
      expect(names(await search(shop, '石臼'))).to.deep.equal(['Uji Matcha']);
    });

    it('never finds drafts, and follows product writes: rename, archive, activate', async () => {
      expect(names(await search(shop, 'prototype'))).to.deep.equal([]);
      const t = await makeTenant();
      const p = await makeProduct(t, { name: 'Walnut Desk' });
      expect(names(await search(t, 'walnut'))).to.deep.equal(['Walnut Desk']);
      await patch(`/admin/v1/products/${p.id}`, { translations: { en: { name: 'Oak Desk', description: 'Solid oak' } } }, { token: t.ownerToken });
      expect(names(await search(t, 'walnut'))).to.deep.equal([]);
      expect(names(await search(t, 'oak'))).to.deep.equal(['Oak Desk']);
      await post(`/admin/v1/products/${p.id}/archive`, undefined, { token: t.ownerToken });
      expect(names(await search(t, 'oak'))).to.deep.equal([]);
      await patch(`/admin/v1/products/${p.id}`, { status: 'active' }, { token: t.ownerToken });
      expect(names(await search(t, 'oak'))).to.deep.equal(['Oak Desk']);
    });

    it('pages results with a cursor', async () => {
      const t = await makeTenant();
      for (let i = 0; i < 3; i++) await makeProduct(t, { name: `Garden chair ${i}` });
      const first = await search(t, 'chair', '&limit=2');
      expect(first.body.items).to.have.length(2);
      expect(first.body.total).to.equal(3);
      const second = await search(t, 'chair', `&limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items).to.have.length(1);
      expect(second.body.nextCursor).to.equal(null);
      expect(new Set([...names(first), ...names(second)]).size).to.equal(3);
    });

    it("keeps stores apart and refuses an empty query", async () => {
      const other = await makeTenant();
      expect(names(await search(other, 'iphone'))).to.deep.equal([]);
      expect((await get('/store/v1/search?q=', { tenant: shop.slug })).status).to.equal(400);
      expect((await get('/store/v1/search', { tenant: shop.slug })).status).to.equal(400);
      expect((await get(`/store/v1/search?q=${'a'.repeat(201)}`, { tenant: shop.slug })).status).to.equal(400);
    });
  });

  describe('GET /store/v1/search/suggest', () => {
    let shop: TestTenant;
    before(async () => {
      shop = await makeTenant();
      await makeProduct(shop, { translations: { en: { name: 'Merino wool sweater', description: 'Warm merino' }, 'zh-CN': { name: '美利奴羊毛衫' } } });
      await makeProduct(shop, { translations: { en: { name: 'Merino socks' }, 'zh-CN': { name: '美利奴袜子' } } });
      await makeProduct(shop, { translations: { en: { name: 'Smartphone stand' }, 'zh-CN': { name: '智能手机支架' } } });
      await makeProduct(shop, { translations: { en: { name: 'Hand cream' }, 'zh-CN': { name: '手工护手霜' } } });
    });

    it('completes what the shopper is typing and offers matching products', async () => {
      const res = await get('/store/v1/search/suggest?q=mer', { tenant: shop.slug });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.suggestions[0]).to.equal('merino');
      expect(res.body.products.map((p: any) => p.name)).to.have.members(['Merino wool sweater', 'Merino socks']);
      const two = await get('/store/v1/search/suggest?q=merino%20so', { tenant: shop.slug });
      expect(two.body.suggestions).to.deep.equal(['merino socks']);
      const typo = await get('/store/v1/search/suggest?q=mernio', { tenant: shop.slug });
      expect(typo.body.suggestions).to.deep.equal(['merino']);
    });

    it('completes Chinese from the characters typed so far', async () => {
      const res = await get(`/store/v1/search/suggest?q=${encodeURIComponent('智能手')}&locale=zh-CN`, { tenant: shop.slug });
      expect(res.body.suggestions).to.deep.equal(['智能手机']);
      expect(res.body.products.map((p: any) => p.name)).to.deep.equal(['智能手机支架']);
    });

    it('refuses an empty or oversized query', async () => {
      expect((await get('/store/v1/search/suggest?q=', { tenant: shop.slug })).status).to.equal(400);
      expect((await get('/store/v1/search/suggest?q=ab&limit=50', { tenant: shop.slug })).status).to.equal(400);
    });
  });

  describe('GET /admin/v1/search/hot-terms', () => {
    it("counts the store's searches (first pages only) and flags those that found nothing", async () => {
      const t = await makeTenant();
      await makeProduct(t, { name: 'Bamboo toothbrush' });
      for (const q of ['bamboo', 'Bamboo ', 'BAMBOO', 'toothbrush', 'unicorn', 'unicorn']) await search(t, q);
      await search(t, 'bamboo', '&cursor=WzFd');
      const res = await get('/admin/v1/search/hot-terms', { token: t.ownerToken });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.days).to.equal(7);
      expect(res.body.items).to.deep.equal([
        { term: 'bamboo', count: 3, zeroResults: 0 },
        { term: 'unicorn', count: 2, zeroResults: 2 },
        { term: 'toothbrush', count: 1, zeroResults: 0 },
      ]);
      const other = await makeTenant();
      expect((await get('/admin/v1/search/hot-terms', { token: other.ownerToken })).body.items).to.deep.equal([]);
      expect((await get('/admin/v1/search/hot-terms?days=0', { token: t.ownerToken })).status).to.equal(400);
      expect((await get('/admin/v1/search/hot-terms?limit=1', { token: t.ownerToken })).body.items).to.have.length(1);
      expect((await get('/admin/v1/search/hot-terms', { tenant: t.slug })).status).to.equal(401);
    });
  });

  describe('POST /admin/v1/search/reindex', () => {
    it('rebuilds the index from active products; needs catalog:write', async () => {
      const t = await makeTenant();
      await makeProduct(t, { name: 'Copper kettle' });
      await makeProduct(t, { name: 'Copper pan', status: 'draft' });
      const res = await post('/admin/v1/search/reindex', undefined, { token: t.ownerToken });
      expect(res.body).to.deep.equal({ indexed: 1 });
      expect(names(await search(t, 'copper'))).to.deep.equal(['Copper kettle']);
      const viewer = await makeStaff(t, 'viewer');
      expect((await post('/admin/v1/search/reindex', undefined, { token: viewer.token })).status).to.equal(403);
    });
  });
});
