// Change requests for live products (ONB-9), and the scorecard's order defects, ratings, weekly
// penalty points, restrictions and their appeals (ONB-11).
import type { Knex } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('onboarding_product_changes', (t) => {
    t.string('id', 36).primary();
    t.string('store_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('status', 16).notNullable();
    /** The product id while pending, null after: one pending change per product (NULLs never collide). */
    t.string('pending_key', 36).nullable();
    t.integer('revision').notNullable().defaultTo(1);
    t.json('actions').notNullable();
    t.json('reasons').notNullable();
    t.string('note', 2000).nullable();
    t.boolean('auto').notNullable().defaultTo(false);
    t.string('assignee_id', 36).nullable();
    t.string('reviewer_id', 36).nullable();
    t.datetime('proposed_at', { precision: 3 }).notNullable();
    t.datetime('sla_due_at', { precision: 3 }).notNullable();
    t.datetime('decided_at', { precision: 3 }).nullable();
    t.unique(['store_id', 'pending_key']);
    t.index(['status', 'sla_due_at']);
    t.index(['store_id', 'product_id']);
  });
  await db.schema.createTable('onboarding_store_policies', (t) => {
    t.string('store_id', 36).primary();
    t.boolean('auto_confirm_changes').notNullable().defaultTo(false);
    t.string('updated_by', 36).nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
  });
  await db.schema.createTable('onboarding_order_feedback', (t) => {
    t.string('id', 36).primary();
    t.string('store_id', 36).notNullable();
    t.string('order_id', 36).notNullable();
    t.string('kind', 16).notNullable();
    t.integer('rating').nullable();
    t.string('reference', 200).nullable();
    t.string('recorded_by', 36).nullable();
    t.datetime('occurred_at', { precision: 3 }).notNullable();
    t.unique(['store_id', 'order_id', 'kind']);
    t.index(['store_id', 'occurred_at']);
  });
  await db.schema.alterTable('onboarding_scorecards', (t) => {
    t.integer('defective').notNullable().defaultTo(0);
    t.integer('ratings').notNullable().defaultTo(0);
    t.integer('rating_sum').notNullable().defaultTo(0);
  });
  await db.schema.createTable('onboarding_penalties', (t) => {
    t.string('id', 36).primary();
    t.string('store_id', 36).notNullable();
    t.string('week', 10).notNullable();
    t.string('quarter', 7).notNullable();
    t.string('metric', 32).notNullable();
    t.integer('points').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['store_id', 'week', 'metric']);
    t.index(['store_id', 'quarter']);
  });
  await db.schema.createTable('onboarding_restrictions', (t) => {
    t.string('id', 36).primary();
    t.string('store_id', 36).notNullable();
    t.string('quarter', 7).notNullable();
    t.integer('level').notNullable();
    t.string('kind', 24).notNullable();
    t.datetime('starts_at', { precision: 3 }).notNullable();
    t.datetime('ends_at', { precision: 3 }).notNullable();
    t.datetime('lifted_at', { precision: 3 }).nullable();
    t.string('lift_reason', 24).nullable();
    t.string('appeal_status', 16).nullable();
    t.string('appeal_text', 2000).nullable();
    t.datetime('appealed_at', { precision: 3 }).nullable();
    t.string('appeal_decided_by', 36).nullable();
    t.datetime('appeal_decided_at', { precision: 3 }).nullable();
    t.string('appeal_note', 2000).nullable();
    t.unique(['store_id', 'quarter', 'level']);
    t.index(['lifted_at', 'ends_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('onboarding_restrictions');
  await db.schema.dropTableIfExists('onboarding_penalties');
  await db.schema.alterTable('onboarding_scorecards', (t) => {
    for (const c of ['defective', 'ratings', 'rating_sum']) t.dropColumn(c);
  });
  await db.schema.dropTableIfExists('onboarding_order_feedback');
  await db.schema.dropTableIfExists('onboarding_store_policies');
  await db.schema.dropTableIfExists('onboarding_product_changes');
}
