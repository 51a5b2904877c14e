import { BaseModel, TenantModel, registerTenantModel } from '../db/model.js';

/** Platform-level: a plugin whose migrations ran, and whether every tenant may enable it. */
export class PluginInstall extends BaseModel {
  static override tableName = 'plugin_installs';
  static override idColumn = 'name';
  static override generateId = false;
  name!: string;
  version!: string;
  availableTo!: 'all' | 'selected';
  createdAt!: string;
  updatedAt!: string;
}

/** One tenant's relation to one plugin: allowed by the platform, enabled by staff, configured. */
export class TenantPlugin extends TenantModel {
  static override tableName = 'tenant_plugins';
  static override idColumn = 'plugin';
  static override generateId = false;
  static override jsonAttributes = ['settings'];
  plugin!: string;
  allowed!: boolean | null;
  enabled!: boolean;
  settings!: Record<string, unknown> | null;
  enabledAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
  /**
   * What the plugin's middleware made of this row's settings (`prepare`), by middleware: kept on
   * the row the host reads on every request anyway, so it costs no lookup of its own. Not a column
   * (objection leaves `$` properties out of the database and JSON).
   */
  $prepared: unknown[] | undefined = undefined;

  override $parseDatabaseJson(json: Record<string, unknown>) {
    const out = super.$parseDatabaseJson(json);
    // Both drivers hand booleans back as 0/1.
    if (out.enabled !== undefined) out.enabled = Boolean(out.enabled);
    if (out.allowed !== undefined && out.allowed !== null) out.allowed = Boolean(out.allowed);
    return out;
  }
}
registerTenantModel(TenantPlugin);
