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

  /** Reads on their way: requests that miss together share one query. */
  private loadingInstalls?: Promise<Map<string, PluginInstall>>;
  private readonly loadingRows = new Map<string, Promise<Map<string, TenantPlugin>>>();
  /** Bumped by forget(): a read that started before a change does not store its answer. */
  private generation = 0;

  installed(): Promise<Map<string, PluginInstall>> {
    if (this.installs && this.installs.until > Date.now()) return Promise.resolve(this.installs.map);
    if (!this.loadingInstalls) {
      const generation = this.generation;
      const loading = PluginInstall.query(this.kernel.pool.control).then(
        (rows) => {
          const map = new Map(rows.map((r) => [r.name, r]));
          if (generation === this.generation) this.installs = { until: Date.now() + TTL_MS, map };
          if (this.loadingInstalls === loading) this.loadingInstalls = undefined;
          return map;
        },
        (err: unknown) => {
          if (this.loadingInstalls === loading) this.loadingInstalls = undefined;
          throw err;
        },
      );
      this.loadingInstalls = loading;
    }
    return this.loadingInstalls;
  }

  rows(tenant: Tenant): Promise<Map<string, TenantPlugin>> {
    const hit = this.tenants.get(tenant.id);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.rows);
    let loading = this.loadingRows.get(tenant.id);
    if (!loading) {
      const generation = this.generation;
      const ctx = requireTenant(createSystemCtx(this.kernel, tenant));
      const started: Promise<Map<string, TenantPlugin>> = scoped(ctx, TenantPlugin).then(
        (found) => {
          const rows = new Map(found.map((r) => [r.plugin, r]));
          if (generation === this.generation) {
            if (this.tenants.size > 10_000) this.tenants.clear();
            this.tenants.set(tenant.id, { until: Date.now() + TTL_MS, rows });
          }
          if (this.loadingRows.get(tenant.id) === started) this.loadingRows.delete(tenant.id);
          return rows;
        },
        (err: unknown) => {
          if (this.loadingRows.get(tenant.id) === started) this.loadingRows.delete(tenant.id);
          throw err;
        },
      );
      this.loadingRows.set(tenant.id, started);
      loading = started;
    }
    return loading;
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

  /**
   * The same answer as isOn() without waiting, when both lookups are remembered (nearly every
   * request); undefined when one has to be read first.
   */
  knownOn(tenant: Tenant | null, plugin: { name: string; scope: string }): boolean | undefined {
    const now = Date.now();
    if (!this.installs || this.installs.until <= now) return undefined;
    const install = this.installs.map.get(plugin.name);
    if (!install) return false;
    if (plugin.scope === 'platform') return true;
    if (!tenant) return false;
    const hit = this.tenants.get(tenant.id);
    if (!hit || hit.until <= now) return undefined;
    const row = hit.rows.get(plugin.name);
    return Boolean(row?.enabled) && PluginState.allowed(install, row);
  }

  forget(tenantId?: string): void {
    this.generation++;
    this.loadingInstalls = undefined;
    this.loadingRows.clear();
    this.installs = undefined;
    if (tenantId) this.tenants.delete(tenantId);
    else this.tenants.clear();
  }
}
