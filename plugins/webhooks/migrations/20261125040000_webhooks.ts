import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('webhooks_endpoints', (t) => {
    tenantKey(t);
    t.string('url', 2048).notNullable();
    t.string('description', 500).nullable();
    t.json('events').notNullable();
    t.string('secret', 100).notNullable();
    t.string('status', 16).notNullable();
    t.string('disabled_reason', 200).nullable();
    t.datetime('first_failure_at', { precision: 3 }).nullable();
    t.datetime('last_success_at', { precision: 3 }).nullable();
    t.datetime('last_failure_at', { precision: 3 }).nullable();
    timestamps(t);
    t.index(['tenant_id', 'status']);
  });
  await db.schema.createTable('webhooks_deliveries', (t) => {
    tenantKey(t);
    t.string('endpoint_id', 36).notNullable();
    t.string('event_id', 36).notNullable();
    t.string('event_type', 100).notNullable();
    t.text('body', 'mediumtext').notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.datetime('next_attempt_at', { precision: 3 }).nullable();
    t.datetime('lock_expires_at', { precision: 3 }).nullable();
    t.integer('last_status').nullable();
    timestamps(t);
    t.unique(['tenant_id', 'endpoint_id', 'event_id']);
    t.index(['tenant_id', 'status', 'next_attempt_at']);
    t.index(['tenant_id', 'endpoint_id', 'id']);
  });
  await db.schema.createTable('webhooks_attempts', (t) => {
    tenantKey(t);
    t.string('delivery_id', 36).notNullable();
    t.integer('number').notNullable();
    t.string('trigger', 16).notNullable();
    t.integer('status_code').nullable();
    t.integer('duration_ms').notNullable();
    t.string('error', 300).nullable();
    t.text('response_excerpt').nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'delivery_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('webhooks_attempts');
  await db.schema.dropTable('webhooks_deliveries');
  await db.schema.dropTable('webhooks_endpoints');
}
