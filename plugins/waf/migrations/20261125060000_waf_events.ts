import type { Knex } from '@bazaar/sdk';
import { tenantKey } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('waf_events', (t) => {
    tenantKey(t);
    t.string('action', 16).notNullable();
    t.string('client_ip', 45).notNullable();
    t.string('method', 16).notNullable();
    t.string('path', 500).notNullable();
    t.string('route_class', 16).notNullable();
    t.string('detectors', 100).notNullable();
    t.json('rule_ids').notNullable();
    t.integer('score').notNullable();
    t.string('excerpt', 300).nullable();
    t.json('matches').notNullable();
    t.string('user_agent', 300).nullable();
    t.string('request_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'created_at']);
    t.index(['tenant_id', 'action', 'id']);
    t.index(['tenant_id', 'client_ip', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('waf_events');
}
