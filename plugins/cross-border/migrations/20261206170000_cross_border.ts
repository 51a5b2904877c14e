import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('cross_border_markets', (t) => {
    tenantKey(t);
    t.string('code', 32).notNullable();
    t.string('name', 100).notNullable();
    t.json('countries').notNullable();
    t.string('currency', 3).notNullable();
    t.json('languages').notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    t.boolean('prices_include_tax').notNullable().defaultTo(false);
    t.string('duties_mode', 8).notNullable();
    t.json('duty_rates').notNullable();
    t.bigInteger('duty_threshold').nullable();
    t.string('fx_mode', 16).notNullable();
    t.string('manual_rate', 32).nullable();
    t.string('adjustment_pct', 16).nullable();
    t.json('rounding').nullable();
    timestamps(t);
    t.unique(['tenant_id', 'code']);
  });
  await db.schema.createTable('cross_border_rates', (t) => {
    tenantKey(t);
    t.string('source', 16).notNullable();
    t.string('base', 3).notNullable();
    t.string('quote', 3).notNullable();
    t.string('rate', 32).notNullable();
    t.string('as_of', 32).notNullable();
    t.datetime('fetched_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'source', 'base', 'quote', 'as_of']);
    t.index(['tenant_id', 'source', 'as_of']);
  });
  await db.schema.createTable('cross_border_source_states', (t) => {
    tenantKey(t);
    t.string('source', 16).notNullable();
    t.datetime('last_fetch_at', { precision: 3 }).nullable();
    t.datetime('last_ok_at', { precision: 3 }).nullable();
    t.string('last_as_of', 32).nullable();
    t.string('last_error', 300).nullable();
    t.datetime('stale_alerted_at', { precision: 3 }).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'source']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('cross_border_source_states');
  await db.schema.dropTable('cross_border_rates');
  await db.schema.dropTable('cross_border_markets');
}
