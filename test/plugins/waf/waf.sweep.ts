// The sweep covers the request filter's events: the victim's blocked request must stay out of
// the attacker's reach. Every store so far gets the filter (the attacker too, so its event routes
// reach their lookups), recording only and without rate limits so the sweep itself passes.
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makePlatformAdmin } from '../../support/factories.js';
import { get, post } from '../../support/http.js';
import { runtime } from '../../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { scoped } from '../../../core/db/model.js';
import { enablePlugin } from '../../../core/plugins/lifecycle.service.js';
import { WafEvent } from '../../../plugins/waf/waf.model.js';

const MARKER = 'victim-waf-marker';

addSweepFixture({
  name: 'waf',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/waf/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`waf install failed: ${installed.text}`);
    for (const { id } of (await rt.kernel.pool.control('tenants').select('id')) as { id: string }[]) {
      const tenant = await rt.kernel.tenants.byId(id);
      const mode = id === victim.tenant.id ? 'block' : 'monitor';
      if (tenant) await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant)), 'waf', { mode, rateLimits: { enabled: false } });
    }
    const blocked = await get(`/store/v1/search?q=${encodeURIComponent(`' union select '${MARKER}' from users--`)}`, { tenant: victim.slug });
    if (blocked.status !== 403) throw new Error(`the victim's attack was not blocked: ${blocked.text}`);
    return { ids: { events: blocked.body.eventId }, secrets: [blocked.body.eventId, MARKER] };
  },
  async verify(victim, seed) {
    const e = await scoped(victim.ctx, WafEvent).findById(seed.ids.events);
    expect(e, 'victim waf event still there').not.to.equal(undefined);
    expect(e!.excerpt).to.include(MARKER);
  },
});
