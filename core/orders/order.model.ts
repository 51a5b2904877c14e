// Cart, order and after-sales tables as objection models. All tenant-owned: reach them with scoped().
import { TenantModel, registerTenantModel } from '../db/model.js';
import type { Address, AdjustmentLine, OrderStatus, PaymentStatus, ReturnStatus, ShippingMethodSnapshot } from './order.types.js';
import type { LockedConversion } from '../catalog/pricing.js';

export class Cart extends TenantModel {
  static override tableName = 'carts';
  static override jsonAttributes = ['shippingAddress', 'billingAddress', 'fxLock'];
  id!: string;
  customerId!: string | null;
  tokenHash!: string | null;
  status!: 'open' | 'ordered' | 'merged';
  currency!: string;
  email!: string | null;
  shippingAddress!: Address | null;
  billingAddress!: Address | null;
  shippingProvider!: string | null;
  shippingOption!: string | null;
  paymentProvider!: string | null;
  paymentMethod!: string | null;
  version!: number;
  orderId!: string | null;
  mergedInto!: string | null;
  /** The market the cart is priced in (a code of the fx-rates provider's); null: the request's. */
  market!: string | null;
  /** The conversion locked when checkout began (requirement 35); null before. */
  fxLock!: LockedConversion | null;
  createdAt!: string;
  updatedAt!: string;
}

export class CartLine extends TenantModel {
  static override tableName = 'cart_lines';
  id!: string;
  cartId!: string;
  variantId!: string;
  quantity!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class OrderSequence extends TenantModel {
  static override tableName = 'order_sequences';
  static override idColumn = 'tenant_id';
  static override generateId = false;
  static override timestamps = false;
  lastNumber!: number;
}

export class Order extends TenantModel {
  static override tableName = 'orders';
  static override jsonAttributes = ['adjustments', 'shippingAddress', 'billingAddress', 'shippingMethod'];
  id!: string;
  number!: number;
  cartId!: string;
  customerId!: string | null;
  email!: string;
  locale!: string;
  status!: OrderStatus;
  heldFrom!: OrderStatus | null;
  holdReason!: string | null;
  paymentStatus!: PaymentStatus;
  currency!: string;
  baseCurrency!: string;
  exchangeRate!: string | null;
  /** Where the locked rate came from and the date it is for (cross-border markets); null when unknown. */
  exchangeRateSource!: string | null;
  exchangeRateAsOf!: string | null;
  taxMode!: 'inclusive' | 'exclusive';
  taxRateBp!: number;
  subtotalAmount!: number;
  adjustmentsAmount!: number;
  shippingAmount!: number;
  taxAmount!: number;
  totalAmount!: number;
  authorizedAmount!: number;
  paidAmount!: number;
  refundedAmount!: number;
  adjustments!: AdjustmentLine[];
  shippingAddress!: Address;
  billingAddress!: Address;
  shippingMethod!: ShippingMethodSnapshot;
  paymentProvider!: string;
  paymentMethod!: string;
  accessTokenHash!: string;
  placedAt!: string;
  paidAt!: string | null;
  cancelledAt!: string | null;
  completedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class OrderLine extends TenantModel {
  static override tableName = 'order_lines';
  static override jsonAttributes = ['options'];
  id!: string;
  orderId!: string;
  position!: number;
  variantId!: string;
  productId!: string;
  sku!: string;
  title!: string;
  options!: Record<string, string>;
  quantity!: number;
  locationId!: string;
  unitAmount!: number;
  subtotalAmount!: number;
  adjustmentAmount!: number;
  taxAmount!: number;
  totalAmount!: number;
  fulfilledQuantity!: number;
  shippedQuantity!: number;
  returnedQuantity!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class OrderHistory extends TenantModel {
  static override tableName = 'order_history';
  static override jsonAttributes = ['data', 'messageVars'];
  static override timestamps = false;
  id!: string;
  orderId!: string;
  kind!: string;
  fromStatus!: string | null;
  toStatus!: string | null;
  message!: string | null;
  /** `orders:timeline.<key>`: the message in the reader's language, with `messageVars`. */
  messageKey?: string | null;
  messageVars?: Record<string, unknown> | null;
  data!: Record<string, unknown> | null;
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
}

export class Payment extends TenantModel {
  static override tableName = 'payments';
  static override jsonAttributes = ['action'];
  id!: string;
  orderId!: string;
  provider!: string;
  method!: string;
  status!: 'pending' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'cancelled' | 'failed';
  currency!: string;
  amount!: number;
  authorizedAmount!: number;
  capturedAmount!: number;
  refundedAmount!: number;
  reference!: string | null;
  action!: Record<string, unknown> | null;
  createdAt!: string;
  updatedAt!: string;
}

export class PaymentTransaction extends TenantModel {
  static override tableName = 'payment_transactions';
  static override jsonAttributes = ['payer'];
  id!: string;
  paymentId!: string;
  kind!: 'initiate' | 'authorize' | 'capture' | 'refund' | 'cancel';
  /** `pending`: asked, or taken and processing; `unknown`: no answer came (the call may have happened): asked again under its key. */
  status!: 'pending' | 'unknown' | 'succeeded' | 'failed';
  amount!: number;
  idempotencyKey!: string;
  reference!: string | null;
  /** When the gateway's answer was lost (a capture or refund); null when it came. */
  lostAt?: string | null;
  /** When a staff retry of that lost operation was answered with it. */
  retriedAt?: string | null;
  /** An open initiation: the payer its replay needs (WeChat Pay JSAPI's openid); cleared once answered. Never logged. */
  payer?: { openid?: string } | null;
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class PaymentWebhookEvent extends TenantModel {
  static override tableName = 'payment_webhook_events';
  static override idColumn = ['provider', 'event_id'];
  static override generateId = false;
  static override timestamps = false;
  provider!: string;
  eventId!: string;
  paymentId!: string | null;
  type!: string;
  createdAt!: string;
}

/**
 * A gateway's notification as it arrived (payments.md REQ 13): verified, stored once per
 * (tenant, provider, notification id) before the gateway is answered, then applied from the queue.
 * `processedAt` null: not applied yet (the worker's scan queues it again after a crash).
 */
export class PaymentWebhookInbox extends TenantModel {
  static override tableName = 'payment_webhook_inbox';
  static override jsonAttributes = ['headers', 'actions'];
  static override timestamps = false;
  id!: string;
  provider!: string;
  notificationId!: string;
  headers!: Record<string, string>;
  rawBody!: string;
  actions!: unknown[];
  attempts!: number;
  lastError!: string | null;
  receivedAt!: string;
  processedAt!: string | null;
}

export class Fulfilment extends TenantModel {
  static override tableName = 'fulfilments';
  id!: string;
  orderId!: string;
  status!: 'pending' | 'shipped' | 'delivered' | 'cancelled';
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class FulfilmentLine extends TenantModel {
  static override tableName = 'fulfilment_lines';
  static override timestamps = false;
  id!: string;
  fulfilmentId!: string;
  orderLineId!: string;
  quantity!: number;
}

export class Shipment extends TenantModel {
  static override tableName = 'shipments';
  id!: string;
  orderId!: string;
  fulfilmentId!: string;
  carrier!: string;
  trackingNumber!: string;
  trackingUrl!: string | null;
  status!: 'in_transit' | 'delivered';
  shippedAt!: string;
  deliveredAt!: string | null;
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class Return extends TenantModel {
  static override tableName = 'returns';
  id!: string;
  orderId!: string;
  customerId!: string | null;
  status!: ReturnStatus;
  reason!: string;
  note!: string | null;
  staffNote!: string | null;
  currency!: string;
  refundAmount!: number;
  restocked!: boolean;
  approvedAt!: string | null;
  rejectedAt!: string | null;
  receivedAt!: string | null;
  refundedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class ReturnLine extends TenantModel {
  static override tableName = 'return_lines';
  static override timestamps = false;
  id!: string;
  returnId!: string;
  orderLineId!: string;
  quantity!: number;
}

export class Refund extends TenantModel {
  static override tableName = 'refunds';
  id!: string;
  orderId!: string;
  paymentId!: string;
  returnId!: string | null;
  status!: 'succeeded' | 'failed' | 'pending';
  currency!: string;
  amount!: number;
  reason!: string | null;
  reference!: string | null;
  actorType!: string;
  actorId!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class CheckoutSettingsRow extends TenantModel {
  static override tableName = 'checkout_settings';
  static override idColumn = 'tenant_id';
  static override jsonAttributes = ['shipping', 'payment'];
  static override generateId = false;
  static override timestamps = false;
  shipping!: Record<string, unknown>;
  payment!: Record<string, unknown>;
  updatedAt!: string;
}

for (const model of [
  Cart, CartLine, OrderSequence, Order, OrderLine, OrderHistory, Payment, PaymentTransaction, PaymentWebhookEvent, PaymentWebhookInbox,
  Fulfilment, FulfilmentLine, Shipment, Return, ReturnLine, Refund, CheckoutSettingsRow,
]) {
  registerTenantModel(model);
}
