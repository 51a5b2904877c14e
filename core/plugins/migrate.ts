// A plugin's migrations run once, platform-wide, when it is installed (and again at boot for
// upgrades). Each plugin keeps its own history table, and may only create tables under its
// prefix; a tenant-owned table must be one of its registered models, so the isolation sweep sees it.
import { isSqlite, type Knex } from '../db/knex.js';
import { migrateLatest, FolderMigrationSource } from '../db/migrate.js';
import type { Kernel } from '../kernel.js';
import { ConflictError } from '../errors.js';
import type { LoadedPlugin } from './loaded.js';

async function tables(db: Knex): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  if (isSqlite(db)) {
    const rows = (await db.raw("select name from sqlite_master where type = 'table'")) as { name: string }[];
    for (const { name } of rows) {
      const cols = (await db.raw('pragma table_info(??)', [name])) as { name: string }[];
      out.set(name, cols.some((c) => c.name === 'tenant_id'));
    }
    return out;
  }
  const [rows] = (await db.raw("select table_name as t, sum(column_name = 'tenant_id') as tenant from information_schema.columns where table_schema = database() group by table_name")) as [{ t: string; tenant: number | string }[]];
  for (const r of rows) out.set(r.t, Number(r.tenant) > 0);
  return out;
}

function historyTable(p: LoadedPlugin): string {
  return `${p.prefix}migrations`;
}

/** Runs pending migrations of one plugin on every database; refuses tables outside its prefix. */
export async function migratePlugin(kernel: Kernel, p: LoadedPlugin): Promise<string[]> {
  if (!p.migrationsDir) return [];
  const done: string[] = [];
  for (const db of kernel.pool.all()) {
    const before = await tables(db);
    const ran = await migrateLatest(db, [p.migrationsDir], historyTable(p));
    done.push(...ran);
    const after = await tables(db);
    const created = [...after.keys()].filter((t) => !before.has(t));
    const outside = created.filter((t) => !t.startsWith(p.prefix));
    const modelTables = new Set(p.def.models?.map((m) => m.tableName) ?? []);
    const unregistered = created.filter((t) => after.get(t) && t.startsWith(p.prefix) && !modelTables.has(t));
    if (outside.length || unregistered.length) {
      await db.migrate.rollback({ migrationSource: new FolderMigrationSource([p.migrationsDir]), tableName: historyTable(p) }, false);
      const why = outside.length
        ? `created tables outside its prefix "${p.prefix}": ${outside.join(', ')}`
        : `created tenant-owned tables that are not in its manifest's models: ${unregistered.join(', ')}`;
      throw new ConflictError('PLUGIN_INSTALL_REFUSED', `plugin "${p.name}" ${why}; its migration was rolled back`);
    }
  }
  return done;
}

/** Drops everything the plugin's migrations made, on every database (platform uninstall with drop-data). */
export async function unmigratePlugin(kernel: Kernel, p: LoadedPlugin): Promise<void> {
  if (!p.migrationsDir) return;
  for (const db of kernel.pool.all()) {
    if (!(await db.schema.hasTable(historyTable(p)))) continue;
    await db.migrate.rollback({ migrationSource: new FolderMigrationSource([p.migrationsDir]), tableName: historyTable(p) }, true);
    await db.schema.dropTableIfExists(`${historyTable(p)}_lock`);
    await db.schema.dropTableIfExists(historyTable(p));
  }
}
