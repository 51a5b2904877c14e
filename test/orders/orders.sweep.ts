// Victim data for the cross-tenant sweep: an open guest cart with a line, a delivered order with
// a payment, fulfilment and shipment, a refunded return and an open one, a webhook receipt, a
// stored webhook notification and
// checkout settings, so every orders table holds victim rows and every orders route is tried.
import { expect } from 'chai';
import { addSweepFixture } from '../support/sweep.js';
import { get, patch, post } from '../support/http.js';
import { scoped } from '../../core/db/model.js';
import { Cart, CartLine, PaymentWebhookEvent, PaymentWebhookInbox, Return } from '../../core/orders/order.model.js';
import { ADDRESS, addLine, deliveredOrder, makeCart, makeVariant } from './support.js';

const VICTIM_RATE = { enabled: true, label: 'Victim Courier', amounts: { USD: 777 }, freeAbove: {}, countries: [] };

// Filled in by seed(): the sweep sends the victim's real cart token and order line ids.
const mergeBody = { cartId: '01a00000-0000-7000-8000-000000000000', token: 'x' };
const returnBody = { lines: [{ lineId: '01a00000-0000-7000-8000-000000000000', quantity: 1 }], reason: 'other' };

addSweepFixture({
  name: 'orders',
  async seed(victim) {
    expect((await patch('/admin/v1/checkout-settings', { shipping: { flatRate: VICTIM_RATE } }, { token: victim.ownerToken })).status).to.equal(200);
    const variant = await makeVariant(victim, { price: 4321, stock: 20 });
    const cart = await makeCart(victim);
    Object.assign(mergeBody, { cartId: cart.id, token: cart.token });
    const withLine = await addLine(victim, cart, variant, 2);
    const { order } = await deliveredOrder(victim, [{ variantId: variant, quantity: 3 }]);
    const lineId = order.lines[0].id;
    returnBody.lines[0].lineId = lineId;
    const refunded = await post(`/admin/v1/orders/${order.id}/returns`, { lines: [{ lineId, quantity: 1 }], reason: 'damaged', note: 'victim return note' }, { token: victim.ownerToken });
    for (const step of ['approve', 'receive', 'refund']) expect((await post(`/admin/v1/returns/${refunded.body.id}/${step}`, {}, { token: victim.ownerToken })).status).to.equal(200);
    const open = await post(`/admin/v1/orders/${order.id}/returns`, { lines: [{ lineId, quantity: 1 }], reason: 'other' }, { token: victim.ownerToken });
    expect(open.status).to.equal(201);
    await scoped(victim.ctx, PaymentWebhookEvent).insert({ provider: 'offline', eventId: 'victim-event', paymentId: null, type: 'captured', createdAt: new Date().toISOString() });
    // A stored gateway notification (applied): the inbox is tenant-owned like the receipts.
    await scoped(victim.ctx, PaymentWebhookInbox).insert({
      provider: 'offline', notificationId: 'victim-notification', headers: { 'content-type': 'application/json' }, rawBody: '{"victim":"inbox-marker"}', actions: [], attempts: 1, lastError: null,
      receivedAt: new Date().toISOString(), processedAt: new Date().toISOString(),
    });
    const detail = await get(`/admin/v1/orders/${order.id}`, { token: victim.ownerToken });
    return {
      ids: { carts: cart.id, lineId: withLine.body.lines[0].id, orders: order.id, returns: open.body.id, provider: 'offline' },
      secrets: [cart.id, cart.token!, order.id, lineId, open.body.id, refunded.body.id, 'victim return note', 'Victim Courier', detail.body.shipments[0].trackingNumber, detail.body.payments[0].id, 'inbox-marker'],
    };
  },
  bodies: {
    'POST /store/v1/carts/:id/lines': { variantId: '01a00000-0000-7000-8000-000000000000', quantity: 1 },
    'PATCH /store/v1/carts/:id': { email: 'sweeper@example.com', shippingAddress: ADDRESS },
    'PATCH /store/v1/carts/:id/lines/:lineId': { quantity: 5 },
    'POST /store/v1/carts/:id/checkout': { email: 'sweeper@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } },
    'POST /store/v1/me/cart/merge': mergeBody,
    'POST /store/v1/orders/:id/returns': returnBody,
    'POST /store/v1/orders/:id/payments': { provider: 'offline', method: 'bank_transfer' },
    'POST /admin/v1/orders/:id/returns': returnBody,
    'POST /admin/v1/orders/:id/hold': { reason: 'swept' },
    'POST /admin/v1/orders/:id/notes': { message: 'swept' },
    'POST /admin/v1/orders/:id/shipments': { carrier: 'SWEEP', trackingNumber: 'SWEEP1' },
    'POST /admin/v1/orders/:id/refunds': { amount: 1 },
    'POST /admin/v1/returns/:id/reject': { reason: 'swept' },
    'PATCH /admin/v1/checkout-settings': { shipping: { flatRate: { ...VICTIM_RATE, label: 'Sweeper rate' } } },
  },
  async verify(victim, seed) {
    const cart = await scoped(victim.ctx, Cart).findById(seed.ids.carts);
    expect(cart!.status, 'victim cart still open').to.equal('open');
    expect(cart!.email).to.equal(null);
    const line = await scoped(victim.ctx, CartLine).findById(seed.ids.lineId);
    expect(line!.quantity).to.equal(2);
    const order = await get(`/admin/v1/orders/${seed.ids.orders}`, { token: victim.ownerToken });
    expect(order.body.status).to.equal('delivered');
    expect(order.body.totals.refunded).to.equal(order.body.returns[0].refundAmount);
    expect(order.body.timeline.map((e: { message: string }) => e.message)).not.to.include('swept');
    expect((await scoped(victim.ctx, Return).findById(seed.ids.returns))!.status).to.equal('requested');
    const settings = await get('/admin/v1/checkout-settings', { token: victim.ownerToken });
    expect(settings.body.shipping.flatRate.label).to.equal('Victim Courier');
  },
});
