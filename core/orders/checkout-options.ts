// Shipping options and payment methods on offer for a cart, gathered from every provider the
// tenant can use. A provider that throws is left out (and logged): one broken plugin must not
// close the checkout.
import type { TenantCtx } from '../context.js';
import { InvalidError } from '../errors.js';
import type { Cart } from './order.model.js';
import { priceCart } from './cart.pricing.js';
import type { ShippingInput, ShippingOption } from './shipping.provider.js';
import type { PaymentMethodOption } from './payment.provider.js';

export interface OfferedShipping extends ShippingOption {
  provider: string;
  amount: number;
}

export interface OfferedPayment extends PaymentMethodOption {
  provider: string;
}

/**
 * What shipping providers are asked for this cart: its priced lines, the subtotal before and after
 * the merchandise's discounts (the `checkout.adjustments` hook runs for it), address and customer.
 * The same as the quote asks with, so an option chosen here is the one the quote prices.
 */
export async function shippingInput(ctx: TenantCtx, cart: Cart): Promise<ShippingInput> {
  return (await priceCart(ctx, cart)).shippingInput;
}

/** Every eligible option with its price. */
export async function shippingOptions(ctx: TenantCtx, input: ShippingInput): Promise<OfferedShipping[]> {
  const out: OfferedShipping[] = [];
  for (const provider of await ctx.kernel.extensions.providers(ctx, 'shipping')) {
    try {
      for (const option of await provider.options(ctx, input)) {
        const amount = await provider.price(ctx, input, option.id);
        if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`price of ${option.id} is not a non-negative integer: ${amount}`);
        out.push({ ...option, provider: provider.id, amount });
      }
    } catch (err) {
      ctx.log.error({ err, provider: provider.id }, 'shipping provider failed; its options are left out');
    }
  }
  return out;
}

export async function paymentMethods(ctx: TenantCtx, input: { currency: string; amount: number; country?: string }): Promise<OfferedPayment[]> {
  const out: OfferedPayment[] = [];
  for (const provider of await ctx.kernel.extensions.providers(ctx, 'payment')) {
    try {
      for (const method of await provider.methods(ctx, input)) out.push({ ...method, provider: provider.id });
    } catch (err) {
      ctx.log.error({ err, provider: provider.id }, 'payment provider failed; its methods are left out');
    }
  }
  return out;
}

export async function findShippingOption(ctx: TenantCtx, cart: Cart, provider: string, option: string): Promise<OfferedShipping> {
  const offered = await shippingOptions(ctx, await shippingInput(ctx, cart));
  const hit = offered.find((o) => o.provider === provider && o.id === option);
  if (!hit) {
    throw new InvalidError('SHIPPING_OPTION_UNAVAILABLE', 'This shipping option is not available for this cart and address', {
      errors: [{ in: 'body', pointer: '/shippingMethod', code: 'unavailable', message: `body.shippingMethod ${provider}/${option} is not offered; see GET /store/v1/carts/:id/shipping-options` }],
    });
  }
  return hit;
}

export async function findPaymentMethod(ctx: TenantCtx, cart: Cart, provider: string, method: string): Promise<OfferedPayment> {
  const { subtotal } = await shippingInput(ctx, cart);
  const offered = await paymentMethods(ctx, { currency: cart.currency, amount: subtotal, country: cart.billingAddress?.country ?? cart.shippingAddress?.country });
  const hit = offered.find((m) => m.provider === provider && m.id === method);
  if (!hit) {
    throw new InvalidError('PAYMENT_METHOD_UNAVAILABLE', 'This payment method is not available', {
      errors: [{ in: 'body', pointer: '/paymentMethod', code: 'unavailable', message: `body.paymentMethod ${provider}/${method} is not offered; see GET /store/v1/carts/:id/payment-methods` }],
    });
  }
  return hit;
}
