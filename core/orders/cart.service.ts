// Carts: a guest's (reached with its cart token) or a customer's (reached by signing in).
// Lines name variants and quantities only; prices, stock and totals are read fresh on every
// view, so the cart always shows what checkout will charge.
import type { PaymentPayer } from './payment.provider.js';
import { MAX_UNIT_AMOUNT } from '../money/limits.js';
import crypto from 'node:crypto';
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { raw } from 'objection';
import { scoped, scopedTable } from '../db/model.js';
import { ConflictError, InvalidError, NotFoundError, isUniqueViolation } from '../errors.js';
import { fieldError } from '../http/validation.js';
import { Cart, CartLine } from './order.model.js';
import type { Address } from './order.types.js';
import { lookupVariants } from './catalog-lookup.js';
import type { CartLineRef } from './cart.pricing.js';
import { shapedRows } from '../catalog/tables.js';
import { findShippingOption, findPaymentMethod } from './checkout-options.js';
import { marketTerms } from './fx-rates.provider.js';
import { lockHolds, lockOf, pinConversion, priceConversion, type PriceConversion } from '../catalog/pricing.js';

export const MAX_CART_LINES = 100;
export const MAX_LINE_QUANTITY = 9999;

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export const cartNotFound = () => new NotFoundError('CART_NOT_FOUND', 'No such cart');

export function cartNotOpen(cart: Cart): ConflictError {
  return new ConflictError('CART_NOT_OPEN', `This cart is ${cart.status}`, {
    params: { currentState: cart.status },
    extra: { currentState: cart.status, ...(cart.mergedInto ? { mergedInto: cart.mergedInto } : {}) },
  });
}

export function insufficientStock(variantId: string, requested: number, available: number): ConflictError {
  return new ConflictError('INSUFFICIENT_STOCK', `Variant ${variantId} has ${available} available; ${requested} requested`, {
    params: { variantId, requested, available },
    extra: { variantId, requested, available },
  });
}

function customerId(ctx: TenantCtx): string | null {
  return ctx.actor.type === 'customer' ? ctx.actor.id : null;
}

/** The cart of `row` if the caller may see it: their own as a signed-in customer, or a guest cart whose token they hold. */
function visibleCart(ctx: TenantCtx, row: Record<string, unknown> | undefined, token: string | undefined): Cart {
  if (!row) throw cartNotFound();
  const cart = Cart.fromDatabaseJson(row);
  if (cart.customerId) {
    if (cart.customerId !== customerId(ctx)) throw cartNotFound();
  } else if (!token || !cart.tokenHash || !crypto.timingSafeEqual(Buffer.from(hashToken(token)), Buffer.from(cart.tokenHash))) {
    throw cartNotFound();
  }
  return cart;
}

/** A cart the caller may see: their own as a signed-in customer, or a guest cart whose token they hold. */
export async function getCart(ctx: TenantCtx, id: string, token: string | undefined): Promise<Cart> {
  // Read through plain knex on the scoped table, then made a Cart as objection would (its query
  // builder costs as much CPU as the statement: issue 27).
  const row = (await scopedTable(ctx, Cart).where('id', id).first()) as Record<string, unknown> | undefined;
  return visibleCart(ctx, row, token);
}

export async function getOpenCart(ctx: TenantCtx, id: string, token: string | undefined): Promise<Cart> {
  const cart = await getCart(ctx, id, token);
  if (cart.status !== 'open') throw cartNotOpen(cart);
  return cart;
}

type CartWithLineRow = Record<string, unknown> & { line_id: string | null; line_variant_id: string | null; line_quantity: number | string | null };

/**
 * getOpenCart and the cart's lines (by id) in one statement, for checkout, which needs both:
 * MariaDB spends 100-300 µs on a statement however few its rows, so one join costs it less than
 * two reads (issue 27). The cart is left-joined to its lines, so it comes once per line, or once
 * with no line when it is empty.
 */
export async function getOpenCartWithLines(ctx: TenantCtx, id: string, token: string | undefined): Promise<{ cart: Cart; lines: CartLineRef[] }> {
  // Built once per process (shapedRows), from the scoped helper: the lines are joined on the
  // cart's tenant, which the helper filters on.
  const rows = await shapedRows<'id', CartWithLineRow>(ctx, 'cart-with-lines', { id }, (sctx, v) =>
    scopedTable(sctx, Cart)
      .leftJoin('cart_lines', function () {
        this.on('cart_lines.tenant_id', '=', 'carts.tenant_id').andOn('cart_lines.cart_id', '=', 'carts.id');
      })
      .select('carts.*', 'cart_lines.id as line_id', 'cart_lines.variant_id as line_variant_id', 'cart_lines.quantity as line_quantity')
      .where('carts.id', v.id)
      .orderBy('cart_lines.id'));
  if (!rows.length) throw cartNotFound();
  const { line_id: _id, line_variant_id: _variant, line_quantity: _quantity, ...cartRow } = rows[0];
  const cart = visibleCart(ctx, cartRow, token);
  if (cart.status !== 'open') throw cartNotOpen(cart);
  const lines = rows
    .filter((r) => r.line_id !== null)
    .map((r) => ({ id: r.line_id!, variantId: r.line_variant_id!, quantity: Number(r.line_quantity) }));
  return { cart, lines };
}

function checkCurrency(ctx: TenantCtx, currency: string): void {
  if (!ctx.tenant.currencies.includes(currency)) {
    const currencies = ctx.tenant.currencies.join(', ');
    throw new InvalidError('CURRENCY_NOT_ENABLED', `${currency} is not one of this store's currencies`, {
      params: { currency, currencies },
      errors: [fieldError('body', '/currency', 'currency', `body.currency must be one of ${currencies}`, { currencies })],
    });
  }
}

/** A new guest cart and its token (shown once), or the signed-in customer's open cart. */
export async function createCart(ctx: TenantCtx, input: { currency?: string }): Promise<{ cart: Cart; token: string | null }> {
  const currency = input.currency ?? ctx.currency;
  checkCurrency(ctx, currency);
  const customer = customerId(ctx);
  if (customer) return { cart: await customerCart(ctx, currency), token: null };
  const token = newToken();
  const cart = await scoped(ctx, Cart).insert({ customerId: null, tokenHash: hashToken(token), status: 'open', currency, version: 0, email: null, shippingAddress: null, billingAddress: null });
  return { cart: (await scoped(ctx, Cart).findById(cart.id))!, token };
}

/** The signed-in customer's open cart, made on first use. */
export async function customerCart(ctx: TenantCtx, currency = ctx.currency): Promise<Cart> {
  const id = customerId(ctx);
  if (!id) throw new ConflictError('CUSTOMER_ONLY', 'Only a signed-in customer has a cart of their own');
  const found = await scoped(ctx, Cart).where({ customer_id: id, status: 'open' }).orderBy('id', 'desc').first();
  if (found) return found;
  checkCurrency(ctx, currency);
  const cart = await scoped(ctx, Cart).insert({ customerId: id, tokenHash: null, status: 'open', currency, version: 0, email: null, shippingAddress: null, billingAddress: null });
  return (await scoped(ctx, Cart).findById(cart.id))!;
}

/** Marks a change, only while the cart is open: a checkout that priced an older version refuses. */
async function touch(ctx: TenantCtx, cart: Cart, patch: Partial<Cart> = {}): Promise<void> {
  const n = await scoped(ctx, Cart).patch({ ...patch, version: raw('version + 1') as unknown as number }).where({ id: cart.id, status: 'open' });
  if (n !== 1) throw cartNotOpen((await scoped(ctx, Cart).findById(cart.id).forUpdate()) ?? cart);
}

async function checkVariant(ctx: TenantCtx, cart: Cart, variantId: string, quantity: number): Promise<void> {
  const info = (await lookupVariants(ctx, [variantId], cart.currency)).get(variantId);
  if (!info) throw new NotFoundError('VARIANT_NOT_FOUND', 'No such variant', { extra: { variantId }, errors: [{ in: 'body', pointer: '/variantId', code: 'unknown', message: 'body.variantId names no variant of this store' }] });
  if (!info.sellable) throw new ConflictError('VARIANT_UNAVAILABLE', 'This variant is not for sale', { extra: { variantId } });
  if (info.unitAmount === null || info.unitAmount > MAX_UNIT_AMOUNT) throw new ConflictError('PRICE_UNAVAILABLE', `This variant has no price in ${cart.currency}`, { params: { currency: cart.currency }, extra: { variantId, currency: cart.currency } });
  if (quantity > info.available) throw insufficientStock(variantId, quantity, info.available);
}

export async function addLine(ctx: TenantCtx, cart: Cart, variantId: string, quantity: number): Promise<void> {
  const existing = await scoped(ctx, CartLine).where({ cart_id: cart.id, variant_id: variantId }).first();
  const total = (existing?.quantity ?? 0) + quantity;
  if (total > MAX_LINE_QUANTITY) throw new InvalidError('QUANTITY_TOO_LARGE', `At most ${MAX_LINE_QUANTITY} of one variant per cart`, { errors: [{ in: 'body', pointer: '/quantity', code: 'maximum', message: `body.quantity brings the line above ${MAX_LINE_QUANTITY}` }] });
  await checkVariant(ctx, cart, variantId, total);
  await withTransaction(ctx, async (trx) => {
    await touch(trx, cart);
    if (existing) {
      await scoped(trx, CartLine).patch({ quantity: raw('quantity + ?', [quantity]) as unknown as number }).where('id', existing.id);
      return;
    }
    const count = (await scoped(trx, CartLine).where('cart_id', cart.id).resultSize());
    if (count >= MAX_CART_LINES) throw new ConflictError('CART_FULL', `A cart holds at most ${MAX_CART_LINES} lines`);
    try {
      await scoped(trx, CartLine).insert({ cartId: cart.id, variantId, quantity });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      throw new ConflictError('CART_CHANGED', 'The cart changed at the same time; try again');
    }
  });
}

async function requireLine(ctx: TenantCtx, cart: Cart, lineId: string): Promise<CartLine> {
  const line = await scoped(ctx, CartLine).where({ id: lineId, cart_id: cart.id }).first();
  if (!line) throw new NotFoundError('CART_LINE_NOT_FOUND', 'No such line in this cart');
  return line;
}

export async function setLineQuantity(ctx: TenantCtx, cart: Cart, lineId: string, quantity: number): Promise<void> {
  const line = await requireLine(ctx, cart, lineId);
  if (quantity > line.quantity) await checkVariant(ctx, cart, line.variantId, quantity);
  await withTransaction(ctx, async (trx) => {
    await touch(trx, cart);
    await scoped(trx, CartLine).patch({ quantity }).where('id', line.id);
  });
}

export async function removeLine(ctx: TenantCtx, cart: Cart, lineId: string): Promise<void> {
  const line = await requireLine(ctx, cart, lineId);
  await withTransaction(ctx, async (trx) => {
    await touch(trx, cart);
    await scoped(trx, CartLine).delete().where('id', line.id);
  });
}

export interface CartDetails {
  email?: string;
  currency?: string;
  shippingAddress?: Address | null;
  billingAddress?: Address | null;
  shippingMethod?: { provider: string; option: string } | null;
  paymentMethod?: { provider: string; method: string; payer?: PaymentPayer } | null;
}

/** Checkout details: contact, addresses, shipping and payment choices. Each choice is checked against what the providers offer now. */
/** The converted unit price of each of the cart's variants under `conv`, kept with the lock (requirement 35). */
async function convertedPrices(ctx: TenantCtx, cartId: string, currency: string, conv: PriceConversion): Promise<Record<string, number>> {
  // Pinned: this request's later prices (the quote after the change) use the same conversion.
  pinConversion(ctx, conv);
  const lines = await scoped(ctx, CartLine).where('cart_id', cartId);
  const out: Record<string, number> = {};
  for (const [variantId, v] of await lookupVariants(ctx, lines.map((l) => l.variantId), currency)) {
    if (v.converted && v.unitAmount !== null) out[variantId] = v.unitAmount;
  }
  return out;
}

export async function updateDetails(ctx: TenantCtx, cart: Cart, input: CartDetails): Promise<void> {
  const patch: Partial<Cart> = {};
  if (input.currency !== undefined && input.currency !== cart.currency) {
    checkCurrency(ctx, input.currency);
    patch.currency = input.currency;
  }
  if (input.email !== undefined) patch.email = input.email.toLowerCase();
  if (input.shippingAddress !== undefined) {
    patch.shippingAddress = input.shippingAddress;
    // The market follows the shipping address (unless the shopper chose one explicitly), and
    // with it the currency, unless this same change names one.
    const country = input.shippingAddress?.country;
    if (country && country !== cart.shippingAddress?.country) {
      const terms = await marketTerms(ctx, { country, currency: patch.currency ?? cart.currency });
      if (terms) {
        if (input.currency === undefined && terms.currency !== cart.currency && ctx.tenant.currencies.includes(terms.currency)) patch.currency = terms.currency;
        // A market prices in its own currency only: a cart kept in another has none of its own.
        patch.market = terms.currency === (patch.currency ?? cart.currency) ? terms.code : null;
      }
    }
  }
  if (input.billingAddress !== undefined) patch.billingAddress = input.billingAddress;
  // Checkout begins: the cart locks the conversion it is priced with (requirement 35); a new
  // currency or market, or a lock older than a day, locks afresh.
  const base = ctx.tenant.defaultCurrency;
  const currency = patch.currency ?? cart.currency;
  const market = patch.market !== undefined ? patch.market : cart.market;
  if (currency === base) {
    if (cart.fxLock) patch.fxLock = null;
  } else if (!lockHolds(cart.fxLock, base, currency, market)) {
    const conv = await priceConversion(ctx, base, currency, { market });
    patch.fxLock = conv ? { ...lockOf(conv), prices: await convertedPrices(ctx, cart.id, currency, conv) } : null;
    if (conv?.market && !market) patch.market = conv.market;
  }
  const next = { ...cart, ...patch } as Cart;
  if (input.shippingMethod !== undefined) {
    if (input.shippingMethod) await findShippingOption(ctx, next, input.shippingMethod.provider, input.shippingMethod.option);
    patch.shippingProvider = input.shippingMethod?.provider ?? null;
    patch.shippingOption = input.shippingMethod?.option ?? null;
  }
  if (input.paymentMethod !== undefined) {
    if (input.paymentMethod) await findPaymentMethod(ctx, next, input.paymentMethod.provider, input.paymentMethod.method);
    patch.paymentProvider = input.paymentMethod?.provider ?? null;
    patch.paymentMethod = input.paymentMethod?.method ?? null;
  }
  await touch(ctx, cart, patch);
}

/**
 * Folds a guest cart into the signed-in customer's: quantities add up (never past what is in
 * stock), details the customer's cart lacks are taken over. With no open cart of their own,
 * the customer simply adopts the guest cart.
 */
export async function mergeGuestCart(ctx: TenantCtx, guestId: string, token: string): Promise<Cart> {
  const owner = customerId(ctx);
  if (!owner) throw new ConflictError('CUSTOMER_ONLY', 'Sign in to merge a cart');
  const guest = await scoped(ctx, Cart).findById(guestId);
  if (!guest || guest.customerId || !guest.tokenHash || guest.tokenHash !== hashToken(token)) throw cartNotFound();
  if (guest.status !== 'open') throw cartNotOpen(guest);
  const target = await scoped(ctx, Cart).where({ customer_id: owner, status: 'open' }).orderBy('id', 'desc').first();
  if (!target) {
    await touch(ctx, guest, { customerId: owner, tokenHash: null });
    return (await scoped(ctx, Cart).findById(guest.id))!;
  }
  const guestLines = await scoped(ctx, CartLine).where('cart_id', guest.id);
  const stock = await lookupVariants(ctx, guestLines.map((l) => l.variantId), target.currency);
  await withTransaction(ctx, async (trx) => {
    await touch(trx, guest, { status: 'merged', mergedInto: target.id });
    const own = await scoped(trx, CartLine).where('cart_id', target.id);
    for (const line of guestLines) {
      const mine = own.find((l) => l.variantId === line.variantId);
      const available = stock.get(line.variantId)?.available ?? 0;
      const wanted = Math.min(MAX_LINE_QUANTITY, (mine?.quantity ?? 0) + line.quantity);
      const quantity = Math.max(mine?.quantity ?? 0, Math.min(wanted, available));
      if (mine) {
        if (quantity !== mine.quantity) await scoped(trx, CartLine).patch({ quantity }).where('id', mine.id);
      } else if (quantity > 0 && own.length < MAX_CART_LINES) {
        await scoped(trx, CartLine).insert({ cartId: target.id, variantId: line.variantId, quantity });
      }
    }
    const carry: Partial<Cart> = {};
    if (!target.email && guest.email) carry.email = guest.email;
    if (!target.shippingAddress && guest.shippingAddress) carry.shippingAddress = guest.shippingAddress;
    if (!target.billingAddress && guest.billingAddress) carry.billingAddress = guest.billingAddress;
    await touch(trx, target, carry);
  });
  return (await scoped(ctx, Cart).findById(target.id))!;
}
