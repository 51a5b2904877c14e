// products.in_stock: whether any active variant has stock available, kept by the inventory
// service whenever a level crosses zero. The store lists and filters on it from an index
// instead of probing every variant's stock per listed product.
import type { Knex } from 'knex';

const IN_STOCK =
  'exists(select 1 from stock_levels sl join product_variants sv on sv.tenant_id = sl.tenant_id and sv.id = sl.variant_id ' +
  "where sl.tenant_id = products.tenant_id and sl.product_id = products.id and sv.status = 'active' and sl.on_hand > sl.reserved)";

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('products', (t) => {
    t.boolean('in_stock').notNullable().defaultTo(false);
    t.index(['tenant_id', 'status', 'in_stock', 'id'], 'products_stock_idx');
  });
  // eslint-disable-next-line no-restricted-syntax -- IN_STOCK is a constant SQL condition
  await db('products').update({ in_stock: db.raw(`case when ${IN_STOCK} then 1 else 0 end`) });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('products', (t) => {
    t.dropIndex(['tenant_id', 'status', 'in_stock', 'id'], 'products_stock_idx');
    t.dropColumn('in_stock');
  });
}
