// The audit trail keeps the reason an admin gave (a hold, a cancel, a refund, a rejection), and
// answers a store's own entries by tenant and time (the store console's audit page).
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    t.string('reason', 500).nullable();
    t.index(['tenant_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['tenant_id', 'id']);
    t.dropColumn('reason');
  });
}
