// What plugins may read of orders (permission `orders:read`): an order with its lines and the
// lines of a return, enough for a loyalty programme to earn and reverse per line. Read-only and
// inside the ctx's tenant, like every plugin service.
import { requireTenant } from '../context.js';
import { scoped } from '../db/model.js';
import { registerPluginService } from '../plugins/services.js';
import { Cart, Order, OrderLine, ReturnLine } from './order.model.js';
import type { TenantCtx } from '../context.js';
import type { AdjustmentLine, OrderStatus } from './order.types.js';

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
  }),
});
