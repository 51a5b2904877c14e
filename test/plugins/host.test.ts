// The plugin host as tenants, staff and platform admins meet it: a plugin on for one store and
// off for another, its settings, routes, middleware, subscribers, providers and hooks.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../core/plugins/testkit.js';
import { scoped } from '../../core/db/model.js';
import { TenantPlugin } from '../../core/plugins/plugin.model.js';
import { pluginService } from '../../core/plugins/services.js';
import { createSystemCtx } from '../../core/context.js';
import type { PluginCache } from '../../core/public.js';
import loyalty, { LoyaltyPoints } from './fixtures/loyalty/index.js';
import { probe, slowpoke, extras, onboarding } from './fixtures/probe.js';

describe('plugin host', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let shopA: KitTenant;
  let shopB: KitTenant;
  const secret = 'whsec-loyalty-1';

  before(async () => {
    kit = await startTestKit({ plugins: [loyalty, probe, slowpoke, extras, onboarding] });
    shopA = await kit.tenant({ enable: ['probe'] });
    shopB = await kit.tenant({ enable: ['probe'] });
  });
  after(() => kit?.close());

  describe('GET /admin/v1/plugins', () => {
    it('lists the plugins a store may use, with their settings schema and no settings while off', async () => {
      const res = await kit.get('/admin/v1/plugins', { token: shopA.ownerToken });
      expect(res.status).to.equal(200);
      const byName = Object.fromEntries(res.body.items.map((p: { name: string }) => [p.name, p]));
      expect(Object.keys(byName)).to.include.members(['loyalty', 'probe', 'slowpoke', 'loyalty-extras']);
      expect(byName).not.to.have.property('onboarding'); // platform-scoped: not the store's to switch
      expect(byName.loyalty).to.include({ version: '1.2.0', enabled: false, description: 'Points for paid orders' });
      expect(byName.loyalty.settingsSchema.properties).to.have.keys(['pointsPerOrder', 'webhookSecret']);
      expect(byName.loyalty).not.to.have.property('settings');
    });

    it('needs a staff token', async () => {
      const res = await kit.get('/admin/v1/plugins');
      expect(res.status).to.equal(401);
    });
  });

  describe('POST /admin/v1/plugins/:name/enable', () => {
    it('refuses settings that break the schema, naming the field', async () => {
      const res = await kit.enable(shopA, 'loyalty', { pointsPerOrder: 0, colour: 'red' });
      expect(res.status).to.equal(400);
      const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
      expect(pointers).to.include.members(['/settings/pointsPerOrder', '/settings/colour']);
    });

    it('switches the plugin on for one store only; the other sees nothing of it', async () => {
      const res = await kit.enable(shopA, 'loyalty', { pointsPerOrder: 5, webhookSecret: secret });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ enabled: true });
      expect(res.body.settings).to.deep.equal({ pointsPerOrder: 5 }); // the secret is never shown
      expect(res.body.secretsSet).to.deep.equal(['webhookSecret']);

      const a = await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug });
      expect(a.status).to.equal(200);
      expect(a.body).to.include({ greeting: `Welcome to ${shopA.tenant.name}, member!`, pointsPerOrder: 5 });
      expect(a.headers.get('x-loyalty')).to.equal('on');
      // Its prepare saw the store's own settings; another store's, with the schema's defaults filled in.
      expect(a.headers.get('x-loyalty-badge')).to.match(new RegExp(`^${shopA.slug} 5 #\\d+$`));
      const plain = await kit.tenant({ enable: ['loyalty'] });
      const p = await kit.get('/store/v1/loyalty/hello', { tenant: plain.slug });
      expect(p.headers.get('x-loyalty-badge')).to.match(new RegExp(`^${plain.slug} 10 #\\d+$`));
      expect(p.headers.get('x-loyalty-badge')).not.to.equal(a.headers.get('x-loyalty-badge'));

      const b = await kit.get('/store/v1/loyalty/hello', { tenant: shopB.slug });
      const unknown = await kit.get('/store/v1/no-such-plugin/hello', { tenant: shopB.slug });
      expect(b.status).to.equal(404);
      expect(b.body.code).to.equal('ROUTE_NOT_FOUND');
      expect(b.body.title).to.equal(unknown.body.title);
      expect(b.headers.get('x-loyalty')).to.equal(null);
      const bAdmin = await kit.get('/admin/v1/loyalty/points', { token: shopB.ownerToken });
      expect(bAdmin.status).to.equal(404);
      const bView = await kit.get('/admin/v1/plugins/loyalty', { token: shopB.ownerToken });
      expect(bView.body).to.include({ enabled: false });
      expect(bView.body).not.to.have.property('settings');
    });

    it('runs plugin middleware of enabled plugins only, by position and order', async () => {
      const a = await kit.get('/admin/v1/plugins', { token: shopA.ownerToken });
      expect(a.headers.get('x-trace')).to.equal('loyalty, probe:anonymous, probe-after-auth:staff');
      const b = await kit.get('/admin/v1/plugins', { token: shopB.ownerToken });
      expect(b.headers.get('x-trace')).to.equal('probe:anonymous, probe-after-auth:staff');
    });

    it('speaks the store language from the plugin namespace, and titles its own error codes', async () => {
      const zh = await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug, headers: { 'accept-language': 'zh-CN' } });
      expect(zh.body.greeting).to.equal(`欢迎光临${shopA.tenant.name}，会员！`);
      const missing = await kit.get('/store/v1/loyalty/members/m-1', { tenant: shopA.slug });
      expect(missing.status).to.equal(404);
      expect(missing.body).to.include({ code: 'LOYALTY_MEMBER_NOT_FOUND', title: 'Member not found' });
      const missingZh = await kit.get('/store/v1/loyalty/members/m-1', { tenant: shopA.slug, headers: { 'accept-language': 'zh' } });
      expect(missingZh.body.title).to.equal('未找到会员');
    });

    it('counts in the cache under the tenant and the plugin', async () => {
      const first = await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug });
      const second = await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug });
      expect(second.body.visits).to.equal(first.body.visits + 1);
    });

    it('counts many keys of several stores in one call, each store under its own keys', async () => {
      const cache = pluginService('cache:use')!.create(kit.kernel, { name: 'loyalty' }) as PluginCache;
      const [a, b] = [createSystemCtx(kit.kernel, shopA.tenant), createSystemCtx(kit.kernel, shopB.tenant)];
      const key = `batch-${crypto.randomUUID()}`;
      await cache.incr(a, key, 60);
      const counts = await cache.incrMany([
        { ctx: a, key, ttlSeconds: 60 },
        { ctx: b, key, ttlSeconds: 60 },
        { ctx: b, key, ttlSeconds: 60 },
      ]);
      expect(counts.map((c) => c.count)).to.deep.equal([2, 1, 2]);
      expect(counts.every((c) => c.ttlSeconds >= 59 && c.ttlSeconds <= 60)).to.equal(true);
      expect(await cache.peek(a, key)).to.deep.include({ count: 2 });
      expect(await cache.peek(b, key)).to.deep.include({ count: 2 });
    });

    it('refuses a plugin whose requirement is off, and keeps the requirement on while it is needed', async () => {
      const early = await kit.enable(shopB, 'loyalty-extras');
      expect(early.status).to.equal(409);
      expect(early.body).to.include({ code: 'PLUGIN_REQUIREMENT_OFF', requires: 'loyalty' });
      expect((await kit.enable(shopA, 'loyalty-extras')).status).to.equal(200);
      const off = await kit.disable(shopA, 'loyalty');
      expect(off.status).to.equal(409);
      expect(off.body).to.include({ code: 'PLUGIN_REQUIRED_BY' });
      expect(off.body.requiredBy).to.deep.equal(['loyalty-extras']);
      expect((await kit.disable(shopA, 'loyalty-extras')).status).to.equal(200);
    });

    it('answers 404 for a plugin that does not exist or is not the store\'s to enable', async () => {
      expect((await kit.enable(shopA, 'nothing-here')).status).to.equal(404);
      expect((await kit.enable(shopA, 'onboarding')).body.code).to.equal('PLUGIN_NOT_FOUND');
    });
  });

  describe('a route that sees the raw body', () => {
    it("checks a provider's signature over the exact bytes and answers in the provider's format", async () => {
      const body = '{ "event":"paid",  "amount": 1250 }\n';
      const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
      const ok = await kit.request('POST', '/store/v1/loyalty/provider-webhook', { tenant: shopA.slug, raw: body, headers: { 'x-signature': signature } });
      expect(ok.status).to.equal(200);
      expect(ok.text).to.equal('success');
      expect(ok.headers.get('content-type')).to.match(/^text\/plain/);
      const forged = await kit.request('POST', '/store/v1/loyalty/provider-webhook', { tenant: shopA.slug, raw: body.replace('1250', '9999'), headers: { 'x-signature': signature } });
      expect(forged.status).to.equal(401);
      expect(forged.text).to.equal('bad signature');
    });
  });

  describe('PUT /admin/v1/plugins/:name/settings', () => {
    it('validates every write and keeps a secret that is not sent again', async () => {
      const bad = await kit.put('/admin/v1/plugins/loyalty/settings', { settings: { pointsPerOrder: 'many' } }, { token: shopA.ownerToken });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/settings/pointsPerOrder');
      const good = await kit.put('/admin/v1/plugins/loyalty/settings', { settings: { pointsPerOrder: 7 } }, { token: shopA.ownerToken });
      expect(good.status).to.equal(200);
      expect(good.body.settings).to.deep.equal({ pointsPerOrder: 7 });
      expect(good.body.secretsSet).to.deep.equal(['webhookSecret']);
      const [after, again] = [await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug }), await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug })];
      // The middleware's prepared value follows the change at once, and is made once, not per request.
      expect(after.headers.get('x-loyalty-badge')).to.match(new RegExp(`^${shopA.slug} 7 #\\d+$`));
      expect(again.headers.get('x-loyalty-badge')).to.equal(after.headers.get('x-loyalty-badge'));
      const body = '{"event":"again"}';
      const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
      const ok = await kit.request('POST', '/store/v1/loyalty/provider-webhook', { tenant: shopA.slug, raw: body, headers: { 'x-signature': signature } });
      expect(ok.text).to.equal('success');
    });

    it('refuses to configure a plugin that is off for the store', async () => {
      const res = await kit.put('/admin/v1/plugins/loyalty/settings', { settings: { pointsPerOrder: 3 } }, { token: shopB.ownerToken });
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('PLUGIN_DISABLED');
    });
  });

  describe('subscribers', () => {
    it('run for the stores that have the plugin on, once per event', async () => {
      const a = await kit.emit(shopA, 'drill.completed', { customer: 'c-1' });
      const b = await kit.emit(shopB, 'drill.completed', { customer: 'c-2' });
      await kit.waitFor(async () => (await scoped(shopA.ctx, LoyaltyPoints).where('event_id', a)).length === 1, { what: 'points for shop A' });
      const res = await kit.get('/admin/v1/loyalty/points', { token: shopA.ownerToken });
      expect(res.body.items.map((i: { eventId: string; points: number }) => [i.eventId, i.points])).to.deep.include([a, 7]);
      await new Promise((r) => setTimeout(r, 300));
      expect(await scoped(shopB.ctx, LoyaltyPoints)).to.deep.equal([]);
      expect(res.body.items.some((i: { eventId: string }) => i.eventId === b)).to.equal(false);
    });
  });

  describe('providers and hooks', () => {
    it("give the core the enabled plugins' providers and hook answers, per store", async () => {
      const a = await kit.post('/store/v1/probe/checkout', { subtotal: 10_000 }, { tenant: shopA.slug });
      expect(a.status).to.equal(200);
      expect(a.body).to.deep.include({ total: 9_000, rates: ['loyalty-rates'] });
      expect(a.body.adjustments).to.deep.equal([{ label: 'member discount', amount: -1000 }]);
      const b = await kit.post('/store/v1/probe/checkout', { subtotal: 10_000 }, { tenant: shopB.slug });
      expect(b.body).to.deep.include({ total: 10_000, rates: [], adjustments: [] });
      const metrics = await kit.get('/metrics');
      expect(metrics.text).to.include(`bazaar_plugin_probe_checkouts_total{kind="probe",tenant="${shopA.slug}"} 1`);
    });

    it('a hook that throws or overruns its budget loses its part; the request still answers and leaks nothing', async () => {
      expect((await kit.enable(shopB, 'slowpoke')).status).to.equal(200);
      const started = Date.now();
      const res = await kit.post('/store/v1/probe/checkout', { subtotal: 10_000 }, { tenant: shopB.slug });
      expect(Date.now() - started).to.be.below(1000);
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(10_000);
      expect(res.body.dropped).to.deep.equal([
        { source: 'slowpoke', failure: 'timeout' },
        { source: 'slowpoke', failure: 'error' },
      ]);
      expect(res.text).not.to.match(/secret internal detail|at .*\.ts:\d+/);
      const lines = kit.logs.filter((l) => l.level === 50 && l.hook === 'testkit.adjust' && l.source === 'slowpoke');
      expect(lines.map((l) => l.msg)).to.include.members(['hook ran past its time budget; its part was dropped', 'hook failed; its part was dropped']);
      expect(lines.some((l) => String(l.err?.message).includes('secret internal detail'))).to.equal(true);
    });
  });

  describe('scheduled work', () => {
    it('runs for each store that has the plugin on', async () => {
      await kit.waitFor(async () => (await kit.get('/store/v1/probe/ticks', { tenant: shopA.slug })).body.ticks >= 2, { what: 'ticks for shop A' });
      expect((await kit.disable(shopB, 'probe')).status).to.equal(200);
      const before = (await kit.get('/store/v1/probe/ticks', { tenant: shopA.slug })).body.ticks;
      await new Promise((r) => setTimeout(r, 350));
      expect((await kit.get('/store/v1/probe/ticks', { tenant: shopA.slug })).body.ticks).to.be.above(before);
      expect((await kit.get('/store/v1/probe/ticks', { tenant: shopB.slug })).status).to.equal(404);
      expect((await kit.enable(shopB, 'probe')).status).to.equal(200);
    });
  });

  describe('POST /admin/v1/plugins/:name/disable and DELETE /admin/v1/plugins/:name', () => {
    it('disable hides the plugin again and stops its subscribers; the data stays', async () => {
      expect((await kit.disable(shopA, 'loyalty')).status).to.equal(200);
      expect((await kit.get('/store/v1/loyalty/hello', { tenant: shopA.slug })).status).to.equal(404);
      const view = await kit.get('/admin/v1/plugins/loyalty', { token: shopA.ownerToken });
      expect(view.body).to.include({ enabled: false });
      expect(view.body).not.to.have.property('settings');
      const id = await kit.emit(shopA, 'drill.completed', { customer: 'c-3' });
      await new Promise((r) => setTimeout(r, 400));
      expect(await scoped(shopA.ctx, LoyaltyPoints).where('event_id', id)).to.deep.equal([]);
      expect((await scoped(shopA.ctx, LoyaltyPoints)).length).to.be.greaterThan(0);
    });

    it('uninstall keeps the data by default and drops it on request', async () => {
      expect((await kit.enable(shopA, 'loyalty', { webhookSecret: secret })).body.settings).to.deep.equal({ pointsPerOrder: 10 });
      expect((await kit.del('/admin/v1/plugins/loyalty', { token: shopA.ownerToken })).status).to.equal(204);
      expect((await scoped(shopA.ctx, LoyaltyPoints)).length).to.be.greaterThan(0);
      expect(await scoped(shopA.ctx, TenantPlugin).where('plugin', 'loyalty')).to.deep.equal([]);
      const again = await kit.enable(shopA, 'loyalty');
      expect(again.body.settings).to.deep.equal({ pointsPerOrder: 10 }); // settings were forgotten
      expect(again.body.secretsSet).to.deep.equal([]);
      expect((await kit.del('/admin/v1/plugins/loyalty?data=drop', { token: shopA.ownerToken })).status).to.equal(204);
      expect(await scoped(shopA.ctx, LoyaltyPoints)).to.deep.equal([]);
    });
  });

  describe('Platform API', () => {
    it('lists every loaded plugin with its install state', async () => {
      const res = await kit.get('/platform/v1/plugins', { token: await kit.platformToken() });
      expect(res.status).to.equal(200);
      const loyaltyRow = res.body.items.find((p: { name: string }) => p.name === 'loyalty');
      expect(loyaltyRow).to.include({ installed: true, installedVersion: '1.2.0', availableTo: 'all', scope: 'tenant', origin: 'inline' });
      expect(res.body.items.find((p: { name: string }) => p.name === 'onboarding')).to.include({ scope: 'platform' });
      expect((await kit.get('/platform/v1/plugins', { token: shopA.ownerToken })).status).to.equal(401);
    });

    it('decides which stores may enable a plugin', async () => {
      const token = await kit.platformToken();
      expect((await kit.post('/platform/v1/plugins/loyalty/install', { availableTo: 'selected' }, { token })).body.availableTo).to.equal('selected');
      expect((await kit.get('/admin/v1/plugins/loyalty', { token: shopB.ownerToken })).status).to.equal(404);
      expect((await kit.enable(shopB, 'loyalty')).body.code).to.equal('PLUGIN_NOT_FOUND');

      const allow = await kit.put(`/platform/v1/tenants/${shopB.tenant.id}/plugins/loyalty`, { allowed: true }, { token });
      expect(allow.status).to.equal(200);
      expect(allow.body).to.include({ allowed: true, allowedBy: 'platform', enabled: false });
      expect((await kit.enable(shopB, 'loyalty')).status).to.equal(200);
      expect((await kit.get('/store/v1/loyalty/hello', { tenant: shopB.slug })).status).to.equal(200);

      const forbid = await kit.put(`/platform/v1/tenants/${shopB.tenant.id}/plugins/loyalty`, { allowed: false }, { token });
      expect(forbid.body).to.include({ allowed: false, enabled: false });
      expect((await kit.get('/store/v1/loyalty/hello', { tenant: shopB.slug })).status).to.equal(404);
      const list = await kit.get(`/platform/v1/tenants/${shopB.tenant.id}/plugins`, { token });
      expect(list.body.items.find((p: { name: string }) => p.name === 'loyalty')).to.include({ allowed: false, installed: true });
      await kit.post('/platform/v1/plugins/loyalty/install', { availableTo: 'all' }, { token });
    });

    it('a platform-scoped plugin acts with platform permissions: it provisions a store', async () => {
      const token = await kit.platformToken();
      const res = await kit.post('/platform/v1/onboarding/approvals', { slug: 'approved-merchant', email: 'm@merchant.test' }, { token });
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ slug: 'approved-merchant', tenantStatus: 'active' });
      expect(await kit.kernel.tenants.bySlug('approved-merchant')).to.include({ name: 'Merchant approved-merchant' });
      expect((await kit.post('/platform/v1/onboarding/approvals', { slug: 'x-merchant', email: 'x@merchant.test' }, { token: shopA.ownerToken })).status).to.equal(401);
    });

    it('uninstall with drop-data removes the tables, and a store loses the plugin', async () => {
      const token = await kit.platformToken();
      expect((await kit.del('/platform/v1/plugins/loyalty?data=drop', { token })).status).to.equal(409); // loyalty-extras needs it
      expect((await kit.del('/platform/v1/plugins/loyalty-extras', { token })).status).to.equal(204);
      expect((await kit.del('/platform/v1/plugins/loyalty?data=drop', { token })).status).to.equal(204);
      expect(await kit.kernel.pool.control.schema.hasTable('loyalty_points')).to.equal(false);
      expect((await kit.get('/admin/v1/plugins/loyalty', { token: shopA.ownerToken })).status).to.equal(404);
      const reinstall = await kit.post('/platform/v1/plugins/loyalty/install', {}, { token });
      expect(reinstall.body).to.include({ installed: true });
      expect(await kit.kernel.pool.control.schema.hasTable('loyalty_points')).to.equal(true);
      const audit = await kit.get('/platform/v1/audit?action=plugin.uninstalled', { token });
      expect(audit.body.items.length).to.be.greaterThan(0);
    });
  });
});
