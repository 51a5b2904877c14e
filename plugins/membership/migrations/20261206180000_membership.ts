import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

const LEDGERS = ['membership_points', 'membership_growth'];

function isMysql(db: Knex): boolean {
  return !String((db.client as { driverName?: string }).driverName ?? '').includes('sqlite');
}

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('membership_members', (t) => {
    tenantKey(t);
    t.string('customer_id', 36).notNullable();
    t.string('tier_id', 36).nullable();
    t.datetime('tier_entered_at', { precision: 3 }).nullable();
    t.datetime('tier_expires_at', { precision: 3 }).nullable();
    t.bigInteger('points_available').notNullable().defaultTo(0);
    t.bigInteger('points_pending').notNullable().defaultTo(0);
    t.bigInteger('points_held').notNullable().defaultTo(0);
    t.bigInteger('points_debt').notNullable().defaultTo(0);
    t.bigInteger('growth_total').notNullable().defaultTo(0);
    t.bigInteger('growth_pending').notNullable().defaultTo(0);
    t.string('birthday', 5).nullable();
    t.string('referral_code', 16).notNullable();
    t.string('referred_by', 36).nullable();
    t.datetime('last_activity_at', { precision: 3 }).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'customer_id']);
    t.unique(['tenant_id', 'referral_code']);
    t.index(['tenant_id', 'tier_expires_at']);
  });
  // The two ledgers: append-only, one row per (member, business event, line).
  await db.schema.createTable('membership_points', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('biz_type', 32).notNullable();
    t.string('biz_id', 64).notNullable();
    t.string('biz_line_id', 64).notNullable().defaultTo('');
    t.bigInteger('available_delta').notNullable().defaultTo(0);
    t.bigInteger('pending_delta').notNullable().defaultTo(0);
    t.bigInteger('held_delta').notNullable().defaultTo(0);
    t.string('note', 300).nullable();
    t.string('actor', 100).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'member_id', 'biz_type', 'biz_id', 'biz_line_id'], { indexName: 'membership_points_biz_unique' });
    t.index(['tenant_id', 'member_id', 'id']);
  });
  await db.schema.createTable('membership_growth', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('biz_type', 32).notNullable();
    t.string('biz_id', 64).notNullable();
    t.string('biz_line_id', 64).notNullable().defaultTo('');
    t.bigInteger('approved_delta').notNullable().defaultTo(0);
    t.bigInteger('pending_delta').notNullable().defaultTo(0);
    t.string('note', 300).nullable();
    t.string('actor', 100).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'member_id', 'biz_type', 'biz_id', 'biz_line_id'], { indexName: 'membership_growth_biz_unique' });
    t.index(['tenant_id', 'member_id', 'created_at']);
  });
  // Earn lots (FIFO spending, expiry, exact reversal) and what each spend drew on.
  await db.schema.createTable('membership_lots', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('source_type', 32).notNullable();
    t.string('source_id', 64).notNullable();
    t.string('source_line', 64).notNullable().defaultTo('');
    t.string('state', 16).notNullable();
    t.bigInteger('granted').notNullable();
    t.bigInteger('remaining').notNullable();
    t.bigInteger('reversed').notNullable().defaultTo(0);
    t.integer('quantity').notNullable().defaultTo(0);
    t.integer('reversed_quantity').notNullable().defaultTo(0);
    t.bigInteger('growth').notNullable().defaultTo(0);
    t.bigInteger('growth_reversed').notNullable().defaultTo(0);
    t.datetime('available_at', { precision: 3 }).nullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.datetime('notified_at', { precision: 3 }).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'member_id', 'source_type', 'source_id', 'source_line'], { indexName: 'membership_lots_source_unique' });
    t.index(['tenant_id', 'member_id', 'state', 'expires_at']);
    t.index(['tenant_id', 'state', 'available_at']);
    t.index(['tenant_id', 'state', 'expires_at']);
  });
  await db.schema.createTable('membership_allocations', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('hold_id', 36).notNullable();
    t.string('lot_id', 36).notNullable();
    t.bigInteger('points').notNullable();
    t.bigInteger('returned').notNullable().defaultTo(0);
    timestamps(t);
    t.index(['tenant_id', 'hold_id']);
  });
  // Points held on a cart, then spent when its order is paid.
  await db.schema.createTable('membership_holds', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('cart_id', 36).notNullable();
    t.string('order_id', 36).nullable();
    t.string('status', 16).notNullable();
    t.bigInteger('points').notNullable();
    t.bigInteger('used').notNullable().defaultTo(0);
    t.bigInteger('value').notNullable().defaultTo(0);
    t.bigInteger('restored').notNullable().defaultTo(0);
    t.string('currency', 3).nullable();
    timestamps(t);
    t.index(['tenant_id', 'member_id', 'cart_id']);
    t.index(['tenant_id', 'order_id']);
    t.index(['tenant_id', 'status', 'created_at']);
  });
  await db.schema.createTable('membership_tiers', (t) => {
    tenantKey(t);
    t.integer('rank').notNullable();
    t.string('name', 100).notNullable();
    t.bigInteger('threshold').notNullable();
    t.bigInteger('entry_reward_points').notNullable().defaultTo(0);
    t.json('benefits').notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'rank']);
  });
  await db.schema.createTable('membership_checkins', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('day', 10).notNullable();
    t.integer('streak').notNullable();
    t.bigInteger('points').notNullable();
    t.bigInteger('growth').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'member_id', 'day']);
  });
  await db.schema.createTable('membership_adjustments', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.bigInteger('points').notNullable();
    t.bigInteger('growth').notNullable();
    t.string('reason_code', 32).notNullable();
    t.string('note', 500).nullable();
    t.string('staff_id', 36).notNullable();
    t.string('day', 10).notNullable();
    t.string('status', 24).notNullable();
    t.string('decided_by', 36).nullable();
    timestamps(t);
    t.index(['tenant_id', 'staff_id', 'day']);
    t.index(['tenant_id', 'status']);
  });
  // Forbid updates of ledger rows in the database itself.
  for (const table of LEDGERS) {
    if (isMysql(db)) {
      // eslint-disable-next-line no-restricted-syntax -- table is one of the constant LEDGERS
      await db.raw(`create trigger ${table}_no_update before update on ${table} for each row signal sqlstate '45000' set message_text = '${table} is append-only'`);
    } else {
      // eslint-disable-next-line no-restricted-syntax -- table is one of the constant LEDGERS
      await db.raw(`create trigger ${table}_no_update before update on ${table} begin select raise(abort, '${table} is append-only'); end`);
    }
  }
}

export async function down(db: Knex): Promise<void> {
  // eslint-disable-next-line no-restricted-syntax -- table is one of the constant LEDGERS
  for (const table of LEDGERS) await db.raw(`drop trigger if exists ${table}_no_update`);
  for (const table of ['membership_adjustments', 'membership_checkins', 'membership_tiers', 'membership_holds', 'membership_allocations', 'membership_lots', 'membership_growth', 'membership_points', 'membership_members']) {
    await db.schema.dropTableIfExists(table);
  }
}
