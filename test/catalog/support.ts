// Catalog factories: products and categories made through the Admin API, as a merchant would.
import { expect } from 'chai';
import { post } from '../support/http.js';
import { unique, type TestTenant } from '../support/factories.js';

export interface ProductOverrides {
  name?: string;
  status?: 'draft' | 'active' | 'archived';
  translations?: Record<string, { name: string; description?: string; slug?: string }>;
  attributes?: Record<string, unknown>;
  categoryIds?: string[];
  images?: { url: string; alt?: string }[];
  variants?: { sku: string; options?: Record<string, string>; prices?: { currency: string; amount: number; compareAtAmount?: number | null }[]; stock?: number }[];
  price?: number;
  stock?: number;
}

export async function makeProduct(t: TestTenant, o: ProductOverrides = {}): Promise<any> {
  const name = o.name ?? unique('Product');
  const body = {
    status: o.status ?? 'active',
    translations: o.translations ?? { [t.tenant.defaultLocale]: { name, description: `The ${name}` } },
    attributes: o.attributes ?? {},
    images: o.images ?? [],
    categoryIds: o.categoryIds ?? [],
    variants: o.variants ?? [{ sku: unique('SKU'), prices: [{ currency: t.tenant.defaultCurrency, amount: o.price ?? 1000 }], stock: o.stock ?? 5 }],
  };
  const res = await post('/admin/v1/products', body, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(201);
  return res.body;
}

export async function makeCategory(t: TestTenant, name: string, parentId?: string): Promise<any> {
  const res = await post('/admin/v1/categories', { names: { [t.tenant.defaultLocale]: name }, parentId: parentId ?? null }, { token: t.ownerToken });
  expect(res.status, res.text).to.equal(201);
  return res.body;
}

export function pointers(body: { errors?: { pointer: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.pointer);
}
