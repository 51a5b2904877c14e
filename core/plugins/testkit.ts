// The plugin test kit: boots the core with your plugin on a database of its own (a temporary
// SQLite file, or a fresh MariaDB schema beside DATABASE_URL), installs it, and gives you
// tenants, tokens, an HTTP client and the log lines. Use it from mocha:
//
//   const kit = await startTestKit({ plugin: myPlugin });
//   const shop = await kit.tenant({ enable: ['my-plugin'] });
//   const res = await kit.get('/store/v1/my-plugin/hello', { tenant: shop.slug });
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../config.js';
import { createRuntime, type Runtime } from '../server.js';
import type { Kernel } from '../kernel.js';
import { createKnex } from '../db/knex.js';
import { createSystemCtx, requireTenant, type Tenant, type TenantCtx } from '../context.js';
import { createPlatformAdmin } from '../users/auth.service.js';
import type { EventBusOptions } from '../events/bus.js';
import { emitEvent } from '../events/emit.js';
import type { EventPayload } from '../events/event.types.js';
import { installPlugin } from './lifecycle.service.js';
import { hostOf } from './host.js';
import type { PluginDefinition } from './types.js';

export interface TestKitOptions {
  /** The plugin under test. */
  plugin?: PluginDefinition;
  /** More plugins (its requirements, say). */
  plugins?: PluginDefinition[];
  /** Load plugins/ too (default false: the core and your plugin only). */
  builtIns?: boolean | string;
  /** npm packages to load, looked up in `packageBase`'s node_modules. */
  packages?: string[];
  packageBase?: string;
  /** Platform options per plugin name (what BAZAAR_PLUGIN_OPTIONS would hold). */
  options?: Record<string, unknown>;
  /** Extra environment (config variables). */
  env?: Record<string, string>;
  /** Install every loaded plugin at start (default true). */
  install?: boolean;
  /** Relay tuning; the kit polls every 100 ms. */
  events?: Partial<EventBusOptions>;
}

export interface KitResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Store slug, sent as X-Tenant. */
  tenant?: string;
  token?: string;
  body?: unknown;
  /** A body sent as is (signature tests), with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface KitTenant {
  tenant: Tenant;
  slug: string;
  ownerEmail: string;
  ownerToken: string;
  /** A system ctx of the tenant, for calling services and emitting events in tests. */
  ctx: TenantCtx;
}

export interface TestKit {
  runtime: Runtime;
  kernel: Kernel;
  baseUrl: string;
  /** Every log line so far, parsed (level 30 info, 40 warn, 50 error). */
  logs: Record<string, any>[];
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<KitResponse<T>>;
  get<T = any>(path: string, opts?: RequestOptions): Promise<KitResponse<T>>;
  post<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<KitResponse<T>>;
  put<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<KitResponse<T>>;
  patch<T = any>(path: string, body?: unknown, opts?: RequestOptions): Promise<KitResponse<T>>;
  del<T = any>(path: string, opts?: RequestOptions): Promise<KitResponse<T>>;
  /** A platform admin's token (made once). */
  platformToken(): Promise<string>;
  /** A new store with an owner; `enable` switches plugins on through the Admin API. */
  tenant(opts?: { slug?: string; enable?: string[]; settings?: Record<string, Record<string, unknown>> }): Promise<KitTenant>;
  enable(t: KitTenant, name: string, settings?: Record<string, unknown>): Promise<KitResponse>;
  disable(t: KitTenant, name: string): Promise<KitResponse>;
  /** Emits an event for a tenant, as a core domain would. */
  emit<T extends string>(t: KitTenant, type: T, payload: EventPayload<T>): Promise<string>;
  waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts?: { timeoutMs?: number; what?: string }): Promise<T>;
  close(): Promise<void>;
}

export const KIT_PASSWORD = 'correct horse battery';
let kits = 0;

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, opts: { timeoutMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'a condition'}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A database only this kit uses: the shared test runtime's relay must never see its events. */
async function kitDatabase(n: number): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base?.startsWith('mysql')) return `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-kit-')), 'kit.sqlite')}`;
  const url = new URL(base);
  const name = `${url.pathname.slice(1)}_kit${n}`;
  const admin = createKnex(base);
  try {
    await admin.raw('drop database if exists ??', [name]);
    await admin.raw('create database ?? character set utf8mb4 collate utf8mb4_unicode_ci', [name]);
  } finally {
    await admin.destroy();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

export async function startTestKit(opts: TestKitOptions = {}): Promise<TestKit> {
  const n = ++kits;
  const logs: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: await kitDatabase(n),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    BAZAAR_PLUGINS: '',
    BAZAAR_PLUGIN_OPTIONS: JSON.stringify(opts.options ?? {}),
    QUEUE_PREFIX: `{kit${n}-${crypto.randomBytes(3).toString('hex')}}`,
    METRICS_TOKEN: crypto.randomBytes(24).toString('hex'),
    ...opts.env,
  };
  const config = loadConfig(env);
  const runtime = await createRuntime({
    config,
    role: 'all',
    log: pino({ level: 'debug' }, sink),
    events: { pollMs: 100, ...opts.events },
    plugins: { builtIns: opts.builtIns ?? false, packages: opts.packages, packageBase: opts.packageBase, inline: [...(opts.plugin ? [opts.plugin] : []), ...(opts.plugins ?? [])] },
  });
  const kernel = runtime.kernel;
  const server = await runtime.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const request = async <T>(method: string, p: string, o: RequestOptions = {}): Promise<KitResponse<T>> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.tenant) headers['x-tenant'] = o.tenant;
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    // /metrics is private: the kit scrapes it as Prometheus would, with the metrics token.
    if (p === '/metrics' && !o.token && !headers.authorization && config.metricsToken) headers.authorization = `Bearer ${config.metricsToken}`;
    let body: string | undefined;
    if (o.raw !== undefined) {
      body = o.raw;
      headers['content-type'] = o.contentType ?? 'application/json';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${baseUrl}${p}`, { method, headers, body });
    const text = await res.text();
    const parsed = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };

  let platform: Promise<string> | undefined;
  const platformToken = () =>
    (platform ??= (async () => {
      const email = `admin-${n}@kit.test`;
      await createPlatformAdmin(kernel, { email, password: KIT_PASSWORD, name: 'Kit Admin' });
      const res = await request<{ token: string }>('POST', '/platform/v1/auth/login', { body: { email, password: KIT_PASSWORD } });
      if (res.status !== 200) throw new Error(`platform login failed: ${res.text}`);
      return res.body.token;
    })());

  if (opts.install ?? true) {
    const ctx = createSystemCtx(kernel, null, { actor: { type: 'system', name: 'testkit' } });
    for (const p of hostOf(kernel).plugins) await installPlugin(ctx, p.name);
  }

  const kit: TestKit = {
    runtime,
    kernel,
    baseUrl,
    logs,
    request,
    get: (p, o) => request('GET', p, o),
    post: (p, body, o = {}) => request('POST', p, { ...o, body }),
    put: (p, body, o = {}) => request('PUT', p, { ...o, body }),
    patch: (p, body, o = {}) => request('PATCH', p, { ...o, body }),
    del: (p, o) => request('DELETE', p, o),
    platformToken,
    async tenant(o = {}) {
      const slug = o.slug ?? `kit-${crypto.randomBytes(4).toString('hex')}`;
      const ownerEmail = `owner@${slug}.test`;
      const made = await request<{ id: string }>('POST', '/platform/v1/tenants', { token: await platformToken(), body: { slug, name: `Shop ${slug}`, defaultCurrency: 'USD', currencies: ['USD', 'EUR'], owner: { email: ownerEmail, name: 'Owner', password: KIT_PASSWORD } } });
      if (made.status !== 201) throw new Error(`tenant create failed: ${made.text}`);
      const login = await request<{ token: string }>('POST', '/admin/v1/auth/login', { body: { tenant: slug, email: ownerEmail, password: KIT_PASSWORD } });
      if (login.status !== 200) throw new Error(`owner login failed: ${login.text}`);
      const tenant = (await kernel.tenants.byId(made.body.id))!;
      const t: KitTenant = { tenant, slug, ownerEmail, ownerToken: login.body.token, ctx: requireTenant(createSystemCtx(kernel, tenant)) };
      for (const name of o.enable ?? []) {
        const res = await kit.enable(t, name, o.settings?.[name]);
        if (res.status !== 200) throw new Error(`enabling ${name} failed: ${res.text}`);
      }
      return t;
    },
    enable: (t, name, settings) => request('POST', `/admin/v1/plugins/${name}/enable`, { token: t.ownerToken, body: settings ? { settings } : {} }),
    disable: (t, name) => request('POST', `/admin/v1/plugins/${name}/disable`, { token: t.ownerToken }),
    emit: (t, type, payload) => emitEvent(t.ctx, type, payload),
    waitFor,
    close: () => runtime.close(),
  };
  return kit;
}
