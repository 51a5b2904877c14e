// Catalog and inventory (issue 3). Every table is tenant-owned with tenant_id first in its key
// and in every index. Slugs, SKU keys, sort keys and search terms are compared byte for byte on
// MySQL (utf8mb4_bin), as on SQLite: the default *_ci collation would call "あ" and "ア" or
// "SKU-a" and "SKU-A" the same key on one database and different keys on the other.
import type { Knex } from 'knex';
import { tenantKey, timestamps } from '../schema.js';

const BIN = 'utf8mb4_bin';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('products', (t) => {
    tenantKey(t);
    t.string('status', 16).notNullable();
    t.json('attributes').notNullable();
    t.json('images').notNullable();
    t.datetime('published_at', { precision: 3 }).nullable();
    timestamps(t);
    // The store's default listing: active products, newest first (ids are time-ordered).
    t.index(['tenant_id', 'status', 'id'], 'products_status_idx');
  });

  await db.schema.createTable('product_translations', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('locale', 16).notNullable();
    t.string('name', 300).notNullable();
    /** NFKC + lower case: the same name order on both databases. */
    t.string('name_key', 300).collate(BIN).notNullable();
    t.string('slug', 200).collate(BIN).notNullable();
    t.text('description').notNullable();
    t.primary(['tenant_id', 'product_id', 'locale']);
    t.unique(['tenant_id', 'locale', 'slug'], { indexName: 'product_tr_slug_uq' });
    t.index(['tenant_id', 'slug'], 'product_tr_slug_idx');
    t.index(['tenant_id', 'locale', 'name_key', 'product_id'], 'product_tr_name_idx');
  });

  await db.schema.createTable('product_variants', (t) => {
    tenantKey(t);
    t.string('product_id', 36).notNullable();
    t.string('sku', 100).notNullable();
    /** Lower-cased SKU: SKUs are unique per tenant regardless of case, on both databases. */
    t.string('sku_key', 100).collate(BIN).notNullable();
    t.json('options').notNullable();
    t.integer('position').notNullable().defaultTo(0);
    t.string('status', 16).notNullable();
    timestamps(t);
    t.unique(['tenant_id', 'sku_key'], { indexName: 'variants_sku_uq' });
    t.index(['tenant_id', 'product_id', 'position'], 'variants_product_idx');
  });

  await db.schema.createTable('variant_prices', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('variant_id', 36).notNullable();
    t.string('currency', 3).notNullable();
    t.string('product_id', 36).notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('compare_at_amount').nullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'variant_id', 'currency']);
    t.index(['tenant_id', 'product_id', 'currency', 'amount'], 'variant_prices_product_idx');
  });

  // Lowest and highest active-variant price per product and currency, kept in step with every
  // price and variant write: the store sorts and shows "from" prices off one index.
  await db.schema.createTable('product_price_ranges', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('currency', 3).notNullable();
    t.bigInteger('min_amount').notNullable();
    t.bigInteger('max_amount').notNullable();
    t.primary(['tenant_id', 'product_id', 'currency']);
    t.index(['tenant_id', 'currency', 'min_amount', 'product_id'], 'price_ranges_sort_idx');
  });

  await db.schema.createTable('categories', (t) => {
    tenantKey(t);
    t.string('parent_id', 36).nullable();
    /** Materialised path of ids, `/root/child/self/`: a subtree is one prefix range. */
    t.string('path', 400).collate(BIN).notNullable();
    t.integer('depth').notNullable();
    t.string('handle', 100).collate(BIN).notNullable();
    t.json('names').notNullable();
    t.integer('position').notNullable().defaultTo(0);
    timestamps(t);
    t.unique(['tenant_id', 'handle'], { indexName: 'categories_handle_uq' });
    t.index(['tenant_id', 'path'], 'categories_path_idx');
    t.index(['tenant_id', 'parent_id', 'position'], 'categories_parent_idx');
  });

  await db.schema.createTable('product_categories', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('category_id', 36).notNullable();
    t.primary(['tenant_id', 'product_id', 'category_id']);
    t.index(['tenant_id', 'category_id', 'product_id'], 'product_categories_cat_idx');
  });

  // Attribute and option values, one row per (product, name, value), for store filters.
  await db.schema.createTable('product_facets', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.string('name', 64).collate(BIN).notNullable();
    t.string('value', 191).collate(BIN).notNullable();
    t.primary(['tenant_id', 'product_id', 'name', 'value']);
    t.index(['tenant_id', 'name', 'value', 'product_id'], 'product_facets_value_idx');
  });

  await db.schema.createTable('stock_locations', (t) => {
    tenantKey(t);
    t.string('code', 64).collate(BIN).notNullable();
    t.string('name', 200).notNullable();
    t.boolean('is_default').notNullable().defaultTo(false);
    timestamps(t);
    t.unique(['tenant_id', 'code'], { indexName: 'stock_locations_code_uq' });
  });

  await db.schema.createTable('stock_levels', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('variant_id', 36).notNullable();
    t.string('location_id', 36).notNullable();
    t.string('product_id', 36).notNullable();
    t.integer('on_hand').notNullable().defaultTo(0);
    t.integer('reserved').notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.primary(['tenant_id', 'variant_id', 'location_id']);
    t.index(['tenant_id', 'product_id'], 'stock_levels_product_idx');
    // The conditional updates keep these true; the database refuses anything that slips by.
    t.check('?? >= 0 and ?? >= 0 and ?? <= ??', ['reserved', 'on_hand', 'reserved', 'on_hand'], 'stock_levels_non_negative');
  });

  await db.schema.createTable('stock_movements', (t) => {
    tenantKey(t);
    t.string('variant_id', 36).notNullable();
    t.string('location_id', 36).notNullable();
    t.string('reason', 32).notNullable();
    t.integer('on_hand_delta').notNullable();
    t.integer('reserved_delta').notNullable();
    t.integer('on_hand_after').notNullable();
    t.integer('reserved_after').notNullable();
    t.string('reference', 100).nullable();
    t.string('note', 500).nullable();
    t.string('actor_type', 16).notNullable();
    t.string('actor_id', 64).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.index(['tenant_id', 'variant_id', 'id'], 'stock_movements_variant_idx');
  });

  // The built-in search engine: a per-tenant vocabulary, its bigrams (typo candidates) and
  // postings (term -> product with a weight).
  await db.schema.createTable('search_terms', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('term', 64).collate(BIN).notNullable();
    t.integer('doc_count').notNullable();
    t.primary(['tenant_id', 'term']);
  });
  await db.schema.createTable('search_grams', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('gram', 16).collate(BIN).notNullable();
    t.smallint('len').notNullable();
    t.string('term', 64).collate(BIN).notNullable();
    t.primary(['tenant_id', 'gram', 'len', 'term']);
  });
  await db.schema.createTable('search_postings', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('term', 64).collate(BIN).notNullable();
    t.string('product_id', 36).notNullable();
    t.integer('weight').notNullable();
    t.primary(['tenant_id', 'term', 'product_id']);
    t.index(['tenant_id', 'product_id'], 'search_postings_product_idx');
  });
  await db.schema.createTable('search_queries', (t) => {
    t.string('tenant_id', 36).notNullable();
    t.string('day', 10).notNullable();
    t.string('query', 100).collate(BIN).notNullable();
    t.integer('count').notNullable();
    t.integer('zero_results').notNullable();
    t.primary(['tenant_id', 'day', 'query']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'search_queries', 'search_postings', 'search_grams', 'search_terms', 'stock_movements', 'stock_levels', 'stock_locations',
    'product_facets', 'product_categories', 'categories', 'product_price_ranges', 'variant_prices', 'product_variants',
    'product_translations', 'products',
  ]) {
    await db.schema.dropTableIfExists(table);
  }
}
