// Which subtotal a method compares (free-over threshold, order-value brackets, subtotal
// eligibility): after the order's discounts (the spec's default, requirement 24) or before them.
// Methods saved before this column compare after discounts too, as the core now prices shipping
// after the discounts.
import type { Knex } from '@bazaar/sdk';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('logistics_methods', (t) => {
    t.string('subtotal_basis', 20).notNullable().defaultTo('after_discounts');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('logistics_methods', (t) => {
    t.dropColumn('subtotal_basis');
  });
}
