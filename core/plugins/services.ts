// The services behind plugin permissions. Each is built per plugin and takes ctx first, so it
// acts only inside the ctx's tenant. Domains add theirs with registerPluginService() and declare
// the type by augmenting PluginServices (core/plugins/types.ts); the composition root adds the
// platform ones that live outside core (tenant provisioning).
import type { Kernel } from '../kernel.js';
import { requireTenant, type Ctx } from '../context.js';
import { tenantKey } from '../cache/cache.js';
import { scoped } from '../db/model.js';
import { Customer, Staff } from '../users/user.model.js';
import { ProductCategory, StockLocation } from '../catalog/catalog.model.js';
import { sendMail } from '../users/auth.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { PluginScope, PluginServices, ServicePermission } from './types.js';

export interface ServiceEntry<K extends ServicePermission = ServicePermission> {
  /** Which kind of plugin may hold the permission: a tenant plugin never provisions tenants. */
  scopes: readonly PluginScope[];
  create(kernel: Kernel, plugin: { name: string }): PluginServices[K];
}

const registry = new Map<string, ServiceEntry>();

export function registerPluginService<K extends ServicePermission>(permission: K, entry: ServiceEntry<K>): void {
  registry.set(permission, entry as unknown as ServiceEntry);
}

export function pluginService(permission: string): ServiceEntry | undefined {
  return registry.get(permission);
}

export function knownServicePermissions(): string[] {
  return [...registry.keys()];
}

registerPluginService('store:read', {
  scopes: ['tenant'],
  create: () => ({
    async get(ctx) {
      const t = requireTenant(ctx).tenant;
      return { id: t.id, slug: t.slug, name: t.name, defaultLocale: t.defaultLocale, defaultCurrency: t.defaultCurrency, currencies: t.currencies, taxMode: t.taxMode, taxRateBp: t.taxRateBp };
    },
  }),
});

registerPluginService('customers:read', {
  scopes: ['tenant'],
  create: () => ({
    async get(ctx, id) {
      const c = await scoped(requireTenant(ctx), Customer).findById(id);
      return c ? { id: c.id, email: c.email, name: c.name, locale: c.locale, credentialsChangedAt: c.credentialsChangedAt ?? null } : undefined;
    },
    async findByEmailPrefix(ctx, prefix, limit) {
      const rows = await scoped(requireTenant(ctx), Customer).where('email', 'like', `${prefix.toLowerCase().replace(/[%_\\]/g, '\\$&')}%`).orderBy('id', 'desc').limit(Math.max(1, Math.min(100, limit)));
      return rows.map((c) => ({ id: c.id, email: c.email, name: c.name }));
    },
  }),
});

registerPluginService('catalog:read', {
  scopes: ['tenant'],
  create: () => ({
    async productCategories(ctx, productIds) {
      const out = new Map<string, string[]>();
      const ids = [...new Set(productIds)];
      if (!ids.length) return out;
      for (const row of await scoped(requireTenant(ctx), ProductCategory).whereIn('product_id', ids)) out.set(row.productId, [...(out.get(row.productId) ?? []), row.categoryId]);
      return out;
    },
    async stockLocation(ctx, id) {
      const l = await scoped(requireTenant(ctx), StockLocation).findById(id);
      return l ? { id: l.id, code: l.code, name: l.name } : undefined;
    },
  }),
});

registerPluginService('notifications:send', {
  scopes: ['tenant', 'platform'],
  create: () => ({
    sendMail: (ctx, message) => sendMail(ctx, message),
    async notifyOwners(ctx, message) {
      const owners = await scoped(requireTenant(ctx), Staff).where({ role: 'owner', status: 'active' });
      for (const o of owners) await sendMail(ctx, { ...message, to: o.email });
      return owners.length;
    },
  }),
});

registerPluginService('audit:write', {
  scopes: ['tenant'],
  create: (_kernel, plugin) => ({
    record: (ctx, e) => recordAudit(ctx, { action: `${plugin.name}.${e.action}`, targetType: e.targetType, targetId: e.targetId, tenantId: requireTenant(ctx).tenant.id, before: e.before, after: e.after }),
  }),
});

function cacheKey(ctx: Ctx, plugin: string, key: string): string {
  return ctx.tenant ? tenantKey(ctx.tenant.id, 'plugin', plugin, key) : `p:plugin:${plugin}:${key}`;
}

registerPluginService('cache:use', {
  scopes: ['tenant', 'platform'],
  create: (kernel, plugin) => ({
    get: (ctx, key) => kernel.cache.get(cacheKey(ctx, plugin.name, key)),
    set: (ctx, key, value, ttl) => kernel.cache.set(cacheKey(ctx, plugin.name, key), value, ttl),
    del: (ctx, key) => kernel.cache.del(cacheKey(ctx, plugin.name, key)),
    incr: (ctx, key, ttl) => kernel.cache.incr(cacheKey(ctx, plugin.name, key), ttl),
    incrMany: (items) => kernel.cache.incrMany(items.map((i) => ({ key: cacheKey(i.ctx, plugin.name, i.key), ttlSeconds: i.ttlSeconds }))),
    peek: (ctx, key) => kernel.cache.peek(cacheKey(ctx, plugin.name, key)),
    version: (ctx, name) => kernel.cache.version(cacheKey(ctx, plugin.name, name)),
    bump: (ctx, name) => kernel.cache.bump(cacheKey(ctx, plugin.name, name)),
  }),
});

const METRIC = /^[a-z][a-z0-9_]{0,62}$/;

registerPluginService('metrics:write', {
  scopes: ['tenant', 'platform'],
  create: (kernel, plugin) => {
    const prefix = `bazaar_plugin_${plugin.name.replace(/-/g, '_')}_`;
    return {
      count(ctx, name, labels = {}, by = 1) {
        if (!METRIC.test(name)) throw new Error(`metric name "${name}" must be lowercase letters, digits and underscores`);
        const all = { ...labels, tenant: ctx.tenant?.slug ?? '' };
        kernel.metrics.counter(`${prefix}${name}`, `${plugin.name}: ${name}`, Object.keys(all).sort()).inc(all, by);
      },
    };
  },
});
