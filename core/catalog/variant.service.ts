// Variants (what is actually sold: a SKU with option values such as size and colour) and
// their prices, one per currency, in minor units.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { Product, StockLevel, StockMovement, Variant, VariantPrice } from './catalog.model.js';
import { FieldProblems, checkPrice, skuKey, type PriceInput } from './catalog.validation.js';
import { table } from './tables.js';
import { shippingColumns, type VariantShipping } from './variant-shipping.js';
import { syncFacets, syncPriceRanges, syncStockFlag } from './product.sync.js';
import { invalidateCatalog } from './catalog.cache.js';
import { checkNewVariants, insertVariants, requireProduct, variantsView, type AdminVariant, type VariantInput } from './product.service.js';

const notFound = (id: string) => new NotFoundError('VARIANT_NOT_FOUND', 'No such variant', { extra: { variantId: id } });

async function requireVariant(ctx: TenantCtx, id: string): Promise<Variant> {
  const variant = await scoped(ctx, Variant).findById(id);
  if (!variant) throw notFound(id);
  return variant;
}

export async function getVariant(ctx: TenantCtx, id: string): Promise<AdminVariant> {
  return (await variantsView(ctx, [await requireVariant(ctx, id)]))[0];
}

/** A product's variants in display order, keyset-paginated on (position, id). */
export async function listVariants(ctx: TenantCtx, productId: string, opts: { limit: number; cursor?: string }): Promise<{ items: AdminVariant[]; nextCursor: string | null }> {
  await requireProduct(ctx, productId);
  const q = scoped(ctx, Variant).where('product_id', productId);
  const after = decodeCursor(opts.cursor, 2);
  if (after) {
    const [position, id] = [Number(after[0]), String(after[1])];
    q.where((b) => b.where('position', '>', position).orWhere((c) => c.where('position', position).where('id', '>', id)));
  }
  const rows = await q.orderBy([{ column: 'position' }, { column: 'id' }]).limit(opts.limit + 1);
  const items = await variantsView(ctx, rows.slice(0, opts.limit));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > opts.limit ? encodeCursor([last.position, last.id]) : null };
}

export async function addVariant(ctx: TenantCtx, productId: string, input: VariantInput): Promise<AdminVariant> {
  await requireProduct(ctx, productId);
  const id = await withTransaction(ctx, async (trx) => {
    const p = new FieldProblems();
    await checkNewVariants(trx, [input], () => '', p);
    p.throwIfAny();
    const last = (await table(trx, Variant).max({ position: 'position' }).where('product_id', productId).first()) as { position: number | null } | undefined;
    const [variantId] = await insertVariants(trx, productId, [input], (last?.position ?? -1) + 1);
    await syncFacets(trx, productId);
    await syncPriceRanges(trx, productId);
    await syncStockFlag(trx, productId);
    return variantId;
  });
  await invalidateCatalog(ctx);
  return getVariant(ctx, id);
}

export async function updateVariant(ctx: TenantCtx, id: string, patch: { sku?: string; options?: Record<string, string>; position?: number; shipping?: Partial<VariantShipping> }): Promise<AdminVariant> {
  const variant = await requireVariant(ctx, id);
  await withTransaction(ctx, async (trx) => {
    if (patch.sku !== undefined) {
      const p = new FieldProblems();
      await checkNewVariants(trx, [{ sku: patch.sku }], () => '', p, id);
      p.throwIfAny();
    }
    const changes: Partial<Variant> = {};
    if (patch.sku !== undefined) Object.assign(changes, { sku: patch.sku.trim(), skuKey: skuKey(patch.sku) });
    if (patch.options) changes.options = patch.options;
    if (patch.position !== undefined) changes.position = patch.position;
    Object.assign(changes, shippingColumns(patch.shipping));
    if (Object.keys(changes).length) await scoped(trx, Variant).patch(changes).where('id', id);
    if (patch.options) await syncFacets(trx, variant.productId);
  });
  await invalidateCatalog(ctx);
  return getVariant(ctx, id);
}

/** Takes a variant off sale: it keeps its SKU, prices and history but is no longer shown or counted. */
export async function archiveVariant(ctx: TenantCtx, id: string): Promise<AdminVariant> {
  const variant = await requireVariant(ctx, id);
  await withTransaction(ctx, async (trx) => {
    await scoped(trx, Variant).patch({ status: 'archived' }).where('id', id);
    await syncFacets(trx, variant.productId);
    await syncPriceRanges(trx, variant.productId);
    await syncStockFlag(trx, variant.productId);
  });
  await invalidateCatalog(ctx);
  return getVariant(ctx, id);
}

/** Deletes a variant of a product that was never on sale; otherwise archive it. */
export async function deleteVariant(ctx: TenantCtx, id: string): Promise<void> {
  const variant = await requireVariant(ctx, id);
  const product = (await scoped(ctx, Product).findById(variant.productId))!;
  if (product.publishedAt) throw new ConflictError('PRODUCT_PUBLISHED', 'This variant has been on sale; archive it instead of deleting it', { extra: { variantId: id } });
  await withTransaction(ctx, async (trx) => {
    for (const model of [StockMovement, StockLevel, VariantPrice]) await table(trx, model).where('variant_id', id).delete();
    await table(trx, Variant).where('id', id).delete();
    await syncFacets(trx, variant.productId);
    await syncPriceRanges(trx, variant.productId);
    await syncStockFlag(trx, variant.productId);
  });
  await invalidateCatalog(ctx);
}

/** Sets the variant's price in one currency (creating or replacing it). */
export async function setPrice(ctx: TenantCtx, variantId: string, input: PriceInput): Promise<AdminVariant> {
  const variant = await requireVariant(ctx, variantId);
  const p = new FieldProblems();
  checkPrice(ctx, p, '', input);
  // The currency is in the path here, not the body.
  for (const e of p.invalid) if (e.pointer === '/currency') Object.assign(e, { in: 'params', message: e.message.replace(/^body\.currency/, 'params.currency') });
  p.throwIfAny();
  await withTransaction(ctx, async (trx) => {
    await trx.db(VariantPrice.tableName)
      .insert({
        tenant_id: trx.tenant.id, variant_id: variantId, currency: input.currency, product_id: variant.productId,
        amount: input.amount, compare_at_amount: input.compareAtAmount ?? null, updated_at: new Date(),
      })
      .onConflict(['tenant_id', 'variant_id', 'currency'])
      .merge(['amount', 'compare_at_amount', 'updated_at']);
    await syncPriceRanges(trx, variant.productId);
  });
  await invalidateCatalog(ctx);
  return getVariant(ctx, variantId);
}

export async function deletePrice(ctx: TenantCtx, variantId: string, currency: string): Promise<AdminVariant> {
  const variant = await requireVariant(ctx, variantId);
  await withTransaction(ctx, async (trx) => {
    const deleted = (await table(trx, VariantPrice).where({ variant_id: variantId, currency }).delete()) as unknown as number;
    if (deleted === 0) throw new NotFoundError('PRICE_NOT_FOUND', `This variant has no ${currency} price`);
    await syncPriceRanges(trx, variant.productId);
  });
  await invalidateCatalog(ctx);
  return getVariant(ctx, variantId);
}
