import type { Knex } from '@bazaar/sdk';

// A market's tax rate (requirement 36): with pricesIncludeTax it decides how prices are shown and
// decomposed at checkout; null keeps the store's rate.
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cross_border_markets', (t) => {
    t.integer('tax_rate_bp').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cross_border_markets', (t) => {
    t.dropColumn('tax_rate_bp');
  });
}
