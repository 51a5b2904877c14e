// Accounts on all three surfaces: customers (store), staff and API keys (admin), platform admins.
import { route, created, noContent, accepted, type RouteSpec } from '../http/route.js';
import { idParams, pageQuery, page, session } from '../http/schemas.js';
import type { Ctx, TenantCtx } from '../context.js';
import { requireTenant } from '../context.js';
import { NotFoundError, AppError, assertWritable } from '../errors.js';
import * as auth from './auth.service.js';
import * as staffService from './staff.service.js';
import * as customers from './customer.service.js';
import * as apiKeys from './api-key.service.js';
import * as s from './user.schemas.js';
import type { Staff, Customer, ApiKey } from './user.model.js';
import { bearerToken } from '../http/tenancy.js';
import { ROLES, listRoles } from './roles.js';
import * as platformAdmins from './platform-admin.service.js';
import { maybeHostOf } from '../plugins/host.js';

const toStaff = (x: Staff) => ({ id: x.id, email: x.email, name: x.name, role: x.role, status: x.status, createdAt: x.createdAt, updatedAt: x.updatedAt });
const toCustomer = (x: Customer) => ({ id: x.id, email: x.email, name: x.name, locale: x.locale, createdAt: x.createdAt, updatedAt: x.updatedAt });
const toApiKey = (x: ApiKey) => ({ id: x.id, name: x.name, prefix: x.prefix, scopes: x.scopes, expiresAt: x.expiresAt, lastUsedAt: x.lastUsedAt, revokedAt: x.revokedAt, createdBy: x.createdBy, createdAt: x.createdAt, updatedAt: x.updatedAt });

function actorId(ctx: Ctx): string {
  if (!('id' in ctx.actor)) throw new AppError(500, 'NO_ACTOR', 'route needs an actor with an id');
  return ctx.actor.id;
}

/** Staff sign-in may name its store in the body when no Host or X-Tenant does. */
async function staffCtx(ctx: Ctx, slug: string | undefined): Promise<TenantCtx> {
  if (ctx.tenant) return ctx as TenantCtx;
  const tenant = slug ? await ctx.kernel.tenants.bySlug(slug) : null;
  if (!tenant) throw new NotFoundError('TENANT_NOT_FOUND', 'No store by that name', { errors: [{ in: 'body', pointer: '/tenant', code: 'unknown', message: 'body.tenant names no store' }] });
  if (tenant.status === 'pending') throw new AppError(403, 'TENANT_PENDING', 'This store is not open yet');
  if (tenant.status !== 'active') throw new AppError(403, 'TENANT_SUSPENDED', 'This store is suspended');
  assertWritable(tenant);
  return { ...ctx, tenant, db: ctx.kernel.pool.forTenant(tenant), t: ctx.kernel.i18n.getFixedT(ctx.locale) };
}

const tags = { store: ['store: account'], admin: ['admin: account'], platform: ['platform: account'] };

export const storeAccountRoutes: RouteSpec[] = [
  route({
    method: 'POST', path: '/store/v1/auth/signup', summary: 'Create a customer account at this store and sign in', tags: tags.store, access: 'public',
    body: s.signupBody,
    responses: { 201: { type: 'object', required: ['customer', 'token', 'expiresAt'], properties: { customer: s.customerOut, token: { type: 'string' }, expiresAt: { type: 'string' } } } },
    errors: { 409: ['EMAIL_TAKEN'] },
    async handler({ ctx, body }) {
      const { customer, token, expiresAt } = await auth.signUpCustomer(requireTenant(ctx), body);
      return created({ customer: toCustomer(customer), token, expiresAt });
    },
  }),
  route({
    method: 'POST', path: '/store/v1/auth/login', summary: 'Sign in as a customer', tags: tags.store, access: 'public',
    body: s.loginBody, responses: { 200: session },
    errors: { 401: ['INVALID_CREDENTIALS'], 429: ['LOGIN_THROTTLED'] },
    handler: ({ ctx, body, ip }) => auth.login(requireTenant(ctx), 'customer', body.email, body.password, ip),
  }),
  route({
    method: 'POST', path: '/store/v1/auth/logout', summary: 'End this session', tags: tags.store, access: 'customer', responses: { 204: null },
    async handler({ ctx, koa }) {
      await auth.logout(ctx, bearerToken(koa) ?? '');
      return noContent();
    },
  }),
  route({
    method: 'POST', path: '/store/v1/auth/password', summary: 'Change the password (ends other sessions)', tags: tags.store, access: 'customer',
    body: s.passwordChangeBody, responses: { 204: null },
    errors: { 400: ['WRONG_PASSWORD'] },
    async handler({ ctx, body }) {
      await auth.changePassword(requireTenant(ctx), 'customer', actorId(ctx), body.currentPassword, body.newPassword);
      return noContent();
    },
  }),
  route({
    method: 'POST', path: '/store/v1/auth/password-reset', summary: 'Email a single-use reset token (same answer whether or not the email is known)', tags: tags.store, access: 'public',
    body: { ...s.resetRequestBody, properties: { email: s.resetRequestBody.properties.email } }, responses: { 202: null },
    async handler({ ctx, body }) {
      await auth.requestPasswordReset(requireTenant(ctx), 'customer', body.email);
      return accepted();
    },
  }),
  route({
    method: 'POST', path: '/store/v1/auth/password-reset/confirm', summary: 'Set a new password with a reset token', tags: tags.store, access: 'public',
    body: s.resetConfirmBody, responses: { 204: null },
    errors: { 400: ['RESET_TOKEN_INVALID'] },
    async handler({ ctx, body }) {
      await auth.confirmPasswordReset(requireTenant(ctx), body.token, body.password);
      return noContent();
    },
  }),
  route({
    method: 'GET', path: '/store/v1/me', summary: 'The signed-in customer', tags: tags.store, access: 'customer', responses: { 200: s.customerOut },
    handler: async ({ ctx }) => toCustomer(await customers.getCustomer(requireTenant(ctx), actorId(ctx))),
  }),
  route({
    method: 'PATCH', path: '/store/v1/me', summary: 'Update name or preferred locale', tags: tags.store, access: 'customer',
    body: s.meCustomerPatch, responses: { 200: s.customerOut },
    handler: async ({ ctx, body }) => toCustomer(await customers.updateCustomer(requireTenant(ctx), actorId(ctx), body)),
  }),
];

export const adminAccountRoutes: RouteSpec[] = [
  route({
    method: 'POST', path: '/admin/v1/auth/login', summary: 'Sign in as staff of a store', tags: tags.admin, access: 'public',
    body: s.staffLoginBody, responses: { 200: session },
    errors: { 401: ['INVALID_CREDENTIALS'], 429: ['LOGIN_THROTTLED'] },
    handler: async ({ ctx, body, ip }) => auth.login(await staffCtx(ctx, body.tenant), 'staff', body.email, body.password, ip),
  }),
  route({
    method: 'POST', path: '/admin/v1/auth/logout', summary: 'End this session', tags: tags.admin, access: 'staff', responses: { 204: null },
    async handler({ ctx, koa }) {
      await auth.logout(ctx, bearerToken(koa) ?? '');
      return noContent();
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/auth/password', summary: 'Change the password (ends other sessions)', tags: tags.admin, access: 'staff',
    body: s.passwordChangeBody, responses: { 204: null },
    async handler({ ctx, body }) {
      if (ctx.actor.type !== 'staff') throw new AppError(403, 'STAFF_ONLY', 'API keys have no password');
      await auth.changePassword(requireTenant(ctx), 'staff', ctx.actor.id, body.currentPassword, body.newPassword);
      return noContent();
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/auth/password-reset', summary: 'Email a single-use reset token to a staff member', tags: tags.admin, access: 'public',
    body: s.resetRequestBody, responses: { 202: null },
    async handler({ ctx, body }) {
      await auth.requestPasswordReset(await staffCtx(ctx, body.tenant), 'staff', body.email);
      return accepted();
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/auth/password-reset/confirm', summary: 'Set a new password with a reset token', tags: tags.admin, access: 'public', noTenant: true,
    body: s.resetConfirmBody, responses: { 204: null },
    errors: { 400: ['RESET_TOKEN_INVALID'] },
    async handler({ ctx, body }) {
      // The token names its tenant.
      const tenantId = /^bzt_([0-9a-f]{32})_/.exec(body.token)?.[1];
      const tenant = ctx.tenant ?? (tenantId ? await ctx.kernel.tenants.byId(`${tenantId.slice(0, 8)}-${tenantId.slice(8, 12)}-${tenantId.slice(12, 16)}-${tenantId.slice(16, 20)}-${tenantId.slice(20)}`) : null);
      if (!tenant) throw new AppError(400, 'RESET_TOKEN_INVALID', 'The reset token is invalid, used or expired');
      await auth.confirmPasswordReset({ ...ctx, tenant, db: ctx.kernel.pool.forTenant(tenant) }, body.token, body.password);
      return noContent();
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/me', summary: 'The signed-in staff member or API key, with permissions, and the platform plugins acting for the store (their store pages apply)', tags: tags.admin, access: 'staff',
    responses: { 200: { type: 'object', required: ['type', 'permissions', 'tenant', 'platformPlugins'], properties: { type: { type: 'string' }, staff: s.staffOut, permissions: { type: 'array', items: { type: 'string' } }, tenant: { type: 'object' }, platformPlugins: { type: 'array', items: { type: 'string' } } } } },
    async handler({ ctx }) {
      const tctx = requireTenant(ctx);
      const permissions = ctx.actor.type === 'staff' || ctx.actor.type === 'apiKey' ? [...ctx.actor.permissions] : [];
      const tenant = { id: tctx.tenant.id, slug: tctx.tenant.slug, name: tctx.tenant.name };
      const platformPlugins = (await maybeHostOf(ctx.kernel)?.platformPluginsFor(tctx.tenant)) ?? [];
      if (ctx.actor.type === 'staff') return { type: 'staff', staff: toStaff(await staffService.getStaff(tctx, ctx.actor.id)), permissions, tenant, platformPlugins };
      return { type: 'apiKey', permissions, tenant, platformPlugins };
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/roles', summary: 'The staff roles and the permissions each grants', tags: ['admin: staff'], access: 'staff', permission: 'staff:read',
    responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { type: 'object', required: ['role', 'permissions'], properties: { role: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } } } } } } } },
    handler: async () => ({ items: listRoles() }),
  }),
  route({
    method: 'GET', path: '/admin/v1/staff', summary: 'List staff', tags: ['admin: staff'], access: 'staff', permission: 'staff:read',
    query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, role: { enum: [...ROLES] } } },
    responses: { 200: page(s.staffOut) },
    async handler({ ctx, query }) {
      const result = await staffService.listStaff(requireTenant(ctx), query);
      return { items: result.items.map(toStaff), nextCursor: result.nextCursor };
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/staff', summary: 'Add a staff member (without a password, an invitation to set one is emailed)', tags: ['admin: staff'], access: 'staff', permission: 'staff:write',
    body: s.staffCreateBody, responses: { 201: s.staffOut },
    errors: { 403: ['OWNER_ONLY'], 409: ['EMAIL_TAKEN'] },
    handler: async ({ ctx, body }) => created(toStaff(await staffService.createStaff(requireTenant(ctx), body))),
  }),
  route({
    method: 'GET', path: '/admin/v1/staff/:id', summary: 'One staff member', tags: ['admin: staff'], access: 'staff', permission: 'staff:read',
    params: idParams, responses: { 200: s.staffOut },
    errors: { 404: ['STAFF_NOT_FOUND'] },
    handler: async ({ ctx, params }) => toStaff(await staffService.getStaff(requireTenant(ctx), params.id)),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/staff/:id', summary: 'Change name, role or status', tags: ['admin: staff'], access: 'staff', permission: 'staff:write',
    params: idParams, body: s.staffPatchBody, responses: { 200: s.staffOut },
    errors: { 403: ['OWNER_ONLY'], 404: ['STAFF_NOT_FOUND'], 409: ['LAST_OWNER'] },
    handler: async ({ ctx, params, body }) => toStaff(await staffService.updateStaff(requireTenant(ctx), params.id, body)),
  }),
  route({
    method: 'DELETE', path: '/admin/v1/staff/:id', summary: 'Remove a staff member', tags: ['admin: staff'], access: 'staff', permission: 'staff:write',
    params: idParams, responses: { 204: null },
    errors: { 404: ['STAFF_NOT_FOUND'], 409: ['LAST_OWNER'] },
    async handler({ ctx, params }) {
      await staffService.removeStaff(requireTenant(ctx), params.id);
      return noContent();
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/customers', summary: 'List customers (newest first; filter by email prefix)', tags: ['admin: customers'], access: 'staff', permission: 'customers:read',
    query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, email: { type: 'string', minLength: 1, maxLength: 254 } } },
    responses: { 200: page(s.customerOut) },
    async handler({ ctx, query }) {
      const result = await customers.listCustomers(requireTenant(ctx), query);
      return { items: result.items.map(toCustomer), nextCursor: result.nextCursor };
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/customers/:id', summary: 'One customer', tags: ['admin: customers'], access: 'staff', permission: 'customers:read',
    params: idParams, responses: { 200: s.customerOut },
    errors: { 404: ['CUSTOMER_NOT_FOUND'] },
    handler: async ({ ctx, params }) => toCustomer(await customers.getCustomer(requireTenant(ctx), params.id)),
  }),
  route({
    method: 'GET', path: '/admin/v1/api-keys', summary: 'List API keys (never the keys themselves)', tags: ['admin: api keys'], access: 'staff', permission: 'api-keys:read',
    query: { type: 'object', additionalProperties: false, properties: pageQuery }, responses: { 200: page(s.apiKeyOut) },
    async handler({ ctx, query }) {
      const result = await apiKeys.listApiKeys(requireTenant(ctx), query);
      return { items: result.items.map(toApiKey), nextCursor: result.nextCursor };
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/api-keys', summary: 'Create an API key; the key is shown only in this answer', tags: ['admin: api keys'], access: 'staff', permission: 'api-keys:write',
    body: s.apiKeyCreateBody, responses: { 201: { type: 'object', required: ['key', 'apiKey'], properties: { key: { type: 'string' }, apiKey: s.apiKeyOut } } },
    errors: { 403: ['SCOPE_EXCEEDS_PERMISSIONS'] },
    async handler({ ctx, body }) {
      const { key, apiKey } = await apiKeys.createApiKey(requireTenant(ctx), body);
      return created({ key, apiKey: toApiKey(apiKey) });
    },
  }),
  route({
    method: 'DELETE', path: '/admin/v1/api-keys/:id', summary: 'Revoke an API key', tags: ['admin: api keys'], access: 'staff', permission: 'api-keys:write',
    params: idParams, responses: { 204: null },
    errors: { 404: ['API_KEY_NOT_FOUND'] },
    async handler({ ctx, params }) {
      await apiKeys.revokeApiKey(requireTenant(ctx), params.id);
      return noContent();
    },
  }),
];

export const platformAccountRoutes: RouteSpec[] = [
  route({
    method: 'POST', path: '/platform/v1/auth/login', summary: 'Sign in as a platform admin', tags: tags.platform, access: 'public',
    body: s.loginBody, responses: { 200: session },
    handler: ({ ctx, body, ip }) => auth.loginPlatform(ctx.kernel, body.email, body.password, ip),
  }),
  route({
    method: 'POST', path: '/platform/v1/auth/logout', summary: 'End this session', tags: tags.platform, access: 'platform', responses: { 204: null },
    async handler({ ctx, koa }) {
      await auth.logout(ctx, bearerToken(koa) ?? '');
      return noContent();
    },
  }),
  route({
    method: 'GET', path: '/platform/v1/me', summary: 'The signed-in platform admin', tags: tags.platform, access: 'platform',
    responses: { 200: { type: 'object', required: ['id', 'email', 'name'], properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' } } } },
    async handler({ ctx }) {
      const admin = await auth.getPlatformAdmin(ctx.kernel, actorId(ctx));
      return { id: admin.id, email: admin.email, name: admin.name };
    },
  }),
  route({
    method: 'GET', path: '/platform/v1/admins', summary: 'Platform admins, newest first', tags: ['platform: admins'], access: 'platform',
    query: { type: 'object', additionalProperties: false, properties: pageQuery }, responses: { 200: page(s.platformAdminOut) },
    handler: ({ ctx, query }) => platformAdmins.listPlatformAdmins(ctx, query),
  }),
  route({
    method: 'POST', path: '/platform/v1/admins', summary: 'Add a platform admin with a first password (audited)', tags: ['platform: admins'], access: 'platform', idempotent: true,
    body: s.platformAdminCreateBody, responses: { 201: s.platformAdminOut },
    errors: { 409: ['EMAIL_TAKEN'] },
    handler: async ({ ctx, body }) => created(await platformAdmins.addPlatformAdmin(ctx, body)),
  }),
  route({
    method: 'DELETE', path: '/platform/v1/admins/:id', summary: 'Remove a platform admin and end their sessions (audited); never the last one', tags: ['platform: admins'], access: 'platform',
    params: idParams, responses: { 204: null },
    errors: { 404: ['PLATFORM_ADMIN_NOT_FOUND'], 409: ['LAST_PLATFORM_ADMIN'] },
    async handler({ ctx, params }) {
      await platformAdmins.removePlatformAdmin(ctx, params.id);
      return noContent();
    },
  }),
];

export const userRoutes: RouteSpec[] = [...storeAccountRoutes, ...adminAccountRoutes, ...platformAccountRoutes];
