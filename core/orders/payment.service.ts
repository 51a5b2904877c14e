// Payments of an order through its provider. Every authorize, capture and refund goes in three
// steps: (1) in a transaction, reserve the amount on the payment with a conditional update that
// enforces the ceiling (authorize <= amount, capture <= authorized, refund <= captured) and write
// a pending transaction row under a fresh idempotency key; (2) call the provider with that key,
// outside any transaction; (3) in a transaction, record the outcome on the payment, the order
// and the timeline, and emit events, or give the reserved amount back if the provider refused.
// Two staff refunding at once can therefore never refund more than was captured. A capture or
// refund whose answer never came (a timeout, a lost response) may have happened at the gateway:
// its transaction is left `unknown` with its key and its amount held (never failed), and it is
// asked again under that same key by the payments job (replayOperation), and a staff retry of the
// same operation (same kind and amount) is answered with it instead of making a second one.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { raw } from 'objection';
import { scoped, scopedTable } from '../db/model.js';
import { newId } from '../db/ids.js';
import { AppError, ConflictError, InvalidError, isUniqueViolation } from '../errors.js';
import { money } from '../money/money.js';
import { Order, Payment, PaymentTransaction, PaymentWebhookEvent, Refund, Return } from './order.model.js';
import { isIndeterminate, validatePaymentContext, type PaymentContext, type PaymentData, type PaymentInput, type PaymentPayer, type PaymentProvider, type PaymentResult, type WebhookAction } from './payment.provider.js';
import { actorOf, recordHistory } from './order.history.js';
import { emitEvent, orderEventBase } from './order.events.js';
import { lockOrder, moveOrder, paymentStatusOf, requireOrder } from './order.transitions.js';
import { paymentMethods } from './checkout-options.js';
import { insertMany } from './db.js';
import { canMove, stateConflict } from './order.machine.js';

type Kind = 'authorize' | 'capture' | 'refund';

const COLUMN: Record<Kind, { col: string; ceiling: string; code: string; message: string }> = {
  authorize: { col: 'authorized_amount', ceiling: 'amount', code: 'AUTHORIZATION_EXCEEDS_AMOUNT', message: 'That would authorize more than the payment is for' },
  capture: { col: 'captured_amount', ceiling: 'authorized_amount', code: 'CAPTURE_EXCEEDS_AUTHORIZED', message: 'That would capture more than was authorized' },
  refund: { col: 'refunded_amount', ceiling: 'captured_amount', code: 'REFUND_EXCEEDS_CAPTURED', message: 'That would refund more than was paid' },
};

/** What the core holds of a payment: the `data` of every provider call. */
export function paymentData(payment: Payment): PaymentData {
  return {
    method: payment.method,
    currency: payment.currency,
    amount: Number(payment.amount),
    reference: payment.reference,
    authorizedAmount: Number(payment.authorizedAmount),
    capturedAmount: Number(payment.capturedAmount),
    refundedAmount: Number(payment.refundedAmount),
  };
}

/** One provider call's input: the payment's data (plus the operation's own fields) and the validated context. */
export function paymentInput<E extends object = object>(
  ctx: TenantCtx,
  order: Pick<Order, 'id' | 'number'>,
  payment: Payment,
  idempotencyKey: string,
  extra?: E,
  more: Pick<PaymentContext, 'email' | 'payer' | 'replay'> = {},
): PaymentInput<PaymentData & E> {
  const context = validatePaymentContext(ctx, { tenantId: ctx.tenant.id, paymentId: payment.id, orderId: order.id, orderNumber: Number(order.number), idempotencyKey, ...more });
  return { data: { ...paymentData(payment), ...(extra ?? ({} as E)) }, context };
}

async function providerOf(ctx: TenantCtx, id: string): Promise<PaymentProvider> {
  const provider = await ctx.kernel.extensions.provider(ctx, 'payment', id);
  if (!provider) throw new AppError(503, 'PAYMENT_PROVIDER_UNAVAILABLE', `The payment provider ${id} is not available for this store`, { params: { provider: id } });
  return provider;
}

const UNREACHABLE = 'the provider could not be reached';

/** A provider that said no is the caller's business (422, with its reason); one that could not be reached is a 502. */
function providerFailed(reason: string | undefined): AppError {
  if (reason === UNREACHABLE) return new AppError(502, 'PAYMENT_PROVIDER_FAILED', 'The payment provider could not be reached');
  return new AppError(422, 'PAYMENT_REFUSED', `The payment provider refused: ${reason ?? 'no reason given'}`, { params: { reason: reason ?? '' }, extra: { reason: reason ?? null } });
}

function paymentStateOf(p: { status: Payment['status']; authorizedAmount: number; capturedAmount: number; refundedAmount: number }): Payment['status'] {
  if (p.refundedAmount > 0) return p.refundedAmount >= p.capturedAmount ? 'refunded' : 'partially_refunded';
  if (p.capturedAmount > 0) return 'captured';
  // A voided or lapsed authorization stays cancelled (its amount is history, not money held).
  if (p.status === 'cancelled' || p.status === 'failed') return p.status;
  if (p.authorizedAmount > 0) return 'authorized';
  return p.status;
}

async function reloadPayment(trx: TenantCtx, id: string): Promise<Payment> {
  const p = (await scoped(trx, Payment).findById(id))!;
  const status = paymentStateOf(p);
  if (status !== p.status) await scoped(trx, Payment).patch({ status }).where('id', id);
  return Object.assign(p, { status });
}

/** The payment that carries the order's money: the newest one not failed or cancelled. */
export async function activePayment(ctx: TenantCtx, orderId: string): Promise<Payment> {
  const p = await scoped(ctx, Payment).where('order_id', orderId).whereNotIn('status', ['failed', 'cancelled']).orderBy('id', 'desc').first();
  if (!p) throw new ConflictError('NO_ACTIVE_PAYMENT', 'This order has no payment that can take the action');
  return p;
}

/** Step 1: hold `amount` on the payment under its ceiling and open a pending transaction. */
async function reserve(ctx: TenantCtx, payment: Payment, kind: Kind, amount: number, key?: string): Promise<string> {
  const { col, ceiling, code, message } = COLUMN[kind];
  const txId = newId();
  await withTransaction(ctx, async (trx) => {
    const n = await scoped(trx, Payment)
      .patch({ [col.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())]: raw(`${col} + ?`, [amount]) } as never)
      .where('id', payment.id)
      // eslint-disable-next-line no-restricted-syntax -- col and ceiling come from the constant COLUMN table; the amount is a binding
      .whereRaw(`${col} + ? <= ${ceiling}`, [amount])
      .whereNotIn('status', ['failed', 'cancelled']);
    if (n !== 1) throw new ConflictError(code, message, { extra: { paymentId: payment.id, requested: amount } });
    await scoped(trx, PaymentTransaction).insert({ id: txId, paymentId: payment.id, kind, status: 'pending', amount, idempotencyKey: key ?? `${kind}:${txId}`, reference: null, ...actorOf(ctx) });
  });
  return txId;
}

/** Step 3 on failure: the reserved amount goes back (once: a transaction another path settled is left alone). */
async function unreserve(ctx: TenantCtx, payment: Payment, kind: Kind, amount: number, txId: string, reason: string | undefined, within?: (trx: TenantCtx) => Promise<void>): Promise<void> {
  const { col } = COLUMN[kind];
  await withTransaction(ctx, async (trx) => {
    const n = await scoped(trx, PaymentTransaction).patch({ status: 'failed' }).where('id', txId).whereIn('status', ['pending', 'unknown']);
    if (n !== 1) return;
    await scoped(trx, Payment).patch({ [col.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())]: raw(`${col} - ?`, [amount]) } as never).where('id', payment.id);
    await recordHistory(trx, payment.orderId, { kind: 'payment', message: `${kind} of ${money(amount, payment.currency).toDecimal()} ${payment.currency} failed: ${reason ?? 'no reason given'}`, data: { paymentId: payment.id, kind, amount } });
    if (within) await within(trx);
  });
}

/** A provider's answer; `unknown`: none came (the operation may have happened at the gateway). */
type CallOutcome = PaymentResult & { unknown?: boolean };

async function callProvider(kind: Kind, fn: () => Promise<PaymentResult>): Promise<CallOutcome> {
  const ok: Record<Kind, PaymentResult['status'][]> = { authorize: ['authorized', 'captured'], capture: ['captured'], refund: ['refunded', 'pending'] };
  try {
    const result = await fn();
    return ok[kind].includes(result.status) ? result : { ...result, status: 'failed', failureReason: result.failureReason ?? `provider answered ${result.status}` };
  } catch (err) {
    // No answer, or the gateway still busy with this very key (a replay racing the first call).
    if (isIndeterminate(err) || (err instanceof AppError && err.code === 'PAYMENT_GATEWAY_BUSY')) return { status: 'failed', failureReason: UNREACHABLE, unknown: true };
    return { status: 'failed', failureReason: (err as Error).message };
  }
}

/** Money arrived: raise the order's paid amount; when it covers the total, the order is paid. */
async function recordCaptured(trx: TenantCtx, orderId: string, amount: number, note: string | null): Promise<Order> {
  await scoped(trx, Order).patch({ paidAmount: raw('paid_amount + ?', [amount]) as unknown as number }).where('id', orderId);
  let order = await requireOrder(trx, orderId);
  const fully = order.paidAmount >= order.totalAmount;
  await scoped(trx, Order).patch({ paymentStatus: paymentStatusOf(order), ...(fully && !order.paidAt ? { paidAt: new Date().toISOString() } : {}) }).where('id', orderId);
  order.paymentStatus = paymentStatusOf(order);
  await recordHistory(trx, orderId, { kind: 'payment', message: note ?? `Payment of ${money(amount, order.currency).toDecimal()} ${order.currency} received`, ...(note ? {} : { key: 'paymentReceived', vars: { amount: money(amount, order.currency).toDecimal(), currency: order.currency } }), data: { amount, paidAmount: order.paidAmount } });
  if (fully) {
    if (order.status === 'pending_payment') order = await moveOrder(trx, order, 'paid', { action: 'paid', message: 'Paid in full', patch: { paymentStatus: order.paymentStatus } });
    else if (order.status === 'on_hold' && order.heldFrom === 'pending_payment') {
      await scoped(trx, Order).patch({ heldFrom: 'paid' }).where('id', orderId);
      order.heldFrom = 'paid';
    }
    await emitEvent(trx, 'order.paid', { ...orderEventBase(order), amount, paidAmount: order.paidAmount, total: order.totalAmount });
  }
  return order;
}

async function recordAuthorized(trx: TenantCtx, orderId: string, amount: number): Promise<void> {
  await scoped(trx, Order).patch({ authorizedAmount: raw('authorized_amount + ?', [amount]) as unknown as number }).where('id', orderId);
  const order = await requireOrder(trx, orderId);
  await scoped(trx, Order).patch({ paymentStatus: paymentStatusOf(order) }).where('id', orderId);
  await recordHistory(trx, orderId, { kind: 'payment', message: `Payment of ${money(amount, order.currency).toDecimal()} ${order.currency} authorized`, key: 'paymentAuthorized', vars: { amount: money(amount, order.currency).toDecimal(), currency: order.currency }, data: { amount } });
}

/** The idempotency key of a payment's initiation: a replay (reconciliation) sends the same. */
const initiateKey = (paymentId: string) => `initiate:${paymentId}`;

/** What a provider's initiate() answered without leaving the start to be recorded later: nothing more happens after it. */
export const startsQuietly = (result: PaymentResult) => result.status === 'pending' || result.status === 'requires_action';

/**
 * A payment's initiation attempt: open (`pending`, with the payer a replay needs) until the
 * provider answered, or written closed with the answer when it was known before the row.
 */
export function initiationAttempt(ctx: TenantCtx, payment: Pick<Payment, 'id' | 'amount'>, payer: PaymentPayer | undefined, answered?: PaymentResult): Record<string, unknown> {
  return {
    paymentId: payment.id, kind: 'initiate', status: answered ? 'succeeded' : 'pending', amount: Number(payment.amount), idempotencyKey: initiateKey(payment.id),
    reference: answered?.reference ?? null, payer: !answered && payer?.openid ? { openid: payer.openid } : null, ...actorOf(ctx),
  };
}

/**
 * A provider that never leaves the process (`inProcess`: the core's offline one) starts the
 * payment before the order's transaction, so its answer can be written with the order: the
 * payment row is inserted with its reference and instructions and the attempt closed, and no
 * statement of the payment's own follows the commit (issue 27). Undefined for any other
 * provider, or when the call threw: the start then runs after the commit as it does for every
 * provider (asking again there is harmless: nothing left the process).
 */
export async function startInProcess(ctx: TenantCtx, order: Pick<Order, 'id' | 'number' | 'email'>, payment: Payment, payer?: PaymentPayer): Promise<PaymentResult | undefined> {
  const provider = await ctx.kernel.extensions.provider(ctx, 'payment', payment.provider);
  if (!provider?.inProcess) return undefined;
  try {
    return await provider.initiate(ctx, paymentInput(ctx, order, payment, initiateKey(payment.id), {}, { email: order.email, ...(payer ? { payer } : {}) }));
  } catch (err) {
    ctx.log.info({ err, paymentId: payment.id }, 'in-process payment start threw; it runs again after the order commits');
    return undefined;
  }
}

/** The payment's fields once its start answered `pending` or `requires_action` (its reference and what the shopper does next). */
export function startedFields(payment: Pick<Payment, 'reference'>, result: PaymentResult): { reference: string | null; action: Record<string, unknown> | null } {
  return { reference: result.reference ?? payment.reference, action: (result.action ?? null) as Record<string, unknown> | null };
}

/**
 * After the order commits: starts its payment with the provider and records what it said. A
 * provider that refused fails the payment (the shopper pays again); one whose answer never came
 * (a timeout, a lost response) leaves it pending with its initiation open: reconciliation replays
 * the initiation under the same idempotency key and asks the gateway (syncPayment), so a payment
 * the gateway did take is never counted as failed (payments.md REQ 16). `answered`: what an
 * in-process provider said before the transaction (startInProcess), whose attempt the order's
 * transaction wrote: it is recorded, not asked again.
 */
export async function initiatePayment(ctx: TenantCtx, order: Order, payment: Payment, payer?: PaymentPayer, answered?: PaymentResult): Promise<{ order: Order; payment: Payment }> {
  if (answered) return startsQuietly(answered) ? { order, payment } : recordInitiation(ctx, order, payment, answered);
  try {
    // The payer rides with the open attempt: a replay after a timeout needs it (WeChat Pay JSAPI prepays for an openid).
    await insertMany(ctx, PaymentTransaction, [initiationAttempt(ctx, payment, payer)]);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // An attempt was open already: its payer is read back.
    return runInitiation(ctx, order, payment, payer);
  }
  // The attempt just written holds this payer (or none): no need to read it back.
  return runInitiation(ctx, order, payment, payer ?? null);
}

/**
 * Calls initiate (first time, or a replay under the same key) and records the outcome; `unknown` when the gateway did not answer.
 * `given`: the payer; null when the caller knows there is none; undefined to read it from the open attempt.
 */
export async function runInitiation(ctx: TenantCtx, order: Order, payment: Payment, given?: PaymentPayer | null): Promise<{ order: Order; payment: Payment; unknown?: boolean }> {
  // A replay: the payer the first attempt was made for.
  const payer = given === null ? undefined : (given ?? (await scoped(ctx, PaymentTransaction).where({ idempotency_key: initiateKey(payment.id), status: 'pending' }).first())?.payer ?? undefined);
  let provider: PaymentProvider | undefined;
  let result: PaymentResult;
  try {
    provider = await providerOf(ctx, payment.provider);
  } catch (err) {
    result = { status: 'failed', failureReason: (err as Error).message };
  }
  if (provider) {
    try {
      result = await provider.initiate(ctx, paymentInput(ctx, order, payment, initiateKey(payment.id), {}, { email: order.email, ...(payer ? { payer } : {}) }));
    } catch (err) {
      if (isIndeterminate(err)) {
        ctx.log.warn({ err, paymentId: payment.id }, 'payment initiation: no answer from the gateway; the payment stays pending and is checked with it');
        await recordHistory(ctx, order.id, { kind: 'payment', message: `No answer from ${payment.provider} yet: the payment is pending and will be checked with the gateway (not failed)`, data: { paymentId: payment.id } });
        return { order, payment, unknown: true };
      }
      ctx.log.info({ err, paymentId: payment.id }, 'payment initiation refused');
      result = { status: 'failed', failureReason: (err as Error).message };
    }
  }
  return recordInitiation(ctx, order, payment, result!);
}

/** Records a provider's answer to a payment's start on its open attempt, the payment, the order and the timeline. */
async function recordInitiation(ctx: TenantCtx, order: Order, payment: Payment, result: PaymentResult): Promise<{ order: Order; payment: Payment }> {
  const base = startedFields(payment, result);
  // Answered: the payer is no longer kept.
  const closeInitiation = (trx: TenantCtx, status: 'succeeded' | 'failed') =>
    scopedTable(trx, PaymentTransaction).where('idempotency_key', initiateKey(payment.id)).where('status', 'pending').update({ status, reference: base.reference, payer: null, updated_at: new Date() });
  if (startsQuietly(result)) {
    // Two statements without a transaction of their own (issue 27: its BEGIN and COMMIT were half
    // the round trips of every order's payment start), in this order: the payment learns its
    // reference and action first, then the attempt is closed. A crash between them leaves the
    // attempt open, and reconciliation replays it under the same key and writes the same again;
    // the other way round could leave a closed attempt and a payment without its action.
    await scopedTable(ctx, Payment).where('id', payment.id).update({ reference: base.reference, action: base.action === null ? null : JSON.stringify(base.action), updated_at: new Date() });
    await closeInitiation(ctx, 'succeeded');
    return { order, payment: Object.assign(payment, base) };
  }
  const amount = Math.min(Number(payment.amount), result.amount ?? Number(payment.amount));
  await withTransaction(ctx, async (trx) => {
    if (result.status === 'authorized' || result.status === 'captured') {
      await closeInitiation(trx, 'succeeded');
      await scoped(trx, Payment).patch({ ...base, authorizedAmount: amount, ...(result.status === 'captured' ? { capturedAmount: amount } : {}) }).where('id', payment.id);
      await recordAuthorized(trx, order.id, amount);
      if (result.status === 'captured') await recordCaptured(trx, order.id, amount, null);
      await reloadPayment(trx, payment.id);
    } else {
      await closeInitiation(trx, 'failed');
      const status = result.status === 'canceled' ? 'cancelled' : 'failed';
      await scoped(trx, Payment).patch({ ...base, status }).where('id', payment.id);
      await recordHistory(trx, order.id, { kind: 'payment', message: `Payment could not start: ${result.failureReason ?? result.status}`, data: { paymentId: payment.id } });
    }
  });
  return { order: await requireOrder(ctx, order.id), payment: (await scoped(ctx, Payment).findById(payment.id))! };
}

/** A payment whose initiation has had no answer yet (its key is still pending). */
export async function initiationOpen(ctx: TenantCtx, paymentId: string): Promise<boolean> {
  return Boolean(await scoped(ctx, PaymentTransaction).where({ idempotency_key: initiateKey(paymentId), status: 'pending' }).first());
}

/** Answers of capturePayment / refundPayment whose gateway call had no answer: still unknown, held, asked again later (the route answers 202). */
const unknownOutcomes = new WeakSet<object>();
export const outcomeUnknown = (answer: object): boolean => unknownOutcomes.has(answer);

export type OperationOutcome = 'succeeded' | 'pending' | 'failed' | 'unknown';

const outstandingOf = (order: Order) => money(order.totalAmount, order.currency).subtract(money(order.paidAmount, order.currency)).toMinor();

/** Step 3 of a capture: recorded once (the first call, a replay, a webhook: whoever settles its transaction). */
async function settleCapture(ctx: TenantCtx, txId: string, payment: Payment, amount: number, result: CallOutcome, note: string | null): Promise<OperationOutcome> {
  if (result.unknown) {
    const n = await scoped(ctx, PaymentTransaction).patch({ status: 'unknown', lostAt: new Date().toISOString() }).where('id', txId).where('status', 'pending');
    if (n === 1) {
      ctx.log.warn({ paymentId: payment.id, txId }, 'capture: no answer from the gateway; held, and asked again under the same key');
      await recordHistory(ctx, payment.orderId, { kind: 'payment', message: `No answer from ${payment.provider} to the capture of ${money(amount, payment.currency).toDecimal()} ${payment.currency}: it may have been made, so it is not failed; the amount stays held and the gateway is asked again under the same key`, data: { paymentId: payment.id, kind: 'capture', amount } });
    }
    return 'unknown';
  }
  if (result.status === 'failed') {
    await unreserve(ctx, payment, 'capture', amount, txId, result.failureReason);
    return 'failed';
  }
  await withTransaction(ctx, async (trx) => {
    const n = await scoped(trx, PaymentTransaction).patch({ status: 'succeeded', reference: result.reference ?? null }).where('id', txId).whereIn('status', ['pending', 'unknown']);
    if (n !== 1) return; // settled by another path meanwhile
    await reloadPayment(trx, payment.id);
    await recordCaptured(trx, payment.orderId, amount, note ? `Payment confirmed: ${note}` : null);
  });
  return 'succeeded';
}

/** Step 3 of a refund: recorded once; `within` runs where the refund is recorded (a return marks itself refunded). */
async function settleRefundCall(ctx: TenantCtx, txId: string, payment: Payment, refundId: string, result: CallOutcome, opts: { moveToRefunded: boolean; within?: (trx: TenantCtx, refund: Refund) => Promise<void> }): Promise<OperationOutcome> {
  const refund = (await scoped(ctx, Refund).findById(refundId))!;
  const amount = Number(refund.amount);
  const what = `${money(amount, refund.currency).toDecimal()} ${refund.currency}`;
  if (result.unknown) {
    const n = await scoped(ctx, PaymentTransaction).patch({ status: 'unknown', lostAt: new Date().toISOString() }).where('id', txId).where('status', 'pending');
    if (n === 1) {
      ctx.log.warn({ paymentId: payment.id, txId, refundId }, 'refund: no answer from the gateway; held, and asked again under the same key');
      await recordHistory(ctx, refund.orderId, { kind: 'refund', message: `No answer from ${payment.provider} to the refund of ${what}: it may have been made, so it is not failed; the refund is pending, its amount held, and the gateway is asked again under the same key`, data: { refundId, amount } });
    }
    return 'unknown';
  }
  if (result.status === 'failed') {
    await unreserve(ctx, payment, 'refund', amount, txId, result.failureReason, async (trx) => {
      await scoped(trx, Refund).patch({ status: 'failed' }).where('id', refundId);
      if (refund.returnId) await scoped(trx, Return).patch({ refundedAt: null }).where('id', refund.returnId).whereNot('status', 'refunded');
    });
    return 'failed';
  }
  if (result.status === 'pending') {
    // The gateway took the refund and is processing it (WeChat Pay PROCESSING): the amount stays
    // held on the payment, and its refund notification settles it (settleRefund).
    await withTransaction(ctx, async (trx) => {
      const n = await scoped(trx, PaymentTransaction).patch({ status: 'pending', reference: result.reference ?? null }).where('id', txId).whereIn('status', ['pending', 'unknown']);
      if (n !== 1) return;
      await scoped(trx, Refund).patch({ reference: result.reference ?? null }).where('id', refundId).where('status', 'pending');
      await recordHistory(trx, refund.orderId, { kind: 'refund', message: `Refund of ${what} requested at ${payment.provider}; waiting for its confirmation`, data: { refundId, amount, returnId: refund.returnId } });
      if (opts.within) await opts.within(trx, (await scoped(trx, Refund).findById(refundId))!);
    });
    return 'pending';
  }
  await withTransaction(ctx, async (trx) => {
    const n = await scoped(trx, PaymentTransaction).patch({ status: 'succeeded', reference: result.reference ?? null }).where('id', txId).whereIn('status', ['pending', 'unknown']);
    if (n !== 1) return;
    await scoped(trx, Refund).patch({ status: 'succeeded', reference: result.reference ?? null }).where('id', refundId);
    await reloadPayment(trx, payment.id);
    const done = (await scoped(trx, Refund).findById(refundId))!;
    await recordRefunded(trx, refund.orderId, done, opts.moveToRefunded);
    if (opts.within) await opts.within(trx, done);
    else await markReturnRefunded(trx, done);
  });
  return 'succeeded';
}

/** A return's refund settled later than its request (a replay, a notification): the return is refunded. */
async function markReturnRefunded(trx: TenantCtx, refund: Refund): Promise<void> {
  if (!refund.returnId) return;
  const n = await scoped(trx, Return).patch({ status: 'refunded', refundAmount: Number(refund.amount), refundedAt: new Date().toISOString() }).where('id', refund.returnId).whereIn('status', ['approved', 'received']);
  if (n === 1) await recordHistory(trx, refund.orderId, { kind: 'return', message: 'Return refunded', key: 'returnRefunded', data: { returnId: refund.returnId, amount: Number(refund.amount) } });
}

/** The refund a refund transaction was made for: its key is `refund:<refund id>`. */
const refundIdOf = (key: string) => key.slice('refund:'.length);

/**
 * Asks the gateway again about a capture or refund whose answer was lost, under the key of the
 * first call (the gateway replays what it did, or does it now if it never got it: what staff
 * asked for, once), with the payment's data as the first call saw it; records the outcome once.
 */
export async function replayOperation(ctx: TenantCtx, txId: string): Promise<OperationOutcome> {
  const tx = await scoped(ctx, PaymentTransaction).findById(txId);
  if (!tx) return 'failed';
  if (tx.status !== 'unknown' || (tx.kind !== 'capture' && tx.kind !== 'refund')) return tx.status;
  const payment = (await scoped(ctx, Payment).findById(tx.paymentId))!;
  const order = await requireOrder(ctx, payment.orderId);
  const provider = await providerOf(ctx, payment.provider);
  const amount = Number(tx.amount);
  if (tx.kind === 'capture') {
    const seen = Object.assign(payment.$clone(), { capturedAmount: Number(payment.capturedAmount) - amount });
    const result = await callProvider('capture', () => provider.capture(ctx, paymentInput(ctx, order, seen, tx.idempotencyKey, { captureAmount: amount }, { replay: true })));
    return settleCapture(ctx, tx.id, payment, amount, result, null);
  }
  const refund = await scoped(ctx, Refund).findById(refundIdOf(tx.idempotencyKey));
  if (!refund) return 'unknown';
  const seen = Object.assign(payment.$clone(), { refundedAmount: Number(payment.refundedAmount) - amount });
  const result = await callProvider('refund', () => provider.refund(ctx, paymentInput(ctx, order, seen, tx.idempotencyKey, { refundAmount: amount, ...(refund.reason ? { reason: refund.reason } : {}) }, { replay: true })));
  return settleRefundCall(ctx, tx.id, payment, refund.id, result, { moveToRefunded: true });
}

/** How long a lost operation waits for its staff retry to be answered with it. */
const RETRY_WINDOW_MS = 24 * 3_600_000;

/** This order's captures or refunds whose answer was lost and that no retry was answered with yet, oldest first. */
async function lostOperations(ctx: TenantCtx, orderId: string, kind: 'capture' | 'refund'): Promise<PaymentTransaction[]> {
  const payments = await scoped(ctx, Payment).where('order_id', orderId).select('id');
  if (!payments.length) return [];
  return scoped(ctx, PaymentTransaction).whereIn('payment_id', payments.map((p) => p.id)).where({ kind }).whereNot('status', 'failed')
    .whereNotNull('lost_at').whereNull('retried_at').where('lost_at', '>=', new Date(Date.now() - RETRY_WINDOW_MS)).orderBy('created_at').orderBy('id');
}

/**
 * A staff capture or refund that repeats one whose answer was lost (same kind and amount, as
 * `same` says) is that operation: still unknown, it is asked again under its key; settled since
 * (by the job, a webhook), it is answered as it stands. Either way no second one is made. Once
 * answered with a final outcome it counts as retried: a later request is a new operation. One the
 * gateway refused is no match (a new attempt is what staff ask for).
 */
async function retryOf(ctx: TenantCtx, orderId: string, kind: 'capture' | 'refund', same: (tx: PaymentTransaction) => Promise<boolean>): Promise<{ tx: PaymentTransaction; outcome: OperationOutcome } | null> {
  for (const tx of await lostOperations(ctx, orderId, kind)) {
    if (!(await same(tx))) continue;
    const outcome = tx.status === 'unknown' ? await replayOperation(ctx, tx.id) : tx.status;
    if (outcome === 'failed') continue;
    if (outcome !== 'unknown') await scoped(ctx, PaymentTransaction).patch({ retriedAt: new Date().toISOString() }).where('id', tx.id).whereNull('retried_at');
    return { tx, outcome };
  }
  return null;
}

/** This store's captures and refunds at `provider` with no answer yet (for the payments job), oldest first. */
export async function openOperations(ctx: TenantCtx, provider: string, limit = 100): Promise<string[]> {
  const rows = await scoped(ctx, PaymentTransaction).where('payment_transactions.status', 'unknown').whereIn('payment_transactions.kind', ['capture', 'refund'])
    .whereIn('payment_transactions.payment_id', scoped(ctx, Payment).where('provider', provider).select('id'))
    .orderBy('payment_transactions.created_at').limit(Math.min(limit, 1000)).select('payment_transactions.id');
  return rows.map((r) => r.id);
}

function paymentCanceled(currentState: string): ConflictError {
  return new ConflictError('PAYMENT_CANCELED', 'The payment was cancelled; nothing can be captured', { extra: { currentState } });
}

/**
 * Staff confirm money: the offline provider's bank transfer arrived, cash was collected, or a
 * card authorization is captured. Authorizes first if the payment is not yet authorized for it.
 * A capture with no answer from the gateway is held and answered as unknown (outcomeUnknown).
 */
export async function capturePayment(ctx: TenantCtx, orderId: string, input: { amount?: number; note?: string }): Promise<Order> {
  const first = await requireOrder(ctx, orderId);
  // A retry of a capture that had no answer is that capture (never a second one).
  const retried = await retryOf(ctx, orderId, 'capture', async (tx) => Number(tx.amount) === (input.amount ?? outstandingOf(first)));
  if (retried) {
    const now = await requireOrder(ctx, orderId);
    if (retried.outcome === 'unknown') unknownOutcomes.add(now);
    return now;
  }
  const order = await requireOrder(ctx, orderId);
  if (order.status === 'cancelled') throw paymentCanceled(order.status);
  if (order.status === 'refunded') throw stateConflict(order.status, 'paid');
  const outstanding = outstandingOf(order);
  // Capture on a fully captured payment is a successful no-op (payments.md REQ 7, Medusa's rule):
  // a staff double-click, or a capture racing the gateway's webhook, changes nothing.
  if (outstanding <= 0) return order;
  const amount = input.amount ?? outstanding;
  if (amount > outstanding) throw new ConflictError('AMOUNT_EXCEEDS_OUTSTANDING', `At most ${outstanding} is outstanding`, { extra: { outstanding } });
  let payment: Payment;
  try {
    payment = await activePayment(ctx, orderId);
  } catch (err) {
    const newest = await scoped(ctx, Payment).where('order_id', orderId).orderBy('id', 'desc').first();
    if (err instanceof ConflictError && newest?.status === 'cancelled') throw paymentCanceled(order.status);
    throw err;
  }
  const provider = await providerOf(ctx, payment.provider);

  const shortfall = Number(payment.capturedAmount) + amount - Number(payment.authorizedAmount);
  if (shortfall > 0) {
    const txId = await reserve(ctx, payment, 'authorize', shortfall);
    const result = await callProvider('authorize', () => provider.authorize(ctx, paymentInput(ctx, order, payment, `authorize:${txId}`, { authorizeAmount: shortfall })));
    if (result.status === 'failed') {
      // Authorize reads what the gateway holds (or confirms money offline): no money moves, so no answer is a failure to retry.
      await unreserve(ctx, payment, 'authorize', shortfall, txId, result.failureReason);
      throw providerFailed(result.failureReason);
    }
    await withTransaction(ctx, async (trx) => {
      await scoped(trx, PaymentTransaction).patch({ status: 'succeeded', reference: result.reference ?? null }).where('id', txId);
      await recordAuthorized(trx, orderId, shortfall);
      payment = await reloadPayment(trx, payment.id);
    });
  }

  const txId = await reserve(ctx, payment, 'capture', amount);
  const result = await callProvider('capture', () => provider.capture(ctx, paymentInput(ctx, order, payment, `capture:${txId}`, { captureAmount: amount, ...(input.note ? { note: input.note } : {}) })));
  const outcome = await settleCapture(ctx, txId, payment, amount, result, input.note ?? null);
  if (outcome === 'failed') throw providerFailed(result.failureReason);
  const after = await requireOrder(ctx, orderId);
  if (outcome === 'unknown') unknownOutcomes.add(after);
  return after;
}

/**
 * Gives money back through the provider. `within` runs in the recording transaction (a return
 * marks itself refunded there). The order becomes `refunded` once everything paid went back. A
 * refund with no answer from the gateway stays pending, its amount held (outcomeUnknown), and
 * is asked about again; a retry of it (same amount, same return) is it, never a second refund.
 */
export async function refundPayment(
  ctx: TenantCtx,
  orderId: string,
  input: { amount: number; reason?: string | null; returnId?: string | null; moveToRefunded?: boolean },
  within?: (trx: TenantCtx, refund: Refund) => Promise<void>,
): Promise<Refund> {
  const retried = await retryOf(ctx, orderId, 'refund', async (tx) => {
    const earlier = await scoped(ctx, Refund).findById(refundIdOf(tx.idempotencyKey));
    return Number(tx.amount) === input.amount && (earlier?.returnId ?? null) === (input.returnId ?? null);
  });
  if (retried) {
    const refund = (await scoped(ctx, Refund).findById(refundIdOf(retried.tx.idempotencyKey)))!;
    if (retried.outcome === 'unknown') unknownOutcomes.add(refund);
    return refund;
  }
  const order = await requireOrder(ctx, orderId);
  const refundable = money(order.paidAmount, order.currency).subtract(money(order.refundedAmount, order.currency)).toMinor();
  if (input.amount <= 0) throw new ConflictError('NOTHING_TO_REFUND', 'The refund amount must be above zero');
  if (input.amount > refundable) throw new ConflictError('REFUND_EXCEEDS_PAID', `At most ${refundable} can be refunded`, { params: { refundable }, extra: { refundable, requested: input.amount } });
  const payment = await scoped(ctx, Payment).where('order_id', orderId).whereRaw('captured_amount - refunded_amount >= ?', [input.amount]).orderBy('id', 'desc').first();
  if (!payment) throw new ConflictError('REFUND_EXCEEDS_PAID', 'No payment of this order has that much left to refund', { params: { refundable }, extra: { refundable, requested: input.amount } });
  const provider = await providerOf(ctx, payment.provider);

  // The refund row first: the transaction's key names it, so a replay finds what it was for.
  const refundId = newId();
  const key = `refund:${refundId}`;
  const txId = await reserve(ctx, payment, 'refund', input.amount, key);
  await scoped(ctx, Refund).insert({ id: refundId, orderId, paymentId: payment.id, returnId: input.returnId ?? null, status: 'pending', currency: order.currency, amount: input.amount, reason: input.reason ?? null, reference: null, ...actorOf(ctx) });
  const result = await callProvider('refund', () => provider.refund(ctx, paymentInput(ctx, order, payment, key, { refundAmount: input.amount, ...(input.reason ? { reason: input.reason } : {}) })));
  const outcome = await settleRefundCall(ctx, txId, payment, refundId, result, { moveToRefunded: input.moveToRefunded ?? true, within });
  if (outcome === 'failed') throw providerFailed(result.failureReason);
  const refund = (await scoped(ctx, Refund).findById(refundId))!;
  if (outcome === 'unknown') unknownOutcomes.add(refund);
  return refund;
}

async function recordRefunded(trx: TenantCtx, orderId: string, refund: Refund, moveToRefunded: boolean): Promise<Order> {
  const n = await scoped(trx, Order).patch({ refundedAmount: raw('refunded_amount + ?', [refund.amount]) as unknown as number }).where('id', orderId).whereRaw('refunded_amount + ? <= paid_amount', [refund.amount]);
  if (n !== 1) throw new ConflictError('REFUND_EXCEEDS_PAID', 'That would refund more than was paid');
  let order = await requireOrder(trx, orderId);
  order.paymentStatus = paymentStatusOf(order);
  await scoped(trx, Order).patch({ paymentStatus: order.paymentStatus }).where('id', orderId);
  await recordHistory(trx, orderId, { kind: 'refund', message: `Refund of ${money(refund.amount, order.currency).toDecimal()} ${order.currency}${refund.reason ? `: ${refund.reason}` : ''}`, key: refund.reason ? 'refundWithReason' : 'refund', vars: { amount: money(refund.amount, order.currency).toDecimal(), currency: order.currency, reason: refund.reason ?? '' }, data: { refundId: refund.id, amount: refund.amount, returnId: refund.returnId } });
  await emitEvent(trx, 'refund.issued', { refundId: refund.id, orderId, returnId: refund.returnId, amount: refund.amount, currency: order.currency, refundedAmount: order.refundedAmount });
  if (moveToRefunded && order.refundedAmount >= order.paidAmount && canMove(order.status, 'refunded')) {
    order = await moveOrder(trx, order, 'refunded', { action: 'refunded', message: 'Everything paid was refunded' });
    await emitEvent(trx, 'order.refunded', { ...orderEventBase(order), refundedAmount: order.refundedAmount });
  }
  return order;
}

/**
 * The shopper pays again, perhaps another way: an unpaid order's open payment is cancelled with
 * its provider and a new one is started. Refused once any money is authorized or paid.
 */
export async function startNewPayment(ctx: TenantCtx, orderId: string, choice: { provider: string; method: string; payer?: PaymentPayer }): Promise<{ order: Order; payment: Payment }> {
  const order = await requireOrder(ctx, orderId);
  if (order.status !== 'pending_payment' && !(order.status === 'on_hold' && order.heldFrom === 'pending_payment')) throw stateConflict(order.status, 'paid again');
  if (order.authorizedAmount > 0 || order.paidAmount > 0) throw new ConflictError('PAYMENT_IN_PROGRESS', 'Money is already authorized or paid for this order');
  const offered = await paymentMethods(ctx, { currency: order.currency, amount: Number(order.totalAmount), country: order.billingAddress?.country });
  if (!offered.some((m) => m.provider === choice.provider && m.id === choice.method)) {
    throw new InvalidError('PAYMENT_METHOD_UNAVAILABLE', 'This payment method is not available', { errors: [{ in: 'body', pointer: '', code: 'unavailable', message: `${choice.provider}/${choice.method} is not offered` }] });
  }
  await cancelAuthorizations(ctx, order);
  const payment = await withTransaction(ctx, async (trx) => {
    const locked = await lockOrder(trx, orderId);
    if (locked.authorizedAmount > 0 || locked.paidAmount > 0) throw new ConflictError('PAYMENT_IN_PROGRESS', 'Money is already authorized or paid for this order');
    await scoped(trx, Payment).patch({ status: 'cancelled' }).where('order_id', orderId).whereIn('status', ['pending', 'failed']);
    await scoped(trx, Order).patch({ paymentProvider: choice.provider, paymentMethod: choice.method }).where('id', orderId);
    await recordHistory(trx, orderId, { kind: 'payment', message: `New payment started: ${choice.provider}/${choice.method}` });
    const [created] = await insertMany(trx, Payment, [{
      orderId, provider: choice.provider, method: choice.method, status: 'pending', currency: order.currency,
      amount: Number(order.totalAmount), authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0, reference: null, action: null,
    }]);
    return created;
  });
  return initiatePayment(ctx, await requireOrder(ctx, orderId), payment, choice.payer);
}

/** Releases an authorization that will not be captured (the order was cancelled unpaid). */
export async function cancelAuthorizations(ctx: TenantCtx, order: Order): Promise<void> {
  const payments = await scoped(ctx, Payment).where('order_id', order.id).whereIn('status', ['pending', 'authorized']).where('captured_amount', 0);
  for (const payment of payments) {
    let result: PaymentResult;
    try {
      result = await (await providerOf(ctx, payment.provider)).cancel(ctx, paymentInput(ctx, order, payment, `cancel:${payment.id}`));
    } catch (err) {
      ctx.log.error({ err, paymentId: payment.id }, 'payment cancel failed');
      result = { status: 'failed' };
    }
    await scoped(ctx, Payment).patch(result.status === 'canceled' ? { status: 'cancelled' } : {}).where('id', payment.id);
    if (result.status !== 'canceled') await recordHistory(ctx, order.id, { kind: 'payment', message: 'The provider did not confirm the cancellation of the payment; check it with the provider', data: { paymentId: payment.id } });
  }
}

/** A refund the gateway was still processing ended (a refund notification): counted, or given back. */
export async function settleRefund(trx: TenantCtx, payment: Payment, refund: Refund, outcome: 'succeeded' | 'failed'): Promise<void> {
  const n = await scoped(trx, Refund).patch({ status: outcome }).where('id', refund.id).where('status', 'pending');
  if (n !== 1) return; // settled before
  // Its transaction is keyed by the refund (`refund:<id>`); rows older than that, by the gateway's reference.
  const byKey = await scoped(trx, PaymentTransaction).patch({ status: outcome }).where('idempotency_key', `refund:${refund.id}`).whereIn('status', ['pending', 'unknown']);
  if (byKey !== 1) {
    const tx = scoped(trx, PaymentTransaction).patch({ status: outcome }).where({ payment_id: payment.id, kind: 'refund', status: 'pending' });
    await (refund.reference ? tx.where('reference', refund.reference) : tx);
  }
  if (outcome === 'succeeded') {
    await recordRefunded(trx, refund.orderId, Object.assign(refund, { status: outcome }), true);
    await markReturnRefunded(trx, refund);
    return;
  }
  if (refund.returnId) await scoped(trx, Return).patch({ refundedAt: null }).where('id', refund.returnId).whereNot('status', 'refunded');
  await scoped(trx, Payment).patch({ refundedAmount: raw('refunded_amount - ?', [refund.amount]) as unknown as number }).where('id', payment.id);
  await recordHistory(trx, refund.orderId, { kind: 'refund', message: `Refund of ${money(refund.amount, refund.currency).toDecimal()} ${refund.currency} failed at ${payment.provider}: nothing was refunded`, data: { refundId: refund.id, amount: refund.amount } });
}

/**
 * Applies one action of a gateway (a stored webhook notification, or what reconciliation read):
 * once per (tenant, provider, action id), serialized on the payment row. Amounts are cumulative
 * (a refund notification's is that refund's); a state only moves forward.
 */
export async function applyProviderEvent(ctx: TenantCtx, providerId: string, event: WebhookAction): Promise<void> {
  const byId = event.paymentId ? await scoped(ctx, Payment).where({ provider: providerId, id: event.paymentId }).first() : undefined;
  const payment = byId ?? (event.reference ? await scoped(ctx, Payment).where({ provider: providerId, reference: event.reference }).first() : undefined);
  if (!Number.isSafeInteger(event.amount) || event.amount < 0) return;
  try {
    await withTransaction(ctx, async (trx) => {
      await scoped(trx, PaymentWebhookEvent).insert({ provider: providerId, eventId: event.id.slice(0, 191), paymentId: payment?.id ?? null, type: event.action, createdAt: new Date().toISOString() });
      if (!payment || event.action === 'not_supported') {
        ctx.log.info({ provider: providerId, paymentId: event.paymentId, reference: event.reference, action: event.action }, 'payment event not for a payment of this store: nothing applied');
        return;
      }
      // One writer at a time per payment: two events racing must not both add their difference.
      const p = (await scoped(trx, Payment).findById(payment.id).forUpdate())!;
      const order = await requireOrder(trx, p.orderId);
      if (event.total !== undefined && event.total !== Number(p.amount)) {
        ctx.log.warn({ provider: providerId, paymentId: p.id, stated: event.total, expected: Number(p.amount) }, 'webhook event with another amount than the payment: not applied');
        await recordHistory(trx, order.id, { kind: 'payment', message: `Alert: ${providerId} reported ${event.action} for ${event.total} instead of ${Number(p.amount)}; not applied`, data: { paymentId: p.id, eventId: event.id, stated: event.total, expected: Number(p.amount) } });
        return;
      }
      const amounts = { authorized: Number(p.authorizedAmount), captured: Number(p.capturedAmount), refunded: Number(p.refundedAmount), total: Number(p.amount) };
      if (event.action === 'authorized' || event.action === 'captured') {
        const authorized = Math.min(amounts.total, Math.max(amounts.authorized, event.amount));
        if (authorized > amounts.authorized) {
          await scoped(trx, Payment).patch({ authorizedAmount: authorized }).where('id', p.id);
          await recordAuthorized(trx, order.id, authorized - amounts.authorized);
        }
        if (event.action === 'captured') {
          const captured = Math.min(authorized, Math.max(amounts.captured, event.amount));
          if (captured > amounts.captured) {
            await scoped(trx, Payment).patch({ capturedAmount: captured }).where('id', p.id);
            await recordCaptured(trx, order.id, captured - amounts.captured, null);
          }
          // Captures whose answer was lost are held in the payment's captured amount: the gateway
          // now says it holds that much, so they happened.
          if (event.amount >= amounts.captured) {
            for (const tx of await scoped(trx, PaymentTransaction).where({ payment_id: p.id, kind: 'capture', status: 'unknown' })) {
              const n = await scoped(trx, PaymentTransaction).patch({ status: 'succeeded' }).where('id', tx.id).where('status', 'unknown');
              if (n === 1) await recordCaptured(trx, order.id, Number(tx.amount), null);
            }
          }
        }
      } else if (event.action === 'refunded' && event.refund) {
        // Ours by the gateway's reference; or a refund whose answer was lost (no reference yet) of that amount.
        const mine = (await scoped(trx, Refund).where({ payment_id: p.id, reference: event.refund.reference }).first())
          ?? (await scoped(trx, Refund).where({ payment_id: p.id, status: 'pending', amount: event.amount }).whereNull('reference').orderBy('id').first());
        if (mine && !mine.reference) await scoped(trx, Refund).patch({ reference: event.refund.reference }).where('id', mine.id);
        if (mine) await settleRefund(trx, p, Object.assign(mine, { reference: mine.reference ?? event.refund.reference }), event.refund.status);
        else if (event.refund.status === 'succeeded') await recordGatewayRefund(trx, providerId, p, order, Math.min(amounts.captured, amounts.refunded + event.amount), event.id);
      } else if (event.action === 'refunded') {
        await recordGatewayRefund(trx, providerId, p, order, Math.min(amounts.captured, Math.max(amounts.refunded, event.amount)), event.id);
      } else if (event.action === 'disputed') {
        // A chargeback: the money is in the bank's hands now; the order records it and the platform hears of it (payment.disputed).
        const disputeId = (event.dispute?.reference ?? event.id).slice(0, 200);
        const reason = event.dispute?.reason?.slice(0, 200) ?? null;
        await recordHistory(trx, order.id, { kind: 'payment', message: `Payment disputed at ${providerId} (chargeback${reason ? `: ${reason}` : ''})`, data: { paymentId: p.id, disputeId, amount: event.amount, reason } });
        await emitEvent(trx, 'payment.disputed', { ...orderEventBase(order), paymentId: p.id, provider: providerId, disputeId, amount: event.amount, reason });
      } else if ((event.action === 'failed' || event.action === 'canceled') && amounts.captured === 0 && (p.status === 'pending' || p.status === 'authorized')) {
        // failed / canceled: only a payment that took no money can fall back.
        await scoped(trx, Payment).patch({ status: event.action === 'failed' ? 'failed' : 'cancelled' }).where('id', p.id);
        // A voided or lapsed authorization no longer holds money for the order: the order is unpaid
        // again (the shopper may pay anew; the unpaid-order deadline applies).
        if (amounts.authorized > 0) {
          await scoped(trx, Order).patch({ authorizedAmount: raw('CASE WHEN authorized_amount > ? THEN authorized_amount - ? ELSE 0 END', [amounts.authorized, amounts.authorized]) as unknown as number }).where('id', order.id);
          const after = await requireOrder(trx, order.id);
          await scoped(trx, Order).patch({ paymentStatus: paymentStatusOf(after) }).where('id', order.id);
        }
        await recordHistory(trx, order.id, { kind: 'payment', message: `Payment ${event.action === 'canceled' ? 'cancelled' : 'failed'} at ${providerId}${amounts.authorized > 0 ? ': the authorization no longer holds' : ''}`, data: { paymentId: p.id } });
      }
      await reloadPayment(trx, p.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) return; // seen before
    throw err;
  }
}

/** Money given back at the gateway itself (its dashboard): recorded up to the cumulative `refunded`. */
async function recordGatewayRefund(trx: TenantCtx, providerId: string, p: Payment, order: Order, refunded: number, eventId: string): Promise<void> {
  const delta = refunded - Number(p.refundedAmount);
  if (delta <= 0) return;
  await scoped(trx, Payment).patch({ refundedAmount: refunded }).where('id', p.id);
  const refundId = newId();
  await scoped(trx, Refund).insert({ id: refundId, orderId: order.id, paymentId: p.id, returnId: null, status: 'succeeded', currency: p.currency, amount: delta, reason: `Refunded at ${providerId}`, reference: eventId.slice(0, 200), ...actorOf(trx) });
  await recordRefunded(trx, order.id, (await scoped(trx, Refund).findById(refundId))!, true);
}
