// Keyset pages of the plugin's lists, ordered by columns that together are unique (a code,
// position then code, an event's time then id): the cursor is the last row's key, so a later page
// costs what the first does.
import { decodeCursor, encodeCursor, InvalidError } from '@bazaar/sdk';

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

const badCursor = () => new InvalidError('INVALID_CURSOR', 'The cursor is not valid', { errors: [{ in: 'query', pointer: '/cursor', code: 'invalid', message: 'query.cursor is not a cursor this API gave out' }] });

/** A timestamp key: the cursor carries the ISO time, the query compares a Date. */
export const timeKey = (v: string | number): Date => {
  const d = typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw badCursor();
  return d;
};

export interface Key<M> {
  column: string;
  of: (row: M) => string | number;
  /** The cursor's value as the database compares it (a Date for a timestamp); throws INVALID_CURSOR on a bad one. */
  toDb?: (v: string | number) => unknown;
}

export async function pageBy<M>(query: Keyed<M>, keys: Key<M>[], page: PageIn): Promise<{ items: M[]; nextCursor: string | null }> {
  const decoded = decodeCursor(page.cursor, keys.length);
  const after = decoded?.map((v, i) => (keys[i].toDb ? keys[i].toDb!(v) : v)) as (string | number)[] | undefined;
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
