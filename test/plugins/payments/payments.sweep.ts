// The sweep covers the payments plugin: the victim's gateway keys (write-only settings) must never
// reach the attacker, and the core's payment webhook route, which the plugin's providers answer,
// is swept with the victim's ids like every other route.
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makePlatformAdmin } from '../../support/factories.js';
import { post } from '../../support/http.js';
import { runtime } from '../../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { enablePlugin, getTenantPlugin } from '../../../core/plugins/lifecycle.service.js';

const KEY = 'sk_test_victim_sweep_key';
const WHSEC = 'whsec_victim_sweep_secret';

addSweepFixture({
  name: 'payments',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/payments/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`payments install failed: ${installed.text}`);
    const tenant = await rt.kernel.tenants.byId(victim.tenant.id);
    await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant!)), 'payments', { cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: WHSEC, cardBaseUrl: 'http://127.0.0.1:9' });
    return { ids: { provider: 'stripe' }, secrets: [KEY, WHSEC] };
  },
  async verify(victim) {
    const rt = await runtime();
    const tenant = await rt.kernel.tenants.byId(victim.tenant.id);
    const view = await getTenantPlugin(requireTenant(createSystemCtx(rt.kernel, tenant!)), 'payments');
    expect(view.enabled).to.equal(true);
    expect(view.secretsSet).to.include.members(['cardSecretKey', 'cardWebhookSecrets']);
  },
});
