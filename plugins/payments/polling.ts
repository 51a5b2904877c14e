// Reconciliation by polling (payments.md REQ 16): a payment still pending `reconcileAfterMinutes`
// after it started (its webhook lost, or its initiation never answered) is brought up to date from
// the gateway's query API, then asked again with exponential back-off (reconcileBackoffSeconds,
// doubling, at most reconcileBackoffMaxMinutes apart) until it is no longer pending or the
// gateway's own notify window has ended (Stripe retries for 3 days, Alipay about 25 h, WeChat Pay
// about 24 h 4 min): after that no notification can come, and the unpaid-order expiry decides.
import { scoped, type PaymentReconcileService, type PluginMetrics, type TenantCtx } from '@bazaar/sdk';
import type { Logger } from 'pino';
import { PaymentStateRow } from './tracker.js';
import type { PaymentSettings } from './settings.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How long each gateway keeps notifying: polling beyond it finds nothing a webhook would have said. */
export const NOTIFY_WINDOW_MS: Readonly<Record<string, number>> = {
  stripe: 72 * HOUR,
  alipay: 25 * HOUR,
  wechatpay: 24 * HOUR + 4 * MINUTE,
};

/** The wait after the n-th poll (n from 1): base, 2 base, 4 base, ... at most cap. */
export function backoffMs(polls: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(Math.max(polls - 1, 0), 30));
}

export interface PollDeps {
  reconcile: PaymentReconcileService;
  metrics?: PluginMetrics;
  log: Pick<Logger, 'warn'>;
}

export interface PollOutcome {
  polled: string[];
  /** Not due yet (backing off). */
  waiting: string[];
  /** Past the gateway's notify window: no longer polled. */
  gaveUp: string[];
}

/** One round for one store and gateway: polls the pending payments that are due at `now`. */
export async function pollDue(d: PollDeps, ctx: TenantCtx, provider: string, s: PaymentSettings, now = new Date()): Promise<PollOutcome> {
  const out: PollOutcome = { polled: [], waiting: [], gaveUp: [] };
  const base = s.reconcileBackoffSeconds * 1000;
  const cap = s.reconcileBackoffMaxMinutes * MINUTE;
  const window = NOTIFY_WINDOW_MS[provider] ?? 24 * HOUR;
  // open() measures age against the wall clock; `now` may be a test's clock.
  const open = await d.reconcile.open(ctx, { provider, olderThanMs: s.reconcileAfterMinutes * MINUTE + (Date.now() - now.getTime()), limit: 500 });
  for (const p of open) {
    const started = new Date(p.createdAt).getTime();
    if (now.getTime() - started > window) {
      out.gaveUp.push(p.paymentId);
      continue;
    }
    const row = await scoped(ctx, PaymentStateRow).findById(p.paymentId);
    if (row?.nextPollAt && new Date(row.nextPollAt).getTime() > now.getTime()) {
      out.waiting.push(p.paymentId);
      continue;
    }
    const polls = (row?.polls ?? 0) + 1;
    try {
      const after = await d.reconcile.sync(ctx, p.paymentId);
      d.metrics?.count(ctx, 'reconciled', { gateway: provider, outcome: after.status });
    } catch (err) {
      d.log.warn({ err, paymentId: p.paymentId, gateway: provider }, 'reconciliation: the gateway could not say; asked again after the back-off');
      d.metrics?.count(ctx, 'reconciled', { gateway: provider, outcome: 'unknown' });
    }
    await scoped(ctx, PaymentStateRow).patch({ polls, nextPollAt: new Date(now.getTime() + backoffMs(polls, base, cap)).toISOString() }).where('id', p.paymentId);
    out.polled.push(p.paymentId);
  }
  return out;
}
