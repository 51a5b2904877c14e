// Who has which plugin on: installs (platform) and per-tenant rows, remembered for a few seconds
// per process (every request of a plugin route asks). A change here forgets at once in this
// process; other processes see it within the TTL.
import type { Kernel } from '../kernel.js';
import type { Tenant } from '../context.js';
import { requireTenant, createSystemCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { PluginInstall, TenantPlugin } from './plugin.model.js';

const TTL_MS = 5_000;

export class PluginState {
  private installs?: { until: number; map: Map<string, PluginInstall> };
  private readonly tenants = new Map<string, { until: number; rows: Map<string, TenantPlugin> }>();

  constructor(private readonly kernel: Kernel) {}

  async installed(): Promise<Map<string, PluginInstall>> {
    if (this.installs && this.installs.until > Date.now()) return this.installs.map;
    const rows = await PluginInstall.query(this.kernel.pool.control);
    const map = new Map(rows.map((r) => [r.name, r]));
    this.installs = { until: Date.now() + TTL_MS, map };
    return map;
  }

  async rows(tenant: Tenant): Promise<Map<string, TenantPlugin>> {
    const hit = this.tenants.get(tenant.id);
    if (hit && hit.until > Date.now()) return hit.rows;
    const ctx = requireTenant(createSystemCtx(this.kernel, tenant));
    const rows = new Map((await scoped(ctx, TenantPlugin)).map((r) => [r.plugin, r]));
    if (this.tenants.size > 10_000) this.tenants.clear();
    this.tenants.set(tenant.id, { until: Date.now() + TTL_MS, rows });
    return rows;
  }

  /** May this tenant enable the plugin: the platform's per-tenant word, else the install's default. */
  static allowed(install: PluginInstall | undefined, row: TenantPlugin | undefined): boolean {
    if (!install) return false;
    return row?.allowed ?? install.availableTo === 'all';
  }

  async isOn(tenant: Tenant | null, plugin: { name: string; scope: string }): Promise<boolean> {
    const install = (await this.installed()).get(plugin.name);
    if (!install) return false;
    if (plugin.scope === 'platform') return true;
    if (!tenant) return false;
    const row = (await this.rows(tenant)).get(plugin.name);
    return Boolean(row?.enabled) && PluginState.allowed(install, row);
  }

  forget(tenantId?: string): void {
    this.installs = undefined;
    if (tenantId) this.tenants.delete(tenantId);
    else this.tenants.clear();
  }
}
