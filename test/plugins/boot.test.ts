// Boot refuses a plugin it cannot trust, with one line naming the plugin and what is wrong.
import { expect } from 'chai';
import path from 'node:path';
import { createRuntime, type Runtime } from '../../core/server.js';
import { definePlugin } from '../../core/plugins/manifest.js';
import { hostOf } from '../../core/plugins/host.js';
import { discoverBuiltIns } from '../../core/plugins/discover.js';
import type { PluginDefinition } from '../../core/plugins/types.js';
import { testConfig } from '../support/runtime.js';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

function plugin(over: Record<string, unknown>): PluginDefinition {
  return { name: 'sample', version: '1.0.0', core: '^0.1.0', register() {}, ...over } as PluginDefinition;
}

async function boot(inline: unknown[], extra: { env?: Record<string, string>; builtIns?: string | false } = {}): Promise<Runtime> {
  const config = testConfig({ DATABASE_URL: 'sqlite::memory:', ...extra.env });
  return createRuntime({ config, role: 'web', migrate: false, plugins: { builtIns: extra.builtIns ?? false, inline: inline as PluginDefinition[] } });
}

async function bootError(inline: unknown[], extra: { env?: Record<string, string>; builtIns?: string | false } = {}): Promise<string> {
  try {
    const rt = await boot(inline, extra);
    await rt.close();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('boot succeeded but should have failed');
}

describe('plugin boot checks', () => {
  describe('a broken manifest', () => {
    it('names the plugin and the field', async () => {
      expect(await bootError([plugin({ version: '1.x' })])).to.equal('plugin "sample" (inline): manifest field "version" must be a semantic version such as 1.0.0 (got "1.x")');
      expect(await bootError([plugin({ core: 'latest' })])).to.match(/^plugin "sample" \(inline\): manifest field "core" must be a semver range/);
      expect(await bootError([plugin({ name: 'Bad_Name' })])).to.match(/^plugin "Bad_Name" \(inline\): manifest field "name" must be lowercase letters/);
      expect(await bootError([plugin({ register: undefined })])).to.equal('plugin "sample" (inline): manifest field "register" is required');
      expect(await bootError([plugin({ permision: ['cache:use'] })])).to.equal('plugin "sample" (inline): manifest field "permision" is not a manifest field (a typo?)');
      expect(await bootError([plugin({ scope: 'global' })])).to.match(/manifest field "scope" must be "tenant" or "platform"/);
    });

    it('names an unknown permission, and a platform permission on a tenant plugin', async () => {
      expect(await bootError([plugin({ permissions: ['orders:everything'] })])).to.match(/^plugin "sample" \(inline\): manifest field "permissions.0": "orders:everything" is not a permission this core knows/);
      expect(await bootError([plugin({ permissions: ['cache:use', 'tenants:provision'] })])).to.equal('plugin "sample" (inline): manifest field "permissions.1": "tenants:provision" is for platform plugins; this plugin\'s scope is "tenant"');
    });

    it('names a settings or options schema that is not JSON Schema, and bad options', async () => {
      expect(await bootError([plugin({ settingsSchema: { type: 'nonsense' } })])).to.match(/^plugin "sample" \(inline\): manifest field "settingsSchema" is not a valid JSON Schema/);
      expect(await bootError([plugin({ scope: 'platform', settingsSchema: { type: 'object' } })])).to.match(/a platform plugin has no per-tenant settings/);
      const withOptions = plugin({ optionsSchema: { type: 'object', required: ['apiBase'], properties: { apiBase: { type: 'string', format: 'uri' } } } });
      expect(await bootError([withOptions])).to.equal('plugin "sample" (inline): option "/" must have required property \'apiBase\' (BAZAAR_PLUGIN_OPTIONS.sample)');
      expect(await bootError([withOptions], { env: { BAZAAR_PLUGIN_OPTIONS: '{"sample":{"apiBase":"not a uri"}}' } })).to.match(/option "\/apiBase" must match format "uri"/);
      expect(await bootError([plugin({})], { env: { BAZAAR_PLUGIN_OPTIONS: '{"sample":{"x":1}}' } })).to.match(/takes no options/);
    });

    it('names a model whose table is outside the plugin prefix', async () => {
      const { TenantModel } = await import('../../core/db/model.js');
      class Stray extends TenantModel {
        static override tableName = 'stray_things';
      }
      expect(await bootError([plugin({ models: [Stray] })])).to.equal('plugin "sample" (inline): manifest field "models.0": table "stray_things" must start with "sample_"');
    });
  });

  describe('requirements', () => {
    it('a missing requirement names both plugins', async () => {
      expect(await bootError([plugin({ name: 'shipping-labels', requires: { logistics: '^1.0.0' } })])).to.equal('plugin "shipping-labels" (inline) requires plugin "logistics" (^1.0.0), which is not present');
    });

    it('an incompatible requirement names the versions', async () => {
      const msg = await bootError([plugin({ name: 'logistics', version: '1.4.0' }), plugin({ name: 'shipping-labels', requires: { logistics: '^2.0.0' } })]);
      expect(msg).to.equal('plugin "shipping-labels" (inline) requires plugin "logistics" ^2.0.0, but "logistics" is 1.4.0 (inline)');
    });

    it('a cycle names the plugins around it', async () => {
      const msg = await bootError([plugin({ name: 'alpha', requires: { beta: '*' } }), plugin({ name: 'beta', requires: { gamma: '*' } }), plugin({ name: 'gamma', requires: { alpha: '*' } })]);
      expect(msg).to.equal('plugin requirement cycle: alpha -> beta -> gamma -> alpha');
    });

    it('an incompatible core, a duplicate, or a name that shadows core routes', async () => {
      expect(await bootError([plugin({ core: '^2.0.0' })])).to.equal('plugin "sample" (inline) needs core ^2.0.0, but this is core 0.1.0');
      expect(await bootError([plugin({}), plugin({})])).to.equal('plugin "sample" is found twice: inline and inline');
      expect(await bootError([plugin({ name: 'plugins' })])).to.match(/manifest field "name" would shadow the core's \/plugins routes/);
      expect(await bootError([plugin({ name: 'auth' })])).to.match(/would shadow the core's \/auth routes/);
    });

    it('boots plugins after the ones they require', async () => {
      const order: string[] = [];
      const rt = await boot([
        plugin({ name: 'zeta', requires: { alpha: '^1.0.0' }, register: () => void order.push('zeta') }),
        plugin({ name: 'alpha', register: () => void order.push('alpha') }),
      ]);
      await rt.close();
      expect(order).to.deep.equal(['alpha', 'zeta']);
    });
  });

  describe('permissions at register time', () => {
    it('asking for a service the manifest does not declare throws, naming it', async () => {
      const greedy = plugin({ permissions: ['store:read'], register: (api: { use(p: string): unknown }) => void api.use('customers:read') });
      expect(await bootError([greedy])).to.equal('plugin "sample": asked for "customers:read", which its manifest does not declare in "permissions"');
    });

    it("subscribing to another domain's events needs events:<domain>", async () => {
      const nosy = plugin({ register: (api: { subscribe(s: unknown): void }) => api.subscribe({ name: 'peek', events: ['order.paid'], handle: async () => undefined }) });
      expect(await bootError([nosy])).to.equal('plugin "sample": subscriber "peek" listens to "order.paid", which needs the permission "events:order" in its manifest');
      const everything = plugin({ register: (api: { subscribe(s: unknown): void }) => api.subscribe({ name: 'all', events: ['*'], handle: async () => undefined }) });
      expect(await bootError([everything])).to.match(/needs the permission "events:\*"/);
    });

    it('a route, middleware or service outside its surface or after register() is refused', async () => {
      const wrongSurface = plugin({ scope: 'platform', register: (api: { routes: { store(r: unknown): void } }) => api.routes.store({ method: 'GET', path: '/x', summary: 'x', access: 'public', responses: {}, handler: async () => ({}) }) });
      expect(await bootError([wrongSurface])).to.equal('plugin "sample": a platform plugin has no store routes (use api.routes.platform, or api.routes.admin for a store\'s own data with api.actsFor)');
      // A platform plugin's admin routes serve a store's own data: staff access, and only with actsFor.
      const adminRoute = (access: string) => ({ method: 'GET', path: '/mine', summary: 'x', access, responses: {}, handler: async () => ({}) });
      const noActsFor = plugin({ scope: 'platform', register: (api: { routes: { admin(r: unknown): void } }) => api.routes.admin(adminRoute('staff')) });
      expect(await bootError([noActsFor])).to.equal('plugin "sample" (inline): a platform plugin\'s admin routes need api.actsFor(...), the stores they serve');
      const publicAdmin = plugin({ scope: 'platform', register: (api: { actsFor(f: unknown): void; routes: { admin(r: unknown): void } }) => { api.actsFor(async () => true); api.routes.admin(adminRoute('public')); } });
      expect(await bootError([publicAdmin])).to.match(/a platform plugin's admin routes are for a store's staff \(access "staff", got "public"\)/);
      const tenantActsFor = plugin({ register: (api: { actsFor(f: unknown): void }) => api.actsFor(async () => true) });
      expect(await bootError([tenantActsFor])).to.equal('plugin "sample": actsFor is for platform plugins (a tenant plugin acts where a store enables it)');
      const wrongAccess = plugin({ register: (api: { routes: { admin(r: unknown): void } }) => api.routes.admin({ method: 'GET', path: '/x', summary: 'x', access: 'customer', responses: {}, handler: async () => ({}) }) });
      expect(await bootError([wrongAccess])).to.match(/access on the admin surface must be staff or public \(got "customer"\)/);
      const platformPrepare = plugin({ scope: 'platform', register: (api: { middleware(m: unknown): void }) => api.middleware({ name: 'pre', position: 'afterTenant', prepare: () => 1, handle: async () => undefined }) });
      expect(await bootError([platformPrepare])).to.equal('plugin "sample": middleware "pre": prepare makes a value from a store\'s settings, and a platform plugin has none');
      let saved: { middleware(m: unknown): void } | undefined;
      const rt = await boot([plugin({ register: (api: typeof saved) => void (saved = api) })]);
      await rt.close();
      expect(() => saved!.middleware({ name: 'late', position: 'afterAuth', handle: async () => undefined })).to.throw('plugin "sample": adding middleware is only possible inside register(api)');
    });

    it("a provider's declared problem codes must be 4xx statuses with codes; good ones reach kernel.extensions", async () => {
      const provider = (errors: unknown) => plugin({ register: (api: { provide(k: string, p: unknown, o: unknown): void }) => api.provide('shipping', { id: 'ship', options: async () => [], price: async () => 0 }, { errors }) });
      expect(await bootError([provider({ 500: ['BOOM'] })])).to.equal('plugin "sample": the shipping provider "ship": errors may declare 4xx statuses only (got 500)');
      expect(await bootError([provider({ 409: ['slot full'] })])).to.equal('plugin "sample": the shipping provider "ship": errors[409] must list 1-50 codes such as "SLOT_FULL"');
      expect(await bootError([provider(['SLOT_FULL'])])).to.match(/errors must be an object of status -> codes/);
      const rt = await boot([provider({ 409: ['DOCK_CLOSED'], 422: ['TOO_HEAVY'] })]);
      try {
        expect(rt.kernel.extensions.problemsAt('provider:shipping')).to.deep.equal({ 409: ['DOCK_CLOSED'], 422: ['TOO_HEAVY'] });
        expect(rt.kernel.extensions.problemsAt('provider:payment')).to.deep.equal({});
      } finally {
        await rt.close();
      }
    });

    it('a register() that throws fails boot with the plugin named', async () => {
      expect(await bootError([plugin({ register: () => { throw new Error('no api key'); } })])).to.equal('plugin "sample" (inline): register(api) failed: no api key');
    });
  });

  describe('built-in discovery', () => {
    it('loads plugins/<name>/index and passes by folders without an entry', async () => {
      const rt = await boot([], { builtIns: path.join(fixtures, 'builtins') });
      expect(hostOf(rt.kernel).plugins.map((p) => [p.name, p.origin, p.source])).to.deep.equal([['greeter', 'plugins/greeter', 'builtin']]);
      expect(rt.routes.map((r) => r.path)).to.include('/store/v1/greeter/hi');
      await rt.close();
    });

    it("names the application's own plugins/ as by Bazaar, and a fixture folder's by nobody", async () => {
      const own = await discoverBuiltIns();
      expect(own.map((f) => f.def.name)).to.include.members(['payments', 'webhooks']);
      expect(new Set(own.map((f) => f.author))).to.deep.equal(new Set(['Bazaar']));
      expect((await discoverBuiltIns(path.join(fixtures, 'builtins'))).map((f) => f.author)).to.deep.equal([undefined]);
    });

    it('refuses a built-in whose name is not its folder name', async () => {
      expect(await bootError([], { builtIns: path.join(fixtures, 'builtins-misnamed') })).to.equal('plugin "yeller" (plugins/shouter): manifest field "name" must equal its folder name "shouter"');
    });

    it('loads the repository built-ins (webhooks) by default', async () => {
      const config = testConfig({ DATABASE_URL: 'sqlite::memory:' });
      const rt = await createRuntime({ config, role: 'web', migrate: false });
      expect(hostOf(rt.kernel).plugins.map((p) => p.name)).to.include('webhooks');
      await rt.close();
    });
  });

  it('definePlugin infers permissions (compile-time) and returns the manifest unchanged', () => {
    const def = definePlugin({ name: 'typed', version: '1.0.0', core: '*', permissions: ['cache:use'], register(api) { api.use('cache:use'); } });
    expect(def.permissions).to.deep.equal(['cache:use']);
  });
});
