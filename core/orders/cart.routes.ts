// Store routes of the buying path: carts (guest carts by X-Cart-Token, or the signed-in
// customer's), checkout details, shipping options, payment methods, and placing the order.
// A shopper can do it in four calls: create a cart, add lines, (optionally) set details, check out.
import { route, created, type RouteSpec, type RouteInput } from '../http/route.js';
import { idParams } from '../http/schemas.js';
import { requireTenant, type TenantCtx } from '../context.js';
import * as carts from './cart.service.js';
import { quoteCart } from './cart.quote.js';
import { paymentMethods, shippingInput, shippingOptions } from './checkout-options.js';
import { placeOrder, type PlacedOrder } from './checkout.service.js';
import { orderDetail } from './order.service.js';
import { Order } from './order.model.js';
import { scoped } from '../db/model.js';
import { cartView, orderView } from './order.views.js';
import * as s from './order.schemas.js';

const tags = ['store: cart'];

function cartToken(headers: RouteInput['headers']): string | undefined {
  const v = headers['x-cart-token'];
  return typeof v === 'string' && v.length <= 100 ? v : undefined;
}

async function view(ctx: TenantCtx, id: string, token: string | undefined) {
  return cartView(await quoteCart(ctx, await carts.getCart(ctx, id, token)));
}

export const cartRoutes: RouteSpec[] = [
  route({
    method: 'POST', path: '/store/v1/carts', summary: 'Start a cart (a guest gets a cart token; a signed-in customer gets their cart)', tags, access: 'public',
    body: s.cartCreateBody, responses: { 201: s.cartCreatedOut },
    errors: { 400: ['CURRENCY_NOT_ENABLED'] },
    async handler({ ctx, body }) {
      const tctx = requireTenant(ctx);
      const { cart, token } = await carts.createCart(tctx, body);
      return created({ cart: cartView(await quoteCart(tctx, cart)), token });
    },
  }),
  route({
    method: 'GET', path: '/store/v1/carts/:id', summary: 'A cart with current prices, stock and totals (a guest sends X-Cart-Token)', tags, access: 'public',
    params: idParams, responses: { 200: s.cartOut },
    errors: { 404: ['CART_NOT_FOUND'] },
    handler: ({ ctx, params, headers }) => view(requireTenant(ctx), params.id, cartToken(headers)),
  }),
  route({
    method: 'PATCH', path: '/store/v1/carts/:id', summary: 'Set checkout details: email, addresses, shipping option, payment method, currency', tags, access: 'public',
    params: idParams, body: s.cartDetailsBody, responses: { 200: s.cartOut },
    errors: { 400: ['PAYMENT_METHOD_UNAVAILABLE', 'SHIPPING_OPTION_UNAVAILABLE'], 404: ['CART_NOT_FOUND'] },
    async handler({ ctx, params, body, headers }) {
      const tctx = requireTenant(ctx);
      await carts.updateDetails(tctx, await carts.getOpenCart(tctx, params.id, cartToken(headers)), body);
      return view(tctx, params.id, cartToken(headers));
    },
  }),
  route({
    method: 'POST', path: '/store/v1/carts/:id/lines', summary: 'Add a variant (quantities add up; checked against stock)', tags, access: 'public',
    params: idParams, body: s.lineBody, responses: { 200: s.cartOut },
    errors: { 404: ['CART_NOT_FOUND', 'VARIANT_NOT_FOUND'], 409: ['CART_NOT_OPEN', 'INSUFFICIENT_STOCK', 'PRICE_UNAVAILABLE', 'VARIANT_UNAVAILABLE'] },
    async handler({ ctx, params, body, headers }) {
      const tctx = requireTenant(ctx);
      await carts.addLine(tctx, await carts.getOpenCart(tctx, params.id, cartToken(headers)), body.variantId, body.quantity);
      return view(tctx, params.id, cartToken(headers));
    },
  }),
  route({
    method: 'PATCH', path: '/store/v1/carts/:id/lines/:lineId', summary: "Change a line's quantity", tags, access: 'public',
    params: s.cartLineParams, body: s.lineQuantityBody, responses: { 200: s.cartOut },
    errors: { 404: ['CART_LINE_NOT_FOUND', 'CART_NOT_FOUND'], 409: ['INSUFFICIENT_STOCK'] },
    async handler({ ctx, params, body, headers }) {
      const tctx = requireTenant(ctx);
      await carts.setLineQuantity(tctx, await carts.getOpenCart(tctx, params.id, cartToken(headers)), params.lineId, body.quantity);
      return view(tctx, params.id, cartToken(headers));
    },
  }),
  route({
    method: 'DELETE', path: '/store/v1/carts/:id/lines/:lineId', summary: 'Remove a line', tags, access: 'public',
    params: s.cartLineParams, responses: { 200: s.cartOut },
    errors: { 404: ['CART_LINE_NOT_FOUND', 'CART_NOT_FOUND'] },
    async handler({ ctx, params, headers }) {
      const tctx = requireTenant(ctx);
      await carts.removeLine(tctx, await carts.getOpenCart(tctx, params.id, cartToken(headers)), params.lineId);
      return view(tctx, params.id, cartToken(headers));
    },
  }),
  route({
    method: 'GET', path: '/store/v1/carts/:id/shipping-options', summary: 'Shipping options for this cart and its address, with prices', tags, access: 'public',
    params: idParams, responses: { 200: s.shippingOptionsOut },
    errors: { 404: ['CART_NOT_FOUND'] },
    async handler({ ctx, params, headers }) {
      const tctx = requireTenant(ctx);
      const cart = await carts.getCart(tctx, params.id, cartToken(headers));
      return { items: await shippingOptions(tctx, await shippingInput(tctx, cart)) };
    },
  }),
  route({
    method: 'GET', path: '/store/v1/carts/:id/payment-methods', summary: 'Payment methods on offer for this cart', tags, access: 'public',
    params: idParams, responses: { 200: s.paymentMethodsOut },
    errors: { 404: ['CART_NOT_FOUND'] },
    async handler({ ctx, params, headers }) {
      const tctx = requireTenant(ctx);
      const cart = await carts.getCart(tctx, params.id, cartToken(headers));
      const quote = await quoteCart(tctx, cart);
      return { items: await paymentMethods(tctx, { currency: cart.currency, amount: quote.totals.total, country: (cart.billingAddress ?? cart.shippingAddress)?.country }) };
    },
  }),
  route({
    method: 'POST', path: '/store/v1/carts/:id/checkout', summary: 'Place the order (details in the body are applied first). Send an Idempotency-Key.', tags, access: 'public', idempotent: true,
    params: idParams, body: s.checkoutBody, responses: { 201: s.checkoutOut },
    errors: {
      400: ['CHECKOUT_INCOMPLETE', 'PAYMENT_METHOD_UNAVAILABLE', 'SHIPPING_OPTION_UNAVAILABLE'], 404: ['CART_NOT_FOUND'],
      409: ['CART_EMPTY', 'CART_LINE_UNAVAILABLE', 'CART_NOT_OPEN', 'INSUFFICIENT_STOCK', 'TOTAL_CHANGED'], 422: ['ORDER_REFUSED'], 503: ['CHECKOUT_PRICING_UNAVAILABLE'],
    },
    // The chosen shipping provider's `reserve` runs in the order's transaction (a delivery slot: SLOT_FULL).
    errorsFrom: ['provider:shipping'],
    async handler({ ctx, params, body, headers, ip }) {
      const tctx = requireTenant(ctx);
      const { expectedTotal, ...details } = body;
      // A payment still pending changed nothing since the order was written: the answer is what is
      // in hand. When the payment's start was written with the order, it is built in the order's
      // transaction and kept with the Idempotency-Key there (placed.answer).
      const inHand = (placed: PlacedOrder) => created(
        { order: orderView({ order: placed.order, lines: placed.lines, history: placed.history, payments: [placed.payment], fulfilments: [], shipments: [], returns: [], refunds: [] }, 'customer', ctx.t as never), orderToken: placed.orderToken },
        `/store/v1/orders/${placed.order.id}`,
      );
      const placed = await placeOrder(tctx, params.id, cartToken(headers), details, { ip, expectedTotal, answer: inHand });
      if (placed.answer) return placed.answer;
      if (placed.payment.status === 'pending') return inHand(placed);
      return created({ order: orderView(await orderDetail(tctx, placed.order), 'customer', ctx.t as never), orderToken: placed.orderToken }, `/store/v1/orders/${placed.order.id}`);
    },
    async resume({ ctx, outcome }) {
      // The order committed but its answer was never sent (the process died): answer it now.
      const tctx = requireTenant(ctx);
      const { orderId, orderToken } = outcome as { orderId: string; orderToken: string };
      const order = await scoped(tctx, Order).findById(orderId);
      if (!order) throw new Error(`idempotent checkout committed order ${orderId}, which is gone`);
      return created({ order: orderView(await orderDetail(tctx, order), 'customer'), orderToken }, `/store/v1/orders/${orderId}`);
    },
  }),
  route({
    method: 'GET', path: '/store/v1/me/cart', summary: "The signed-in customer's open cart (made on first use)", tags, access: 'customer',
    responses: { 200: s.cartOut },
    async handler({ ctx }) {
      const tctx = requireTenant(ctx);
      return cartView(await quoteCart(tctx, await carts.customerCart(tctx)));
    },
  }),
  route({
    method: 'POST', path: '/store/v1/me/cart/merge', summary: "Fold a guest cart (id and token) into the signed-in customer's cart, after login", tags, access: 'customer',
    body: s.mergeBody, responses: { 200: s.cartOut },
    errors: { 404: ['CART_NOT_FOUND'], 409: ['CART_NOT_OPEN'] },
    async handler({ ctx, body }) {
      const tctx = requireTenant(ctx);
      return cartView(await quoteCart(tctx, await carts.mergeGuestCart(tctx, body.cartId, body.token)));
    },
  }),
];
