// Inventory: on-hand and reserved units per variant and stock location, changed only by
// conditional updates (`... where on_hand - reserved >= n`) whose affected-row count says
// whether the stock was there, so no interleaving of requests or processes can oversell.
// Every change writes a movement with the level after it, so a level is the sum of its
// movements and each step can be explained.
//
// Order-facing semantics (all take ctx; ctx.db may be the caller's transaction):
// - reserveStock: an order is placed and awaits payment: reserved += qty if available >= qty.
// - releaseStock: the order is cancelled or expires: reserved -= qty.
// - commitStock: the order is paid / ships: the reserved units leave, on_hand -= qty and
//   reserved -= qty. With { fromReserved: false } it takes straight from what is available
//   (a sale that never reserved, e.g. point of sale).
// available = on_hand - reserved; it is what the store shows and sells.
import type { Ctx, TenantCtx } from '../context.js';
import { requireTenant, withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, InvalidError, NotFoundError, isUniqueViolation } from '../errors.js';
import { MAX_STOCK_LEVEL } from '../money/limits.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { newId } from '../db/ids.js';
import { deferWrite } from '../db/batching.js';
import { StockLevel, StockLocation, StockMovement, Variant } from './catalog.model.js';
import { table, iso } from './tables.js';
import { invalidateCatalog } from './catalog.cache.js';
import { syncStockFlag } from './product.sync.js';

export const ADJUSTMENT_REASONS = ['initial', 'received', 'count', 'damaged', 'lost', 'returned', 'correction', 'transfer'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

export interface StockLevelView {
  variantId: string;
  locationId: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface StockOptions {
  /** The stock location; by default the default location first, then any with enough. */
  locationId?: string;
  /** An order id or similar, kept on the movement. */
  reference?: string;
  note?: string;
}

function actorOf(ctx: Ctx): { actorType: string; actorId: string | null } {
  const a = ctx.actor;
  if (a.type === 'system') return { actorType: 'system', actorId: a.name };
  if (a.type === 'anonymous') return { actorType: 'anonymous', actorId: null };
  return { actorType: a.type, actorId: a.id };
}

function insufficient(variantId: string, requested: number, available: number): ConflictError {
  return new ConflictError('INSUFFICIENT_STOCK', `Variant ${variantId} has ${available} available; ${requested} requested`, {
    params: { variantId, requested, available },
    extra: { variantId, requested, available },
  });
}

function view(row: { variant_id: string; location_id: string; on_hand: number; reserved: number }): StockLevelView {
  const onHand = Number(row.on_hand);
  const reserved = Number(row.reserved);
  return { variantId: row.variant_id, locationId: row.location_id, onHand, reserved, available: onHand - reserved };
}

/** The tenant's default stock location, made on first use. */
export async function defaultLocation(ctx: TenantCtx): Promise<StockLocation> {
  const found = await scoped(ctx, StockLocation).where('is_default', true).orderBy('id').first();
  if (found) return found;
  try {
    return await scoped(ctx, StockLocation).insert({ code: 'default', name: 'Default', isDefault: true });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const raced = await scoped(ctx, StockLocation).where('code', 'default').first();
    if (!raced) throw err;
    return raced;
  }
}

export async function listLocations(ctx: TenantCtx): Promise<StockLocation[]> {
  return scoped(ctx, StockLocation).orderBy('code');
}

export async function createLocation(ctx: TenantCtx, input: { code: string; name: string; isDefault?: boolean }): Promise<StockLocation> {
  await defaultLocation(ctx);
  try {
    return await withTransaction(ctx, async (trx) => {
      if (input.isDefault) await scoped(trx, StockLocation).patch({ isDefault: false }).where('is_default', true);
      return scoped(trx, StockLocation).insert({ code: input.code, name: input.name, isDefault: Boolean(input.isDefault) });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('LOCATION_CODE_TAKEN', `A stock location with code "${input.code}" exists`, { errors: [{ in: 'body', pointer: '/code', code: 'taken', message: `body.code "${input.code}" is taken` }] });
    throw err;
  }
}

export async function getLocation(ctx: TenantCtx, id: string): Promise<StockLocation> {
  const found = await scoped(ctx, StockLocation).findById(id);
  if (!found) throw new NotFoundError('LOCATION_NOT_FOUND', 'No such stock location');
  return found;
}

export async function updateLocation(ctx: TenantCtx, id: string, patch: { name?: string; isDefault?: true }): Promise<StockLocation> {
  await getLocation(ctx, id);
  await withTransaction(ctx, async (trx) => {
    if (patch.isDefault) await scoped(trx, StockLocation).patch({ isDefault: false }).where('is_default', true);
    await scoped(trx, StockLocation).patch(patch).where('id', id);
  });
  return getLocation(ctx, id);
}

async function requireVariant(ctx: TenantCtx, variantId: string): Promise<{ id: string; productId: string; status: string }> {
  const v = (await table(ctx, Variant).select('id', 'product_id', 'status').where('id', variantId).first()) as { id: string; product_id: string; status: string } | undefined;
  if (!v) throw new NotFoundError('VARIANT_NOT_FOUND', 'No such variant', { extra: { variantId } });
  return { id: v.id, productId: v.product_id, status: v.status };
}

async function readLevel(ctx: TenantCtx, variantId: string, locationId: string): Promise<StockLevelView> {
  const row = await table(ctx, StockLevel).select('variant_id', 'location_id', 'on_hand', 'reserved').where({ variant_id: variantId, location_id: locationId }).first();
  return view(row);
}

/** Makes sure a level row exists (zero) so a conditional update has something to hit. */
async function ensureLevel(ctx: TenantCtx, variantId: string, productId: string, locationId: string): Promise<void> {
  await ctx.db(StockLevel.tableName)
    .insert({ tenant_id: ctx.tenant.id, variant_id: variantId, location_id: locationId, product_id: productId, on_hand: 0, reserved: 0, updated_at: new Date() })
    .onConflict(['tenant_id', 'variant_id', 'location_id'])
    .ignore();
}

async function recordMovement(ctx: TenantCtx, level: StockLevelView, reason: string, onHandDelta: number, reservedDelta: number, opts: StockOptions): Promise<void> {
  await ctx.db(StockMovement.tableName).insert({
    tenant_id: ctx.tenant.id,
    id: newId(),
    variant_id: level.variantId,
    location_id: level.locationId,
    reason,
    on_hand_delta: onHandDelta,
    reserved_delta: reservedDelta,
    on_hand_after: level.onHand,
    reserved_after: level.reserved,
    reference: opts.reference ?? null,
    note: opts.note ?? null,
    ...(() => {
      const a = actorOf(ctx);
      return { actor_type: a.actorType, actor_id: a.actorId };
    })(),
    created_at: new Date(),
  });
}

type Level = StockLevelView & { productId: string; isDefault: boolean };

/**
 * Levels of some variants, each list default location first, then most available. With `lock`,
 * a locking read of the level rows (in key order): the location's flag comes from a subquery,
 * which a locking read leaves unlocked, so the store's default location row is never locked.
 */
async function levelsOfMany(ctx: TenantCtx, variantIds: string[], opts: { lock?: boolean } = {}): Promise<Map<string, Level[]>> {
  const q = table(ctx, StockLevel)
    .select('stock_levels.variant_id', 'stock_levels.location_id', 'stock_levels.product_id', 'stock_levels.on_hand', 'stock_levels.reserved')
    .whereIn('stock_levels.variant_id', variantIds);
  if (opts.lock) {
    q.select(ctx.db.raw('(select loc.is_default from stock_locations loc where loc.tenant_id = stock_levels.tenant_id and loc.id = stock_levels.location_id) as is_default')).forUpdate();
  } else {
    q.select('loc.is_default').join('stock_locations as loc', function () {
      this.on('loc.tenant_id', '=', 'stock_levels.tenant_id').andOn('loc.id', '=', 'stock_levels.location_id');
    });
  }
  const rows = (await q) as { variant_id: string; location_id: string; product_id: string; on_hand: number; reserved: number; is_default: number | boolean }[];
  const out = new Map<string, Level[]>();
  for (const r of rows) {
    const list = out.get(r.variant_id) ?? [];
    list.push({ ...view(r), productId: r.product_id, isDefault: Boolean(r.is_default) });
    out.set(r.variant_id, list);
  }
  for (const list of out.values()) list.sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || b.available - a.available || a.locationId.localeCompare(b.locationId));
  return out;
}

async function levelsOf(ctx: TenantCtx, variantId: string): Promise<Level[]> {
  return (await levelsOfMany(ctx, [variantId])).get(variantId) ?? [];
}

function checkQty(qty: number): void {
  if (!Number.isSafeInteger(qty) || qty <= 0) throw new InvalidError('INVALID_QUANTITY', 'The quantity must be a positive integer', { extra: { quantity: qty } });
}

/**
 * Tries each candidate level with one conditional update; the first that takes the change wins.
 * Returns the level after the change, or null when none had room.
 */
async function tryLevels(
  ctx: TenantCtx,
  variantId: string,
  candidates: StockLevelView[],
  change: Record<string, unknown>,
  condition: (q: ReturnType<typeof table>) => void,
): Promise<StockLevelView | null> {
  for (const level of candidates) {
    const q = table(ctx, StockLevel).where({ variant_id: variantId, location_id: level.locationId });
    condition(q);
    const affected = (await q.update({ ...change, updated_at: new Date() })) as unknown as number;
    if (affected === 1) return readLevel(ctx, variantId, level.locationId);
  }
  return null;
}

const raw = (ctx: TenantCtx, sql: string, bindings: number[]) => ctx.db.raw(sql, bindings);

/** Holds `qty` units for an order. Throws ConflictError INSUFFICIENT_STOCK (with the variant id) when short. */
export async function reserveStock(ctx: Ctx, variantId: string, qty: number, opts: StockOptions = {}): Promise<StockLevelView> {
  checkQty(qty);
  const tctx = requireTenant(ctx);
  const level = await withTransaction(tctx, async (trx) => {
    const levels = await levelsOf(trx, variantId);
    if (levels.length === 0) {
      await requireVariant(trx, variantId);
      throw insufficient(variantId, qty, 0);
    }
    const candidates = levels.filter((l) => (!opts.locationId || l.locationId === opts.locationId) && l.available >= qty);
    const after = await tryLevels(trx, variantId, candidates, { reserved: raw(trx, 'reserved + ?', [qty]) }, (q) => q.whereRaw('on_hand - reserved >= ?', [qty]));
    if (!after) throw insufficient(variantId, qty, Math.max(0, ...(await levelsOf(trx, variantId)).map((l) => l.available)));
    await recordMovement(trx, after, 'reserved', 0, qty, opts);
    if (after.available === 0) await syncStockFlag(trx, levels[0].productId);
    return after;
  });
  if (level.available === 0) await invalidateCatalog(ctx);
  return level;
}

/**
 * Reserves an order's lines together, all or none, in three statements whatever the number of
 * lines (issue 27: a checkout of 3 lines took 12): a locking read of the levels (in key order, so
 * two orders sharing variants lock them in the same order), one update of every chosen level
 * (its availability condition kept as a guard), one insert of the movements; the levels after
 * are the locked ones plus the units, so nothing is read back. Lines of the same variant are
 * added up. Returns the level of each variant (in the order first seen); throws
 * INSUFFICIENT_STOCK naming the first variant that is short.
 */
export async function reserveStockLines(ctx: Ctx, lines: { variantId: string; quantity: number }[], opts: StockOptions = {}): Promise<StockLevelView[]> {
  const wanted = new Map<string, number>();
  for (const l of lines) {
    checkQty(l.quantity);
    wanted.set(l.variantId, (wanted.get(l.variantId) ?? 0) + l.quantity);
  }
  if (!wanted.size) return [];
  const tctx = requireTenant(ctx);
  const levels = await withTransaction(tctx, async (trx) => {
    const all = await levelsOfMany(trx, [...wanted.keys()], { lock: true });
    const taken: (Level & { qty: number })[] = [];
    for (const [variantId, qty] of wanted) {
      const took = (all.get(variantId) ?? []).find((l) => (!opts.locationId || l.locationId === opts.locationId) && l.available >= qty);
      if (!took) {
        if (!all.has(variantId)) await requireVariant(trx, variantId);
        throw insufficient(variantId, qty, Math.max(0, ...(all.get(variantId) ?? []).map((l) => l.available)));
      }
      taken.push({ ...took, qty });
    }
    const byVariant = `case variant_id ${taken.map(() => 'when ? then ?').join(' ')} end`;
    const caseBindings = taken.flatMap((t) => [t.variantId, t.qty]);
    const affected = (await table(trx, StockLevel)
      .whereIn(['variant_id', 'location_id'], taken.map((t) => [t.variantId, t.locationId]))
      // eslint-disable-next-line no-restricted-syntax -- byVariant is `case variant_id when ? then ? ... end`, its values in caseBindings
      .whereRaw(`on_hand - reserved >= ${byVariant}`, caseBindings)
      // eslint-disable-next-line no-restricted-syntax -- the same constant case, values in caseBindings
      .update({ reserved: trx.db.raw(`reserved + ${byVariant}`, caseBindings), updated_at: new Date() })) as unknown as number;
    // Cannot happen while the rows are locked; refused rather than half done if it ever does.
    if (affected !== taken.length) throw new ConflictError('STOCK_CHANGED', 'Stock changed while it was being reserved; try again');
    const out = taken.map((t) => ({ ...t, reserved: t.reserved + t.qty, available: t.available - t.qty }));
    const actor = actorOf(trx);
    // Deferred: rides with the transaction's next statement (issue 27).
    await deferWrite(trx, trx.db(StockMovement.tableName).insert(
      out.map((l) => ({
        tenant_id: trx.tenant.id, id: newId(), variant_id: l.variantId, location_id: l.locationId, reason: 'reserved',
        on_hand_delta: 0, reserved_delta: l.qty, on_hand_after: l.onHand, reserved_after: l.reserved,
        reference: opts.reference ?? null, note: opts.note ?? null, actor_type: actor.actorType, actor_id: actor.actorId, created_at: new Date(),
      })),
    ));
    for (const productId of new Set(out.filter((l) => l.available === 0).map((l) => l.productId))) await syncStockFlag(trx, productId);
    return out.map(({ variantId, locationId, onHand, reserved, available }) => ({ variantId, locationId, onHand, reserved, available }));
  });
  if (levels.some((l) => l.available === 0)) await invalidateCatalog(ctx);
  return levels;
}

/** Gives back units held by reserveStock (an order cancelled or expired). */
export async function releaseStock(ctx: Ctx, variantId: string, qty: number, opts: StockOptions = {}): Promise<StockLevelView> {
  checkQty(qty);
  const tctx = requireTenant(ctx);
  const level = await withTransaction(tctx, async (trx) => {
    const levels = await levelsOf(trx, variantId);
    if (levels.length === 0) await requireVariant(trx, variantId);
    const candidates = levels.filter((l) => (!opts.locationId || l.locationId === opts.locationId) && l.reserved >= qty);
    const after = await tryLevels(trx, variantId, candidates, { reserved: raw(trx, 'reserved - ?', [qty]) }, (q) => q.where('reserved', '>=', qty));
    if (!after) throw new ConflictError('NOT_RESERVED', `Variant ${variantId} has fewer than ${qty} units reserved`, { params: { variantId }, extra: { variantId, requested: qty } });
    await recordMovement(trx, after, 'released', 0, -qty, opts);
    if (after.available === qty) await syncStockFlag(trx, levels[0].productId);
    return after;
  });
  if (level.available === qty) await invalidateCatalog(ctx);
  return level;
}

/**
 * Takes sold units out of stock. By default they were reserved first (on_hand and reserved
 * both drop, available is unchanged); with fromReserved: false they come from what is available.
 */
export async function commitStock(ctx: Ctx, variantId: string, qty: number, opts: StockOptions & { fromReserved?: boolean } = {}): Promise<StockLevelView> {
  checkQty(qty);
  const tctx = requireTenant(ctx);
  const fromReserved = opts.fromReserved ?? true;
  const level = await withTransaction(tctx, async (trx) => {
    const levels = await levelsOf(trx, variantId);
    if (levels.length === 0) {
      await requireVariant(trx, variantId);
      throw insufficient(variantId, qty, 0);
    }
    const mine = levels.filter((l) => !opts.locationId || l.locationId === opts.locationId);
    if (fromReserved) {
      const after = await tryLevels(
        trx, variantId, mine.filter((l) => l.reserved >= qty),
        { on_hand: raw(trx, 'on_hand - ?', [qty]), reserved: raw(trx, 'reserved - ?', [qty]) },
        (q) => q.where('reserved', '>=', qty).where('on_hand', '>=', qty),
      );
      if (!after) throw new ConflictError('NOT_RESERVED', `Variant ${variantId} has fewer than ${qty} units reserved`, { params: { variantId }, extra: { variantId, requested: qty } });
      await recordMovement(trx, after, 'committed', -qty, -qty, opts);
      return after;
    }
    const after = await tryLevels(trx, variantId, mine.filter((l) => l.available >= qty), { on_hand: raw(trx, 'on_hand - ?', [qty]) }, (q) => q.whereRaw('on_hand - reserved >= ?', [qty]));
    if (!after) throw insufficient(variantId, qty, Math.max(0, ...mine.map((l) => l.available)));
    await recordMovement(trx, after, 'sold', -qty, 0, opts);
    if (after.available === 0) await syncStockFlag(trx, levels[0].productId);
    return after;
  });
  if (!fromReserved && level.available === 0) await invalidateCatalog(ctx);
  return level;
}

/** A staff change of on-hand units by `delta` (received, damaged, ...). Never below what is reserved. */
export async function adjustStock(ctx: TenantCtx, variantId: string, input: { delta: number; reason: AdjustmentReason; note?: string; locationId?: string; reference?: string }): Promise<StockLevelView> {
  const level = await withTransaction(ctx, async (trx) => {
    const variant = await requireVariant(trx, variantId);
    const locationId = input.locationId ? (await getLocation(trx, input.locationId)).id : (await defaultLocation(trx)).id;
    await ensureLevel(trx, variantId, variant.productId, locationId);
    const q = table(trx, StockLevel).where({ variant_id: variantId, location_id: locationId });
    if (input.delta < 0) q.whereRaw('on_hand - reserved >= ?', [-input.delta]);
    else q.whereRaw('on_hand <= ?', [MAX_STOCK_LEVEL - input.delta]);
    const affected = (await q.update({ on_hand: raw(trx, 'on_hand + ?', [input.delta]), updated_at: new Date() })) as unknown as number;
    if (affected !== 1) {
      const now = await readLevel(trx, variantId, locationId);
      if (input.delta > 0) {
        throw new InvalidError('STOCK_LIMIT', `A location holds at most ${MAX_STOCK_LEVEL} units of a variant`, {
          errors: [{ in: 'body', pointer: '/delta', code: 'maximum', message: `body.delta brings on-hand from ${now.onHand} above ${MAX_STOCK_LEVEL}` }],
        });
      }
      throw insufficient(variantId, -input.delta, now.available);
    }
    const after = await readLevel(trx, variantId, locationId);
    await recordMovement(trx, after, input.reason, input.delta, 0, input);
    await syncStockFlag(trx, variant.productId);
    return after;
  });
  await invalidateCatalog(ctx);
  return level;
}

/** A physical count: sets on-hand to `onHand`, recording the difference as a movement. */
export async function countStock(ctx: TenantCtx, variantId: string, input: { onHand: number; note?: string; locationId?: string }): Promise<StockLevelView> {
  const level = await withTransaction(ctx, async (trx) => {
    const variant = await requireVariant(trx, variantId);
    const locationId = input.locationId ? (await getLocation(trx, input.locationId)).id : (await defaultLocation(trx)).id;
    await ensureLevel(trx, variantId, variant.productId, locationId);
    const before = await readLevel(trx, variantId, locationId);
    if (input.onHand < before.reserved) throw insufficient(variantId, before.reserved, input.onHand);
    // Optimistic: applies only if on_hand is still what was read.
    const affected = (await table(trx, StockLevel)
      .where({ variant_id: variantId, location_id: locationId, on_hand: before.onHand })
      .whereRaw('reserved <= ?', [input.onHand])
      .update({ on_hand: input.onHand, updated_at: new Date() })) as unknown as number;
    if (affected !== 1) throw new ConflictError('STOCK_CHANGED', 'The stock changed while it was being counted; count again');
    const after = await readLevel(trx, variantId, locationId);
    await recordMovement(trx, after, 'count', input.onHand - before.onHand, 0, input);
    await syncStockFlag(trx, variant.productId);
    return after;
  });
  await invalidateCatalog(ctx);
  return level;
}

/** Stock of one variant: totals and each location. */
export async function variantStock(ctx: TenantCtx, variantId: string): Promise<{ variantId: string; onHand: number; reserved: number; available: number; locations: (StockLevelView & { productId: string; isDefault: boolean })[] }> {
  await requireVariant(ctx, variantId);
  const locations = await levelsOf(ctx, variantId);
  const onHand = locations.reduce((a, l) => a + l.onHand, 0);
  const reserved = locations.reduce((a, l) => a + l.reserved, 0);
  return { variantId, onHand, reserved, available: onHand - reserved, locations };
}

/** Available units per variant (all locations), for admin views. */
export async function availableByVariant(ctx: TenantCtx, variantIds: string[]): Promise<Map<string, { onHand: number; reserved: number }>> {
  const out = new Map<string, { onHand: number; reserved: number }>();
  if (!variantIds.length) return out;
  const rows = (await table(ctx, StockLevel)
    .select('variant_id')
    .sum({ on_hand: 'on_hand', reserved: 'reserved' })
    .whereIn('variant_id', variantIds)
    .groupBy('variant_id')) as { variant_id: string; on_hand: number | string; reserved: number | string }[];
  for (const r of rows) out.set(r.variant_id, { onHand: Number(r.on_hand), reserved: Number(r.reserved) });
  return out;
}

export interface MovementView {
  id: string;
  variantId: string;
  locationId: string;
  reason: string;
  onHandDelta: number;
  reservedDelta: number;
  onHandAfter: number;
  reservedAfter: number;
  reference: string | null;
  note: string | null;
  actor: { type: string; id: string | null };
  createdAt: string;
}

/** Movements newest first, keyset-paginated; for one variant or the whole store. */
export async function listMovements(ctx: TenantCtx, opts: { variantId?: string; locationId?: string; limit: number; cursor?: string }): Promise<{ items: MovementView[]; nextCursor: string | null }> {
  if (opts.variantId) await requireVariant(ctx, opts.variantId);
  const q = table(ctx, StockMovement).select('*');
  if (opts.variantId) q.where('variant_id', opts.variantId);
  if (opts.locationId) q.where('location_id', opts.locationId);
  const after = decodeCursor(opts.cursor, 1);
  if (after) q.where('id', '<', String(after[0]));
  const rows = (await q.orderBy('id', 'desc').limit(opts.limit + 1)) as Record<string, unknown>[];
  const items = rows.slice(0, opts.limit).map(
    (r): MovementView => ({
      id: String(r.id),
      variantId: String(r.variant_id),
      locationId: String(r.location_id),
      reason: String(r.reason),
      onHandDelta: Number(r.on_hand_delta),
      reservedDelta: Number(r.reserved_delta),
      onHandAfter: Number(r.on_hand_after),
      reservedAfter: Number(r.reserved_after),
      reference: (r.reference as string | null) ?? null,
      note: (r.note as string | null) ?? null,
      actor: { type: String(r.actor_type), id: (r.actor_id as string | null) ?? null },
      createdAt: iso(r.created_at),
    }),
  );
  return { items, nextCursor: rows.length > opts.limit ? encodeCursor([items[items.length - 1].id]) : null };
}

/** Initial stock for a new variant, inside the caller's transaction: a level row and an `initial` movement. */
export async function initStock(ctx: TenantCtx, variantId: string, productId: string, onHand: number, locationId: string): Promise<void> {
  await ensureLevel(ctx, variantId, productId, locationId);
  if (onHand > 0) {
    await table(ctx, StockLevel).where({ variant_id: variantId, location_id: locationId }).update({ on_hand: onHand, updated_at: new Date() });
    await recordMovement(ctx, { variantId, locationId, onHand, reserved: 0, available: onHand }, 'initial', onHand, 0, {});
  }
}
