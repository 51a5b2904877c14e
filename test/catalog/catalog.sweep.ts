import { expect } from 'chai';
import { addSweepFixture } from '../support/sweep.js';
import { get, post } from '../support/http.js';
import { makeProduct, makeCategory } from './support.js';

addSweepFixture({
  name: 'catalog',
  async seed(victim) {
    const parent = await makeCategory(victim, 'Victim Secret Category');
    const category = await makeCategory(victim, 'Victim Hidden Child', parent.id);
    const product = await makeProduct(victim, {
      name: 'Victimonly Telescope',
      attributes: { lens: 'victimglass' },
      categoryIds: [category.id],
      variants: [{ sku: 'VICTIM-SKU-1', options: { aperture: '80mm' }, prices: [{ currency: 'USD', amount: 98765 }], stock: 9 }],
    });
    const variant = product.variants[0];
    const location = await post('/admin/v1/stock-locations', { code: 'victim-warehouse', name: 'Victim Warehouse' }, { token: victim.ownerToken });
    await post(`/admin/v1/variants/${variant.id}/stock/adjustments`, { delta: 3, reason: 'received', note: 'victim delivery', locationId: location.body.id }, { token: victim.ownerToken });
    const search = await get('/store/v1/search?q=victimonly', { tenant: victim.slug });
    expect(search.body.total).to.equal(1);
    return {
      ids: {
        products: product.id,
        idOrSlug: product.id,
        variants: variant.id,
        currency: 'USD',
        categories: category.id,
        'stock-locations': location.body.id,
      },
      secrets: [product.id, variant.id, category.id, parent.id, location.body.id, 'Victimonly Telescope', 'VICTIM-SKU-1', 'Victim Secret Category', 'Victim Warehouse', 'victimglass', 'victim delivery'],
    };
  },
  bodies: {
    'POST /admin/v1/products': { translations: { en: { name: 'Sweep product' } } },
    'PATCH /admin/v1/products/:id': { status: 'archived', translations: { en: { name: 'Stolen' } } },
    'POST /admin/v1/products/:id/variants': { sku: 'SWEEP-1' },
    'PATCH /admin/v1/variants/:id': { sku: 'STOLEN-SKU' },
    'PUT /admin/v1/variants/:id/prices/:currency': { amount: 1 },
    'POST /admin/v1/categories': { names: { en: 'Sweep category' } },
    'PATCH /admin/v1/categories/:id': { names: { en: 'Stolen' } },
    'POST /admin/v1/variants/:id/stock/adjustments': { delta: -9, reason: 'lost' },
    'POST /admin/v1/stock-locations': { code: 'sweep', name: 'Sweep location' },
    'PATCH /admin/v1/stock-locations/:id': { name: 'Stolen' },
  },
  async verify(victim, seed) {
    const as = { token: victim.ownerToken };
    const product = await get(`/admin/v1/products/${seed.ids.products}`, as);
    expect(product.status).to.equal(200);
    expect(product.body.status).to.equal('active');
    expect(product.body.translations.en.name).to.equal('Victimonly Telescope');
    const [variant] = product.body.variants;
    expect(variant).to.deep.include({ sku: 'VICTIM-SKU-1', status: 'active' });
    expect(variant.prices).to.deep.equal([{ currency: 'USD', amount: 98765, compareAtAmount: null }]);
    expect(variant.stock).to.deep.equal({ onHand: 12, reserved: 0, available: 12 });
    expect((await get(`/admin/v1/categories/${seed.ids.categories}`, as)).body.names.en).to.equal('Victim Hidden Child');
    const locations = await get('/admin/v1/stock-locations', as);
    expect(locations.body.items.map((l: { name: string }) => l.name)).to.include('Victim Warehouse');
    const store = await get(`/store/v1/products/${seed.ids.products}`, { tenant: victim.slug });
    expect(store.body.name).to.equal('Victimonly Telescope');
  },
});
