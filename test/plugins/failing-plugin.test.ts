// A failing plugin is isolated (issue 17, item 16): its middleware or prepare that throws or
// hangs is skipped and counted, the request goes on, other plugins and stores are untouched;
// five failures in a row suspend it in that store for a while; a fail-closed one answers 503.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../core/plugins/testkit.js';
import { definePlugin, ForbiddenError } from '../../core/public.js';
import { FAILURES_TO_SUSPEND, SUSPEND_MS } from '../../core/plugins/health.js';
import { hostOf } from '../../core/plugins/host.js';
import { probe, slowpoke } from './fixtures/probe.js';

/** How often each store's request reached boom's handle. */
const calls = new Map<string, number>();

const boom = definePlugin({
  name: 'boom',
  version: '0.1.0',
  core: '>=0.1.0',
  settingsSchema: { type: 'object', additionalProperties: false, properties: { brokenPrepare: { type: 'boolean', default: false } } },
  register(api) {
    api.middleware<{ broken: boolean }>({
      name: 'explode',
      position: 'afterTenant',
      budgetMs: 100,
      prepare(settings) {
        if (settings.brokenPrepare) throw new TypeError('cannot read the compiled rules');
        return { broken: false };
      },
      async handle(ctx, http, next) {
        const slug = ctx.tenant?.slug ?? '-';
        calls.set(slug, (calls.get(slug) ?? 0) + 1);
        const mode = http.get('x-boom');
        if (mode === 'throw') throw new TypeError("Cannot read properties of undefined (reading 'rules')");
        if (mode === 'hang') await new Promise(() => undefined);
        if (mode === 'refuse') throw new ForbiddenError('BOOM_REFUSED', 'boom refuses this request');
        http.append('X-Trace', 'boom');
        await next();
        if (mode === 'after') throw new Error('failed after the answer was made');
      },
    });
  },
});

const neighbour = definePlugin({
  name: 'neighbour',
  version: '0.1.0',
  core: '>=0.1.0',
  register(api) {
    api.middleware({
      name: 'mark',
      position: 'afterAuth',
      async handle(_ctx, http, next) {
        http.append('X-Trace', 'neighbour');
        await next();
      },
    });
  },
});

const guard = definePlugin({
  name: 'guard',
  version: '0.1.0',
  core: '>=0.1.0',
  register(api) {
    api.middleware({
      name: 'check',
      position: 'afterTenant',
      failClosed: true,
      async handle(_ctx, http, next) {
        if (http.get('x-guard') === 'throw') throw new Error('rule engine down');
        await next();
      },
    });
  },
});

describe('a failing plugin', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let shop: KitTenant;
  let other: KitTenant;

  before(async () => {
    kit = await startTestKit({ plugins: [boom, neighbour, guard, probe, slowpoke] });
    shop = await kit.tenant({ enable: ['boom', 'neighbour'] });
    other = await kit.tenant({ enable: ['boom', 'neighbour'] });
  });
  after(() => kit?.close());

  const storeGet = (t: KitTenant, headers: Record<string, string> = {}) => kit.get('/store/v1/store', { tenant: t.slug, headers });
  const health = async (t: KitTenant, name: string) => (await kit.get(`/admin/v1/plugins/${name}`, { token: t.ownerToken })).body.health;

  it('throwing in its middleware: the request goes on without it, other plugins run, the failure is counted and shown', async () => {
    expect(await health(shop, 'boom')).to.deep.equal({ status: 'ok', failures: 0, lastFailure: null, suspendedUntil: null });
    const res = await storeGet(shop, { 'x-boom': 'throw' });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.slug).to.equal(shop.slug);
    expect(res.headers.get('x-trace')).to.equal('neighbour');
    const h = await health(shop, 'boom');
    expect(h).to.include({ status: 'failing', failures: 1, suspendedUntil: null });
    expect(h.lastFailure).to.include({ point: 'middleware:explode', kind: 'error' });
    expect(kit.logs.some((l) => l.level === 50 && l.plugin === 'boom' && l.point === 'middleware:explode')).to.equal(true);
    const metrics = await kit.kernel.metrics.registry.getSingleMetricAsString('bazaar_plugin_failures_total');
    expect(metrics).to.include('plugin="boom",point="middleware:explode",kind="error"} 1');
    const platform = await kit.get('/platform/v1/plugins', { token: await kit.platformToken() });
    expect(platform.body.items.find((p: { name: string }) => p.name === 'boom').health).to.include({ failures: 1 });
  });

  it('hanging past its budget: the request goes on after it, counted as a timeout', async () => {
    const started = Date.now();
    const res = await storeGet(shop, { 'x-boom': 'hang' });
    expect(res.status, res.text).to.equal(200);
    expect(Date.now() - started).to.be.below(1500);
    expect((await health(shop, 'boom')).lastFailure).to.include({ point: 'middleware:explode', kind: 'timeout' });
  });

  it('failing after the answer was made: the answer stands', async () => {
    const res = await storeGet(shop, { 'x-boom': 'after' });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-trace')).to.equal('boom, neighbour');
    expect((await health(shop, 'boom')).failures).to.equal(3);
  });

  it("its own refusal (an AppError under 500) is its answer, and errors from further down are the route's", async () => {
    const refused = await storeGet(shop, { 'x-boom': 'refuse' });
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('BOOM_REFUSED');
    const missing = await kit.get('/store/v1/products/no-such-product', { tenant: shop.slug });
    expect(missing.status).to.equal(404);
    expect(missing.headers.get('x-trace')).to.equal('boom, neighbour');
    expect((await health(shop, 'boom')).failures).to.equal(3);
  });

  it('throwing in prepare: the middleware is skipped for that store, the store still answers', async () => {
    const t = await kit.tenant({ enable: ['neighbour'] });
    expect((await kit.enable(t, 'boom', { brokenPrepare: true })).status).to.equal(200);
    const res = await storeGet(t);
    expect(res.status, res.text).to.equal(200);
    expect(res.headers.get('x-trace')).to.equal('neighbour');
    expect((await health(t, 'boom')).lastFailure).to.include({ point: 'prepare:explode', kind: 'error' });
  });

  it(`after ${FAILURES_TO_SUSPEND} failures in a row it is suspended in that store only`, async () => {
    const t = await kit.tenant({ enable: ['boom'] });
    for (let i = 0; i < FAILURES_TO_SUSPEND; i++) expect((await storeGet(t, { 'x-boom': 'throw' })).status).to.equal(200);
    const before = calls.get(t.slug);
    const skipped = await storeGet(t, { 'x-boom': 'throw' });
    expect(skipped.status).to.equal(200);
    expect(calls.get(t.slug), 'a suspended plugin is not run').to.equal(before);
    const h = await health(t, 'boom');
    expect(h.status).to.equal('suspended');
    expect(Date.parse(h.suspendedUntil) - Date.now()).to.be.within(1000, 31_000);
    // The other store still runs it.
    const elsewhere = await storeGet(other);
    expect(elsewhere.headers.get('x-trace')).to.equal('boom, neighbour');
  });

  it(`after ${SUSPEND_MS / 1000} s one request tries it again: a failure suspends it at once, a success closes the circuit`, async () => {
    const health$ = hostOf(kit.kernel).health;
    let offset = 0;
    health$.now = () => Date.now() + offset;
    try {
      const t = await kit.tenant({ enable: ['boom'] });
      for (let i = 0; i < FAILURES_TO_SUSPEND; i++) await storeGet(t, { 'x-boom': 'throw' });
      expect((await health(t, 'boom')).status).to.equal('suspended');
      const suspended = calls.get(t.slug);
      await storeGet(t, { 'x-boom': 'throw' });
      expect(calls.get(t.slug), 'not run while suspended').to.equal(suspended);

      // The suspension is over: the next request runs the plugin once more (half-open). It fails
      // again, so it is suspended again straight away, without five more failures.
      offset += SUSPEND_MS + 1;
      const retried = await storeGet(t, { 'x-boom': 'throw' });
      expect(retried.status).to.equal(200);
      expect(calls.get(t.slug), 'tried again after the suspension').to.equal(suspended! + 1);
      const again = await health(t, 'boom');
      expect(again.status).to.equal('suspended');
      expect(Date.parse(again.suspendedUntil) - (Date.now() + offset)).to.be.within(SUSPEND_MS - 5000, SUSPEND_MS);
      await storeGet(t);
      expect(calls.get(t.slug), 'suspended again after the failed try').to.equal(suspended! + 1);

      // Another suspension later it recovers: the try succeeds and the plugin runs on every request.
      offset += SUSPEND_MS + 1;
      const recovered = await storeGet(t);
      expect(recovered.headers.get('x-trace')).to.equal('boom');
      const after = await storeGet(t);
      expect(after.headers.get('x-trace')).to.equal('boom');
      expect(calls.get(t.slug)).to.equal(suspended! + 3);
      expect((await health(t, 'boom')).suspendedUntil).to.equal(null);
    } finally {
      health$.now = Date.now;
    }
  });

  it('a fail-closed plugin that fails answers 503 problem+json instead of letting the request through', async () => {
    const t = await kit.tenant({ enable: ['guard'] });
    expect((await storeGet(t)).status).to.equal(200);
    const res = await storeGet(t, { 'x-guard': 'throw' });
    expect(res.status).to.equal(503);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(res.body.code).to.equal('PLUGIN_UNAVAILABLE');
    expect(res.text).not.to.include('rule engine down');
  });

  it("a hook's failures and overruns count toward its plugin's health", async () => {
    const t = await kit.tenant({ enable: ['probe', 'slowpoke'] });
    const res = await kit.post('/store/v1/probe/checkout', { subtotal: 1000 }, { tenant: t.slug });
    expect(res.status).to.equal(200);
    expect(res.body.dropped.map((d: { failure: string }) => d.failure).sort()).to.deep.equal(['error', 'timeout']);
    // The overrun is noticed by the host's watchdog, which looks every 50 ms.
    const h = await kit.waitFor(async () => {
      const now = await health(t, 'slowpoke');
      return now.failures === 2 && now;
    }, { what: 'two failures of slowpoke', timeoutMs: 3000 });
    expect(h.lastFailure.point).to.equal('hook:testkit.adjust');
  });
});
