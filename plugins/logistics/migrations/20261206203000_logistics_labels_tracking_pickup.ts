import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  // One row per purchase attempt of a fulfilment's label; `attempt` grows only when a label is
  // voided, so retries of one attempt reuse its idempotency key and the carrier charges once.
  await db.schema.createTable('logistics_labels', (t) => {
    tenantKey(t);
    t.string('fulfilment_id', 36).notNullable();
    t.string('order_id', 36).notNullable();
    t.integer('attempt').notNullable();
    t.string('idempotency_key', 120).notNullable();
    t.string('state', 16).notNullable();
    t.string('carrier_kind', 16).notNullable();
    t.string('service', 100).notNullable();
    t.string('carrier', 64).nullable();
    t.string('tracking_number', 100).nullable();
    t.string('tracking_url', 500).nullable();
    t.string('label_url', 500).nullable();
    t.string('external_id', 100).nullable();
    t.bigInteger('amount').nullable();
    t.string('currency', 3).nullable();
    t.string('shipment_id', 36).nullable();
    t.string('error', 500).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'fulfilment_id', 'attempt'], { indexName: 'logistics_labels_attempt_uq' });
  });
  await db.schema.createTable('logistics_trackings', (t) => {
    tenantKey(t);
    t.string('shipment_id', 36).notNullable();
    t.string('order_id', 36).notNullable();
    t.string('label_id', 36).nullable();
    t.string('source', 16).notNullable();
    t.string('carrier', 64).notNullable();
    t.string('tracking_number', 100).notNullable();
    t.string('status', 24).notNullable();
    t.string('raw_status', 64).nullable();
    t.string('raw_detail', 64).nullable();
    t.datetime('last_event_at', { precision: 3 }).nullable();
    t.datetime('last_change_at', { precision: 3 }).notNullable();
    t.datetime('next_poll_at', { precision: 3 }).nullable();
    t.integer('polls').notNullable().defaultTo(0);
    timestamps(t);
    t.unique(['tenant_id', 'shipment_id'], { indexName: 'logistics_trackings_shipment_uq' });
    t.index(['tenant_id', 'tracking_number'], 'logistics_trackings_number_idx');
    t.index(['tenant_id', 'next_poll_at'], 'logistics_trackings_poll_idx');
  });
  // Deduplicated on (carrier, tracking number, event time, code) through dedupe_key.
  await db.schema.createTable('logistics_tracking_events', (t) => {
    tenantKey(t);
    t.string('tracking_id', 36).notNullable();
    t.string('dedupe_key', 64).notNullable();
    t.string('status', 24).notNullable();
    t.string('raw_status', 64).notNullable();
    t.string('raw_detail', 64).nullable();
    t.datetime('occurred_at', { precision: 3 }).notNullable();
    t.string('message', 500).nullable();
    t.string('location', 200).nullable();
    t.string('via', 16).notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'dedupe_key'], { indexName: 'logistics_tracking_events_uq' });
    t.index(['tenant_id', 'tracking_id'], 'logistics_tracking_events_tracking_idx');
  });
  await db.schema.createTable('logistics_pickup_points', (t) => {
    tenantKey(t);
    t.string('location_id', 36).notNullable();
    t.string('code', 64).notNullable();
    t.string('name', 200).notNullable();
    t.json('address').notNullable();
    t.json('hours').notNullable();
    t.string('instructions', 500).nullable();
    t.bigInteger('fee').notNullable().defaultTo(0);
    t.string('currency', 3).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    timestamps(t);
    t.unique(['tenant_id', 'code'], { indexName: 'logistics_pickup_points_code_uq' });
  });
  await db.schema.createTable('logistics_pickups', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('pickup_point_id', 36).notNullable();
    t.string('shipment_id', 36).notNullable();
    t.string('code', 12).notNullable();
    t.string('state', 16).notNullable();
    t.integer('failed_tries').notNullable().defaultTo(0);
    t.datetime('ready_at', { precision: 3 }).notNullable();
    t.datetime('picked_up_at', { precision: 3 }).nullable();
    timestamps(t);
    t.unique(['tenant_id', 'order_id'], { indexName: 'logistics_pickups_order_uq' });
  });
  await db.schema.createTable('logistics_local_areas', (t) => {
    tenantKey(t);
    t.string('code', 64).notNullable();
    t.string('name', 200).notNullable();
    t.string('location_id', 36).nullable();
    t.string('country', 2).notNullable();
    t.json('postal_codes').notNullable();
    t.bigInteger('fee').notNullable();
    t.string('currency', 3).notNullable();
    t.bigInteger('free_over').nullable();
    t.json('slots').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    timestamps(t);
    t.unique(['tenant_id', 'code'], { indexName: 'logistics_local_areas_code_uq' });
  });
}

export async function down(db: Knex): Promise<void> {
  for (const t of ['logistics_local_areas', 'logistics_pickups', 'logistics_pickup_points', 'logistics_tracking_events', 'logistics_trackings', 'logistics_labels']) await db.schema.dropTable(t);
}
