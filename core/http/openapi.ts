// /openapi.json is generated from the same route specs that validate requests; never by hand.
import type { RouteSpec } from './route.js';
import { appendFileSync } from 'node:fs';

const SURFACE_SECURITY: Record<string, unknown[]> = {
  staff: [{ bearer: [] }, { apiKey: [] }],
  customer: [{ bearer: [] }],
  platform: [{ bearer: [] }],
  principal: [{ bearer: [] }],
  public: [],
};

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(where: 'path' | 'query', schema: Record<string, unknown> | undefined): unknown[] {
  if (!schema) return [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    description: s.description,
    schema: s,
  }));
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'The request is not valid: the problem names each bad field in `errors`',
  401: 'No valid credentials',
  403: 'Signed in, but not allowed (permission, or the store is suspended or not open yet)',
  404: 'Not found (the store, or what the path names)',
  405: 'Method not allowed',
  409: 'Conflict with the current state',
  413: 'The body is too large',
  415: 'The body is not of a media type this route takes',
  422: 'The Idempotency-Key was used before with another request',
  429: 'Too many requests; retry after Retry-After seconds',
};

/**
 * The problem answers a route can give, by status, with their codes: those of every route of
 * its kind (from its access, inputs, path and idempotency), plus the route's own `errors`.
 */
export type DeclaredProblems = (point: string) => Record<number, string[]>;

export function problemAnswers(r: RouteSpec, declared?: DeclaredProblems): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const add = (status: number, ...codes: string[]) => {
    const set = out.get(status) ?? new Set<string>();
    for (const c of codes) set.add(c);
    out.set(status, set);
  };
  // Any request: a query string over its bounds, or one the route's schema refuses.
  add(400, 'VALIDATION_FAILED', 'QUERY_TOO_LARGE');
  if (r.query) add(400, 'INVALID_CURSOR');
  if (r.body || r.method !== 'GET') {
    add(400, 'MALFORMED_JSON', 'MALFORMED_BODY', 'TOO_DEEP', 'MALFORMED_UNICODE');
    add(413, 'PAYLOAD_TOO_LARGE');
    add(415, 'UNSUPPORTED_MEDIA_TYPE', 'UNSUPPORTED_ENCODING');
  }
  if (r.access !== 'public') {
    add(401, 'UNAUTHORIZED', 'INVALID_TOKEN');
    add(403, 'PERMISSION_DENIED', 'FORBIDDEN');
  }
  if (r.path.startsWith('/store/') || r.path.startsWith('/admin/')) {
    if (!r.noTenant) add(404, 'TENANT_NOT_FOUND');
    add(403, 'TENANT_SUSPENDED', 'TENANT_PENDING');
  }
  add(404, 'ROUTE_NOT_FOUND');
  if (r.path.includes(':')) add(404, 'NOT_FOUND');
  if (r.path.includes('/tenants/:id')) add(404, 'TENANT_NOT_FOUND');
  if (r.idempotent) {
    add(400, 'IDEMPOTENCY_KEY_INVALID');
    add(409, 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_RETRY');
    add(422, 'IDEMPOTENCY_KEY_REUSED');
  }
  for (const [status, codes] of Object.entries(r.errors ?? {})) add(Number(status), ...codes);
  for (const point of r.errorsFrom ?? []) {
    for (const [status, codes] of Object.entries(declared?.(point) ?? {})) add(Number(status), ...codes);
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

/** Under test: appends a 4xx a route gave that its entry does not declare to UNDECLARED_PROBLEMS_FILE. */
export function noteUndeclaredProblem(r: RouteSpec, status: number, code: string, declared?: DeclaredProblems): void {
  if (status < 400 || status >= 500) return;
  if (problemAnswers(r, declared).get(status)?.has(code)) return;
  if (process.env.UNDECLARED_PROBLEMS_FILE) appendFileSync(process.env.UNDECLARED_PROBLEMS_FILE, `${r.method} ${r.path} ${status} ${code}\n`);
}

export function buildOpenApi(routes: RouteSpec[], info: { version: string; serverUrl: string }, declared?: DeclaredProblems): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = toOpenApiPath(r.path);
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      responses[status] = schema ? { description: 'OK', content: { 'application/json': { schema } } } : { description: 'No content' };
    }
    for (const [status, codes] of problemAnswers(r, declared)) {
      responses[status] = {
        description: `${PROBLEM_TEXT[status] ?? 'Problem'} (codes: ${[...codes].join(', ')})`,
        'x-codes': [...codes],
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    responses.default = { description: 'Any other problem (RFC 9457), e.g. 500 with only a requestId', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    const headerParams = [];
    if (r.path.startsWith('/store/')) headerParams.push({ name: 'X-Tenant', in: 'header', required: false, description: 'Store slug (development and tests; production uses the Host)', schema: { type: 'string' } });
    if (r.idempotent) headerParams.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } });
    paths[p] ??= {};
    paths[p][r.method.toLowerCase()] = {
      summary: r.summary,
      tags: r.tags ?? [r.path.split('/')[1]],
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[/:{}-]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: SURFACE_SECURITY[r.access],
      'x-permission': r.permission,
      parameters: [...parameters('path', r.params), ...parameters('query', r.query), ...headerParams],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Bazaar API', version: info.version, description: 'Store (/store/v1), Admin (/admin/v1) and Platform (/platform/v1) APIs of Bazaar.' },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Session token (bzt_...) or platform token (bzp_...)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'Integration API key (bzk_...) of one tenant' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            requestId: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { in: { type: 'string' }, pointer: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
