import type { Knex } from '@bazaar/sdk';
import { tenantKey, timestamps } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  // Remembered geocodes, per store and geocoder: a hit (found) or "no such place".
  await db.schema.createTable('logistics_geocodes', (t) => {
    tenantKey(t);
    t.string('address_key', 64).notNullable();
    t.string('geocoder', 16).notNullable();
    t.boolean('found').notNullable();
    t.double('lat').nullable();
    t.double('lng').nullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'address_key'], { indexName: 'logistics_geocodes_key_uq' });
  });
  await db.schema.createTable('logistics_slot_calendars', (t) => {
    tenantKey(t);
    t.string('code', 64).notNullable();
    t.string('name', 200).notNullable();
    t.string('timezone', 64).notNullable();
    t.json('days').notNullable();
    t.json('windows').notNullable();
    t.integer('lead_minutes').notNullable().defaultTo(0);
    t.json('cutoff').nullable();
    t.integer('horizon_days').notNullable();
    t.json('closed_dates').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    timestamps(t);
    t.unique(['tenant_id', 'code'], { indexName: 'logistics_slot_calendars_code_uq' });
  });
  // One counter per dated window: booked only grows by a conditional update (booked < capacity).
  await db.schema.createTable('logistics_slot_usage', (t) => {
    tenantKey(t);
    t.string('calendar_id', 36).notNullable();
    t.string('slot_date', 10).notNullable();
    t.string('window_start', 5).notNullable();
    t.integer('booked').notNullable().defaultTo(0);
    timestamps(t);
    t.unique(['tenant_id', 'calendar_id', 'slot_date', 'window_start'], { indexName: 'logistics_slot_usage_uq' });
  });
  await db.schema.createTable('logistics_slot_reservations', (t) => {
    tenantKey(t);
    t.string('order_id', 36).notNullable();
    t.string('calendar_id', 36).notNullable();
    t.string('slot_date', 10).notNullable();
    t.string('window_start', 5).notNullable();
    t.string('option_id', 64).notNullable();
    t.string('state', 16).notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'order_id'], { indexName: 'logistics_slot_reservations_order_uq' });
    t.index(['tenant_id', 'calendar_id', 'slot_date'], 'logistics_slot_reservations_slot_idx');
  });
  await db.schema.alterTable('logistics_local_areas', (t) => {
    t.json('origin').nullable();
    t.json('bands').nullable();
    t.string('calendar_id', 36).nullable();
  });
  await db.schema.alterTable('logistics_pickup_points', (t) => {
    t.json('coordinates').nullable();
    t.string('calendar_id', 36).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('logistics_pickup_points', (t) => {
    t.dropColumn('coordinates');
    t.dropColumn('calendar_id');
  });
  await db.schema.alterTable('logistics_local_areas', (t) => {
    t.dropColumn('origin');
    t.dropColumn('bands');
    t.dropColumn('calendar_id');
  });
  for (const t of ['logistics_slot_reservations', 'logistics_slot_usage', 'logistics_slot_calendars', 'logistics_geocodes']) await db.schema.dropTable(t);
}
