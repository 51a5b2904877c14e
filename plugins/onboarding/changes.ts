// Change requests (ONB-9, Mercur's ProductChange): an edit of a live product's content, or of what
// it sells (a new variant, new option values, a new price: the core's VariantEditAction), in a store
// onboarding opened is held (`pending`) through the core's `catalog.beforeEdit` hook, and the live
// product stays as it is. Further edits while one is pending add their actions to it, in order. A
// reviewer confirms (the actions are folded and applied in one transaction through the core) or
// declines with coded reasons; the merchant may cancel. A store's `autoConfirm` policy is off at
// first; a reviewer may switch it on once the store has `autoConfirmAfter` confirmed changes since
// its last decline. Auto-confirmed changes pass at once and are still recorded and audited.
import type { CatalogPublishService, Ctx, EditDecision, ProductEditPatch, TenantCtx } from '@bazaar/sdk';
import { AppError, ConflictError, InvalidError, NotFoundError, isUniqueViolation, recordAudit } from '@bazaar/sdk';
import { Application, ProductChange, StorePolicy } from './onboarding.model.js';
import { addBusinessDays } from './checklist.js';
import { PRODUCT_REASON_CODES } from './after-opening.js';

export interface ChangeOptions {
  reviewBusinessDays: number;
  autoConfirmAfter: number;
}

export interface ChangeDeps {
  options: ChangeOptions;
  catalog: CatalogPublishService;
  t(ctx: Ctx, key: string, vars?: Record<string, unknown>): string;
}

type Patch = ProductEditPatch;
const nowIso = () => new Date().toISOString();
const actorId = (ctx: Ctx) => ('id' in ctx.actor ? ctx.actor.id : null);

/**
 * Folds ordered actions into one patch: later fields win, translations merge per locale (null
 * removes), variant changes (a new variant, new options, a price) keep their order, one after another.
 */
export function foldActions(actions: { patch: Patch }[]): Patch {
  const out: Patch = {};
  for (const { patch } of actions) {
    for (const [k, v] of Object.entries(patch) as [keyof Patch, unknown][]) {
      if (k === 'variants') {
        out.variants = [...(out.variants ?? []), ...(v as NonNullable<Patch['variants']>)];
        continue;
      }
      if (k !== 'translations') {
        (out as Record<string, unknown>)[k] = v;
        continue;
      }
      const merged = { ...(out.translations ?? {}) };
      for (const [locale, t] of Object.entries(v as NonNullable<Patch['translations']>)) {
        merged[locale] = t === null ? null : { ...(merged[locale] ?? {}), ...t };
      }
      out.translations = merged;
    }
  }
  return out;
}

export function createChanges(deps: ChangeDeps) {
  const { options } = deps;

  async function onboarded(ctx: Ctx, storeId: string) {
    return Boolean(await Application.query(ctx.db).where('store_id', storeId).whereNotNull('activated_at').first());
  }

  async function standing(ctx: Ctx, storeId: string) {
    const policy = await StorePolicy.query(ctx.db).findById(storeId);
    const rows = await ProductChange.query(ctx.db).where('store_id', storeId).whereIn('status', ['confirmed', 'declined']).orderBy('decided_at', 'desc').orderBy('id', 'desc').limit(10_000);
    let streak = 0;
    for (const r of rows) {
      if (r.status === 'declined') break;
      if (!r.auto) streak++;
    }
    return { storeId, autoConfirm: Boolean(policy?.autoConfirmChanges), confirmedInARow: streak, autoConfirmAfter: options.autoConfirmAfter, eligible: streak >= options.autoConfirmAfter };
  }

  /** The `catalog.beforeEdit` handler: ctx.tenant is the store, ctx.db the control database. */
  async function beforeEdit(ctx: TenantCtx, input: { productId: string; patch: Patch }): Promise<EditDecision> {
    const storeId = ctx.tenant.id;
    if (!(await onboarded(ctx, storeId))) return { allow: true };
    const at = nowIso();
    const action = { patch: input.patch, at };
    if ((await StorePolicy.query(ctx.db).findById(storeId))?.autoConfirmChanges) {
      const row = await ProductChange.query(ctx.db).insert({ storeId, productId: input.productId, status: 'confirmed', pendingKey: null, revision: 1, actions: [action], reasons: [], note: null, auto: true, assigneeId: null, reviewerId: null, proposedAt: at, slaDueAt: at, decidedAt: at });
      await recordAudit(ctx, { action: 'onboarding.change.auto_confirmed', targetType: 'product', targetId: input.productId, tenantId: storeId, after: { changeId: row.id, fields: Object.keys(input.patch) } });
      return { allow: true };
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const pending = await ProductChange.query(ctx.db).where({ store_id: storeId, pending_key: input.productId }).first();
      if (pending) {
        // Compare-and-set on the revision: two edits at once each add their action, neither is lost.
        const n = await ProductChange.query(ctx.db).patch({ actions: [...pending.actions, action], revision: pending.revision + 1 }).where('id', pending.id).where('status', 'pending').where('revision', pending.revision);
        if (n === 1) return held(ctx, pending.id, true);
        continue;
      }
      try {
        const row = await ProductChange.query(ctx.db).insert({ storeId, productId: input.productId, status: 'pending', pendingKey: input.productId, revision: 1, actions: [action], reasons: [], note: null, auto: false, assigneeId: null, reviewerId: null, proposedAt: at, slaDueAt: addBusinessDays(new Date(at), options.reviewBusinessDays).toISOString(), decidedAt: null });
        await recordAudit(ctx, { action: 'onboarding.change.proposed', targetType: 'product', targetId: input.productId, tenantId: storeId, after: { changeId: row.id, fields: Object.keys(input.patch) } });
        return held(ctx, row.id, false);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    throw new ConflictError('CHANGE_BUSY', 'The product changed meanwhile; try again');
  }

  function held(ctx: Ctx, changeId: string, added: boolean): EditDecision {
    return { allow: false, hold: true, changeId, code: 'CHANGE_PENDING_REVIEW', message: deps.t(ctx, added ? 'change.added' : 'change.held') };
  }

  function view(r: ProductChange, opts: { reviewer: boolean } = { reviewer: true }) {
    const pending = r.status === 'pending';
    return {
      id: r.id, storeId: r.storeId, productId: r.productId, status: r.status, actions: r.actions, patch: foldActions(r.actions), reasons: r.reasons, note: r.note, auto: Boolean(r.auto),
      proposedAt: r.proposedAt, slaDueAt: r.slaDueAt, breached: pending && Date.parse(r.slaDueAt) < Date.now(), decidedAt: r.decidedAt,
      ...(opts.reviewer ? { assigneeId: r.assigneeId, reviewerId: r.reviewerId } : {}),
    };
  }

  async function queue(ctx: Ctx, q: { status?: string; storeId?: string; productId?: string; limit: number; cursor?: string }, opts?: { reviewer: boolean }) {
    const b = ProductChange.query(ctx.db);
    if (q.status !== 'all') b.where('status', q.status ?? 'pending');
    if (q.storeId) b.where('store_id', q.storeId);
    if (q.productId) b.where('product_id', q.productId);
    // Soonest deadline first; the cursor is the last row's (deadline, id).
    if (q.cursor) {
      const [due, id] = Buffer.from(q.cursor, 'base64url').toString().split('|');
      if (!due || !id || Number.isNaN(Date.parse(due))) throw new InvalidError('VALIDATION_FAILED', 'The cursor is not one this list gave', { errors: [{ in: 'query', pointer: '/cursor', code: 'invalid', message: 'query.cursor is not valid' }] });
      b.where((w) => w.where('sla_due_at', '>', new Date(due)).orWhere((x) => x.where('sla_due_at', new Date(due)).where('id', '>', id)));
    }
    const rows = await b.orderBy('sla_due_at').orderBy('id').limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return { items: page.map((r) => view(r, opts)), nextCursor: rows.length > q.limit && last ? Buffer.from(`${new Date(last.slaDueAt).toISOString()}|${last.id}`).toString('base64url') : null };
  }

  async function get(ctx: Ctx, id: string) {
    const row = await ProductChange.query(ctx.db).findById(id);
    if (!row) throw new NotFoundError('CHANGE_NOT_FOUND', 'No such change request');
    return row;
  }

  function alreadyDecided(row: ProductChange): AppError {
    return new ConflictError('CHANGE_ALREADY_DECIDED', `The change is ${row.status} already`, { extra: { changeStatus: row.status, decidedBy: row.reviewerId, decidedAt: row.decidedAt } });
  }

  /** Confirms (applies the folded actions in one transaction) or declines a pending change; a second decision is a 409 naming the first reviewer. */
  async function decide(ctx: Ctx, id: string, body: { decision: 'confirm' | 'decline'; reasons?: string[]; note?: string }) {
    const row = await get(ctx, id);
    if (row.status !== 'pending') throw alreadyDecided(row);
    if (body.decision === 'decline' && !body.reasons?.length) throw new InvalidError('VALIDATION_FAILED', 'A decline needs at least one reason code', { errors: [{ in: 'body', pointer: '/reasons', code: 'required', message: 'body.reasons needs at least one code' }] });
    const to = body.decision === 'confirm' ? 'confirmed' : 'declined';
    const at = nowIso();
    // The revision the reviewer read: an edit added meanwhile is not confirmed unseen.
    const n = await ProductChange.query(ctx.db).patch({ status: to, pendingKey: null, reasons: body.reasons ?? [], note: body.note ?? null, reviewerId: actorId(ctx), decidedAt: at }).where('id', id).where('status', 'pending').where('revision', row.revision);
    if (n !== 1) {
      const now = await get(ctx, id);
      if (now.status === 'pending') throw new ConflictError('CHANGE_UPDATED', 'The merchant added to this change meanwhile; review it again', { extra: { actions: now.actions.length } });
      throw alreadyDecided(now);
    }
    if (to === 'confirmed') {
      try {
        await deps.catalog.applyEdit(ctx, row.storeId, row.productId, foldActions(row.actions));
      } catch (err) {
        // Not applicable (a slug taken since, a category gone): the change is pending again, the reviewer sees why.
        await ProductChange.query(ctx.db).patch({ status: 'pending', pendingKey: row.productId, reviewerId: null, decidedAt: null, note: null }).where('id', id).where('status', 'confirmed');
        throw err;
      }
    }
    await recordAudit(ctx, { action: `onboarding.change.${to}`, targetType: 'product', targetId: row.productId, tenantId: row.storeId, after: { changeId: id, reasons: body.reasons ?? [], note: body.note ?? null, actions: row.actions.length } });
    return view(await get(ctx, id));
  }

  async function cancel(ctx: Ctx, storeId: string, id: string) {
    const row = await get(ctx, id);
    if (row.storeId !== storeId) throw new NotFoundError('CHANGE_NOT_FOUND', 'No such change request');
    const n = await ProductChange.query(ctx.db).patch({ status: 'canceled', pendingKey: null, decidedAt: nowIso() }).where('id', id).where('status', 'pending');
    if (n !== 1) throw alreadyDecided(await get(ctx, id));
    await recordAudit(ctx, { action: 'onboarding.change.canceled', targetType: 'product', targetId: row.productId, tenantId: row.storeId, after: { changeId: id } });
    return view(await get(ctx, id), { reviewer: false });
  }

  /** Takes (or gives up) a pending change: the queue shows who works on it. */
  async function assign(ctx: Ctx, id: string, assigneeId: string | null) {
    const row = await get(ctx, id);
    if (row.status !== 'pending') throw alreadyDecided(row);
    await ProductChange.query(ctx.db).patch({ assigneeId }).where('id', id).where('status', 'pending');
    return view(await get(ctx, id));
  }

  async function setPolicy(ctx: Ctx, storeId: string, autoConfirm: boolean) {
    if (!(await onboarded(ctx, storeId))) throw new NotFoundError('STORE_NOT_FOUND', 'No store onboarding opened has this id');
    const s = await standing(ctx, storeId);
    if (autoConfirm && !s.eligible) throw new ConflictError('AUTO_CONFIRM_NOT_EARNED', `Automatic confirmation needs ${options.autoConfirmAfter} confirmed changes since the last decline (the store has ${s.confirmedInARow})`, { extra: { confirmedInARow: s.confirmedInARow, autoConfirmAfter: options.autoConfirmAfter } });
    const row = { autoConfirmChanges: autoConfirm, updatedBy: actorId(ctx), updatedAt: nowIso() };
    const n = await StorePolicy.query(ctx.db).patch(row).where('store_id', storeId);
    if (n === 0) await StorePolicy.query(ctx.db).insert({ storeId, ...row });
    await recordAudit(ctx, { action: 'onboarding.change.policy', targetType: 'tenant', targetId: storeId, tenantId: storeId, before: { autoConfirm: s.autoConfirm }, after: { autoConfirm } });
    return standing(ctx, storeId);
  }

  return { beforeEdit, queue, get, view, decide, cancel, assign, setPolicy, standing };
}

export type Changes = ReturnType<typeof createChanges>;
export { PRODUCT_REASON_CODES };
