// The request filter (WAF): runs first on every request of the stores that switch it on.
// Allow and deny lists, rate limits per client address and route class, and anomaly-scored
// inspection by the engine (engine/), blocking or only recording; every act is stored as an
// event the store's staff can list, and counted on /metrics.
import { definePlugin } from '@bazaar/sdk';
import { WafEvent } from './waf.model.js';
import { optionsSchema, settingsSchema, type WafOptions } from './waf.settings.js';
import { filterMiddleware } from './waf.middleware.js';
import { RateLimiter } from './waf.rate-limit.js';
import { wafEvents } from './waf.events.js';
import { wafRoutes } from './waf.routes.js';

const HOUR = 60 * 60_000;

export default definePlugin({
  name: 'waf',
  version: '1.0.0',
  core: '^0.1.0',
  description: 'Request filter: SQL injection, XSS, path traversal, command and template injection, scanners; rate limits and IP lists',
  permissions: ['cache:use', 'metrics:write'],
  optionsSchema,
  settingsSchema,
  models: [WafEvent],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    const options = api.options as unknown as WafOptions;
    const cache = api.use('cache:use');
    const events = wafEvents({ cache, maxPerMinute: () => options.maxEventsPerMinute });
    api.middleware(
      filterMiddleware({
        options,
        events,
        limiter: new RateLimiter(cache),
        metrics: api.use('metrics:write'),
      }),
    );
    api.routes.admin(...wafRoutes(events));
    api.scheduleForTenants('prune', HOUR, async (ctx) => {
      const n = await events.prune(ctx, options.retentionDays);
      if (n > 0) ctx.log.info({ plugin: 'waf', deleted: n }, 'pruned old request-filter events');
    });
  },
});
