// Idempotency-Key: the first request with a key runs; a replay with the same key and body gets
// the first answer back (and never runs the handler twice, even when the replays race it).
import crypto from 'node:crypto';
import type Koa from 'koa';
import type { Ctx } from '../context.js';
import { TenantModel, registerTenantModel, scoped } from '../db/model.js';
import { AppError, ConflictError, InvalidError, isUniqueViolation } from '../errors.js';
import { Reply } from './route.js';

export class IdempotencyKey extends TenantModel {
  static override tableName = 'idempotency_keys';
  static override jsonAttributes = ['responseBody'];
  static override generateId = false;
  static override idColumn = 'key_hash';
  keyHash!: string;
  requestHash!: string;
  state!: 'running' | 'done';
  responseStatus!: number | null;
  responseBody!: unknown;
  createdAt!: string;
  updatedAt!: string;
}
registerTenantModel(IdempotencyKey);

const WAIT_MS = 10_000;
const PLATFORM_SCOPE = { id: 'platform' } as Ctx['tenant'];

function sha(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

export async function withIdempotency(ctx: Ctx, koa: Koa.Context, run: () => Promise<unknown>): Promise<unknown> {
  const key = koa.get('idempotency-key');
  if (!key) return run();
  // Platform acts (provisioning a tenant) keep their keys in a space of their own.
  if (!ctx.tenant) ctx = { ...ctx, tenant: PLATFORM_SCOPE, db: ctx.kernel.pool.control };
  if (key.length > 255) throw new InvalidError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be at most 255 characters', { errors: [{ in: 'header', pointer: '/Idempotency-Key', code: 'maxLength', message: 'header.Idempotency-Key is too long' }] });
  const actor = 'id' in ctx.actor ? `${ctx.actor.type}:${ctx.actor.id}` : `${ctx.actor.type}:${sha(guestCredentials(koa))}`;
  // The key is the caller's, per route and actor: two shoppers reusing "1" never collide, and a
  // guest's replay needs the same capability tokens (X-Cart-Token, ...) as the first request.
  const keyHash = sha(`${koa.method} ${koa.state.routeName}|${actor}|${key}`);
  const requestHash = sha(`${koa.path}|${JSON.stringify((koa.request as { body?: unknown }).body ?? null)}`);
  try {
    await scoped(ctx, IdempotencyKey).insert({ keyHash, requestHash, state: 'running', responseStatus: null, responseBody: null });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return replay(ctx, keyHash, requestHash);
  }
  try {
    const result = await run();
    const out = result instanceof Reply ? result : new Reply(200, result);
    await scoped(ctx, IdempotencyKey).patch({ state: 'done', responseStatus: out.status, responseBody: (out.body ?? null) as never }).where('key_hash', keyHash);
    return out;
  } catch (err) {
    // A refused request may be retried with the same key once the cause is fixed.
    await scoped(ctx, IdempotencyKey).delete().where('key_hash', keyHash);
    throw err;
  }
}

/** A guest has no id; what stands for one is the capability tokens it sends (`X-Cart-Token`, ...). */
function guestCredentials(koa: Koa.Context): string {
  return Object.keys(koa.headers)
    .filter((h) => /^x-[a-z-]*token$/.test(h))
    .sort()
    .map((h) => `${h}=${koa.get(h)}`)
    .join('&');
}

async function replay(ctx: Ctx, keyHash: string, requestHash: string): Promise<Reply> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = await scoped(ctx, IdempotencyKey).where('key_hash', keyHash).first();
    if (!row) throw new ConflictError('IDEMPOTENCY_RETRY', 'The first request with this Idempotency-Key failed; send it again');
    if (row.requestHash !== requestHash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
    }
    if (row.state === 'done') return new Reply(row.responseStatus ?? 200, row.responseBody ?? undefined, { 'Idempotent-Replayed': 'true' });
    if (Date.now() > deadline) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed');
    await new Promise((r) => setTimeout(r, 50));
  }
}
