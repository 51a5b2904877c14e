// Admin API under /admin/v1/webhooks: endpoints, deliveries with their attempt log, replay.
import type { PluginRoute, TenantCtx } from '@bazaar/sdk';
import { route, created, noContent, idParams, pageQuery, page, timestamp, id } from '@bazaar/sdk';
import type { WebhooksService } from './webhooks.service.js';

const pattern = { type: 'string', maxLength: 100, pattern: '^(\\*|[a-z][a-z0-9-]*(\\.[a-z][a-zA-Z0-9]*)*\\.(\\*|[a-z][a-zA-Z0-9]*))$', description: 'an event type (order.paid), a domain (order.*) or everything (*)' } as const;
const events = { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: pattern } as const;
const url = { type: 'string', minLength: 8, maxLength: 2048, description: 'http(s) URL that receives POSTs' } as const;
const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

const endpointOut = {
  type: 'object',
  required: ['id', 'url', 'events', 'status', 'createdAt'],
  properties: {
    id, url: { type: 'string' }, description: { type: ['string', 'null'] }, events: { type: 'array', items: { type: 'string' } },
    status: { enum: ['active', 'disabled'] }, disabledReason: { type: ['string', 'null'] },
    firstFailureAt: nullableTime, lastSuccessAt: nullableTime, lastFailureAt: nullableTime, createdAt: timestamp, updatedAt: timestamp,
  },
} as const;

const withSecret = {
  type: 'object',
  required: ['endpoint', 'secret'],
  properties: { endpoint: endpointOut, secret: { type: 'string', description: 'Shown once: sign-checking key for Bazaar-Signature' } },
} as const;

const deliveryOut = {
  type: 'object',
  required: ['id', 'endpointId', 'eventId', 'eventType', 'status', 'attempts'],
  properties: {
    id, endpointId: id, eventId: id, eventType: { type: 'string' }, status: { enum: ['pending', 'succeeded', 'failed'] }, attempts: { type: 'integer' },
    nextAttemptAt: nullableTime, lastStatus: { type: ['integer', 'null'] }, createdAt: timestamp, updatedAt: timestamp,
  },
} as const;

const attemptOut = {
  type: 'object',
  required: ['id', 'number', 'trigger', 'statusCode', 'durationMs'],
  properties: {
    id, number: { type: 'integer' }, trigger: { enum: ['auto', 'replay'] }, statusCode: { type: ['integer', 'null'] }, durationMs: { type: 'integer', description: 'response time' },
    error: { type: ['string', 'null'] }, responseExcerpt: { type: ['string', 'null'] }, createdAt: timestamp,
  },
} as const;

const deliveryDetail = {
  type: 'object',
  required: [...deliveryOut.required, 'body', 'attemptLog'],
  properties: { ...deliveryOut.properties, body: { type: 'string', description: 'the exact JSON sent' }, attemptLog: { type: 'array', items: attemptOut } },
} as const;

const tags = ['admin: webhooks'];

export function webhookRoutes(service: WebhooksService): PluginRoute[] {
  const t = (ctx: unknown) => ctx as TenantCtx;
  return [
    route({
      method: 'GET', path: '/endpoints', summary: 'Webhook endpoints of this store', tags, access: 'staff',
      responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: endpointOut } } } },
      handler: ({ ctx }) => service.listEndpoints(t(ctx)),
    }),
    route({
      method: 'POST', path: '/endpoints', summary: 'Register an endpoint; the signing secret is shown in this answer only', tags, access: 'staff',
      body: { type: 'object', required: ['url', 'events'], additionalProperties: false, properties: { url, events, description: { type: 'string', maxLength: 500 } } },
      responses: { 201: withSecret },
      errors: { 400: ['WEBHOOK_URL_FORBIDDEN'] },
      handler: async ({ ctx, body }) => {
        const out = await service.createEndpoint(t(ctx), body);
        return created(out, `/admin/v1/webhooks/endpoints/${out.endpoint.id}`);
      },
    }),
    route({
      method: 'GET', path: '/endpoints/:id', summary: 'One endpoint (never its secret)', tags, access: 'staff',
      params: idParams, responses: { 200: endpointOut },
      errors: { 404: ['WEBHOOK_ENDPOINT_NOT_FOUND'] },
      handler: ({ ctx, params }) => service.getEndpoint(t(ctx), params.id),
    }),
    route({
      method: 'PATCH', path: '/endpoints/:id', summary: 'Change URL, events or description; set status active to re-enable', tags, access: 'staff',
      params: idParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { url, events, description: { type: ['string', 'null'], maxLength: 500 }, status: { enum: ['active', 'disabled'] } } },
      responses: { 200: endpointOut },
      errors: { 404: ['WEBHOOK_ENDPOINT_NOT_FOUND'] },
      handler: ({ ctx, params, body }) => service.updateEndpoint(t(ctx), params.id, body),
    }),
    route({
      method: 'DELETE', path: '/endpoints/:id', summary: 'Remove an endpoint and its delivery log', tags, access: 'staff',
      params: idParams, responses: { 204: null },
      errors: { 404: ['WEBHOOK_ENDPOINT_NOT_FOUND'] },
      handler: async ({ ctx, params }) => {
        await service.deleteEndpoint(t(ctx), params.id);
        return noContent();
      },
    }),
    route({
      method: 'POST', path: '/endpoints/:id/rotate-secret', summary: 'Replace the signing secret; the new one is shown once', tags, access: 'staff',
      params: idParams, responses: { 200: withSecret },
      errors: { 404: ['WEBHOOK_ENDPOINT_NOT_FOUND'] },
      handler: ({ ctx, params }) => service.rotateSecret(t(ctx), params.id),
    }),
    route({
      method: 'GET', path: '/deliveries', summary: 'Deliveries, newest first', tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, endpointId: id, status: { enum: ['pending', 'succeeded', 'failed'] }, eventType: { type: 'string', maxLength: 100 } } },
      responses: { 200: page(deliveryOut) },
      handler: ({ ctx, query }) => service.listDeliveries(t(ctx), query),
    }),
    route({
      method: 'GET', path: '/deliveries/:id', summary: 'One delivery: the body sent and every attempt with status and response time', tags, access: 'staff',
      params: idParams, responses: { 200: deliveryDetail },
      errors: { 404: ['WEBHOOK_DELIVERY_NOT_FOUND'] },
      handler: ({ ctx, params }) => service.getDelivery(t(ctx), params.id),
    }),
    route({
      method: 'POST', path: '/deliveries/:id/replay', summary: 'Send a delivery again now (staff); answers with the attempt', tags, access: 'staff',
      params: idParams,
      responses: { 200: { type: 'object', required: ['delivery', 'attempt'], properties: { delivery: deliveryOut, attempt: attemptOut } } },
      errors: { 404: ['WEBHOOK_DELIVERY_NOT_FOUND'], 409: ['WEBHOOK_ENDPOINT_DISABLED'] },
      handler: ({ ctx, params }) => service.replay(t(ctx), params.id),
    }),
  ];
}
