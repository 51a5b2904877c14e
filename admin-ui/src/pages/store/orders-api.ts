import { storeApi, type Page } from '../../api';

export interface OrderSummary {
  id: string;
  number: number;
  status: string;
  paymentStatus: string;
  customerId?: string | null;
  email?: string;
  currency: string;
  total: number;
  placedAt: string;
}

/** The orders placed since `from`, newest first, at most `max` (pages of 100). */
export async function ordersSince(from: Date, max = 500): Promise<{ items: OrderSummary[]; complete: boolean }> {
  const items: OrderSummary[] = [];
  let cursor: string | null | undefined;
  do {
    const page: Page<OrderSummary> = await storeApi('GET', '/orders', { query: { limit: 100, cursor, placedFrom: from.toISOString() } });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return { items, complete: !cursor };
}
