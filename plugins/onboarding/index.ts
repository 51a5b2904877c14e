// Merchant onboarding: applicants apply with documents, reviewers decide item by item with coded
// reasons against a per-category checklist, and an approval provisions the store (pending until
// the contract is accepted and any deposit is in). A platform plugin: platform routes, and the
// store-admin routes of a store it opened for that store's own scorecard and change requests.
import path from 'node:path';
import crypto from 'node:crypto';
import { definePlugin } from '@bazaar/sdk';
import { createService, type OnboardingOptions } from './onboarding.service.js';
import { onboardingRoutes } from './onboarding.routes.js';
import { LocalDiskStore, Sealer, type DocumentStore } from './files.js';
import { S3Store, type S3Options } from './s3.js';
import { createAfterOpening, type AfterOpeningOptions } from './after-opening.js';
import { createChanges, type ChangeOptions } from './changes.js';
import { createPenalties, type PenaltyOptions } from './penalties.js';
import { opened, storeRoutes } from './store-routes.js';

/** Return reasons that say the store got the order wrong: a claim against it (ONB-11's ODR). Changing one's mind is not. */
const CLAIM_REASONS: ReadonlySet<string> = new Set(['damaged', 'defective', 'wrong_item', 'not_as_described']);

export default definePlugin({
  name: 'onboarding',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Merchant onboarding: applications, document review with coded reasons, review deadlines, store provisioning',
  scope: 'platform',
  permissions: ['tenants:provision', 'notifications:send', 'metrics:write', 'cache:use', 'orders:stats', 'catalog:publish', 'events:payment', 'events:return'],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      storageDir: { type: 'string', minLength: 1, description: 'Where documents are kept on local disk (a directory per applicant); default data/onboarding' },
      s3: {
        type: 'object', additionalProperties: false, required: ['endpoint', 'bucket', 'region', 'accessKeyId', 'secretAccessKey'],
        description: 'Keep documents in an S3-compatible store instead of local disk (they are encrypted before they leave)',
        properties: {
          endpoint: { type: 'string', pattern: '^https?://[^/]+/?$' }, bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }, region: { type: 'string', minLength: 1, maxLength: 64 },
          accessKeyId: { type: 'string', minLength: 1, maxLength: 256 }, secretAccessKey: { type: 'string', minLength: 1, maxLength: 256, writeOnly: true },
          prefix: { type: 'string', pattern: '^([A-Za-z0-9._-]+/)*$', maxLength: 200 }, pathStyle: { type: 'boolean', default: true }, timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 10_000 },
        },
      },
      encryptionKey: { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$', description: '32 bytes, base64: encrypts documents, bank and ID numbers (required in production)' },
      reviewBusinessDays: { type: 'integer', minimum: 1, maximum: 60, default: 3 },
      activationDeadlineDays: { type: 'integer', minimum: 1, maximum: 365, default: 15 },
      topUpDays: { type: 'integer', minimum: 1, maximum: 365, default: 15, description: 'Days to top a short deposit up before the store is suspended (DEPOSIT_SHORTFALL)' },
      autoApproveAfter: { type: 'integer', minimum: 1, maximum: 10_000, default: 5, description: "Approved products in a row (no refusal since) after which a store's products publish without review" },
      autoConfirmAfter: { type: 'integer', minimum: 1, maximum: 10_000, default: 5, description: "Confirmed changes to live products (no decline since) after which a reviewer may switch a store's changes to automatic confirmation" },
      penalties: {
        type: 'object', additionalProperties: false, default: {},
        properties: {
          tiers: { type: 'array', minItems: 1, maxItems: 3, items: { type: 'integer', minimum: 1, maximum: 1000 }, default: [3, 6, 9], description: 'Quarter points at which no campaigns, de-boost and no new listings start' },
          restrictionDays: { type: 'integer', minimum: 1, maximum: 365, default: 28 },
          appealDays: { type: 'integer', minimum: 1, maximum: 90, default: 7 },
        },
      },
      shipWithinHours: { type: 'integer', minimum: 1, maximum: 24 * 60, default: 48, description: 'Scorecard: a shipment later than this after payment is late' },
      scorecardEveryMs: { type: 'integer', minimum: 1000, default: 6 * 3600_000 },
      scorecard: {
        type: 'object', additionalProperties: false, default: {},
        properties: {
          odrMax: { type: 'number', minimum: 0, maximum: 100, default: 1, description: 'Order defect rate: 1-2 star ratings, chargebacks and guarantee claims over orders' },
          cancelRateMax: { type: 'number', minimum: 0, maximum: 100, default: 2.5 },
          lateShipmentRateMax: { type: 'number', minimum: 0, maximum: 100, default: 4 },
          validTrackingRateMin: { type: 'number', minimum: 0, maximum: 100, default: 95 },
          returnRateMax: { type: 'number', minimum: 0, maximum: 100, default: 10 },
          minOrders: { type: 'integer', minimum: 1, maximum: 100_000, default: 10, description: 'Fewer orders in the window: no breach is judged' },
        },
      },
      maxUploadBytes: { type: 'integer', minimum: 1024, maximum: 10 * 1024 * 1024, default: 10 * 1024 * 1024 },
      confirmTtlHours: { type: 'integer', minimum: 1, maximum: 720, default: 48 },
      sessionTtlHours: { type: 'integer', minimum: 1, maximum: 720, default: 24 },
      maxOpenApplications: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
      sweepMs: { type: 'integer', minimum: 1000, default: 5 * 60_000 },
    },
  },
  register(api) {
    const o = api.options as unknown as OnboardingOptions & AfterOpeningOptions & ChangeOptions & PenaltyOptions & { storageDir?: string; s3?: S3Options; encryptionKey?: string; sweepMs: number; scorecardEveryMs: number };
    let key: Buffer;
    if (o.encryptionKey) key = Buffer.from(o.encryptionKey, 'base64');
    else if (api.config.production) throw new Error('option "encryptionKey" is required in production (BAZAAR_PLUGIN_OPTIONS.onboarding.encryptionKey)');
    else key = crypto.createHash('sha256').update('bazaar-onboarding-development-key').digest();
    const tokens = api.principal({ kind: 'applicant', prefix: 'bza', resolve: (ctx, hash) => svc.resolveSession(ctx, hash) });
    const svc = createService({
      options: o,
      sealer: new Sealer(key),
      store: o.s3 ? (new S3Store(o.s3) as DocumentStore) : new LocalDiskStore(o.storageDir ?? path.join(process.cwd(), 'data', 'onboarding')),
      provisioner: api.use('tenants:provision'),
      orders: api.use('orders:stats'),
      mail: api.use('notifications:send'),
      metrics: api.use('metrics:write'),
      cache: api.use('cache:use'),
      config: api.config,
      issueToken: () => tokens.issue(),
      t: (ctx, k, vars) => api.t(ctx, k, vars),
    });
    const t = (ctx: Parameters<typeof api.t>[0], k: string, vars?: Record<string, unknown>) => api.t(ctx, k, vars);
    const penalties = createPenalties({ options: o, metrics: api.use('metrics:write') });
    const after = createAfterOpening({ options: o, catalog: api.use('catalog:publish'), orders: api.use('orders:stats'), metrics: api.use('metrics:write'), restrictions: (ctx, storeId) => penalties.active(ctx, storeId), t });
    const changes = createChanges({ options: o, catalog: api.use('catalog:publish'), t });
    api.hook('catalog.beforePublish', (ctx, input) => after.beforePublish(ctx, input.productId), { budgetMs: 2000 });
    api.hook('catalog.beforeEdit', (ctx, input) => changes.beforeEdit(ctx, input), { budgetMs: 2000 });
    api.routes.platform(...onboardingRoutes(svc, tokens, after, changes, penalties).platform);
    // The store's own side (its console): only for stores onboarding opened, their rows only (scopedTo).
    api.actsFor(opened);
    api.routes.admin(...storeRoutes({ options: o, changes, penalties }));
    // ONB-11's order defects as they happen: a chargeback the payment gateway reported, and a
    // return the shopper asked for because the store got it wrong (a guarantee claim).
    api.subscribe({
      name: 'chargebacks', events: ['payment.disputed'],
      handle: async (ctx, e) => void (await penalties.recordSignal(ctx, ctx.tenant.id, { orderId: e.payload.orderId, kind: 'chargeback', reference: `${e.payload.provider}:${e.payload.disputeId}`, occurredAt: e.createdAt })),
    });
    api.subscribe({
      name: 'claims', events: ['return.requested'],
      handle: async (ctx, e) => {
        if (!CLAIM_REASONS.has(e.payload.reason)) return;
        await penalties.recordSignal(ctx, ctx.tenant.id, { orderId: e.payload.orderId, kind: 'claim', reference: `return:${e.payload.returnId}`, occurredAt: e.createdAt });
      },
    });
    api.schedule('sweep', o.sweepMs, async (ctx) => {
      await svc.sweep(ctx);
      await penalties.liftExpired(ctx);
    });
    api.schedule('scorecards', o.scorecardEveryMs, async (ctx) => {
      await after.computeScorecards(ctx);
      await penalties.evaluate(ctx);
    });
  },
});

export { createService };
