// Words of the orders domain shared by its services, providers, hooks and plugins.

export interface Address {
  name: string;
  company?: string;
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  phone?: string;
  /** WGS 84 degrees, when the shopper or the checkout supplies them (a map picker). */
  coordinates?: { lat: number; lng: number };
}

export const ORDER_STATUSES = [
  'pending_payment', 'on_hold', 'paid', 'fulfilling', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Where the money stands, next to (not inside) the order's state. */
export const PAYMENT_STATUSES = ['unpaid', 'authorized', 'partially_paid', 'paid', 'partially_refunded', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const RETURN_STATUSES = ['requested', 'approved', 'rejected', 'received', 'refunded'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_REASONS = ['damaged', 'defective', 'wrong_item', 'not_as_described', 'no_longer_needed', 'other'] as const;

/** A price change on the order: a discount (negative) or a fee (positive), from a plugin or the core. */
export interface AdjustmentLine {
  /** Who added it: a plugin name or `core`. */
  source: string;
  /** A stable code from the source (`SUMMER10`, `points`); optional. */
  code?: string;
  label: string;
  /** Minor units of the cart's currency; negative lowers the total. */
  amount: number;
}

export interface ShippingMethodSnapshot {
  provider: string;
  option: string;
  label: string;
  amount: number;
}
