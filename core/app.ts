// Builds the Koa app. Middleware in reading order: request id, logs and metrics, problem+json,
// security headers, body parsing, tenant resolution, [plugin middleware], authentication,
// [plugin middleware], routes.
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Kernel } from './kernel.js';
import { ANONYMOUS } from './context.js';
import { randomUUID } from 'node:crypto';
import { fixedT, negotiateLocale, supportedLocales } from './i18n.js';
import { problemMiddleware } from './http/problem.js';
import { tenancyMiddleware } from './http/tenancy.js';
import { authenticateMiddleware } from './http/authenticate.js';
import { mountRoute } from './http/router.js';
import { mountOps } from './http/ops.routes.js';
import { boundQuery, installQueryParser } from './http/query.js';
import { assertSaneJson } from './http/json-guard.js';
import { consoleMiddleware } from './http/console.js';
import type { RouteSpec } from './http/route.js';
import type { State } from './http/state.js';

export type MiddlewarePosition = 'afterTenant' | 'afterAuth';

export interface PositionedMiddleware {
  name: string;
  position: MiddlewarePosition;
  /** Lower runs first within a position (the request filter asks for the lowest). */
  order?: number;
  middleware: Koa.Middleware<State>;
}

export interface AppParts {
  routes: RouteSpec[];
  middleware?: PositionedMiddleware[];
  version: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

function requestContext(kernel: Kernel): Koa.Middleware<State> {
  const locales = supportedLocales(kernel.i18n);
  return function requestId(koa, next) {
    const given = koa.get('x-request-id');
    // randomUUID draws from a pooled entropy buffer: several times cheaper per request than a v7 id.
    koa.state.requestId = REQUEST_ID.test(given) ? given : randomUUID();
    koa.state.startedAt = process.hrtime.bigint();
    koa.state.actor = ANONYMOUS;
    koa.state.tenant = null;
    koa.state.locale = negotiateLocale(koa.get('accept-language'), locales);
    koa.state.t = fixedT(kernel.i18n, koa.state.locale);
    koa.res.setHeader('X-Request-Id', koa.state.requestId);
    return next();
  };
}

function accessLog(kernel: Kernel): Koa.Middleware<State> {
  const log = kernel.log.child({ component: 'http' });
  // One histogram child per method, route and status: prom-client otherwise hashes the label
  // object on every observation.
  const series = new Map<string, { observe(v: number): void }>();
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const key = `${method} ${status} ${route}`;
    let child = series.get(key);
    if (!child) series.set(key, (child = kernel.metrics.httpDuration.labels({ method, route, status: String(status) })));
    child.observe(seconds);
  };
  return async function logRequest(koa, next) {
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - koa.state.startedAt) / 1e9;
      // Label by route pattern, never by raw path: a scanner must not mint a series per URL.
      const matched = (koa as { _matchedRoute?: unknown })._matchedRoute;
      const route = koa.state.routeName ?? (typeof matched === 'string' ? matched : 'unmatched');
      observe(koa.method, route, koa.status, seconds);
      if (koa.state.error || log.isLevelEnabled('info')) {
        const line = { requestId: koa.state.requestId, tenant: koa.state.tenant?.slug, method: koa.method, route, path: koa.path, status: koa.status, ms: Math.round(seconds * 1e4) / 10 };
        if (koa.state.error) log.error({ ...line, err: koa.state.error }, 'request failed');
        else log.info(line, 'request');
      }
    }
  };
}

const SECURITY_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
];
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
// The docs page needs its own scripts and inline styles; the APIs need nothing.
const DOCS_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

function securityHeaders(): Koa.Middleware<State> {
  return function secure(koa, next) {
    const res = koa.res;
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', koa.path.startsWith('/docs') ? DOCS_CSP : API_CSP);
    return next();
  };
}

/** Requests without a body (most GETs) skip the parser altogether. */
function parseBodies(parser: Koa.Middleware<State>): Koa.Middleware<State> {
  return function body(koa, next) {
    const req = koa.req;
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return next();
    return parser(koa, () => {
      // Depth and Unicode bounds of every parsed body, before plugins, schemas or handlers.
      const body = (koa.request as { body?: unknown }).body;
      if (body !== null && typeof body === 'object') assertSaneJson(body);
      return next();
    });
  };
}

function positioned(all: PositionedMiddleware[], position: MiddlewarePosition): Koa.Middleware<State>[] {
  return all.filter((m) => m.position === position).sort((a, b) => (a.order ?? 100) - (b.order ?? 100)).map((m) => m.middleware);
}

/**
 * Routes are grouped by their first three path segments (`/store/v1/products`), so a request
 * tests a handful of patterns instead of every route of every surface; routes whose first
 * segments are parameters, and the operational ones, live in the fallback router.
 */
function bucketOf(path: string): string | null {
  const parts = path.split('/').slice(1, 4);
  return parts.length === 3 && parts.every((p) => p && !p.startsWith(':')) ? `/${parts.join('/')}` : null;
}

function dispatch(buckets: Map<string, Router<State>>, fallback: Router<State>): Koa.Middleware<State> {
  const both = (r: Router<State>) => {
    const routes = r.routes();
    const allowed = r.allowedMethods();
    return (koa: Koa.ParameterizedContext<State>, next: Koa.Next) => routes(koa as never, () => allowed(koa as never, next));
  };
  const last = both(fallback);
  const byKey = new Map([...buckets].map(([k, r]) => [k, both(r)]));
  return (koa, next) => {
    const slash = koa.path.indexOf('/', koa.path.indexOf('/', koa.path.indexOf('/', 1) + 1) + 1);
    const bucket = byKey.get(slash === -1 ? koa.path : koa.path.slice(0, slash));
    return bucket ? bucket(koa, () => last(koa, next)) : last(koa, next);
  };
}

export function createApp(kernel: Kernel, parts: AppParts): Koa<State> {
  const app = new Koa<State>({ proxy: kernel.config.env === 'production', maxIpsCount: 1 }) // only the hop our own proxy appended: a client cannot pick its address (login throttle);
  installQueryParser(app);
  const fallback = new Router<State>();
  const buckets = new Map<string, Router<State>>();
  for (const spec of parts.routes) {
    const key = bucketOf(spec.path);
    let router = key ? buckets.get(key) : fallback;
    if (!router) buckets.set(key!, (router = new Router<State>()));
    mountRoute(kernel, router, spec);
  }
  mountOps(kernel, fallback, () => parts.routes, parts.version);
  const middleware = parts.middleware ?? [];

  app.use(requestContext(kernel));
  app.use(accessLog(kernel));
  app.use(problemMiddleware());
  app.use(boundQuery());
  app.use(securityHeaders());
  app.use(consoleMiddleware()); // the admin console's pages and files (GET /, /admin/...; not /admin/v1)
  app.use(
    parseBodies(bodyParser({
      enableTypes: ['json', 'form', 'text'],
      jsonLimit: kernel.config.bodyLimit,
      formLimit: kernel.config.bodyLimit,
      textLimit: kernel.config.bodyLimit,
      encoding: 'utf-8',
      extendTypes: { text: ['text/xml', 'application/xml'] },
    }) as Koa.Middleware<State>),
  );
  app.use(tenancyMiddleware(kernel));
  for (const m of positioned(middleware, 'afterTenant')) app.use(m);
  app.use(authenticateMiddleware(kernel));
  for (const m of positioned(middleware, 'afterAuth')) app.use(m);
  app.use(dispatch(buckets, fallback));
  app.on('error', () => undefined); // every error is already answered and logged above
  return app;
}
