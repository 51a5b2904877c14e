// Manual-capture windows (spec requirement 21): a card authorization lapses (7 days for online
// card payments, 5 for a Visa MIT). Its deadline is Stripe's own capture_before when the charge
// states it, else the store's cardCaptureWindowHours (156 h by default: a margin). Staff are
// warned 24 h before capture_before (mail to the owners, the audit log, /metrics); once it passed,
// the gateway is asked first (it may have cancelled the intent itself), else the authorization is
// voided there; either way the core records the payment cancelled through its poll path (the
// order's timeline says so and the order is unpaid again, so its unpaid deadline applies).
import { scoped, type AuditService, type NotificationService, type PaymentProvider, type PaymentReconcileService, type PluginApi, type PluginMetrics, type TenantCtx } from '@bazaar/sdk';
import { PaymentStateRow, recordEvent } from './tracker.js';

const HOUR = 3_600_000;
export const WARN_BEFORE_MS = 24 * HOUR;

export interface WindowDeps {
  api: PluginApi;
  reconcile: PaymentReconcileService;
  metrics: PluginMetrics;
  audit: AuditService;
  notify: NotificationService;
  providers: Map<string, PaymentProvider>;
}

export async function sweepCaptureWindows(d: WindowDeps, ctx: TenantCtx, now = new Date()): Promise<{ warned: string[]; lapsed: string[] }> {
  const out = { warned: [] as string[], lapsed: [] as string[] };
  const due = await scoped(ctx, PaymentStateRow).where('state', 'authorized').whereNotNull('capture_deadline_at')
    .where('capture_deadline_at', '<=', new Date(now.getTime() + WARN_BEFORE_MS)).orderBy('capture_deadline_at').limit(50);
  for (const row of due) {
    const deadline = new Date(row.captureDeadlineAt!);
    const vars = { order: row.orderNumber, deadline: deadline.toISOString() };
    if (deadline.getTime() <= now.getTime()) {
      try {
        await d.reconcile.sync(ctx, row.id);
        const after = await scoped(ctx, PaymentStateRow).findById(row.id);
        const provider = d.providers.get(row.provider);
        if (after?.state === 'authorized' && provider) {
          await provider.cancel(ctx, {
            data: { method: row.method, currency: row.currency, amount: Number(after.totalAmount), reference: row.reference, authorizedAmount: Number(after.authorizedAmount), capturedAmount: Number(after.capturedAmount), refundedAmount: Number(after.refundedAmount) },
            context: { tenantId: ctx.tenant.id, paymentId: row.id, orderId: row.orderId, orderNumber: Number(row.orderNumber), idempotencyKey: `cancel:capture-window:${row.id}` },
          });
          await d.reconcile.sync(ctx, row.id);
        }
        await recordEvent(ctx, row.id, { type: 'canceled' }, 'capture_window', { detail: `capture_before ${deadline.toISOString()} passed`, now });
        await d.audit.record(ctx, { action: 'authorization_lapsed', targetType: 'order', targetId: row.orderId, after: { paymentId: row.id, captureDeadlineAt: row.captureDeadlineAt } });
        d.metrics.count(ctx, 'capture_window', { gateway: row.provider, outcome: 'lapsed' });
        out.lapsed.push(row.id);
      } catch (err) {
        d.api.log.warn({ err, paymentId: row.id }, 'capture window: the authorization could not be voided; tried again next round');
      }
    } else if (!row.warnedAt) {
      const n = await scoped(ctx, PaymentStateRow).patch({ warnedAt: now.toISOString() }).where('id', row.id).whereNull('warned_at');
      if (n !== 1) continue;
      await d.notify.notifyOwners(ctx, { subject: d.api.t(ctx, 'captureWindow.subject', vars), text: d.api.t(ctx, 'captureWindow.text', vars) });
      await d.audit.record(ctx, { action: 'capture_window_closing', targetType: 'order', targetId: row.orderId, after: { paymentId: row.id, captureDeadlineAt: row.captureDeadlineAt } });
      d.metrics.count(ctx, 'capture_window', { gateway: row.provider, outcome: 'warned' });
      out.warned.push(row.id);
    }
  }
  return out;
}
