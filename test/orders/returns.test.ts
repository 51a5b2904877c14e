import { expect } from 'chai';
import { makeTenant, makeCustomer, type TestTenant } from '../support/factories.js';
import { get, post, type Res } from '../support/http.js';
import { scoped } from '../../core/db/model.js';
import { OutboxEvent } from '../../core/events/event.model.js';
import { adminAct, deliveredOrder, makeVariant, placeOrder, stockOf } from './support.js';

const returnAct = (t: TestTenant, id: string, action: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  post(`/admin/v1/returns/${id}/${action}`, body, { token: t.ownerToken, headers });

function requestReturn(t: TestTenant, orderId: string, orderToken: string, body: unknown): Promise<Res> {
  return post(`/store/v1/orders/${orderId}/returns`, body, { tenant: t.slug, headers: { 'x-order-token': orderToken } });
}

describe('returns and refunds', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant({ taxMode: 'exclusive', taxRateBp: 825 });
  });

  it('returns a line in parts whose refunds add up to exactly what was paid for it, each step visible to the customer', async () => {
    const v = await makeVariant(shop, { price: 1001, stock: 5 });
    const { order, orderToken } = await deliveredOrder(shop, [{ variantId: v, quantity: 2 }]);
    // 2002 + 8.25% tax (165.165 -> 165) = 2167
    expect(order.totals.total).to.equal(2167);
    const lineId = order.lines[0].id;

    const first = await requestReturn(shop, order.id, orderToken, { lines: [{ lineId, quantity: 1 }], reason: 'damaged', note: 'box crushed' });
    expect(first.status, first.text).to.equal(201);
    expect(first.body).to.include({ status: 'requested', reason: 'damaged', note: 'box crushed', refundAmount: 1084 });
    expect((await returnAct(shop, first.body.id, 'approve', { note: 'send it back' })).body).to.include({ status: 'approved', response: 'send it back' });
    const received = await returnAct(shop, first.body.id, 'receive', {});
    expect(received.body).to.include({ status: 'received', restocked: true });
    expect(await stockOf(shop, v)).to.include({ onHand: 4, reserved: 0 });
    const refunded = await returnAct(shop, first.body.id, 'refund', {});
    expect(refunded.status, refunded.text).to.equal(200);
    expect(refunded.body).to.include({ status: 'refunded', refundAmount: 1084 });

    let view = await get(`/store/v1/orders/${order.id}`, { tenant: shop.slug, headers: { 'x-order-token': orderToken } });
    expect(view.body).to.include({ status: 'delivered', paymentStatus: 'partially_refunded' });
    expect(view.body.totals).to.include({ paid: 2167, refunded: 1084 });
    const r = view.body.returns[0];
    for (const step of ['requestedAt', 'approvedAt', 'receivedAt', 'refundedAt']) expect(r[step], step).to.be.a('string');
    expect(view.body.lines[0].returnedQuantity).to.equal(1);

    const second = await requestReturn(shop, order.id, orderToken, { lines: [{ lineId, quantity: 1 }], reason: 'no_longer_needed' });
    expect(second.body.refundAmount).to.equal(1083);
    await returnAct(shop, second.body.id, 'approve');
    await returnAct(shop, second.body.id, 'receive', { restock: false });
    expect(await stockOf(shop, v)).to.include({ onHand: 4 });
    await returnAct(shop, second.body.id, 'refund');
    view = await get(`/store/v1/orders/${order.id}`, { tenant: shop.slug, headers: { 'x-order-token': orderToken } });
    expect(view.body).to.include({ status: 'refunded', paymentStatus: 'refunded' });
    expect(view.body.totals).to.include({ paid: 2167, refunded: 2167 });
    expect(view.body.refunds.map((x: { amount: number }) => x.amount)).to.deep.equal([1084, 1083]);

    const types = (await scoped(shop.ctx, OutboxEvent).orderBy('id')).filter((e) => (e.payload as { orderId?: string }).orderId === order.id).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('return.') || t.startsWith('refund.') || t === 'order.refunded')).to.deep.equal([
      'return.requested', 'return.approved', 'return.received', 'refund.issued',
      'return.requested', 'return.approved', 'return.received', 'refund.issued', 'order.refunded',
    ]);
  });

  it('never takes back more than shipped; a rejected return frees its units', async () => {
    const v = await makeVariant(shop, { stock: 5 });
    const { order, orderToken } = await deliveredOrder(shop, [{ variantId: v, quantity: 2 }]);
    const lineId = order.lines[0].id;
    const tooMany = await requestReturn(shop, order.id, orderToken, { lines: [{ lineId, quantity: 3 }], reason: 'other' });
    expect(tooMany.status).to.equal(409);
    expect(tooMany.body).to.include({ code: 'RETURN_EXCEEDS_SHIPPED', returnable: 2 });
    const both = await requestReturn(shop, order.id, orderToken, { lines: [{ lineId, quantity: 2 }], reason: 'other' });
    expect(both.status).to.equal(201);
    expect((await requestReturn(shop, order.id, orderToken, { lines: [{ lineId, quantity: 1 }], reason: 'other' })).body.returnable).to.equal(0);
    const rejected = await returnAct(shop, both.body.id, 'reject', { reason: 'outside the return window' });
    expect(rejected.body).to.include({ status: 'rejected', response: 'outside the return window' });
    expect((await returnAct(shop, both.body.id, 'approve')).body).to.include({ code: 'RETURN_STATE_CONFLICT', currentState: 'rejected' });
    expect((await requestReturn(shop, order.id, orderToken, { lines: [{ lineId, quantity: 2 }], reason: 'other' })).status).to.equal(201);
  });

  it('refuses returns of orders not shipped, strangers, and malformed requests', async () => {
    const v = await makeVariant(shop);
    const pending = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
    const early = await requestReturn(shop, pending.order.id, pending.orderToken, { lines: [{ lineId: pending.order.lines[0].id, quantity: 1 }], reason: 'other' });
    expect(early.status).to.equal(409);
    expect(early.body.currentState).to.equal('pending_payment');
    const { order, orderToken } = await deliveredOrder(shop, [{ variantId: v, quantity: 1 }]);
    const lineId = order.lines[0].id;
    expect((await post(`/store/v1/orders/${order.id}/returns`, { lines: [{ lineId, quantity: 1 }], reason: 'other' }, { tenant: shop.slug })).status).to.equal(404);
    const stranger = await makeCustomer(shop);
    expect((await post(`/store/v1/orders/${order.id}/returns`, { lines: [{ lineId, quantity: 1 }], reason: 'other' }, { tenant: shop.slug, token: stranger.token })).status).to.equal(404);
    for (const body of [
      { lines: [], reason: 'other' },
      { lines: [{ lineId, quantity: 1 }], reason: 'bored' },
      { lines: [{ lineId, quantity: 0 }], reason: 'other' },
      { lines: [{ lineId, quantity: 1 }] },
      { lines: [{ lineId, quantity: 1 }, { lineId, quantity: 1 }], reason: 'other' },
    ]) {
      expect((await requestReturn(shop, order.id, orderToken, body)).status, JSON.stringify(body)).to.equal(400);
    }
    const wrongLine = await requestReturn(shop, order.id, orderToken, { lines: [{ lineId: pending.order.lines[0].id, quantity: 1 }], reason: 'other' });
    expect(wrongLine.status).to.equal(404);
    expect(wrongLine.body.code).to.equal('ORDER_LINE_NOT_FOUND');
  });

  it('keeps each return step in order', async () => {
    const v = await makeVariant(shop);
    const { order } = await deliveredOrder(shop, [{ variantId: v, quantity: 1 }]);
    const opened = await post(`/admin/v1/orders/${order.id}/returns`, { lines: [{ lineId: order.lines[0].id, quantity: 1 }], reason: 'wrong_item' }, { token: shop.ownerToken });
    expect(opened.status, opened.text).to.equal(201);
    const id = opened.body.id;
    expect((await returnAct(shop, id, 'receive')).body).to.include({ code: 'RETURN_STATE_CONFLICT', currentState: 'requested' });
    expect((await returnAct(shop, id, 'refund')).body.currentState).to.equal('requested');
    expect((await returnAct(shop, id, 'reject', {})).status).to.equal(400);
    await returnAct(shop, id, 'approve');
    expect((await returnAct(shop, id, 'approve')).body.currentState).to.equal('approved');
    const twice = await Promise.all([returnAct(shop, id, 'refund'), returnAct(shop, id, 'refund')]);
    expect(twice.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
    expect(view.body.refunds).to.have.length(1);
    const list = await get(`/admin/v1/returns?status=refunded&orderId=${order.id}`, { token: shop.ownerToken });
    expect(list.body.items.map((r: { id: string }) => r.id)).to.deep.equal([id]);
    expect((await get(`/admin/v1/returns/${id}`, { token: shop.ownerToken })).body.status).to.equal('refunded');
    expect((await get('/admin/v1/returns/01a00000-0000-7000-8000-000000000000', { token: shop.ownerToken })).status).to.equal(404);
    expect((await get('/admin/v1/returns?status=lost', { token: shop.ownerToken })).status).to.equal(400);
  });

  describe('POST /admin/v1/orders/:id/refunds', () => {
    it('refunds in parts, never more than was paid, even when refunds race', async () => {
      const v = await makeVariant(shop, { price: 1000 });
      const { order } = await deliveredOrder(shop, [{ variantId: v, quantity: 1 }]);
      const paid = order.totals.total; // 1083 with tax
      expect((await adminAct(shop, order.id, 'refunds', { amount: paid + 1 })).body).to.include({ code: 'REFUND_EXCEEDS_PAID', refundable: paid });
      expect((await adminAct(shop, order.id, 'refunds', { amount: 0 })).status).to.equal(400);
      expect((await adminAct(shop, order.id, 'refunds', { amount: 1.5 })).status).to.equal(400);
      const first = await adminAct(shop, order.id, 'refunds', { amount: 83, reason: 'shipping was late' });
      expect(first.status, first.text).to.equal(201);
      expect(first.body).to.include({ amount: 83, status: 'succeeded', reason: 'shipping was late' });
      const racing = await Promise.all(Array.from({ length: 5 }, () => adminAct(shop, order.id, 'refunds', { amount: 400 })));
      expect(racing.filter((r) => r.status === 201)).to.have.length(2);
      expect(racing.filter((r) => r.status === 409)).to.have.length(3);
      const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.totals).to.include({ paid, refunded: 883 });
      expect(view.body.payments[0]).to.include({ capturedAmount: paid, refundedAmount: 883 });
      expect(view.body.status).to.equal('delivered');
      const rest = await adminAct(shop, order.id, 'refunds', { amount: paid - 883 }, { 'idempotency-key': `rest-${order.id}` });
      expect(rest.status).to.equal(201);
      const replay = await adminAct(shop, order.id, 'refunds', { amount: paid - 883 }, { 'idempotency-key': `rest-${order.id}` });
      expect(replay.body.id).to.equal(rest.body.id);
      const done = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(done.body).to.include({ status: 'refunded', paymentStatus: 'refunded' });
      expect((await adminAct(shop, order.id, 'refunds', { amount: 1 })).body.code).to.equal('REFUND_EXCEEDS_PAID');
    });

    it('has nothing to refund on an unpaid order', async () => {
      const v = await makeVariant(shop);
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const res = await adminAct(shop, order.id, 'refunds', { amount: 100 });
      expect(res.status).to.equal(409);
      expect(res.body).to.include({ code: 'REFUND_EXCEEDS_PAID', refundable: 0 });
    });
  });
});
