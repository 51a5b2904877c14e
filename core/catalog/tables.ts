// Plain-knex access to catalog tables for hot paths and bulk writes. Reads still start from the
// scoped helper (scopedTable), so the tenant filter is always there; joins add
// `tenant_id = <outer>.tenant_id`.
import { isSqlite, type Knex } from '../db/knex.js';
import { scopedTable, type ScopeCtx, type TenantModel } from '../db/model.js';
import type { Ctx, TenantCtx } from '../context.js';

/** scoped(ctx, Model) as a knex builder: `select ... from <table> where <table>.tenant_id = ?`, no model instances. */
export function table(ctx: ScopeCtx, model: typeof TenantModel): Knex.QueryBuilder {
  return scopedTable(ctx, model);
}

const shapes = new Map<string, { sql: string; bindings: ({ name: string } | { value: unknown })[] }>();
const MARK = '\u0000bazaar-value:';

/**
 * A read built once per process and shape, then run with each request's values (issue 27: on
 * the product page knex's builder and compiler cost as much app CPU as the statement's own
 * answer). `build` makes the query as usual, from the scoped helper (`table(sctx, Model)`), with
 * `sctx` and `v` in place of the real context and values: the tenant id and every entry of
 * `values` are markers there, which the compiled statement's bindings are mapped back from, so
 * the statement run is the one the builder wrote, with the tenant filter the helper put in and
 * the request's tenant bound to it. Other values given to the builder are kept as constants of
 * the shape: `shape` must name everything that changes its SQL or constants (one shape, one text).
 */
export async function shapedRows<K extends string, R>(
  ctx: TenantCtx,
  shape: string,
  values: Record<K, string>,
  build: (sctx: ScopeCtx, v: Record<K, string>) => Knex.QueryBuilder,
): Promise<R[]> {
  const sqlite = isSqlite(ctx.db);
  const key = `${sqlite ? 'sqlite' : 'mysql'}:${shape}`;
  let compiled = shapes.get(key);
  if (!compiled) {
    if ('tenant' in values) throw new Error(`shapedRows(${shape}): "tenant" is the scoped helper's value`);
    const marks = Object.fromEntries(Object.keys(values).map((name) => [name, `${MARK}${name}`])) as Record<K, string>;
    const native = build({ db: ctx.db, tenant: { id: `${MARK}tenant` } }, marks).toSQL().toNative();
    compiled = {
      sql: native.sql,
      bindings: native.bindings.map((b) => {
        if (typeof b === 'string' && b.startsWith(MARK)) return { name: b.slice(MARK.length) };
        if (typeof b === 'string' && b.includes(MARK)) throw new Error(`shapedRows(${shape}): a value is used inside another one`);
        return { value: b };
      }),
    };
    if (!compiled.bindings.some((b) => 'name' in b && b.name === 'tenant')) throw new Error(`shapedRows(${shape}): no tenant filter`);
    shapes.set(key, compiled);
  }
  const bound: Record<string, string> = { ...values, tenant: ctx.tenant.id };
  const result = (await ctx.db.raw(compiled.sql, compiled.bindings.map((b) => ('name' in b ? bound[b.name] : b.value)) as Knex.RawBinding[])) as unknown;
  // knex.raw answers mysql2's [rows, fields] and better-sqlite3's rows.
  return (sqlite ? result : (result as [R[]])[0]) as R[];
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
