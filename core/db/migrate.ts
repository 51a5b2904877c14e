// Migrations from several folders (core, tenants, each plugin) in one ordered list. Names are
// recorded without their extension, so migrating under tsx and later from dist/ agree.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from './knex.js';

interface MigrationFile {
  name: string;
  file: string;
}

export class FolderMigrationSource implements Knex.MigrationSource<MigrationFile> {
  constructor(private readonly dirs: string[]) {}

  async getMigrations(): Promise<MigrationFile[]> {
    const files: MigrationFile[] = [];
    for (const dir of this.dirs) {
      if (!fs.existsSync(dir)) continue;
      for (const entry of fs.readdirSync(dir)) {
        if (!/\.(ts|js)$/.test(entry) || entry.endsWith('.d.ts')) continue;
        files.push({ name: entry.replace(/\.(ts|js)$/, ''), file: path.join(dir, entry) });
      }
    }
    return files.sort((a, b) => a.name.localeCompare(b.name));
  }

  getMigrationName(m: MigrationFile): string {
    return m.name;
  }

  async getMigration(m: MigrationFile): Promise<Knex.Migration> {
    return (await import(pathToFileURL(m.file).href)) as Knex.Migration;
  }
}

export async function migrateLatest(db: Knex, dirs: string[], tableName = 'knex_migrations'): Promise<string[]> {
  const [, done] = (await db.migrate.latest({ migrationSource: new FolderMigrationSource(dirs), tableName })) as [number, string[]];
  return done;
}

export async function migrateRollbackAll(db: Knex, dirs: string[], tableName = 'knex_migrations'): Promise<void> {
  await db.migrate.rollback({ migrationSource: new FolderMigrationSource(dirs), tableName }, true);
}
