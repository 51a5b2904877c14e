// Prices a cart: lines at current prices in the cart's currency, adjustments from the
// `checkout.adjustments` hook (cart.pricing.ts), then the chosen (or only) shipping option priced on
// the subtotal after those discounts, the `checkout.shipping` hook (shipping discounts), the
// `checkout.tenders` hook, tax, total. The cart view and checkout use the same quote, so what the
// shopper saw is what the order copies.
import type { TenantCtx } from '../context.js';
import { Cart } from './order.model.js';
import type { AdjustmentLine } from './order.types.js';
import { shippingOptions, type OfferedShipping } from './checkout-options.js';
import { computeTotals, type Totals } from './totals.js';
import type { CheckoutSnapshot } from './checkout.hooks.js';
import type { LockedConversion } from '../catalog/pricing.js';
import { collectProposals, priceCart, type CartLineRef, type HookFailure, type QuoteLine } from './cart.pricing.js';

export type { LineIssue, QuoteLine, HookFailure } from './cart.pricing.js';

/** The rate a quote priced with (the order copies it): '1' in the default currency, null when none is known. */
export interface QuoteRate {
  rate: string | null;
  source: string | null;
  asOf: string | null;
}

export interface CartQuote {
  cart: Cart;
  lines: QuoteLine[];
  shipping: OfferedShipping | null;
  /** A shipping choice the providers no longer offer (address changed, rule changed). */
  shippingIssue: 'unavailable' | null;
  totals: Totals;
  hookFailures: HookFailure[];
  snapshot: CheckoutSnapshot;
  fx: QuoteRate;
  /** The market the cart is priced in (null: none, the store's own terms). */
  market: string | null;
  /** The conversion locked when checkout began, while it holds. */
  locked: LockedConversion | null;
}

/** `cartLines`: the cart's lines by id when the caller read them with the cart (checkout); else the quote reads them. */
export async function quoteCart(ctx: TenantCtx, cart: Cart, cartLines?: CartLineRef[]): Promise<CartQuote> {
  const base = ctx.tenant.defaultCurrency;
  // Lines and the merchandise's adjustments first: shipping is priced on the subtotal after them.
  const stage = await priceCart(ctx, cart, cartLines);
  const { conv, locked, terms, lines, priced, shippingInput } = stage;

  let shipping: OfferedShipping | null = null;
  let shippingIssue: CartQuote['shippingIssue'] = null;
  if (priced.length) {
    const offered = await shippingOptions(ctx, shippingInput);
    if (cart.shippingProvider) {
      shipping = offered.find((o) => o.provider === cart.shippingProvider && o.id === cart.shippingOption) ?? null;
      if (!shipping) shippingIssue = 'unavailable';
    } else if (offered.length === 1) {
      shipping = offered[0];
    }
  }

  const snapshot: CheckoutSnapshot = { ...stage.input, shipping: shipping ? { provider: shipping.provider, option: shipping.id, amount: shipping.amount } : null };

  const hookFailures: HookFailure[] = [...stage.hookFailures];
  const adjustments: AdjustmentLine[] = [...stage.adjustments];
  if (priced.length) {
    // Discounts on shipping (free shipping) once it is priced, then tenders (points, store credit),
    // each seeing what was proposed before it.
    collectProposals(ctx, 'checkout.shipping', await ctx.kernel.extensions.runHook(ctx, 'checkout.shipping', { ...snapshot, adjustments: adjustments.map((a) => ({ ...a })), discountedSubtotal: shippingInput.discountedSubtotal }), adjustments, hookFailures);
    collectProposals(ctx, 'checkout.tenders', await ctx.kernel.extensions.runHook(ctx, 'checkout.tenders', { ...snapshot, adjustments: adjustments.map((a) => ({ ...a })) }), adjustments, hookFailures);
  }

  const totals = computeTotals({
    currency: cart.currency,
    lines: priced.map((l) => ({ key: l.id, unitAmount: l.unitAmount!, quantity: l.quantity })),
    shippingAmount: shipping?.amount ?? 0,
    adjustments,
    // The market's tax display (requirement 36): inclusive prices are decomposed, exclusive ones get tax added.
    taxMode: terms?.taxMode ?? ctx.tenant.taxMode,
    taxRateBp: terms?.taxRateBp ?? ctx.tenant.taxRateBp,
    // The store's tax rounding (requirement 4): per line then summed, or once on the total.
    taxRounding: ctx.tenant.taxRounding,
  });
  const fx: QuoteRate = cart.currency === base ? { rate: '1', source: null, asOf: null } : { rate: conv?.rate ?? null, source: conv?.source ?? null, asOf: conv?.asOf ?? null };
  return { cart, lines, shipping, shippingIssue, totals, hookFailures, snapshot, fx, market: terms?.code ?? null, locked };
}
