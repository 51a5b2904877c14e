// Checkout's hooks. Both run with a time budget (kernel.extensions.runHook): a handler that
// throws or runs late loses its part and checkout goes on.
// - `checkout.adjustments`: plugins add discounts (negative) or fees (positive); the core sums
//   them, stamps who added each, and never lets them take the total below zero.
// - `checkout.review`: a plugin (risk control) may let the order through, hold it for staff
//   review (status on_hold) or refuse it. A failed reviewer lets the order through and says so
//   on the order's timeline.
import type { Address } from './order.types.js';

export interface CheckoutSnapshot {
  cartId: string;
  customerId: string | null;
  email: string | null;
  currency: string;
  lines: { lineId: string; variantId: string; productId: string; sku: string; quantity: number; unitAmount: number; subtotal: number }[];
  subtotal: number;
  shipping: { provider: string; option: string; amount: number } | null;
  shippingAddress: Address | null;
}

export interface AdjustmentProposal {
  label: string;
  /** Minor units of the cart currency; negative is a discount. */
  amount: number;
  code?: string;
}

export interface ReviewInput extends CheckoutSnapshot {
  total: number;
  billingAddress: Address | null;
  paymentProvider: string | null;
  paymentMethod: string | null;
  ip: string | null;
}

export interface ReviewDecision {
  decision: 'allow' | 'hold' | 'refuse';
  reason?: string;
}

declare module '../extensions.js' {
  interface HookMap {
    'checkout.adjustments': { input: CheckoutSnapshot; output: AdjustmentProposal[] };
    'checkout.review': { input: ReviewInput; output: ReviewDecision };
  }
}
