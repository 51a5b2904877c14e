// A capture or refund whose gateway answer was lost (issue 18): when the answer was lost, and when
// a staff retry was answered with it, so that retry is the same operation (never a second one)
// and a later request of the same amount is a new one. An initiation with no answer keeps what
// its replay needs (the payer: WeChat Pay JSAPI's openid) until it is answered.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('payment_transactions', (t) => {
    t.datetime('lost_at', { precision: 3 }).nullable();
    t.datetime('retried_at', { precision: 3 }).nullable();
    t.json('payer').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('payment_transactions', (t) => {
    t.dropColumn('payer');
    t.dropColumn('retried_at');
    t.dropColumn('lost_at');
  });
}
