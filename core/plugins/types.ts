// The plugin SDK's types: the manifest a plugin exports and the `api` its register() receives.
// Services a plugin may use are keyed by permission in PluginServices, which domains augment:
//
//   declare module '../plugins/types.js' { interface PluginServices { 'orders:read': OrderReader } }
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Ctx, TenantCtx, Tenant } from '../context.js';
import type { RouteSpec } from '../http/route.js';
import type { State } from '../http/state.js';
import type { MiddlewarePosition } from '../app.js';
import type { TenantModel } from '../db/model.js';
import type { HookHandler, HookName, Provider, ProviderKind, ProviderMap } from '../extensions.js';
import type { EventPayload, SubscriberSpec } from '../events/event.types.js';
import type { OnceResult } from '../events/once.js';
import type { JobInfo } from '../events/queue.js';

export type JsonSchema = Record<string, unknown>;

/** `tenant`: each store switches it on. `platform`: acts for the platform (onboarding creates tenants). */
export type PluginScope = 'tenant' | 'platform';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface StoreService {
  /** The store this ctx is for: name, locales, currencies. */
  get(ctx: TenantCtx): Promise<Pick<Tenant, 'id' | 'slug' | 'name' | 'defaultLocale' | 'defaultCurrency' | 'currencies' | 'taxMode' | 'taxRateBp'>>;
}

export interface CustomerService {
  /** `credentialsChangedAt`: the last password change or reset, for step-up checks right after one. */
  get(ctx: TenantCtx, id: string): Promise<{ id: string; email: string; name: string; locale: string | null; credentialsChangedAt: string | null } | undefined>;
  /** Up to `limit` (at most 100) customers whose email starts with `prefix` (case-folded), newest first: a staff search. */
  findByEmailPrefix(ctx: TenantCtx, prefix: string, limit: number): Promise<{ id: string; email: string; name: string }[]>;
}

export interface NotificationService {
  /** Queues a mail (retried by the queue). */
  sendMail(ctx: Ctx, message: MailMessage): Promise<void>;
  /** Mails every active owner of the ctx's store. */
  notifyOwners(ctx: TenantCtx, message: Omit<MailMessage, 'to'>): Promise<number>;
}

/** `audit:write`: entries in the platform's audit trail, action prefixed with the plugin's name, for the ctx's store. */
export interface AuditService {
  record(ctx: TenantCtx, entry: { action: string; targetType: string; targetId: string | null; before?: unknown; after?: unknown }): Promise<void>;
}

/** Tenant permission `catalog:read`: what shipping and pricing rules need of the catalog. */
export interface CatalogReadService {
  /** Category ids of each product (products without categories are left out). */
  productCategories(ctx: TenantCtx, productIds: string[]): Promise<Map<string, string[]>>;
  /** A stock location of the store (a pickup point is one), or undefined. */
  stockLocation(ctx: TenantCtx, id: string): Promise<{ id: string; code: string; name: string } | undefined>;
}

/** Cache and counters under the plugin's own key space (per tenant for a tenant ctx). */
export interface PluginCache {
  get<T>(ctx: Ctx, key: string): Promise<T | undefined>;
  set(ctx: Ctx, key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(ctx: Ctx, key: string): Promise<void>;
  incr(ctx: Ctx, key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }>;
  /** incr() of many counters (of any stores) in one command and one round trip; answers in order. */
  incrMany(items: readonly { ctx: Ctx; key: string; ttlSeconds: number }[]): Promise<{ count: number; ttlSeconds: number }[]>;
  peek(ctx: Ctx, key: string): Promise<{ count: number; ttlSeconds: number }>;
  /**
   * The version of `name` in this key space: 0 until bumped, -1 when the cache cannot tell
   * (Redis down: read the source then). Read from a local copy that Redis keeps true while it
   * tracks the key (core/cache/version-mirror.ts), so asking on every request is cheap; a bump
   * in any process is seen by the next read. Key what you remember in the process by it.
   */
  version(ctx: Ctx, name: string): Promise<number>;
  /** Bumps the version of `name`: what every process remembered under the old one is stale at once. */
  bump(ctx: Ctx, name: string): Promise<number>;
}

/** Counters on /metrics, named `bazaar_plugin_<plugin>_<name>`; a `tenant` label is added for you. */
export interface PluginMetrics {
  count(ctx: Ctx, name: string, labels?: Record<string, string>, by?: number): void;
}

export interface ProvisionedTenant {
  id: string;
  slug: string;
  name: string;
}

export interface TenantProvisionInput {
  slug: string;
  name: string;
  defaultLocale?: string;
  defaultCurrency?: string;
  currencies?: string[];
  domains?: string[];
  owner: { email: string; name: string; password?: string };
  /** `pending`: the store exists but answers TENANT_PENDING until activate(); default `active`. */
  status?: 'active' | 'pending';
}

/** Platform permission `tenants:provision`: create a store with its owner (merchant onboarding). */
export interface TenantProvisionService {
  /** Without `owner.password` the owner is mailed a link to set one (the invitation). */
  provision(ctx: Ctx, input: TenantProvisionInput): Promise<ProvisionedTenant>;
  /** Opens a `pending` store (audited as tenant.activated). */
  activate(ctx: Ctx, id: string): Promise<void>;
  /** Suspends an open store with a reason (audited); resume() opens it again. */
  suspend(ctx: Ctx, id: string, reason: string): Promise<void>;
  resume(ctx: Ctx, id: string): Promise<void>;
  /** Closes a store for good (audited). 409 TENANT_HAS_OPEN_ORDERS while it has open orders or returns. */
  terminate(ctx: Ctx, id: string, reason: string): Promise<void>;
}

/** Platform permission `tenants:read`. */
export interface TenantReadService {
  get(ctx: Ctx, id: string): Promise<(ProvisionedTenant & { status: string; defaultCurrency: string; defaultLocale: string }) | undefined>;
}

/**
 * What each permission gives a plugin. `api.use(permission)` returns the service; asking for a
 * permission the manifest does not declare is a compile error and throws at register time.
 */
export interface PluginServices {
  'store:read': StoreService;
  'customers:read': CustomerService;
  'catalog:read': CatalogReadService;
  'notifications:send': NotificationService;
  'cache:use': PluginCache;
  'metrics:write': PluginMetrics;
  'audit:write': AuditService;
  'tenants:read': TenantReadService;
  'tenants:provision': TenantProvisionService;
}

export type ServicePermission = keyof PluginServices;
/** `events:order` lets a plugin subscribe to `order.*`; `events:*` to everything. Its own events need none. */
export type EventPermission = `events:${string}`;
export type Permission = ServicePermission | EventPermission;

export type HttpContext = Koa.ParameterizedContext<State>;

export interface PluginMiddleware<P = undefined> {
  name: string;
  /** `afterTenant`: the tenant is known, nobody is authenticated yet (a request filter). `afterAuth`: ctx.actor is set. */
  position: MiddlewarePosition;
  /** Lower runs first within a position; a request filter asks for a negative number. */
  order?: number;
  /**
   * Tenant plugins only: a value made once per store from the plugin's settings there (checked
   * against the settings schema, defaults filled in), handed to every `handle` of that store's
   * requests: compiled rules, a lookup table. The host keeps it with the store's plugin row, so it
   * costs no lookup of its own, and makes it again when it reads the row again: at once after a
   * change through this process, within 5 s after one through another. Synchronous; a throw
   * counts as a failure of the middleware (below).
   */
  prepare?(settings: Record<string, unknown>, tenant: Tenant): P;
  /**
   * A failing middleware is isolated: if `prepare` or `handle` throws (anything but an AppError
   * under 500, which is its answer) or `handle` runs past `budgetMs` of its own time (default
   * 2000; time spent in next() does not count), the request goes on without it, the failure is
   * counted (`bazaar_plugin_failures_total`, the plugin's `health`), and after 5 in a row in a
   * store the plugin is skipped there for 30 s. `failClosed: true` answers 503 instead of going
   * on, and is never skipped: for a filter that must not let requests through unchecked.
   */
  budgetMs?: number;
  failClosed?: boolean;
  /** For a tenant plugin, runs only on requests of tenants that have it enabled. `prepared`: what `prepare` made for this store. */
  handle(ctx: Ctx, http: HttpContext, next: () => Promise<void>, prepared: P): Promise<void>;
}

/** A route of a plugin: `path` is relative to its prefix (`/endpoints/:id` -> `/admin/v1/<plugin>/endpoints/:id`). */
export type PluginRoute = RouteSpec;

export interface PluginJobOptions {
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
}

export interface EnqueueOptions {
  delayMs?: number;
  /** A job with an id already queued is not queued again. */
  jobId?: string;
}

export interface PluginJob<D> {
  /**
   * Queues the job for ctx's tenant; inside a transaction it is queued after the commit. Jobs are
   * not durable while Redis is down: keep state in your tables and sweep with scheduleForTenants.
   */
  enqueue(ctx: TenantCtx, data: D, opts?: EnqueueOptions): Promise<void>;
}

export interface PrincipalSpec {
  /** Short name, e.g. `applicant`. */
  kind: string;
  /** `bz` and one letter, not the core's bzp, bzt, bzk (`bza`). */
  prefix: string;
  /** The principal's id for a stored hash (a platform ctx: ctx.db is the control database), or undefined. */
  resolve(ctx: Ctx, tokenHash: string): Promise<string | undefined>;
}

export interface PrincipalTokens {
  /** A new token and the hash to store (the token is shown once). */
  issue(): { token: string; hash: string };
  hash(token: string): string;
}

/** A read-only view of the kernel's config: what a plugin may know of how the platform runs. */
export interface PluginConfigView {
  /** `development`, `test` or `production` (NODE_ENV as the kernel read it at boot). */
  readonly env: 'development' | 'test' | 'production';
  readonly production: boolean;
  /** The platform's public URL ('' when not set). */
  readonly publicUrl: string;
  /** The core's sign-in throttle: failures allowed per account within the window. */
  readonly loginMaxFailures: number;
  readonly loginWindowSeconds: number;
}

/** This process's HTTP server, as onListening sees it. */
export interface ListeningServer {
  port: number;
  /** `http://<loopback address>:<port>`: reachable from this machine only. */
  url: string;
}

export interface PluginApi<P extends string = string> {
  readonly name: string;
  readonly version: string;
  readonly scope: PluginScope;
  /** Platform-wide options (BAZAAR_PLUGIN_OPTIONS), validated against optionsSchema with defaults applied. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The kernel's config, read-only (a plugin never reads process.env for these). */
  readonly config: PluginConfigView;
  readonly log: Logger;
  /** The service behind a declared permission; anything else throws here, at register time. */
  use<K extends Extract<P, ServicePermission>>(permission: K): PluginServices[K];
  /** This tenant's settings, validated against settingsSchema, defaults applied. */
  settings<T = Record<string, unknown>>(ctx: TenantCtx): Promise<T>;
  /** A string from the plugin's locale files (namespace = plugin name) in ctx's language. */
  t(ctx: Ctx, key: string, vars?: Record<string, unknown>): string;
  readonly routes: {
    /** `/store/v1/<plugin>/...`; access `public` or `customer`. */
    store(...routes: PluginRoute[]): void;
    /**
     * `/admin/v1/<plugin>/...`; access `staff` (permission defaults to `<plugin>:read` / `<plugin>:write`) or `public`.
     * A platform plugin may add `staff` routes here for a store's own data only: it declares the
     * stores it acts for with `actsFor`, its handlers get ctx.db = the control database (where its
     * tables are) and ctx.tenant = the signed-in store, and they read its rows through `scopedTo`.
     */
    admin(...routes: PluginRoute[]): void;
    /** `/platform/v1/<plugin>/...`; access `platform` or `public`. */
    platform(...routes: PluginRoute[]): void;
  };
  middleware<P = undefined>(m: PluginMiddleware<P>): void;
  /** Name is prefixed with the plugin's (`fanOut` -> `webhooks.fanOut`). */
  subscribe<E extends string>(sub: SubscriberSpec<E>): void;
  /** Emits `<plugin>.<pastTense>` in ctx's transaction. */
  emit<T extends string>(ctx: Ctx, type: T, payload: EventPayload<T>): Promise<string>;
  /**
   * `errors`: the problem codes (4xx, by status) this provider may throw into the core routes
   * that call it, e.g. `{ 409: ['SLOT_FULL'] }` for a shipping provider whose `reserve` can refuse
   * a checkout: they are listed on those routes in the OpenAPI document (`errorsFrom`).
   */
  provide<K extends ProviderKind>(kind: K, provider: ProviderMap[K] & Provider, opts?: { errors?: Record<number, string[]> }): void;
  /** A platform plugin's handler runs for every store, with ctx.db = the control database (where its tables are). */
  hook<K extends HookName>(name: K, handler: HookHandler<K>, opts?: { budgetMs?: number }): void;
  job<D extends Record<string, unknown>>(name: string, handler: (ctx: TenantCtx, data: D, info: JobInfo) => Promise<void>, opts?: PluginJobOptions): PluginJob<D>;
  /** Runs fn every `everyMs` for each tenant that has the plugin enabled, once across all workers. */
  scheduleForTenants(name: string, everyMs: number, fn: (ctx: TenantCtx) => Promise<void>): void;
  /** Runs fn every `everyMs` once across all workers, with a platform ctx (no tenant). */
  schedule(name: string, everyMs: number, fn: (ctx: Ctx) => Promise<void>): void;
  /**
   * Called when this process's HTTP server listens, with its loopback URL (`http://127.0.0.1:<port>`):
   * for something local that calls the server back (a bundled gateway simulator's webhooks).
   */
  onListening(fn: (server: ListeningServer) => void): void;
  /**
   * Platform plugins: a token kind for principals of the plugin's own (onboarding's applicants).
   * Its tokens are `<prefix>_<secret>`; the plugin stores only `hash(token)` and answers
   * `resolve(ctx, hash)` with the principal's id. They count only on `/platform/v1/<plugin>/`
   * (routes with access `principal`, where ctx.actor is `{ type: 'principal', kind, id }`) and
   * are a 401 on every other route.
   */
  principal(spec: PrincipalSpec): PrincipalTokens;
  /**
   * Platform plugins: the stores it acts for (onboarding: the stores it opened). Only there do its
   * store-admin routes (`routes.admin`) answer, and `GET /admin/v1/me` lists it in `platformPlugins`
   * so the store console shows its store pages; elsewhere its admin routes are a 404. ctx.db is the
   * control database. A throw counts as "no" (fail closed). Needed before boot ends if the plugin
   * adds admin routes.
   */
  actsFor(fn: (ctx: TenantCtx) => Promise<boolean>): void;
  /** Runs fn once per key for this tenant (a provider's event id), in a transaction holding the receipt. */
  once<T>(ctx: TenantCtx, key: string, fn: (trx: TenantCtx) => Promise<T>): Promise<OnceResult<T>>;
}

export interface PluginDefinition<P extends string = Permission> {
  /** Lowercase letters, digits and dashes; its route prefix, i18n namespace and table prefix. */
  name: string;
  /** Semantic version of the plugin. */
  version: string;
  /** Range of core versions it works with, e.g. `^0.1.0`. */
  core: string;
  description?: string;
  /** Who publishes it, as npm writes it: `Name <email> (url)`. An npm plugin without one shows its package.json author. */
  author?: string;
  scope?: PluginScope;
  /** Other plugins it needs, with version ranges: `{ "payments": "^1.2.0" }`. */
  requires?: Readonly<Record<string, string>>;
  permissions?: readonly P[];
  /** JSON Schema of platform-wide options, checked at boot. */
  optionsSchema?: JsonSchema;
  /** JSON Schema of per-tenant settings, checked on every write; `writeOnly` fields are never read back. */
  settingsSchema?: JsonSchema;
  /** Migrations folder (default `migrations/` beside the entry); tables must be prefixed `<name>_`. */
  migrations?: string | URL;
  /** Locales folder (default `locales/`): `<lng>.json`, namespace = plugin name; an `errors` object adds error titles. */
  locales?: string | URL;
  /** The plugin's tenant-owned models: registered for the isolation sweep and cleared on drop-data. */
  models?: readonly (typeof TenantModel)[];
  register(api: PluginApi<P>): void | Promise<void>;
}
