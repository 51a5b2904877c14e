import { route, Reply, type RouteSpec } from '../http/route.js';
import { pageQuery, page, timestamp } from '../http/schemas.js';
import { requireTenant } from '../context.js';
import { AUDIT_EXPORT_MAX_ROWS, exportAudit, listAudit, type AuditFilter } from './audit.service.js';

const entry = {
  type: 'object',
  required: ['id', 'actorType', 'action', 'targetType', 'createdAt'],
  properties: {
    id: { type: 'string' }, actorType: { type: 'string' }, actorId: { type: ['string', 'null'] }, action: { type: 'string' },
    targetType: { type: 'string' }, targetId: { type: ['string', 'null'] }, tenantId: { type: ['string', 'null'] },
    before: {}, after: {}, reason: { type: ['string', 'null'] }, requestId: { type: ['string', 'null'] }, createdAt: timestamp,
  },
} as const;

/** The filters both surfaces take; a store's staff get their own store's entries whatever they ask. */
const filters = {
  action: { type: 'string', maxLength: 64, description: 'Exact, or a prefix ending in * (tenant.*, POST /orders*)' },
  actorType: { type: 'string', enum: ['staff', 'apiKey', 'platform', 'system', 'principal', 'customer'] },
  actorId: { type: 'string', maxLength: 64 },
  targetType: { type: 'string', maxLength: 32 },
  targetId: { type: 'string', maxLength: 64 },
  requestId: { type: 'string', maxLength: 64 },
  from: { ...timestamp, description: 'Entries at or after this time' },
  to: { ...timestamp, description: 'Entries before this time' },
} as const;

const platformFilters = { ...filters, tenantId: { type: 'string', format: 'uuid' } } as const;
const csvHeaders = (name: string, truncated: boolean) => ({ 'Content-Disposition': `attachment; filename="${name}"`, 'X-Audit-Truncated': String(truncated) });
const exportSummary = `At most ${AUDIT_EXPORT_MAX_ROWS} entries, newest first; X-Audit-Truncated says whether more matched`;

export const auditRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/platform/v1/audit', summary: 'The audit trail of platform and store acts (newest first), filtered', tags: ['platform: audit'], access: 'platform',
    query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, ...platformFilters } },
    responses: { 200: page(entry) },
    handler: ({ ctx, query }) => listAudit(ctx, query),
  }),
  route({
    method: 'GET', path: '/platform/v1/audit/export', summary: `The filtered audit trail as CSV. ${exportSummary}`, tags: ['platform: audit'], access: 'platform',
    query: { type: 'object', additionalProperties: false, properties: platformFilters },
    responses: { 200: null },
    handler: async ({ ctx, query }) => {
      const out = await exportAudit(ctx, query as AuditFilter);
      return new Reply(200, out.csv, csvHeaders('audit.csv', out.truncated), 'text/csv; charset=utf-8');
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/audit', summary: "This store's audit trail (newest first), filtered", tags: ['admin: audit'], access: 'staff', permission: 'audit:read',
    query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, ...filters } },
    responses: { 200: page(entry) },
    handler: ({ ctx, query }) => listAudit(ctx, { ...query, tenantId: requireTenant(ctx).tenant.id }),
  }),
  route({
    method: 'GET', path: '/admin/v1/audit/export', summary: `This store's filtered audit trail as CSV. ${exportSummary}`, tags: ['admin: audit'], access: 'staff', permission: 'audit:read',
    query: { type: 'object', additionalProperties: false, properties: filters },
    responses: { 200: null },
    handler: async ({ ctx, query }) => {
      const out = await exportAudit(ctx, { ...(query as AuditFilter), tenantId: requireTenant(ctx).tenant.id });
      return new Reply(200, out.csv, csvHeaders(`audit-${requireTenant(ctx).tenant.slug}.csv`, out.truncated), 'text/csv; charset=utf-8');
    },
  }),
];
