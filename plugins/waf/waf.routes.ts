// Admin API under /admin/v1/waf: the store's request-filter events, newest first.
import type { PluginRoute, TenantCtx } from '@bazaar/sdk';
import { route, idParams, pageQuery, page, timestamp, id } from '@bazaar/sdk';
import { normalizeAddress } from './engine/index.js';
import { ACTIONS, type WafAction, type WafEvents } from './waf.events.js';
import { DETECTORS, ROUTE_CLASSES } from './waf.settings.js';

const nullableString = { type: ['string', 'null'] } as const;

const eventOut = {
  type: 'object',
  required: ['id', 'createdAt', 'action', 'clientIp', 'method', 'path', 'routeClass', 'detectors', 'ruleIds', 'score'],
  properties: {
    id,
    createdAt: timestamp,
    action: { enum: ACTIONS, description: 'block: refused by inspection; alert: flagged in monitor mode; deny: address on the deny list; rate_limit: a rate limit was reached' },
    clientIp: { type: 'string' },
    method: { type: 'string' },
    path: { type: 'string', description: 'redacted, without the query string' },
    routeClass: { enum: ROUTE_CLASSES },
    detectors: { type: 'array', items: { enum: DETECTORS }, description: 'strongest first' },
    ruleIds: { type: 'array', items: { type: 'string' } },
    score: { type: 'integer', description: 'anomaly score of the request' },
    excerpt: { ...nullableString, description: 'where the strongest rule fired and a redacted excerpt of the value' },
    userAgent: nullableString,
    requestId: nullableString,
  },
} as const;

const matchOut = {
  type: 'object',
  required: ['detector', 'ruleId', 'score'],
  properties: { detector: { type: 'string' }, ruleId: { type: 'string' }, score: { type: 'integer' }, location: nullableString, excerpt: nullableString },
} as const;

const eventDetail = {
  type: 'object',
  required: [...eventOut.required, 'matches'],
  properties: { ...eventOut.properties, matches: { type: 'array', items: matchOut } },
} as const;

const tags = ['admin: request filter'];

export function wafRoutes(events: WafEvents): PluginRoute[] {
  const t = (ctx: unknown) => ctx as TenantCtx;
  return [
    route({
      method: 'GET', path: '/events', summary: 'Blocked, flagged, denied and rate-limited requests, newest first', tags, access: 'staff',
      query: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...pageQuery,
          action: { enum: ACTIONS },
          detector: { enum: DETECTORS },
          ip: { type: 'string', maxLength: 64, description: 'client address (IPv4 or IPv6)' },
          from: { ...timestamp, description: 'at or after this time' },
          to: { ...timestamp, description: 'before this time' },
        },
      },
      responses: { 200: page(eventOut) },
      handler: ({ ctx, query }) => {
        const q = query as { limit: number; cursor?: string; action?: WafAction; detector?: string; ip?: string; from?: string; to?: string };
        return events.list(t(ctx), { ...q, ip: q.ip === undefined ? undefined : (normalizeAddress(q.ip) ?? q.ip) });
      },
    }),
    route({
      method: 'GET', path: '/events/:id', summary: 'One event with every rule that matched and where', tags, access: 'staff',
      params: idParams, responses: { 200: eventDetail },
      errors: { 404: ['WAF_EVENT_NOT_FOUND'] },
      handler: ({ ctx, params }) => events.get(t(ctx), params.id),
    }),
  ];
}
