// (Customer-group routes take the users fixture's victim customer as :id.)
// The sweep covers the logistics plugin: the victim's zones, methods and customer groups must
// stay out of the attacker's reach. Every store so far gets the plugin, so the attacker's
// requests reach their lookups.
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makePlatformAdmin } from '../../support/factories.js';
import { call, post } from '../../support/http.js';
import { runtime } from '../../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { scoped } from '../../../core/db/model.js';
import { enablePlugin } from '../../../core/plugins/lifecycle.service.js';
import { LogisticsCustomerGroup, LogisticsMethod, LogisticsZone } from '../../../plugins/logistics/logistics.model.js';

const ZONE = 'victim-zone-marker';
const METHOD = 'victim-method-marker';

addSweepFixture({
  name: 'logistics',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/logistics/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`logistics install failed: ${installed.text}`);
    for (const { id } of (await rt.kernel.pool.control('tenants').select('id')) as { id: string }[]) {
      const tenant = await rt.kernel.tenants.byId(id);
      if (tenant) await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant)), 'logistics');
    }
    const zone = await post('/admin/v1/logistics/zones', { name: ZONE, areas: [{ country: 'NZ' }] }, { token: victim.ownerToken });
    if (zone.status !== 201) throw new Error(`zone create failed: ${zone.text}`);
    const method = await post('/admin/v1/logistics/methods', { zoneId: zone.body.id, code: 'victim-express', label: METHOD, currency: victim.tenant.defaultCurrency, calculator: { type: 'flat', amount: 123 } }, { token: victim.ownerToken });
    if (method.status !== 201) throw new Error(`method create failed: ${method.text}`);
    const signup = await post('/store/v1/auth/signup', { email: 'logistics-victim@example.com', password: 'correct horse battery', name: 'Victim' }, { tenant: victim.slug });
    if (signup.status !== 201) throw new Error(`signup failed: ${signup.text}`);
    const customerId = signup.body.customer.id as string;
    const groups = await call('PUT', `/admin/v1/logistics/customers/${customerId}/groups`, { token: victim.ownerToken, body: { groups: ['victim-group'] } });
    if (groups.status !== 200) throw new Error(`groups failed: ${groups.text}`);
    return { ids: { zones: zone.body.id, methods: method.body.id }, secrets: [zone.body.id, method.body.id, ZONE, METHOD, 'victim-express', 'victim-group'] };
  },
  bodies: {
    'POST /admin/v1/logistics/zones': { name: 'attacker zone', areas: [{ country: 'NZ' }] },
    'PUT /admin/v1/logistics/zones/:id': { name: 'stolen', areas: [{ country: 'AU' }] },
    'POST /admin/v1/logistics/methods': { zoneId: '00000000-0000-4000-8000-000000000000', code: 'attacker', label: 'x', currency: 'USD', calculator: { type: 'flat', amount: 1 } },
    'PUT /admin/v1/logistics/methods/:id': { zoneId: '00000000-0000-4000-8000-000000000000', code: 'stolen', label: 'x', currency: 'USD', calculator: { type: 'flat', amount: 1 } },
    'PUT /admin/v1/logistics/customers/:id/groups': { groups: ['attacker'] },
  },
  async verify(victim, seed) {
    const zone = await scoped(victim.ctx, LogisticsZone).findById(seed.ids.zones);
    expect(zone?.name, 'victim zone untouched').to.equal(ZONE);
    const method = await scoped(victim.ctx, LogisticsMethod).findById(seed.ids.methods);
    expect(method?.label, 'victim method untouched').to.equal(METHOD);
    const groups = await scoped(victim.ctx, LogisticsCustomerGroup);
    expect(groups.map((g) => g.groupName), 'victim groups untouched').to.deep.equal(['victim-group']);
  },
});
