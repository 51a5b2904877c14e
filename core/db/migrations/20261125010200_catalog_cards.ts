// The product card (name, slug and price range shown in store lists) copied onto the product
// row for the store's default locale and currency, so the common list query reads one table.
// card_locale / card_currency say which locale and currency the copy is for: when the store's
// defaults change, rows whose copy is for another one are read the long way until rewritten.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('products', (t) => {
    t.string('card_locale', 16).nullable();
    t.string('card_name', 300).nullable();
    t.string('card_slug', 200).nullable();
    t.string('card_currency', 3).nullable();
    t.bigInteger('card_min_amount').nullable();
    t.bigInteger('card_max_amount').nullable();
  });
  // Existing products: fill the copy where the tenant registry lives in this database.
  if (await db.schema.hasTable('tenants')) {
    await db('products').update({
      card_locale: db.raw('(select t.default_locale from tenants t where t.id = products.tenant_id)'),
      card_currency: db.raw('(select t.default_currency from tenants t where t.id = products.tenant_id)'),
    });
    await db('products').update({
      card_name: db.raw('(select tr.name from product_translations tr where tr.tenant_id = products.tenant_id and tr.product_id = products.id and tr.locale = products.card_locale)'),
      card_slug: db.raw('(select tr.slug from product_translations tr where tr.tenant_id = products.tenant_id and tr.product_id = products.id and tr.locale = products.card_locale)'),
      card_min_amount: db.raw('(select pr.min_amount from product_price_ranges pr where pr.tenant_id = products.tenant_id and pr.product_id = products.id and pr.currency = products.card_currency)'),
      card_max_amount: db.raw('(select pr.max_amount from product_price_ranges pr where pr.tenant_id = products.tenant_id and pr.product_id = products.id and pr.currency = products.card_currency)'),
    });
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('products', (t) => {
    for (const c of ['card_locale', 'card_name', 'card_slug', 'card_currency', 'card_min_amount', 'card_max_amount']) t.dropColumn(c);
  });
}
