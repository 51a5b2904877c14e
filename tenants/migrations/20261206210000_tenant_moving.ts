import type { Knex } from 'knex';

// `moving_to`: the placement a tenant is being moved to (bazaar tenant:move). While it is set the
// store is read-only: writes answer 503 with Retry-After, reads go on.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tenants', (t) => {
    t.string('moving_to', 63).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tenants', (t) => {
    t.dropColumn('moving_to');
  });
}
