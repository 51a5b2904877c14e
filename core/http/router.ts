// Mounts route specs on a koa router: access check, validation, ctx, handler, reply.
import Router, { type RouterMiddleware } from '@koa/router';
import type Koa from 'koa';
import type { Kernel } from '../kernel.js';
import type { Logger } from 'pino';
import type { Ctx } from '../context.js';
import { fixedT } from '../i18n.js';
import { AppError, ForbiddenError, InvalidError, NotFoundError, UnauthorizedError } from '../errors.js';
import { hasPermission } from '../users/roles.js';
import { ajvCoercing, ajvStrict, toFieldErrors, type Validator } from './validation.js';
import { JsonBody, Reply, type RouteSpec } from './route.js';
import { surfaceOf } from './tenancy.js';
import type { State } from './state.js';
import { withIdempotency } from './idempotency.js';
import { noteUndeclaredProblem } from './openapi.js';
import { endAuditWatch, recordRouteAudit, watchAudit } from '../audit/audit.service.js';

interface Compiled {
  params?: Validator;
  query?: Validator;
  body?: Validator;
  responses: Map<number, Validator>;
  /** Raw query string -> its validated form (see validQuery). */
  validQueries: Map<string, Record<string, unknown>>;
}

function compile(spec: RouteSpec, checkResponses: boolean): Compiled {
  const responses = new Map<number, Validator>();
  if (checkResponses) {
    for (const [status, schema] of Object.entries(spec.responses)) if (schema) responses.set(Number(status), ajvStrict.compile(schema));
  }
  return {
    params: spec.params ? ajvCoercing.compile(spec.params) : undefined,
    query: spec.query ? ajvCoercing.compile(spec.query) : undefined,
    body: spec.body ? ajvStrict.compile(spec.body) : undefined,
    responses,
    validQueries: new Map(),
  };
}

/**
 * The request's ctx, made once the chain knows the tenant, actor and locale, and made again only
 * if one of them changed (plugin middleware runs before authentication). Its logger is a child
 * carrying the request id, created on first use: most requests never log.
 */
export function buildCtx(kernel: Kernel, koa: Koa.ParameterizedContext<State>): Ctx {
  const { tenant, actor, locale, requestId } = koa.state;
  const made = koa.state.ctx;
  const currencyHeader = koa.get('x-currency').toUpperCase();
  const chosen = koa.state.currency;
  const currency = tenant
    ? tenant.currencies.includes(currencyHeader) ? currencyHeader : chosen && tenant.currencies.includes(chosen) ? chosen : tenant.defaultCurrency
    : 'USD';
  if (made && made.tenant === tenant && made.actor === actor && made.locale === locale && made.currency === currency) return made;
  let log: Logger | undefined;
  const ctx: Ctx = {
    kernel,
    tenant,
    actor,
    locale,
    fallbackLocales: koa.state.fallbackLocales,
    currency,
    t: koa.state.t ?? fixedT(kernel.i18n, locale),
    db: tenant ? kernel.pool.forTenant(tenant) : kernel.pool.control,
    get log() {
      return (log ??= kernel.log.child({ requestId, tenant: tenant?.slug }));
    },
    requestId,
  };
  koa.state.ctx = ctx;
  return ctx;
}

function checkAccess(spec: RouteSpec, state: State): void {
  const surface = surfaceOf(spec.path);
  const { actor, tenant } = state;
  if (surface === 'store' && !tenant && !spec.noTenant) throw new NotFoundError('TENANT_NOT_FOUND', 'No store answers at this address');
  if (surface === 'admin' && !tenant && spec.access !== 'public') throw new UnauthorizedError();
  switch (spec.access) {
    case 'public':
      return;
    case 'customer':
      if (actor.type !== 'customer') throw new UnauthorizedError('UNAUTHORIZED', 'Sign in as a customer of this store');
      return;
    case 'platform':
      if (actor.type !== 'platform') throw new UnauthorizedError('UNAUTHORIZED', 'A platform admin token is required');
      return;
    case 'principal':
      if (actor.type !== 'principal') throw new UnauthorizedError('UNAUTHORIZED', 'Sign in first');
      return;
    case 'staff':
      if (actor.type !== 'staff' && actor.type !== 'apiKey') throw new UnauthorizedError('UNAUTHORIZED', 'A staff token or API key is required');
      if (spec.permission && !hasPermission(actor.permissions, spec.permission)) {
        throw new ForbiddenError('PERMISSION_DENIED', `This needs the ${spec.permission} permission`, { params: { permission: spec.permission }, extra: { permission: spec.permission } });
      }
      return;
  }
}

function validate(where: string, validator: Validator | undefined, value: unknown): void {
  if (validator && !validator(value)) {
    throw new InvalidError('VALIDATION_FAILED', `The request ${where} is not valid`, { detailKey: `request.${where}`, errors: toFieldErrors(where, validator.errors) });
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';
const QUERY_MEMO_ENTRIES = 500;
const QUERY_MEMO_LENGTH = 256;

/**
 * The validated (coerced, defaulted) query. Storefront traffic repeats the same few query strings
 * (`?limit=20`), and the answer for a given string never changes, so each route remembers the
 * last few hundred valid ones; the handler gets its own copy. Nested values (arrays) are frozen
 * in the memo: no handler changes its input.
 */
function validQuery(compiled: Compiled, raw: string, koa: Koa.Context): Record<string, unknown> {
  const known = compiled.validQueries.get(raw);
  if (known) return { ...known };
  const query = { ...(koa.query as Record<string, unknown>) };
  validate('query', compiled.query, query);
  if (raw.length <= QUERY_MEMO_LENGTH) {
    if (compiled.validQueries.size >= QUERY_MEMO_ENTRIES) compiled.validQueries.clear();
    const kept = { ...query };
    for (const value of Object.values(kept)) if (typeof value === 'object' && value !== null) Object.freeze(value);
    compiled.validQueries.set(raw, kept);
  }
  return query;
}

function hasBody(koa: Koa.Context): boolean {
  return Number(koa.get('content-length') || 0) > 0 || Boolean(koa.get('transfer-encoding'));
}

/** Per router, its GET routes by path: where the audit reads an entity's state before a change. */
const readers = new WeakMap<Router<State>, Map<string, { spec: RouteSpec; compiled: Compiled }>>();

/** `/admin/v1/orders/:id/hold` -> `/admin/v1/orders/:id`: the entity a route acts on (null without an id). */
export function entityPath(path: string): string | null {
  const segments = path.split('/');
  const at = segments.findIndex((s) => s.startsWith(':'));
  return at < 0 ? null : segments.slice(0, at + 1).join('/');
}

/**
 * The entity's state before a change the router audits: what the entity's own GET route (same
 * surface, same path up to its id) answers now, or undefined when there is none or it fails.
 */
async function readBefore(router: Router<State>, spec: RouteSpec, ctx: Ctx, params: Record<string, string>, headers: Koa.Context['headers']): Promise<unknown> {
  const at = entityPath(spec.path);
  const reader = at ? readers.get(router)?.get(at) : undefined;
  if (!reader || reader.spec.access !== spec.access) return undefined;
  try {
    const own = Object.fromEntries(at!.split('/').filter((s) => s.startsWith(':')).map((s) => [s.slice(1), params[s.slice(1)]]));
    if (reader.compiled.params && !reader.compiled.params(own)) return undefined;
    const query: Record<string, unknown> = {};
    if (reader.compiled.query && !reader.compiled.query(query)) return undefined;
    const out = await reader.spec.handler({ ctx, params: own, query, body: undefined, headers, rawBody: undefined, ip: '', koa: undefined as never });
    const value = out instanceof Reply ? out.body : out;
    return value instanceof JsonBody ? value.value : value;
  } catch {
    return undefined;
  }
}

export function mountRoute(kernel: Kernel, router: Router<State>, spec: RouteSpec): void {
  const compiled = compile(spec, kernel.config.env === 'test');
  if (spec.method === 'GET') {
    if (!readers.has(router)) readers.set(router, new Map());
    readers.get(router)!.set(spec.path, { spec, compiled });
  }
  const method = spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  // Under test, every 4xx a route gives is checked against what its OpenAPI entry declares (as
  // its answers are against its schemas): UNDECLARED_PROBLEMS_FILE=<file> lists those it lacks.
  const noteProblems: RouterMiddleware<State> = async (_koa, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof AppError) noteUndeclaredProblem(spec, err.status, err.code, (point) => kernel.extensions.problemsAt(point));
      throw err;
    }
  };
  if (kernel.config.env === 'test') router[method](spec.path, noteProblems);
  router[method](spec.path, async (koa) => {
    const state = koa.state;
    state.routeName = spec.path;
    checkAccess(spec, state);
    const params = { ...koa.params };
    validate('params', compiled.params, params);
    const query = validQuery(compiled, koa.querystring, koa);
    let body = (koa.request as { body?: unknown }).body;
    if (spec.body && hasBody(koa) && !koa.is('json', 'urlencoded')) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `This route takes application/json, not ${koa.get('content-type') || 'an untyped body'}`);
    }
    if (spec.body) {
      if (body === undefined) body = {};
      validate('body', compiled.body, body);
    }
    const ctx = buildCtx(kernel, koa);
    const run = () =>
      spec.handler({ ctx, params, query, body, headers: koa.headers, rawBody: (koa.request as { rawBody?: string }).rawBody, ip: koa.ip, koa: koa as unknown as Koa.Context });
    const resume = spec.resume ? (outcome: unknown) => spec.resume!({ ctx, params, outcome }) : undefined;
    // UI-9: every state-changing admin act is in the audit trail; one whose service wrote no
    // entry of its own gets one made from the request.
    const audits = spec.method !== 'GET' && (spec.access === 'staff' || spec.access === 'platform') && !spec.path.endsWith('/auth/logout');
    // An update or delete of an existing entity: its state before, for the entry the router may write.
    const before = audits && entityPath(spec.path) ? await readBefore(router, spec, ctx, params, koa.headers) : undefined;
    if (audits) watchAudit(ctx.requestId);
    let result: unknown;
    let wroteOwn = false;
    try {
      result = spec.idempotent ? await withIdempotency(ctx, koa, run, resume) : await run();
    } finally {
      if (audits) wroteOwn = endAuditWatch(ctx.requestId);
    }
    const out = result instanceof Reply ? result : new Reply(200, result);
    if (audits && !wroteOwn && out.status < 400 && out.headers['Idempotent-Replayed'] !== 'true') {
      const answer = out.body instanceof JsonBody ? out.body.value : out.body;
      await recordRouteAudit(ctx, { method: spec.method, path: spec.path, params, body, result: answer, before }).catch((err: unknown) => ctx.log.error({ err }, 'audit entry not written'));
    }
    for (const k in out.headers) koa.set(k, out.headers[k]);
    const prepared = out.body instanceof JsonBody ? out.body : undefined;
    const check = compiled.responses.get(out.status);
    if (check && !check(prepared ? prepared.value : out.body)) {
      throw new AppError(500, 'RESPONSE_SCHEMA_MISMATCH', `response of ${spec.method} ${spec.path} does not match its schema: ${JSON.stringify(check.errors)}`);
    }
    koa.status = out.status;
    if (prepared) {
      // What `koa.type = 'application/json'` would set, without a MIME table lookup per answer.
      koa.res.setHeader('Content-Type', JSON_TYPE);
      koa.body = prepared.buffer;
      return;
    }
    if (out.type) koa.type = out.type;
    if (out.body !== undefined) koa.body = out.body;
  });
}
