// A cart remembers its market (picked from the shipping address when the shopper gave no
// explicit choice) and, once checkout begins, the conversion it is priced with (issue 20,
// requirement 35): a rate that changes while the shopper checks out does not change the charge.
import type { Knex } from '../knex.js';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('carts', (t) => {
    t.string('market', 32).nullable();
    /** The locked conversion (core/catalog/pricing.ts LockedConversion), JSON. */
    t.json('fx_lock').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('carts', (t) => {
    t.dropColumn('fx_lock');
    t.dropColumn('market');
  });
}
