// The sweep covers the plugin host and the webhooks plugin: the victim's plugin state, events,
// receipts, endpoints, deliveries and attempts must stay out of the attacker's reach.
import { expect } from 'chai';
import { addSweepFixture } from '../support/sweep.js';
import { makePlatformAdmin } from '../support/factories.js';
import { post, get } from '../support/http.js';
import { runtime } from '../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../core/context.js';
import { scoped } from '../../core/db/model.js';
import { emitEvent } from '../../core/events/emit.js';
import { enablePlugin } from '../../core/plugins/lifecycle.service.js';
import { waitFor } from '../../core/plugins/testkit.js';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../plugins/webhooks/webhooks.model.js';

const byName = "addresses a plugin by name inside the caller's own store; there is no row id of another tenant to try";

addSweepFixture({
  name: 'plugins',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/webhooks/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`webhooks install failed: ${installed.text}`);
    // Every store so far (the attacker too) gets the plugin, so its routes reach their lookups.
    for (const { id } of (await rt.kernel.pool.control('tenants').select('id')) as { id: string }[]) {
      const tenant = await rt.kernel.tenants.byId(id);
      if (tenant) await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant)), 'webhooks');
    }
    const made = await post('/admin/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/victim-hook', events: ['sweep.*'], description: 'victim receiver' }, { token: victim.ownerToken });
    if (made.status !== 201) throw new Error(`endpoint create failed: ${made.text}`);
    const eventId = await emitEvent(victim.ctx, 'sweep.seeded', { secret: 'victim payload' });
    // Port 9 refuses: the first attempt is logged as an error and the delivery waits to retry.
    const attempt = await waitFor(async () => (await scoped(victim.ctx, WebhookAttempt))[0], { what: "the victim's first webhook attempt" });
    return {
      ids: { endpoints: made.body.endpoint.id, deliveries: attempt.deliveryId },
      secrets: [made.body.endpoint.id, made.body.secret, attempt.deliveryId, eventId, 'victim-hook', 'victim receiver', 'victim payload'],
    };
  },
  bodies: {
    'POST /admin/v1/webhooks/endpoints': { url: 'https://hooks.example.com/attacker', events: ['*'] },
    'PATCH /admin/v1/webhooks/endpoints/:id': { description: 'stolen', url: 'https://attacker.example.com/x' },
  },
  skip: {
    'GET /admin/v1/plugins/:name': byName,
    'POST /admin/v1/plugins/:name/enable': byName,
    'PUT /admin/v1/plugins/:name/settings': byName,
    'POST /admin/v1/plugins/:name/disable': byName,
    'DELETE /admin/v1/plugins/:name': byName,
  },
  async verify(victim, seed) {
    const endpoint = await scoped(victim.ctx, WebhookEndpoint).findById(seed.ids.endpoints);
    expect(endpoint, 'victim endpoint still there').not.to.equal(undefined);
    expect(endpoint!.description).to.equal('victim receiver');
    expect(endpoint!.url).to.equal('http://127.0.0.1:9/victim-hook');
    expect(await scoped(victim.ctx, WebhookDelivery).findById(seed.ids.deliveries), 'victim delivery still there').not.to.equal(undefined);
    const plugins = await get('/admin/v1/plugins/webhooks', { token: victim.ownerToken });
    expect(plugins.body.enabled, 'webhooks still on for the victim').to.equal(true);
  },
});
