// Shared steps of the membership tests: a shop, customers, products, carts bought over HTTP,
// staff acts on orders, the member's view and its ledger rows read back.
import { expect } from 'chai';
import type { KitTenant, TestKit } from '@bazaar/sdk/testing';
import { scoped } from '@bazaar/sdk';
import { Member, PointsEntry } from '../../../plugins/membership/membership.model.js';
import { reconcile } from '../../../plugins/membership/ledger.js';

export const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

export interface BoughtOrder {
  id: string;
  number: number;
  totals: { subtotal: number; adjustments: number; shipping: number; tax: number; total: number };
  cartId: string;
  lines: { id: string; total: number; quantity: number; variantId: string }[];
  adjustments: { source: string; amount: number; code?: string; label: string }[];
}

export function steps(kit: TestKit) {
  let seq = 0;
  const next = () => `${++seq}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;

  async function product(t: KitTenant, price: number, stock = 50): Promise<string> {
    const res = await kit.post('/admin/v1/products', {
      status: 'active', translations: { en: { name: `P${next()}`, description: 'x' } }, attributes: {}, images: [], categoryIds: [],
      variants: [{ sku: `SKU-${next()}`, prices: [{ currency: 'USD', amount: price }], stock }],
    }, { token: t.ownerToken });
    expect(res.status, res.text).to.equal(201);
    return res.body.variants[0].id;
  }
  async function signup(t: KitTenant): Promise<{ token: string; email: string; password: string }> {
    const email = `c${next()}@example.com`;
    const password = 'correct horse battery staple';
    const res = await kit.post('/store/v1/auth/signup', { email, password, name: 'Ada' }, { tenant: t.slug });
    expect(res.status, res.text).to.equal(201);
    return { token: res.body.token, email, password };
  }
  const customer = async (t: KitTenant) => (await signup(t)).token;
  async function cart(t: KitTenant, token: string, lines: { variantId: string; quantity: number }[]): Promise<string> {
    const res = await kit.post('/store/v1/carts', {}, { tenant: t.slug, token });
    expect(res.status, res.text).to.be.oneOf([200, 201]);
    const cartId = res.body.cart.id;
    for (const l of lines) {
      const added = await kit.post(`/store/v1/carts/${cartId}/lines`, l, { tenant: t.slug, token });
      expect(added.status, added.text).to.equal(200);
    }
    return cartId;
  }
  async function hold(t: KitTenant, token: string, cartId: string, points: number, extra: Record<string, unknown> = {}) {
    return kit.put(`/store/v1/membership/carts/${cartId}/points`, { points, ...extra }, { tenant: t.slug, token });
  }
  async function checkout(t: KitTenant, token: string, cartId: string): Promise<BoughtOrder> {
    const res = await kit.post(`/store/v1/carts/${cartId}/checkout`, { shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, token });
    expect(res.status, res.text).to.equal(201);
    return { ...res.body.order, cartId };
  }
  async function buy(t: KitTenant, token: string, lines: { variantId: string; quantity: number }[], points?: number): Promise<BoughtOrder> {
    const cartId = await cart(t, token, lines);
    if (points) {
      const held = await hold(t, token, cartId, points);
      expect(held.status, held.text).to.equal(200);
    }
    return checkout(t, token, cartId);
  }
  const act = async (t: KitTenant, orderId: string, action: string, body: unknown = {}) => {
    const res = await kit.post(`/admin/v1/orders/${orderId}/${action}`, body, { token: t.ownerToken });
    expect(res.status, `${action}: ${res.text}`).to.be.oneOf([200, 201]);
    return res.body;
  };
  const ship = async (t: KitTenant, orderId: string) => {
    await act(t, orderId, 'shipments', { carrier: 'DHL', trackingNumber: `T${next()}` });
    await act(t, orderId, 'deliver');
  };
  const complete = async (t: KitTenant, orderId: string) => {
    await ship(t, orderId);
    await act(t, orderId, 'complete');
  };
  /** A return of some units, approved, received and refunded (its share); answers the refund. */
  const returnLines = async (t: KitTenant, orderId: string, lines: { lineId: string; quantity: number }[]) => {
    const r = await kit.post(`/admin/v1/orders/${orderId}/returns`, { lines, reason: 'no_longer_needed' }, { token: t.ownerToken });
    expect(r.status, r.text).to.equal(201);
    for (const step of ['approve', 'receive', 'refund']) {
      const res = await kit.post(`/admin/v1/returns/${r.body.id}/${step}`, {}, { token: t.ownerToken });
      expect(res.status, `${step}: ${res.text}`).to.equal(200);
    }
    return r.body.id as string;
  };
  const me = async (t: KitTenant, token: string) => {
    const res = await kit.get('/store/v1/membership/me', { tenant: t.slug, token });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  };
  const memberOf = async (t: KitTenant, token: string) => (await scoped(t.ctx, Member).findById((await me(t, token)).memberId))!;
  const entries = async (t: KitTenant, memberId: string, bizType?: string) => {
    const q = scoped(t.ctx, PointsEntry).where('member_id', memberId);
    if (bizType) q.where('biz_type', bizType);
    return q.orderBy('id');
  };
  const handledCount = async (t: KitTenant, subscriber: string) => {
    const rows = (await t.ctx.db('handled_events').where({ tenant_id: t.tenant.id, subscriber }).count({ c: '*' })) as { c: number | string }[];
    return Number(rows[0].c);
  };
  /** Waits until `subscriber` has handled `n` more events than `before`. */
  const handled = async (t: KitTenant, subscriber: string, n: number) => kit.waitFor(async () => (await handledCount(t, subscriber)) >= n, { what: `${n} ${subscriber}` });
  /** The store's daily job, run now through the Admin API (the schedule runs the same). */
  const daily = async (t: KitTenant) => {
    const res = await kit.post('/admin/v1/membership/jobs/daily', {}, { token: t.ownerToken });
    expect(res.status, res.text).to.equal(200);
    return res.body as { expired: { lots: number; points: number }; notices: number; terms: { renewed: number; down: number }; birthdays: number };
  };
  const clean = async (t: KitTenant) => expect((await reconcile(t.ctx)).mismatches).to.deep.equal([]);
  const setTiers = async (t: KitTenant, tiers: unknown[]) => {
    const res = await kit.put('/admin/v1/membership/tiers', { confirm: true, tiers }, { token: t.ownerToken });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  };
  const adjust = async (t: KitTenant, memberId: string, body: Record<string, unknown>, token = t.ownerToken) =>
    kit.post(`/admin/v1/membership/members/${memberId}/adjustments`, { reasonCode: 'goodwill', ...body }, { token });
  const mails = (to: string) => kit.logs.filter((l) => l.mail && l.mail.to === to).map((l) => l.mail as { to: string; subject: string; text: string });

  return { next, product, signup, customer, cart, hold, checkout, buy, act, ship, complete, returnLines, me, memberOf, entries, handled, handledCount, daily, clean, setTiers, adjust, mails };
}
