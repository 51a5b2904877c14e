// Payment gateways' notifications, kept as they arrived (payments.md REQ 13): the webhook route
// verifies, stores the raw notification here (once per gateway notification id) and answers at
// once; the queue applies it. A row without processed_at was not applied yet: the worker's scan
// queues it again, so a crash between the answer and the work loses nothing.
import type { Knex } from 'knex';
import { tenantKey } from '../schema.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('payment_webhook_inbox', (t) => {
    tenantKey(t);
    t.string('provider', 64).notNullable();
    t.string('notification_id', 191).notNullable();
    t.json('headers').notNullable();
    t.text('raw_body', 'mediumtext').notNullable();
    t.json('actions').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('last_error', 300).nullable();
    t.datetime('received_at', { precision: 3 }).notNullable();
    t.datetime('processed_at', { precision: 3 }).nullable();
    t.unique(['tenant_id', 'provider', 'notification_id'], { indexName: 'payment_webhook_inbox_uq' });
    // The worker's scan for rows not applied crosses tenants, like the outbox relay's.
    t.index(['processed_at', 'received_at'], 'payment_webhook_inbox_pending');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('payment_webhook_inbox');
}
