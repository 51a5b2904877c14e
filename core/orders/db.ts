// Small database helpers of the orders domain.
import type { TenantCtx } from '../context.js';
import { newId } from '../db/ids.js';
import type { TenantModel } from '../db/model.js';
import { deferWrite } from '../db/batching.js';

type ModelStatics = typeof TenantModel & {
  getJsonAttributes(): string[];
  getColumnNameMappers(): { format(json: Record<string, unknown>): Record<string, unknown> } | null;
};

/** Per model: property name -> column name (objection's own mapper, asked once a name), and its JSON attributes. */
const shapes = new WeakMap<typeof TenantModel, { columns: Map<string, string>; json: Set<string>; format: ((json: Record<string, unknown>) => Record<string, unknown>) | null }>();

function shapeOf(model: typeof TenantModel) {
  let shape = shapes.get(model);
  if (!shape) {
    const m = model as ModelStatics;
    const mappers = m.getColumnNameMappers();
    shape = { columns: new Map(), json: new Set(m.getJsonAttributes()), format: mappers ? (json) => mappers.format(json) : null };
    shapes.set(model, shape);
  }
  return shape;
}

/**
 * The row objection's `Model.fromJson(props).$toDatabaseJson()` writes, without building the
 * model (issue 27: on the checkout path that cost about as much as the statement): undefined
 * and function values left out, JSON attributes (not null) as JSON.stringify() text, names by the
 * model's column mapper (snake_case), then BaseModel's rule: an `*_at` column given a string is a
 * Date. test/orders/insert-rows.test.ts compares the two for every model written this way.
 */
export function databaseRow(model: typeof TenantModel, props: Record<string, unknown>): Record<string, unknown> {
  const shape = shapeOf(model);
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    let value = props[key];
    if (value === undefined || typeof value === 'function' || key.startsWith('$')) continue;
    let column = shape.columns.get(key);
    if (column === undefined) {
      column = shape.format ? Object.keys(shape.format({ [key]: null }))[0] : key;
      shape.columns.set(key, column);
    }
    if (value !== null && shape.json.has(key)) value = JSON.stringify(value);
    if (typeof value === 'string' && column.endsWith('_at')) value = new Date(value);
    row[column] = value;
  }
  return row;
}

/**
 * Several rows in one statement, tenant stamped (objection's array insert is Postgres-only), as
 * plain knex: the rows are made with databaseRow(), not through objection's model; the models
 * returned carry the same properties fromJson() would have given them. `deferred`: inside a
 * transaction the insert may ride with the transaction's next statement (deferWrite; its error is
 * thrown there); the rows returned are the same.
 */
export async function insertMany<M extends typeof TenantModel>(ctx: TenantCtx, model: M, rows: Record<string, unknown>[], opts: { deferred?: boolean } = {}): Promise<InstanceType<M>[]> {
  if (!rows.length) return [];
  const at = new Date().toISOString();
  const stampsTimes = model.timestamps;
  const props = rows.map((r) => ({ id: newId(), ...(stampsTimes ? { createdAt: at, updatedAt: at } : {}), ...r, tenantId: ctx.tenant.id }));
  const insert = ctx.db(model.tableName).insert(props.map((p) => databaseRow(model, p)));
  if (opts.deferred) await deferWrite(ctx, insert);
  else await insert;
  return props.map((p) => Object.assign(new model(), p) as InstanceType<M>);
}

function isRetryable(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; nativeError?: { code?: string } } | null;
  const code = e?.code ?? e?.nativeError?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY' || e?.errno === 1213 || e?.errno === 1205;
}

/** Runs a transaction again when the database chose it as a deadlock victim. */
export async function retryOnDeadlock<T>(ctx: TenantCtx, fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isRetryable(err)) throw err;
      ctx.log.warn({ err, attempt: i }, 'transaction lost a deadlock; retrying');
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * i)));
    }
  }
}
