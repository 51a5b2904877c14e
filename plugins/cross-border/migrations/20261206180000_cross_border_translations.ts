import type { Knex } from '@bazaar/sdk';
import { tenantKey } from '@bazaar/sdk';

// One generic translation table for any entity (requirement 40, the Medusa model). `slug` copies
// fields.slug so "one slug per entity type and language" is a plain unique index on both
// databases (the Saleor rule; NULLs do not collide).
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('cross_border_translations', (t) => {
    tenantKey(t);
    t.string('entity_type', 64).notNullable();
    t.string('entity_id', 64).notNullable();
    t.string('locale', 35).notNullable();
    t.json('fields').notNullable();
    t.string('slug', 200).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable();
    t.unique(['tenant_id', 'entity_type', 'entity_id', 'locale'], { indexName: 'cb_translations_entity_locale_uq' });
    t.unique(['tenant_id', 'entity_type', 'locale', 'slug'], { indexName: 'cb_translations_slug_uq' });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('cross_border_translations');
}
