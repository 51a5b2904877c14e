// Plain-knex access to catalog tables for hot paths and bulk writes. Reads still start from the
// scoped helper (scopedTable), so the tenant filter is always there; joins add
// `tenant_id = <outer>.tenant_id`.
import type { Knex } from '../db/knex.js';
import { scopedTable, type ScopeCtx, type TenantModel } from '../db/model.js';
import type { Ctx, TenantCtx } from '../context.js';

/** scoped(ctx, Model) as a knex builder: `select ... from <table> where <table>.tenant_id = ?`, no model instances. */
export function table(ctx: ScopeCtx, model: typeof TenantModel): Knex.QueryBuilder {
  return scopedTable(ctx, model);
}

/** Multi-row insert with the tenant stamped on every row (objection's array insert is Postgres-only). */
export async function insertRows(ctx: TenantCtx, model: typeof TenantModel, rows: Record<string, unknown>[], chunk = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await ctx.db(model.tableName).insert(rows.slice(i, i + chunk).map((r) => ({ ...r, tenant_id: ctx.tenant.id })));
  }
}

/** MariaDB gives Dates, SQLite epoch milliseconds; the API speaks ISO 8601. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(value)) return new Date(value.replace(' ', 'T') + 'Z').toISOString();
  return String(value);
}

/** JSON columns come back parsed from MariaDB and as text from SQLite through plain knex. */
export function json<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

/**
 * Runs fn once the data is committed: now, or when the caller's transaction commits (never if
 * it rolls back). Orders call stock functions inside their own transaction.
 */
export async function afterCommit(ctx: Ctx, fn: () => Promise<unknown>): Promise<void> {
  let trx = ctx.db as Knex.Transaction & { parentTransaction?: Knex.Transaction };
  if (!trx.isTransaction) {
    await fn();
    return;
  }
  while (trx.parentTransaction) trx = trx.parentTransaction as typeof trx;
  trx.executionPromise.then(
    () => fn().catch((err: unknown) => ctx.log.warn({ err }, 'after-commit step failed')),
    () => undefined,
  );
}
