// The demo marketplace a fresh `npm start` shows: one store with a few products, its owner
// and a platform admin. Runs only on a database with no tenants.
import type { Kernel } from '../core/kernel.js';
import { createSystemCtx, requireTenant } from '../core/context.js';
import { AppError } from '../core/errors.js';
import { enablePlugin, installPlugin } from '../core/plugins/lifecycle.service.js';
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
  await demoCardPayments(kernel, tenant.id);
  return { seeded: true, products };
}

/**
 * The demo store takes cards with no account anywhere: the payments plugin, installed and on,
 * with the card gateway in test mode against its bundled simulator (plugins/payments/README.md
 * shows the curl walkthrough). Skipped where the plugin is not loaded.
 */
async function demoCardPayments(kernel: Kernel, tenantId: string): Promise<void> {
  const ctx = createSystemCtx(kernel, null, { actor: { type: 'system', name: 'seed' } });
  try {
    await installPlugin(ctx, 'payments');
  } catch (err) {
    if (err instanceof AppError && err.code === 'PLUGIN_NOT_FOUND') return;
    throw err;
  }
  const tenant = await kernel.tenants.byId(tenantId);
  await enablePlugin(requireTenant(createSystemCtx(kernel, tenant!, { actor: { type: 'system', name: 'seed' } })), 'payments', { cardEnabled: true, cardMode: 'simulator' });
}
