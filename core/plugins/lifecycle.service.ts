// The lifecycle of a plugin. Platform: install (migrations, once), choose who may enable it,
// uninstall. Tenant: enable, configure, disable, uninstall keeping or dropping its data. A
// plugin a tenant may not use is invisible to it: every tenant call answers PLUGIN_NOT_FOUND.
import type { PluginHealthView } from './health.js';
import type { Ctx, TenantCtx } from '../context.js';
import { createSystemCtx, requireTenant, withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, InvalidError, NotFoundError } from '../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { toFieldErrors } from '../http/validation.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { emitEvent } from '../events/emit.js';
import { hostOf, type PluginHost } from './host.js';
import type { LoadedPlugin } from './loaded.js';
import { PluginInstall, TenantPlugin } from './plugin.model.js';
import { PluginState } from './state.js';
import { migratePlugin, unmigratePlugin } from './migrate.js';
import { openFields, sealFields } from './secrets.js';

export interface TenantPluginView {
  name: string;
  version: string;
  description: string | null;
  enabled: boolean;
  permissions: string[];
  requires: Record<string, string>;
  settingsSchema: Record<string, unknown> | null;
  /** Failures of its middleware and hooks in this store (isolated; see core/plugins/health.ts). */
  health: PluginHealthView;
  /** Only while enabled; `writeOnly` fields are left out and listed in `secretsSet`. */
  settings?: Record<string, unknown>;
  secretsSet?: string[];
}

function notFound(name: string): NotFoundError {
  return new NotFoundError('PLUGIN_NOT_FOUND', `No plugin "${name}" is available to this store`, { params: { name } });
}

function describe(p: LoadedPlugin) {
  return { name: p.name, version: p.version, description: p.def.description ?? null, permissions: [...p.permissions], requires: { ...(p.def.requires ?? {}) } };
}

/** A tenant plugin this tenant may use (installed and allowed), else PLUGIN_NOT_FOUND. */
async function available(ctx: TenantCtx, name: string): Promise<{ host: PluginHost; p: LoadedPlugin; row?: TenantPlugin }> {
  const host = hostOf(ctx.kernel);
  const p = host.get(name);
  if (!p || p.scope !== 'tenant') throw notFound(name);
  const install = (await host.state.installed()).get(name);
  const row = (await host.state.rows(ctx.tenant)).get(name);
  if (!PluginState.allowed(install, row)) throw notFound(name);
  return { host, p, row };
}

function view(p: LoadedPlugin, row: TenantPlugin | undefined, health: PluginHealthView): TenantPluginView {
  const enabled = Boolean(row?.enabled);
  const out: TenantPluginView = { ...describe(p), enabled, settingsSchema: p.settings?.schema ?? null, health };
  if (enabled) {
    const settings = { ...(row?.settings ?? {}) };
    const secrets = (p.settings?.writeOnly ?? []).filter((k) => settings[k] !== undefined);
    for (const k of p.settings?.writeOnly ?? []) delete settings[k];
    out.settings = settings;
    out.secretsSet = secrets;
  }
  return out;
}

/** Validates settings against the plugin's schema (defaults applied); omitted secrets keep their stored value. */
function checkSettings(p: LoadedPlugin, given: Record<string, unknown> | undefined, stored: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!p.settings) {
    if (given && Object.keys(given).length) throw new InvalidError('VALIDATION_FAILED', `Plugin "${p.name}" has no settings`, { errors: [{ in: 'body', pointer: '/settings', code: 'unknown_field', message: 'body.settings is not taken by this plugin' }] });
    return null;
  }
  const next = structuredClone(given ?? {});
  const kept = stored ? openFields(stored, p.settings.writeOnly) : stored;
  for (const k of p.settings.writeOnly) if (next[k] === undefined && kept?.[k] !== undefined) next[k] = kept[k];
  if (!p.settings.validate(next)) {
    const errors = toFieldErrors('body', p.settings.validate.errors).map((e) => ({ ...e, pointer: `/settings${e.pointer === '/' ? '' : e.pointer}`, message: e.message.replace(/^body/, 'body.settings') }));
    throw new InvalidError('VALIDATION_FAILED', `The settings of plugin "${p.name}" are not valid`, { errors });
  }
  // Secrets are stored sealed (AES-256-GCM, core/plugins/secrets.ts), never in the clear.
  return sealFields(next, p.settings.writeOnly);
}

async function saveRow(ctx: TenantCtx, name: string, patch: Partial<Pick<TenantPlugin, 'enabled' | 'settings' | 'enabledAt' | 'allowed'>>): Promise<void> {
  const n = await scoped(ctx, TenantPlugin).patch(patch as never).where('plugin', name);
  if (n === 0) await scoped(ctx, TenantPlugin).insert({ plugin: name, allowed: null, enabled: false, settings: null, enabledAt: null, ...patch } as never);
}

async function audit(ctx: Ctx, action: string, name: string, tenantId: string | null, before: unknown, after: unknown): Promise<void> {
  await recordAudit(ctx, { action, targetType: 'plugin', targetId: name, tenantId, before, after });
}

export async function listTenantPlugins(ctx: TenantCtx): Promise<TenantPluginView[]> {
  const host = hostOf(ctx.kernel);
  const installed = await host.state.installed();
  const rows = await host.state.rows(ctx.tenant);
  return host.plugins.filter((p) => p.scope === 'tenant' && PluginState.allowed(installed.get(p.name), rows.get(p.name))).map((p) => view(p, rows.get(p.name), host.health.view(p.name, ctx.tenant.id)));
}

export async function getTenantPlugin(ctx: TenantCtx, name: string): Promise<TenantPluginView> {
  const { p, row } = await available(ctx, name);
  return view(p, row, hostOf(ctx.kernel).health.view(p.name, ctx.tenant.id));
}

export async function enablePlugin(ctx: TenantCtx, name: string, settings?: Record<string, unknown>): Promise<TenantPluginView> {
  const { host, p, row } = await available(ctx, name);
  for (const dep of Object.keys(p.def.requires ?? {})) {
    if (!(await host.isOn(ctx.tenant, dep))) {
      throw new ConflictError('PLUGIN_REQUIREMENT_OFF', `Plugin "${name}" needs plugin "${dep}" enabled first`, { params: { name, requirement: dep }, extra: { requires: dep } });
    }
  }
  const next = settings !== undefined || !row?.settings ? checkSettings(p, settings, row?.settings) : row.settings;
  await withTransaction(ctx, async (trx) => {
    await saveRow(trx, name, { enabled: true, settings: next, enabledAt: row?.enabled ? row.enabledAt : new Date().toISOString() });
    if (!row?.enabled) await emitEvent(trx, 'plugin.enabled', { plugin: name, version: p.version });
  });
  host.state.forget(ctx.tenant.id);
  await audit(ctx, 'plugin.enabled', name, ctx.tenant.id, { enabled: Boolean(row?.enabled) }, { enabled: true });
  return getTenantPlugin(ctx, name);
}

export async function configurePlugin(ctx: TenantCtx, name: string, settings: Record<string, unknown>): Promise<TenantPluginView> {
  const { host, p, row } = await available(ctx, name);
  if (!row?.enabled) throw new ConflictError('PLUGIN_DISABLED', `Plugin "${name}" is not enabled for this store; enable it first`, { params: { name } });
  const next = checkSettings(p, settings, row.settings);
  await saveRow(ctx, name, { settings: next });
  host.state.forget(ctx.tenant.id);
  await audit(ctx, 'plugin.configured', name, ctx.tenant.id, null, { fields: Object.keys(settings) });
  return getTenantPlugin(ctx, name);
}

/** Plugins on for this tenant that require `name`: it may not be switched off under them. */
async function dependents(ctx: TenantCtx, host: PluginHost, name: string): Promise<string[]> {
  const out: string[] = [];
  for (const other of host.plugins) if (other.def.requires?.[name] && (await host.isOn(ctx.tenant, other.name))) out.push(other.name);
  return out;
}

export async function disablePlugin(ctx: TenantCtx, name: string): Promise<TenantPluginView> {
  const { host, row } = await available(ctx, name);
  const users = await dependents(ctx, host, name);
  if (users.length) throw new ConflictError('PLUGIN_REQUIRED_BY', `Plugin "${name}" is required by ${users.join(', ')}; disable those first`, { params: { name, plugins: users.join(', ') }, extra: { requiredBy: users } });
  if (row?.enabled) {
    await withTransaction(ctx, async (trx) => {
      await saveRow(trx, name, { enabled: false });
      await emitEvent(trx, 'plugin.disabled', { plugin: name });
    });
    host.state.forget(ctx.tenant.id);
    await audit(ctx, 'plugin.disabled', name, ctx.tenant.id, { enabled: true }, { enabled: false });
  }
  return getTenantPlugin(ctx, name);
}

/** Off, settings forgotten; with dropData also every row of the plugin's tables for this tenant. */
export async function uninstallForTenant(ctx: TenantCtx, name: string, dropData: boolean): Promise<void> {
  const { host, p, row } = await available(ctx, name);
  const users = await dependents(ctx, host, name);
  if (users.length) throw new ConflictError('PLUGIN_REQUIRED_BY', `Plugin "${name}" is required by ${users.join(', ')}; disable those first`, { params: { name, plugins: users.join(', ') }, extra: { requiredBy: users } });
  await withTransaction(ctx, async (trx) => {
    if (dropData) for (const model of [...(p.def.models ?? [])].reverse()) await scoped(trx, model).delete();
    // The platform's allowance survives the tenant's uninstall.
    if (row?.allowed === null || row?.allowed === undefined) await scoped(trx, TenantPlugin).delete().where('plugin', name);
    else await saveRow(trx, name, { enabled: false, settings: null, enabledAt: null });
    if (row?.enabled) await emitEvent(trx, 'plugin.disabled', { plugin: name });
  });
  host.state.forget(ctx.tenant.id);
  await audit(ctx, 'plugin.uninstalled', name, ctx.tenant.id, { enabled: Boolean(row?.enabled) }, { dropData });
}

// ---- Platform ----

export interface PlatformPluginView {
  name: string;
  version: string;
  description: string | null;
  scope: 'tenant' | 'platform';
  origin: string;
  author: string | null;
  permissions: string[];
  requires: Record<string, string>;
  installed: boolean;
  /** How many stores have it on (a platform plugin: null, it acts for the platform). */
  stores: number | null;
  installedVersion: string | null;
  availableTo: 'all' | 'selected' | null;
  optionsSchema: Record<string, unknown> | null;
  /** Failures of its middleware and hooks in any store since this process started. */
  health: PluginHealthView;
  settingsSchema: Record<string, unknown> | null;
}

function platformView(p: LoadedPlugin, install: PluginInstall | undefined, stores: number, health: PluginHealthView): PlatformPluginView {
  return {
    health,
    ...describe(p),
    scope: p.scope,
    origin: p.origin,
    author: p.author,
    stores: p.scope === 'platform' ? null : stores,
    installed: Boolean(install),
    installedVersion: install?.version ?? null,
    availableTo: install?.availableTo ?? null,
    optionsSchema: p.def.optionsSchema ?? null,
    settingsSchema: p.settings?.schema ?? null,
  };
}

function loaded(ctx: Ctx, name: string): { host: PluginHost; p: LoadedPlugin } {
  const host = hostOf(ctx.kernel);
  const p = host.get(name);
  if (!p) throw new NotFoundError('PLUGIN_NOT_FOUND', `No plugin "${name}" is loaded on this platform`, { params: { name } });
  return { host, p };
}

interface UseRow {
  plugin: string;
  tenant_id: string;
  allowed: boolean | number | null;
  enabled_at: Date | string | null;
}

/**
 * Which stores have a plugin on, read from every placement: a platform-wide view across tenants
 * (like uninstall's sweep), never served to a store. On = enabled and still allowed.
 */
async function storesUsing(ctx: Ctx, name?: string): Promise<UseRow[]> {
  const installed = await hostOf(ctx.kernel).state.installed();
  const rows: UseRow[] = [];
  for (const db of ctx.kernel.pool.all()) {
    const q = db<UseRow>('tenant_plugins').where('enabled', true).select('plugin', 'tenant_id', 'allowed', 'enabled_at');
    if (name) q.where('plugin', name);
    rows.push(...(await q));
  }
  return rows.filter((r) => {
    const install = installed.get(r.plugin);
    return PluginState.allowed(install, { allowed: r.allowed === null ? null : Boolean(r.allowed) } as TenantPlugin);
  });
}

export async function listPlatformPlugins(ctx: Ctx): Promise<PlatformPluginView[]> {
  const host = hostOf(ctx.kernel);
  const installed = await host.state.installed();
  const counts = new Map<string, number>();
  for (const r of await storesUsing(ctx)) counts.set(r.plugin, (counts.get(r.plugin) ?? 0) + 1);
  return host.plugins.map((p) => platformView(p, installed.get(p.name), counts.get(p.name) ?? 0, host.health.view(p.name)));
}

export interface PluginStoreView {
  id: string;
  slug: string;
  name: string;
  status: string;
  enabledAt: string | null;
}

/** The stores that have one plugin on, by tenant id, a page at a time. */
export async function listPluginStores(ctx: Ctx, name: string, limit: number, cursor: string | undefined): Promise<{ items: PluginStoreView[]; nextCursor: string | null }> {
  const { p } = loaded(ctx, name);
  if (p.scope === 'platform') return { items: [], nextCursor: null };
  const after = decodeCursor(cursor, 1);
  const rows = (await storesUsing(ctx, name)).filter((r) => !after || r.tenant_id > String(after[0])).sort((a, b) => (a.tenant_id < b.tenant_id ? -1 : 1));
  const items: PluginStoreView[] = [];
  let last: string | null = null;
  for (const r of rows) {
    if (items.length === limit) break;
    last = r.tenant_id;
    const t = await ctx.kernel.tenants.byId(r.tenant_id);
    if (!t) continue; // a store deleted since: its rows go with it
    items.push({ id: t.id, slug: t.slug, name: t.name, status: t.status, enabledAt: r.enabled_at ? new Date(r.enabled_at).toISOString() : null });
  }
  const more = last !== null && rows.some((r) => r.tenant_id > last!);
  return { items, nextCursor: more ? encodeCursor([last!]) : null };
}

/** Runs the plugin's migrations on every database and makes it available (to all tenants, or to selected ones). */
export async function installPlugin(ctx: Ctx, name: string, availableTo: 'all' | 'selected' = 'all'): Promise<PlatformPluginView> {
  const { host, p } = loaded(ctx, name);
  const installed = await host.state.installed();
  for (const dep of Object.keys(p.def.requires ?? {})) {
    if (!installed.has(dep)) throw new ConflictError('PLUGIN_REQUIREMENT_OFF', `Plugin "${name}" needs plugin "${dep}" installed first`, { params: { name, requirement: dep }, extra: { requires: dep } });
  }
  const before = installed.get(name);
  await migratePlugin(ctx.kernel, p);
  const control = ctx.kernel.pool.control;
  if (before) await PluginInstall.query(control).patch({ version: p.version, availableTo }).where('name', name);
  else await PluginInstall.query(control).insert({ name, version: p.version, availableTo });
  host.state.forget();
  await audit(ctx, before ? 'plugin.updated' : 'plugin.installed', name, null, before ? { version: before.version, availableTo: before.availableTo } : null, { version: p.version, availableTo });
  const stores = (await storesUsing(ctx, name)).length;
  return platformView(p, (await host.state.installed()).get(name), stores, host.health.view(p.name));
}

/** Platform-wide uninstall: every tenant loses it; with dropData its tables are dropped. */
export async function uninstallPlugin(ctx: Ctx, name: string, dropData: boolean): Promise<void> {
  const { host, p } = loaded(ctx, name);
  const installed = await host.state.installed();
  const needers = host.plugins.filter((o) => o.def.requires?.[name] && installed.has(o.name)).map((o) => o.name);
  if (needers.length) throw new ConflictError('PLUGIN_REQUIRED_BY', `Plugin "${name}" is required by ${needers.join(', ')}; uninstall those first`, { params: { name, plugins: needers.join(', ') }, extra: { requiredBy: needers } });
  if (!installed.has(name)) return;
  await PluginInstall.query(ctx.kernel.pool.control).delete().where('name', name);
  if (dropData) {
    for (const db of ctx.kernel.pool.all()) await db('tenant_plugins').where('plugin', name).delete();
    await unmigratePlugin(ctx.kernel, p);
  } else {
    for (const db of ctx.kernel.pool.all()) await db('tenant_plugins').where('plugin', name).update({ enabled: false });
  }
  host.state.forget();
  await audit(ctx, 'plugin.uninstalled', name, null, { version: installed.get(name)!.version }, { dropData });
}

export interface TenantAllowanceView {
  name: string;
  scope: 'tenant' | 'platform';
  installed: boolean;
  allowed: boolean;
  /** `platform`: set for this tenant; `default`: from the install's availableTo. */
  allowedBy: 'platform' | 'default';
  enabled: boolean;
}

async function tenantCtxById(ctx: Ctx, tenantId: string): Promise<TenantCtx> {
  const tenant = await ctx.kernel.tenants.byId(tenantId);
  if (!tenant) throw new NotFoundError('TENANT_NOT_FOUND', 'No such tenant');
  return requireTenant({ ...createSystemCtx(ctx.kernel, tenant, { requestId: ctx.requestId }), actor: ctx.actor });
}

export async function listAllowances(ctx: Ctx, tenantId: string): Promise<TenantAllowanceView[]> {
  const tctx = await tenantCtxById(ctx, tenantId);
  const host = hostOf(ctx.kernel);
  const installed = await host.state.installed();
  const rows = await host.state.rows(tctx.tenant);
  return host.plugins
    .filter((p) => p.scope === 'tenant')
    .map((p) => {
      const row = rows.get(p.name);
      const install = installed.get(p.name);
      return { name: p.name, scope: p.scope, installed: Boolean(install), allowed: PluginState.allowed(install, row), allowedBy: row?.allowed === null || row?.allowed === undefined ? 'default' : 'platform', enabled: Boolean(row?.enabled) && PluginState.allowed(install, row) };
    });
}

/** Lets one tenant enable a plugin, or stops it (which switches it off there); `null` returns to the default. */
export async function setAllowance(ctx: Ctx, tenantId: string, name: string, allowed: boolean | null): Promise<TenantAllowanceView> {
  const tctx = await tenantCtxById(ctx, tenantId);
  const { host, p } = loaded(ctx, name);
  if (p.scope !== 'tenant') throw new ConflictError('PLUGIN_PLATFORM_SCOPED', `Plugin "${name}" acts for the platform; tenants do not enable it`, { params: { name } });
  const row = (await host.state.rows(tctx.tenant)).get(name);
  const install = (await host.state.installed()).get(name);
  const wasOn = Boolean(row?.enabled) && PluginState.allowed(install, row);
  await withTransaction(tctx, async (trx) => {
    await saveRow(trx, name, allowed === false ? { allowed, enabled: false } : { allowed });
    if (wasOn && allowed === false) await emitEvent(trx, 'plugin.disabled', { plugin: name });
  });
  host.state.forget(tenantId);
  await audit(ctx, 'plugin.allowance', name, tenantId, { allowed: row?.allowed ?? null }, { allowed });
  return (await listAllowances(ctx, tenantId)).find((a) => a.name === name)!;
}
