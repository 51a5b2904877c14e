// Small database helpers of the orders domain.
import type { TenantCtx } from '../context.js';
import { newId } from '../db/ids.js';
import type { TenantModel } from '../db/model.js';

/** Several rows in one statement, tenant stamped (objection's array insert is Postgres-only). */
export async function insertMany<M extends typeof TenantModel>(ctx: TenantCtx, model: M, rows: Record<string, unknown>[]): Promise<InstanceType<M>[]> {
  if (!rows.length) return [];
  const at = new Date().toISOString();
  const stampsTimes = model.timestamps;
  const made = rows.map((r) => model.fromJson({ id: newId(), ...(stampsTimes ? { createdAt: at, updatedAt: at } : {}), ...r, tenantId: ctx.tenant.id }, { skipValidation: true }) as InstanceType<M>);
  await ctx.db(model.tableName).insert(made.map((m) => m.$toDatabaseJson()));
  return made;
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
