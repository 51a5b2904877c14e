import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  // The gateway-side lifecycle of each payment (the spec's nine states); id = the core's payment id.
  await db.schema.createTable('payments_states', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.integer('order_number').notNullable();
    t.string('provider', 64).notNullable();
    t.string('method', 64).notNullable();
    t.string('reference', 200).nullable();
    t.string('state', 24).notNullable();
    t.string('currency', 3).notNullable();
    t.bigInteger('total_amount').notNullable();
    t.bigInteger('authorized_amount').notNullable();
    t.bigInteger('captured_amount').notNullable();
    t.bigInteger('refunded_amount').notNullable();
    t.datetime('authorized_at', { precision: 3 }).nullable();
    t.datetime('capture_deadline_at', { precision: 3 }).nullable();
    t.datetime('warned_at', { precision: 3 }).nullable();
    timestamps(t);
    t.index(['tenant_id', 'provider', 'reference'], 'payments_states_ref_idx');
    t.index(['tenant_id', 'state', 'capture_deadline_at'], 'payments_states_deadline_idx');
    t.index(['tenant_id', 'order_id'], 'payments_states_order_idx');
  });
  // Every gateway answer and event, what it did to the state (moved, same, ignored) and why.
  await db.schema.createTable('payments_state_log', (t) => {
    tenantKey(t);
    t.string('payment_id', 36).notNullable();
    t.string('source', 24).notNullable();
    t.string('event', 24).notNullable();
    t.bigInteger('amount').nullable();
    t.string('from_state', 24).notNullable();
    t.string('to_state', 24).notNullable();
    t.string('outcome', 12).notNullable();
    t.string('detail', 300).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'payment_id', 'id'], 'payments_state_log_payment_idx');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('payments_state_log');
  await db.schema.dropTable('payments_states');
}
