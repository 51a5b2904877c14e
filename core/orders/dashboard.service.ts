// The store console's dashboard figures, counted in SQL on the orders of one tenant: orders
// placed and their value per currency for each of the last N days (the caller's day, given as
// an offset from UTC), today being the last. Value is the order total of orders not cancelled,
// in integer minor units of each order's own currency (never converted or summed across
// currencies).
import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { isSqlite } from '../db/knex.js';
import { Order } from './order.model.js';

export interface DayFigures {
  day: string;
  orders: number;
  revenue: { currency: string; amount: number }[];
}

export interface SalesFigures {
  tzOffset: number;
  from: string;
  to: string;
  today: DayFigures;
  days: DayFigures[];
  /** Currencies seen in the period, the one with most orders first. */
  currencies: string[];
}

const DAY_MS = 86_400_000;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function salesFigures(ctx: TenantCtx, opts: { days: number; tzOffset: number; now?: Date }): Promise<SalesFigures> {
  const offsetMs = opts.tzOffset * 60_000;
  const now = (opts.now ?? new Date()).getTime();
  // Midnight of the caller's today, as a UTC instant; the window starts days-1 midnights before.
  const localMidnight = Math.floor((now + offsetMs) / DAY_MS) * DAY_MS;
  const fromMs = localMidnight - (opts.days - 1) * DAY_MS - offsetMs;
  const toMs = localMidnight + DAY_MS - offsetMs;
  const bucket = isSqlite(ctx.db)
    ? ctx.db.raw("strftime('%Y-%m-%d', placed_at / 1000 + ?, 'unixepoch')", [opts.tzOffset * 60])
    : ctx.db.raw("date_format(placed_at + interval ? minute, '%Y-%m-%d')", [opts.tzOffset]);
  const rows = (await scoped(ctx, Order)
    .select(ctx.db.raw('? as day', [bucket]), 'currency')
    .select(ctx.db.raw('count(*) as orders'), ctx.db.raw("sum(case when status <> 'cancelled' then total_amount else 0 end) as revenue"))
    .where('placed_at', '>=', new Date(fromMs))
    .where('placed_at', '<', new Date(toMs))
    .groupBy('day', 'currency')) as unknown as { day: string; currency: string; orders: number | string; revenue: number | string | null }[];

  const days = new Map<string, DayFigures>();
  for (let i = 0; i < opts.days; i++) {
    const day = dayOf(localMidnight - (opts.days - 1 - i) * DAY_MS);
    days.set(day, { day, orders: 0, revenue: [] });
  }
  const byCurrency = new Map<string, number>();
  for (const r of rows) {
    const d = days.get(String(r.day));
    if (!d) continue;
    const n = Number(r.orders);
    d.orders += n;
    d.revenue.push({ currency: r.currency, amount: Number(r.revenue ?? 0) });
    byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + n);
  }
  for (const d of days.values()) d.revenue.sort((a, b) => a.currency.localeCompare(b.currency));
  const list = [...days.values()];
  return {
    tzOffset: opts.tzOffset,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    today: list[list.length - 1],
    days: list,
    currencies: [...byCurrency].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c),
  };
}
