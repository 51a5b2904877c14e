// Reconciliation: when a gateway's webhook is lost (or the shopper comes back from the card form
// before it arrives), the payment is brought up to date from the provider's own view (status()).
// What it says is applied as an event through the same path as a webhook, so the synchronous
// confirmation and the webhook serialize on the payment row and can never both count the money.
// Payment plugins reach this through the `payments:reconcile` permission: the open payments of a
// store, a sync of one, the expiry of orders left unpaid (stock released, authorization voided), and
// the replay of captures and refunds whose answer was lost.
import type { TenantCtx } from '../context.js';
import { requireTenant } from '../context.js';
import { scoped } from '../db/model.js';
import { NotFoundError } from '../errors.js';
import { registerPluginService } from '../plugins/services.js';
import { Order, Payment } from './order.model.js';
import { PaymentIndeterminateError, type WebhookAction } from './payment.provider.js';
import { applyProviderEvent, initiationOpen, openOperations, paymentInput, replayOperation, runInitiation, type OperationOutcome } from './payment.service.js';
import { cancelOrder } from './order.service.js';
import { requireOrder } from './order.transitions.js';

export interface OpenPayment {
  paymentId: string;
  orderId: string;
  method: string;
  status: string;
  createdAt: string;
}

export interface PaymentReconcileService {
  /** This store's payments at `provider` still pending (no money confirmed), created at least `olderThanMs` ago, oldest first. */
  open(ctx: TenantCtx, input: { provider: string; olderThanMs: number; limit?: number }): Promise<OpenPayment[]>;
  /** Asks the provider for the payment's state and applies it (once); answers the payment's status after. */
  sync(ctx: TenantCtx, paymentId: string): Promise<{ status: string }>;
  /**
   * Cancels this store's orders still unpaid `olderThanMs` after placement whose open payment is
   * `provider`/`method` (any method when absent): stock back, authorization voided, `reason` on the
   * timeline the shopper and staff see. Answers the cancelled order ids.
   */
  expireUnpaid(ctx: TenantCtx, input: { provider: string; method?: string; olderThanMs: number; reason: string; limit?: number }): Promise<string[]>;
  /**
   * Asks `provider` again about this store's captures and refunds whose answer was lost, under
   * their own idempotency keys, and records what it says (once). Answers the outcome of each.
   */
  replayOperations(ctx: TenantCtx, input: { provider: string; limit?: number }): Promise<{ id: string; outcome: OperationOutcome }[]>;
}

declare module '../plugins/types.js' {
  interface PluginServices {
    'payments:reconcile': PaymentReconcileService;
  }
}

/**
 * The provider's view of one payment, applied like a webhook event (deduplicated per state and
 * amount). A payment whose initiation had no answer (a timeout) first has it replayed under the
 * same idempotency key, so the gateway answers what it did the first time (payments.md REQ 16);
 * still no answer: PaymentIndeterminateError, and the caller tries again later.
 */
export async function syncPayment(ctx: TenantCtx, paymentId: string): Promise<Payment> {
  let payment = await scoped(ctx, Payment).findById(paymentId);
  if (!payment) throw new NotFoundError('PAYMENT_NOT_FOUND', 'Payment not found');
  const order = await requireOrder(ctx, payment.orderId);
  const provider = await ctx.kernel.extensions.provider(ctx, 'payment', payment.provider);
  if (!provider) return payment;
  if (payment.status === 'pending' && (await initiationOpen(ctx, payment.id))) {
    const replay = await runInitiation(ctx, order, payment);
    if (replay.unknown) throw new PaymentIndeterminateError(`${payment.provider}: the payment's initiation still has no answer`);
    payment = (await scoped(ctx, Payment).findById(paymentId))!;
    if (payment.status !== 'pending') return payment;
  }
  const r = await provider.getStatus(ctx, paymentInput(ctx, order, payment, `status:${payment.id}`));
  const action: WebhookAction['action'] | null = r.status === 'authorized' || r.status === 'captured' || r.status === 'canceled' || r.status === 'failed' ? r.status : null;
  if (action) {
    const amount = action === 'authorized' || action === 'captured' ? r.amount ?? Number(payment.amount) : 0;
    await applyProviderEvent(ctx, payment.provider, { id: `sync:${payment.id}:${action}:${amount}`, action, paymentId: payment.id, reference: payment.reference ?? undefined, amount });
  }
  return (await scoped(ctx, Payment).findById(paymentId))!;
}

registerPluginService('payments:reconcile', {
  scopes: ['tenant'],
  create: () => ({
    async open(ctx, input) {
      const cutoff = new Date(Date.now() - input.olderThanMs);
      const rows = await scoped(requireTenant(ctx), Payment).where({ provider: input.provider, status: 'pending' }).where('created_at', '<=', cutoff).orderBy('created_at').limit(Math.min(input.limit ?? 100, 1000));
      return rows.map((p) => ({ paymentId: p.id, orderId: p.orderId, method: p.method, status: p.status, createdAt: p.createdAt }));
    },
    async sync(ctx, paymentId) {
      return { status: (await syncPayment(requireTenant(ctx), paymentId)).status };
    },
    async replayOperations(ctx, input) {
      const tctx = requireTenant(ctx);
      const out: { id: string; outcome: OperationOutcome }[] = [];
      for (const id of await openOperations(tctx, input.provider, input.limit)) {
        try {
          out.push({ id, outcome: await replayOperation(tctx, id) });
        } catch (err) {
          tctx.log.warn({ err, transactionId: id }, 'replay of a capture or refund with no answer failed; tried again next round');
          out.push({ id, outcome: 'unknown' });
        }
      }
      return out;
    },
    async expireUnpaid(ctx, input) {
      const tctx = requireTenant(ctx);
      const cutoff = new Date(Date.now() - input.olderThanMs);
      const q = scoped(tctx, Order).where('status', 'pending_payment').where('paid_amount', 0).where('authorized_amount', 0).where('payment_provider', input.provider).where('placed_at', '<=', cutoff).orderBy('placed_at').limit(Math.min(input.limit ?? 100, 1000));
      if (input.method) q.where('payment_method', input.method);
      const out: string[] = [];
      for (const o of await q) {
        // The money may have arrived a moment ago: ask first, cancel only what is still unpaid.
        const open = await scoped(tctx, Payment).where({ order_id: o.id }).whereIn('status', ['pending', 'authorized']).orderBy('id', 'desc').first();
        if (open) {
          try {
            await syncPayment(tctx, open.id);
          } catch (err) {
            tctx.log.warn({ err, paymentId: open.id }, 'payment status unknown; the order is not expired this round');
            continue;
          }
        }
        const now = await requireOrder(tctx, o.id);
        // An authorization (manual capture) waits for staff within its capture window: not expired here.
        if (now.status !== 'pending_payment' || Number(now.paidAmount) > 0 || Number(now.authorizedAmount) > 0) continue;
        await cancelOrder(tctx, o.id, input.reason);
        out.push(o.id);
      }
      return out;
    },
  }),
});
