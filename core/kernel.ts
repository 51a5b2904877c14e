// The kernel: config, databases, cache, queue, i18n, logs and metrics for one process. Domain
// code reaches them through ctx.kernel; nothing here knows about tenant management or plugins.
import pino, { type Logger } from 'pino';
import type { i18n } from 'i18next';
import { Registry, Histogram, Counter, collectDefaultMetrics } from 'prom-client';
import type { Config } from './config.js';
import type { Tenant } from './context.js';
import { DbPool } from './db/pool.js';
import { connectionWatch } from './db/knex.js';
import { createI18n } from './i18n.js';
import type { Cache } from './cache/cache.js';
import { MemoryCache } from './cache/memory-cache.js';
import { RedisCache } from './cache/redis-cache.js';
import type { Queue } from './events/queue.js';
import { MemoryQueue } from './events/memory-queue.js';
import { BullQueue } from './events/bull-queue.js';
import { EventBus } from './events/bus.js';
import { CoreExtensions } from './extensions.js';
import { LogNotificationProvider, SmtpNotificationProvider, type NotificationProvider } from './notify/notification.js';

/** How the core finds tenants; implemented by tenants/ and handed in by the composition root. */
export interface TenantDirectory {
  byId(id: string): Promise<Tenant | null>;
  bySlug(slug: string): Promise<Tenant | null>;
  byHost(host: string): Promise<Tenant | null>;
  /** Forgets cached entries after a change, in this process and (through the cache) in others. */
  invalidate(tenant: Tenant): Promise<void>;
}

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  counter(name: string, help: string, labelNames?: string[]): Counter<string>;
}

export interface Kernel {
  readonly config: Config;
  readonly log: Logger;
  readonly i18n: i18n;
  readonly pool: DbPool;
  readonly cache: Cache;
  readonly queue: Queue;
  readonly metrics: Metrics;
  readonly notifier: NotificationProvider;
  /** Providers and hooks: the core's own, plus enabled plugins' once the plugin host is attached. */
  readonly extensions: CoreExtensions;
  /** Domain events: subscribers, the outbox relay and the subscriber runner (core/events/). */
  readonly events: EventBus;
  tenants: TenantDirectory;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counters = new Map<string, Counter<string>>();
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    counter(name, help, labelNames = []) {
      let c = counters.get(name);
      if (!c) {
        c = new Counter({ name, help, labelNames, registers: [registry] });
        counters.set(name, c);
      }
      return c;
    },
  };
}

export async function createKernel(config: Config, opts: { log?: Logger } = {}): Promise<Kernel> {
  const log = opts.log ?? pino({ level: config.logLevel, base: { pid: process.pid } });
  const queueLog = log.child({ component: 'queue' });
  const unconfigured: TenantDirectory = {
    byId: async () => null,
    bySlug: async () => null,
    byHost: async () => null,
    invalidate: async () => undefined,
  };
  const kernel: Omit<Kernel, 'events'> & { events?: EventBus } = {
    config,
    log,
    i18n: await createI18n([], { onMissingKey: (ns, key) => log.warn({ ns, key }, 'i18n: a text key no locale has (shown empty)') }),
    pool: new DbPool(config.databaseUrl, config.placements),
    cache: config.redisUrl ? new RedisCache(config.redisUrl, log) : new MemoryCache(),
    queue: config.redisUrl ? new BullQueue(config.redisUrl, config.queuePrefix, queueLog) : new MemoryQueue(queueLog),
    metrics: createMetrics(),
    notifier: config.smtpUrl ? new SmtpNotificationProvider(config.smtpUrl, config.mailFrom) : new LogNotificationProvider(log.child({ component: 'mail' })),
    extensions: new CoreExtensions(),
    tenants: unconfigured,
  };
  kernel.events = new EventBus(kernel as Kernel);
  const onStall = (message: string) => log.error({ stall: message }, 'a query waits for the database connection its own transaction holds');
  connectionWatch.on('stall', onStall);
  stallListeners.set(kernel as Kernel, onStall);
  return kernel as Kernel;
}

const stallListeners = new WeakMap<Kernel, (message: string) => void>();

export async function closeKernel(kernel: Kernel): Promise<void> {
  await kernel.events.stop();
  await kernel.queue.close();
  await kernel.cache.close();
  await kernel.pool.destroy();
  const onStall = stallListeners.get(kernel);
  if (onStall) connectionWatch.off('stall', onStall);
}
