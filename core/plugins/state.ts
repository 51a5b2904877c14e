// Who has which plugin on: installs (platform) and per-tenant rows, remembered for a few seconds
// per process (every request of a plugin route asks). A change here forgets at once in this
// process; other processes see it within the TTL.
import type { Kernel } from '../kernel.js';
import type { Tenant } from '../context.js';
import { requireTenant, createSystemCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { LoadingMemo } from '../cache/loading-memo.js';
import { PluginInstall, TenantPlugin } from './plugin.model.js';

const TTL_MS = 5_000;

export class PluginState {
  private readonly installs = new LoadingMemo<Map<string, PluginInstall>>(TTL_MS, 1);
  private readonly tenants = new LoadingMemo<Map<string, TenantPlugin>>(TTL_MS);

  constructor(private readonly kernel: Kernel) {}

  installed(): Promise<Map<string, PluginInstall>> {
    return this.installs.get('all', async () => new Map((await PluginInstall.query(this.kernel.pool.control)).map((r) => [r.name, r])));
  }

  rows(tenant: Tenant): Promise<Map<string, TenantPlugin>> {
    return this.tenants.get(tenant.id, async () => {
      const ctx = requireTenant(createSystemCtx(this.kernel, tenant));
      return new Map((await scoped(ctx, TenantPlugin)).map((r) => [r.plugin, r]));
    });
  }

  /** May this tenant enable the plugin: the platform's per-tenant word, else the install's default. */
  static allowed(install: PluginInstall | undefined, row: TenantPlugin | undefined): boolean {
    if (!install) return false;
    return row?.allowed ?? install.availableTo === 'all';
  }

  async isOn(tenant: Tenant | null, plugin: { name: string; scope: string }): Promise<boolean> {
    return (await this.on(tenant, plugin)) !== false;
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
  async on(tenant: Tenant | null, plugin: { name: string; scope: string }): Promise<TenantPlugin | boolean> {
    const install = (await this.installed()).get(plugin.name);
    if (!install) return false;
    if (plugin.scope === 'platform') return true;
    if (!tenant) return false;
    return PluginState.onRow(install, (await this.rows(tenant)).get(plugin.name));
  }

  private static onRow(install: PluginInstall, row: TenantPlugin | undefined): TenantPlugin | false {
    return row !== undefined && Boolean(row.enabled) && PluginState.allowed(install, row) ? row : false;
  }

  forget(tenantId?: string): void {
    this.installs.forget();
    this.tenants.forget(tenantId);
  }
}
