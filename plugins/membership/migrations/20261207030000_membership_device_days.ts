import crypto from 'node:crypto';
import type { Knex } from '@bazaar/sdk';
import { tenantKey } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  // Accounts checked in from one device (a hash of its X-Device-Id) on one store day: a counter
  // row taken under its lock, so parallel check-ins of many accounts on one device never pass
  // the store's per-device limit. The id is derived from (device, day) (see checkin.ts).
  await db.schema.createTable('membership_device_days', (t) => {
    tenantKey(t);
    t.string('device_hash', 64).notNullable();
    t.string('day', 10).notNullable();
    t.integer('members').notNullable().defaultTo(0);
    t.unique(['tenant_id', 'device_hash', 'day'], { indexName: 'membership_device_days_device_day' });
  });
  // The check-ins made before: their counts, so today's limit holds across the upgrade.
  const rows = (await db('membership_checkins').select('tenant_id', 'device_hash', 'day').count({ members: '*' }).whereNotNull('device_hash').groupBy('tenant_id', 'device_hash', 'day')) as { tenant_id: string; device_hash: string; day: string; members: number | string }[];
  for (let i = 0; i < rows.length; i += 500) {
    await db('membership_device_days').insert(rows.slice(i, i + 500).map((r) => ({ tenant_id: r.tenant_id, id: deviceDayId(r.device_hash, r.day), device_hash: r.device_hash, day: r.day, members: Number(r.members) })));
  }
}

/** As checkin.ts's deviceDayId (a migration keeps its own copy: it must not change with the code). */
function deviceDayId(deviceHash: string, day: string): string {
  return crypto.createHash('sha256').update(`${deviceHash}:${day}`).digest('hex').slice(0, 36);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('membership_device_days');
}
