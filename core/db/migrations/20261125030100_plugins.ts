import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Platform-wide: which plugins are installed (their migrations ran) and who may enable them.
  await db.schema.createTable('plugin_installs', (t) => {
    t.string('name', 40).primary();
    t.string('version', 64).notNullable();
    t.string('available_to', 16).notNullable().defaultTo('all');
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
  // Per tenant: the platform's allowance (null = the install's default), the tenant's switch, its settings.
  await db.schema.createTable('tenant_plugins', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('plugin', 40).notNullable();
    t.boolean('allowed').nullable();
    t.boolean('enabled').notNullable().defaultTo(false);
    t.json('settings').nullable();
    t.datetime('enabled_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'plugin']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('tenant_plugins');
  await db.schema.dropTable('plugin_installs');
}
