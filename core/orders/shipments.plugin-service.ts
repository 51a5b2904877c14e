// What a logistics plugin may do with fulfilments and shipments (permission `shipments:write`):
// read a fulfilment with what is in it (a parcel, a customs declaration), hand it to a carrier
// (the core's shipment, as staff would), report tracking progress (a public timeline entry and
// `shipment.updated`; `delivered` marks the shipment and, once every unit has arrived, the
// order), and check that a shopper may see an order. Inside the ctx's tenant, like every plugin service.
import { requireTenant, withTransaction, type TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { registerPluginService } from '../plugins/services.js';
import { Fulfilment, FulfilmentLine, Order, OrderLine, Shipment } from './order.model.js';
import { createShipment } from './fulfilment.service.js';
import { customerOrder } from './order.service.js';
import { lookupVariants } from './catalog-lookup.js';
import { recordHistory } from './order.history.js';
import { emitEvent, orderEventBase } from './order.events.js';
import { lockOrder, moveOrder } from './order.transitions.js';
import type { Address, OrderStatus, ShippingMethodSnapshot } from './order.types.js';
import type { VariantShipping } from '../catalog/variant-shipping.js';

export interface PluginFulfilmentView {
  id: string;
  orderId: string;
  status: 'pending' | 'shipped' | 'delivered' | 'cancelled';
  order: { id: string; number: number; status: OrderStatus; currency: string; shippingAddress: Address; shippingMethod: ShippingMethodSnapshot };
  lines: { orderLineId: string; variantId: string; productId: string; sku: string; title: string; quantity: number; unitAmount: number; shipping: VariantShipping }[];
}

/** A tracking update as a plugin reports it; `status` is its normalized status. */
export interface ShipmentUpdate {
  status: string;
  /** The carrier's own words, shown on the timeline. */
  message?: string | null;
  /** When the carrier saw it (ISO). */
  at: string;
  /** The timeline text `orders:timeline.tracking_<key>` (default: the status), with extra vars such as a pickup point. */
  key?: string;
  vars?: Record<string, string>;
}

export interface ShipmentWriteService {
  fulfilment(ctx: TenantCtx, fulfilmentId: string): Promise<PluginFulfilmentView | undefined>;
  /** The order's place in the flow and its locked shipping choice. */
  order(ctx: TenantCtx, orderId: string): Promise<PluginFulfilmentView['order'] | undefined>;
  /** The core's createShipment: the fulfilment (or, without one, everything left) leaves with this tracking number. */
  ship(ctx: TenantCtx, orderId: string, input: { fulfilmentId?: string; carrier: string; trackingNumber: string; trackingUrl?: string }): Promise<{ id: string; fulfilmentId: string }>;
  /** A tracking step the shopper sees on the order; `delivered` delivers the shipment (and the order once all of it arrived). Idempotent for delivered. */
  update(ctx: TenantCtx, shipmentId: string, u: ShipmentUpdate): Promise<void>;
  /** Throws ORDER_NOT_FOUND unless ctx's shopper may see the order (theirs, or a guest holding its X-Order-Token). */
  shopperOrder(ctx: TenantCtx, orderId: string, orderToken: string | undefined): Promise<{ id: string }>;
}

declare module '../plugins/types.js' {
  interface PluginServices {
    'shipments:write': ShipmentWriteService;
  }
}

declare module '../events/event.types.js' {
  interface EventMap {
    'shipment.updated': import('./order.events.js').OrderEventBase & { shipmentId: string; fulfilmentId: string; trackingStatus: string; at: string };
    'shipment.delivered': import('./order.events.js').OrderEventBase & { shipmentId: string; fulfilmentId: string };
  }
}

const orderPart = (o: Order): PluginFulfilmentView['order'] => ({
  id: o.id, number: Number(o.number), status: o.status, currency: o.currency, shippingAddress: o.shippingAddress, shippingMethod: o.shippingMethod,
});

registerPluginService('shipments:write', {
  scopes: ['tenant'],
  create: () => ({
    async fulfilment(ctx, fulfilmentId) {
      const c = requireTenant(ctx);
      const f = await scoped(c, Fulfilment).findById(fulfilmentId);
      if (!f) return undefined;
      const order = (await scoped(c, Order).findById(f.orderId))!;
      const parts = await scoped(c, FulfilmentLine).where('fulfilment_id', f.id).orderBy('id');
      const lines = parts.length ? await scoped(c, OrderLine).whereIn('id', parts.map((p) => p.orderLineId)) : [];
      const variants = await lookupVariants(c, lines.map((l) => l.variantId), order.currency);
      return {
        id: f.id, orderId: f.orderId, status: f.status, order: orderPart(order),
        lines: parts.map((p) => {
          const l = lines.find((x) => x.id === p.orderLineId)!;
          const v = variants.get(l.variantId);
          return { orderLineId: l.id, variantId: l.variantId, productId: l.productId, sku: l.sku, title: l.title, quantity: Number(p.quantity), unitAmount: Number(l.unitAmount), shipping: v?.shipping ?? { weight: null, dimensions: null, hsCode: null, originCountry: null } };
        }),
      };
    },
    async order(ctx, orderId) {
      const o = await scoped(requireTenant(ctx), Order).findById(orderId);
      return o ? orderPart(o) : undefined;
    },
    async ship(ctx, orderId, input) {
      const s = await createShipment(requireTenant(ctx), orderId, input);
      return { id: s.id, fulfilmentId: s.fulfilmentId };
    },
    async update(ctx, shipmentId, u) {
      await withTransaction(requireTenant(ctx), async (trx) => {
        const s = await scoped(trx, Shipment).findById(shipmentId);
        if (!s) return;
        let order = await lockOrder(trx, s.orderId);
        const vars = { ...u.vars, carrier: s.carrier, trackingNumber: s.trackingNumber, details: u.message ?? '' };
        await recordHistory(trx, s.orderId, {
          kind: 'shipment', message: `${s.carrier} ${s.trackingNumber}: ${u.status}${u.message ? ` (${u.message})` : ''}`, key: `tracking_${u.key ?? u.status}`, vars,
          data: { shipmentId, fulfilmentId: s.fulfilmentId, trackingStatus: u.status, at: u.at },
        });
        await emitEvent(trx, 'shipment.updated', { ...orderEventBase(order), shipmentId, fulfilmentId: s.fulfilmentId, trackingStatus: u.status, at: u.at });
        if (u.status !== 'delivered' || s.status === 'delivered') return;
        await scoped(trx, Shipment).patch({ status: 'delivered', deliveredAt: new Date().toISOString() }).where({ id: shipmentId });
        await scoped(trx, Fulfilment).patch({ status: 'delivered' }).where({ id: s.fulfilmentId, status: 'shipped' });
        await emitEvent(trx, 'shipment.delivered', { ...orderEventBase(order), shipmentId, fulfilmentId: s.fulfilmentId });
        const open = await scoped(trx, Shipment).where({ order_id: s.orderId }).whereNot('status', 'delivered').first();
        if (!open && order.status === 'shipped') {
          order = await moveOrder(trx, order, 'delivered', { action: 'delivered', message: 'Every parcel has arrived' });
          await emitEvent(trx, 'order.delivered', orderEventBase(order));
        }
      });
    },
    async shopperOrder(ctx, orderId, orderToken) {
      const o = await customerOrder(requireTenant(ctx), orderId, orderToken);
      return { id: o.id };
    },
  }),
});
