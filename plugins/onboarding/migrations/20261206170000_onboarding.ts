import type { Knex } from '@bazaar/sdk';
import { newId, timestamps } from '@bazaar/sdk';
import { DEFAULT_TEMPLATES } from '../checklist.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('onboarding_applicants', (t) => {
    t.string('id', 36).primary();
    t.string('email', 254).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('password_hash', 200).notNullable();
    t.datetime('email_confirmed_at', { precision: 3 }).nullable();
    timestamps(t);
  });
  await db.schema.createTable('onboarding_tokens', (t) => {
    t.string('token_hash', 64).primary();
    t.string('applicant_id', 36).notNullable().index();
    t.string('kind', 16).notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('used_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
  await db.schema.createTable('onboarding_templates', (t) => {
    t.string('id', 36).primary();
    t.string('category', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.json('requirements').notNullable();
    t.bigInteger('deposit_amount').nullable();
    t.string('deposit_currency', 3).nullable();
    timestamps(t);
  });
  await db.schema.createTable('onboarding_applications', (t) => {
    t.string('id', 36).primary();
    t.string('applicant_id', 36).notNullable().index();
    t.string('status', 16).notNullable();
    t.string('category', 64).notNullable();
    t.string('store_name', 200).notNullable();
    t.string('store_slug', 63).notNullable();
    t.json('data').notNullable();
    t.json('attestations').notNullable();
    t.string('reviewer_id', 36).nullable();
    t.datetime('submitted_at', { precision: 3 }).nullable();
    t.datetime('sla_due_at', { precision: 3 }).nullable();
    t.datetime('sla_breached_at', { precision: 3 }).nullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.string('store_id', 36).nullable();
    t.datetime('activation_due_at', { precision: 3 }).nullable();
    t.datetime('contract_accepted_at', { precision: 3 }).nullable();
    t.datetime('activated_at', { precision: 3 }).nullable();
    timestamps(t);
    t.index(['status', 'sla_due_at']);
  });
  await db.schema.createTable('onboarding_documents', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().index();
    t.string('requirement_id', 64).notNullable();
    t.string('filename', 120).notNullable();
    t.string('content_type', 100).notNullable();
    t.string('format', 8).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('storage_key', 200).notNullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    timestamps(t);
  });
  await db.schema.createTable('onboarding_items', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable();
    t.string('requirement_id', 64).notNullable();
    t.string('status', 16).notNullable();
    t.json('reasons').notNullable();
    t.string('note', 1000).nullable();
    t.string('reviewer_id', 36).nullable();
    t.datetime('reviewed_at', { precision: 3 }).notNullable();
    t.unique(['application_id', 'requirement_id']);
  });
  await db.schema.createTable('onboarding_decisions', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().index();
    t.string('action', 32).notNullable();
    t.string('from_status', 16).notNullable();
    t.string('to_status', 16).notNullable();
    t.json('reasons').notNullable();
    t.text('external_note').nullable();
    t.text('internal_note').nullable();
    t.text('override_reason').nullable();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
  await db.schema.createTable('onboarding_deposits', (t) => {
    t.string('id', 36).primary();
    t.string('application_id', 36).notNullable().index();
    t.string('store_id', 36).nullable();
    t.string('type', 16).notNullable();
    t.bigInteger('amount').notNullable();
    t.string('currency', 3).notNullable();
    t.string('reference', 200).nullable();
    t.string('created_by', 64).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
  });
  await db.schema.createTable('onboarding_reviewers', (t) => {
    t.string('admin_id', 36).primary();
    t.json('permissions').notNullable();
    timestamps(t);
  });
  const now = new Date();
  // Seeded again, with the flags of a later migration, by 20261206210000.
  for (const tpl of DEFAULT_TEMPLATES) {
    await db('onboarding_templates').insert({ id: newId(), category: tpl.category, name: tpl.name, requirements: JSON.stringify(tpl.requirements), deposit_amount: tpl.depositAmount, deposit_currency: tpl.depositCurrency, created_at: now, updated_at: now });
  }
}

export async function down(db: Knex): Promise<void> {
  for (const t of ['onboarding_reviewers', 'onboarding_deposits', 'onboarding_decisions', 'onboarding_items', 'onboarding_documents', 'onboarding_applications', 'onboarding_templates', 'onboarding_tokens', 'onboarding_applicants']) await db.schema.dropTableIfExists(t);
}
