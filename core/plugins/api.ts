// The `api` a plugin's register() receives. It exposes only what the manifest declares, records
// every contribution on the plugin, and closes when register() returns: a plugin cannot add a
// route or ask for a service later, where nobody would check it.
import type { Kernel } from '../kernel.js';
import type { Knex } from '../db/knex.js';
import { createSystemCtx, requireTenant, type Ctx, type TenantCtx } from '../context.js';
import type { RouteSpec } from '../http/route.js';
import type { HookHandler, Provider } from '../extensions.js';
import type { SubscriberSpec } from '../events/event.types.js';
import { emitEvent, afterCommit } from '../events/emit.js';
import { runOnce } from '../events/once.js';
import { pluginService } from './services.js';
import { CORE_PREFIXES, issuePrincipalToken } from '../users/principals.js';
import { hashToken } from '../users/tokens.js';
import { PluginBootError } from './manifest.js';
import type { LoadedPlugin } from './loaded.js';
import type { PluginApi, PluginMiddleware, PluginJob } from './types.js';

export class PluginPermissionError extends PluginBootError {}

type Surface = 'store' | 'admin' | 'platform';
const ACCESS: Record<Surface, readonly string[]> = { store: ['public', 'customer'], admin: ['staff', 'public'], platform: ['platform', 'public', 'principal'] };
const LOCAL_NAME = /^[a-z][a-zA-Z0-9-]{0,59}$/;

export interface ApiHooks {
  /** Whether any plugin already provides this kind+id (ids are unique per kind). */
  providerTaken(kind: string, id: string): string | undefined;
  settingsOf(p: LoadedPlugin, ctx: TenantCtx): Promise<Record<string, unknown>>;
  /** Which plugin already uses this token prefix. */
  prefixTaken(prefix: string): string | undefined;
}

/** A plugin's declared problem codes: 4xx statuses, each with 1-50 SCREAMING_SNAKE_CASE codes. */
function checkProblemCodes(what: string, errors: unknown, fail: (message: string) => never): void {
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) fail(`${what}: errors must be an object of status -> codes, e.g. { 409: ['SLOT_FULL'] }`);
  for (const [status, codes] of Object.entries(errors as Record<string, unknown>)) {
    if (!/^4\d\d$/.test(status)) fail(`${what}: errors may declare 4xx statuses only (got ${status})`);
    if (!Array.isArray(codes) || !codes.length || codes.length > 50 || codes.some((c) => typeof c !== 'string' || !/^[A-Z][A-Z0-9_]{1,63}$/.test(c))) {
      fail(`${what}: errors[${status}] must list 1-50 codes such as "SLOT_FULL"`);
    }
  }
}

export function createPluginApi(kernel: Kernel, p: LoadedPlugin, host: ApiHooks): { api: PluginApi<string>; seal(): void } {
  let open = true;
  const who = `plugin "${p.name}"`;
  const services = new Map<string, unknown>();
  const log = kernel.log.child({ plugin: p.name });

  const guard = (what: string) => {
    if (!open) throw new PluginBootError(`${who}: ${what} is only possible inside register(api)`);
  };
  const fail = (msg: string): never => {
    throw new PluginBootError(`${who}: ${msg}`);
  };

  const addRoutes = (surface: Surface, specs: RouteSpec[]) => {
    guard('adding routes');
    if (p.scope === 'platform' && surface === 'store') fail(`a platform plugin has no store routes (use api.routes.platform, or api.routes.admin for a store's own data with api.actsFor)`);
    // A platform plugin's admin routes serve a store's own data to its staff (api.actsFor, scopedTo).
    const forStore = p.scope === 'platform' && surface === 'admin';
    for (const spec of specs) {
      const label = `${spec.method} ${spec.path}`;
      if (typeof spec.path !== 'string' || !spec.path.startsWith('/')) fail(`route "${label}": path must start with "/" (it is mounted under /${surface}/v1/${p.name})`);
      if (spec.access === 'principal' && !p.principals.length) fail(`route "${label}": access "principal" needs a token kind of the plugin's own (api.principal)`);
      if (!ACCESS[surface].includes(spec.access)) fail(`route "${label}": access on the ${surface} surface must be ${ACCESS[surface].join(' or ')} (got "${spec.access}")`);
      if (forStore && spec.access !== 'staff') fail(`route "${label}": a platform plugin's admin routes are for a store's staff (access "staff", got "${spec.access}")`);
      if (typeof spec.handler !== 'function') fail(`route "${label}": handler must be a function`);
      const path = `/${surface}/v1/${p.name}${spec.path === '/' ? '' : spec.path}`;
      const permission = surface === 'admin' && spec.access === 'staff' ? (spec.permission ?? `${p.name}:${spec.method === 'GET' ? 'read' : 'write'}`) : spec.permission;
      // Its tables are in the control database: the handler gets that as ctx.db (ctx.tenant stays the signed-in store).
      const handler: RouteSpec['handler'] = forStore ? (input) => spec.handler({ ...input, ctx: onControl(input.ctx) }) : spec.handler;
      p.routes.push({ ...spec, path, permission, handler, tags: spec.tags ?? [`${surface}: plugin ${p.name}`] });
    }
  };

  const onControl = (ctx: Ctx): Ctx => (ctx.tenant && kernel.pool.forTenant(ctx.tenant) === kernel.pool.control ? ctx : { ...ctx, db: kernel.pool.control });

  const eventAllowed = (pattern: string): boolean => {
    if (p.permissions.has('events:*')) return true;
    if (pattern === '*') return false;
    const domain = pattern.split('.')[0];
    return domain === p.name || p.permissions.has(`events:${domain}`);
  };

  const api: PluginApi<string> = {
    name: p.name,
    version: p.version,
    scope: p.scope,
    options: p.options,
    config: Object.freeze({
      env: kernel.config.env,
      production: kernel.config.env === 'production',
      publicUrl: kernel.config.publicUrl,
      loginMaxFailures: kernel.config.loginMaxFailures,
      loginWindowSeconds: kernel.config.loginWindowSeconds,
    }),
    log,

    use(permission) {
      if (!p.permissions.has(permission)) fail(`asked for "${permission}", which its manifest does not declare in "permissions"`);
      const entry = pluginService(permission);
      if (!entry) fail(`"${permission}" has no service in this core`);
      if (!services.has(permission)) services.set(permission, entry!.create(kernel, { name: p.name }));
      return services.get(permission) as never;
    },

    async settings<T>(ctx: TenantCtx) {
      return (await host.settingsOf(p, ctx)) as T;
    },

    t(ctx, key, vars) {
      return String(ctx.t(`${p.name}:${key}`, vars as never));
    },

    routes: {
      store: (...specs) => addRoutes('store', specs),
      admin: (...specs) => addRoutes('admin', specs),
      platform: (...specs) => addRoutes('platform', specs),
    },

    middleware<P>(m: PluginMiddleware<P>) {
      guard('adding middleware');
      if (!m || !LOCAL_NAME.test(m.name ?? '')) fail(`middleware name must be a short identifier (got ${JSON.stringify(m?.name)})`);
      if (m.position !== 'afterTenant' && m.position !== 'afterAuth') fail(`middleware "${m.name}": position must be "afterTenant" or "afterAuth"`);
      if (typeof m.handle !== 'function') fail(`middleware "${m.name}": handle must be a function`);
      if (m.prepare !== undefined && typeof m.prepare !== 'function') fail(`middleware "${m.name}": prepare must be a function`);
      if (m.prepare && p.scope !== 'tenant') fail(`middleware "${m.name}": prepare makes a value from a store's settings, and a platform plugin has none`);
      p.middleware.push(m as PluginMiddleware<unknown>);
    },

    subscribe(sub: SubscriberSpec<string>) {
      guard('subscribing');
      for (const pattern of sub.events ?? []) {
        if (!eventAllowed(pattern)) {
          const need = pattern === '*' ? 'events:*' : `events:${pattern.split('.')[0]}`;
          fail(`subscriber "${sub.name}" listens to "${pattern}", which needs the permission "${need}" in its manifest`);
        }
      }
      const name = sub.name?.startsWith(`${p.name}.`) ? sub.name : `${p.name}.${String(sub.name)}`;
      // A platform plugin's tables are in the control database: its subscriber gets that as ctx.db
      // (ctx.tenant is still the store), as its hooks do. A store on the control database keeps the
      // receipt's transaction (one connection, SQLite has one); on another placement the plugin's
      // writes are not in it, so they must be idempotent on their own.
      const handle: SubscriberSpec['handle'] = p.scope === 'platform' ? (c, e) => sub.handle(c.kernel.pool.forTenant(c.tenant) === c.kernel.pool.control ? c : { ...c, db: c.kernel.pool.control }, e as never) : (sub.handle as SubscriberSpec['handle']);
      try {
        kernel.events.subscribe({ ...sub, name, handle } as SubscriberSpec, p.name);
      } catch (err) {
        fail((err as Error).message);
      }
      p.subscribers.push(name);
    },

    emit(ctx, type, payload) {
      if (!type.startsWith(`${p.name}.`)) throw new Error(`${who} may only emit its own events ("${p.name}.<pastTense>"), not "${type}"`);
      return emitEvent(ctx, type, payload);
    },

    provide(kind, provider, opts = {}) {
      guard('providing');
      const id = (provider as Provider | undefined)?.id;
      if (typeof kind !== 'string' || !/^[a-z][a-z0-9-]*$/.test(kind)) fail(`provider kind must be a name such as "payment" (got ${JSON.stringify(kind)})`);
      if (typeof id !== 'string' || !id) return fail(`a ${kind} provider needs a string id`);
      const taken = host.providerTaken(kind, id) ?? (p.providers.some((x) => x.kind === kind && x.provider.id === id) ? p.name : undefined);
      if (taken) fail(`a ${kind} provider with id "${id}" already exists (plugin "${taken}")`);
      if (opts.errors !== undefined) checkProblemCodes(`the ${kind} provider "${id}"`, opts.errors, fail);
      p.providers.push({ kind, provider: provider as Provider });
      if (opts.errors) kernel.extensions.declareProblems(`provider:${kind}`, `${p.name}:${id}`, opts.errors);
    },

    hook(name, handler, opts = {}) {
      guard('adding hooks');
      if (typeof handler !== 'function') fail(`hook "${String(name)}": handler must be a function`);
      const budgetMs = opts.budgetMs ?? 200;
      if (!(budgetMs > 0 && budgetMs <= 5000)) fail(`hook "${String(name)}": budgetMs must be between 1 and 5000`);
      p.hooks.push({ name: name as string, handler: handler as unknown as HookHandler<never>, budgetMs });
    },

    job(name, handler, opts = {}) {
      guard('defining jobs');
      if (!LOCAL_NAME.test(name)) fail(`job name must be a short identifier (got ${JSON.stringify(name)})`);
      if (p.jobs.has(name)) fail(`job "${name}" is defined twice`);
      const queue = `plugin.${p.name}.${name}`;
      p.jobs.set(name, { queue, handler: handler as never, opts });
      const job: PluginJob<Record<string, unknown>> = {
        async enqueue(ctx, data, eopts = {}) {
          const add = () =>
            kernel.queue.add(queue, { tenantId: ctx.tenant.id, requestId: ctx.requestId, data }, { jobId: eopts.jobId, delayMs: eopts.delayMs, attempts: opts.attempts ?? 5, backoffMs: opts.backoffMs ?? 1000 });
          if ((ctx.db as Knex.Transaction).isTransaction) {
            afterCommit(ctx, () => add().catch((err: Error) => log.warn({ job: queue, err: err.message }, 'could not queue a job after commit')));
            return;
          }
          await add();
        },
      };
      return job as never;
    },

    scheduleForTenants(name, everyMs, fn) {
      guard('scheduling');
      if (p.scope !== 'tenant') fail('scheduleForTenants is for tenant plugins (use schedule)');
      if (!LOCAL_NAME.test(name) || !(everyMs >= 50)) fail(`schedule "${name}": needs a short name and everyMs >= 50`);
      p.schedules.push({ name, everyMs, perTenant: true, fn: fn as never });
    },

    onListening(fn) {
      guard('listening');
      p.listening.push(fn);
    },

    schedule(name, everyMs, fn) {
      guard('scheduling');
      if (!LOCAL_NAME.test(name) || !(everyMs >= 50)) fail(`schedule "${name}": needs a short name and everyMs >= 50`);
      p.schedules.push({ name, everyMs, perTenant: false, fn });
    },

    principal(spec) {
      guard('adding a token kind');
      if (p.scope !== 'platform') fail('only a platform plugin may add a token kind (api.principal)');
      if (!spec || !LOCAL_NAME.test(spec.kind ?? '')) fail(`principal kind must be a short identifier (got ${JSON.stringify(spec?.kind)})`);
      if (!/^bz[a-z]$/.test(spec.prefix ?? '') || CORE_PREFIXES.has(spec.prefix)) fail(`principal "${spec.kind}": prefix must be "bz" and one letter, not bzp, bzt or bzk (got ${JSON.stringify(spec.prefix)})`);
      const taken = host.prefixTaken(spec.prefix) ?? (p.principals.some((x) => x.prefix === spec.prefix) ? p.name : undefined);
      if (taken) fail(`principal "${spec.kind}": token prefix "${spec.prefix}" is taken (plugin "${taken}")`);
      if (typeof spec.resolve !== 'function') fail(`principal "${spec.kind}": resolve must be a function`);
      p.principals.push({ plugin: p.name, kind: spec.kind, prefix: spec.prefix, pathPrefix: `/platform/v1/${p.name}/`, resolve: (k, hash) => spec.resolve(createSystemCtx(k, null, { actor: { type: 'system', name: `plugin:${p.name}` } }), hash) });
      return { issue: () => issuePrincipalToken(spec.prefix), hash: (token: string) => hashToken(token) };
    },

    actsFor(fn) {
      guard('declaring the stores it acts for');
      if (p.scope !== 'platform') fail('actsFor is for platform plugins (a tenant plugin acts where a store enables it)');
      if (typeof fn !== 'function') fail('actsFor needs a function (ctx) => Promise<boolean>');
      if (p.actsFor) fail('actsFor is declared twice');
      p.actsFor = async (tenant) => (await fn(requireTenant({ ...createSystemCtx(kernel, tenant, { actor: { type: 'system', name: `plugin:${p.name}` } }), db: kernel.pool.control }))) === true;
    },

    once(ctx, key, fn) {
      return runOnce(ctx, `${p.name}.once`, key, fn);
    },
  };

  return {
    api,
    seal() {
      open = false;
    },
  };
}

