import { expect } from 'chai';
import { makeTenant, makeCustomer, makeStaff, type TestTenant } from '../support/factories.js';
import { get, post } from '../support/http.js';
import { runtime } from '../support/runtime.js';
import { scoped } from '../../core/db/model.js';
import { OutboxEvent } from '../../core/events/event.model.js';
import { adminAct, deliveredOrder, makeVariant, placeOrder, stockOf } from './support.js';

async function eventsOf(t: TestTenant, orderId: string): Promise<string[]> {
  const rows = await scoped(t.ctx, OutboxEvent).orderBy('id');
  return rows.filter((r) => (r.payload as { orderId?: string }).orderId === orderId).map((r) => r.type);
}

describe('orders', () => {
  let shop: TestTenant;
  let ownerId: string;
  before(async () => {
    shop = await makeTenant();
    ownerId = (await get('/admin/v1/me', { token: shop.ownerToken })).body.staff.id;
  });

  it("reads an order's view (staff and customer) in one transaction: the order and its payments from one snapshot", async () => {
    const v = await makeVariant(shop, { stock: 10 });
    const { order, orderToken } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
    const knexes = (await runtime()).kernel.pool.all();
    const seen: { sql: string; tx: string | undefined }[] = [];
    const record = (q: { sql: string; __knexTxId?: string }) => seen.push({ sql: q.sql, tx: q.__knexTxId });
    for (const k of knexes) k.on('query', record);
    const reads: Record<string, { sql: string; tx: string | undefined }[]> = {};
    try {
      for (const [who, call] of [
        ['staff', () => get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken })],
        ['guest', () => get(`/store/v1/orders/${order.id}`, { tenant: shop.slug, headers: { 'x-order-token': orderToken } })],
      ] as const) {
        seen.length = 0;
        const res = await call();
        expect(res.status, res.text).to.equal(200);
        expect(res.body.id ?? res.body.order?.id).to.equal(order.id);
        reads[who] = seen.filter((q) => /from [`"](orders|payments|order_lines|order_history)[`"]/.test(q.sql));
      }
    } finally {
      for (const k of knexes) k.off('query', record);
    }
    for (const [who, list] of Object.entries(reads)) {
      expect(list.map((q) => q.sql.match(/from [`"](\w+)[`"]/)![1]), who).to.include.members(['orders', 'payments', 'order_lines', 'order_history']);
      const txs = new Set(list.map((q) => q.tx));
      expect(txs.size, `${who}: one transaction for every read`).to.equal(1);
      expect([...txs][0], `${who}: in a transaction`).to.be.a('string');
    }
  });

  describe('the state machine', () => {
    it('ships what was packed when POST /shipments names no fulfilment', async () => {
      const v = await makeVariant(shop, { stock: 10 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 3 }]);
      expect((await adminAct(shop, order.id, 'confirm-payment', {})).status).to.equal(200);
      const packed = await adminAct(shop, order.id, 'fulfilments', {});
      expect(packed.status, packed.text).to.equal(201);
      const shipped = await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'PACKED-1' });
      expect(shipped.status, shipped.text).to.equal(201);
      expect(shipped.body.fulfilmentId).to.equal(packed.body.id);
      const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.status).to.equal('shipped');
      expect(view.body.fulfilments).to.have.length(1);
    });

    it('asks which parcel to ship when several are packed', async () => {
      const v = await makeVariant(shop, { stock: 10 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 2 }]);
      expect((await adminAct(shop, order.id, 'confirm-payment', {})).status).to.equal(200);
      const lineId = order.lines[0].id;
      for (let i = 0; i < 2; i++) expect((await adminAct(shop, order.id, 'fulfilments', { lines: [{ lineId, quantity: 1 }] })).status).to.equal(201);
      const res = await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'TWO-1' });
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('FULFILMENT_REQUIRED');
      expect(res.body.errors[0].pointer).to.equal('/fulfilmentId');
    });

    it('walks an order from payment to completion in parcels, with a timeline of who did what', async () => {
      const a = await makeVariant(shop, { price: 1000, stock: 10 });
      const b = await makeVariant(shop, { price: 500, stock: 10 });
      const { order, orderToken } = await placeOrder(shop, [{ variantId: a, quantity: 2 }, { variantId: b, quantity: 1 }]);

      const early = await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'X1' });
      expect(early.status).to.equal(409);
      expect(early.body).to.include({ code: 'ORDER_STATE_CONFLICT', currentState: 'pending_payment' });
      expect(early.body.title).to.include('pending_payment');

      const paid = await adminAct(shop, order.id, 'confirm-payment', { note: 'transfer ref 42' });
      expect(paid.status, paid.text).to.equal(200);
      expect(paid.body).to.include({ status: 'paid', paymentStatus: 'paid' });
      expect(paid.body.totals.paid).to.equal(2500);

      const lineA = order.lines.find((l: { variantId: string }) => l.variantId === a).id;
      const f = await adminAct(shop, order.id, 'fulfilments', { lines: [{ lineId: lineA, quantity: 2 }] });
      expect(f.status, f.text).to.equal(201);
      const first = await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'JD0001', trackingUrl: 'https://track.example/JD0001', fulfilmentId: f.body.id });
      expect(first.status, first.text).to.equal(201);
      expect(first.body).to.include({ carrier: 'DHL', trackingNumber: 'JD0001', status: 'in_transit' });
      let view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.status).to.equal('fulfilling');
      expect(await stockOf(shop, a)).to.include({ onHand: 8, reserved: 0 });
      expect(await stockOf(shop, b)).to.include({ onHand: 10, reserved: 1 });

      const again = await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'JD0001', fulfilmentId: f.body.id });
      expect(again.body.code).to.equal('FULFILMENT_ALREADY_SHIPPED');
      const rest = await adminAct(shop, order.id, 'shipments', { carrier: 'UPS', trackingNumber: '1Z999' });
      expect(rest.status, rest.text).to.equal(201);
      view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.status).to.equal('shipped');
      expect(view.body.shipments.map((s: { carrier: string; trackingNumber: string }) => `${s.carrier}:${s.trackingNumber}`)).to.deep.equal(['DHL:JD0001', 'UPS:1Z999']);
      expect(view.body.fulfilments).to.have.length(2);
      expect((await adminAct(shop, order.id, 'fulfilments', {})).body.code).to.be.oneOf(['ORDER_STATE_CONFLICT', 'NOTHING_TO_FULFIL']);

      expect((await adminAct(shop, order.id, 'complete')).body).to.include({ code: 'ORDER_STATE_CONFLICT', currentState: 'shipped' });
      expect((await adminAct(shop, order.id, 'deliver')).body.status).to.equal('delivered');
      const done = await adminAct(shop, order.id, 'complete');
      expect(done.body).to.include({ status: 'completed' });
      expect(done.body.completedAt).to.be.a('string');

      const statuses = done.body.timeline.filter((e: { kind: string }) => e.kind === 'status' || e.kind === 'placed').map((e: { to: string }) => e.to);
      expect(statuses).to.deep.equal(['pending_payment', 'paid', 'fulfilling', 'shipped', 'delivered', 'completed']);
      for (const e of done.body.timeline.filter((x: { kind: string }) => x.kind === 'status')) expect(e.actor).to.deep.equal({ type: 'staff', id: ownerId });
      expect(done.body.timeline.find((e: { kind: string }) => e.kind === 'placed').actor.type).to.equal('guest');

      const customer = await get(`/store/v1/orders/${order.id}`, { tenant: shop.slug, headers: { 'x-order-token': orderToken } });
      expect(customer.body.status).to.equal('completed');
      expect(customer.body.shipments[0]).to.include({ carrier: 'DHL', trackingNumber: 'JD0001', trackingUrl: 'https://track.example/JD0001' });
      expect(customer.body.timeline.every((e: { actor?: unknown }) => e.actor === undefined)).to.equal(true);
      expect(customer.body.timeline.map((e: { kind: string }) => e.kind)).to.include('shipment');
      expect(customer.body).not.to.have.property('payments');

      expect(await eventsOf(shop, order.id)).to.deep.equal([
        'order.placed', 'order.paid', 'fulfilment.created', 'shipment.created', 'fulfilment.created', 'shipment.created', 'order.shipped', 'order.delivered', 'order.completed',
      ]);
    });

    it('takes partial payments and refuses to take more than is owed', async () => {
      const v = await makeVariant(shop, { price: 3000 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const part = await adminAct(shop, order.id, 'confirm-payment', { amount: 1000 });
      expect(part.body).to.include({ status: 'pending_payment', paymentStatus: 'partially_paid' });
      const over = await adminAct(shop, order.id, 'confirm-payment', { amount: 2001 });
      expect(over.status).to.equal(409);
      expect(over.body).to.include({ code: 'AMOUNT_EXCEEDS_OUTSTANDING', outstanding: 2000 });
      expect((await adminAct(shop, order.id, 'confirm-payment', { amount: 0 })).status).to.equal(400);
      expect((await adminAct(shop, order.id, 'confirm-payment', { amount: 2000 })).body).to.include({ status: 'paid', paymentStatus: 'paid' });
      // Capture on a paid order is a successful no-op (payments.md REQ 7): nothing moves, nothing is emitted.
      const again = await adminAct(shop, order.id, 'confirm-payment', {});
      expect(again.status, again.text).to.equal(200);
      expect(again.body).to.include({ status: 'paid', paymentStatus: 'paid' });
      expect(again.body.totals.paid).to.equal(3000);
      expect((await adminAct(shop, order.id, 'confirm-payment', { amount: 500 })).body.totals.paid).to.equal(3000);
      expect(await eventsOf(shop, order.id)).to.deep.equal(['order.placed', 'order.paid']);
    });

    it('confirms a payment once however often the same Idempotency-Key is sent', async () => {
      const v = await makeVariant(shop, { price: 700 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const results = await Promise.all(Array.from({ length: 5 }, () => adminAct(shop, order.id, 'confirm-payment', {}, { 'idempotency-key': `pay-${order.id}` })));
      expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
      const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.totals.paid).to.equal(700);
      expect(view.body.timeline.filter((e: { kind: string; message: string }) => e.kind === 'payment' && e.message.includes('received'))).to.have.length(1);
      expect(view.body.payments[0]).to.include({ authorizedAmount: 700, capturedAmount: 700 });
    });

    it('lets one of two simultaneous staff acts win and tells the other the state it found', async () => {
      const v = await makeVariant(shop);
      const { order } = await deliveredOrder(shop, [{ variantId: v, quantity: 1 }]);
      const [x, y] = await Promise.all([adminAct(shop, order.id, 'complete'), adminAct(shop, order.id, 'complete')]);
      expect([x.status, y.status].sort()).to.deep.equal([200, 409]);
      expect([x, y].find((r) => r.status === 409)!.body.currentState).to.equal('completed');
    });

    it('ships cash-on-delivery orders before payment and completes them only once paid', async () => {
      const v = await makeVariant(shop, { price: 1200, stock: 3 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }], { method: 'cash_on_delivery' });
      expect((await adminAct(shop, order.id, 'shipments', { carrier: 'SF', trackingNumber: 'SF100' })).status).to.equal(201);
      expect((await adminAct(shop, order.id, 'deliver')).body).to.include({ status: 'delivered', paymentStatus: 'authorized' });
      const early = await adminAct(shop, order.id, 'complete');
      expect(early.status).to.equal(409);
      expect(early.body.code).to.equal('ORDER_NOT_PAID');
      const cash = await adminAct(shop, order.id, 'confirm-payment', { note: 'courier collected cash' });
      expect(cash.body).to.include({ status: 'delivered', paymentStatus: 'paid' });
      expect((await adminAct(shop, order.id, 'complete')).body.status).to.equal('completed');
      expect(await eventsOf(shop, order.id)).to.include('order.paid');
    });
  });

  describe('cancelling', () => {
    it('gives reserved stock back and releases the payment of an unpaid order', async () => {
      const v = await makeVariant(shop, { stock: 4 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 3 }]);
      expect(await stockOf(shop, v)).to.include({ available: 1 });
      const res = await adminAct(shop, order.id, 'cancel', { reason: 'customer called' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ status: 'cancelled', paymentStatus: 'unpaid' });
      expect(res.body.payments[0].status).to.equal('cancelled');
      expect(await stockOf(shop, v)).to.include({ onHand: 4, reserved: 0, available: 4 });
      expect((await adminAct(shop, order.id, 'cancel')).body).to.include({ code: 'ORDER_STATE_CONFLICT', currentState: 'cancelled' });
      expect((await adminAct(shop, order.id, 'confirm-payment')).body.currentState).to.equal('cancelled');
      expect(await eventsOf(shop, order.id)).to.deep.equal(['order.placed', 'order.cancelled']);
    });

    it('refunds what was paid when a paid order is cancelled', async () => {
      const v = await makeVariant(shop, { price: 2500, stock: 2 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 2 }]);
      await adminAct(shop, order.id, 'confirm-payment');
      const res = await adminAct(shop, order.id, 'cancel', {});
      expect(res.body).to.include({ status: 'cancelled', paymentStatus: 'refunded' });
      expect(res.body.totals).to.include({ paid: 5000, refunded: 5000 });
      expect(res.body.refunds).to.have.length(1);
      expect(res.body.refunds[0]).to.include({ amount: 5000, status: 'succeeded' });
      expect(await stockOf(shop, v)).to.include({ reserved: 0, available: 2 });
      expect(await eventsOf(shop, order.id)).to.deep.equal(['order.placed', 'order.paid', 'order.cancelled', 'refund.issued']);
    });

    it('lets a customer cancel only an order not yet paid, and never a shipped one', async () => {
      const customer = await makeCustomer(shop);
      const v = await makeVariant(shop, { stock: 5 });
      const unpaid = await placeOrder(shop, [{ variantId: v, quantity: 1 }], { customerToken: customer.token });
      const mine = await post(`/store/v1/orders/${unpaid.order.id}/cancel`, {}, { tenant: shop.slug, token: customer.token });
      expect(mine.status, mine.text).to.equal(200);
      expect(mine.body.status).to.equal('cancelled');
      const paid = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      await adminAct(shop, paid.order.id, 'confirm-payment');
      const refused = await post(`/store/v1/orders/${paid.order.id}/cancel`, {}, { tenant: shop.slug, headers: { 'x-order-token': paid.orderToken } });
      expect(refused.status).to.equal(409);
      expect(refused.body.currentState).to.equal('paid');
      expect((await post(`/store/v1/orders/${paid.order.id}/cancel`, {}, { tenant: shop.slug })).status).to.equal(404);
      await adminAct(shop, paid.order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'Z1' });
      expect((await adminAct(shop, paid.order.id, 'cancel')).body.currentState).to.equal('shipped');
    });
  });

  describe('hold and release', () => {
    it('holds an order for review; money may arrive meanwhile; release puts it where it belongs', async () => {
      const v = await makeVariant(shop);
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      expect((await adminAct(shop, order.id, 'hold', {})).status).to.equal(400);
      const held = await adminAct(shop, order.id, 'hold', { reason: 'address looks odd' });
      expect(held.body).to.include({ status: 'on_hold', heldFrom: 'pending_payment', holdReason: 'address looks odd' });
      expect((await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'A' })).body.currentState).to.equal('on_hold');
      expect((await adminAct(shop, order.id, 'confirm-payment')).body).to.include({ status: 'on_hold', paymentStatus: 'paid' });
      const released = await adminAct(shop, order.id, 'release', { note: 'checked by phone' });
      expect(released.body).to.include({ status: 'paid', heldFrom: null, holdReason: null });
      expect((await adminAct(shop, order.id, 'release')).body).to.include({ code: 'ORDER_STATE_CONFLICT', currentState: 'paid' });
      expect(await eventsOf(shop, order.id)).to.deep.equal(['order.placed', 'order.held', 'order.paid', 'order.released']);
    });

    it('lets staff cancel a held order', async () => {
      const v = await makeVariant(shop, { stock: 1 });
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      await adminAct(shop, order.id, 'hold', { reason: 'velocity' });
      expect((await adminAct(shop, order.id, 'cancel', { reason: 'fraud' })).body.status).to.equal('cancelled');
      expect(await stockOf(shop, v)).to.include({ available: 1 });
    });
  });

  describe('GET /admin/v1/orders', () => {
    it('lists newest first with keyset pages and filters by status, customer, email and date', async () => {
      const t = await makeTenant();
      const customer = await makeCustomer(t);
      const v = await makeVariant(t, { stock: 20 });
      const a = await placeOrder(t, [{ variantId: v, quantity: 1 }]);
      const b = await placeOrder(t, [{ variantId: v, quantity: 1 }], { customerToken: customer.token });
      const c = await placeOrder(t, [{ variantId: v, quantity: 1 }]);
      await adminAct(t, b.order.id, 'confirm-payment');
      const p1 = await get('/admin/v1/orders?limit=2', { token: t.ownerToken });
      expect(p1.body.items.map((o: { id: string }) => o.id)).to.deep.equal([c.order.id, b.order.id]);
      const p2 = await get(`/admin/v1/orders?limit=2&cursor=${p1.body.nextCursor}`, { token: t.ownerToken });
      expect(p2.body.items.map((o: { id: string }) => o.id)).to.deep.equal([a.order.id]);
      expect(p2.body.nextCursor).to.equal(null);
      const paid = await get('/admin/v1/orders?status=paid', { token: t.ownerToken });
      expect(paid.body.items.map((o: { id: string }) => o.id)).to.deep.equal([b.order.id]);
      expect((await get(`/admin/v1/orders?customerId=${customer.id}`, { token: t.ownerToken })).body.items).to.have.length(1);
      expect((await get('/admin/v1/orders?email=ADA@example.com', { token: t.ownerToken })).body.items).to.have.length(3);
      expect((await get('/admin/v1/orders?email=bob@example.com', { token: t.ownerToken })).body.items).to.have.length(0);
      const future = new Date(Date.now() + 60_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      expect((await get(`/admin/v1/orders?placedFrom=${future}`, { token: t.ownerToken })).body.items).to.have.length(0);
      expect((await get(`/admin/v1/orders?placedFrom=${past}&placedTo=${future}`, { token: t.ownerToken })).body.items).to.have.length(3);
      for (const q of ['status=lost', 'cursor=%%%', 'limit=1000', 'customerId=nope', 'placedFrom=yesterday', 'colour=red']) {
        expect((await get(`/admin/v1/orders?${q}`, { token: t.ownerToken })).status, q).to.equal(400);
      }
    });

    it('lets a viewer read but not act, and answers 404 for an unknown order', async () => {
      const v = await makeVariant(shop);
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const viewer = await makeStaff(shop, 'viewer');
      expect((await get(`/admin/v1/orders/${order.id}`, { token: viewer.token })).status).to.equal(200);
      const denied = await post(`/admin/v1/orders/${order.id}/confirm-payment`, {}, { token: viewer.token });
      expect(denied.status).to.equal(403);
      expect(denied.body.permission).to.equal('orders:write');
      const staff = await makeStaff(shop, 'staff');
      expect((await post(`/admin/v1/orders/${order.id}/hold`, { reason: 'check' }, { token: staff.token })).status).to.equal(200);
      expect((await get('/admin/v1/orders/01a00000-0000-7000-8000-000000000000', { token: shop.ownerToken })).status).to.equal(404);
      expect((await get('/admin/v1/orders/not-an-id', { token: shop.ownerToken })).status).to.equal(400);
      expect((await get('/admin/v1/orders', {})).status).to.equal(401);
    });

    it('keeps staff notes off the customer view', async () => {
      const v = await makeVariant(shop);
      const { order, orderToken } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const noted = await adminAct(shop, order.id, 'notes', { message: 'VIP, gift wrap' });
      expect(noted.body.timeline.map((e: { message: string }) => e.message)).to.include('VIP, gift wrap');
      expect((await adminAct(shop, order.id, 'notes', { message: '' })).status).to.equal(400);
      const customer = await get(`/store/v1/orders/${order.id}`, { tenant: shop.slug, headers: { 'x-order-token': orderToken } });
      expect(customer.text).not.to.include('gift wrap');
    });

    it('refuses unknown fields and malformed values on every staff act', async () => {
      const v = await makeVariant(shop);
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      const cases: [string, unknown][] = [
        ['confirm-payment', { amount: -5 }], ['confirm-payment', { amount: '10' }], ['deliver', { when: 'now' }], ['complete', { x: 1 }],
        ['cancel', { reason: '' }], ['cancel', { reason: 'x'.repeat(501) }], ['hold', { reason: 5 }], ['release', { note: '' }],
        ['notes', {}], ['fulfilments', { lines: [] }], ['fulfilments', { lines: [{ lineId: order.lines[0].id, quantity: 0 }] }],
        ['refunds', {}], ['refunds', { amount: 1, currency: 'USD' }], ['returns', { lines: [{ lineId: order.lines[0].id, quantity: 1 }], reason: 'meh' }],
      ];
      for (const [action, body] of cases) {
        const res = await adminAct(shop, order.id, action, body);
        expect(res.status, `${action} ${JSON.stringify(body)}`).to.equal(400);
        expect(res.body.code).to.equal('VALIDATION_FAILED');
      }
      const view = await get(`/admin/v1/orders/${order.id}`, { token: shop.ownerToken });
      expect(view.body.status).to.equal('pending_payment');
      for (const action of ['approve', 'receive', 'refund']) {
        expect((await post(`/admin/v1/returns/01a00000-0000-7000-8000-000000000000/${action}`, { surprise: 1 }, { token: shop.ownerToken })).status, action).to.equal(400);
        expect((await post(`/admin/v1/returns/01a00000-0000-7000-8000-000000000000/${action}`, {}, { token: shop.ownerToken })).status, action).to.equal(404);
      }
    });

    it('refuses malformed shipments', async () => {
      const v = await makeVariant(shop);
      const { order } = await placeOrder(shop, [{ variantId: v, quantity: 1 }]);
      await adminAct(shop, order.id, 'confirm-payment');
      for (const body of [{}, { carrier: 'DHL' }, { carrier: 'DHL', trackingNumber: 'bad\nnumber' }, { carrier: 'DHL', trackingNumber: 'A1', trackingUrl: 'javascript:alert(1)' }]) {
        expect((await adminAct(shop, order.id, 'shipments', body)).status, JSON.stringify(body)).to.equal(400);
      }
      expect((await adminAct(shop, order.id, 'shipments', { carrier: 'DHL', trackingNumber: 'A1', fulfilmentId: '01a00000-0000-7000-8000-000000000000' })).status).to.equal(404);
      const over = await adminAct(shop, order.id, 'fulfilments', { lines: [{ lineId: order.lines[0].id, quantity: 2 }] });
      expect(over.status).to.equal(409);
      expect(over.body.code).to.equal('FULFILMENT_EXCEEDS_ORDERED');
    });
  });
});
