// Checkout's hooks. Each runs with a time budget (kernel.extensions.runHook): a handler that
// throws or runs late loses its part in a quote; placing an order then answers 503
// CHECKOUT_PRICING_UNAVAILABLE instead (checkout.service.ts), since the order's total would depend
// on the machine's load. A malformed answer is dropped in both. The order of pricing (cart.quote.ts):
// lines, `checkout.adjustments`, shipping (priced on the subtotal after those discounts),
// `checkout.shipping`, `checkout.tenders`, tax.
// - `checkout.adjustments`: plugins add discounts (negative) or fees (positive) on the merchandise;
//   the core sums them, stamps who added each, and never lets them take the total below zero.
//   Shipping is not known yet (it is priced on the subtotal after these discounts).
// - `checkout.shipping`: runs once shipping is priced, sees the chosen option, the adjustments
//   proposed so far and the subtotal after their discounts (`discountedSubtotal`, the one shipping
//   was priced on), for discounts on shipping (free shipping for members over a threshold).
// - `checkout.tenders`: runs after both and sees what they proposed, for
//   plugins that take part of the payment in another tender (points, store credit) worked out
//   on the total after discounts. By convention a coupon's adjustment code starts `coupon:`.
// - `checkout.review`: a plugin (risk control) may let the order through, hold it for staff
//   review (status on_hold) or refuse it. A failed reviewer lets the order through and says so
//   on the order's timeline.
import type { Address, AdjustmentLine } from './order.types.js';

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

/** What `checkout.adjustments` sees: the cart before shipping is priced (no shipping yet). */
export type AdjustmentInput = Omit<CheckoutSnapshot, 'shipping'>;

/** What `checkout.shipping` and `checkout.tenders` see: the snapshot and the adjustments proposed before them (with their source). */
export interface TenderInput extends CheckoutSnapshot {
  adjustments: AdjustmentLine[];
}

/**
 * What `checkout.shipping` sees: as `checkout.tenders`, plus `discountedSubtotal`, the subtotal
 * after the discounts of `checkout.adjustments` (fees not counted, never below 0): the same number
 * the shipping providers compared, so a free-shipping threshold here agrees with theirs.
 */
export interface ShippingHookInput extends TenderInput {
  discountedSubtotal: number;
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
    'checkout.adjustments': { input: AdjustmentInput; output: AdjustmentProposal[] };
    'checkout.shipping': { input: ShippingHookInput; output: AdjustmentProposal[] };
    'checkout.tenders': { input: TenderInput; output: AdjustmentProposal[] };
    'checkout.review': { input: ReviewInput; output: ReviewDecision };
  }
}
