import { v7 } from 'uuid';

/** Time-ordered UUIDs: sortable like auto-increment, unique across databases and shards. */
export function newId(): string {
  return v7();
}
