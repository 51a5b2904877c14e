// What plugins may read of orders (permission `orders:read`): an order with its lines and the
// lines of a return, enough for a loyalty programme to earn and reverse per line. Read-only and
// inside the ctx's tenant, like every plugin service.
import crypto from 'node:crypto';
import { createSystemCtx, requireTenant, type Ctx } from '../context.js';
import { scoped } from '../db/model.js';
import { registerPluginService } from '../plugins/services.js';
import { Cart, Order, OrderHistory, OrderLine, Return, ReturnLine, Shipment } from './order.model.js';
import type { TenantCtx } from '../context.js';
import type { Address, AdjustmentLine, OrderStatus } from './order.types.js';

export interface PluginOrderView {
  id: string;
  number: number;
  cartId: string | null;
  customerId: string | null;
  status: OrderStatus;
  currency: string;
  subtotalAmount: number;
  adjustmentsAmount: number;
  shippingAmount: number;
  totalAmount: number;
  paidAmount: number;
  refundedAmount: number;
  adjustments: AdjustmentLine[];
  placedAt: string;
  paidAt: string | null;
  completedAt: string | null;
  lines: { id: string; variantId: string; productId: string; quantity: number; subtotalAmount: number; totalAmount: number; returnedQuantity: number }[];
}

export interface OrderReadService {
  get(ctx: TenantCtx, orderId: string): Promise<PluginOrderView | undefined>;
  /** The lines of a return: which order line, how many units. */
  returnLines(ctx: TenantCtx, returnId: string): Promise<{ orderLineId: string; quantity: number }[]>;
  /** Whose cart it is and whether it is still open (a plugin holding something on a cart checks it). */
  cart(ctx: TenantCtx, cartId: string): Promise<{ id: string; customerId: string | null; status: string; currency: string } | undefined>;
  /**
   * Keys of the phones and street addresses on a customer's latest orders (shipping and
   * billing), each a hash of the normalised value salted with the store: two customers sharing
   * one share its key, and the plugin never sees the phone or the address (fraud checks).
   */
  contactKeys(ctx: TenantCtx, customerId: string): Promise<{ phones: string[]; addresses: string[] }>;
}

const CONTACT_ORDERS = 20;

/** A phone as digits only (the last 9 or more: "+86 138-0013-8000" and "13800138000" match). */
function phoneKey(tenantId: string, phone: string | undefined): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length < 6) return null;
  return contactHash(tenantId, 'phone', digits.slice(-Math.min(digits.length, 11)));
}

/** A street address: line1, line2, postal code and country, case and spacing folded. */
function addressKey(tenantId: string, a: Address | null | undefined): string | null {
  if (!a?.line1) return null;
  const fold = (v: string | undefined) => (v ?? '').normalize('NFKC').toLowerCase().replace(/[\s,.#-]+/g, ' ').trim();
  return contactHash(tenantId, 'address', [a.line1, a.line2, a.postalCode, a.country].map(fold).join('|'));
}

function contactHash(tenantId: string, kind: string, value: string): string {
  return crypto.createHash('sha256').update(`${tenantId}:${kind}:${value}`).digest('hex');
}

declare module '../plugins/types.js' {
  interface PluginServices {
    'orders:read': OrderReadService;
  }
}

registerPluginService('orders:read', {
  scopes: ['tenant'],
  create: () => ({
    async get(ctx, orderId) {
      const c = requireTenant(ctx);
      const o = await scoped(c, Order).findById(orderId);
      if (!o) return undefined;
      const lines = await scoped(c, OrderLine).where('order_id', orderId).orderBy('position');
      return {
        id: o.id, number: Number(o.number), cartId: o.cartId ?? null, customerId: o.customerId, status: o.status, currency: o.currency,
        subtotalAmount: Number(o.subtotalAmount), adjustmentsAmount: Number(o.adjustmentsAmount), shippingAmount: Number(o.shippingAmount),
        totalAmount: Number(o.totalAmount), paidAmount: Number(o.paidAmount), refundedAmount: Number(o.refundedAmount), adjustments: o.adjustments ?? [],
        placedAt: o.placedAt, paidAt: o.paidAt, completedAt: o.completedAt,
        lines: lines.map((l) => ({
          id: l.id, variantId: l.variantId, productId: l.productId, quantity: Number(l.quantity), subtotalAmount: Number(l.subtotalAmount),
          totalAmount: Number(l.totalAmount), returnedQuantity: Number(l.returnedQuantity),
        })),
      };
    },
    async returnLines(ctx, returnId) {
      const rows = await scoped(requireTenant(ctx), ReturnLine).where('return_id', returnId).orderBy('id');
      return rows.map((r) => ({ orderLineId: r.orderLineId, quantity: Number(r.quantity) }));
    },
    async cart(ctx, cartId) {
      const c = await scoped(requireTenant(ctx), Cart).findById(cartId);
      return c ? { id: c.id, customerId: c.customerId, status: c.status, currency: c.currency } : undefined;
    },
    async contactKeys(ctx, customerId) {
      const c = requireTenant(ctx);
      const orders = await scoped(c, Order).select('shipping_address', 'billing_address').where('customer_id', customerId).orderBy('id', 'desc').limit(CONTACT_ORDERS);
      const phones = new Set<string>();
      const addresses = new Set<string>();
      for (const o of orders) {
        for (const a of [o.shippingAddress, o.billingAddress]) {
          const p = phoneKey(c.tenant.id, a?.phone);
          if (p) phones.add(p);
          const k = addressKey(c.tenant.id, a);
          if (k) addresses.add(k);
        }
      }
      return { phones: [...phones], addresses: [...addresses] };
    },
  }),
});

/** What a seller scorecard counts over a window of orders placed (permission `orders:stats`, platform plugins). */
export interface StoreOrderStats {
  /** Orders placed in the window that were paid or that the store cancelled. */
  orders: number;
  /** Of those, cancelled by the store's staff before anything shipped. */
  cancelledBySeller: number;
  /** Paid orders with at least one shipment. */
  shipped: number;
  /** Shipped orders whose first shipment left later than `shipWithinHours` after payment. */
  shippedLate: number;
  /** Shipped orders each of whose shipments has a carrier and a plausible tracking number. */
  validTracking: number;
  /** Orders with a return that was not refused. */
  returned: number;
  /** Of the counted orders, how many are among `window.among` (the caller's flagged orders: a defect, say). */
  among: number;
}

/** Orders and returns still open: a store holding any may not be terminated. */
export interface OpenOrderCount {
  orders: number;
  returns: number;
}

export interface OrderStatsService {
  /** The store's counts for orders placed in [from, to); undefined for an unknown store. */
  storeStats(ctx: Ctx, tenantId: string, window: { from: Date; to: Date; shipWithinHours: number; among?: string[] }): Promise<StoreOrderStats | undefined>;
  openOrders(ctx: Ctx, tenantId: string): Promise<OpenOrderCount>;
}

declare module '../plugins/types.js' {
  interface PluginServices {
    'orders:stats': OrderStatsService;
  }
}

export const OPEN_ORDER_STATUSES: OrderStatus[] = ['pending_payment', 'on_hold', 'paid', 'fulfilling', 'shipped'];
const OPEN_RETURN_STATUSES = ['requested', 'approved', 'received'];
/** A tracking number a carrier could have issued: 8-40 letters, digits and dashes, not one repeated character. */
export const PLAUSIBLE_TRACKING = /^(?!(.)\1+$)[A-Za-z0-9-]{8,40}$/;

async function storeCtx(ctx: Ctx, tenantId: string): Promise<TenantCtx | undefined> {
  const tenant = await ctx.kernel.tenants.byId(tenantId);
  return tenant ? (createSystemCtx(ctx.kernel, tenant, { actor: ctx.actor, requestId: ctx.requestId }) as TenantCtx) : undefined;
}

export async function openOrderCount(ctx: Ctx, tenantId: string): Promise<OpenOrderCount> {
  const c = await storeCtx(ctx, tenantId);
  if (!c) return { orders: 0, returns: 0 };
  const [orders, returns] = await Promise.all([scoped(c, Order).whereIn('status', OPEN_ORDER_STATUSES).resultSize(), scoped(c, Return).whereIn('status', OPEN_RETURN_STATUSES).resultSize()]);
  return { orders, returns };
}

registerPluginService('orders:stats', {
  scopes: ['platform'],
  create: () => ({
    openOrders: openOrderCount,
    async storeStats(ctx, tenantId, w) {
      const c = await storeCtx(ctx, tenantId);
      if (!c) return undefined;
      const placed = await scoped(c, Order).where('placed_at', '>=', w.from).where('placed_at', '<', w.to).select('id', 'status', 'paid_at');
      if (!placed.length) return { orders: 0, cancelledBySeller: 0, shipped: 0, shippedLate: 0, validTracking: 0, returned: 0, among: 0 };
      const ids = placed.map((o) => o.id);
      const byStaff = new Set<string>();
      const shipments = new Map<string, Shipment[]>();
      const returned = new Set<string>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        for (const h of await scoped(c, OrderHistory).whereIn('order_id', chunk).where({ to_status: 'cancelled', actor_type: 'staff' }).select('order_id')) byStaff.add(h.orderId);
        for (const s of await scoped(c, Shipment).whereIn('order_id', chunk).select('order_id', 'carrier', 'tracking_number', 'shipped_at')) shipments.set(s.orderId, [...(shipments.get(s.orderId) ?? []), s]);
        for (const r of await scoped(c, Return).whereIn('order_id', chunk).whereNot('status', 'rejected').select('order_id')) returned.add(r.orderId);
      }
      const counted = placed.filter((o) => o.paidAt || byStaff.has(o.id));
      const among = new Set(w.among ?? []);
      const stats: StoreOrderStats = { orders: counted.length, cancelledBySeller: 0, shipped: 0, shippedLate: 0, validTracking: 0, returned: 0, among: 0 };
      for (const o of counted) {
        const mine = shipments.get(o.id) ?? [];
        if (o.status === 'cancelled' && byStaff.has(o.id) && !mine.length) stats.cancelledBySeller++;
        if (returned.has(o.id)) stats.returned++;
        if (among.has(o.id)) stats.among++;
        if (!mine.length || !o.paidAt) continue;
        stats.shipped++;
        const first = Math.min(...mine.map((s) => Date.parse(s.shippedAt)));
        if (first > Date.parse(o.paidAt) + w.shipWithinHours * 3600_000) stats.shippedLate++;
        if (mine.every((s) => s.carrier && PLAUSIBLE_TRACKING.test(s.trackingNumber))) stats.validTracking++;
      }
      return stats;
    },
  }),
});
