// Merchant onboarding: applicants apply with documents, reviewers decide item by item with coded
// reasons against a per-category checklist, and an approval provisions the store (pending until
// the contract is accepted and any deposit is in). A platform plugin: platform routes only.
import path from 'node:path';
import crypto from 'node:crypto';
import { definePlugin } from '@bazaar/sdk';
import { createService, type OnboardingOptions } from './onboarding.service.js';
import { onboardingRoutes } from './onboarding.routes.js';
import { LocalDiskStore, Sealer } from './files.js';

const DAY = 86_400_000;

export default definePlugin({
  name: 'onboarding',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Merchant onboarding: applications, document review with coded reasons, review deadlines, store provisioning',
  scope: 'platform',
  permissions: ['tenants:provision', 'notifications:send', 'metrics:write'],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      storageDir: { type: 'string', minLength: 1, description: 'Where documents are kept (a directory per applicant); default data/onboarding' },
      encryptionKey: { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$', description: '32 bytes, base64: encrypts documents, bank and ID numbers (required in production)' },
      reviewBusinessDays: { type: 'integer', minimum: 1, maximum: 60, default: 3 },
      activationDeadlineDays: { type: 'integer', minimum: 1, maximum: 365, default: 15 },
      maxUploadBytes: { type: 'integer', minimum: 1024, maximum: 10 * 1024 * 1024, default: 10 * 1024 * 1024 },
      confirmTtlHours: { type: 'integer', minimum: 1, maximum: 720, default: 48 },
      sessionTtlHours: { type: 'integer', minimum: 1, maximum: 720, default: 24 },
      maxOpenApplications: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
      sweepMs: { type: 'integer', minimum: 1000, default: 5 * 60_000 },
    },
  },
  register(api) {
    const o = api.options as unknown as OnboardingOptions & { storageDir?: string; encryptionKey?: string; sweepMs: number };
    let key: Buffer;
    if (o.encryptionKey) key = Buffer.from(o.encryptionKey, 'base64');
    else if (process.env.NODE_ENV === 'production') throw new Error('option "encryptionKey" is required in production (BAZAAR_PLUGIN_OPTIONS.onboarding.encryptionKey)');
    else key = crypto.createHash('sha256').update('bazaar-onboarding-development-key').digest();
    const tokens = api.principal({ kind: 'applicant', prefix: 'bza', resolve: (ctx, hash) => svc.resolveSession(ctx, hash) });
    const svc = createService({
      options: o,
      sealer: new Sealer(key),
      store: new LocalDiskStore(o.storageDir ?? path.join(process.cwd(), 'data', 'onboarding')),
      provisioner: api.use('tenants:provision'),
      mail: api.use('notifications:send'),
      metrics: api.use('metrics:write'),
      issueToken: () => tokens.issue(),
      t: (ctx, k, vars) => api.t(ctx, k, vars),
    });
    api.routes.platform(...onboardingRoutes(svc, tokens).platform);
    api.schedule('sweep', o.sweepMs, async (ctx) => {
      await svc.sweep(ctx);
    });
    void DAY;
  },
});

export { createService };
