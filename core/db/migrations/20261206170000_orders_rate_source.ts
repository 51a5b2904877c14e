// The rate an order locked at checkout now says where it came from and the date it is for
// (issue 20): the order keeps them whatever the rates do later.
import type { Knex } from '../knex.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.string('exchange_rate_source', 32).nullable();
    t.string('exchange_rate_as_of', 32).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('orders', (t) => {
    t.dropColumn('exchange_rate_as_of');
    t.dropColumn('exchange_rate_source');
  });
}
