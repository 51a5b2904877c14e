// Order factories: variants through the catalog's Admin API, carts and orders through the Store
// API, as a shopper would.
import { expect } from 'chai';
import { call, get, post, type Res } from '../support/http.js';
import { unique, type TestTenant } from '../support/factories.js';
import { makeProduct } from '../catalog/support.js';

export const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

export async function makeVariant(t: TestTenant, o: { price?: number; stock?: number; prices?: { currency: string; amount: number }[] } = {}): Promise<string> {
  const product = await makeProduct(t, {
    variants: [{ sku: unique('SKU'), prices: o.prices ?? [{ currency: t.tenant.defaultCurrency, amount: o.price ?? 1000 }], stock: o.stock ?? 10 }],
  });
  return product.variants[0].id as string;
}

export interface TestCart {
  id: string;
  token: string | null;
  headers: Record<string, string>;
}

export async function makeCart(t: TestTenant, opts: { customerToken?: string; currency?: string } = {}): Promise<TestCart> {
  const res = await post('/store/v1/carts', opts.currency ? { currency: opts.currency } : {}, { tenant: t.slug, token: opts.customerToken });
  expect(res.status, res.text).to.equal(201);
  const token = res.body.token as string | null;
  return { id: res.body.cart.id, token, headers: token ? { 'x-cart-token': token } : {} };
}

export function cartCall(t: TestTenant, cart: TestCart, method: string, path: string, body?: unknown, extra: { token?: string; headers?: Record<string, string> } = {}): Promise<Res> {
  return call(method, `/store/v1/carts/${cart.id}${path}`, { tenant: t.slug, token: extra.token, headers: { ...cart.headers, ...extra.headers }, body });
}

export async function addLine(t: TestTenant, cart: TestCart, variantId: string, quantity: number, token?: string): Promise<Res> {
  const res = await cartCall(t, cart, 'POST', '/lines', { variantId, quantity }, { token });
  expect(res.status, res.text).to.equal(200);
  return res;
}

export const checkoutBody = (method = 'bank_transfer') => ({
  email: 'ada@example.com',
  shippingAddress: ADDRESS,
  paymentMethod: { provider: 'offline', method },
});

/** A placed order: a guest cart with the given lines, checked out with the offline provider. */
export async function placeOrder(t: TestTenant, lines: { variantId: string; quantity: number }[], opts: { method?: string; customerToken?: string; key?: string } = {}): Promise<{ order: any; orderToken: string; cart: TestCart }> {
  const cart = await makeCart(t, { customerToken: opts.customerToken });
  for (const l of lines) await addLine(t, cart, l.variantId, l.quantity, opts.customerToken);
  const res = await cartCall(t, cart, 'POST', '/checkout', checkoutBody(opts.method), { token: opts.customerToken, headers: opts.key ? { 'idempotency-key': opts.key } : {} });
  expect(res.status, res.text).to.equal(201);
  return { order: res.body.order, orderToken: res.body.orderToken, cart };
}

export function adminAct(t: TestTenant, orderId: string, action: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Res> {
  return call('POST', `/admin/v1/orders/${orderId}/${action}`, { token: t.ownerToken, body, headers });
}

export async function stockOf(t: TestTenant, variantId: string): Promise<{ onHand: number; reserved: number; available: number }> {
  const res = await get(`/admin/v1/variants/${variantId}/stock`, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

/** A paid, shipped and delivered order. */
export async function deliveredOrder(t: TestTenant, lines: { variantId: string; quantity: number }[], opts: { customerToken?: string } = {}) {
  const placed = await placeOrder(t, lines, opts);
  for (const [action, body] of [['confirm-payment', {}], ['shipments', { carrier: 'DHL', trackingNumber: unique('TRK') }], ['deliver', {}]] as const) {
    const res = await adminAct(t, placed.order.id, action, body);
    expect(res.status, `${action}: ${res.text}`).to.be.oneOf([200, 201]);
  }
  return placed;
}
