// Helpers of the logistics tests: products with shipping facts, carts, zones and methods through the APIs.
import { expect } from 'chai';
import crypto from 'node:crypto';
import type { KitTenant, TestKit } from '@bazaar/sdk/testing';

export const uniq = (p: string) => `${p}-${crypto.randomBytes(4).toString('hex')}`;

export async function variant(kit: TestKit, t: KitTenant, o: { price?: number; shipping?: Record<string, unknown>; stock?: number; categoryIds?: string[]; prices?: { currency: string; amount: number }[] } = {}): Promise<{ variantId: string; productId: string }> {
  const res = await kit.post('/admin/v1/products', {
    status: 'active',
    translations: { en: { name: uniq('Parcel thing'), description: 'x' } },
    categoryIds: o.categoryIds ?? [],
    variants: [{ sku: uniq('SKU'), prices: o.prices ?? [{ currency: 'USD', amount: o.price ?? 1000 }], stock: o.stock ?? 50, ...(o.shipping ? { shipping: o.shipping } : {}) }],
  }, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(201);
  return { variantId: res.body.variants[0].id, productId: res.body.id };
}

export async function cart(kit: TestKit, t: KitTenant, lines: { variantId: string; quantity: number }[], address: Record<string, unknown> | null, o: { currency?: string; token?: string } = {}) {
  const made = await kit.post('/store/v1/carts', o.currency ? { currency: o.currency } : {}, { tenant: t.slug, token: o.token });
  expect(made.status, made.text).to.equal(201);
  const id = made.body.cart.id as string;
  const headers: Record<string, string> = made.body.token ? { 'x-cart-token': made.body.token } : {};
  for (const l of lines) {
    const r = await kit.post(`/store/v1/carts/${id}/lines`, l, { tenant: t.slug, headers, token: o.token });
    expect(r.status, r.text).to.equal(200);
  }
  if (address) {
    const r = await kit.patch(`/store/v1/carts/${id}`, { shippingAddress: address }, { tenant: t.slug, headers, token: o.token });
    expect(r.status, r.text).to.equal(200);
  }
  const options = async () => {
    const r = await kit.get(`/store/v1/carts/${id}/shipping-options`, { tenant: t.slug, headers, token: o.token });
    expect(r.status, r.text).to.equal(200);
    return (r.body.items as { provider: string; id: string; amount: number; label: string }[]).filter((x) => x.provider === 'logistics');
  };
  return { id, headers, options };
}

export const address = (o: Record<string, unknown> = {}) => ({ name: 'Ada Shopper', line1: '1 Market Street', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US', ...o });

export async function zone(kit: TestKit, t: KitTenant, body: Record<string, unknown>) {
  const res = await kit.post('/admin/v1/logistics/zones', body, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(201);
  return res.body as { id: string; name: string };
}

export async function method(kit: TestKit, t: KitTenant, body: Record<string, unknown>) {
  const res = await kit.post('/admin/v1/logistics/methods', { currency: 'USD', label: String(body.code), ...body }, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(201);
  return res.body as { id: string; code: string };
}
