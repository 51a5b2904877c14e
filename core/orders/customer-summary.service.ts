// What the console's customer page shows beside the customer's own record: how many orders, what
// they came to per currency (SQL sums, orders not cancelled), first and last order, and the
// addresses the customer used on the latest orders. The customer's orders themselves are listed
// by GET /admin/v1/orders?customerId=, a page at a time.
import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { getCustomer } from '../users/customer.service.js';
import { Order } from './order.model.js';
import type { Address } from './order.types.js';

/** The latest orders whose addresses are collected, and how many distinct addresses are kept. */
const ADDRESS_ORDERS = 50;
const ADDRESS_MAX = 10;

export interface CustomerSummary {
  customerId: string;
  orders: number;
  spent: { currency: string; amount: number }[];
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  addresses: { kind: 'shipping' | 'billing'; address: Address; lastUsedAt: string }[];
}

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(typeof v === 'string' && !v.includes('T') ? v.replace(' ', 'T') + 'Z' : (v as string | number)).toISOString());

export async function customerSummary(ctx: TenantCtx, customerId: string): Promise<CustomerSummary> {
  const customer = await getCustomer(ctx, customerId);
  const totals = (await scoped(ctx, Order)
    .select('currency')
    .select(ctx.db.raw('count(*) as n'), ctx.db.raw("sum(case when status <> 'cancelled' then total_amount else 0 end) as spent"), ctx.db.raw('min(placed_at) as first_at'), ctx.db.raw('max(placed_at) as last_at'))
    .where('customer_id', customer.id)
    .groupBy('currency')) as unknown as { currency: string; n: number | string; spent: number | string | null; first_at?: unknown; firstAt?: unknown; last_at?: unknown; lastAt?: unknown }[];
  let first: string | null = null;
  let last: string | null = null;
  for (const t of totals) {
    const f = iso(t.firstAt ?? t.first_at);
    const l = iso(t.lastAt ?? t.last_at);
    if (f && (!first || f < first)) first = f;
    if (l && (!last || l > last)) last = l;
  }
  const recent = await scoped(ctx, Order).select('id', 'shipping_address', 'billing_address', 'placed_at').where('customer_id', customer.id).orderBy('id', 'desc').limit(ADDRESS_ORDERS);
  const seen = new Set<string>();
  const addresses: CustomerSummary['addresses'] = [];
  for (const o of recent) {
    for (const [kind, a] of [['shipping', o.shippingAddress], ['billing', o.billingAddress]] as const) {
      if (!a || typeof a !== 'object' || !Object.keys(a).length) continue;
      const key = `${kind}:${JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y)))}`;
      if (seen.has(key) || addresses.length >= ADDRESS_MAX) continue;
      seen.add(key);
      addresses.push({ kind, address: a, lastUsedAt: iso(o.placedAt)! });
    }
  }
  return {
    customerId: customer.id,
    orders: totals.reduce((n, t) => n + Number(t.n), 0),
    spent: totals.map((t) => ({ currency: t.currency, amount: Number(t.spent ?? 0) })).sort((a, b) => a.currency.localeCompare(b.currency)),
    firstOrderAt: first,
    lastOrderAt: last,
    addresses,
  };
}
