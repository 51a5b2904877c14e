// Variants' shipping facts for rate calculators and customs declarations: weight and box
// dimensions as the merchant gave them (value and unit, never converted on the way in, so 5 lb
// stays 5 lb), and for international parcels the HS code and country of origin.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('product_variants', (t) => {
    t.decimal('weight', 12, 3).nullable();
    t.string('weight_unit', 2).nullable();
    t.decimal('length', 10, 2).nullable();
    t.decimal('width', 10, 2).nullable();
    t.decimal('height', 10, 2).nullable();
    t.string('dimension_unit', 2).nullable();
    t.string('hs_code', 16).nullable();
    t.string('origin_country', 2).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('product_variants', (t) => {
    for (const c of ['weight', 'weight_unit', 'length', 'width', 'height', 'dimension_unit', 'hs_code', 'origin_country']) t.dropColumn(c);
  });
}
