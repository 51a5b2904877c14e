// Placing an order. Everything slow or foreign (pricing, plugin hooks, provider calls) runs
// before or after the one transaction that matters, which: closes the cart (only the version
// that was priced), reserves the stock with conditional updates (variants in id order, so two
// checkouts never deadlock on each other), copies prices, rate and totals onto the order, and
// writes the outbox events. It commits whole or not at all; the queue is never touched inside.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { scoped, scopedTable } from '../db/model.js';
import { isSqlite } from '../db/knex.js';
import { table } from '../catalog/tables.js';
import { newId } from '../db/ids.js';
import { AppError, ConflictError, InvalidError, isUniqueViolation, type FieldError } from '../errors.js';
import { reserveStockLines } from '../catalog/inventory.service.js';
import { Customer } from '../users/user.model.js';
import { Cart, Order, OrderHistory, OrderLine, OrderSequence, Payment, PaymentTransaction } from './order.model.js';
import type { OrderStatus } from './order.types.js';
import { cartNotOpen, getOpenCart, getOpenCartWithLines, hashToken, insufficientStock, newToken, updateDetails, type CartDetails } from './cart.service.js';
import { quoteCart, type CartQuote } from './cart.quote.js';
import { paymentMethods } from './checkout-options.js';
import { insertMany, retryOnDeadlock } from './db.js';
import { recordHistory } from './order.history.js';
import { emitEvent, orderEventBase } from './order.events.js';
import type { ReviewDecision } from './checkout.hooks.js';
import type { ShippingProvider } from './shipping.provider.js';
import { initiatePayment, initiationAttempt, startInProcess, startedFields, startsQuietly } from './payment.service.js';
import type { PaymentPayer, PaymentResult } from './payment.provider.js';
import { recordIdempotentOutcome } from '../http/idempotency.js';
import type { Reply } from '../http/route.js';

export interface PlacedOrder {
  order: Order;
  lines: OrderLine[];
  payment: Payment;
  /** The timeline as written at placement (later entries, e.g. a payment authorized, are not in it). */
  history: OrderHistory[];
  /** Lets a guest follow the order (X-Order-Token); shown once. */
  orderToken: string;
  /** The route's answer, built in the order's transaction and kept there with its Idempotency-Key (see placeOrder's `answer`). */
  answer?: Reply;
}

interface Review {
  decision: ReviewDecision['decision'];
  reason: string | null;
  source: string;
  failures: { source: string; failure: string }[];
}

const FIRST_ORDER_NUMBER = 1000;
const knownSequences = new Set<string>();

function incomplete(errors: FieldError[]): InvalidError {
  return new InvalidError('CHECKOUT_INCOMPLETE', `Checkout needs ${errors.map((e) => e.pointer.slice(1)).join(', ')}`, { errors });
}

/** Runs the `checkout.review` hook: any refusal refuses, else any hold holds. A reviewer that fails lets the order through and is noted. */
async function review(ctx: TenantCtx, quote: CartQuote, cart: Cart, email: string, ip: string | null): Promise<Review> {
  const outcomes = await ctx.kernel.extensions.runHook(ctx, 'checkout.review', {
    ...quote.snapshot,
    email,
    total: quote.totals.total,
    billingAddress: cart.billingAddress ?? cart.shippingAddress,
    paymentProvider: cart.paymentProvider,
    paymentMethod: cart.paymentMethod,
    ip,
  });
  const result: Review = { decision: 'allow', reason: null, source: 'core', failures: [] };
  for (const o of outcomes) {
    const decision = o.ok ? o.value?.decision : undefined;
    if (!o.ok || (decision !== 'allow' && decision !== 'hold' && decision !== 'refuse')) {
      result.failures.push({ source: o.source, failure: o.ok ? 'invalid' : (o.failure ?? 'error') });
      continue;
    }
    const reason = typeof o.value?.reason === 'string' ? o.value.reason.slice(0, 500) : null;
    if (decision === 'refuse' || (decision === 'hold' && result.decision === 'allow')) Object.assign(result, { decision, reason, source: o.source });
  }
  return result;
}

/** Seconds a shopper waits before retrying a checkout whose pricing could not be worked out. */
const PRICING_RETRY_AFTER_S = 1;

/**
 * An order is placed only at a price worked out in full. A pricing hook (`checkout.adjustments`,
 * `checkout.shipping`, `checkout.tenders`) that threw or ran past its budget would leave out a
 * discount, a fee, duties or a tender, so the order's total would depend on how loaded the
 * machine was: checkout answers 503 with Retry-After and places nothing, and the same
 * Idempotency-Key may be sent again. (A quote still shows the price without the missing part.)
 * A hook that answered something malformed is a bug of its plugin, not a moment's load: its
 * part is dropped and the order's timeline says so.
 */
function pricedInFull(ctx: TenantCtx, quote: CartQuote): void {
  const missing = quote.hookFailures.filter((f) => f.failure !== 'invalid');
  if (!missing.length) return;
  // Which plugin failed is for the store's logs (each failure was logged by the host too), not the shopper.
  ctx.log.warn({ missing }, 'checkout refused: a pricing hook failed or ran late');
  throw new AppError(503, 'CHECKOUT_PRICING_UNAVAILABLE', 'Part of the price could not be worked out just now; nothing was placed, try again', {
    headers: { 'Retry-After': String(PRICING_RETRY_AFTER_S) },
  });
}

/** Makes sure the tenant's order counter exists (checked once per process and tenant). */
async function ensureSequence(ctx: TenantCtx): Promise<void> {
  if (knownSequences.has(ctx.tenant.id)) return;
  if (!(await scoped(ctx, OrderSequence).first())) {
    try {
      await scoped(ctx, OrderSequence).insert({ lastNumber: FIRST_ORDER_NUMBER });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  knownSequences.add(ctx.tenant.id);
}

/**
 * The next order number, taken in one statement of its own before the placing transaction: the
 * counter row is locked only inside the database for that statement, never across round trips
 * (holding it until commit made every checkout of a store queue behind the slowest). A placement
 * that then fails leaves a gap in the numbers.
 */
async function takeOrderNumber(ctx: TenantCtx): Promise<number> {
  await ensureSequence(ctx);
  const counter = () => table(ctx, OrderSequence);
  if (isSqlite(ctx.db)) {
    const rows = (await counter().update({ last_number: ctx.db.raw('last_number + 1') }).returning('last_number')) as unknown as { last_number: number }[];
    if (rows.length === 1) return Number(rows[0].last_number);
  } else {
    // MySQL has no UPDATE ... RETURNING; LAST_INSERT_ID(expr) hands the value back in the
    // statement's own OK packet (insertId), so one round trip takes the number (issue 27).
    const { sql, bindings } = counter().update({ last_number: ctx.db.raw('last_insert_id(last_number + 1)') }).toSQL().toNative();
    const [result] = (await ctx.db.raw(sql, bindings as never[])) as unknown as [{ affectedRows: number; insertId: number | string }];
    if (result.affectedRows === 1) return Number(result.insertId);
  }
  knownSequences.delete(ctx.tenant.id);
  throw new Error('order counter missing');
}

export async function placeOrder(
  ctx: TenantCtx,
  cartId: string,
  token: string | undefined,
  details: CartDetails,
  meta: {
    ip?: string | null;
    expectedTotal?: number;
    /**
     * The route's answer from the order as written. Asked in the order's transaction when nothing
     * follows the commit (the payment's start was written with the order): the request's
     * Idempotency-Key keeps it there, and the route returns `answer` of the result as it is.
     */
    answer?: (placed: PlacedOrder) => Reply;
  } = {},
): Promise<PlacedOrder> {
  // Details sent with the checkout are saved first; then the cart as saved and its lines are
  // read in one statement (issue 27).
  if (Object.keys(details).length) await updateDetails(ctx, await getOpenCart(ctx, cartId, token), details);
  const { cart, lines: cartLines } = await getOpenCartWithLines(ctx, cartId, token);

  // Who to write to: the cart's email, else the signed-in customer's.
  let email = cart.email;
  if (!email && cart.customerId) email = (await scoped(ctx, Customer).findById(cart.customerId))?.email ?? null;

  const quote = await quoteCart(ctx, cart, cartLines);
  if (!quote.lines.length) throw new ConflictError('CART_EMPTY', 'The cart is empty');
  pricedInFull(ctx, quote);
  if (meta.expectedTotal !== undefined && meta.expectedTotal !== quote.totals.total) {
    throw new ConflictError('TOTAL_CHANGED', 'The total changed since it was shown; nothing was placed. Review the cart and confirm the new total', {
      extra: { expectedTotal: meta.expectedTotal, total: quote.totals.total, currency: cart.currency },
    });
  }
  const bad = quote.lines.find((l) => l.issue === 'unavailable' || l.issue === 'no_price');
  if (bad) throw new ConflictError('CART_LINE_UNAVAILABLE', 'A line of the cart is no longer for sale', { extra: { lineId: bad.id, variantId: bad.variantId, issue: bad.issue } });
  const short = quote.lines.find((l) => l.issue === 'insufficient_stock');
  if (short) throw insufficientStock(short.variantId, short.quantity, short.available);

  const missing: FieldError[] = [];
  const need = (pointer: string, message: string) => missing.push({ in: 'body', pointer, code: 'required', message });
  if (!email) need('/email', 'an email is needed to place the order');
  if (!cart.shippingAddress) need('/shippingAddress', 'a shipping address is needed');
  if (!quote.shipping) {
    if (quote.shippingIssue) need('/shippingMethod', 'the chosen shipping option is no longer available; choose another');
    else need('/shippingMethod', 'choose a shipping option (GET /store/v1/carts/:id/shipping-options)');
  }
  const methods = await paymentMethods(ctx, { currency: cart.currency, amount: quote.totals.total, country: (cart.billingAddress ?? cart.shippingAddress)?.country });
  const payment = cart.paymentProvider
    ? methods.find((m) => m.provider === cart.paymentProvider && m.id === cart.paymentMethod)
    : methods.length === 1 ? methods[0] : undefined;
  if (!payment) need('/paymentMethod', cart.paymentProvider ? 'the chosen payment method is no longer available' : 'choose a payment method (GET /store/v1/carts/:id/payment-methods)');
  if (missing.length) throw incomplete(missing);

  const decision = await review(ctx, quote, { ...cart, paymentProvider: payment!.provider, paymentMethod: payment!.id } as Cart, email!, meta.ip ?? null);
  if (decision.decision === 'refuse') {
    throw new AppError(422, 'ORDER_REFUSED', 'The store cannot accept this order', { extra: { reason: decision.reason } });
  }

  // The rate the quote priced with, so the order's amounts and its rate agree.
  const rate = quote.fx;
  const shipper = await ctx.kernel.extensions.provider(ctx, 'shipping', quote.shipping!.provider);
  const number = await takeOrderNumber(ctx);
  const payer = details.paymentMethod?.payer;
  const draft = { orderId: newId(), payment: {
    id: newId(), provider: payment!.provider, method: payment!.id, status: 'pending', currency: cart.currency,
    amount: quote.totals.total, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0, reference: null, action: null,
  } satisfies Partial<Payment> };
  // An in-process provider (offline) answers now, and its answer is written with the order.
  const answered = await startInProcess(ctx, { id: draft.orderId, number, email: email! }, Object.assign(new Payment(), draft.payment), payer);
  const placed = await retryOnDeadlock(ctx, () => writeOrder(ctx, cart, quote, { number, email: email!, payment: payment!, rate, decision, shipper, draft, answered, payer, answer: meta.answer }));
  const initiated = await initiatePayment(ctx, placed.order, placed.payment, payer, answered);
  return { ...placed, ...initiated };
}

async function writeOrder(
  ctx: TenantCtx,
  cart: Cart,
  quote: CartQuote,
  opts: {
    number: number; email: string; payment: { provider: string; id: string }; rate: CartQuote['fx']; decision: Review; shipper?: ShippingProvider;
    /** The order's id and its payment as it will be written, before any answer of its provider. */
    draft: { orderId: string; payment: Pick<Payment, 'id' | 'provider' | 'method' | 'status' | 'currency' | 'amount' | 'authorizedAmount' | 'capturedAmount' | 'refundedAmount' | 'reference' | 'action'> };
    /** What an in-process provider answered before the transaction (startInProcess). */
    answered?: PaymentResult;
    payer?: PaymentPayer;
    answer?: (placed: PlacedOrder) => Reply;
  },
): Promise<PlacedOrder> {
  const orderId = opts.draft.orderId;
  const orderToken = newToken();
  const lineIds = quote.lines.map(() => newId());
  const at = new Date().toISOString();
  const totals = quote.totals;
  const held = opts.decision.decision === 'hold';
  const status: OrderStatus = held ? 'on_hold' : 'pending_payment';
  const holdReason = held ? (opts.decision.reason ?? `Held for review by ${opts.decision.source}`) : null;
  return withTransaction(ctx, async (trx) => {
    const closed = (await scopedTable(trx, Cart).where({ id: cart.id, status: 'open', version: cart.version })
      .update({ status: 'ordered', order_id: orderId, version: trx.db.raw('version + 1'), updated_at: new Date() })) as unknown as number;
    if (closed !== 1) {
      const now = await scoped(trx, Cart).findById(cart.id).forUpdate();
      if (now && now.status !== 'open') throw cartNotOpen(now);
      throw new ConflictError('CART_CHANGED', 'The cart changed while it was being checked out; review it and try again');
    }

    // The order's rows are deferred (deferWrite): nothing reads their results, so they ride with
    // the stock's locking read, and the lines with the COMMIT (issue 27).
    const [order] = await insertMany(trx, Order, [{
      id: orderId, number: opts.number, cartId: cart.id, customerId: cart.customerId, email: opts.email, locale: ctx.locale, status,
      heldFrom: held ? 'pending_payment' : null, holdReason,
      paymentStatus: 'unpaid', currency: cart.currency, baseCurrency: ctx.tenant.defaultCurrency, exchangeRate: opts.rate.rate, exchangeRateSource: opts.rate.source, exchangeRateAsOf: opts.rate.asOf,
      taxMode: totals.taxMode, taxRateBp: totals.taxRateBp,
      subtotalAmount: totals.subtotal, adjustmentsAmount: totals.adjustments, shippingAmount: totals.shipping, taxAmount: totals.tax, totalAmount: totals.total,
      authorizedAmount: 0, paidAmount: 0, refundedAmount: 0,
      adjustments: totals.adjustmentLines,
      shippingAddress: cart.shippingAddress!, billingAddress: cart.billingAddress ?? cart.shippingAddress!,
      shippingMethod: { provider: quote.shipping!.provider, option: quote.shipping!.id, label: quote.shipping!.label, amount: quote.shipping!.amount },
      paymentProvider: opts.payment.provider, paymentMethod: opts.payment.id,
      accessTokenHash: hashToken(orderToken), placedAt: at, paidAt: null, cancelledAt: null, completedAt: null,
    }], { deferred: true });
    // An in-process provider's answer: a quiet one (instructions) is the payment's reference and
    // action, and its attempt is written closed; any other is recorded after the commit on the
    // attempt written open here, as for a provider that was asked then (initiatePayment).
    const quiet = opts.answered && startsQuietly(opts.answered) ? opts.answered : undefined;
    const [payment] = await insertMany(trx, Payment, [{ ...opts.draft.payment, orderId, ...(quiet ? startedFields(opts.draft.payment, quiet) : {}) }], { deferred: true });
    if (opts.answered) await insertMany(trx, PaymentTransaction, [initiationAttempt(trx, payment, opts.payer, quiet)], { deferred: true });
    const history = [await recordHistory(trx, orderId, { kind: 'placed', to: 'pending_payment', message: `Order placed (${quote.lines.length} lines)`, key: 'placed', vars: { count: quote.lines.length } })];
    for (const f of [...quote.hookFailures, ...opts.decision.failures.map((x) => ({ hook: 'checkout.review', ...x }))]) {
      history.push(await recordHistory(trx, orderId, { kind: 'review', message: f.failure === 'invalid' ? `${f.hook} of ${f.source} answered something malformed; its part was dropped` : `${f.hook} of ${f.source} did not answer (${f.failure}); checkout went on without it`, data: f as unknown as Record<string, unknown> }));
    }
    if (held) history.push(await recordHistory(trx, orderId, { kind: 'status', from: 'pending_payment', to: 'on_hold', message: holdReason, data: { source: opts.decision.source } }));
    const base = orderEventBase(order);
    await emitEvent(trx, 'order.placed', {
      ...base, status: 'pending_payment', email: opts.email, total: totals.total, paymentProvider: opts.payment.provider, paymentMethod: opts.payment.id,
      lines: quote.lines.map((l, i) => ({ lineId: lineIds[i], variantId: l.variantId, quantity: l.quantity, total: totals.lines[i].total })),
    });
    if (held) await emitEvent(trx, 'order.held', { ...base, reason: holdReason, source: opts.decision.source });

    // The contended rows last: stock, in variant order, so their locks are held only until commit
    // and two checkouts never deadlock on each other. One batch (a read, one conditional update a
    // line, a read back, one insert of the movements) instead of four statements a line.
    const sorted = [...quote.lines].sort((a, b) => a.variantId.localeCompare(b.variantId));
    const levels = await reserveStockLines(trx, sorted.map((l) => ({ variantId: l.variantId, quantity: l.quantity })), { reference: orderId });
    const locationOf = new Map(levels.map((l) => [l.variantId, l.locationId]));
    const locations = new Map(quote.lines.map((l) => [l.id, locationOf.get(l.variantId)!]));
    // What the chosen shipping option holds for the order (a delivery slot), after the stock: a full slot refuses the order.
    if (opts.shipper?.reserve) await opts.shipper.reserve(trx, { orderId, optionId: quote.shipping!.id, address: cart.shippingAddress });
    const lines = await insertMany(trx, OrderLine, quote.lines.map((l, i) => {
      const t = totals.lines[i];
      return {
        id: lineIds[i], orderId, position: i, variantId: l.variantId, productId: l.productId!, sku: l.sku!, title: l.title!, options: l.options, quantity: l.quantity,
        locationId: locations.get(l.id)!, unitAmount: l.unitAmount!, subtotalAmount: t.subtotal, adjustmentAmount: t.adjustment, taxAmount: t.tax, totalAmount: t.total,
        fulfilledQuantity: 0, shippedQuantity: 0, returnedQuantity: 0,
      };
    }), { deferred: true });
    // With an Idempotency-Key, the key learns of the order in the order's own transaction: a
    // retry after a crash finds it (and the guest its order token) instead of a key stuck running.
    // With the payment's start written here too, nothing is left to do after the commit, and the
    // key keeps the whole answer at once.
    const placed: PlacedOrder = { order, lines, payment, history, orderToken };
    placed.answer = quiet && opts.answer ? opts.answer(placed) : undefined;
    await recordIdempotentOutcome(trx, { orderId, orderToken }, placed.answer);
    return placed;
  });
}
