// The plugin host: boots the plugins (discover, check, order, register), then serves what they
// contributed — routes, middleware, subscribers, providers, hooks, jobs, schedules — only to
// the tenants that have them on. The composition root (core/server.ts) creates it; the core
// reaches plugins only through kernel.extensions and kernel.events.
import type { Logger } from 'pino';
import type { Kernel } from '../kernel.js';
import type { Ctx, Tenant, TenantCtx } from '../context.js';
import { createSystemCtx, requireTenant } from '../context.js';
import type { HookHandler } from '../extensions.js';
import type { RouteSpec } from '../http/route.js';
import type { PositionedMiddleware } from '../app.js';
import { buildCtx } from '../http/router.js';
import { AppError, NotFoundError, UnavailableError, assertWritable } from '../errors.js';
import { addLocaleDir, supportedLocales } from '../i18n.js';
import { registerTenantModel, tenantModels, type TenantModel } from '../db/model.js';
import { projectRoot } from '../paths.js';
import { BUILTIN_DIR, discoverBuiltIns, discoverPackages, type FoundPlugin } from './discover.js';
import { PluginBootError, validateManifest } from './manifest.js';
import { orderPlugins } from './resolve.js';
import { loadPlugin, type LoadedPlugin } from './loaded.js';
import { createPluginApi } from './api.js';
import { PluginState } from './state.js';
import type { TenantPlugin } from './plugin.model.js';
import { migratePlugin } from './migrate.js';
import { registerPrincipalKind } from '../users/principals.js';
import { registerPluginService, type ServiceEntry } from './services.js';
import { openFields } from './secrets.js';
import type { HttpContext, ListeningServer, PluginDefinition, PluginMiddleware, ServicePermission } from './types.js';
import { MIDDLEWARE_BUDGET_MS, PluginHealth, Watchdog, type FailureKind } from './health.js';

/** No error seen from the rest of the chain (an error may be any value, even undefined). */
const NO_ERROR = Symbol('no error');

export interface PluginHostOptions {
  coreVersion: string;
  /** Built-in plugins: `true` (default) reads plugins/, a string reads another folder, `false` none. */
  builtIns?: boolean | string;
  /** npm packages to load (default: config.plugins, i.e. BAZAAR_PLUGINS). */
  packages?: readonly string[];
  /** Where node_modules is looked for (default: the application root). */
  packageBase?: string;
  /** Plugins handed in as code (the test kit, tests). */
  inline?: PluginDefinition[];
  /** Services the composition root adds (the platform's tenant provisioning lives outside core). */
  services?: { [K in ServicePermission]?: ServiceEntry<K> };
  /** The core's routes: a plugin may not be named like one of their first path segments. */
  coreRoutes?: RouteSpec[];
}

const hosts = new WeakMap<Kernel, PluginHost>();

export function hostOf(kernel: Kernel): PluginHost {
  const host = hosts.get(kernel);
  if (!host) throw new Error('no plugin host is attached to this kernel');
  return host;
}

export function maybeHostOf(kernel: Kernel): PluginHost | undefined {
  return hosts.get(kernel);
}

/**
 * Plugin models join the process-wide tenant model registry (the isolation sweep reads it) while
 * a host that loaded them runs; a test kit's fixture plugin leaves it again when the kit closes.
 */
const modelRefs = new Map<typeof TenantModel, number>();

/** A middleware's place on a row whose value `prepare` has not made yet. */
const NOT_MADE = Symbol('not prepared');

/** The plugin's settings in a store: a copy of the stored ones, checked and with the schema's defaults filled in. */
function settingsFrom(p: LoadedPlugin, row: TenantPlugin | undefined, log: Logger): Record<string, unknown> {
  const settings = openFields(structuredClone(row?.settings ?? {}) as Record<string, unknown>, p.settings?.writeOnly ?? []);
  if (p.settings && !p.settings.validate(settings)) {
    log.warn({ plugin: p.name, errors: p.settings.validate.errors }, 'stored plugin settings no longer match the settings schema');
  }
  return settings;
}

function holdModel(model: typeof TenantModel): void {
  const n = modelRefs.get(model);
  if (n === undefined && tenantModels.get(model.tableName) === model) return; // registered by its own module: not ours to drop
  modelRefs.set(model, (n ?? 0) + 1);
  registerTenantModel(model);
}

function releaseModel(model: typeof TenantModel): void {
  const n = modelRefs.get(model);
  if (n === undefined) return;
  if (n > 1) modelRefs.set(model, n - 1);
  else {
    modelRefs.delete(model);
    if (tenantModels.get(model.tableName) === model) tenantModels.delete(model.tableName);
  }
}

const PLUGIN_PATH = /^\/(store|admin|platform)\/v1\/([a-z0-9-]+)(?:\/|$)/;

export class PluginHost {
  /** Core routes under a prefix shared with a plugin (SHARED_SEGMENTS): the gate lets them through. */
  sharedCorePaths: RegExp[] = [];
  readonly state: PluginState;
  /** In requirement order: a plugin comes after those it requires. */
  readonly plugins: LoadedPlugin[] = [];
  private readonly byName = new Map<string, LoadedPlugin>();
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;
  /** Failures of plugin middleware, prepare and hooks; the circuits that skip a failing plugin. */
  readonly health: PluginHealth;
  private readonly watchdog = new Watchdog();

  constructor(private readonly kernel: Kernel) {
    this.state = new PluginState(kernel);
    this.health = new PluginHealth(kernel);
  }

  add(p: LoadedPlugin): void {
    this.plugins.push(p);
    this.byName.set(p.name, p);
  }

  get(name: string): LoadedPlugin | undefined {
    return this.byName.get(name);
  }

  /** Whether the plugin acts for this tenant (platform plugins: whether installed). */
  async isOn(tenant: Tenant | null, name: string): Promise<boolean> {
    const p = this.byName.get(name);
    return p ? this.state.isOn(tenant, p) : false;
  }

  /**
   * Whether a platform plugin acts for this store (api.actsFor): installed and its own answer yes.
   * No declaration, no store or a throw is a no (fail closed; the throw is logged).
   */
  async actsFor(tenant: Tenant | null, p: LoadedPlugin): Promise<boolean> {
    if (p.scope !== 'platform' || !p.actsFor || !tenant) return false;
    if (!(await this.state.installed()).has(p.name)) return false;
    try {
      return await p.actsFor(tenant);
    } catch (err) {
      this.kernel.log.error({ plugin: p.name, tenant: tenant.slug, err }, 'a platform plugin failed to say whether it acts for a store; taken as no');
      return false;
    }
  }

  /** The platform plugins acting for this store (GET /admin/v1/me `platformPlugins`): the store console shows their store pages. */
  async platformPluginsFor(tenant: Tenant): Promise<string[]> {
    const out: string[] = [];
    for (const p of this.plugins) if (p.actsFor && (await this.actsFor(tenant, p))) out.push(p.name);
    return out;
  }

  async settingsOf(p: LoadedPlugin, ctx: TenantCtx): Promise<Record<string, unknown>> {
    // Through the caller's transaction on a miss (a subscriber's receipt, a placing order).
    return settingsFrom(p, (await this.state.rows(ctx.tenant, ctx)).get(p.name), ctx.log);
  }

  routes(): RouteSpec[] {
    return this.plugins.flatMap((p) => p.routes);
  }

  /** Plugin middleware, each running only where its plugin is on, and the gate that hides plugin routes. */
  middleware(): PositionedMiddleware[] {
    const kernel = this.kernel;
    const out: PositionedMiddleware[] = [];
    for (const p of this.plugins) {
      p.middleware.forEach((m, slot) => {
        const prepare = m.prepare;
        /** What prepare made, kept on the store's plugin row: a row read again (a change) is prepared again. */
        const prepared = (on: TenantPlugin | true, tenant: Tenant | null): unknown => {
          if (prepare === undefined || on === true || tenant === null) return undefined;
          const made = (on.$prepared ??= new Array<unknown>(p.middleware.length).fill(NOT_MADE));
          let value = made[slot];
          if (value === NOT_MADE) {
            value = prepare(settingsFrom(p, on, kernel.log), tenant);
            made[slot] = value;
          }
          return value;
        };
        out.push({
          name: `${p.name}:${m.name}`,
          position: m.position,
          order: m.order,
          middleware: (koa, next) => {
            const run = (on: TenantPlugin | boolean) => (on === false ? next() : this.isolated(p, m, koa, next, () => prepared(on, koa.state.tenant)));
            const known = this.state.knownOn(koa.state.tenant, p);
            return known === undefined ? this.state.on(koa.state.tenant, p).then(run) : run(known);
          },
        });
      });
    }
    out.push({
      name: 'plugins:gate',
      position: 'afterTenant',
      order: Number.MAX_SAFE_INTEGER,
      middleware: (koa, next) => {
        const m = PLUGIN_PATH.exec(koa.path);
        const p = m ? this.byName.get(m[2]) : undefined;
        if (!p || this.sharedCorePaths.some((re) => re.test(koa.path))) return next();
        const on =
          m![1] === 'platform' ? this.state.installed().then((all) => all.has(p.name))
          : p.scope === 'platform' ? this.actsFor(koa.state.tenant, p) // a platform plugin's store-admin routes: only for the stores it acts for
          : this.state.isOn(koa.state.tenant, p);
        return on.then((yes) => {
          // Off looks exactly like a route that does not exist.
          if (!yes) throw new NotFoundError('ROUTE_NOT_FOUND', `No route for ${koa.method} ${koa.path}`);
          return next();
        });
      },
    });
    return out;
  }

  /**
   * Runs one plugin middleware so that its failure is its own (health.ts): a throw or a hang of
   * its own is skipped and counted and the request goes on; an AppError under 500 is its answer;
   * an error from further down the chain passes through as it would without the plugin.
   */
  private async isolated(p: LoadedPlugin, m: PluginMiddleware<unknown>, koa: HttpContext, next: () => Promise<void>, prepared: () => unknown): Promise<void> {
    const tenantId = (koa.state.tenant as Tenant | null)?.id ?? '';
    if (!m.failClosed && !this.health.allows(p.name, tenantId)) return next();
    const fail = async (point: string, kind: FailureKind, err: unknown, downstream: Promise<void> | undefined): Promise<void> => {
      this.health.failed(p.name, tenantId, point, kind);
      buildCtx(this.kernel, koa).log.error({ plugin: p.name, middleware: m.name, point, kind, err }, kind === 'timeout' ? 'plugin middleware ran past its time budget; the request went on without it' : 'plugin middleware failed; the request went on without it');
      if (m.failClosed) throw new UnavailableError('PLUGIN_UNAVAILABLE', `Plugin ${p.name} could not check this request`, { params: { name: p.name } });
      return downstream ?? next();
    };
    let value: unknown;
    try {
      value = prepared();
    } catch (err) {
      return fail(`prepare:${m.name}`, 'error', err, undefined);
    }
    const watch = this.watchdog.watch(m.budgetMs ?? MIDDLEWARE_BUDGET_MS);
    let downstream: Promise<void> | undefined;
    let downstreamError: unknown = NO_ERROR;
    let abandoned = false;
    const guardedNext = (): Promise<void> => {
      if (abandoned) return Promise.resolve();
      if (!downstream) {
        watch.pause();
        downstream = next().then(
          () => watch.resume(),
          (err: unknown) => {
            watch.resume();
            downstreamError = err;
            throw err;
          },
        );
      }
      return downstream;
    };
    let outcome: 'ok' | 'timeout' | { error: unknown };
    try {
      outcome = await Promise.race([
        Promise.resolve()
          .then(() => m.handle(buildCtx(this.kernel, koa), koa, guardedNext, value))
          .then(() => 'ok' as const, (error: unknown) => ({ error })),
        watch.late,
      ]);
    } finally {
      watch.done();
    }
    if (outcome === 'ok') {
      this.health.succeeded(p.name, tenantId);
      return;
    }
    if (outcome !== 'timeout') {
      const { error } = outcome;
      if (error === downstreamError) throw error; // the rest of the chain failed, not the plugin
      if (error instanceof AppError && error.status < 500) {
        this.health.succeeded(p.name, tenantId);
        throw error; // the plugin's answer (a filter's 403, a limit's 429)
      }
    }
    abandoned = true;
    return fail(`middleware:${m.name}`, outcome === 'timeout' ? 'timeout' : 'error', outcome === 'timeout' ? undefined : outcome.error, downstream);
  }

  /** Pending migrations of installed plugins (upgrades), at boot. */
  async migrateInstalled(): Promise<string[]> {
    const done: string[] = [];
    const installed = await this.state.installed();
    for (const p of this.plugins) if (installed.has(p.name)) done.push(...(await migratePlugin(this.kernel, p)));
    for (const name of installed.keys()) {
      if (!this.byName.has(name)) this.kernel.log.warn({ plugin: name }, 'plugin is installed but not present in this process (removed from BAZAAR_PLUGINS?)');
    }
    return done;
  }

  /** Tenants that have the plugin on, across every database. */
  async tenantsWith(p: LoadedPlugin): Promise<Tenant[]> {
    const out: Tenant[] = [];
    for (const db of this.kernel.pool.all()) {
      const rows = (await db('tenant_plugins').where({ plugin: p.name, enabled: true }).select('tenant_id')) as { tenant_id: string }[];
      for (const { tenant_id } of rows) {
        const tenant = await this.kernel.tenants.byId(tenant_id);
        if (tenant && tenant.status === 'active' && !tenant.movingTo && (await this.state.isOn(tenant, p))) out.push(tenant);
      }
    }
    return out;
  }

  private systemCtx(tenant: Tenant | null, p: LoadedPlugin, requestId?: string): Ctx {
    return createSystemCtx(this.kernel, tenant, { requestId, actor: { type: 'system', name: `plugin:${p.name}` } });
  }

  /** Job consumers and schedules: worker processes only. */
  startWorkers(): void {
    const kernel = this.kernel;
    for (const p of this.plugins) {
      for (const job of p.jobs.values()) {
        kernel.queue.process(job.queue, job.opts.concurrency ?? 2, async (data, info) => {
          const { tenantId, requestId, data: payload } = data as { tenantId: string; requestId: string; data: Record<string, unknown> };
          const tenant = await kernel.tenants.byId(tenantId);
          if (!tenant || !(await this.state.isOn(tenant, p))) return;
          assertWritable(tenant); // being moved: retried after the move
          await job.handler(requireTenant(this.systemCtx(tenant, p, requestId)), payload, info);
        });
      }
      for (const s of p.schedules) {
        const tick = async () => {
          if (this.stopped || !(await this.state.installed()).has(p.name)) return;
          // One run per period across every worker: the first to count the slot runs it.
          const slot = Math.floor(Date.now() / s.everyMs);
          const claim = await kernel.cache.incr(`${kernel.config.queuePrefix}:sched:${p.name}:${s.name}:${slot}`, Math.max(2, Math.ceil((s.everyMs * 2) / 1000)));
          if (claim.count !== 1) return;
          const tenants = s.perTenant ? await this.tenantsWith(p) : [null];
          for (const tenant of tenants) {
            if (this.stopped) return;
            const ctx = this.systemCtx(tenant, p, `schedule:${s.name}`);
            await s.fn(ctx).catch((err: Error) => ctx.log.error({ plugin: p.name, schedule: s.name, err }, 'scheduled plugin work failed'));
          }
        };
        const timer = setInterval(() => void tick().catch((err: Error) => kernel.log.warn({ plugin: p.name, schedule: s.name, err: err.message }, 'schedule tick failed')), s.everyMs);
        timer.unref();
        this.timers.push(timer);
      }
    }
  }

  /** A plugin's hook handler that reports its failures and overruns to the plugin's health. */
  watchHook(plugin: string, name: string, handler: HookHandler<never>, budgetMs: number): HookHandler<never> {
    return async (ctx, input) => {
      const watch = this.watchdog.watch(budgetMs);
      let over = false;
      void watch.late.then(() => {
        over = true;
        this.health.failed(plugin, ctx.tenant.id, `hook:${name}`, 'timeout');
      });
      try {
        const out = await handler(ctx, input);
        if (!over) this.health.succeeded(plugin, ctx.tenant.id);
        return out;
      } catch (err) {
        if (!over) this.health.failed(plugin, ctx.tenant.id, `hook:${name}`, 'error');
        throw err;
      } finally {
        watch.done();
      }
    };
  }

  /** This process's HTTP server listens: every plugin that asked is told (web and all roles). */
  listening(server: ListeningServer): void {
    for (const p of this.plugins) {
      for (const fn of p.listening) {
        try {
          fn(server);
        } catch (err) {
          this.kernel.log.warn({ plugin: p.name, err: (err as Error).message }, 'a plugin failed on the server listening');
        }
      }
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.watchdog.stop();
    for (const t of this.timers) clearInterval(t);
    for (const p of this.plugins) for (const m of p.def.models ?? []) releaseModel(m);
  }
}

/**
 * Prefixes the core shares with the plugin of that name: the core's `/store/v1/payments/:provider/webhook`
 * serves every payment provider, and the payments plugin's own routes sit beside it.
 */
const SHARED_SEGMENTS = new Set(['payments']);

function reservedSegments(routes: RouteSpec[]): Set<string> {
  const out = new Set(['plugins']);
  for (const r of routes) {
    const m = /^\/(?:store|admin|platform)\/v1\/([^/]+)/.exec(r.path);
    if (m && !m[1].startsWith(':') && !SHARED_SEGMENTS.has(m[1])) out.add(m[1]);
  }
  return out;
}

/** Finds, checks, orders and registers every plugin; boot fails with a message naming the plugin. */
export async function bootPlugins(kernel: Kernel, opts: PluginHostOptions): Promise<PluginHost> {
  for (const [perm, entry] of Object.entries(opts.services ?? {})) registerPluginService(perm as ServicePermission, entry as ServiceEntry<ServicePermission>);
  const found: FoundPlugin[] = [];
  const builtIns = opts.builtIns ?? true;
  if (builtIns !== false) found.push(...(await discoverBuiltIns(typeof builtIns === 'string' ? builtIns : BUILTIN_DIR)));
  found.push(...(await discoverPackages(opts.packages ?? kernel.config.plugins, opts.packageBase ?? projectRoot)));
  for (const def of opts.inline ?? []) found.push({ def: validateManifest(def, 'inline'), source: 'inline', origin: 'inline' });

  const reserved = reservedSegments(opts.coreRoutes ?? []);
  for (const f of found) {
    if (reserved.has(f.def.name)) throw new PluginBootError(`plugin "${f.def.name}" (${f.origin}): manifest field "name" would shadow the core's /${f.def.name} routes; choose another name`);
  }

  const host = new PluginHost(kernel);
  host.sharedCorePaths = (opts.coreRoutes ?? [])
    .filter((r) => SHARED_SEGMENTS.has(/^\/(?:store|admin|platform)\/v1\/([^/]+)/.exec(r.path)?.[1] ?? ''))
    .map((r) => new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`));
  const loaded = host.plugins;
  const hooks = {
    providerTaken: (kind: string, id: string) => loaded.find((p) => p.providers.some((x) => x.kind === kind && x.provider.id === id))?.name,
    settingsOf: (p: LoadedPlugin, ctx: TenantCtx) => host.settingsOf(p, ctx),
    prefixTaken: (prefix: string) => loaded.find((p) => p.principals.some((x) => x.prefix === prefix))?.name,
  };
  for (const f of orderPlugins(found, opts.coreVersion)) {
    const p = loadPlugin(f, kernel.config.pluginOptions);
    const { api, seal } = createPluginApi(kernel, p, hooks);
    try {
      await f.def.register(api);
    } catch (err) {
      if (err instanceof PluginBootError) throw err;
      throw new PluginBootError(`plugin "${p.name}" (${p.origin}): register(api) failed: ${(err as Error).message}`);
    } finally {
      seal();
    }
    if (p.scope === 'platform' && !p.actsFor && p.routes.some((r) => r.path.startsWith('/admin/'))) {
      throw new PluginBootError(`plugin "${p.name}" (${p.origin}): a platform plugin's admin routes need api.actsFor(...), the stores they serve`);
    }
    for (const m of f.def.models ?? []) holdModel(m);
    for (const k of p.principals) registerPrincipalKind(kernel, k);
    if (p.localesDir) addPluginLocales(kernel, p.name, p.localesDir);
    host.add(p);
  }

  kernel.events.gate = async (tenantId, source) => {
    const p = host.get(source);
    if (!p) return false;
    if (p.scope === 'platform') return host.state.isOn(null, p);
    const tenant = await kernel.tenants.byId(tenantId);
    return host.state.isOn(tenant, p);
  };
  kernel.extensions.pluginSource = {
    async providers(ctx, kind) {
      const out = [];
      for (const p of loaded) {
        const mine = p.providers.filter((x) => x.kind === kind);
        if (mine.length && (await host.state.isOn(ctx.tenant, p, ctx))) out.push(...mine.map((x) => x.provider));
      }
      return out;
    },
    async hooks(ctx, name) {
      const out = [];
      for (const p of loaded) {
        const mine = p.hooks.filter((h) => h.name === name);
        if (!mine.length || !(await host.state.isOn(ctx.tenant, p, ctx))) continue;
        // A plugin suspended in this store (health.ts) is left out; each run's failure counts.
        if (!host.health.allows(p.name, ctx.tenant.id)) continue;
        // A platform plugin's tables are in the control database: its handlers get that as ctx.db (ctx.tenant is still the store).
        // When the store lives on the control database, its ctx.db (perhaps the caller's open
        // transaction) is that database already: using it keeps one connection (SQLite has one).
        const wrap = (h: (typeof mine)[number]) => (p.scope === 'platform' ? (((c: typeof ctx, input: never) => h.handler(c.kernel.pool.forTenant(c.tenant) === c.kernel.pool.control ? c : { ...c, db: c.kernel.pool.control }, input)) as typeof h.handler) : h.handler);
        out.push(...mine.map((h) => ({ source: p.name, handler: host.watchHook(p.name, h.name, wrap(h), h.budgetMs), budgetMs: h.budgetMs })));
      }
      return out;
    },
  };
  hosts.set(kernel, host);
  return host;
}

/** `<dir>/<lng>.json` becomes namespace `<plugin>`; its `errors` object adds problem titles (never replacing the core's). */
function addPluginLocales(kernel: Kernel, name: string, dir: string): void {
  addLocaleDir(kernel.i18n, name, dir);
  for (const lng of supportedLocales(kernel.i18n)) {
    const errors = (kernel.i18n.getResourceBundle(lng, name) as { errors?: Record<string, string> } | undefined)?.errors;
    if (errors) kernel.i18n.addResourceBundle(lng, 'errors', errors, true, false);
  }
}
