// The store an approval opens, after it opens: its lifecycle on the application (ONB-2), deposit
// deductions tied to a violation and the top-up deadline (ONB-8), the payout-account prerequisite,
// the product quality gate (ONB-9) and the seller scorecard (ONB-11).
import type { Knex } from '@bazaar/sdk';
import { DEFAULT_TEMPLATES } from '../checklist.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('onboarding_applications', (t) => {
    t.string('store_status', 24).nullable();
    t.string('store_status_reason', 64).nullable();
    t.datetime('top_up_due_at', { precision: 3 }).nullable();
    t.string('payout_account_status', 16).nullable();
    t.string('payout_account_ref', 100).nullable();
    t.datetime('terminated_at', { precision: 3 }).nullable();
    t.index(['store_id']);
  });
  await db.schema.alterTable('onboarding_deposits', (t) => {
    t.string('violation_id', 64).nullable();
  });
  await db.schema.alterTable('onboarding_templates', (t) => {
    t.boolean('requires_quality_report').notNullable().defaultTo(false);
    t.boolean('requires_payout_account').notNullable().defaultTo(false);
  });
  // The seeded templates, untouched by an admin, get the chain and UBO rules and the quality-report flag.
  for (const tpl of DEFAULT_TEMPLATES) {
    await db('onboarding_templates').where({ category: tpl.category, name: tpl.name }).update({ requirements: JSON.stringify(tpl.requirements), requires_quality_report: Boolean(tpl.requiresQualityReport) });
  }
  await db.schema.createTable('onboarding_product_reviews', (t) => {
    t.string('id', 36).primary();
    t.string('store_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('status', 16).notNullable();
    t.json('reasons').notNullable();
    t.string('note', 1000).nullable();
    t.boolean('auto').notNullable().defaultTo(false);
    t.string('reviewer_id', 36).nullable();
    t.datetime('proposed_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.unique(['store_id', 'product_id']);
    t.index(['status', 'proposed_at']);
  });
  await db.schema.createTable('onboarding_scorecards', (t) => {
    t.string('id', 36).primary();
    t.string('store_id', 36).notNullable();
    t.string('day', 10).notNullable();
    t.integer('window_days').notNullable();
    t.integer('orders').notNullable();
    t.integer('cancelled_by_seller').notNullable();
    t.integer('shipped').notNullable();
    t.integer('shipped_late').notNullable();
    t.integer('valid_tracking').notNullable();
    t.integer('returned').notNullable();
    t.json('rates').notNullable();
    t.json('breaches').notNullable();
    t.datetime('computed_at', { precision: 3 }).notNullable();
    t.unique(['store_id', 'day', 'window_days']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('onboarding_scorecards');
  await db.schema.dropTableIfExists('onboarding_product_reviews');
  await db.schema.alterTable('onboarding_templates', (t) => {
    t.dropColumn('requires_quality_report');
    t.dropColumn('requires_payout_account');
  });
  await db.schema.alterTable('onboarding_deposits', (t) => {
    t.dropColumn('violation_id');
  });
  await db.schema.alterTable('onboarding_applications', (t) => {
    t.dropIndex(['store_id']);
    for (const c of ['store_status', 'store_status_reason', 'top_up_due_at', 'payout_account_status', 'payout_account_ref', 'terminated_at']) t.dropColumn(c);
  });
}
