// Moving a tenant between placements (`bazaar tenant:move --slug S --to P`):
//   1. the store turns read-only (tenants.moving_to): writes answer 503 TENANT_MOVING with
//      Retry-After, reads go on, queued work for it waits; every process sees it within the
//      tenant directory's TTL, so the move waits that long (plus in-flight requests) to drain;
//   2. every tenant-owned table (the core's and every plugin's: tenantModels) is copied, rows
//      WHERE tenant_id = it, into the target in one transaction;
//   3. each table is verified on both sides: row count and a SHA-256 over its rows in key order;
//   4. the placement record switches (and read-only ends) in one update of the control database;
//   5. after another drain wait (every process reads the new placement), the old rows are
//      deleted from the source and the store's cached catalog answers dropped.
// A failure in 1-4 removes what was copied, ends read-only and leaves the store where it was.
// A failure in 5 leaves unreachable copies on the source (reported; `--cleanup` is not needed:
// rerunning the move later first clears the target, and a second move back reuses nothing).
import crypto from 'node:crypto';
import type { Knex } from '../core/db/knex.js';
import { isSqlite } from '../core/db/knex.js';
import { tenantModels } from '../core/db/model.js';
import type { Ctx } from '../core/context.js';
import { recordAudit } from '../core/audit/audit.service.js';
import { ConflictError, InvalidError, NotFoundError } from '../core/errors.js';
import { TenantRecord } from './tenant.model.js';
import { createSystemCtx } from '../core/context.js';
import { invalidateCatalog } from '../core/catalog/catalog.cache.js';

/** Tables with a tenant_id column that live on the control database only (the registry, the audit trail). */
export const PLATFORM_TENANT_TABLES: Readonly<Record<string, string>> = {
  tenant_domains: 'the registry: which domain points at which tenant',
  audit_log: 'platform audit trail, read only through the Platform API',
};

/** How long every process needs to see a tenant change (the tenant directory's TTL), plus in-flight requests. */
export const DEFAULT_DRAIN_MS = 8_000;
const BATCH = 200;

export type MoveStep = 'readOnly' | 'copied' | 'verified' | 'switched' | 'cleaned';

export interface MoveOptions {
  slug: string;
  to: string;
  /** Wait after turning read-only, before copying (default DEFAULT_DRAIN_MS). */
  drainMs?: number;
  /** Progress, one line per step (the CLI prints them). */
  log?: (line: string) => void;
  /** Called after each step; a test pauses or fails a move here. */
  onStep?: (step: MoveStep) => Promise<void> | void;
}

export interface TableReport {
  table: string;
  rows: number;
  sha256: string;
}

export interface MoveReport {
  tenantId: string;
  slug: string;
  from: string;
  to: string;
  tables: TableReport[];
  readOnlyMs: number;
  /** Set when the old rows could not be removed after the switch (the store moved all the same). */
  cleanupError?: string;
}

/** Tables with a tenant_id column on this database. */
async function tablesWithTenantId(db: Knex): Promise<string[]> {
  if (isSqlite(db)) {
    const tables = (await db.raw("select name from sqlite_master where type = 'table'")) as { name: string }[];
    const out: string[] = [];
    for (const { name } of tables) {
      const cols = (await db.raw('pragma table_info(??)', [name])) as { name: string }[];
      if (cols.some((c) => c.name === 'tenant_id')) out.push(name);
    }
    return out.sort();
  }
  const [rows] = (await db.raw("select distinct table_name as t from information_schema.columns where table_schema = database() and column_name = 'tenant_id'")) as [{ t: string }[]];
  return rows.map((r) => r.t).sort();
}

async function primaryKey(db: Knex, table: string): Promise<string[]> {
  if (isSqlite(db)) {
    const cols = (await db.raw('pragma table_info(??)', [table])) as { name: string; pk: number }[];
    const pk = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    return pk.length ? pk : cols.map((c) => c.name);
  }
  const [rows] = (await db.raw(
    "select column_name as c from information_schema.key_column_usage where table_schema = database() and table_name = ? and constraint_name = 'PRIMARY' order by ordinal_position",
    [table],
  )) as [{ c: string }[]];
  if (rows.length) return rows.map((r) => r.c);
  const [cols] = (await db.raw('select column_name as c from information_schema.columns where table_schema = database() and table_name = ? order by ordinal_position', [table])) as [{ c: string }[]];
  return cols.map((r) => r.c);
}

/** A value as both reads of one engine give it, for the checksum and for a re-insert. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v)) return { b64: v.toString('base64') };
  return v;
}

function forInsert(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v) ? JSON.stringify(v) : v;
  return out;
}

async function* pages(db: Knex, table: string, tenantId: string, key: string[]): AsyncGenerator<Record<string, unknown>[]> {
  for (let offset = 0; ; offset += BATCH) {
    const rows = (await db(table).where('tenant_id', tenantId).orderBy(key.map((column) => ({ column }))).limit(BATCH).offset(offset)) as Record<string, unknown>[];
    if (rows.length) yield rows;
    if (rows.length < BATCH) return;
  }
}

async function digest(db: Knex, table: string, tenantId: string, key: string[]): Promise<TableReport> {
  const hash = crypto.createHash('sha256');
  let rows = 0;
  for await (const page of pages(db, table, tenantId, key)) {
    for (const row of page) {
      hash.update(JSON.stringify(Object.keys(row).sort().map((k) => [k, plain(row[k])])));
      hash.update('\n');
      rows++;
    }
  }
  return { table, rows, sha256: hash.digest('hex') };
}

/** Runs fn in a transaction with foreign keys unchecked until commit (rows go in table by table). */
async function withoutForeignKeys<T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    if (isSqlite(db)) {
      await trx.raw('pragma defer_foreign_keys = on');
      return fn(trx);
    }
    await trx.raw('set foreign_key_checks = 0');
    try {
      return await fn(trx);
    } finally {
      await trx.raw('set foreign_key_checks = 1');
    }
  });
}

async function deleteTenantRows(db: Knex, tables: string[], tenantId: string): Promise<void> {
  await withoutForeignKeys(db, async (trx) => {
    for (const table of tables) await trx(table).where('tenant_id', tenantId).delete();
  });
}

/** The tables to move: every tenant-owned table present on the source. */
async function movableTables(source: Knex, target: Knex): Promise<string[]> {
  const onSource = await tablesWithTenantId(source);
  const unknown = onSource.filter((t) => !tenantModels.has(t) && !PLATFORM_TENANT_TABLES[t]);
  if (unknown.length) {
    throw new ConflictError('MOVE_UNKNOWN_TABLES', `The source database has tenant tables no loaded model claims (${unknown.join(', ')}): load the plugin that owns them (BAZAAR_PLUGINS) before moving`);
  }
  const tables = onSource.filter((t) => tenantModels.has(t));
  const onTarget = new Set(await tablesWithTenantId(target));
  const missing = tables.filter((t) => !onTarget.has(t));
  if (missing.length) throw new ConflictError('MOVE_TARGET_NOT_MIGRATED', `The target placement lacks tables ${missing.join(', ')}: run bazaar migrate (and install the plugins) first`);
  return tables;
}

export async function moveTenant(ctx: Ctx, opts: MoveOptions): Promise<MoveReport> {
  const { kernel } = ctx;
  const log = opts.log ?? (() => undefined);
  const step = async (s: MoveStep) => opts.onStep?.(s);
  const control = kernel.pool.control;
  const record = await TenantRecord.query(control).findOne({ slug: opts.slug });
  if (!record) throw new NotFoundError('TENANT_NOT_FOUND', `No store "${opts.slug}"`);
  if (!kernel.pool.has(opts.to)) throw new InvalidError('UNKNOWN_PLACEMENT', `No database is configured for placement "${opts.to}" (DATABASE_PLACEMENTS)`);
  if (record.placement === opts.to) throw new ConflictError('ALREADY_THERE', `Store "${opts.slug}" is already on placement "${opts.to}"`);
  const source = kernel.pool.forTenant(record);
  const target = kernel.pool.forTenant({ placement: opts.to });
  if (source === target) throw new ConflictError('ALREADY_THERE', `Placements "${record.placement}" and "${opts.to}" are one database`);
  if (isSqlite(source) !== isSqlite(target)) throw new ConflictError('MOVE_ACROSS_ENGINES', 'Both placements must use the same database engine');
  const tables = await movableTables(source, target);

  // 1. Read-only, claimed atomically: a second move of the same store finds moving_to set.
  const claimed = await control('tenants').where({ id: record.id, placement: record.placement }).whereNull('moving_to').update({ moving_to: opts.to });
  if (!claimed) throw new ConflictError('MOVE_IN_PROGRESS', `Store "${opts.slug}" is already being moved`);
  const readOnlySince = Date.now();
  await kernel.tenants.invalidate(record.toTenant());
  const drainMs = opts.drainMs ?? DEFAULT_DRAIN_MS;
  log(`${opts.slug}: read-only; waiting ${drainMs} ms for every process to see it and in-flight writes to finish`);
  const undo = async (err: unknown): Promise<never> => {
    try {
      await deleteTenantRows(target, tables, record.id);
    } finally {
      await control('tenants').where({ id: record.id }).update({ moving_to: null });
      await kernel.tenants.invalidate(record.toTenant());
    }
    log(`${opts.slug}: move abandoned, the store stays on "${record.placement}": ${(err as Error).message}`);
    throw err;
  };

  const reports: TableReport[] = [];
  try {
    await new Promise((r) => setTimeout(r, drainMs));
    await step('readOnly');
    // 2. Copy (a failed earlier attempt may have left rows on the target: they were never live).
    await withoutForeignKeys(target, async (trx) => {
      for (const table of tables) await trx(table).where('tenant_id', record.id).delete();
      for (const table of tables) {
        const key = await primaryKey(source, table);
        for await (const page of pages(source, table, record.id, key)) await trx(table).insert(page.map(forInsert));
      }
    });
    log(`${opts.slug}: copied ${tables.length} tables to "${opts.to}"`);
    await step('copied');
    // 3. Verify each table on both sides.
    for (const table of tables) {
      const key = await primaryKey(source, table);
      const [a, b] = await Promise.all([digest(source, table, record.id, key), digest(target, table, record.id, key)]);
      if (a.rows !== b.rows || a.sha256 !== b.sha256) {
        throw new ConflictError('MOVE_VERIFY_FAILED', `Table ${table} differs after the copy (source ${a.rows} rows ${a.sha256.slice(0, 12)}, target ${b.rows} rows ${b.sha256.slice(0, 12)})`);
      }
      reports.push(a);
    }
    log(`${opts.slug}: verified ${reports.reduce((n, r) => n + r.rows, 0)} rows (count and SHA-256 per table)`);
    await step('verified');
    // 4. Switch: the placement record and the end of read-only in one update.
    const switched = await control('tenants').where({ id: record.id, placement: record.placement, moving_to: opts.to }).update({ placement: opts.to, moving_to: null, updated_at: new Date() });
    if (!switched) throw new ConflictError('MOVE_LOST_CLAIM', `Store "${opts.slug}" changed during the move`);
  } catch (err) {
    return undo(err);
  }
  const readOnlyMs = Date.now() - readOnlySince;
  await kernel.tenants.invalidate(record.toTenant());
  log(`${opts.slug}: now on "${opts.to}" (read-only for ${readOnlyMs} ms)`);
  await step('switched');
  const report: MoveReport = { tenantId: record.id, slug: record.slug, from: record.placement, to: opts.to, tables: reports, readOnlyMs };
  // 5. The old rows go once every process reads the new placement (until then a process that
  // has not seen the switch still reads them, and writes nothing: it sees the store moving).
  // Then the store's cached catalog answers are dropped, so none filled from a stale read stays.
  try {
    await new Promise((r) => setTimeout(r, drainMs));
    await deleteTenantRows(source, tables, record.id);
    const moved = await TenantRecord.query(control).findById(record.id);
    if (moved) await invalidateCatalog(createSystemCtx(kernel, moved.toTenant()));
    log(`${opts.slug}: removed its rows from "${record.placement}"`);
    await step('cleaned');
  } catch (err) {
    report.cleanupError = (err as Error).message;
    log(`${opts.slug}: could not remove its old rows from "${record.placement}" (unreachable, safe to delete by tenant_id): ${report.cleanupError}`);
  }
  await recordAudit(ctx, {
    action: 'tenant.moved', targetType: 'tenant', targetId: record.id, tenantId: record.id,
    before: { placement: record.placement }, after: { placement: opts.to, rows: reports.reduce((n, r) => n + r.rows, 0), readOnlyMs },
  });
  return report;
}
