// When a customer's password last changed (by change or by reset), so a plugin can ask for a
// step-up before a sensitive act right after it (the membership plugin's LOY-10: spending points
// within 24 h of a credential change). Null: never changed since the column came.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('customers', (t) => {
    t.datetime('credentials_changed_at', { precision: 3 }).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('customers', (t) => {
    t.dropColumn('credentials_changed_at');
  });
}
