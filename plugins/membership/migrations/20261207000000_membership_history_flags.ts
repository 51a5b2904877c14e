import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  // Every tier move of a member (up, down, renewed, removed with its tier), append-only.
  await db.schema.createTable('membership_tier_changes', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('from_tier_id', 36).nullable();
    t.string('to_tier_id', 36).nullable();
    t.string('from_name', 100).nullable();
    t.string('to_name', 100).nullable();
    t.string('move', 16).notNullable();
    t.string('reason', 24).notNullable();
    t.bigInteger('growth').notNullable().defaultTo(0);
    t.string('actor', 100).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'member_id', 'id']);
  });
  // Fraud flags: a referral payout held for staff review (the referee and the referrer share a
  // phone or an address), decided once.
  await db.schema.createTable('membership_flags', (t) => {
    tenantKey(t);
    t.string('member_id', 36).notNullable();
    t.string('other_member_id', 36).nullable();
    t.string('kind', 32).notNullable();
    t.json('via').notNullable();
    t.bigInteger('points').notNullable().defaultTo(0);
    t.string('status', 16).notNullable();
    t.string('decided_by', 36).nullable();
    t.string('note', 500).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'member_id', 'kind'], { indexName: 'membership_flags_member_kind_unique' });
    t.index(['tenant_id', 'status', 'id']);
  });
  // The device a check-in came from (a hash of the client's X-Device-Id), for the per-device limit.
  await db.schema.alterTable('membership_checkins', (t) => {
    t.string('device_hash', 64).nullable();
    t.index(['tenant_id', 'device_hash', 'day'], 'membership_checkins_device_day');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('membership_checkins', (t) => {
    t.dropIndex(['tenant_id', 'device_hash', 'day'], 'membership_checkins_device_day');
    t.dropColumn('device_hash');
  });
  await db.schema.dropTableIfExists('membership_flags');
  await db.schema.dropTableIfExists('membership_tier_changes');
}
