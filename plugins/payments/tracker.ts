// Puts every gateway answer and webhook event through the state machine (state.ts), one writer per
// payment (the state row is locked for the move), and logs each with what it did. Wraps each
// provider: results of initiate/authorize/capture/refund/cancel/status are recorded, capture and
// refund are checked against the machine before the gateway is asked, and webhook actions the
// machine ignores (a backward move: `authorized` after `captured`, `failed` after money was
// taken) are kept from the core when its queue applies them (admitAction). Manual-capture card authorizations get their
// capture deadline (capture_before) here.
import { AppError, TenantModel, scoped, withTransaction, type PaymentProvider, type PaymentResult, type PluginApi, type TenantCtx, type WebhookAction } from '@bazaar/sdk';
import { checkCapture, checkRefund, transition, type GatewayEvent, type GatewayState, type Snapshot } from './state.js';
import type { PaymentSettings } from './settings.js';

export class PaymentStateRow extends TenantModel {
  static override tableName = 'payments_states';
  static override generateId = false;
  id!: string;
  orderId!: string;
  orderNumber!: number;
  provider!: string;
  method!: string;
  reference!: string | null;
  state!: GatewayState;
  currency!: string;
  totalAmount!: number;
  authorizedAmount!: number;
  capturedAmount!: number;
  refundedAmount!: number;
  authorizedAt!: string | null;
  captureDeadlineAt!: string | null;
  warnedAt!: string | null;
  /** Reconciliation: times the gateway was asked, and when next (back-off). */
  polls!: number;
  nextPollAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class PaymentStateLog extends TenantModel {
  static override tableName = 'payments_state_log';
  static override timestamps = false;
  id!: string;
  paymentId!: string;
  source!: string;
  event!: string;
  amount!: number | null;
  fromState!: string;
  toState!: string;
  outcome!: 'moved' | 'same' | 'ignored';
  detail!: string | null;
  createdAt!: string;
}

export const snapshotOf = (r: PaymentStateRow): Snapshot => ({
  state: r.state, total: Number(r.totalAmount), authorized: Number(r.authorizedAmount), captured: Number(r.capturedAmount), refunded: Number(r.refundedAmount),
});

/** A provider that can read the gateway's own capture deadline of an authorization (Stripe: the charge's capture_before). */
export interface CaptureDeadlines {
  captureDeadline(ctx: TenantCtx, reference: string): Promise<Date | null>;
}

export type Source = 'initiate' | 'authorize' | 'capture' | 'refund' | 'cancel' | 'poll' | 'webhook' | 'capture_window';

const HOUR = 3_600_000;

/** Applies one event to a tracked payment, serialized on its row; undefined when the payment is not tracked. */
export async function recordEvent(
  ctx: TenantCtx,
  paymentId: string,
  event: GatewayEvent,
  source: Source,
  opts: { detail?: string; captureWindowHours?: number; captureDeadline?: Date | null; now?: Date; emit?: (trx: TenantCtx, type: 'payments.captured', payload: Record<string, unknown>) => Promise<unknown> } = {},
): Promise<{ outcome: 'moved' | 'same' | 'ignored'; state: GatewayState; reason?: string } | undefined> {
  return withTransaction(ctx, async (trx) => {
    const row = await scoped(trx, PaymentStateRow).findById(paymentId).forUpdate();
    if (!row) return undefined;
    const t = transition(snapshotOf(row), event);
    const now = opts.now ?? new Date();
    if (t.outcome === 'moved') {
      const patch: Partial<PaymentStateRow> = { state: t.next.state, authorizedAmount: t.next.authorized, capturedAmount: t.next.captured, refundedAmount: t.next.refunded };
      if (t.next.state === 'authorized' && !row.authorizedAt) {
        patch.authorizedAt = now.toISOString();
        // A card authorization lapses (7 days for online card payments): staff capture before then,
        // by the gateway's own deadline when it states one, else the store's window.
        if (opts.captureDeadline) patch.captureDeadlineAt = opts.captureDeadline.toISOString();
        else if (opts.captureWindowHours) patch.captureDeadlineAt = new Date(now.getTime() + opts.captureWindowHours * HOUR).toISOString();
      }
      if (t.next.state !== 'authorized') patch.captureDeadlineAt = null;
      await scoped(trx, PaymentStateRow).patch(patch).where('id', paymentId);
      // Money taken: once per increase, however often the gateway says so (spec REQ 6).
      if (t.next.captured > Number(row.capturedAmount) && opts.emit) {
        await opts.emit(trx, 'payments.captured', {
          paymentId, orderId: row.orderId, provider: row.provider, currency: row.currency, amount: t.next.captured - Number(row.capturedAmount), captured: t.next.captured, state: t.next.state,
        });
      }
    }
    const detail = [opts.detail, t.reason].filter(Boolean).join('; ').slice(0, 300) || null;
    await scoped(trx, PaymentStateLog).insert({ paymentId, source, event: event.type, amount: event.amount ?? null, fromState: row.state, toState: t.next.state, outcome: t.outcome, detail, createdAt: now.toISOString() });
    if (t.outcome === 'ignored') trx.log.warn({ paymentId, provider: row.provider, from: row.state, event: event.type, amount: event.amount, reason: t.reason }, 'payment event ignored by the state machine');
    return { outcome: t.outcome, state: t.next.state, reason: t.reason };
  });
}

/** A provider's answer as a machine event; cumulative amounts from what the core asked. */
function eventOf(r: PaymentResult, cumulative: number | undefined): GatewayEvent {
  switch (r.status) {
    case 'pending':
      return { type: 'pending' };
    case 'requires_action':
      return { type: 'requires_action' };
    case 'authorized':
      return { type: 'authorized', amount: cumulative ?? r.amount };
    case 'captured':
      return { type: 'captured', amount: cumulative ?? r.amount };
    case 'refunded':
      return { type: 'refunded', amount: cumulative };
    case 'canceled':
      return { type: 'canceled' };
    default:
      return { type: 'failed' };
  }
}

/** A webhook action as a machine event; null: nothing for the machine (not ours, a refund that failed, a dispute: the core records it). */
function actionEvent(a: WebhookAction, row: PaymentStateRow): GatewayEvent | null {
  switch (a.action) {
    case 'not_supported':
    case 'disputed':
      return null;
    case 'failed':
    case 'canceled':
    case 'pending':
    case 'requires_action':
      return { type: a.action };
    case 'refunded':
      // A refund notification names one refund: cumulative is what was refunded before plus it.
      if (a.refund) return a.refund.status === 'succeeded' ? { type: 'refunded', amount: Math.min(Number(row.capturedAmount), Number(row.refundedAmount) + a.amount) } : null;
      return { type: 'refunded', amount: a.amount };
    default:
      return { type: a.action, amount: a.amount };
  }
}

async function rowOf(ctx: TenantCtx, paymentId: string): Promise<PaymentStateRow | undefined> {
  return scoped(ctx, PaymentStateRow).findById(paymentId);
}

/** The provider with every answer recorded through the machine. */
export function tracked(api: PluginApi, p: PaymentProvider & Partial<CaptureDeadlines>): PaymentProvider {
  const windowHours = async (ctx: TenantCtx) => {
    const s = await api.settings<PaymentSettings>(ctx);
    return s.cardCaptureMethod === 'manual' ? s.cardCaptureWindowHours : undefined;
  };
  /** The capture deadline of a first authorization: the gateway's (asked once, before the row is locked), else the store's window. */
  const deadline = async (ctx: TenantCtx, paymentId: string, event: GatewayEvent) => {
    if (p.id !== 'stripe' || event.type !== 'authorized') return {};
    const hours = await windowHours(ctx);
    if (!hours) return {};
    const row = await rowOf(ctx, paymentId);
    if (!row?.reference || row.authorizedAt || !p.captureDeadline) return { captureWindowHours: hours };
    try {
      return { captureWindowHours: hours, captureDeadline: await p.captureDeadline(ctx, row.reference) };
    } catch (err) {
      ctx.log.warn({ err, paymentId }, 'capture deadline: the gateway could not say; the store\'s window applies');
      return { captureWindowHours: hours };
    }
  };
  const record = async (ctx: TenantCtx, paymentId: string, event: GatewayEvent, source: Source, detail?: string) =>
    recordEvent(ctx, paymentId, event, source, {
      detail, ...(await deadline(ctx, paymentId, event)),
      emit: (trx, type, payload) => api.emit(trx, type, payload as never),
    });

  return {
    ...p,
    methods: p.methods.bind(p),
    async initiate(ctx, input) {
      const { data, context } = input;
      await scoped(ctx, PaymentStateRow).insert({
        id: context.paymentId, orderId: context.orderId, orderNumber: context.orderNumber, provider: p.id, method: data.method, reference: null, state: 'pending', currency: data.currency,
        totalAmount: data.amount, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0, authorizedAt: null, captureDeadlineAt: null, warnedAt: null,
      }).onConflict(['tenant_id', 'id']).ignore();
      let r: PaymentResult;
      try {
        r = await p.initiate(ctx, input);
      } catch (err) {
        // A refusal fails it; no answer (a timeout) leaves it pending: the gateway may have it.
        if (err instanceof AppError && err.status < 500) await record(ctx, context.paymentId, { type: 'failed' }, 'initiate', err.message);
        else await record(ctx, context.paymentId, { type: 'pending' }, 'initiate', `no answer: ${(err as Error).message}`.slice(0, 200));
        throw err;
      }
      if (r.reference) await scoped(ctx, PaymentStateRow).patch({ reference: r.reference }).where('id', context.paymentId);
      await record(ctx, context.paymentId, eventOf(r, r.amount), 'initiate', r.failureReason);
      return r;
    },
    async update(ctx, input) {
      const r = await p.update(ctx, input);
      await scoped(ctx, PaymentStateRow).patch({ totalAmount: input.data.newAmount }).where('id', input.context.paymentId).where('captured_amount', 0);
      return r;
    },
    async authorize(ctx, input) {
      const r = await p.authorize(ctx, input);
      await record(ctx, input.context.paymentId, eventOf(r, input.data.authorizedAmount + input.data.authorizeAmount), 'authorize');
      return r;
    },
    async capture(ctx, input) {
      const { data, context } = input;
      const amount = data.captureAmount ?? data.authorizedAmount - data.capturedAmount;
      const row = await rowOf(ctx, context.paymentId);
      // Capture on a fully captured payment: a successful no-op, the gateway is not asked (REQ 7).
      if (row && checkCapture(snapshotOf(row), amount) === 'noop') return { status: 'captured', amount, reference: row.reference ?? undefined };
      const r = await p.capture(ctx, input);
      await record(ctx, context.paymentId, eventOf(r, data.capturedAmount + (r.amount ?? amount)), 'capture');
      return r;
    },
    async refund(ctx, input) {
      const { data, context } = input;
      const row = await rowOf(ctx, context.paymentId);
      if (row) checkRefund(snapshotOf(row), data.refundAmount);
      const r = await p.refund(ctx, input);
      // A refund the gateway is still processing is recorded when its notification says it succeeded.
      if (r.status !== 'pending') await record(ctx, context.paymentId, eventOf(r, data.refundedAmount + (r.amount ?? data.refundAmount)), 'refund');
      return r;
    },
    async cancel(ctx, input) {
      const r = await p.cancel(ctx, input);
      await record(ctx, input.context.paymentId, eventOf(r, undefined), 'cancel');
      return r;
    },
    async getStatus(ctx, input) {
      const r = await p.getStatus(ctx, input);
      await record(ctx, input.context.paymentId, eventOf(r, r.amount), 'poll');
      return r;
    },
    async admitAction(ctx, action) {
      const row = await rowOf(ctx, action.paymentId);
      if (!row || row.provider !== p.id) return true;
      // Another amount than the payment's: the core refuses it and records the alert.
      if (action.total !== undefined && action.total !== Number(row.totalAmount)) return true;
      const detail = `event ${action.id.slice(0, 120)}`;
      // The queue may run a notification again (a retry after a failure): each action counts once.
      const seen = await scoped(ctx, PaymentStateLog).where({ payment_id: row.id, source: 'webhook' }).where((q) => q.where('detail', detail).orWhere('detail', 'like', `${detail}; %`)).first();
      if (seen) return seen.outcome !== 'ignored';
      const event = actionEvent(action, row);
      if (!event) return true;
      const done = await record(ctx, row.id, event, 'webhook', detail);
      return done?.outcome !== 'ignored';
    },
  };
}
