import type { Knex } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  // Reconciliation's back-off (spec REQ 16): how often the gateway was asked, and when next.
  await db.schema.alterTable('payments_states', (t) => {
    t.integer('polls').notNullable().defaultTo(0);
    t.datetime('next_poll_at', { precision: 3 }).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('payments_states', (t) => {
    t.dropColumn('next_poll_at');
    t.dropColumn('polls');
  });
}
