// /openapi.json is generated from the same route specs that validate requests; never by hand.
import type { RouteSpec } from './route.js';

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

export function buildOpenApi(routes: RouteSpec[], info: { version: string; serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = toOpenApiPath(r.path);
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(r.responses)) {
      responses[status] = schema ? { description: 'OK', content: { 'application/json': { schema } } } : { description: 'No content' };
    }
    responses.default = { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
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
