import { expect } from 'chai';
import { get } from '../support/http.js';
import { makeTenant } from '../support/factories.js';
import { runtime } from '../support/runtime.js';
import { seedDemoProducts } from '../../core/catalog/demo-seed.js';

describe('seedDemoProducts', () => {
  it('fills a store with products in four currencies, English and Chinese, categories and stock', async () => {
    const t = await makeTenant({ currencies: ['USD', 'EUR', 'CNY', 'JPY'], defaultCurrency: 'USD' });
    const rt = await runtime();
    expect(await seedDemoProducts(rt.kernel, t.tenant.id)).to.equal(6);
    const en = await get('/store/v1/products', { tenant: t.slug });
    expect(en.body.items).to.have.length(6);
    expect(en.body.items.every((p: any) => p.price && p.image)).to.equal(true);
    const zh = await get('/store/v1/products?currency=JPY', { tenant: t.slug, headers: { 'accept-language': 'zh-CN' } });
    expect(zh.body.items.map((p: any) => p.locale)).to.deep.equal(Array(6).fill('zh-CN'));
    expect(zh.body.items.every((p: any) => p.price.currency === 'JPY' && p.price.formatted.includes('¥'))).to.equal(true);
    const cats = await get('/store/v1/categories', { tenant: t.slug });
    expect(cats.body.items.map((c: any) => c.handle)).to.include.members(['electronics', 'audio', 'phones', 'apparel']);
    const phones = await get('/store/v1/products?category=electronics&inStock=true&currency=CNY', { tenant: t.slug });
    expect(phones.body.items).to.have.length(2);
    const search = await get(`/store/v1/search?q=${encodeURIComponent('耳机')}`, { tenant: t.slug });
    expect(search.body.items.map((p: any) => p.slug)).to.deep.equal(['aurora-wireless-earbuds']);
  });
});
