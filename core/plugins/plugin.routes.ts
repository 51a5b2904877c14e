// Admin API (a store's own plugins) and Platform API (installs and who may enable what).
import { pluginHealthOut } from './health.js';
import { route, noContent, type RouteSpec } from '../http/route.js';
import { requireTenant } from '../context.js';
import { idParams } from '../http/schemas.js';
import { PLUGIN_NAME } from './manifest.js';
import * as lifecycle from './lifecycle.service.js';

const name = { type: 'string', pattern: PLUGIN_NAME.source, maxLength: 40 } as const;
const nameParams = { type: 'object', required: ['name'], additionalProperties: false, properties: { name } } as const;
const tenantNameParams = { type: 'object', required: ['id', 'name'], additionalProperties: false, properties: { id: idParams.properties.id, name } } as const;
const settings = { type: 'object', description: "Validated against the plugin's settingsSchema" } as const;

const tenantPluginOut = {
  type: 'object',
  required: ['name', 'version', 'description', 'enabled', 'permissions', 'requires', 'settingsSchema', 'health'],
  properties: {
    health: pluginHealthOut,
    name: { type: 'string' },
    version: { type: 'string' },
    description: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
    permissions: { type: 'array', items: { type: 'string' } },
    requires: { type: 'object', additionalProperties: { type: 'string' } },
    settingsSchema: { type: ['object', 'null'] },
    settings: { type: 'object' },
    secretsSet: { type: 'array', items: { type: 'string' }, description: 'writeOnly settings that hold a value (never shown)' },
  },
} as const;

const platformPluginOut = {
  type: 'object',
  required: ['name', 'version', 'scope', 'origin', 'installed', 'installedVersion', 'availableTo', 'permissions', 'requires', 'health'],
  properties: {
    health: pluginHealthOut,
    name: { type: 'string' },
    version: { type: 'string' },
    description: { type: ['string', 'null'] },
    scope: { enum: ['tenant', 'platform'] },
    origin: { type: 'string' },
    author: { type: ['string', 'null'], description: "The manifest's author, else the npm package's" },
    stores: { type: ['integer', 'null'], description: 'Stores that have it on (null for a platform plugin)' },
    permissions: { type: 'array', items: { type: 'string' } },
    requires: { type: 'object', additionalProperties: { type: 'string' } },
    installed: { type: 'boolean' },
    installedVersion: { type: ['string', 'null'] },
    availableTo: { enum: ['all', 'selected', null] },
    optionsSchema: { type: ['object', 'null'] },
    settingsSchema: { type: ['object', 'null'] },
  },
} as const;

const storeOut = {
  type: 'object',
  required: ['id', 'slug', 'name', 'status', 'enabledAt'],
  properties: { id: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, status: { type: 'string' }, enabledAt: { type: ['string', 'null'] } },
} as const;

const allowanceOut = {
  type: 'object',
  required: ['name', 'installed', 'allowed', 'allowedBy', 'enabled'],
  properties: { name: { type: 'string' }, scope: { enum: ['tenant', 'platform'] }, installed: { type: 'boolean' }, allowed: { type: 'boolean' }, allowedBy: { enum: ['platform', 'default'] }, enabled: { type: 'boolean' } },
} as const;

const list = (item: Record<string, unknown>) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;
const dataQuery = { type: 'object', additionalProperties: false, properties: { data: { enum: ['keep', 'drop'], default: 'keep', description: '`drop` deletes what the plugin stored' } } } as const;

const admin = ['admin: plugins'];
const platform = ['platform: plugins'];

export const pluginRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/plugins', summary: 'Plugins this store may use, with their settings schema', tags: admin, access: 'staff', permission: 'plugins:read',
    responses: { 200: list(tenantPluginOut) },
    handler: async ({ ctx }) => ({ items: await lifecycle.listTenantPlugins(requireTenant(ctx)) }),
  }),
  route({
    method: 'GET', path: '/admin/v1/plugins/:name', summary: 'One plugin; its settings while enabled (secrets never shown)', tags: admin, access: 'staff', permission: 'plugins:read',
    params: nameParams, responses: { 200: tenantPluginOut },
    errors: { 404: ['PLUGIN_NOT_FOUND'] },
    handler: ({ ctx, params }) => lifecycle.getTenantPlugin(requireTenant(ctx), params.name),
  }),
  route({
    method: 'POST', path: '/admin/v1/plugins/:name/enable', summary: 'Switch a plugin on for this store, optionally with its settings', tags: admin, access: 'staff', permission: 'plugins:write',
    params: nameParams, body: { type: 'object', additionalProperties: false, properties: { settings } }, responses: { 200: tenantPluginOut },
    errors: { 404: ['PLUGIN_NOT_FOUND'], 409: ['PLUGIN_REQUIREMENT_OFF'] },
    handler: ({ ctx, params, body }) => lifecycle.enablePlugin(requireTenant(ctx), params.name, body.settings),
  }),
  route({
    method: 'PUT', path: '/admin/v1/plugins/:name/settings', summary: "Replace the plugin's settings (omitted secrets are kept)", tags: admin, access: 'staff', permission: 'plugins:write',
    params: nameParams, body: { type: 'object', required: ['settings'], additionalProperties: false, properties: { settings } }, responses: { 200: tenantPluginOut },
    errors: { 409: ['PLUGIN_DISABLED'] },
    handler: ({ ctx, params, body }) => lifecycle.configurePlugin(requireTenant(ctx), params.name, body.settings),
  }),
  route({
    method: 'POST', path: '/admin/v1/plugins/:name/disable', summary: 'Switch a plugin off for this store; its data stays', tags: admin, access: 'staff', permission: 'plugins:write',
    params: nameParams, responses: { 200: tenantPluginOut },
    errors: { 404: ['PLUGIN_NOT_FOUND'], 409: ['PLUGIN_REQUIRED_BY'] },
    handler: ({ ctx, params }) => lifecycle.disablePlugin(requireTenant(ctx), params.name),
  }),
  route({
    method: 'DELETE', path: '/admin/v1/plugins/:name', summary: 'Uninstall a plugin from this store, keeping (default) or dropping its data', tags: admin, access: 'staff', permission: 'plugins:write',
    params: nameParams, query: dataQuery, responses: { 204: null },
    errors: { 404: ['PLUGIN_NOT_FOUND'] },
    handler: async ({ ctx, params, query }) => {
      await lifecycle.uninstallForTenant(requireTenant(ctx), params.name, query.data === 'drop');
      return noContent();
    },
  }),

  route({
    method: 'GET', path: '/platform/v1/plugins', summary: 'Every plugin this platform has loaded, installed or not', tags: platform, access: 'platform',
    responses: { 200: list(platformPluginOut) },
    handler: async ({ ctx }) => ({ items: await lifecycle.listPlatformPlugins(ctx) }),
  }),
  route({
    method: 'GET', path: '/platform/v1/plugins/:name/stores', summary: 'The stores that have this plugin on, a page at a time', tags: platform, access: 'platform',
    params: nameParams,
    query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string', maxLength: 200 } } },
    responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: storeOut }, nextCursor: { type: ['string', 'null'] } } } },
    handler: ({ ctx, params, query }) => lifecycle.listPluginStores(ctx, params.name, query.limit, query.cursor),
  }),
  route({
    method: 'POST', path: '/platform/v1/plugins/:name/install', summary: "Install (runs its migrations once) or change who may enable it", tags: platform, access: 'platform',
    params: nameParams, body: { type: 'object', additionalProperties: false, properties: { availableTo: { enum: ['all', 'selected'], default: 'all', description: '`selected`: only tenants the platform allows' } } },
    responses: { 200: platformPluginOut },
    handler: ({ ctx, params, body }) => lifecycle.installPlugin(ctx, params.name, body.availableTo),
  }),
  route({
    method: 'DELETE', path: '/platform/v1/plugins/:name', summary: 'Uninstall platform-wide; `data=drop` drops its tables', tags: platform, access: 'platform',
    params: nameParams, query: dataQuery, responses: { 204: null },
    errors: { 404: ['PLUGIN_NOT_FOUND'], 409: ['PLUGIN_REQUIRED_BY'] },
    handler: async ({ ctx, params, query }) => {
      await lifecycle.uninstallPlugin(ctx, params.name, query.data === 'drop');
      return noContent();
    },
  }),
  route({
    method: 'GET', path: '/platform/v1/tenants/:id/plugins', summary: 'Which plugins a tenant may enable, and has enabled', tags: platform, access: 'platform',
    params: idParams, responses: { 200: list(allowanceOut) },
    handler: async ({ ctx, params }) => ({ items: await lifecycle.listAllowances(ctx, params.id) }),
  }),
  route({
    method: 'PUT', path: '/platform/v1/tenants/:id/plugins/:name', summary: 'Allow or forbid a plugin for one tenant (null: back to the default)', tags: platform, access: 'platform',
    params: tenantNameParams, body: { type: 'object', required: ['allowed'], additionalProperties: false, properties: { allowed: { type: ['boolean', 'null'] } } },
    responses: { 200: allowanceOut },
    handler: ({ ctx, params, body }) => lifecycle.setAllowance(ctx, params.id, params.name, body.allowed),
  }),
];
