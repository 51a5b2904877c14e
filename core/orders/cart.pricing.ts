// The first stage of pricing a cart, before shipping: its lines at current prices in the cart's
// currency and the adjustments of the `checkout.adjustments` hook (discounts and fees on the
// merchandise). Shipping is then priced on the subtotal after those discounts (the logistics
// spec's default, requirement 24, as Vendure does: order promotions first, shipping after), so the
// shipping options route, the choice of an option and the quote all ask providers the same thing.
import { MAX_UNIT_AMOUNT } from '../money/limits.js';
import type { TenantCtx } from '../context.js';
import { scopedTable } from '../db/model.js';
import { Cart, CartLine } from './order.model.js';
import type { AdjustmentLine } from './order.types.js';
import { lookupVariants } from './catalog-lookup.js';
import { money, sum } from '../money/money.js';
import type { AdjustmentInput } from './checkout.hooks.js';
import type { ShippingInput } from './shipping.provider.js';
import type { HookName, HookOutcome } from '../extensions.js';
import { lockHolds, pinConversion, priceConversion, restoreConversion, type LockedConversion, type PriceConversion } from '../catalog/pricing.js';
import { marketTerms, type MarketTerms } from './fx-rates.provider.js';

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

export interface PricedCart {
  conv: PriceConversion | null;
  /** The conversion locked when checkout began, while it holds. */
  locked: LockedConversion | null;
  terms: MarketTerms | null;
  lines: QuoteLine[];
  /** The lines with a price (the others cannot be ordered). */
  priced: QuoteLine[];
  /** What shipping providers are asked with: subtotal before and after the discounts. */
  shippingInput: ShippingInput;
  /** What `checkout.adjustments` saw. */
  input: AdjustmentInput;
  /** What it proposed, stamped with their source. */
  adjustments: AdjustmentLine[];
  hookFailures: HookFailure[];
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

/** Adds a hook's well-formed proposals to `into`, and its failures (error, timeout, malformed answer) to `failures`. */
export function collectProposals<K extends HookName>(ctx: TenantCtx, hook: K, outcomes: HookOutcome<K>[], into: AdjustmentLine[], failures: HookFailure[]): void {
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      failures.push({ hook, source: outcome.source, failure: outcome.failure ?? 'error' });
      continue;
    }
    const read = readProposals(outcome.source, outcome.value);
    if (read === null) {
      ctx.log.error({ hook, source: outcome.source }, 'hook returned malformed adjustments; they were dropped');
      failures.push({ hook, source: outcome.source, failure: 'invalid' });
      continue;
    }
    into.push(...read);
  }
}

/** The subtotal after the discounts among `adjustments` (fees do not count), never below 0. */
export function discountedSubtotal(subtotal: number, adjustments: AdjustmentLine[]): number {
  return Math.max(0, subtotal + adjustments.filter((a) => a.amount < 0).reduce((s, a) => s + a.amount, 0));
}

/** A cart line as pricing needs it. */
export interface CartLineRef {
  id: string;
  variantId: string;
  quantity: number;
}

/** The cart's lines by id, through plain knex on the scoped table (issue 27). */
async function readLines(ctx: TenantCtx, cartId: string): Promise<CartLineRef[]> {
  const rows = (await scopedTable(ctx, CartLine).select('id', 'variant_id', 'quantity').where('cart_id', cartId).orderBy('id')) as { id: string; variant_id: string; quantity: number }[];
  return rows.map((r) => ({ id: r.id, variantId: r.variant_id, quantity: Number(r.quantity) }));
}

/** `cartLines`: the cart's lines by id when the caller read them with the cart (checkout); else they are read here. */
export async function priceCart(ctx: TenantCtx, cart: Cart, cartLines?: CartLineRef[]): Promise<PricedCart> {
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
  const rows = cartLines ?? (await readLines(ctx, cart.id));
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
  const subtotal = sum(priced.map((l) => money(l.subtotal, cart.currency)), cart.currency).toMinor();
  const input: AdjustmentInput = {
    cartId: cart.id,
    customerId: cart.customerId,
    email: cart.email,
    currency: cart.currency,
    lines: priced.map((l) => ({ lineId: l.id, variantId: l.variantId, productId: l.productId!, sku: l.sku!, quantity: l.quantity, unitAmount: l.unitAmount!, subtotal: l.subtotal })),
    subtotal,
    shippingAddress: cart.shippingAddress,
  };
  const adjustments: AdjustmentLine[] = [];
  const hookFailures: HookFailure[] = [];
  if (priced.length) collectProposals(ctx, 'checkout.adjustments', await ctx.kernel.extensions.runHook(ctx, 'checkout.adjustments', input), adjustments, hookFailures);
  const shippingInput: ShippingInput = {
    currency: cart.currency,
    subtotal,
    discountedSubtotal: discountedSubtotal(subtotal, adjustments),
    lines: priced.map((l) => ({ variantId: l.variantId, productId: l.productId!, sku: l.sku!, quantity: l.quantity, unitAmount: l.unitAmount!, ...info.get(l.variantId)?.shipping })),
    address: cart.shippingAddress,
    customerId: cart.customerId,
  };
  return { conv, locked, terms, lines, priced, shippingInput, input, adjustments, hookFailures };
}
