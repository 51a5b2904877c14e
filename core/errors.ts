// Services throw these; they never touch HTTP. The problem middleware is the only place that
// turns them into a response, in the request's language.

export interface FieldError {
  /** Where the bad value was: `body`, `query`, `params` or `header`. */
  in: string;
  /** JSON pointer inside that part, e.g. `/variants/0/sku`. */
  pointer: string;
  code: string;
  message: string;
}

export interface AppErrorOptions {
  /** i18n key under the `errors` namespace; defaults to the code. */
  key?: string;
  /** i18n key of the detail under `validation:detail.`; without it the detail is translated when a key for the code exists. */
  detailKey?: string;
  params?: Record<string, unknown>;
  errors?: FieldError[];
  /** Extra members copied into the problem body (e.g. `currentState`). */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly key: string;
  readonly detailKey: string | undefined;
  readonly params: Record<string, unknown>;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, code: string, message: string, opts: AppErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.key = opts.key ?? code;
    this.detailKey = opts.detailKey;
    this.params = opts.params ?? {};
    this.errors = opts.errors;
    this.extra = opts.extra;
    this.headers = opts.headers;
  }
}

export class InvalidError extends AppError {
  constructor(code = 'VALIDATION_FAILED', message = 'The request is not valid', opts: AppErrorOptions = {}) {
    super(400, code, message, opts);
  }
}

export class UnauthorizedError extends AppError {
  constructor(code = 'UNAUTHORIZED', message = 'Authentication is required', opts: AppErrorOptions = {}) {
    super(401, code, message, opts);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', message = 'Not allowed', opts: AppErrorOptions = {}) {
    super(403, code, message, opts);
  }
}

export class NotFoundError extends AppError {
  constructor(code = 'NOT_FOUND', message = 'Not found', opts: AppErrorOptions = {}) {
    super(404, code, message, opts);
  }
}

export class ConflictError extends AppError {
  constructor(code = 'CONFLICT', message = 'Conflict', opts: AppErrorOptions = {}) {
    super(409, code, message, opts);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, code = 'TOO_MANY_REQUESTS', opts: AppErrorOptions = {}) {
    super(429, code, 'Too many requests', { ...opts, headers: { 'Retry-After': String(retryAfterSeconds) }, extra: { retryAfter: retryAfterSeconds } });
  }
}

export class UnavailableError extends AppError {
  constructor(code = 'UNAVAILABLE', message = 'Temporarily unavailable', opts: AppErrorOptions = {}) {
    super(503, code, message, opts);
  }
}

/**
 * Database errors that say "not now" rather than "wrong": a lost or refused connection, a pool
 * that could not hand one out in time, a Galera node leaving its cluster ("WSREP has not yet
 * prepared node for application use"), a deadlock or certification conflict, a busy SQLite file.
 * They answer 503 with Retry-After (the transaction was rolled back; the same Idempotency-Key
 * retries safely), never 500. So does any error mysql2 marks `fatal` (the connection is gone):
 * when a node dies inside a transaction, knex's ROLLBACK on the closed connection fails with
 * "Can't add new command when connection is in closed state", which carries no code and takes
 * the place of the error that caused it (seen in the Galera scale-out test, session 15).
 */
const TRANSIENT_DB_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ER_LOCK_DEADLOCK', 'ER_UNKNOWN_COM_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'SQLITE_BUSY']);
const TRANSIENT_DB_ERRNOS = new Set([1047, 1053, 1213, 2006, 2013, 1040]);

export function transientDatabaseError(err: unknown): AppError | null {
  for (let e = err as { code?: unknown; errno?: unknown; name?: unknown; fatal?: unknown; nativeError?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    if (e.name === 'KnexTimeoutError' || e.fatal === true || (typeof e.code === 'string' && TRANSIENT_DB_CODES.has(e.code)) || (typeof e.errno === 'number' && TRANSIENT_DB_ERRNOS.has(e.errno))) {
      return new AppError(503, 'DATABASE_UNAVAILABLE', 'The database is briefly unavailable; nothing was saved, try again', { headers: { 'Retry-After': '1' }, cause: err });
    }
    e = (e.nativeError ?? e.cause) as typeof e;
  }
  return null;
}

/** Retry-After of a store that is being moved between databases (seconds). */
export const MOVING_RETRY_AFTER_S = 5;

/**
 * The store is read-only while `bazaar tenant:move` copies it to another database: writes (and
 * queued work that would write) answer this, reads go on. Queues retry it with backoff.
 */
export class TenantMovingError extends AppError {
  constructor(tenant: { slug: string }) {
    super(503, 'TENANT_MOVING', 'This store is moving to another database and is read-only for a moment; try again shortly', {
      headers: { 'Retry-After': String(MOVING_RETRY_AFTER_S) },
      extra: { tenant: tenant.slug, retryAfter: MOVING_RETRY_AFTER_S },
    });
  }
}

/** Throws TenantMovingError while the tenant is being moved. */
export function assertWritable(tenant: { slug: string; movingTo?: string | null } | null | undefined): void {
  if (tenant?.movingTo) throw new TenantMovingError(tenant);
}

/** A query on a tenant-owned model was attempted without a tenant: a bug, never a 4xx. */
export class TenantScopeError extends Error {
  constructor(what: string) {
    super(`tenant-owned ${what} queried without a tenant scope`);
    this.name = 'TenantScopeError';
  }
}

/** Unique-key violations look different on MariaDB and SQLite; recognise both. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; name?: string; nativeError?: { code?: string } } | null;
  if (!e) return false;
  const code = e.code ?? e.nativeError?.code;
  return e.name === 'UniqueViolationError' || code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
