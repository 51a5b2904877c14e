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
import { checkEdit, type HeldEdit, type VariantEditAction } from './publish.gate.js';

type VariantPatch = { sku?: string; options?: Record<string, string>; position?: number; shipping?: Partial<VariantShipping> };
/** The variant as changed, or the holds when a plugin took the change of a live product for review (the live product stays as it is). */
export type VariantEdit = { variant: AdminVariant } | { held: HeldEdit[] };

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

/** Asks `catalog.beforeEdit` about a variant change of a product shoppers can see; the holds, or none when it goes through now. */
async function holdsFor(ctx: TenantCtx, productId: string, action: VariantEditAction): Promise<HeldEdit[]> {
  const product = await requireProduct(ctx, productId);
  if (product.status !== 'active') return [];
  return checkEdit(ctx, productId, { variants: [action] });
}

/** Staff add a variant: checked first, then held for review when the product is live and a plugin says so. */
export async function proposeVariant(ctx: TenantCtx, productId: string, input: VariantInput): Promise<VariantEdit> {
  await requireProduct(ctx, productId);
  const p = new FieldProblems();
  await checkNewVariants(ctx, [input], () => '', p);
  p.throwIfAny();
  const held = await holdsFor(ctx, productId, { type: 'variant_add', variant: input as Extract<VariantEditAction, { type: 'variant_add' }>['variant'] });
  return held.length ? { held } : { variant: await addVariant(ctx, productId, input) };
}

/** Staff change a variant: new option values of a live product's variant may be held for review; SKU, position and parcel alone never are. */
export async function editVariant(ctx: TenantCtx, id: string, patch: VariantPatch): Promise<VariantEdit> {
  const variant = await requireVariant(ctx, id);
  if (patch.options !== undefined) {
    if (patch.sku !== undefined) {
      const p = new FieldProblems();
      await checkNewVariants(ctx, [{ sku: patch.sku }], () => '', p, id);
      p.throwIfAny();
    }
    const held = await holdsFor(ctx, variant.productId, { type: 'variant_update', variantId: id, patch: patch as Extract<VariantEditAction, { type: 'variant_update' }>['patch'] });
    if (held.length) return { held };
  }
  return { variant: await updateVariant(ctx, id, patch) };
}

/** Staff set a price: a new or changed price of a live product's variant may be held for review (the old price stays on sale meanwhile). */
export async function proposePrice(ctx: TenantCtx, variantId: string, input: PriceInput): Promise<VariantEdit> {
  const variant = await requireVariant(ctx, variantId);
  const p = checkedPrice(ctx, input);
  p.throwIfAny();
  const before = await table(ctx, VariantPrice).select('amount', 'compare_at_amount').where({ variant_id: variantId, currency: input.currency }).first() as { amount: number; compare_at_amount: number | null } | undefined;
  const same = before && Number(before.amount) === input.amount && (before.compare_at_amount === null ? null : Number(before.compare_at_amount)) === (input.compareAtAmount ?? null);
  if (!same) {
    const held = await holdsFor(ctx, variant.productId, { type: 'price_set', variantId, currency: input.currency, amount: input.amount, compareAtAmount: input.compareAtAmount ?? null, previousAmount: before ? Number(before.amount) : null });
    if (held.length) return { held };
  }
  return { variant: await setPrice(ctx, variantId, input) };
}

/** Applies reviewed variant changes of a product (a confirmed change request), in the caller's transaction. */
export async function applyVariantActions(ctx: TenantCtx, productId: string, actions: VariantEditAction[]): Promise<void> {
  for (const a of actions) {
    if (a.type === 'variant_add') {
      await addVariant(ctx, productId, a.variant as VariantInput);
      continue;
    }
    const variant = await requireVariant(ctx, a.variantId);
    if (variant.productId !== productId) throw notFound(a.variantId);
    if (a.type === 'variant_update') await updateVariant(ctx, a.variantId, a.patch as VariantPatch);
    else await setPrice(ctx, a.variantId, { currency: a.currency, amount: a.amount, compareAtAmount: a.compareAtAmount ?? null });
  }
}

function checkedPrice(ctx: TenantCtx, input: PriceInput): FieldProblems {
  const p = new FieldProblems();
  checkPrice(ctx, p, '', input);
  // The currency is in the path here, not the body.
  for (const e of p.invalid) if (e.pointer === '/currency') Object.assign(e, { in: 'params', message: e.message.replace(/^body\.currency/, 'params.currency') });
  return p;
}

export async function updateVariant(ctx: TenantCtx, id: string, patch: VariantPatch): Promise<AdminVariant> {
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
  checkedPrice(ctx, input).throwIfAny();
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
