// The generic translation table (requirement 40): any plugin or domain can store the text of its
// entities per language, and readers get each field from the best language that has it
// (requirement 39): exact (fr-CA), then the language (fr), then the market's languages, then the
// store default. A missing field falls back on its own, not the whole row.
import { ConflictError, NotFoundError, isUniqueViolation, scoped, fieldError, type TenantCtx } from '@bazaar/sdk';
import { Translation } from './cross-border.model.js';

export interface Resolved {
  entityType: string;
  entityId: string;
  fields: Record<string, string>;
  /** Which locale each field came from. */
  locales: Record<string, string>;
}

/** The order in which locales are tried for `locale`. */
export function fallbackChain(locale: string, marketLanguages: readonly string[], storeDefault: string): string[] {
  const chain = [locale];
  const lang = locale.split('-')[0];
  if (lang !== locale) chain.push(lang);
  for (const l of [...marketLanguages, storeDefault]) if (!chain.includes(l)) chain.push(l);
  return chain;
}

/** Field by field through the chain; rows of other locales sharing the language count as the language. */
export function resolveFields(rows: Pick<Translation, 'locale' | 'fields'>[], chain: string[]): { fields: Record<string, string>; locales: Record<string, string> } {
  const fields: Record<string, string> = {};
  const locales: Record<string, string> = {};
  const ordered: Pick<Translation, 'locale' | 'fields'>[] = [];
  for (const l of chain) {
    const exact = rows.find((r) => r.locale === l);
    if (exact && !ordered.includes(exact)) ordered.push(exact);
    if (!l.includes('-')) for (const r of rows) if (r.locale.split('-')[0] === l && !ordered.includes(r)) ordered.push(r);
  }
  for (const r of ordered) {
    for (const [k, v] of Object.entries(r.fields ?? {})) {
      if (fields[k] === undefined && typeof v === 'string' && v !== '') {
        fields[k] = v;
        locales[k] = r.locale;
      }
    }
  }
  return { fields, locales };
}

export async function putTranslation(ctx: TenantCtx, key: { entityType: string; entityId: string; locale: string }, fields: Record<string, string>): Promise<Translation> {
  const slug = fields.slug ? fields.slug.normalize('NFC').toLowerCase() : null;
  const clean = slug ? { ...fields, slug } : fields;
  const where = { entity_type: key.entityType, entity_id: key.entityId, locale: key.locale };
  try {
    const existing = await scoped(ctx, Translation).where(where).first();
    if (existing) await scoped(ctx, Translation).patch({ fields: clean, slug }).where('id', existing.id);
    else await scoped(ctx, Translation).insert({ entityType: key.entityType, entityId: key.entityId, locale: key.locale, fields: clean, slug });
  } catch (err) {
    if (isUniqueViolation(err) && slug && (await scoped(ctx, Translation).where({ entity_type: key.entityType, locale: key.locale, slug }).whereNot('entity_id', key.entityId).first())) {
      throw new ConflictError('TRANSLATION_SLUG_TAKEN', `Another ${key.entityType} in ${key.locale} has the slug ${slug}`, {
        errors: [fieldError('body', '/fields/slug', 'unique', 'body.fields.slug is already used in this language')],
      });
    }
    throw err;
  }
  return (await scoped(ctx, Translation).where(where).first())!;
}

export async function listTranslations(ctx: TenantCtx, entityType: string, entityId: string): Promise<Translation[]> {
  const rows = await scoped(ctx, Translation).where({ entity_type: entityType, entity_id: entityId }).orderBy('locale');
  if (!rows.length) throw new NotFoundError('TRANSLATION_NOT_FOUND', 'No translation of this entity');
  return rows;
}

export async function deleteTranslation(ctx: TenantCtx, entityType: string, entityId: string, locale: string): Promise<void> {
  const n = await scoped(ctx, Translation).delete().where({ entity_type: entityType, entity_id: entityId, locale });
  if (n !== 1) throw new NotFoundError('TRANSLATION_NOT_FOUND', 'No translation of this entity in this language');
}
