// Column helpers for migrations, so every tenant-owned table is keyed the same way.
import type { Knex } from './knex.js';

/** `tenant_id, id` as the primary key: every lookup is an index range inside one tenant. */
export function tenantKey(t: Knex.CreateTableBuilder): void {
  t.string('tenant_id', 36).notNullable();
  t.string('id', 36).notNullable();
  t.primary(['tenant_id', 'id']);
}

export function timestamps(t: Knex.CreateTableBuilder): void {
  t.datetime('created_at', { precision: 3 }).notNullable();
  t.datetime('updated_at', { precision: 3 }).notNullable();
}
