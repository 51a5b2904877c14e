// The events the orders domain emits, always through emitEvent() inside the transaction of the
// change: they commit with it or not at all. Payloads carry ids and amounts, never addresses:
// a subscriber that needs more reads the order.
import type { Ctx } from '../context.js';
import { emitEvent } from '../events/emit.js';
import type { OrderStatus } from './order.types.js';

export interface OrderEventBase {
  orderId: string;
  number: number;
  status: OrderStatus;
  currency: string;
  customerId: string | null;
}

declare module '../events/event.types.js' {
  interface EventMap {
    'order.placed': OrderEventBase & { email: string; total: number; lines: { lineId: string; variantId: string; quantity: number; total: number }[]; paymentProvider: string; paymentMethod: string };
    'order.paid': OrderEventBase & { amount: number; paidAmount: number; total: number };
    'order.cancelled': OrderEventBase & { reason: string | null };
    'order.shipped': OrderEventBase & { shipmentId: string; carrier: string; trackingNumber: string };
    'order.delivered': OrderEventBase;
    'order.completed': OrderEventBase;
    'order.refunded': OrderEventBase & { refundedAmount: number };
    'order.held': OrderEventBase & { reason: string | null; source: string };
    'order.released': OrderEventBase;
    'fulfilment.created': OrderEventBase & { fulfilmentId: string; lines: { lineId: string; quantity: number }[] };
    'shipment.created': OrderEventBase & { shipmentId: string; fulfilmentId: string; carrier: string; trackingNumber: string };
    'return.requested': { returnId: string; orderId: string; lines: { lineId: string; quantity: number }[]; reason: string };
    'return.approved': { returnId: string; orderId: string };
    'return.rejected': { returnId: string; orderId: string; reason: string | null };
    'return.received': { returnId: string; orderId: string; restocked: boolean };
    'refund.issued': { refundId: string; orderId: string; returnId: string | null; amount: number; currency: string; refundedAmount: number };
    /** The payer's bank opened a dispute (a chargeback) on the order's payment, as its gateway reported it. */
    'payment.disputed': OrderEventBase & { paymentId: string; provider: string; disputeId: string; amount: number; reason: string | null };
  }
}

export function orderEventBase(order: { id: string; number: number; status: OrderStatus; currency: string; customerId: string | null }): OrderEventBase {
  return { orderId: order.id, number: order.number, status: order.status, currency: order.currency, customerId: order.customerId };
}

export { emitEvent };
export type { Ctx };
