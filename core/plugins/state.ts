// Who has which plugin on: installs (platform) and per-tenant rows, remembered for a few seconds
// per process (every request of a plugin route asks). A change here forgets at once in this
// process; other processes see it within the TTL.
// A caller inside a transaction passes its ctx: a miss is then read through that transaction
// (when the rows live in its database), never around it. On SQLite's one connection a read around
// it waits for the connection the transaction holds, for knex's minute: a subscriber (each runs in
// its receipt's transaction) reading its settings just after the 5 s had passed did that.
import type { Knex } from 'knex';
import type { Kernel } from '../kernel.js';
import type { Tenant, TenantCtx } from '../context.js';
import { requireTenant, createSystemCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { LoadingMemo } from '../cache/loading-memo.js';
import { PluginInstall, TenantPlugin } from './plugin.model.js';

const TTL_MS = 5_000;

/** The caller's open transaction, if it has one. */
function transactionOf(ctx: TenantCtx | undefined): Knex.Transaction | null {
  return ctx && (ctx.db as Knex.Transaction).isTransaction ? (ctx.db as Knex.Transaction) : null;
}

export class PluginState {
  private readonly installs = new LoadingMemo<Map<string, PluginInstall>>(TTL_MS, 1);
  private readonly tenants = new LoadingMemo<Map<string, TenantPlugin>>(TTL_MS);

  constructor(private readonly kernel: Kernel) {}

  /** The platform's installs; `via`: the caller's ctx, read through its transaction when that is on the control database. */
  installed(via?: TenantCtx): Promise<Map<string, PluginInstall>> {
    const load = (db: Knex) => async () => new Map((await PluginInstall.query(db)).map((r) => [r.name, r]));
    const trx = transactionOf(via);
    if (trx && this.kernel.pool.forTenant(via!.tenant) === this.kernel.pool.control) return this.installs.getAlone('all', load(trx));
    return this.installs.get('all', load(this.kernel.pool.control));
  }

  /** The store's plugin rows; `via`: the caller's ctx of that store, read through its transaction if it is in one. */
  rows(tenant: Tenant, via?: TenantCtx): Promise<Map<string, TenantPlugin>> {
    const load = (ctx: TenantCtx) => async () => new Map((await scoped(ctx, TenantPlugin)).map((r) => [r.plugin, r]));
    if (via && transactionOf(via) && via.tenant.id === tenant.id) return this.tenants.getAlone(tenant.id, load(via));
    return this.tenants.get(tenant.id, load(requireTenant(createSystemCtx(this.kernel, tenant))));
  }

  /** May this tenant enable the plugin: the platform's per-tenant word, else the install's default. */
  static allowed(install: PluginInstall | undefined, row: TenantPlugin | undefined): boolean {
    if (!install) return false;
    return row?.allowed ?? install.availableTo === 'all';
  }

  async isOn(tenant: Tenant | null, plugin: { name: string; scope: string }, via?: TenantCtx): Promise<boolean> {
    return (await this.on(tenant, plugin, via)) !== false;
  }

  /**
   * The same answer as isOn() without waiting, when both lookups are remembered (nearly every
   * request); undefined when one has to be read first. On, it is the store's row of the plugin
   * (true for a platform plugin, which has none): what the host keeps prepared values with.
   */
  knownOn(tenant: Tenant | null, plugin: { name: string; scope: string }): TenantPlugin | boolean | undefined {
    const installs = this.installs.fresh('all');
    if (!installs) return undefined;
    const install = installs.value.get(plugin.name);
    if (!install) return false;
    if (plugin.scope === 'platform') return true;
    if (!tenant) return false;
    const rows = this.tenants.fresh(tenant.id);
    if (!rows) return undefined;
    return PluginState.onRow(install, rows.value.get(plugin.name));
  }

  /** isOn() with the same answer as knownOn(), after reading what it has to. */
  async on(tenant: Tenant | null, plugin: { name: string; scope: string }, via?: TenantCtx): Promise<TenantPlugin | boolean> {
    const install = (await this.installed(via)).get(plugin.name);
    if (!install) return false;
    if (plugin.scope === 'platform') return true;
    if (!tenant) return false;
    return PluginState.onRow(install, (await this.rows(tenant, via)).get(plugin.name));
  }

  private static onRow(install: PluginInstall, row: TenantPlugin | undefined): TenantPlugin | false {
    return row !== undefined && Boolean(row.enabled) && PluginState.allowed(install, row) ? row : false;
  }

  forget(tenantId?: string): void {
    this.installs.forget();
    this.tenants.forget(tenantId);
  }
}
