// Product imports as jobs (issue 17, item 6): the uploaded file is kept in the database in
// chunks until its job has read it, so any worker can run it and a crash loses nothing; the
// import row holds the progress and the checkpoint a resumed job starts from.
import type { Knex } from 'knex';
import { tenantKey, timestamps } from '../schema.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('product_imports', (t) => {
    tenantKey(t);
    t.string('status', 16).notNullable();
    t.string('format', 8).notNullable();
    t.bigInteger('bytes').notNullable().defaultTo(0);
    t.bigInteger('bytes_read').notNullable().defaultTo(0);
    t.integer('products').notNullable().defaultTo(0);
    t.integer('imported').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.integer('error_count').notNullable().defaultTo(0);
    t.datetime('lease_expires_at', { precision: 3 }).nullable();
    t.string('actor', 80).notNullable().defaultTo('');
    t.string('failure', 500).nullable();
    t.datetime('started_at', { precision: 3 }).nullable();
    t.datetime('finished_at', { precision: 3 }).nullable();
    timestamps(t);
    t.index(['tenant_id', 'status']);
    // The worker's scan for imports to (re)start crosses tenants, like the outbox relay's.
    t.index(['status', 'lease_expires_at'], 'product_imports_pending');
  });
  await db.schema.createTable('product_import_chunks', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('import_id', 36).notNullable();
    t.integer('seq').notNullable();
    t.specificType('data', 'mediumblob').notNullable();
    t.primary(['tenant_id', 'import_id', 'seq']);
  });
  await db.schema.createTable('product_import_errors', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('import_id', 36).notNullable();
    t.integer('seq').notNullable();
    t.integer('line').notNullable();
    t.string('pointer', 300).notNullable();
    t.string('code', 64).notNullable();
    t.string('message', 1000).notNullable();
    t.primary(['tenant_id', 'import_id', 'seq']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('product_import_errors');
  await db.schema.dropTable('product_import_chunks');
  await db.schema.dropTable('product_imports');
}
