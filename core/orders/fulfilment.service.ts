// Fulfilments (what leaves the warehouse, line by line) and shipments (a fulfilment handed to a
// carrier, with its tracking number). Shipping takes the reserved units out of stock for good.
// An order may ship in several parcels: it stays `fulfilling` until every unit has shipped.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { raw } from 'objection';
import { scoped } from '../db/model.js';
import { newId } from '../db/ids.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { commitStock } from '../catalog/inventory.service.js';
import { Fulfilment, FulfilmentLine, Order, OrderLine, Shipment } from './order.model.js';
import { actorOf, recordHistory } from './order.history.js';
import { emitEvent, orderEventBase } from './order.events.js';
import { lockOrder, moveOrder } from './order.transitions.js';
import { stateConflict } from './order.machine.js';
import { insertMany, retryOnDeadlock } from './db.js';

/** Paid orders ship; so do unpaid ones whose payment is authorized for collection on delivery. */
function assertShippable(order: Order, action: string): void {
  const codAuthorized = order.status === 'pending_payment' && order.authorizedAmount >= order.totalAmount;
  if (order.status !== 'paid' && order.status !== 'fulfilling' && !codAuthorized) throw stateConflict(order.status, action);
}

async function fulfil(trx: TenantCtx, order: Order, wanted: { lineId: string; quantity: number }[] | undefined): Promise<{ fulfilment: Fulfilment; lines: { lineId: string; quantity: number }[] }> {
  const orderLines = await scoped(trx, OrderLine).where('order_id', order.id).orderBy('position');
  const plan = wanted ?? orderLines.map((l) => ({ lineId: l.id, quantity: l.quantity - l.fulfilledQuantity })).filter((l) => l.quantity > 0);
  if (!plan.length) throw new ConflictError('NOTHING_TO_FULFIL', 'Every unit of this order is already in a fulfilment');
  for (const p of plan) {
    if (!orderLines.some((l) => l.id === p.lineId)) throw new NotFoundError('ORDER_LINE_NOT_FOUND', 'No such line in this order', { extra: { lineId: p.lineId } });
    const n = await scoped(trx, OrderLine).patch({ fulfilledQuantity: raw('fulfilled_quantity + ?', [p.quantity]) as unknown as number }).where('id', p.lineId).whereRaw('fulfilled_quantity + ? <= quantity', [p.quantity]);
    if (n !== 1) throw new ConflictError('FULFILMENT_EXCEEDS_ORDERED', 'That is more than is left to fulfil on this line', { extra: { lineId: p.lineId } });
  }
  const fulfilmentId = newId();
  await scoped(trx, Fulfilment).insert({ id: fulfilmentId, orderId: order.id, status: 'pending', ...actorOf(trx) });
  await insertMany(trx, FulfilmentLine, plan.map((p) => ({ fulfilmentId, orderLineId: p.lineId, quantity: p.quantity })));
  await recordHistory(trx, order.id, { kind: 'fulfilment', message: `Fulfilment of ${plan.reduce((a, p) => a + p.quantity, 0)} units`, key: 'fulfilment', vars: { count: plan.reduce((a, p) => a + p.quantity, 0) }, data: { fulfilmentId, lines: plan } });
  await emitEvent(trx, 'fulfilment.created', { ...orderEventBase(order), fulfilmentId, lines: plan });
  return { fulfilment: (await scoped(trx, Fulfilment).findById(fulfilmentId))!, lines: plan };
}

export async function createFulfilment(ctx: TenantCtx, orderId: string, lines?: { lineId: string; quantity: number }[]): Promise<Fulfilment> {
  return retryOnDeadlock(ctx, () =>
    withTransaction(ctx, async (trx) => {
      let order = await lockOrder(trx, orderId);
      assertShippable(order, 'fulfilled');
      if (order.status !== 'fulfilling') order = await moveOrder(trx, order, 'fulfilling', { action: 'fulfilled', message: 'Fulfilment started' });
      return (await fulfil(trx, order, lines)).fulfilment;
    }),
  );
}

/**
 * Hands a fulfilment (or, without one, everything not yet fulfilled) to a carrier. When the
 * last unit has shipped the order is `shipped`.
 */
export async function createShipment(ctx: TenantCtx, orderId: string, input: { carrier: string; trackingNumber: string; trackingUrl?: string; fulfilmentId?: string }): Promise<Shipment> {
  return retryOnDeadlock(ctx, () =>
    withTransaction(ctx, async (trx) => {
      let order = await lockOrder(trx, orderId);
      assertShippable(order, 'shipped');
      let fulfilmentId = input.fulfilmentId;
      if (fulfilmentId) {
        const f = await scoped(trx, Fulfilment).where({ id: fulfilmentId, order_id: orderId }).first();
        if (!f) throw new NotFoundError('FULFILMENT_NOT_FOUND', 'No such fulfilment on this order');
      } else {
        // "Everything left": what is packed and not shipped, or else what is not packed yet.
        const packed = await scoped(trx, Fulfilment).where({ order_id: orderId, status: 'pending' });
        const orderLines = await scoped(trx, OrderLine).where('order_id', orderId);
        const unpacked = orderLines.some((l) => l.fulfilledQuantity < l.quantity);
        if (packed.length === 1 && !unpacked) {
          fulfilmentId = packed[0].id;
        } else if (packed.length === 0) {
          if (order.status !== 'fulfilling') order = await moveOrder(trx, order, 'fulfilling', { action: 'shipped', message: 'Fulfilment started' });
          fulfilmentId = (await fulfil(trx, order, undefined)).fulfilment.id;
        } else {
          throw new ConflictError('FULFILMENT_REQUIRED', 'Several parcels are packed or left to pack; name the fulfilment to ship', {
            extra: { fulfilmentIds: packed.map((f) => f.id) },
            errors: [{ in: 'body', pointer: '/fulfilmentId', code: 'required', message: `body.fulfilmentId must name one of ${packed.map((f) => f.id).join(', ')}` }],
          });
        }
      }
      const claimed = await scoped(trx, Fulfilment).patch({ status: 'shipped' }).where({ id: fulfilmentId, status: 'pending' });
      if (claimed !== 1) throw new ConflictError('FULFILMENT_ALREADY_SHIPPED', 'This fulfilment has already shipped');

      const parts = await scoped(trx, FulfilmentLine).where('fulfilment_id', fulfilmentId);
      const orderLines = await scoped(trx, OrderLine).where('order_id', orderId);
      for (const part of [...parts].sort((a, b) => a.orderLineId.localeCompare(b.orderLineId))) {
        const line = orderLines.find((l) => l.id === part.orderLineId)!;
        await commitStock(trx, line.variantId, part.quantity, { locationId: line.locationId, reference: orderId });
        await scoped(trx, OrderLine).patch({ shippedQuantity: raw('shipped_quantity + ?', [part.quantity]) as unknown as number }).where('id', line.id);
        line.shippedQuantity += part.quantity;
      }
      const shipmentId = newId();
      const at = new Date().toISOString();
      await scoped(trx, Shipment).insert({ id: shipmentId, orderId, fulfilmentId, carrier: input.carrier, trackingNumber: input.trackingNumber, trackingUrl: input.trackingUrl ?? null, status: 'in_transit', shippedAt: at, deliveredAt: null, ...actorOf(trx) });
      await recordHistory(trx, orderId, { kind: 'shipment', message: `Shipped with ${input.carrier}, tracking ${input.trackingNumber}`, key: 'shipped', vars: { carrier: input.carrier, trackingNumber: input.trackingNumber }, data: { shipmentId, fulfilmentId, carrier: input.carrier, trackingNumber: input.trackingNumber, trackingUrl: input.trackingUrl ?? null } });
      await emitEvent(trx, 'shipment.created', { ...orderEventBase(order), shipmentId, fulfilmentId, carrier: input.carrier, trackingNumber: input.trackingNumber });
      if (orderLines.every((l) => l.shippedQuantity >= l.quantity)) {
        order = await moveOrder(trx, order, 'shipped', { action: 'shipped', message: 'Every item has shipped' });
        await emitEvent(trx, 'order.shipped', { ...orderEventBase(order), shipmentId, carrier: input.carrier, trackingNumber: input.trackingNumber });
      }
      return (await scoped(trx, Shipment).findById(shipmentId))!;
    }),
  );
}

/** The order arrived: every shipment is delivered. */
export async function deliverOrder(ctx: TenantCtx, orderId: string): Promise<Order> {
  return withTransaction(ctx, async (trx) => {
    let order = await lockOrder(trx, orderId);
    order = await moveOrder(trx, order, 'delivered', { action: 'delivered', message: 'Delivered' });
    await scoped(trx, Shipment).patch({ status: 'delivered', deliveredAt: new Date().toISOString() }).where({ order_id: orderId, status: 'in_transit' });
    await scoped(trx, Fulfilment).patch({ status: 'delivered' }).where({ order_id: orderId, status: 'shipped' });
    await emitEvent(trx, 'order.delivered', orderEventBase(order));
    return order;
  });
}
