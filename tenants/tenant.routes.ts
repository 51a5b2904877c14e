// Platform API for the tenant registry, plus each store's own view of itself.
import { route, created, type RouteSpec } from '../core/http/route.js';
import { idParams, pageQuery, page } from '../core/http/schemas.js';
import { requireTenant } from '../core/context.js';
import { supportedLocales } from '../core/i18n.js';
import * as tenants from './tenant.service.js';
import * as s from './tenant.schemas.js';

const tags = ['platform: tenants'];

export const tenantRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/platform/v1/tenants', summary: 'List tenants (newest first)', tags, access: 'platform',
    query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, status: { enum: ['active', 'suspended', 'pending', 'terminated'] }, q: { type: 'string', minLength: 1, maxLength: 100 } } },
    responses: { 200: page(s.tenantOut) },
    handler: ({ ctx, query }) => tenants.listTenants(ctx, query),
  }),
  route({
    method: 'POST', path: '/platform/v1/tenants', summary: 'Provision a tenant store with its owner account', tags, access: 'platform',
    body: s.tenantCreateBody, responses: { 201: s.tenantOut },
    idempotent: true,
    errors: { 400: ['SLUG_RESERVED', 'UNKNOWN_PLACEMENT'], 409: ['TENANT_EXISTS'] },
    handler: async ({ ctx, body }) => {
      const tenant = await tenants.provisionTenant(ctx, body);
      return created(tenant, `/platform/v1/tenants/${tenant.id}`);
    },
  }),
  route({
    method: 'GET', path: '/platform/v1/tenants/:id', summary: 'One tenant', tags, access: 'platform',
    params: idParams, responses: { 200: s.tenantOut },
    handler: ({ ctx, params }) => tenants.getTenant(ctx, params.id),
  }),
  route({
    method: 'PATCH', path: '/platform/v1/tenants/:id', summary: 'Change a tenant (audited)', tags, access: 'platform',
    params: idParams, body: s.tenantPatchBody, responses: { 200: s.tenantOut },
    errors: { 409: ['DOMAIN_TAKEN'] },
    handler: ({ ctx, params, body }) => tenants.updateTenant(ctx, params.id, body),
  }),
  route({
    method: 'POST', path: '/platform/v1/tenants/:id/suspend', summary: 'Suspend a store: its APIs answer TENANT_SUSPENDED, its data stays', tags, access: 'platform',
    params: idParams, body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } },
    responses: { 200: s.tenantOut },
    handler: ({ ctx, params, body }) => tenants.setTenantStatus(ctx, params.id, 'suspended', body.reason),
  }),
  route({
    method: 'POST', path: '/platform/v1/tenants/:id/resume', summary: 'Resume a suspended store', tags, access: 'platform',
    params: idParams, responses: { 200: s.tenantOut },
    errors: { 409: ['TENANT_TERMINATED'] },
    handler: ({ ctx, params }) => tenants.setTenantStatus(ctx, params.id, 'active'),
  }),
  route({
    method: 'POST', path: '/platform/v1/tenants/:id/terminate', summary: 'Close a store for good (no open orders or returns; a reason; irreversible): its APIs answer TENANT_TERMINATED', tags, access: 'platform',
    params: idParams, body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, maxLength: 500, pattern: '\\S' } } },
    responses: { 200: s.tenantOut },
    errors: { 404: ['TENANT_NOT_FOUND'], 409: ['TENANT_HAS_OPEN_ORDERS', 'TENANT_STATUS_CHANGED'] },
    handler: ({ ctx, params, body }) => tenants.terminateTenant(ctx, params.id, body.reason.trim()),
  }),
  route({
    method: 'GET', path: '/store/v1/store', summary: 'This store: name, locales and currencies', tags: ['store: store'], access: 'public',
    responses: { 200: s.storeOut },
    async handler({ ctx }) {
      const t = requireTenant(ctx).tenant;
      return { slug: t.slug, name: t.name, defaultLocale: t.defaultLocale, defaultCurrency: t.defaultCurrency, currencies: t.currencies, taxMode: t.taxMode, taxRateBp: t.taxRateBp, taxRounding: t.taxRounding, locales: supportedLocales(ctx.kernel.i18n) };
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/store', summary: "The store's settings", tags: ['admin: store'], access: 'staff', permission: 'store:read',
    responses: { 200: s.tenantOut },
    handler: ({ ctx }) => tenants.getTenant(ctx, requireTenant(ctx).tenant.id),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/store', summary: "Change the store's name, locale, currencies or tax", tags: ['admin: store'], access: 'staff', permission: 'store:write',
    body: s.storePatchBody, responses: { 200: s.tenantOut },
    handler: ({ ctx, body }) => tenants.updateTenant(ctx, requireTenant(ctx).tenant.id, body),
  }),
];
