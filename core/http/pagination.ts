// Keyset pagination on (created_at, id) or any ordered pair: a cursor is the last row's key,
// so page 500 costs what page 1 costs.
import { InvalidError } from '../errors.js';

export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (!cursor) return null;
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) return values;
  } catch {
    /* fall through */
  }
  throw new InvalidError('INVALID_CURSOR', 'The cursor is not valid', { errors: [{ in: 'query', pointer: '/cursor', code: 'invalid', message: 'query.cursor is not a cursor this API gave out' }] });
}

/** Newest first by id (ids are time-ordered UUIDv7): `where id < cursor order by id desc`. */
export async function pageByIdDesc<T extends { id: string }>(
  query: { where(col: string, op: string, v: string): unknown; orderBy(col: string, dir: 'desc'): unknown; limit(n: number): PromiseLike<T[]> },
  column: string,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: T[]; nextCursor: string | null }> {
  const after = decodeCursor(cursor, 1);
  if (after) query.where(column, '<', String(after[0]));
  query.orderBy(column, 'desc');
  const rows = await query.limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].id]) : null };
}
