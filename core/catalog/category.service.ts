// The category tree: each category keeps its materialised path of ids (`/root/child/self/`),
// so a subtree is one prefix range on (tenant_id, path) and moving a branch rewrites only it.
import type { TenantCtx } from '../context.js';
import { withTransaction } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../errors.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { newId } from '../db/ids.js';
import { Category, ProductCategory } from './catalog.model.js';
import { FieldProblems } from './catalog.validation.js';
import { canonicalLocale, slugify } from './text.js';
import { table } from './tables.js';
import { invalidateCatalog } from './catalog.cache.js';

export const MAX_DEPTH = 8;

export interface CategoryView {
  id: string;
  parentId: string | null;
  handle: string;
  names: Record<string, string>;
  depth: number;
  position: number;
  createdAt: string;
  updatedAt: string;
}

export function toCategoryView(c: Category): CategoryView {
  return { id: c.id, parentId: c.parentId, handle: c.handle, names: c.names ?? {}, depth: c.depth, position: c.position, createdAt: c.createdAt, updatedAt: c.updatedAt };
}

const notFound = (id: string) => new NotFoundError('CATEGORY_NOT_FOUND', 'No such category', { extra: { categoryId: id } });

export async function requireCategory(ctx: TenantCtx, id: string): Promise<Category> {
  const found = await scoped(ctx, Category).findById(id);
  if (!found) throw notFound(id);
  return found;
}

export async function getCategory(ctx: TenantCtx, id: string): Promise<CategoryView> {
  return toCategoryView(await requireCategory(ctx, id));
}

/** The tree in depth-first order (by path), keyset-paginated; optionally one parent's children. */
export async function listCategories(ctx: TenantCtx, opts: { limit: number; cursor?: string; parentId?: string }): Promise<{ items: CategoryView[]; nextCursor: string | null }> {
  const q = scoped(ctx, Category);
  if (opts.parentId) q.where('parent_id', opts.parentId);
  const after = decodeCursor(opts.cursor, 1);
  if (after) q.where('path', '>', String(after[0]));
  const rows = await q.orderBy('path').limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toCategoryView), nextCursor: rows.length > opts.limit ? encodeCursor([page[page.length - 1].path]) : null };
}

function normaliseNames(names: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(names).map(([l, n]) => [canonicalLocale(l), n.trim()]));
}

async function freeHandle(ctx: TenantCtx, base: string, exceptId?: string): Promise<string> {
  const q = table(ctx, Category).select('handle').where((b) => b.where('handle', base).orWhere('handle', 'like', `${base}-%`));
  if (exceptId) q.whereNot('id', exceptId);
  const used = new Set(((await q) as { handle: string }[]).map((r) => r.handle));
  let handle = base;
  for (let n = 2; used.has(handle); n++) handle = `${base}-${n}`;
  return handle;
}

function handleTaken(handle: string): ConflictError {
  return new ConflictError('HANDLE_TAKEN', `The handle "${handle}" belongs to another category`, { errors: [{ in: 'body', pointer: '/handle', code: 'taken', message: `body.handle "${handle}" is taken` }] });
}

export async function createCategory(ctx: TenantCtx, input: { names: Record<string, string>; handle?: string; parentId?: string | null; position?: number }): Promise<CategoryView> {
  const p = new FieldProblems();
  const names = normaliseNames(input.names);
  if (!names[ctx.tenant.defaultLocale]) p.bad(`/names/${ctx.tenant.defaultLocale}`, 'TRANSLATION_REQUIRED', `is required: the store's default locale is ${ctx.tenant.defaultLocale}`);
  const parent = input.parentId ? await scoped(ctx, Category).findById(input.parentId) : null;
  if (input.parentId && !parent) p.bad('/parentId', 'CATEGORY_NOT_FOUND', 'names no category of this store');
  if (parent && parent.depth + 1 >= MAX_DEPTH) p.bad('/parentId', 'CATEGORY_TOO_DEEP', `would nest deeper than ${MAX_DEPTH} levels`);
  p.throwIfAny();
  const id = newId();
  try {
    await withTransaction(ctx, async (trx) => {
      const handle = input.handle ? input.handle.toLowerCase() : await freeHandle(trx, slugify(names[ctx.tenant.defaultLocale]) || 'category');
      await scoped(trx, Category).insert({
        id, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, depth: parent ? parent.depth + 1 : 0,
        handle, names, position: input.position ?? 0,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw handleTaken(input.handle ?? '');
    throw err;
  }
  await invalidateCatalog(ctx);
  return getCategory(ctx, id);
}

export async function updateCategory(ctx: TenantCtx, id: string, patch: { names?: Record<string, string>; handle?: string; parentId?: string | null; position?: number }): Promise<CategoryView> {
  const category = await requireCategory(ctx, id);
  const p = new FieldProblems();
  const names = patch.names ? { ...category.names, ...normaliseNames(patch.names) } : undefined;
  if (names && !names[ctx.tenant.defaultLocale]) p.bad(`/names/${ctx.tenant.defaultLocale}`, 'TRANSLATION_REQUIRED', 'is required');
  let parent: Category | null | undefined;
  if (patch.parentId !== undefined && patch.parentId !== category.parentId) {
    parent = patch.parentId ? await scoped(ctx, Category).findById(patch.parentId) : null;
    if (patch.parentId && !parent) p.bad('/parentId', 'CATEGORY_NOT_FOUND', 'names no category of this store');
    else if (parent && parent.path.startsWith(category.path)) p.bad('/parentId', 'CATEGORY_CYCLE', 'is this category or one below it');
  }
  p.throwIfAny();
  try {
    await withTransaction(ctx, async (trx) => {
      const changes: Partial<Category> = {};
      if (names) changes.names = names;
      if (patch.handle) changes.handle = patch.handle.toLowerCase();
      if (patch.position !== undefined) changes.position = patch.position;
      if (parent !== undefined) {
        const newPath = `${parent?.path ?? '/'}${id}/`;
        const shift = (parent ? parent.depth + 1 : 0) - category.depth;
        const subtree = await scoped(trx, Category).where('path', 'like', `${category.path}%`);
        const deepest = Math.max(...subtree.map((c) => c.depth)) + shift;
        if (deepest >= MAX_DEPTH) {
          const tooDeep = new FieldProblems();
          tooDeep.bad('/parentId', 'CATEGORY_TOO_DEEP', `would nest deeper than ${MAX_DEPTH} levels`);
          tooDeep.throwIfAny();
        }
        for (const c of subtree) {
          if (c.id === id) continue;
          await scoped(trx, Category).patch({ path: newPath + c.path.slice(category.path.length), depth: c.depth + shift }).where('id', c.id);
        }
        Object.assign(changes, { parentId: parent?.id ?? null, path: newPath, depth: category.depth + shift });
      }
      await scoped(trx, Category).patch(changes).where('id', id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw handleTaken(patch.handle ?? '');
    throw err;
  }
  await invalidateCatalog(ctx);
  return getCategory(ctx, id);
}

/** Deletes a leaf category and its product links; a category with children must be emptied first. */
export async function deleteCategory(ctx: TenantCtx, id: string): Promise<void> {
  await requireCategory(ctx, id);
  const child = await scoped(ctx, Category).where('parent_id', id).first();
  if (child) throw new ConflictError('CATEGORY_HAS_CHILDREN', 'Move or delete the sub-categories first', { extra: { categoryId: id } });
  await withTransaction(ctx, async (trx) => {
    await table(trx, ProductCategory).where('category_id', id).delete();
    await table(trx, Category).where('id', id).delete();
  });
  await invalidateCatalog(ctx);
}

/** A category (by id or handle) and everything below it, for store filters; null if unknown. */
export async function subtreeIds(ctx: TenantCtx, idOrHandle: string): Promise<string[] | null> {
  const root = (await table(ctx, Category).select('path').where((b) => b.where('id', idOrHandle).orWhere('handle', idOrHandle.toLowerCase())).first()) as { path: string } | undefined;
  if (!root) return null;
  const rows = (await table(ctx, Category).select('id').where('path', '>=', root.path).where('path', '<', root.path.slice(0, -1) + '0')) as { id: string }[];
  return rows.map((r) => r.id);
}
