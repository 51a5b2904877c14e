// Timeline entries say what happened as an i18n key with its values (issue 20), so each reader
// sees them in their own language; `message` keeps the English as written.
import type { Knex } from '../knex.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('order_history', (t) => {
    t.string('message_key', 64).nullable();
    t.json('message_vars').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('order_history', (t) => {
    t.dropColumn('message_vars');
    t.dropColumn('message_key');
  });
}
