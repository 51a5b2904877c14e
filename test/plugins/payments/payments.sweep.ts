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
import { newId } from '../../../core/db/ids.js';
import { scoped } from '../../../core/db/model.js';
import { PaymentStateLog, PaymentStateRow } from '../../../plugins/payments/tracker.js';
import { SIMULATOR_KEY, cardSimulator, type SimIntent } from '../../../plugins/payments/simulator.js';

// A card simulator intent of the victim's: its client secret is what the simulator's card form takes.
const victimIntent = (tenantId: string) => cardSimulator.handle('POST', '/v1/payment_intents', { authorization: `Bearer ${SIMULATOR_KEY}` },
  new URLSearchParams({ amount: '777', currency: 'usd', 'metadata[bazaar_tenant]': tenantId, 'metadata[bazaar_payment]': 'victim-payment', 'metadata[bazaar_order]': 'victim-order' }).toString()).body as SimIntent;
let secret = '';

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
    // A payment's gateway-side state and log (payments_states, payments_state_log).
    const paymentId = newId();
    const orderId = newId();
    await scoped(victim.ctx, PaymentStateRow).insert({
      id: paymentId, orderId, orderNumber: 424242, provider: 'stripe', method: 'card', reference: 'pi_victim_sweep_marker', state: 'authorized', currency: 'USD',
      totalAmount: 777, authorizedAmount: 777, capturedAmount: 0, refundedAmount: 0, authorizedAt: new Date().toISOString(), captureDeadlineAt: new Date(Date.now() + 3_600_000).toISOString(), warnedAt: null,
    });
    await scoped(victim.ctx, PaymentStateLog).insert({ paymentId, source: 'webhook', event: 'authorized', amount: 777, fromState: 'pending', toState: 'authorized', outcome: 'moved', detail: 'victim-log-marker', createdAt: new Date().toISOString() });
    const pi = victimIntent(victim.tenant.id);
    secret = pi.client_secret;
    return { ids: { provider: 'stripe', states: paymentId }, secrets: [KEY, WHSEC, paymentId, orderId, 'pi_victim_sweep_marker', 'victim-log-marker', pi.id] };
  },
  bodies: {
    get 'POST /store/v1/payments/simulator/confirm'() {
      return { clientSecret: secret, card: '4242424242424242' };
    },
    get 'POST /store/v1/payments/simulator/3ds'() {
      return { clientSecret: secret, result: 'pass' };
    },
  },
  async verify(victim, seed) {
    const rt = await runtime();
    const tenant = await rt.kernel.tenants.byId(victim.tenant.id);
    const view = await getTenantPlugin(requireTenant(createSystemCtx(rt.kernel, tenant!)), 'payments');
    expect(view.enabled).to.equal(true);
    expect(view.secretsSet).to.include.members(['cardSecretKey', 'cardWebhookSecrets']);
    const row = await scoped(victim.ctx, PaymentStateRow).findById(seed.ids.states);
    expect(row?.state, 'victim payment state untouched').to.equal('authorized');
    expect(cardSimulator.byClientSecret(secret)?.status, 'the victim\'s intent was not confirmed by the attacker').to.equal('requires_payment_method');
  },
});
