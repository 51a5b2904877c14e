// After a store opens: the product quality gate (ONB-9) and the seller scorecard (ONB-11).
//
// Quality gate: the catalog asks `catalog.beforePublish` before a product goes active. A store that
// onboarding opened has its products held (`proposed`) until a reviewer approves them, then the
// approval publishes the product (through the same gate, which now lets it pass); a refusal carries
// coded reasons the merchant sees on their next try. After `autoApproveAfter` approvals in a row
// with no refusal since, the store's products pass at once (still recorded and audited).
//
// Scorecard: per store and day, over 30 and 90 days of orders placed, from the core's order stats:
// cancel rate before shipment, late shipment rate, valid tracking rate, return rate. Thresholds are
// options; a breached metric is listed on the card, which the reviewers and the merchant see.
import type { CatalogPublishService, Ctx, OrderStatsService, PluginMetrics, PublishDecision, TenantCtx } from '@bazaar/sdk';
import { AppError, ConflictError, InvalidError, NotFoundError, isUniqueViolation, newId, recordAudit } from '@bazaar/sdk';
import { Application, OrderFeedback, ProductReview, Scorecard } from './onboarding.model.js';
import { scoreBreaches, scoreRates, type ScoreThresholds } from './scorecard.rules.js';

export type { ScoreThresholds };

export const PRODUCT_REASON_CODES = ['LISTING_PROHIBITED', 'IMAGES_POOR', 'DESCRIPTION_MISLEADING', 'CATEGORY_WRONG', 'QUALITY_REPORT_MISSING', 'IP_INFRINGEMENT', 'PRICE_MISLEADING', 'OTHER'] as const;

export interface AfterOpeningOptions {
  autoApproveAfter: number;
  shipWithinHours: number;
  scorecard: ScoreThresholds & { minOrders: number };
}

export interface AfterOpeningDeps {
  options: AfterOpeningOptions;
  catalog: CatalogPublishService;
  orders: OrderStatsService;
  metrics: PluginMetrics;
  /** ONB-11: restrictions in force on a store (`no_new_listings` keeps new products off the store). */
  restrictions(ctx: Ctx, storeId: string): Promise<string[]>;
  t(ctx: Ctx, key: string, vars?: Record<string, unknown>): string;
}

const nowIso = () => new Date().toISOString();
const field = (pointer: string, code: string, message: string) => [{ in: 'body', pointer, code, message }];
const actorId = (ctx: Ctx) => ('id' in ctx.actor ? ctx.actor.id : null);

export function createAfterOpening(deps: AfterOpeningDeps) {
  const { options } = deps;

  /** The store's application when onboarding opened it (other stores are not gated). */
  async function storeApp(ctx: Ctx, storeId: string) {
    return Application.query(ctx.db).where('store_id', storeId).whereNotNull('activated_at').first();
  }

  /** Approvals since the last refusal, and whether they earn automatic approval. */
  async function standing(ctx: Ctx, storeId: string) {
    const rows = await ProductReview.query(ctx.db).where('store_id', storeId).whereIn('status', ['published', 'approved', 'rejected']).whereNotNull('decided_at').orderBy('decided_at', 'desc').orderBy('id', 'desc');
    let streak = 0;
    for (const r of rows) {
      if (r.status === 'rejected') break;
      if (!r.auto) streak++;
    }
    return { approvedInARow: streak, autoApprove: streak >= options.autoApproveAfter, autoApproveAfter: options.autoApproveAfter };
  }

  /** The `catalog.beforePublish` handler; ctx.tenant is the store, ctx.db the control database. */
  async function beforePublish(ctx: TenantCtx, productId: string | null): Promise<PublishDecision> {
    const storeId = ctx.tenant.id;
    if (!(await storeApp(ctx, storeId))) return { allow: true };
    const row = productId ? await ProductReview.query(ctx.db).where({ store_id: storeId, product_id: productId }).first() : undefined;
    // A restricted store lists nothing new: a product never approved stays off (one published before may come back).
    if (!row || !['approved', 'published'].includes(row.status)) {
      if ((await deps.restrictions(ctx, storeId)).includes('no_new_listings')) return { allow: false, code: 'LISTING_RESTRICTED', message: deps.t(ctx, 'gate.restricted') };
    }
    const s = await standing(ctx, storeId);
    if (!productId) {
      if (s.autoApprove) return { allow: true };
      return { allow: false, code: 'REVIEW_REQUIRED', message: deps.t(ctx, 'gate.createDraft') };
    }
    if (row?.status === 'approved') {
      await ProductReview.query(ctx.db).patch({ status: 'published' }).where('id', row.id).where('status', 'approved');
      return { allow: true };
    }
    if (s.autoApprove) {
      const at = nowIso();
      if (row) await ProductReview.query(ctx.db).patch({ status: 'published', auto: true, reasons: [], note: null, reviewerId: null, proposedAt: at, decidedAt: at }).where('id', row.id);
      else await ProductReview.query(ctx.db).insert({ storeId, productId, status: 'published', reasons: [], note: null, auto: true, reviewerId: null, proposedAt: at, decidedAt: at });
      await recordAudit(ctx, { action: 'onboarding.product.auto_approved', targetType: 'product', targetId: productId, tenantId: storeId, after: { approvedInARow: s.approvedInARow } });
      return { allow: true };
    }
    if (row?.status === 'proposed') return { allow: false, code: 'REVIEW_PENDING', message: deps.t(ctx, 'gate.pending') };
    // New, refused before or published before and taken down: (re)proposed for review.
    const at = nowIso();
    const refused = row?.status === 'rejected' ? { reasons: row.reasons, note: row.note } : null;
    try {
      if (row) await ProductReview.query(ctx.db).patch({ status: 'proposed', reasons: [], note: null, auto: false, reviewerId: null, proposedAt: at, decidedAt: null }).where('id', row.id).where('status', row.status);
      else await ProductReview.query(ctx.db).insert({ storeId, productId, status: 'proposed', reasons: [], note: null, auto: false, reviewerId: null, proposedAt: at, decidedAt: null });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    deps.metrics.count(ctx, 'products_proposed_total');
    return { allow: false, code: 'REVIEW_PENDING', message: refused ? deps.t(ctx, 'gate.resubmitted', { reasons: refused.reasons.join(', ') }) : deps.t(ctx, 'gate.proposed') };
  }

  async function productQueue(ctx: Ctx, q: { status?: string; storeId?: string; limit: number; cursor?: string }) {
    const b = ProductReview.query(ctx.db);
    if (q.status !== 'all') b.where('status', q.status ?? 'proposed');
    if (q.storeId) b.where('store_id', q.storeId);
    if (q.cursor) b.where('id', '>', q.cursor);
    const rows = await b.orderBy('id').limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    return { items: page.map(productView), nextCursor: rows.length > q.limit ? page.at(-1)!.id : null };
  }

  function productView(r: ProductReview) {
    return { id: r.id, storeId: r.storeId, productId: r.productId, status: r.status, reasons: r.reasons, note: r.note, auto: Boolean(r.auto), reviewerId: r.reviewerId, proposedAt: r.proposedAt, decidedAt: r.decidedAt };
  }

  async function decideProduct(ctx: Ctx, id: string, body: { decision: 'approve' | 'reject'; reasons?: string[]; note?: string }) {
    const row = await ProductReview.query(ctx.db).findById(id);
    if (!row) throw new NotFoundError('PRODUCT_REVIEW_NOT_FOUND', 'No such product review');
    if (row.status !== 'proposed') throw new ConflictError('PRODUCT_NOT_PROPOSED', `The product is ${row.status}, not proposed`, { extra: { currentState: row.status } });
    if (body.decision === 'reject' && !body.reasons?.length) throw new InvalidError('VALIDATION_FAILED', 'A refusal needs at least one reason code', { errors: field('/reasons', 'required', 'body.reasons needs at least one code') });
    const to = body.decision === 'approve' ? 'approved' : 'rejected';
    const n = await ProductReview.query(ctx.db).patch({ status: to, reasons: body.reasons ?? [], note: body.note ?? null, reviewerId: actorId(ctx), decidedAt: nowIso() }).where('id', id).where('status', 'proposed');
    if (n !== 1) throw new ConflictError('PRODUCT_NOT_PROPOSED', 'Another reviewer decided this product meanwhile');
    await recordAudit(ctx, { action: `onboarding.product.${to}`, targetType: 'product', targetId: row.productId, tenantId: row.storeId, after: { reasons: body.reasons ?? [], note: body.note ?? null } });
    if (to === 'approved') {
      try {
        await deps.catalog.publish(ctx, row.storeId, row.productId);
      } catch (err) {
        // The product is gone or no longer publishable: the approval stands, the merchant publishes later.
        if (!(err instanceof AppError) || err.status >= 500) throw err;
      }
    }
    return productView((await ProductReview.query(ctx.db).findById(id))!);
  }

  // ---- scorecard ---------------------------------------------------------------------------

  /** Computes (or recomputes) today's cards of every open or suspended store onboarding opened. */
  async function computeScorecards(ctx: Ctx, now = new Date()) {
    const day = now.toISOString().slice(0, 10);
    const stores = await Application.query(ctx.db).whereIn('store_status', ['open', 'suspended']).select('store_id');
    let cards = 0;
    for (const { storeId } of stores) {
      for (const windowDays of [30, 90]) {
        const from = new Date(now.getTime() - windowDays * 86_400_000);
        const feedback = await OrderFeedback.query(ctx.db).where('store_id', storeId!).where('occurred_at', '>=', from).where('occurred_at', '<', new Date(now.getTime() + 1)).limit(100_000);
        // A defective order: a 1-2 star rating, a chargeback or a guarantee claim, counted once among the window's orders.
        const defects = [...new Set(feedback.filter((f) => f.kind !== 'rating' || Number(f.rating) <= 2).map((f) => f.orderId))];
        const stats = await deps.orders.storeStats(ctx, storeId!, { from, to: now, shipWithinHours: options.shipWithinHours, among: defects });
        if (!stats) continue;
        const ratings = feedback.filter((f) => f.kind === 'rating');
        const { among, ...counts } = stats;
        const c = { ...counts, defective: among, ratings: ratings.length, ratingSum: ratings.reduce((sum, f) => sum + Number(f.rating), 0) };
        const r = scoreRates(c);
        const b = scoreBreaches(r, c.orders, options.scorecard);
        const row = { storeId: storeId!, day, windowDays, ...c, rates: r, breaches: b, computedAt: now.toISOString() };
        const n = await Scorecard.query(ctx.db).patch(row).where({ store_id: storeId, day, window_days: windowDays });
        if (n === 0) {
          try {
            await Scorecard.query(ctx.db).insert({ id: newId(), ...row });
          } catch (err) {
            if (!isUniqueViolation(err)) throw err;
            await Scorecard.query(ctx.db).patch(row).where({ store_id: storeId, day, window_days: windowDays });
          }
        }
        if (windowDays === 30) for (const m of b) deps.metrics.count(ctx, 'scorecard_breaches_total', { metric: m });
        cards++;
      }
    }
    return { cards };
  }

  /** The latest 30- and 90-day cards of a store, with the thresholds they were judged by. */
  async function scorecard(ctx: Ctx, storeId: string) {
    const latest = await Scorecard.query(ctx.db).where('store_id', storeId).orderBy('day', 'desc').limit(2);
    const view = (c: Scorecard | undefined) => c && { day: c.day, windowDays: c.windowDays, orders: c.orders, defective: c.defective, ratings: c.ratings, cancelledBySeller: c.cancelledBySeller, shipped: c.shipped, shippedLate: c.shippedLate, validTracking: c.validTracking, returned: c.returned, rates: c.rates, breaches: c.breaches, computedAt: c.computedAt };
    return { storeId, thresholds: options.scorecard, days30: view(latest.find((c) => c.windowDays === 30)) ?? null, days90: view(latest.find((c) => c.windowDays === 90)) ?? null };
  }

  /** Stores whose latest 30-day card breaches a threshold, for the reviewers. */
  async function breachingStores(ctx: Ctx, limit: number) {
    const day = (await Scorecard.query(ctx.db).max('day as day').first()) as unknown as { day: string | null } | undefined;
    if (!day?.day) return { day: null, items: [] };
    const rows = await Scorecard.query(ctx.db).where({ day: day.day, window_days: 30 }).orderBy('store_id').limit(1000);
    return { day: day.day, items: rows.filter((r) => r.breaches.length).slice(0, limit).map((r) => ({ storeId: r.storeId, orders: r.orders, rates: r.rates, breaches: r.breaches })) };
  }

  return { beforePublish, standing, productQueue, decideProduct, computeScorecards, scorecard, breachingStores };
}

export type AfterOpening = ReturnType<typeof createAfterOpening>;
