// Idempotency-Key: the first request with a key runs; a replay with the same key and body gets
// the first answer back (and never runs the handler twice, even when the replays race it).
//
// Crash safety: a running key holds a lease. Work that commits records the key's outcome in the
// same transaction (recordIdempotentOutcome), so after a crash (kill -9 between the commit and
// the answer) a retry past the lease finds what was committed and the route rebuilds its answer
// (RouteSpec.resume); with nothing committed, the retry simply runs again.
//
// At rest: the stored answer (a guest's checkout answer holds its order token) is encrypted with
// AES-256-GCM under a key derived from what only the caller holds (the Idempotency-Key and its
// credentials); the row is found by a hash of the same. Keys expire after 24 hours.
import crypto from 'node:crypto';
import type Koa from 'koa';
import type { Ctx } from '../context.js';
import type { Knex } from '../db/knex.js';
import { TenantModel, registerTenantModel, scoped, scopedTable } from '../db/model.js';
import { deferWrite } from '../db/batching.js';
import { AppError, ConflictError, InvalidError, isUniqueViolation } from '../errors.js';
import { Reply } from './route.js';

export class IdempotencyKey extends TenantModel {
  static override tableName = 'idempotency_keys';
  static override jsonAttributes = ['responseBody'];
  static override generateId = false;
  static override idColumn = 'key_hash';
  keyHash!: string;
  requestHash!: string;
  /** running: the work is under way (or its process died); committed: work committed, answer not yet recorded; done. */
  state!: 'running' | 'committed' | 'done';
  responseStatus!: number | null;
  /** Sealed (see seal()): the answer when done, the committed outcome when committed. */
  responseBody!: unknown;
  holder!: string | null;
  leaseExpiresAt!: string | null;
  expiresAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}
registerTenantModel(IdempotencyKey);

const WAIT_MS = 10_000;
/** How long a running key is its first request's; past it, a retry may take the key over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** How long a key (and its answer) is kept. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
const PURGE_EVERY_MS = 60_000;
const PLATFORM_SCOPE = { id: 'platform' } as Ctx['tenant'];

const SLOT = Symbol('idempotency');

interface Slot {
  tenant: NonNullable<Ctx['tenant']>;
  keyHash: string;
  holder: string;
  secret: Buffer;
  committed: boolean;
  /** The answer recorded with the work, in its transaction (recordIdempotentOutcome), once that committed. */
  answered?: Reply;
}

function sha(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

export function seal(secret: Buffer, value: unknown): Sealed {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', secret, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value ?? null), 'utf8'), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function unseal(secret: Buffer, sealed: unknown): unknown {
  const s = sealed as Sealed | null;
  if (!s || s.v !== 1) return undefined;
  const decipher = crypto.createDecipheriv('aes-256-gcm', secret, Buffer.from(s.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]).toString('utf8')) as unknown;
}

const lastPurge = new Map<string, number>();

/** Keys older than a day go, a tenant at a time and at most once a minute per process. */
async function purgeExpired(ctx: Ctx): Promise<void> {
  const id = ctx.tenant!.id;
  const now = Date.now();
  if ((lastPurge.get(id) ?? 0) > now - PURGE_EVERY_MS) return;
  lastPurge.set(id, now);
  await scoped(ctx, IdempotencyKey).delete().where('created_at', '<', new Date(now - IDEMPOTENCY_TTL_MS));
}

const expired = (row: IdempotencyKey) => Date.parse(row.expiresAt ?? row.createdAt) + (row.expiresAt ? 0 : IDEMPOTENCY_TTL_MS) <= Date.now();

/** What a route gives to rebuild its answer from a committed outcome (RouteSpec.resume). */
export type Resume = (outcome: unknown) => Promise<unknown>;

export async function withIdempotency(ctx: Ctx, koa: Koa.Context, run: () => Promise<unknown>, resume?: Resume): Promise<unknown> {
  const key = koa.get('idempotency-key');
  if (!key) return run();
  const handlerCtx = ctx;
  // Platform acts (provisioning a tenant) keep their keys in a space of their own.
  if (!ctx.tenant) ctx = { ...ctx, tenant: PLATFORM_SCOPE, db: ctx.kernel.pool.control };
  if (key.length > 255) throw new InvalidError('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be at most 255 characters', { errors: [{ in: 'header', pointer: '/Idempotency-Key', code: 'maxLength', message: 'header.Idempotency-Key is too long' }] });
  const actor = 'id' in ctx.actor ? `${ctx.actor.type}:${ctx.actor.id}` : `${ctx.actor.type}:${sha(guestCredentials(koa))}`;
  // The key is the caller's, per route and actor: two shoppers reusing "1" never collide, and a
  // guest's replay needs the same capability tokens (X-Cart-Token, ...) as the first request.
  const material = `${koa.method} ${koa.state.routeName}|${actor}|${key}|${guestCredentials(koa)}`;
  const keyHash = sha(`${koa.method} ${koa.state.routeName}|${actor}|${key}`);
  const secret = crypto.createHash('sha256').update(`bazaar idempotency answer|${material}`).digest();
  const requestHash = sha(`${koa.path}|${JSON.stringify((koa.request as { body?: unknown }).body ?? null)}`);
  await purgeExpired(ctx);
  const slot: Slot = { tenant: ctx.tenant!, keyHash, holder: crypto.randomBytes(16).toString('hex'), secret, committed: false };
  (handlerCtx as unknown as Record<symbol, Slot>)[SLOT] = slot;
  for (let attempt = 0; ; attempt++) {
    const now = Date.now();
    try {
      // The three writes of a key go through plain knex on the scoped table: objection's builder
      // and model hooks cost as much CPU as the statement (issue 27). Same row as the model wrote.
      await ctx.db(IdempotencyKey.tableName).insert({
        tenant_id: slot.tenant.id, key_hash: keyHash, request_hash: requestHash, state: 'running', response_status: null, response_body: null, holder: slot.holder,
        lease_expires_at: new Date(now + IDEMPOTENCY_LEASE_MS), expires_at: new Date(now + IDEMPOTENCY_TTL_MS), created_at: new Date(now), updated_at: new Date(now),
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const replayed = await replay(ctx, slot, requestHash, run, resume);
      if (replayed === FORGOTTEN && attempt === 0) continue;
      if (replayed === FORGOTTEN) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed');
      return replayed;
    }
    return runHolding(ctx, slot, run);
  }
}

/** replay() found a key past its day and deleted it: the request runs as a new one. */
const FORGOTTEN = Symbol('forgotten');

/** Runs the work while holding the key; records the answer only if the lease is still ours. */
async function runHolding(ctx: Ctx, slot: Slot, run: () => Promise<unknown>): Promise<unknown> {
  try {
    const result = await run();
    const out = result instanceof Reply ? result : new Reply(200, result);
    // Recorded with the work already: the same answer, written in the same transaction.
    if (slot.answered === out) return out;
    await scopedTable(ctx, IdempotencyKey)
      .where({ key_hash: slot.keyHash, holder: slot.holder })
      .update({ state: 'done', response_status: out.status, response_body: JSON.stringify(seal(slot.secret, out.body ?? null)), lease_expires_at: null, updated_at: new Date() });
    return out;
  } catch (err) {
    if (slot.committed) {
      // Work committed, then something failed: let the next retry rebuild the answer at once.
      await scoped(ctx, IdempotencyKey).patch({ leaseExpiresAt: new Date().toISOString() }).where({ key_hash: slot.keyHash, holder: slot.holder });
    } else {
      // A refused request may be retried with the same key once the cause is fixed.
      await scoped(ctx, IdempotencyKey).delete().where({ key_hash: slot.keyHash, holder: slot.holder });
    }
    throw err;
  }
}

/**
 * Records, inside the caller's open transaction, that the work protected by the request's
 * Idempotency-Key committed, with what the route needs to rebuild its answer (sealed). A no-op
 * outside an idempotent request.
 *
 * `answer`: the route's whole answer, when it is known before the commit. The key is then done
 * in the same statement (one write fewer a request, issue 27), and the route must return this
 * very Reply: that is how the key knows not to write it again.
 */
export async function recordIdempotentOutcome(ctx: Ctx, outcome: unknown, answer?: Reply): Promise<void> {
  const slot = (ctx as unknown as Record<symbol, Slot | undefined>)[SLOT];
  if (!slot) return;
  if (!(ctx.db as Knex.Transaction).isTransaction) throw new Error('recordIdempotentOutcome needs the transaction of the work it records');
  // Deferred (its result is not read): rides with the transaction's next statement, often its COMMIT (issue 27).
  await deferWrite(ctx, scopedTable({ tenant: slot.tenant, db: ctx.db }, IdempotencyKey)
    .where({ key_hash: slot.keyHash, holder: slot.holder })
    .update(answer
      ? { state: 'done', response_status: answer.status, response_body: JSON.stringify(seal(slot.secret, answer.body ?? null)), lease_expires_at: null, updated_at: new Date() }
      : { state: 'committed', response_body: JSON.stringify(seal(slot.secret, outcome)), updated_at: new Date() }));
  // Known only once the transaction commits; until then a failure deletes a row that is not there yet.
  void (ctx.db as Knex.Transaction).executionPromise?.then(() => {
    slot.committed = true;
    if (answer) slot.answered = answer;
  }, () => undefined);
}

/** A guest has no id; what stands for one is the capability tokens it sends (`X-Cart-Token`, ...). */
function guestCredentials(koa: Koa.Context): string {
  return Object.keys(koa.headers)
    .filter((h) => /^x-[a-z-]*token$/.test(h))
    .sort()
    .map((h) => `${h}=${koa.get(h)}`)
    .join('&');
}

async function replay(ctx: Ctx, slot: Slot, requestHash: string, run: () => Promise<unknown>, resume?: Resume): Promise<unknown | typeof FORGOTTEN> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const row = await scoped(ctx, IdempotencyKey).where('key_hash', slot.keyHash).first();
    if (!row) throw new ConflictError('IDEMPOTENCY_RETRY', 'The first request with this Idempotency-Key failed; send it again');
    if (expired(row)) {
      // A day old: the key is forgotten and may be used afresh.
      await scoped(ctx, IdempotencyKey).delete().where({ key_hash: slot.keyHash, request_hash: row.requestHash, state: row.state, holder: row.holder });
      return FORGOTTEN;
    }
    if (row.requestHash !== requestHash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
    }
    if (row.state === 'done') return new Reply(row.responseStatus ?? 200, unseal(slot.secret, row.responseBody) ?? undefined, { 'Idempotent-Replayed': 'true' });
    if (row.leaseExpiresAt && Date.parse(row.leaseExpiresAt) <= Date.now()) {
      // The first request's process died (or hung) past its lease: take the key over, once.
      const taken = await scoped(ctx, IdempotencyKey)
        .patch({ holder: slot.holder, leaseExpiresAt: new Date(Date.now() + IDEMPOTENCY_LEASE_MS).toISOString() })
        .where({ key_hash: slot.keyHash, holder: row.holder });
      if (taken === 1) {
        if (row.state === 'committed' && resume) {
          const outcome = unseal(slot.secret, row.responseBody);
          slot.committed = true;
          return runHolding(ctx, slot, async () => {
            const result = await resume(outcome);
            return result instanceof Reply ? new Reply(result.status, result.body, { ...result.headers, 'Idempotent-Replayed': 'true' }, result.type) : result;
          });
        }
        if (row.state === 'committed') slot.committed = true;
        return runHolding(ctx, slot, run);
      }
      continue;
    }
    if (Date.now() > deadline) throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed');
    await new Promise((r) => setTimeout(r, 50));
  }
}
