// The `shipping` provider contract: which options a cart may use at an address (eligibility),
// and what one of them costs (price), kept apart so a logistics plugin can combine zones,
// carriers and rate tables freely. The core ships a flat rate (flat-rate.shipping.ts).
import type { TenantCtx } from '../context.js';
import type { Provider } from '../extensions.js';
import type { Address } from './order.types.js';
import type { VariantShipping } from '../catalog/variant-shipping.js';

export type ShippingInputLine = { variantId: string; productId: string; sku: string; quantity: number; unitAmount: number } & Partial<VariantShipping>;

export interface ShippingInput {
  currency: string;
  /** Sum of line prices before adjustments, minor units (as displayed: gross where the market shows tax). */
  subtotal: number;
  /**
   * The subtotal after the order's discounts: `subtotal` plus the negative adjustments that the
   * `checkout.adjustments` hook proposed (member price, coupons), never below 0. Fees (positive
   * adjustments such as duties) and shipping discounts are not in it: shipping is priced after the
   * discounts and before its own adjustments (`checkout.shipping`).
   */
  discountedSubtotal: number;
  /** Priced lines, with each variant's weight, box, HS code and origin when the catalog has them. */
  lines: ShippingInputLine[];
  /** Null until the shopper gives one: providers may offer options that need none. */
  address: Address | null;
  /** The signed-in customer of the cart, if any (customer-group rules). */
  customerId?: string | null;
}

export interface ShippingOption {
  /** Unique within the provider (`standard`, `express`). */
  id: string;
  label: string;
  carrier?: string;
  /** Delivery estimate in days, when known. */
  minDays?: number;
  maxDays?: number;
}

export interface ShippingProvider extends Provider {
  /** Options this cart may use at this address. Eligibility only: no prices here. */
  options(ctx: TenantCtx, input: ShippingInput): Promise<ShippingOption[]>;
  /** Price of one eligible option in minor units of input.currency. */
  price(ctx: TenantCtx, input: ShippingInput, optionId: string): Promise<number>;
  /**
   * Optional: takes what the chosen option needs held for the order (a delivery slot's
   * capacity). Called inside the order's placing transaction (ctx.db is it), after the stock;
   * throwing an AppError refuses the order and rolls everything back. Keep it to a few
   * conditional writes: it runs while the stock rows are locked.
   */
  reserve?(ctx: TenantCtx, input: { orderId: string; optionId: string; address: Address | null }): Promise<void>;
}

declare module '../extensions.js' {
  interface ProviderMap {
    shipping: ShippingProvider;
  }
}
