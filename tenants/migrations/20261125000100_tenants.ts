import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('tenants', (t) => {
    t.string('id', 36).primary();
    t.string('slug', 63).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('status', 16).notNullable().defaultTo('active');
    t.string('default_locale', 16).notNullable();
    t.string('default_currency', 3).notNullable();
    t.json('currencies').notNullable();
    t.string('placement', 63).notNullable().defaultTo('default');
    t.string('tax_mode', 16).notNullable().defaultTo('exclusive');
    t.integer('tax_rate_bp').notNullable().defaultTo(0);
    t.json('settings').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.index(['status']);
  });
  await db.schema.createTable('tenant_domains', (t) => {
    t.string('domain', 253).primary();
    t.string('tenant_id', 36).notNullable().index();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('tenant_domains');
  await db.schema.dropTable('tenants');
}
