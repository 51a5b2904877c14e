// The demo marketplace a fresh `npm start` shows: one store with a few products, its owner
// and a platform admin. Runs only on a database with no tenants.
import type { Kernel } from '../core/kernel.js';
import { createSystemCtx } from '../core/context.js';
import { createPlatformAdmin } from '../core/users/auth.service.js';
import { TenantRecord } from './tenant.model.js';
import { provisionTenant } from './tenant.service.js';

export const DEMO = {
  slug: 'demo',
  owner: { email: 'owner@demo.bazaar.local', password: 'demo-owner-password' },
  admin: { email: 'admin@bazaar.local', password: 'platform-admin-password' },
};

export type ProductSeeder = (kernel: Kernel, tenantId: string) => Promise<number>;

export async function seedDemo(kernel: Kernel, seedProducts?: ProductSeeder): Promise<{ seeded: boolean; products: number }> {
  const existing = await TenantRecord.query(kernel.pool.control).resultSize();
  if (existing > 0) return { seeded: false, products: 0 };
  const ctx = createSystemCtx(kernel, null, { actor: { type: 'system', name: 'seed' } });
  await createPlatformAdmin(kernel, { email: DEMO.admin.email, password: DEMO.admin.password, name: 'Platform Admin' });
  const tenant = await provisionTenant(ctx, {
    slug: DEMO.slug,
    name: 'Demo Store',
    defaultLocale: 'en',
    defaultCurrency: 'USD',
    currencies: ['USD', 'EUR', 'CNY', 'JPY'],
    taxMode: 'exclusive',
    taxRateBp: 800,
    owner: { email: DEMO.owner.email, name: 'Demo Owner', password: DEMO.owner.password },
  });
  const products = seedProducts ? await seedProducts(kernel, tenant.id) : 0;
  return { seeded: true, products };
}
