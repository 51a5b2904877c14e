// The sweep covers the cross-border plugin's markets, rates and source state: every store gets
// the plugin (the attacker too, so its routes reach their lookups), on manual rates so nothing
// is fetched.
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makePlatformAdmin } from '../../support/factories.js';
import { call, patch, post } from '../../support/http.js';

const put = (path: string, body: unknown, opts: { token: string }) => call('PUT', path, { ...opts, body });
import { runtime } from '../../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { scoped } from '../../../core/db/model.js';
import { enablePlugin } from '../../../core/plugins/lifecycle.service.js';
import { Market } from '../../../plugins/cross-border/cross-border.model.js';

const MARKER = 'victim-market-marker';
const market = { code: 'sweep', name: 'Sweep market', countries: ['FR'], currency: 'EUR' };

addSweepFixture({
  name: 'cross-border',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/cross-border/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`cross-border install failed: ${installed.text}`);
    for (const { id } of (await rt.kernel.pool.control('tenants').select('id')) as { id: string }[]) {
      const tenant = await rt.kernel.tenants.byId(id);
      if (tenant) await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant)), 'cross-border', { rateSource: 'manual' });
    }
    await patch('/admin/v1/store', { currencies: ['USD', 'EUR'] }, { token: victim.ownerToken });
    const made = await post('/admin/v1/cross-border/markets', { ...market, code: 'victim', name: MARKER }, { token: victim.ownerToken });
    if (made.status !== 201) throw new Error(`victim market: ${made.text}`);
    const rate = await post('/admin/v1/cross-border/rates', { base: 'USD', quote: 'EUR', rate: '0.9' }, { token: victim.ownerToken });
    if (rate.status !== 201) throw new Error(`victim rate: ${rate.text}`);
    const fetched = await post('/admin/v1/cross-border/rates/fetch', {}, { token: victim.ownerToken });
    if (fetched.status !== 200) throw new Error(`victim fetch: ${fetched.text}`);
    const text = await put('/admin/v1/cross-border/translations/product/victim-entity/fr', { fields: { name: MARKER } }, { token: victim.ownerToken });
    if (text.status !== 200) throw new Error(`victim translation: ${text.text}`);
    return { ids: { markets: made.body.id, entityType: 'product', entityId: 'victim-entity', locale: 'fr' }, secrets: [made.body.id, MARKER] };
  },
  bodies: {
    'POST /admin/v1/cross-border/markets': market,
    'PUT /admin/v1/cross-border/markets/:id': market,
    'POST /admin/v1/cross-border/rates': { base: 'USD', quote: 'EUR', rate: '0.8' },
  },
  skip: {
    'PUT /admin/v1/cross-border/translations/:entityType/:entityId/:locale': "an upsert: the attacker's PUT writes the attacker's own row under those names",
  },
  async verify(victim, seed) {
    const m = await scoped(victim.ctx, Market).findById(seed.ids.markets);
    expect(m, 'victim market still there').not.to.equal(undefined);
    expect(m!.name).to.equal(MARKER);
  },
});
