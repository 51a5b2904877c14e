import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Domain events, written in the same transaction as the change that caused them.
  await db.schema.createTable('outbox', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('id', 36).notNullable();
    t.string('type', 100).notNullable();
    t.json('payload').notNullable();
    t.string('request_id', 64).nullable();
    t.string('actor', 80).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('relayed_at', { precision: 3 }).nullable();
    t.primary(['tenant_id', 'id']);
    t.index(['tenant_id', 'type', 'created_at']);
    // The relay's scan: pending rows of every tenant on this database, oldest first. The one
    // index here not led by tenant_id, on purpose (core/events/README.md).
    t.index(['relayed_at', 'created_at'], 'outbox_relay');
  });
  // What each subscriber has handled, written in the same transaction as its effect.
  await db.schema.createTable('handled_events', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('subscriber', 100).notNullable();
    t.string('event_id', 191).notNullable();
    t.datetime('handled_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'subscriber', 'event_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('handled_events');
  await db.schema.dropTable('outbox');
}
