// The composition root: the one place that assembles core, tenants and plugins into a process.
// `web` serves HTTP, `worker` consumes queues, `all` does both (the embedded default).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Koa from 'koa';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config.js';
import { createKernel, closeKernel, type Kernel } from './kernel.js';
import { createApp } from './app.js';
import { migrateLatest } from './db/migrate.js';
import { projectRoot } from './paths.js';
import type { RouteSpec } from './http/route.js';
import type { State } from './http/state.js';
import { coreDomains } from './domains.js';
import type { EventBusOptions } from './events/bus.js';
import { bootPlugins, maybeHostOf, type PluginHostOptions } from './plugins/host.js';
import { pluginRoutes } from './plugins/plugin.routes.js';
import { CachedTenantDirectory } from '../tenants/tenant.directory.js';
import { tenantRoutes } from '../tenants/tenant.routes.js';
import { getTenant, provisionTenant, setTenantStatus, terminateTenant } from '../tenants/tenant.service.js';

export type Role = 'web' | 'worker' | 'all';

export interface Runtime {
  kernel: Kernel;
  app: Koa<State>;
  routes: RouteSpec[];
  listen(port?: number, host?: string): Promise<http.Server>;
  close(): Promise<void>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
export const CORE_VERSION = pkg.version;

/** Migration folders in dependency order; plugin folders are added by the plugin host. */
export function migrationDirs(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.join(here, 'db', 'migrations'), path.join(here, '..', 'tenants', 'migrations')];
}

export async function migrateAll(kernel: Kernel): Promise<string[]> {
  const done: string[] = [];
  for (const db of kernel.pool.all()) done.push(...(await migrateLatest(db, migrationDirs())));
  const host = maybeHostOf(kernel);
  if (host) done.push(...(await host.migrateInstalled()));
  return done;
}

export interface RuntimeOptions {
  config?: Config;
  role?: Role;
  migrate?: boolean;
  /** A logger of the caller's (tests capture lines with it). */
  log?: Logger;
  /** Relay and runner tuning (tests poll faster). */
  events?: Partial<EventBusOptions>;
  /** Which plugins to load besides BAZAAR_PLUGINS: built-ins (default on), inline ones (test kit). */
  plugins?: Pick<PluginHostOptions, 'builtIns' | 'packages' | 'packageBase' | 'inline'>;
}

/** Platform permissions whose services live outside core: merchant onboarding provisions tenants. */
const platformServices: PluginHostOptions['services'] = {
  'tenants:provision': {
    scopes: ['platform'],
    create: () => ({
      async provision(ctx, input) {
        const t = await provisionTenant(ctx, input);
        return { id: t.id, slug: t.slug, name: t.name };
      },
      async activate(ctx, id) {
        await setTenantStatus(ctx, id, 'active');
      },
      async suspend(ctx, id, reason) {
        await setTenantStatus(ctx, id, 'suspended', reason);
      },
      async resume(ctx, id) {
        await setTenantStatus(ctx, id, 'active');
      },
      async terminate(ctx, id, reason) {
        await terminateTenant(ctx, id, reason);
      },
    }),
  },
  'tenants:read': {
    scopes: ['platform'],
    create: () => ({
      async get(ctx, id) {
        const t = await getTenant(ctx, id).catch(() => undefined);
        return t && { id: t.id, slug: t.slug, name: t.name, status: t.status, defaultCurrency: t.defaultCurrency, defaultLocale: t.defaultLocale };
      },
    }),
  },
};

export async function createRuntime(opts: RuntimeOptions = {}): Promise<Runtime> {
  const config = opts.config ?? loadConfig();
  const role = opts.role ?? 'all';
  const kernel = await createKernel(config, { log: opts.log });
  if (opts.events) kernel.events.configure(opts.events);
  kernel.tenants = new CachedTenantDirectory(kernel);
  if (opts.migrate ?? true) await migrateAll(kernel);

  for (const d of coreDomains) d.init?.(kernel);
  const coreRoutes: RouteSpec[] = [...coreDomains.flatMap((d) => d.routes), ...tenantRoutes, ...pluginRoutes];
  const plugins = await bootPlugins(kernel, { coreVersion: CORE_VERSION, coreRoutes, services: platformServices, ...opts.plugins }).catch(async (err: unknown) => {
    await closeKernel(kernel);
    throw err;
  });
  if (opts.migrate ?? true) await plugins.migrateInstalled();
  const routes: RouteSpec[] = [...coreRoutes, ...plugins.routes()];
  const app = createApp(kernel, { routes, middleware: plugins.middleware(), version: CORE_VERSION });
  if (role !== 'web') for (const d of coreDomains) d.startWorkers?.(kernel);
  if (role !== 'web') plugins.startWorkers();
  // Every role relays right after a commit; workers also poll the outbox and run subscribers.
  kernel.events.start({ relay: role !== 'web', consume: role !== 'web' });

  const servers: http.Server[] = [];
  return {
    kernel,
    app,
    routes,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        const server = http.createServer(app.callback());
        server.keepAliveTimeout = 65_000;
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          const bound = typeof address === 'object' && address ? address : { port, address: host ?? '' };
          // A wildcard or hostname bind is reached on loopback from this machine.
          const loopback = /^(127\.|::1$)/.test(bound.address) ? bound.address : '127.0.0.1';
          plugins.listening({ port: bound.port, url: `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${bound.port}` });
          resolve(server);
        });
        servers.push(server);
      });
    },
    async close() {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      plugins.stop();
      await closeKernel(kernel);
    },
  };
}
