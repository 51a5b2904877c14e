import type { Knex } from 'knex';

// How a store rounds tax (requirement 4 of the cross-border spec): per line (each line's tax
// rounded, then summed: the spec's rule and the default) or once on the taxable total, half-even
// (the default) or half-up.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tenants', (t) => {
    t.string('tax_rounding_per', 8).notNullable().defaultTo('line');
    t.string('tax_rounding_mode', 16).notNullable().defaultTo('halfEven');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tenants', (t) => {
    t.dropColumn('tax_rounding_per');
    t.dropColumn('tax_rounding_mode');
  });
}
