import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('logistics_zones', (t) => {
    tenantKey(t);
    t.string('name', 100).notNullable();
    t.json('areas').notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'name']);
  });
  await db.schema.createTable('logistics_methods', (t) => {
    tenantKey(t);
    t.string('zone_id', 36).notNullable();
    t.string('code', 64).notNullable();
    t.string('label', 200).notNullable();
    t.json('labels').notNullable();
    t.string('currency', 3).notNullable();
    t.json('eligibility').notNullable();
    t.json('calculator').notNullable();
    t.boolean('tax_included').notNullable().defaultTo(true);
    t.integer('tax_rate_bp').nullable();
    t.integer('min_days').nullable();
    t.integer('max_days').nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('position').notNullable().defaultTo(0);
    timestamps(t);
    t.unique(['tenant_id', 'code']);
    t.index(['tenant_id', 'zone_id']);
  });
  await db.schema.createTable('logistics_customer_groups', (t) => {
    tenantKey(t);
    t.string('customer_id', 36).notNullable();
    t.string('group_name', 64).notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'customer_id', 'group_name'], { indexName: 'logistics_groups_uq' });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('logistics_customer_groups');
  await db.schema.dropTable('logistics_methods');
  await db.schema.dropTable('logistics_zones');
}
