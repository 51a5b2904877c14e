// Objection base models. TenantModel refuses to be queried except through scoped(), so a
// forgotten tenant filter is an exception, not a leak.
import { Model, snakeCaseMappers, AjvValidator, type Pojo, type QueryContext, type QueryBuilderType } from 'objection';
import { TenantScopeError } from '../errors.js';
import type { Knex } from './knex.js';
import { newId } from './ids.js';

/** Normalises timestamps: MariaDB gives Dates, SQLite gives epoch ms; the API speaks ISO 8601. */
function toIso(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(value)) return new Date(value.replace(' ', 'T') + 'Z').toISOString();
  return value;
}

export class BaseModel extends Model {
  static override get columnNameMappers() {
    return snakeCaseMappers();
  }

  static override createValidator() {
    return new AjvValidator({ onCreateAjv: () => undefined, options: { allowUnionTypes: true, allErrors: true } });
  }

  /** Models with an `id` column get a time-ordered UUID (v7) on insert: no auto-increment to coordinate across shards. */
  static generateId = true;
  /** Models with created_at/updated_at columns get them stamped. */
  static timestamps = true;

  override $beforeInsert(_qc: QueryContext): void {
    const cls = this.constructor as typeof BaseModel;
    const self = this as unknown as Record<string, unknown>;
    if (cls.generateId && self.id === undefined) self.id = newId();
    if (cls.timestamps) {
      const at = new Date().toISOString();
      self.createdAt ??= at;
      self.updatedAt ??= at;
    }
  }

  override $beforeUpdate(_opt: unknown, _qc: QueryContext): void {
    const cls = this.constructor as typeof BaseModel;
    if (cls.timestamps) (this as unknown as Record<string, unknown>).updatedAt = new Date().toISOString();
  }

  override $parseDatabaseJson(json: Pojo): Pojo {
    const parsed = super.$parseDatabaseJson(json);
    for (const key of Object.keys(parsed)) {
      if (key.endsWith('At') && parsed[key] !== null) parsed[key] = toIso(parsed[key]);
    }
    return parsed;
  }

  override $formatDatabaseJson(json: Pojo): Pojo {
    const out = super.$formatDatabaseJson(json);
    for (const key of Object.keys(out)) {
      if (key.endsWith('_at') && typeof out[key] === 'string') out[key] = new Date(out[key] as string);
    }
    return out;
  }
}

let unlocked = 0;

export class TenantModel extends BaseModel {
  tenantId!: string;

  static override query(...args: unknown[]): never {
    if (unlocked === 0) throw new TenantScopeError(this.tableName);
    return (Model.query as (...a: unknown[]) => never).apply(this, args);
  }

  override $beforeInsert(qc: QueryContext): void {
    const tenantId = (qc as { tenantId?: string }).tenantId;
    if (!tenantId) throw new TenantScopeError((this.constructor as typeof Model).tableName);
    this.tenantId = tenantId;
    super.$beforeInsert(qc);
  }

  override $beforeUpdate(opt: unknown, qc: QueryContext): void {
    super.$beforeUpdate(opt, qc);
    const tenantId = (qc as { tenantId?: string }).tenantId;
    if (!tenantId) throw new TenantScopeError((this.constructor as typeof Model).tableName);
    // The tenant of a row never changes.
    if (this.tenantId !== undefined && this.tenantId !== tenantId) throw new TenantScopeError((this.constructor as typeof Model).tableName);
    delete (this as Partial<TenantModel>).tenantId;
  }

  override $formatJson(json: Pojo): Pojo {
    const out = super.$formatJson(json);
    delete out.tenantId;
    return out;
  }
}

export interface ScopeCtx {
  tenant: { id: string } | null;
  db: Knex;
}

/**
 * The only road to tenant-owned rows: filters every read, update and delete on the tenant and
 * stamps the tenant on every insert. Without a tenant it throws.
 */
export function scoped<M extends typeof TenantModel>(ctx: ScopeCtx, model: M): QueryBuilderType<InstanceType<M>> {
  const tenantId = ctx.tenant?.id;
  if (!tenantId) throw new TenantScopeError(model.tableName);
  unlocked++;
  let query: QueryBuilderType<InstanceType<M>>;
  try {
    query = (model.query as (db: Knex) => QueryBuilderType<InstanceType<M>>)(ctx.db);
  } finally {
    unlocked--;
  }
  const column = `${model.tableName}.tenant_id`;
  return query.context({ tenantId }).onBuild((builder) => {
    if (!builder.isInsert()) builder.where(column, tenantId);
  }) as QueryBuilderType<InstanceType<M>>;
}

/**
 * scoped(ctx, Model) as a plain knex builder on the model's table, filtered on the tenant
 * (`where <table>.tenant_id = ?`), no model instances: for hot paths and bulk work. Built
 * without objection's query builder, which costs as much CPU as the statement itself (issue 27).
 * Without a tenant it throws. It does not stamp inserts: those name tenant_id themselves
 * (insertRows).
 */
export function scopedTable(ctx: ScopeCtx, model: typeof TenantModel): Knex.QueryBuilder {
  const tenantId = ctx.tenant?.id;
  if (!tenantId) throw new TenantScopeError(model.tableName);
  return ctx.db(model.tableName).where(`${model.tableName}.tenant_id`, tenantId);
}

/**
 * The scoped helper for a platform plugin's table whose rows name a store in `column` (no
 * tenant_id: onboarding's `store_id`), for its store-admin routes: every read, update and delete
 * is filtered on ctx's store; without a store it throws, and it refuses inserts (a store's staff
 * reads and changes its own rows; the platform side makes them).
 */
export function scopedTo<M extends typeof BaseModel>(ctx: ScopeCtx, model: M, column = 'store_id'): QueryBuilderType<InstanceType<M>> {
  const storeId = ctx.tenant?.id;
  if (!storeId) throw new TenantScopeError(model.tableName);
  if (!/^[a-z][a-z0-9_]*$/.test(column)) throw new Error(`scopedTo: "${column}" is not a column name`);
  const qualified = `${model.tableName}.${column}`;
  return (model.query as (db: Knex) => QueryBuilderType<InstanceType<M>>)(ctx.db).onBuild((builder) => {
    if (builder.isInsert()) throw new TenantScopeError(`${model.tableName} (scopedTo reads, updates and deletes; it does not insert)`);
    builder.where(qualified, storeId);
  }) as QueryBuilderType<InstanceType<M>>;
}

/** Tenant-owned models by table, registered by each model file; the isolation sweep reads this. */
export const tenantModels = new Map<string, typeof TenantModel>();

export function registerTenantModel(model: typeof TenantModel): void {
  tenantModels.set(model.tableName, model);
}
