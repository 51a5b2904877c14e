// ONB-11: a penalty point an overturned appeal removed is kept, marked void (who, when, which
// restriction's appeal), and no longer counts.
import type { Knex } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('onboarding_penalties', (t) => {
    t.datetime('voided_at', { precision: 3 }).nullable();
    t.string('voided_by', 36).nullable();
    t.string('void_restriction_id', 36).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('onboarding_penalties', (t) => {
    for (const c of ['voided_at', 'voided_by', 'void_restriction_id']) t.dropColumn(c);
  });
}
