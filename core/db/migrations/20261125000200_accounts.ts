import type { Knex } from 'knex';
import { tenantKey, timestamps } from '../schema.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('platform_admins', (t) => {
    t.string('id', 36).primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    timestamps(t);
  });
  await db.schema.createTable('platform_sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.string('admin_id', 36).notNullable().index();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
  await db.schema.createTable('audit_log', (t) => {
    t.string('id', 36).primary();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 36).nullable();
    t.string('action', 64).notNullable();
    t.string('target_type', 32).notNullable();
    t.string('target_id', 64).nullable();
    t.string('tenant_id', 36).nullable();
    t.json('before').nullable();
    t.json('after').nullable();
    t.string('request_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'created_at']);
    t.index(['created_at']);
  });
  await db.schema.createTable('staff', (t) => {
    tenantKey(t);
    t.string('email', 254).notNullable();
    t.string('name', 200).notNullable();
    t.string('role', 16).notNullable();
    t.string('status', 16).notNullable().defaultTo('active');
    t.string('password_hash', 255).notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'email']);
  });
  await db.schema.createTable('customers', (t) => {
    tenantKey(t);
    t.string('email', 254).notNullable();
    t.string('name', 200).notNullable();
    t.string('password_hash', 255).notNullable();
    t.string('locale', 16).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'email']);
  });
  await db.schema.createTable('sessions', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('token_hash', 64).notNullable();
    t.string('subject_type', 16).notNullable();
    t.string('subject_id', 36).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'token_hash']);
    t.index(['tenant_id', 'subject_type', 'subject_id']);
  });
  await db.schema.createTable('password_resets', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('token_hash', 64).notNullable();
    t.string('subject_type', 16).notNullable();
    t.string('subject_id', 36).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('used_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'token_hash']);
  });
  await db.schema.createTable('api_keys', (t) => {
    tenantKey(t);
    t.string('name', 100).notNullable();
    t.string('prefix', 16).notNullable();
    t.string('key_hash', 64).notNullable();
    t.json('scopes').notNullable();
    t.string('created_by', 36).nullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.datetime('last_used_at', { precision: 3 }).nullable();
    t.datetime('revoked_at', { precision: 3 }).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'key_hash']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['api_keys', 'password_resets', 'sessions', 'customers', 'staff', 'audit_log', 'platform_sessions', 'platform_admins']) {
    await db.schema.dropTable(table);
  }
}
