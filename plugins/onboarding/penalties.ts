// Penalty points, restrictions and appeals (ONB-11, after Shopee's points and JD's appeals).
//
// Once a week (keyed by the week's Monday, so running the evaluation again changes nothing) each
// breached metric of a store's latest 30-day card adds a point. Points count per calendar quarter,
// so they reset when it turns. When the quarter's points reach a tier (3/6/9 by default), the
// tier's restriction starts for `restrictionDays` (28): no campaigns, de-boost, no new listings.
// A restriction ends by itself at its end (the sweep lifts it) or when an appeal is upheld in the
// merchant's favour. An appeal may be filed within `appealDays` (7) of the start; a reviewer
// decides it, and a second decision is a 409 naming the first reviewer.
import type { Ctx, PluginMetrics } from '@bazaar/sdk';
import { ConflictError, NotFoundError, isUniqueViolation, recordAudit } from '@bazaar/sdk';
import { Application, OrderFeedback, Penalty, Restriction, Scorecard } from './onboarding.model.js';
import { quarterOf, tiersReached, weekOf } from './scorecard.rules.js';

export interface PenaltyOptions {
  penalties: { tiers: number[]; restrictionDays: number; appealDays: number };
}

export interface PenaltyDeps {
  options: PenaltyOptions;
  metrics: PluginMetrics;
}

const DAY = 86_400_000;
const actorId = (ctx: Ctx) => ('id' in ctx.actor ? ctx.actor.id : null);

export function createPenalties(deps: PenaltyDeps) {
  const { tiers, restrictionDays, appealDays } = deps.options.penalties;

  function restrictionView(r: Restriction, now = Date.now()) {
    const active = !r.liftedAt && Date.parse(r.endsAt) > now;
    return {
      id: r.id, storeId: r.storeId, quarter: r.quarter, level: r.level, kind: r.kind, startsAt: r.startsAt, endsAt: r.endsAt, active, liftedAt: r.liftedAt, liftReason: r.liftReason,
      appeal: { status: r.appealStatus, text: r.appealText, appealedAt: r.appealedAt, decidedBy: r.appealDecidedBy, decidedAt: r.appealDecidedAt, note: r.appealNote, dueAt: new Date(Date.parse(r.startsAt) + appealDays * DAY).toISOString() },
    };
  }

  /** Restriction kinds in force on a store now. */
  async function active(ctx: Ctx, storeId: string, now = new Date()): Promise<string[]> {
    const rows = await Restriction.query(ctx.db).where('store_id', storeId).whereNull('lifted_at').where('ends_at', '>', now).select('kind');
    return [...new Set(rows.map((r) => r.kind))];
  }

  /** This week's points from each store's latest 30-day card, then any tier the quarter's points reach. */
  async function evaluate(ctx: Ctx, now = new Date()) {
    const week = weekOf(now);
    const quarter = quarterOf(week);
    const stores = await Application.query(ctx.db).whereIn('store_status', ['open', 'suspended']).select('store_id');
    let points = 0;
    let restricted = 0;
    for (const { storeId } of stores) {
      const card = await Scorecard.query(ctx.db).where({ store_id: storeId!, window_days: 30 }).orderBy('day', 'desc').first();
      for (const metric of card?.breaches ?? []) {
        try {
          await Penalty.query(ctx.db).insert({ storeId: storeId!, week, quarter, metric, points: 1, createdAt: now.toISOString() });
          points++;
          deps.metrics.count(ctx, 'penalty_points_total', { metric });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
      const total = await quarterPoints(ctx, storeId!, quarter);
      for (const t of tiersReached(total, tiers)) {
        try {
          const r = await Restriction.query(ctx.db).insert({ storeId: storeId!, quarter, level: t.level, kind: t.kind, startsAt: now.toISOString(), endsAt: new Date(now.getTime() + restrictionDays * DAY).toISOString(), liftedAt: null, liftReason: null, appealStatus: null, appealText: null, appealedAt: null, appealDecidedBy: null, appealDecidedAt: null, appealNote: null });
          restricted++;
          deps.metrics.count(ctx, 'restrictions_total', { kind: t.kind });
          await recordAudit(ctx, { action: 'onboarding.restriction.applied', targetType: 'tenant', targetId: storeId!, tenantId: storeId, after: { restrictionId: r.id, level: t.level, kind: t.kind, points: total, endsAt: r.endsAt } });
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
    }
    return { week, quarter, points, restricted };
  }

  async function quarterPoints(ctx: Ctx, storeId: string, quarter: string): Promise<number> {
    const rows = await Penalty.query(ctx.db).where({ store_id: storeId, quarter }).whereNull('voided_at').select('points');
    return rows.reduce((sum, r) => sum + Number(r.points), 0);
  }

  /** Lifts restrictions whose time is over (the sweep). */
  async function liftExpired(ctx: Ctx, now = new Date()) {
    const due = await Restriction.query(ctx.db).whereNull('lifted_at').where('ends_at', '<=', now).limit(1000);
    let lifted = 0;
    for (const r of due) {
      const n = await Restriction.query(ctx.db).patch({ liftedAt: now.toISOString(), liftReason: 'EXPIRED' }).where('id', r.id).whereNull('lifted_at');
      if (n !== 1) continue;
      lifted++;
      await recordAudit(ctx, { action: 'onboarding.restriction.lifted', targetType: 'tenant', targetId: r.storeId, tenantId: r.storeId, after: { restrictionId: r.id, kind: r.kind, reason: 'EXPIRED' } });
    }
    return { lifted };
  }

  /** A store's quarter: points, the weeks they came from, and its restrictions (latest first). */
  async function standing(ctx: Ctx, storeId: string, now = new Date()) {
    const quarter = quarterOf(weekOf(now));
    const penalties = await Penalty.query(ctx.db).where({ store_id: storeId, quarter }).orderBy('week').orderBy('metric');
    const restrictions = await Restriction.query(ctx.db).where('store_id', storeId).orderBy('starts_at', 'desc').orderBy('level', 'desc').limit(50);
    return {
      storeId, quarter, points: penalties.filter((p) => !p.voidedAt).reduce((sum, p) => sum + Number(p.points), 0), tiers, restrictionDays, appealDays,
      penalties: penalties.map((p) => ({ week: p.week, metric: p.metric, points: p.points, ...(p.voidedAt ? { voidedAt: p.voidedAt, voidedByAppealOf: p.voidRestrictionId } : {}) })),
      restrictions: restrictions.map((r) => restrictionView(r, now.getTime())),
      active: await active(ctx, storeId, now),
    };
  }

  async function getRestriction(ctx: Ctx, id: string, storeId?: string) {
    const r = await Restriction.query(ctx.db).findById(id);
    if (!r || (storeId && r.storeId !== storeId)) throw new NotFoundError('RESTRICTION_NOT_FOUND', 'No such restriction');
    return r;
  }

  async function appeal(ctx: Ctx, storeId: string, id: string, text: string, now = new Date()) {
    const r = await getRestriction(ctx, id, storeId);
    if (r.appealStatus) throw new ConflictError('APPEAL_EXISTS', `This restriction was appealed already (${r.appealStatus})`, { extra: { appealStatus: r.appealStatus } });
    const due = Date.parse(r.startsAt) + appealDays * DAY;
    if (now.getTime() > due) throw new ConflictError('APPEAL_WINDOW_CLOSED', `An appeal is filed within ${appealDays} days of the restriction`, { extra: { dueAt: new Date(due).toISOString() } });
    const n = await Restriction.query(ctx.db).patch({ appealStatus: 'pending', appealText: text, appealedAt: now.toISOString() }).where('id', id).whereNull('appeal_status');
    if (n !== 1) throw new ConflictError('APPEAL_EXISTS', 'This restriction was appealed already');
    await recordAudit(ctx, { action: 'onboarding.appeal.filed', targetType: 'tenant', targetId: r.storeId, tenantId: r.storeId, after: { restrictionId: id } });
    return restrictionView(await getRestriction(ctx, id));
  }

  /** Upholds the restriction or overturns it (lifted at once); a second decision is a 409 naming the first reviewer. */
  async function decideAppeal(ctx: Ctx, id: string, body: { decision: 'uphold' | 'overturn'; note?: string }, now = new Date()) {
    const r = await getRestriction(ctx, id);
    const decided = (x: Restriction) => new ConflictError('APPEAL_ALREADY_DECIDED', `The appeal is ${x.appealStatus ?? 'not filed'}`, { extra: { appealStatus: x.appealStatus, decidedBy: x.appealDecidedBy, decidedAt: x.appealDecidedAt } });
    if (r.appealStatus !== 'pending') throw decided(r);
    const status = body.decision === 'uphold' ? 'upheld' : 'overturned';
    const patch: Partial<Restriction> = { appealStatus: status, appealDecidedBy: actorId(ctx), appealDecidedAt: now.toISOString(), appealNote: body.note ?? null };
    if (status === 'overturned' && !r.liftedAt) Object.assign(patch, { liftedAt: now.toISOString(), liftReason: 'APPEAL_OVERTURNED' });
    const n = await Restriction.query(ctx.db).patch(patch).where('id', id).where('appeal_status', 'pending');
    if (n !== 1) throw decided(await getRestriction(ctx, id));
    await recordAudit(ctx, { action: `onboarding.appeal.${status}`, targetType: 'tenant', targetId: r.storeId, tenantId: r.storeId, after: { restrictionId: id, note: body.note ?? null } });
    if (status === 'overturned') await removePoints(ctx, r, now);
    return restrictionView(await getRestriction(ctx, id));
  }

  /**
   * An overturned restriction's points go: those of the week whose evaluation started it (the
   * breaches of that week's card that took the quarter to the tier). They stay on record, void. Any
   * other restriction of the quarter whose tier the points no longer reach is lifted too.
   */
  async function removePoints(ctx: Ctx, r: Restriction, now: Date) {
    const week = weekOf(new Date(r.startsAt));
    const voided = await Penalty.query(ctx.db).where({ store_id: r.storeId, quarter: r.quarter, week }).whereNull('voided_at').select('id', 'metric', 'points');
    if (voided.length) {
      await Penalty.query(ctx.db).patch({ voidedAt: now.toISOString(), voidedBy: actorId(ctx), voidRestrictionId: r.id }).whereIn('id', voided.map((p) => p.id)).whereNull('voided_at');
    }
    const total = await quarterPoints(ctx, r.storeId, r.quarter);
    await recordAudit(ctx, { action: 'onboarding.penalty.voided', targetType: 'tenant', targetId: r.storeId, tenantId: r.storeId, after: { restrictionId: r.id, week, metrics: voided.map((p) => p.metric), points: voided.reduce((sum, p) => sum + Number(p.points), 0), quarterPoints: total } });
    const above = await Restriction.query(ctx.db).where({ store_id: r.storeId, quarter: r.quarter }).whereNull('lifted_at').where('level', '>', total);
    for (const o of above) {
      const lifted = await Restriction.query(ctx.db).patch({ liftedAt: now.toISOString(), liftReason: 'POINTS_REMOVED' }).where('id', o.id).whereNull('lifted_at');
      if (lifted === 1) await recordAudit(ctx, { action: 'onboarding.restriction.lifted', targetType: 'tenant', targetId: o.storeId, tenantId: o.storeId, after: { restrictionId: o.id, kind: o.kind, reason: 'POINTS_REMOVED', appealOf: r.id, quarterPoints: total } });
    }
  }

  async function appeals(ctx: Ctx, q: { status?: 'pending' | 'upheld' | 'overturned'; limit: number }) {
    const rows = await Restriction.query(ctx.db).where('appeal_status', q.status ?? 'pending').orderBy('appealed_at').orderBy('id').limit(q.limit);
    return { items: rows.map((r) => restrictionView(r)) };
  }

  /** Records what makes an order defective, or its rating (from the platform's disputes, claims and reviews). */
  async function recordFeedback(ctx: Ctx, storeId: string, body: { orderId: string; kind: 'rating' | 'chargeback' | 'claim'; rating?: number; reference?: string; occurredAt?: string }) {
    try {
      const row = await OrderFeedback.query(ctx.db).insert({ storeId, orderId: body.orderId, kind: body.kind, rating: body.kind === 'rating' ? body.rating ?? null : null, reference: body.reference ?? null, recordedBy: actorId(ctx), occurredAt: body.occurredAt ? new Date(body.occurredAt).toISOString() : new Date().toISOString() });
      await recordAudit(ctx, { action: 'onboarding.feedback.recorded', targetType: 'order', targetId: body.orderId, tenantId: storeId, after: { kind: body.kind, rating: row.rating } });
      return { id: row.id, storeId, orderId: row.orderId, kind: row.kind, rating: row.rating, reference: row.reference, occurredAt: row.occurredAt };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('FEEDBACK_EXISTS', `This order already has a ${body.kind} recorded`);
      throw err;
    }
  }

  /**
   * Records a defect the platform heard of through the core's events (a chargeback from the
   * payments side, a claim from a return): once per order and kind, in a store onboarding opened;
   * a repeat (a second dispute, the queue running it again) changes nothing. Not audited: it is no
   * one's decision, and the audit log is written outside the subscriber's transaction (on SQLite,
   * one connection, that would wait on itself); the row names its source in `reference`.
   */
  async function recordSignal(ctx: Ctx, storeId: string, s: { orderId: string; kind: 'chargeback' | 'claim'; reference: string; occurredAt: string }) {
    if (!(await Application.query(ctx.db).where('store_id', storeId).whereNotNull('activated_at').first())) return false;
    try {
      await OrderFeedback.query(ctx.db).insert({ storeId, orderId: s.orderId, kind: s.kind, rating: null, reference: s.reference.slice(0, 200), recordedBy: null, occurredAt: new Date(s.occurredAt).toISOString() });
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
    return true;
  }

  return { active, evaluate, liftExpired, standing, appeal, decideAppeal, appeals, recordFeedback, recordSignal, getRestriction, restrictionView, tiers, appealDays };
}

export type Penalties = ReturnType<typeof createPenalties>;
