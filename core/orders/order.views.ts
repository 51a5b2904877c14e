// What the APIs show of carts, orders and returns. Customers see their order's progress
// (status, parcels, returns, refunds) without staff-only detail; staff see everything,
// including who did what.
import type { CartQuote } from './cart.quote.js';
import type { OrderDetail } from './order.service.js';
import { historyMessage, PUBLIC_KINDS } from './order.history.js';
import type { Order, OrderLine, Return, ReturnLine } from './order.model.js';

export function cartView(q: CartQuote) {
  const c = q.cart;
  return {
    id: c.id,
    status: c.status,
    currency: c.currency,
    customerId: c.customerId,
    email: c.email,
    shippingAddress: c.shippingAddress,
    billingAddress: c.billingAddress,
    shippingMethod: q.shipping ? { provider: q.shipping.provider, option: q.shipping.id, label: q.shipping.label, amount: q.shipping.amount } : null,
    shippingIssue: q.shippingIssue,
    paymentMethod: c.paymentProvider ? { provider: c.paymentProvider, method: c.paymentMethod! } : null,
    lines: q.lines.map((l) => ({
      id: l.id, variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, options: l.options,
      quantity: l.quantity, unitAmount: l.unitAmount, subtotal: l.subtotal, available: l.available, issue: l.issue,
    })),
    adjustments: q.totals.adjustmentLines,
    totals: totalsOf(q.totals),
    market: q.market,
    rateLock: q.locked ? { rate: q.locked.rate, source: q.locked.source, asOf: q.locked.asOf, lockedAt: q.locked.lockedAt } : null,
    orderId: c.orderId,
    mergedInto: c.mergedInto,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

function totalsOf(t: { subtotal: number; adjustments: number; shipping: number; tax: number; total: number; taxMode: string; taxRateBp: number }) {
  return { subtotal: t.subtotal, adjustments: t.adjustments, shipping: t.shipping, tax: t.tax, total: t.total, taxMode: t.taxMode, taxRateBp: t.taxRateBp };
}

export function orderSummary(o: Order) {
  return {
    id: o.id,
    number: o.number,
    status: o.status,
    paymentStatus: o.paymentStatus,
    customerId: o.customerId,
    email: o.email,
    currency: o.currency,
    total: Number(o.totalAmount),
    placedAt: o.placedAt,
    updatedAt: o.updatedAt,
  };
}

export function returnView(r: Return, lines: ReturnLine[]) {
  return {
    id: r.id,
    orderId: r.orderId,
    status: r.status,
    reason: r.reason,
    note: r.note,
    response: r.staffNote,
    lines: lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity })),
    currency: r.currency,
    refundAmount: Number(r.refundAmount),
    restocked: Boolean(r.restocked),
    requestedAt: r.createdAt,
    approvedAt: r.approvedAt,
    rejectedAt: r.rejectedAt,
    receivedAt: r.receivedAt,
    refundedAt: r.status === 'refunded' ? r.refundedAt : null,
  };
}

/** `t`: the reader's language for timeline messages (the request's ctx.t). */
export function lineView(l: OrderLine) {
  return {
    id: l.id, variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, options: l.options, quantity: l.quantity,
    unitAmount: Number(l.unitAmount), subtotal: Number(l.subtotalAmount), adjustment: Number(l.adjustmentAmount), tax: Number(l.taxAmount), total: Number(l.totalAmount),
    fulfilledQuantity: l.fulfilledQuantity, shippedQuantity: l.shippedQuantity, returnedQuantity: l.returnedQuantity,
  };
}

export function orderView(d: OrderDetail, audience: 'customer' | 'staff', t?: (key: string, opts?: Record<string, unknown>) => string) {
  const o = d.order;
  const staff = audience === 'staff';
  const payment = d.payments[d.payments.length - 1];
  const view = {
    id: o.id,
    number: o.number,
    status: o.status,
    paymentStatus: o.paymentStatus,
    email: o.email,
    customerId: o.customerId,
    currency: o.currency,
    baseCurrency: o.baseCurrency,
    exchangeRate: o.exchangeRate,
    exchangeRateSource: o.exchangeRateSource ?? null,
    exchangeRateAsOf: o.exchangeRateAsOf ?? null,
    taxMode: o.taxMode,
    taxRateBp: o.taxRateBp,
    totals: {
      subtotal: Number(o.subtotalAmount),
      adjustments: Number(o.adjustmentsAmount),
      shipping: Number(o.shippingAmount),
      tax: Number(o.taxAmount),
      total: Number(o.totalAmount),
      paid: Number(o.paidAmount),
      refunded: Number(o.refundedAmount),
    },
    adjustments: o.adjustments,
    shippingAddress: o.shippingAddress,
    billingAddress: o.billingAddress,
    shippingMethod: o.shippingMethod,
    payment: payment ? { provider: payment.provider, method: payment.method, status: payment.status, action: payment.action } : null,
    lines: d.lines.map(lineView),
    shipments: d.shipments.map((s) => ({ id: s.id, fulfilmentId: s.fulfilmentId, carrier: s.carrier, trackingNumber: s.trackingNumber, trackingUrl: s.trackingUrl, status: s.status, shippedAt: s.shippedAt, deliveredAt: s.deliveredAt })),
    returns: d.returns.map((r) => returnView(r, r.lines)),
    refunds: d.refunds.filter((r) => staff || r.status === 'succeeded').map((r) => ({ id: r.id, returnId: r.returnId, amount: Number(r.amount), currency: r.currency, status: r.status, reason: r.reason, createdAt: r.createdAt })),
    timeline: d.history
      .filter((h) => staff || PUBLIC_KINDS.has(h.kind))
      .map((h) => ({
        kind: h.kind,
        from: h.fromStatus,
        to: h.toStatus,
        message: staff || h.kind !== 'status' || h.toStatus !== 'on_hold' ? historyMessage(t, h) : null,
        at: h.createdAt,
        ...(staff ? { actor: { type: h.actorType, id: h.actorId }, data: h.data } : {}),
      })),
    placedAt: o.placedAt,
    paidAt: o.paidAt,
    cancelledAt: o.cancelledAt,
    completedAt: o.completedAt,
    updatedAt: o.updatedAt,
  };
  if (!staff) return view;
  return {
    ...view,
    cartId: o.cartId,
    locale: o.locale,
    heldFrom: o.heldFrom,
    holdReason: o.holdReason,
    lineStats: d.lineStats,
    payments: d.payments.map((p) => ({
      id: p.id, provider: p.provider, method: p.method, status: p.status, currency: p.currency, amount: Number(p.amount),
      authorizedAmount: Number(p.authorizedAmount), capturedAmount: Number(p.capturedAmount), refundedAmount: Number(p.refundedAmount), reference: p.reference, createdAt: p.createdAt,
    })),
    fulfilments: d.fulfilments.map((f) => ({ id: f.id, status: f.status, lines: f.lines.map((l) => ({ lineId: l.orderLineId, quantity: l.quantity })), createdAt: f.createdAt })),
  };
}
