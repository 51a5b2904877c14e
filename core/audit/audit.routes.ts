import { route, type RouteSpec } from '../http/route.js';
import { pageQuery, page, timestamp } from '../http/schemas.js';
import { listAudit } from './audit.service.js';

const entry = {
  type: 'object',
  required: ['id', 'actorType', 'action', 'targetType', 'createdAt'],
  properties: {
    id: { type: 'string' }, actorType: { type: 'string' }, actorId: { type: ['string', 'null'] }, action: { type: 'string' },
    targetType: { type: 'string' }, targetId: { type: ['string', 'null'] }, tenantId: { type: ['string', 'null'] },
    before: {}, after: {}, requestId: { type: ['string', 'null'] }, createdAt: timestamp,
  },
} as const;

export const auditRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/platform/v1/audit', summary: 'The audit trail of platform acts (newest first)', tags: ['platform: audit'], access: 'platform',
    query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, tenantId: { type: 'string', format: 'uuid' }, action: { type: 'string', maxLength: 64 } } },
    responses: { 200: page(entry) },
    handler: ({ ctx, query }) => listAudit(ctx, query),
  }),
];
