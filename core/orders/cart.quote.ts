// Prices a cart: lines at current prices in the cart's currency, the chosen (or only) shipping
// option, adjustments from the `checkout.adjustments` hook, tax, total. The cart view and
// checkout use the same quote, so what the shopper saw is what the order copies.
import { MAX_UNIT_AMOUNT } from '../money/limits.js';
import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { Cart, CartLine } from './order.model.js';
import type { AdjustmentLine } from './order.types.js';
import { lookupVariants } from './catalog-lookup.js';
import { shippingOptions, type OfferedShipping } from './checkout-options.js';
import { money, sum } from '../money/money.js';
import { computeTotals, type Totals } from './totals.js';
import type { CheckoutSnapshot } from './checkout.hooks.js';
import { lockHolds, pinConversion, priceConversion, restoreConversion, type LockedConversion, type PriceConversion } from '../catalog/pricing.js';
import { marketTerms } from './fx-rates.provider.js';

/** The rate a quote priced with (the order copies it): '1' in the default currency, null when none is known. */
export interface QuoteRate {
  rate: string | null;
  source: string | null;
  asOf: string | null;
}

export type LineIssue = 'unavailable' | 'no_price' | 'insufficient_stock';

export interface QuoteLine {
  id: string;
  variantId: string;
  productId: string | null;
  sku: string | null;
  title: string | null;
  options: Record<string, string>;
  quantity: number;
  unitAmount: number | null;
  subtotal: number;
  available: number;
  issue: LineIssue | null;
}

export interface HookFailure {
  hook: string;
  source: string;
  failure: string;
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

const MAX_ADJUSTMENT = 1e12;

/** Keeps what a plugin proposed only if it is a well-formed adjustment; the core stamps the source. */
function readProposals(source: string, value: unknown): AdjustmentLine[] | null {
  if (!Array.isArray(value)) return null;
  const out: AdjustmentLine[] = [];
  for (const p of value as Record<string, unknown>[]) {
    if (!p || typeof p !== 'object') return null;
    const { label, amount, code } = p;
    if (typeof label !== 'string' || !label.trim() || label.length > 200) return null;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || Math.abs(amount) > MAX_ADJUSTMENT) return null;
    if (code !== undefined && (typeof code !== 'string' || code.length > 64)) return null;
    if (amount === 0) continue;
    out.push({ source, label: label.trim(), amount, ...(code ? { code } : {}) });
  }
  return out;
}

export async function quoteCart(ctx: TenantCtx, cart: Cart): Promise<CartQuote> {
  // The cart's conversion first: its lock while it holds, else its market's (the request's when
  // it has none). Pinned, so lines, shipping and adjustments all price with it.
  const base = ctx.tenant.defaultCurrency;
  let conv: PriceConversion | null;
  let locked: LockedConversion | null = null;
  if (cart.currency !== base) {
    if (lockHolds(cart.fxLock, base, cart.currency, cart.market)) {
      locked = cart.fxLock;
      conv = await restoreConversion(ctx, cart.fxLock);
    } else {
      conv = await priceConversion(ctx, base, cart.currency, { market: cart.market });
    }
    if (conv) pinConversion(ctx, conv);
  } else {
    // In the store's own currency: no rate to lock, but the cart's market may show its prices
    // with tax where the store entered them without (or the other way): requirement 36.
    conv = await priceConversion(ctx, base, base, { market: cart.market });
    if (conv) pinConversion(ctx, conv);
  }
  const terms = await marketTerms(ctx, { code: cart.market ?? conv?.market ?? null, currency: cart.currency });
  const rows = await scoped(ctx, CartLine).where('cart_id', cart.id).orderBy('id');
  const info = await lookupVariants(ctx, rows.map((l) => l.variantId), cart.currency);
  const lines: QuoteLine[] = rows.map((l) => {
    const v = info.get(l.variantId);
    // A price past the bound (stored before it existed) cannot be totalled: the line shows no price.
    // A converted price the cart locked when checkout began stays (requirement 35).
    const lockedPrice = v?.converted ? locked?.prices?.[l.variantId] : undefined;
    const amount = lockedPrice ?? v?.unitAmount ?? null;
    const priced = v && amount !== null && amount <= MAX_UNIT_AMOUNT ? amount : null;
    const issue: LineIssue | null = !v || !v.sellable ? 'unavailable' : priced === null ? 'no_price' : l.quantity > v.available ? 'insufficient_stock' : null;
    const unitAmount = v && v.sellable ? priced : null;
    return {
      id: l.id,
      variantId: l.variantId,
      productId: v?.productId ?? null,
      sku: v?.sku ?? null,
      title: v?.title ?? null,
      options: v?.options ?? {},
      quantity: l.quantity,
      unitAmount,
      subtotal: unitAmount === null ? 0 : money(unitAmount, cart.currency).multiply(l.quantity).toMinor(),
      available: v?.available ?? 0,
      issue,
    };
  });
  const priced = lines.filter((l) => l.unitAmount !== null);
  const shippingInput = {
    currency: cart.currency,
    subtotal: sum(priced.map((l) => money(l.subtotal, cart.currency)), cart.currency).toMinor(),
    lines: priced.map((l) => ({ variantId: l.variantId, productId: l.productId!, sku: l.sku!, quantity: l.quantity, unitAmount: l.unitAmount!, ...info.get(l.variantId)?.shipping })),
    address: cart.shippingAddress,
    customerId: cart.customerId,
  };

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

  const snapshot: CheckoutSnapshot = {
    cartId: cart.id,
    customerId: cart.customerId,
    email: cart.email,
    currency: cart.currency,
    lines: priced.map((l) => ({ lineId: l.id, variantId: l.variantId, productId: l.productId!, sku: l.sku!, quantity: l.quantity, unitAmount: l.unitAmount!, subtotal: l.subtotal })),
    subtotal: shippingInput.subtotal,
    shipping: shipping ? { provider: shipping.provider, option: shipping.id, amount: shipping.amount } : null,
    shippingAddress: cart.shippingAddress,
  };

  const hookFailures: HookFailure[] = [];
  const adjustments: AdjustmentLine[] = [];
  const collect = (hook: string, outcomes: { source: string; ok: boolean; failure?: string; value?: unknown }[]) => {
    for (const outcome of outcomes) {
      if (!outcome.ok) {
        hookFailures.push({ hook, source: outcome.source, failure: outcome.failure ?? 'error' });
        continue;
      }
      const read = readProposals(outcome.source, outcome.value);
      if (read === null) {
        ctx.log.error({ hook, source: outcome.source }, 'hook returned malformed adjustments; they were dropped');
        hookFailures.push({ hook, source: outcome.source, failure: 'invalid' });
        continue;
      }
      adjustments.push(...read);
    }
  };
  if (priced.length) {
    collect('checkout.adjustments', await ctx.kernel.extensions.runHook(ctx, 'checkout.adjustments', snapshot));
    // Tenders (points, store credit) come second and see the discounts proposed before them.
    collect('checkout.tenders', await ctx.kernel.extensions.runHook(ctx, 'checkout.tenders', { ...snapshot, adjustments: adjustments.map((a) => ({ ...a })) }));
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
