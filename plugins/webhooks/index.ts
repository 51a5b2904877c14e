// Outbound webhooks: a store registers URLs with the events it wants; each event is delivered
// signed, retried with backoff for hours, logged attempt by attempt, and can be replayed.
import { definePlugin, type TenantCtx } from '@bazaar/sdk';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhooks.model.js';
import { webhooksService, type WebhookOptions } from './webhooks.service.js';
import { webhookRoutes } from './webhooks.routes.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export default definePlugin({
  name: 'webhooks',
  version: '1.0.0',
  core: '^0.1.0',
  description: 'Signed HTTP callbacks for store events, retried for hours and replayable',
  permissions: ['events:*', 'notifications:send'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      retrySchedule: {
        type: 'array', minItems: 0, maxItems: 30, items: { type: 'integer', minimum: 10, maximum: 7 * 24 * HOUR },
        // 1 min, 5 min, 30 min, 2 h, 5 h, 10 h: about 18 hours of retries.
        default: [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR],
      },
      disableAfterMs: { type: 'integer', minimum: 100, default: 72 * HOUR },
      timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 10_000 },
      sweepMs: { type: 'integer', minimum: 50, default: MINUTE },
      allowPrivateTargets: { type: 'boolean', description: 'Deliver to loopback and private networks (default: only outside production)' },
    },
  },
  models: [WebhookEndpoint, WebhookDelivery, WebhookAttempt],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    const raw = api.options as Omit<WebhookOptions, 'allowPrivateTargets'> & { allowPrivateTargets?: boolean };
    const options: WebhookOptions = { ...raw, allowPrivateTargets: raw.allowPrivateTargets ?? process.env.NODE_ENV !== 'production' };
    const deliverJob = api.job<{ deliveryId: string }>('deliver', (ctx, data) => service.deliver(ctx, data.deliveryId), { attempts: 3, backoffMs: 5000, concurrency: 4 });
    const service = webhooksService({ api, options, notifications: api.use('notifications:send'), deliverJob: () => deliverJob });

    api.routes.admin(...webhookRoutes(service));
    api.subscribe({ name: 'fanOut', events: ['*'], handle: (ctx: TenantCtx, event) => service.fanOut(ctx, event) });
    api.scheduleForTenants('sweep', options.sweepMs, async (ctx) => {
      await service.sweep(ctx);
    });
  },
});
