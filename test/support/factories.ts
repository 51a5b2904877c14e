// Factories that build data the way a user would: through the APIs and services.
import crypto from 'node:crypto';
import { runtime } from './runtime.js';
import { createSystemCtx, requireTenant, type Tenant, type TenantCtx } from '../../core/context.js';
import { createPlatformAdmin } from '../../core/users/auth.service.js';
import { provisionTenant, type ProvisionInput } from '../../tenants/tenant.service.js';
import { post } from './http.js';

export const PASSWORD = 'correct horse battery';

export function unique(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

export interface TestTenant {
  tenant: Tenant;
  slug: string;
  ownerEmail: string;
  ownerToken: string;
  ctx: TenantCtx;
}

export async function makeTenant(overrides: Partial<ProvisionInput> = {}): Promise<TestTenant> {
  const rt = await runtime();
  const slug = overrides.slug ?? unique('shop');
  const ownerEmail = `owner@${slug}.test`;
  const view = await provisionTenant(createSystemCtx(rt.kernel, null), {
    slug,
    name: `Shop ${slug}`,
    defaultCurrency: 'USD',
    currencies: ['USD', 'EUR'],
    ...overrides,
    owner: { email: ownerEmail, name: 'Owner', password: PASSWORD, ...overrides.owner },
  });
  const login = await post('/admin/v1/auth/login', { tenant: slug, email: ownerEmail, password: PASSWORD });
  if (login.status !== 200) throw new Error(`owner login failed: ${login.text}`);
  const tenant = (await rt.kernel.tenants.byId(view.id))!;
  return { tenant, slug, ownerEmail, ownerToken: login.body.token, ctx: requireTenant(createSystemCtx(rt.kernel, tenant)) };
}

export async function makeCustomer(t: TestTenant, email = `${unique('c')}@example.com`): Promise<{ id: string; email: string; token: string }> {
  const res = await post('/store/v1/auth/signup', { email, password: PASSWORD, name: 'Casey Customer' }, { tenant: t.slug });
  if (res.status !== 201) throw new Error(`signup failed: ${res.text}`);
  return { id: res.body.customer.id, email, token: res.body.token };
}

export async function makeStaff(t: TestTenant, role: string): Promise<{ id: string; email: string; token: string }> {
  const email = `${unique(role)}@${t.slug}.test`;
  const res = await post('/admin/v1/staff', { email, name: role, role, password: PASSWORD }, { token: t.ownerToken });
  if (res.status !== 201) throw new Error(`staff create failed: ${res.text}`);
  const login = await post('/admin/v1/auth/login', { tenant: t.slug, email, password: PASSWORD });
  return { id: res.body.id, email, token: login.body.token };
}

export async function makePlatformAdmin(): Promise<{ id: string; email: string; token: string }> {
  const rt = await runtime();
  const email = `${unique('admin')}@platform.test`;
  const admin = await createPlatformAdmin(rt.kernel, { email, password: PASSWORD, name: 'Pat Platform' });
  const login = await post('/platform/v1/auth/login', { email, password: PASSWORD });
  return { id: admin.id, email, token: login.body.token };
}
