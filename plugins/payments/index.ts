// Online payments: cards (Stripe), Alipay and WeChat Pay, each a `payment` provider that a store
// switches on and configures with its own keys. The core keeps the money rules (ceilings, one
// writer per payment, events applied once); this plugin speaks each gateway's protocol, polls the
// gateways about payments whose webhook did not come, and expires orders left unpaid.
import { definePlugin, type PaymentProvider, type PaymentResult, type PluginMetrics, type TenantCtx } from '@bazaar/sdk';
import { settingsSchema, type PaymentSettings } from './settings.js';
import { STRIPE_PROVIDER, stripeProvider } from './stripe.provider.js';
import { ALIPAY_PROVIDER, alipayProvider } from './alipay.provider.js';
import { WECHAT_PROVIDER, wechatProvider } from './wechatpay.provider.js';
import { PaymentStateLog, PaymentStateRow, tracked } from './tracker.js';
import { adminRoutes } from './admin.routes.js';
import { sweepCaptureWindows } from './windows.js';
import { simulatorRoutes } from './simulator.routes.js';
import { cardSimulator } from './simulator.js';
import { pollDue } from './polling.js';
import { DEFAULT_GATEWAY_TIMEOUT_MS } from './common.js';

const MINUTE = 60_000;

/** Counts every gateway call on /metrics: bazaar_plugin_payments_calls{gateway,operation,outcome}. */
function counted(metrics: PluginMetrics, p: PaymentProvider): PaymentProvider {
  const wrap = <A extends unknown[]>(operation: string, fn: (ctx: TenantCtx, ...a: A) => Promise<PaymentResult>) =>
    async (ctx: TenantCtx, ...a: A): Promise<PaymentResult> => {
      try {
        const r = await fn(ctx, ...a);
        metrics.count(ctx, 'calls', { gateway: p.id, operation, outcome: r.status });
        return r;
      } catch (err) {
        metrics.count(ctx, 'calls', { gateway: p.id, operation, outcome: (err as { status?: number }).status === 422 ? 'refused' : 'error' });
        throw err;
      }
    };
  return {
    ...p,
    initiate: wrap('initiate', p.initiate.bind(p)),
    authorize: wrap('authorize', p.authorize.bind(p)),
    capture: wrap('capture', p.capture.bind(p)),
    refund: wrap('refund', p.refund.bind(p)),
    cancel: wrap('cancel', p.cancel.bind(p)),
    update: wrap('update', p.update.bind(p)),
    getStatus: wrap('status', p.getStatus.bind(p)),
  };
}

export default definePlugin({
  name: 'payments',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Card (Stripe), Alipay and WeChat Pay gateways, configured per store',
  permissions: ['metrics:write', 'payments:reconcile', 'audit:write', 'notifications:send'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      reconcileEveryMs: { type: 'integer', minimum: 50, maximum: 3_600_000, default: MINUTE, description: 'How often each store is reconciled and its unpaid orders expired' },
      gatewayTimeoutMs: { type: 'integer', minimum: 50, maximum: 120_000, default: DEFAULT_GATEWAY_TIMEOUT_MS, description: 'How long a gateway call may take; past it the outcome is unknown (the payment stays pending and is asked about later, never failed)' },
    },
  },
  settingsSchema,
  models: [PaymentStateRow, PaymentStateLog],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    const metrics = api.use('metrics:write');
    const reconcile = api.use('payments:reconcile');
    const providers = new Map<string, PaymentProvider>();
    for (const p of [stripeProvider(api), alipayProvider(api), wechatProvider(api)]) {
      const full = counted(metrics, tracked(api, p));
      providers.set(p.id, full);
      api.provide('payment', full);
    }
    api.routes.admin(...adminRoutes());
    api.routes.store(...simulatorRoutes(api, reconcile));
    // The card simulator's webhooks go to this server from its first event (not a shopper's Host header).
    api.onListening(({ url }) => {
      cardSimulator.target = url;
    });
    const windows = { api, reconcile, metrics, audit: api.use('audit:write'), notify: api.use('notifications:send'), providers };

    api.scheduleForTenants('reconcile', (api.options as { reconcileEveryMs: number }).reconcileEveryMs, async (ctx) => {
      const s = await api.settings<PaymentSettings>(ctx);
      const gateways = [
        { provider: STRIPE_PROVIDER, on: s.cardEnabled, expiry: s.cardUnpaidExpiryMinutes },
        { provider: ALIPAY_PROVIDER, on: s.alipayEnabled, expiry: s.walletUnpaidExpiryMinutes },
        { provider: WECHAT_PROVIDER, on: s.wechatEnabled, expiry: s.walletUnpaidExpiryMinutes },
      ];
      for (const g of gateways) {
        // Captures and refunds whose answer was lost: asked again under their own keys.
        for (const op of await reconcile.replayOperations(ctx, { provider: g.provider })) metrics.count(ctx, 'replayed', { gateway: g.provider, outcome: op.outcome });
        await pollDue({ reconcile, metrics, log: api.log }, ctx, g.provider, s);
        const expired = await reconcile.expireUnpaid(ctx, { provider: g.provider, olderThanMs: g.expiry * MINUTE, reason: api.t(ctx, 'expired', { minutes: g.expiry }) });
        if (expired.length) metrics.count(ctx, 'expired', { gateway: g.provider }, expired.length);
      }
      const transfers = await reconcile.expireUnpaid(ctx, { provider: 'offline', method: 'bank_transfer', olderThanMs: s.bankTransferExpiryDays * 24 * 60 * MINUTE, reason: api.t(ctx, 'expiredTransfer', { days: s.bankTransferExpiryDays }) });
      if (transfers.length) metrics.count(ctx, 'expired', { gateway: 'offline' }, transfers.length);
      await sweepCaptureWindows(windows, ctx);
    });
  },
});
