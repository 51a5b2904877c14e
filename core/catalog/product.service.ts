// Products for the admin: create (with translations, variants, prices, stock, categories),
// read, update, archive, delete a draft. Each write is one transaction that also rebuilds the
// product's derived rows (facets, price ranges, search index) and then bumps the cache version.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { newId } from '../db/ids.js';
import {
  Product, ProductCategory, ProductFacet, ProductPriceRange, ProductTranslation, StockLevel, StockMovement, Variant, VariantPrice,
  Category, type ProductImage, type ProductStatus,
} from './catalog.model.js';
import { FieldProblems, checkPrices, skuKey, type PriceInput } from './catalog.validation.js';
import { canonicalLocale, nameKey, slugify } from './text.js';
import { table, insertRows, iso } from './tables.js';
import { shippingRowColumns, shippingView, type VariantShipping } from './variant-shipping.js';
import { syncAll, syncCard, syncFacets, syncSearch } from './product.sync.js';
import { invalidateCatalog } from './catalog.cache.js';
import { availableByVariant, defaultLocation, initStock } from './inventory.service.js';
import { searchEngine } from './search/search-engine.js';
import { checkEdit, checkPublish, type HeldEdit } from './publish.gate.js';

export interface TranslationInput {
  name: string;
  description?: string;
  slug?: string;
}

export interface VariantInput {
  sku: string;
  options?: Record<string, string>;
  position?: number;
  prices?: PriceInput[];
  /** Initial on-hand units at the default location. */
  stock?: number;
  shipping?: Partial<VariantShipping>;
}

export interface ProductInput {
  status?: ProductStatus;
  translations: Record<string, TranslationInput>;
  attributes?: Record<string, unknown>;
  images?: ProductImage[];
  categoryIds?: string[];
  variants?: VariantInput[];
}

export interface ProductPatch {
  status?: ProductStatus;
  translations?: Record<string, Partial<TranslationInput> | null>;
  attributes?: Record<string, unknown>;
  images?: ProductImage[];
  categoryIds?: string[];
}

export interface AdminVariant {
  id: string;
  productId: string;
  sku: string;
  options: Record<string, string>;
  position: number;
  status: 'active' | 'archived';
  prices: { currency: string; amount: number; compareAtAmount: number | null }[];
  stock: { onHand: number; reserved: number; available: number };
  shipping: VariantShipping;
  createdAt: string;
  updatedAt: string;
}

export interface AdminProduct {
  id: string;
  status: ProductStatus;
  translations: Record<string, { name: string; slug: string; description: string }>;
  attributes: Record<string, unknown>;
  images: ProductImage[];
  categoryIds: string[];
  variants: AdminVariant[];
  /** How many variants the product has (with `variants: false` the list is left empty). */
  variantCount: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const notFound = (id: string) => new NotFoundError('PRODUCT_NOT_FOUND', 'No such product', { extra: { productId: id } });

// --- reading -----------------------------------------------------------------------------

export async function variantsView(ctx: TenantCtx, variants: Variant[]): Promise<AdminVariant[]> {
  const ids = variants.map((v) => v.id);
  const prices = ids.length ? await scoped(ctx, VariantPrice).whereIn('variant_id', ids).orderBy('currency') : [];
  const stock = await availableByVariant(ctx, ids);
  return variants.map((v) => {
    const s = stock.get(v.id) ?? { onHand: 0, reserved: 0 };
    return {
      id: v.id,
      productId: v.productId,
      sku: v.sku,
      options: v.options ?? {},
      position: v.position,
      status: v.status,
      prices: prices.filter((p) => p.variantId === v.id).map((p) => ({ currency: p.currency, amount: Number(p.amount), compareAtAmount: p.compareAtAmount === null ? null : Number(p.compareAtAmount) })),
      stock: { onHand: s.onHand, reserved: s.reserved, available: s.onHand - s.reserved },
      shipping: shippingView(v),
      createdAt: v.createdAt,
      updatedAt: v.updatedAt,
    };
  });
}

export async function requireProduct(ctx: TenantCtx, id: string): Promise<Product> {
  const product = await scoped(ctx, Product).findById(id);
  if (!product) throw notFound(id);
  return product;
}

/** A product with every variant; `variants: false` leaves them out (a console pages them from /variants). */
export async function getProduct(ctx: TenantCtx, id: string, opts: { variants?: boolean } = {}): Promise<AdminProduct> {
  const product = await requireProduct(ctx, id);
  const [translations, variants, links, counted] = await Promise.all([
    scoped(ctx, ProductTranslation).where('product_id', id).orderBy('locale'),
    opts.variants === false ? Promise.resolve([] as Variant[]) : scoped(ctx, Variant).where('product_id', id).orderBy([{ column: 'position' }, { column: 'id' }]),
    scoped(ctx, ProductCategory).where('product_id', id).orderBy('category_id'),
    scoped(ctx, Variant).where('product_id', id).count('id as n').first() as unknown as Promise<{ n: number | string } | undefined>,
  ]);
  return {
    id: product.id,
    status: product.status,
    translations: Object.fromEntries(translations.map((t) => [t.locale, { name: t.name, slug: t.slug, description: t.description }])),
    attributes: product.attributes ?? {},
    images: product.images ?? [],
    categoryIds: links.map((l) => l.categoryId),
    variants: await variantsView(ctx, variants),
    variantCount: Number(counted?.n ?? 0),
    publishedAt: product.publishedAt,
    createdAt: product.createdAt,
    updatedAt: product.updatedAt,
  };
}

export interface AdminProductSummary {
  id: string;
  status: ProductStatus;
  name: string;
  slug: string;
  variantCount: number;
  createdAt: string;
  updatedAt: string;
}

/** Newest first, keyset by id; filters by status or category. */
/** A LIKE pattern that finds `text` anywhere, its own % and _ taken literally (escape character `!`, the same on MariaDB and SQLite). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, '!$&')}%`;
}

export async function listProducts(ctx: TenantCtx, opts: { limit: number; cursor?: string; status?: ProductStatus; categoryId?: string; q?: string }): Promise<{ items: AdminProductSummary[]; nextCursor: string | null }> {
  const locale = ctx.tenant.defaultLocale;
  const q = table(ctx, Product)
    .select('products.id', 'products.status', 'products.created_at', 'products.updated_at', 'tr.name', 'tr.slug')
    .select(
      ctx.db.raw(
        '(select count(*) from product_variants v where v.tenant_id = products.tenant_id and v.product_id = products.id) as variant_count',
      ),
    )
    .leftJoin('product_translations as tr', function () {
      this.on('tr.tenant_id', '=', 'products.tenant_id').andOn('tr.product_id', '=', 'products.id').andOnVal('tr.locale', '=', locale);
    });
  if (opts.status) q.where('products.status', opts.status);
  if (opts.categoryId) {
    q.whereExists(function () {
      this.select(ctx.db.raw('1')).from('product_categories as pc').whereRaw('pc.tenant_id = products.tenant_id and pc.product_id = products.id').where('pc.category_id', opts.categoryId!);
    });
  }
  const text = opts.q?.trim();
  if (text) {
    // A name in any language, or a SKU (matched on its lower-case key). Both subqueries keep to
    // the product's own tenant; the keyset page below bounds the rows read per answer.
    const pattern = containsPattern(text);
    q.where(function () {
      this.whereExists(function () {
        this.select(ctx.db.raw('1')).from('product_translations as st').whereRaw('st.tenant_id = products.tenant_id and st.product_id = products.id').whereRaw("st.name like ? escape '!'", [pattern]);
      }).orWhereExists(function () {
        this.select(ctx.db.raw('1')).from('product_variants as sv').whereRaw('sv.tenant_id = products.tenant_id and sv.product_id = products.id').whereRaw("sv.sku_key like ? escape '!'", [containsPattern(text.toLowerCase())]);
      });
    });
  }
  const after = decodeCursor(opts.cursor, 1);
  if (after) q.where('products.id', '<', String(after[0]));
  const rows = (await q.orderBy('products.id', 'desc').limit(opts.limit + 1)) as Record<string, unknown>[];
  const items = rows.slice(0, opts.limit).map((r) => ({
    id: String(r.id),
    status: r.status as ProductStatus,
    name: (r.name as string | null) ?? '',
    slug: (r.slug as string | null) ?? '',
    variantCount: Number(r.variant_count),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  }));
  return { items, nextCursor: rows.length > opts.limit ? encodeCursor([items[items.length - 1].id]) : null };
}

// --- checks shared by create, update and import --------------------------------------------

interface SlugWanted {
  locale: string;
  pointer: string;
  slug: string;
  /** Given by the caller (a clash is an error) or derived from the name (a clash gets a suffix). */
  explicit: boolean;
}

/** Checks explicit slugs for clashes and finds free slugs for derived ones; returns locale -> slug. */
async function resolveSlugs(ctx: TenantCtx, productId: string | null, wanted: SlugWanted[], p: FieldProblems): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const w of wanted) {
    const q = table(ctx, ProductTranslation).select('slug').where('locale', w.locale);
    if (productId) q.whereNot('product_id', productId);
    if (w.explicit) {
      const taken = await q.where('slug', w.slug).first();
      if (taken) p.clash(w.pointer, 'SLUG_TAKEN', `"${w.slug}" is already the ${w.locale} slug of another product`);
      out.set(w.locale, w.slug);
    } else {
      const used = new Set(((await q.where((b) => b.where('slug', w.slug).orWhere('slug', 'like', `${w.slug}-%`))) as { slug: string }[]).map((r) => r.slug));
      let slug = w.slug;
      for (let n = 2; used.has(slug); n++) slug = `${w.slug}-${n}`;
      out.set(w.locale, slug);
    }
  }
  return out;
}

async function checkCategories(ctx: TenantCtx, ids: string[], pointer: string, p: FieldProblems): Promise<void> {
  if (!ids.length) return;
  const found = new Set(((await table(ctx, Category).select('id').whereIn('id', ids)) as { id: string }[]).map((r) => r.id));
  ids.forEach((id, i) => {
    if (!found.has(id)) p.bad(`${pointer}/${i}`, 'CATEGORY_NOT_FOUND', `names no category of this store`);
  });
}

/** Checks a batch of new variants: prices, SKUs unique within the batch and the store. */
export async function checkNewVariants(ctx: TenantCtx, variants: VariantInput[], pointer: (i: number) => string, p: FieldProblems, exceptVariantId?: string): Promise<void> {
  const keys = new Map<string, number>();
  variants.forEach((v, i) => {
    checkPrices(ctx, p, `${pointer(i)}/prices`, v.prices ?? []);
    const key = skuKey(v.sku);
    if (keys.has(key)) p.clash(`${pointer(i)}/sku`, 'SKU_TAKEN', `"${v.sku}" repeats the SKU of ${pointer(keys.get(key)!)}`);
    else keys.set(key, i);
  });
  if (!keys.size) return;
  const q = table(ctx, Variant).select('sku', 'sku_key').whereIn('sku_key', [...keys.keys()]);
  if (exceptVariantId) q.whereNot('id', exceptVariantId);
  for (const row of (await q) as { sku: string; sku_key: string }[]) {
    p.clash(`${pointer(keys.get(row.sku_key)!)}/sku`, 'SKU_TAKEN', `"${row.sku}" is already the SKU of another variant`);
  }
}

function translationsIn(input: Record<string, TranslationInput>, p: FieldProblems): Map<string, TranslationInput & { pointer: string }> {
  const out = new Map<string, TranslationInput & { pointer: string }>();
  for (const [given, t] of Object.entries(input)) {
    const locale = canonicalLocale(given);
    if (out.has(locale)) p.bad(`/translations/${given}`, 'DUPLICATE_LOCALE', `repeats the locale ${locale}`);
    out.set(locale, { ...t, pointer: `/translations/${given}` });
  }
  return out;
}

/** Inserts variants with prices and initial stock; the caller runs the transaction. */
export async function insertVariants(ctx: TenantCtx, productId: string, variants: VariantInput[], startPosition = 0): Promise<string[]> {
  if (!variants.length) return [];
  const location = await defaultLocation(ctx);
  const now = new Date();
  const ids: string[] = [];
  const rows = variants.map((v, i) => {
    const id = newId();
    ids.push(id);
    return {
      id, product_id: productId, sku: v.sku.trim(), sku_key: skuKey(v.sku), options: JSON.stringify(v.options ?? {}),
      position: v.position ?? startPosition + i, status: 'active', created_at: now, updated_at: now, ...shippingRowColumns(v.shipping),
    };
  });
  await insertRows(ctx, Variant, rows);
  const prices = variants.flatMap((v, i) =>
    (v.prices ?? []).map((p) => ({ variant_id: ids[i], currency: p.currency, product_id: productId, amount: p.amount, compare_at_amount: p.compareAtAmount ?? null, updated_at: now })),
  );
  await insertRows(ctx, VariantPrice, prices);
  for (let i = 0; i < variants.length; i++) await initStock(ctx, ids[i], productId, variants[i].stock ?? 0, location.id);
  return ids;
}

// --- writing -------------------------------------------------------------------------------

/** Turns a unique-key race (two writers passing the checks at once) into the 409 the checks would have given. */
async function conflictFromRace<T>(work: () => Promise<T>, recheck: () => Promise<void>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await recheck();
    throw new ConflictError('CONFLICT', 'Another write took a slug or SKU of this product at the same moment; try again');
  }
}

export async function createProduct(ctx: TenantCtx, input: ProductInput): Promise<AdminProduct> {
  const id = await createProductRows(ctx, input);
  await invalidateCatalog(ctx);
  return getProduct(ctx, id);
}

/** Creates a product in its own transaction (or the caller's) and returns its id; used by the API and the import. */
export async function createProductRows(ctx: TenantCtx, input: ProductInput): Promise<string> {
  const p = new FieldProblems();
  const translations = translationsIn(input.translations, p);
  const defaultLocale = ctx.tenant.defaultLocale;
  if (!translations.has(defaultLocale)) p.bad(`/translations/${defaultLocale}`, 'TRANSLATION_REQUIRED', `is required: the store's default locale is ${defaultLocale}`);
  const variants = input.variants ?? [];
  const check = async (c: TenantCtx) => {
    await checkCategories(c, input.categoryIds ?? [], '/categoryIds', p);
    await checkNewVariants(c, variants, (i) => `/variants/${i}`, p);
    return resolveSlugs(c, null, [...translations].map(([locale, t]) => ({ locale, pointer: `${t.pointer}/slug`, slug: t.slug ? t.slug.toLowerCase() : slugify(t.name) || 'product', explicit: Boolean(t.slug) })), p);
  };
  p.throwIfAny();
  const status = input.status ?? 'draft';
  if (status === 'active') await checkPublish(ctx, null);
  return conflictFromRace(
    () =>
      withTransaction(ctx, async (trx) => {
        const slugs = await check(trx);
        p.throwIfAny();
        const now = new Date().toISOString();
        const product = await scoped(trx, Product).insert({
          status, attributes: input.attributes ?? {}, images: input.images ?? [], publishedAt: status === 'active' ? now : null,
        });
        await insertRows(trx, ProductTranslation, [...translations].map(([locale, t]) => ({
          product_id: product.id, locale, name: t.name, name_key: nameKey(t.name), slug: slugs.get(locale)!, description: t.description ?? '',
        })));
        await insertRows(trx, ProductCategory, [...new Set(input.categoryIds ?? [])].map((categoryId) => ({ product_id: product.id, category_id: categoryId })));
        await insertVariants(trx, product.id, variants);
        await syncAll(trx, product.id);
        return product.id;
      }),
    async () => {
      await check(ctx);
      p.throwIfAny();
    },
  );
}

/**
 * An edit from the store's staff: a live product's content first goes past `catalog.beforeEdit`,
 * where a plugin may hold it as a change request (the live product stays as it is until approved).
 */
export async function editProduct(ctx: TenantCtx, id: string, patch: ProductPatch): Promise<{ product: AdminProduct } | { held: HeldEdit[] }> {
  const product = await requireProduct(ctx, id);
  const content = patch.translations !== undefined || patch.attributes !== undefined || patch.images !== undefined || patch.categoryIds !== undefined;
  if (product.status === 'active' && content) {
    const held = await checkEdit(ctx, id, patch);
    if (held.length) return { held };
  }
  return { product: await updateProduct(ctx, id, patch) };
}

export async function updateProduct(ctx: TenantCtx, id: string, patch: ProductPatch): Promise<AdminProduct> {
  const product = await requireProduct(ctx, id);
  if (patch.status === 'active' && product.status !== 'active') await checkPublish(ctx, id);
  const p = new FieldProblems();
  const defaultLocale = ctx.tenant.defaultLocale;
  const existing = new Map((await scoped(ctx, ProductTranslation).where('product_id', id)).map((t) => [t.locale, t]));
  const upserts = new Map<string, { name: string; description: string; slug?: string; pointer: string; explicitSlug: boolean }>();
  const deletes: string[] = [];
  for (const [given, t] of Object.entries(patch.translations ?? {})) {
    const locale = canonicalLocale(given);
    const pointer = `/translations/${given}`;
    const before = existing.get(locale);
    if (t === null) {
      if (locale === defaultLocale) p.bad(pointer, 'TRANSLATION_REQUIRED', `cannot be removed: ${locale} is the store's default locale`);
      else if (before) deletes.push(locale);
      continue;
    }
    const name = t.name ?? before?.name;
    if (!name) {
      p.bad(`${pointer}/name`, 'required', 'is required for a new translation');
      continue;
    }
    upserts.set(locale, { name, description: t.description ?? before?.description ?? '', slug: t.slug?.toLowerCase() ?? before?.slug, pointer, explicitSlug: t.slug !== undefined });
  }
  p.throwIfAny();
  const check = async (c: TenantCtx) => {
    if (patch.categoryIds) await checkCategories(c, patch.categoryIds, '/categoryIds', p);
    const wanted = [...upserts].filter(([, u]) => u.explicitSlug || !u.slug).map(([locale, u]) => ({ locale, pointer: `${u.pointer}/slug`, slug: u.slug ?? (slugify(u.name) || 'product'), explicit: u.explicitSlug }));
    return resolveSlugs(c, id, wanted, p);
  };
  await conflictFromRace(
    () =>
      withTransaction(ctx, async (trx) => {
        const slugs = await check(trx);
        p.throwIfAny();
        const changes: Partial<Product> = {};
        if (patch.status) changes.status = patch.status;
        if (patch.status === 'active' && !product.publishedAt) changes.publishedAt = new Date().toISOString();
        if (patch.attributes) changes.attributes = patch.attributes;
        if (patch.images) changes.images = patch.images;
        await scoped(trx, Product).patch(changes).where('id', id);
        for (const locale of deletes) await table(trx, ProductTranslation).where({ product_id: id, locale }).delete();
        for (const [locale, u] of upserts) {
          const row = { name: u.name, name_key: nameKey(u.name), description: u.description, slug: slugs.get(locale) ?? u.slug! };
          if (existing.has(locale)) await table(trx, ProductTranslation).where({ product_id: id, locale }).update(row);
          else await insertRows(trx, ProductTranslation, [{ product_id: id, locale, ...row }]);
        }
        if (patch.categoryIds) {
          await table(trx, ProductCategory).where('product_id', id).delete();
          await insertRows(trx, ProductCategory, [...new Set(patch.categoryIds)].map((categoryId) => ({ product_id: id, category_id: categoryId })));
        }
        if (patch.attributes) await syncFacets(trx, id);
        if (patch.translations) await syncCard(trx, id);
        await syncSearch(trx, id);
      }),
    async () => {
      await check(ctx);
      p.throwIfAny();
    },
  );
  await invalidateCatalog(ctx);
  return getProduct(ctx, id);
}

export async function archiveProduct(ctx: TenantCtx, id: string): Promise<AdminProduct> {
  return updateProduct(ctx, id, { status: 'archived' });
}

/** Deletes a product that was never active; once shoppers may have seen or bought it, archive it instead. */
export async function deleteProduct(ctx: TenantCtx, id: string): Promise<void> {
  const product = await requireProduct(ctx, id);
  if (product.publishedAt) throw new ConflictError('PRODUCT_PUBLISHED', 'This product has been on sale; archive it instead of deleting it', { extra: { productId: id } });
  await withTransaction(ctx, async (trx) => {
    const variantIds = ((await table(trx, Variant).select('id').where('product_id', id)) as { id: string }[]).map((v) => v.id);
    await searchEngine().remove(trx, id);
    if (variantIds.length) {
      await table(trx, StockMovement).whereIn('variant_id', variantIds).delete();
      await table(trx, StockLevel).whereIn('variant_id', variantIds).delete();
    }
    for (const model of [VariantPrice, Variant, ProductPriceRange, ProductFacet, ProductCategory, ProductTranslation]) {
      await table(trx, model).where('product_id', id).delete();
    }
    await table(trx, Product).where('id', id).delete();
  });
  await invalidateCatalog(ctx);
}

/** Rebuilds the search index of every active product of the tenant (after a bulk load or an engine change). */
export async function reindexCatalog(ctx: TenantCtx, onProgress?: (done: number) => void): Promise<number> {
  await searchEngine().clear(ctx);
  let cursor: string | undefined;
  let done = 0;
  for (;;) {
    const q = table(ctx, Product).select('id').where('status', 'active').orderBy('id').limit(200);
    if (cursor) q.where('id', '>', cursor);
    const ids = ((await q) as { id: string }[]).map((r) => r.id);
    if (!ids.length) break;
    for (const id of ids) await withTransaction(ctx, (trx) => syncSearch(trx, id));
    done += ids.length;
    onProgress?.(done);
    cursor = ids[ids.length - 1];
  }
  return done;
}
