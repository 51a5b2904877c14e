// Shopper and staff helpers for the payments plugin tests: products through the Admin API, a cart
// through the Store API, checkout with a gateway's method, and the order as staff see it.
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { KitTenant, TestKit } from '../../../core/plugins/testkit.js';
import { scoped } from '../../../core/db/model.js';
import { PaymentWebhookInbox } from '../../../core/orders/order.model.js';

export const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

export async function makeVariant(kit: TestKit, t: KitTenant, price: number, currency = 'USD', stock = 100): Promise<string> {
  const res = await kit.post('/admin/v1/products', {
    status: 'active', translations: { [t.tenant.defaultLocale]: { name: `P ${crypto.randomBytes(3).toString('hex')}`, description: 'A product' } },
    attributes: {}, images: [], categoryIds: [],
    variants: [{ sku: `SKU-${crypto.randomBytes(4).toString('hex')}`, prices: [{ currency, amount: price }], stock }],
  }, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(201);
  return res.body.variants[0].id as string;
}

export interface Placed {
  order: any;
  orderToken: string;
  status: number;
  body: any;
}

/** Browse, add to cart, checkout with `provider/method`: the shopper's path. */
export async function checkout(kit: TestKit, t: KitTenant, variantId: string, payment: { provider: string; method: string }, o: { quantity?: number; currency?: string; expectStatus?: number } = {}): Promise<Placed> {
  const cart = await kit.post('/store/v1/carts', o.currency ? { currency: o.currency } : {}, { tenant: t.slug });
  expect(cart.status, cart.text).to.equal(201);
  const headers: Record<string, string> = cart.body.token ? { 'x-cart-token': cart.body.token } : {};
  const id = cart.body.cart.id as string;
  const line = await kit.post(`/store/v1/carts/${id}/lines`, { variantId, quantity: o.quantity ?? 1 }, { tenant: t.slug, headers });
  expect(line.status, line.text).to.equal(200);
  const res = await kit.post(`/store/v1/carts/${id}/checkout`, { email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: payment }, { tenant: t.slug, headers: { ...headers, 'idempotency-key': crypto.randomUUID() } });
  expect(res.status, res.text).to.equal(o.expectStatus ?? 201);
  return { order: res.body.order, orderToken: res.body.orderToken, status: res.status, body: res.body };
}

export async function staffOrder(kit: TestKit, t: KitTenant, orderId: string): Promise<any> {
  const res = await kit.get(`/admin/v1/orders/${orderId}`, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

export async function shopperOrder(kit: TestKit, t: KitTenant, placed: Placed): Promise<any> {
  const res = await kit.get(`/store/v1/orders/${placed.order.id}`, { tenant: t.slug, headers: { 'x-order-token': placed.orderToken } });
  expect(res.status, res.text).to.equal(200);
  return res.body;
}

export function adminAct(kit: TestKit, t: KitTenant, orderId: string, action: string, body: unknown = {}) {
  return kit.post(`/admin/v1/orders/${orderId}/${action}`, body, { token: t.ownerToken, headers: { 'idempotency-key': crypto.randomUUID() } });
}

/** Webhooks are answered at once and applied from the queue (REQ 13): waits until this store's stored notifications are all applied. */
export async function applied(kit: TestKit, ...tenants: KitTenant[]): Promise<void> {
  for (const t of tenants) {
    await kit.waitFor(async () => !(await scoped(t.ctx, PaymentWebhookInbox).whereNull('processed_at').first()), { timeoutMs: 60_000, what: 'stored payment notifications applied' });
  }
}
