// Which tenant a request is for, before anyone is authenticated:
// - the store surface: the Host (custom domain or {slug}.<base domain>), or X-Tenant where allowed;
// - the admin surface: the tenant named inside a bearer token (auth then proves the token),
//   else X-Tenant / Host (sign-in, password reset).
// Platform and operational routes have no tenant.
import type Koa from 'koa';
import type { Kernel } from '../kernel.js';
import type { Tenant } from '../context.js';
import { AppError, NotFoundError, assertWritable } from '../errors.js';
import { fixedT, negotiateLocale, supportedLocales } from '../i18n.js';
import { parseToken } from '../users/tokens.js';
import type { State } from './state.js';

/** `/hooks/payments/:tenant/:config`: the tenant's id in the path. */
export const PAYMENT_HOOK = /^\/hooks\/payments\/([0-9a-fA-F-]{36})\/[^/]+\/?$/;

export function surfaceOf(path: string): 'store' | 'admin' | 'platform' | 'other' {
  if (path.startsWith('/store/')) return 'store';
  if (path.startsWith('/admin/')) return 'admin';
  if (path.startsWith('/platform/')) return 'platform';
  return 'other';
}

export function bearerToken(koa: Koa.Context): string | undefined {
  const header = koa.get('authorization');
  if (header.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return koa.get('x-api-key') || undefined;
}

async function fromHostOrHeader(kernel: Kernel, koa: Koa.Context): Promise<{ tenant: Tenant | null; source: State['tenantSource'] }> {
  const header = koa.get('x-tenant');
  if (header && kernel.config.allowTenantHeader) {
    return { tenant: await kernel.tenants.bySlug(header.toLowerCase()), source: 'header' };
  }
  return { tenant: await kernel.tenants.byHost(koa.hostname.toLowerCase()), source: 'host' };
}

/**
 * Sets the request's language (a plugin's own negotiation, run after the tenant is known): the
 * ctx, the texts and the problem titles of this request follow it.
 */
export function setRequestLocale(ctx: { kernel: Kernel }, koa: Koa.ParameterizedContext<State>, locale: string): void {
  koa.state.locale = locale;
  koa.state.t = fixedT(ctx.kernel.i18n, locale);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function tenancyMiddleware(kernel: Kernel): Koa.Middleware<State> {
  const locales = supportedLocales(kernel.i18n);
  return async function resolveTenant(koa, next) {
    const surface = surfaceOf(koa.path);
    let tenant: Tenant | null = null;
    if (surface === 'store' || surface === 'admin') {
      const claim = surface === 'admin' ? parseToken(bearerToken(koa) ?? '') : null;
      if (claim?.tenantId) {
        tenant = await kernel.tenants.byId(claim.tenantId);
        koa.state.tenantSource = 'token';
      } else {
        const found = await fromHostOrHeader(kernel, koa);
        tenant = found.tenant;
        koa.state.tenantSource = found.source;
      }
      if (!tenant && surface === 'store') throw new NotFoundError('TENANT_NOT_FOUND', 'No store answers at this address');
      if (tenant && tenant.status === 'pending') {
        throw new AppError(403, 'TENANT_PENDING', 'This store is not open yet', { extra: { tenant: tenant.slug } });
      }
      if (tenant && tenant.status === 'terminated') {
        throw new AppError(403, 'TENANT_TERMINATED', 'This store is closed', { extra: { tenant: tenant.slug } });
      }
      if (tenant && tenant.status !== 'active') {
        throw new AppError(403, 'TENANT_SUSPENDED', 'This store is suspended', { extra: { tenant: tenant.slug } });
      }
      if (!SAFE_METHODS.has(koa.method)) assertWritable(tenant);
    } else if (surface === 'other') {
      // Gateway webhooks name their store in the path (payments spec REQ 15): the platform's own
      // domain can be registered at a gateway for every store, with no query string.
      const m = PAYMENT_HOOK.exec(koa.path);
      if (m) {
        tenant = await kernel.tenants.byId(m[1].toLowerCase());
        if (!tenant || tenant.status !== 'active') throw new NotFoundError('TENANT_NOT_FOUND', 'No store answers at this address');
        koa.state.tenantSource = 'path';
        assertWritable(tenant); // a store being moved: the gateway retries its notification
      }
    }
    koa.state.tenant = tenant;
    if (tenant) {
      const accept = koa.get('accept-language');
      const locale = accept ? negotiateLocale(accept, locales, tenant.defaultLocale) : tenant.defaultLocale;
      koa.state.locale = locale;
      koa.state.t = fixedT(kernel.i18n, locale);
    }
    await next();
  };
}
