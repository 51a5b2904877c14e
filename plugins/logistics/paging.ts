// Keyset pages of the plugin's admin lists, ordered by columns that together are unique (a code,
// or position then code): the cursor is the last row's key, so a later page costs what the first does.
import { decodeCursor, encodeCursor } from '@bazaar/sdk';

export interface PageIn {
  limit: number;
  cursor?: string;
}

interface Where {
  where(column: string, op: string, value: string | number): Where;
  where(fn: (q: Where) => void): Where;
  orWhere(fn: (q: Where) => void): Where;
}

interface Keyed<M> extends Where {
  orderBy(column: string): unknown;
  limit(n: number): PromiseLike<M[]>;
}

export async function pageBy<M>(query: Keyed<M>, keys: { column: string; of: (row: M) => string | number }[], page: PageIn): Promise<{ items: M[]; nextCursor: string | null }> {
  const after = decodeCursor(page.cursor, keys.length);
  if (after) {
    // (a > x) or (a = x and b > y) ...
    query.where((outer) => {
      keys.forEach((_, i) => {
        outer.orWhere((q) => {
          for (let j = 0; j < i; j++) q.where(keys[j].column, '=', after[j]);
          q.where(keys[i].column, '>', after[i]);
        });
      });
    });
  }
  for (const k of keys) query.orderBy(k.column);
  const rows = await query.limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor(keys.map((k) => k.of(last))) : null };
}
