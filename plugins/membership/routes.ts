// Store API (/store/v1/membership) and Admin API (/admin/v1/membership).
import crypto from 'node:crypto';
import {
  route, raw, created, accepted, noContent, idParams, pageQuery, pageByIdDesc, scoped, withTransaction, newId,
  ConflictError, ForbiddenError, InvalidError, NotFoundError, TooManyRequestsError, UnauthorizedError,
  type PluginRoute, type TenantCtx, type Ctx, type PluginCache, type OrderReadService, type AuditService, type CustomerService,
} from '@bazaar/sdk';
import { Adjustment, Checkin, Flag, Hold, Lot, Member, PointsEntry, GrowthEntry, Tier, TierChange } from './membership.model.js';
import { BIZ, addAvailableLot, consumeLots, ensureMember, lockMember, memberRow, newLot, postGrowth, postPoints, reconcile } from './ledger.js';
import { basisGrowth, previewTiers, recordTierChange, tiersOf, upgradeIfQualified } from './tiers.js';
import { checkIn, checkinState, prepareDeviceDay } from './checkin.js';
import { expiryFor, holdPoints, payReferral, pointsValue, releaseCartHolds, settle } from './orders.js';
import { clock, localDay } from './clock.js';
import { STEP_UP_MINUTES, checkStepUp, issueStepUp, stepUpReason } from './stepup.js';
import type { MembershipSettings } from './settings.js';

export interface RouteDeps {
  settings(ctx: TenantCtx): Promise<MembershipSettings>;
  cache: PluginCache;
  orders: OrderReadService;
  audit: AuditService;
  customers: CustomerService;
  /** Mails a step-up code to the customer (in their language); answers where it went, masked. */
  mailStepUp(ctx: TenantCtx, customerId: string, code: string, minutes: number): Promise<string | null>;
  /** The hourly job of one store (pending points past their window, stale cart holds). */
  hourly(ctx: TenantCtx): Promise<{ members: number; released: number }>;
  /** The daily job of one store (expiry, notices, tier terms, birthday gifts). */
  daily(ctx: TenantCtx): Promise<{ expired: { lots: number; points: number }; notices: number; terms: { renewed: number; down: number }; birthdays: number }>;
}

const T = (ctx: Ctx) => ctx as TenantCtx;
const obj = { type: 'object' } as const;
const cartParams = { type: 'object', required: ['cartId'], additionalProperties: false, properties: { cartId: { type: 'string', minLength: 1, maxLength: 36 } } } as const;
const orderParams = { type: 'object', required: ['orderId'], additionalProperties: false, properties: { orderId: { type: 'string', minLength: 1, maxLength: 36 } } } as const;
const benefitSchema = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['type', 'amount'], properties: { type: { const: 'free_shipping_threshold' }, amount: { type: 'integer', minimum: 0, maximum: 1e12 } } },
    { type: 'object', additionalProperties: false, required: ['type', 'percent'], properties: { type: { const: 'member_price_discount_percent' }, percent: { type: 'integer', minimum: 1, maximum: 90 } } },
    { type: 'object', additionalProperties: false, required: ['type', 'percent'], properties: { type: { const: 'points_multiplier' }, percent: { type: 'integer', minimum: 100, maximum: 1000 } } },
    { type: 'object', additionalProperties: false, required: ['type', 'points'], properties: { type: { const: 'birthday_gift' }, points: { type: 'integer', minimum: 1, maximum: 1_000_000 } } },
    { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { enum: ['exclusive_promotions', 'priority_service', 'checkin_enabled'] } } },
  ],
} as const;
const tierIn = {
  type: 'object', additionalProperties: false, required: ['rank', 'name', 'threshold'],
  properties: {
    rank: { type: 'integer', minimum: 0, maximum: 20 }, name: { type: 'string', minLength: 1, maxLength: 100 }, threshold: { type: 'integer', minimum: 0, maximum: 1e12 },
    entryRewardPoints: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 }, benefits: { type: 'array', maxItems: 10, items: benefitSchema, default: [] },
  },
} as const;
const tiersBody = (extra: Record<string, unknown> = {}) => ({
  type: 'object', additionalProperties: false, required: ['tiers', ...Object.keys(extra)],
  properties: { tiers: { type: 'array', minItems: 0, maxItems: 10, items: tierIn }, ...extra },
});

const DEVICE = /^[A-Za-z0-9._:-]{8,128}$/;

/** The hash of a check-in's X-Device-Id header (null when absent and the store does not require one). */
function deviceHashOf(value: string | string[] | undefined, required: boolean): string | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v === '') {
    if (!required) return null;
    throw new InvalidError('MEMBERSHIP_DEVICE_REQUIRED', 'This store needs the X-Device-Id header on a check-in', { errors: [{ in: 'header', pointer: '/x-device-id', code: 'required', message: 'header X-Device-Id is required' }] });
  }
  if (!DEVICE.test(v)) throw new InvalidError('MEMBERSHIP_DEVICE_INVALID', 'X-Device-Id must be 8 to 128 letters, digits or . _ : -', { errors: [{ in: 'header', pointer: '/x-device-id', code: 'pattern', message: 'header X-Device-Id must match ^[A-Za-z0-9._:-]{8,128}$' }] });
  return crypto.createHash('sha256').update(v).digest('hex');
}

function customerId(ctx: Ctx): string {
  if (ctx.actor.type !== 'customer') throw new UnauthorizedError('UNAUTHENTICATED', 'Sign in first');
  return ctx.actor.id;
}

function tierView(t: Tier | undefined) {
  return t ? { id: t.id, rank: t.rank, name: t.name, threshold: Number(t.threshold), entryRewardPoints: Number(t.entryRewardPoints), benefits: t.benefits } : null;
}

function growthView(g: GrowthEntry) {
  return { id: g.id, bizType: g.bizType, bizId: g.bizId, bizLineId: g.bizLineId || null, approved: Number(g.approvedDelta), pending: Number(g.pendingDelta), note: g.note, createdAt: g.createdAt };
}

function tierChangeView(h: TierChange) {
  return { id: h.id, from: h.fromTierId ? { id: h.fromTierId, name: h.fromName } : null, to: h.toTierId ? { id: h.toTierId, name: h.toName } : null, move: h.move, reason: h.reason, growth: Number(h.growth), actor: h.actor, createdAt: h.createdAt };
}

function flagView(f: Flag) {
  return { id: f.id, memberId: f.memberId, otherMemberId: f.otherMemberId, kind: f.kind, via: f.via, points: Number(f.points), status: f.status, decidedBy: f.decidedBy, note: f.note, createdAt: f.createdAt };
}

function entryView(e: PointsEntry) {
  return { id: e.id, bizType: e.bizType, bizId: e.bizId, bizLineId: e.bizLineId || null, available: Number(e.availableDelta), pending: Number(e.pendingDelta), held: Number(e.heldDelta), note: e.note, createdAt: e.createdAt };
}

async function summary(ctx: TenantCtx, s: MembershipSettings, member: Member) {
  const m = memberRow((await scoped(ctx, Member).findById(member.id))!);
  const tiers = await tiersOf(ctx);
  const tier = tiers.find((t) => t.id === m.tierId);
  const growth = await basisGrowth(ctx, m, s);
  const next = tiers.filter((t) => t.rank > (tier?.rank ?? -1)).sort((a, b) => a.rank - b.rank)[0];
  const expiring = await scoped(ctx, Lot).where({ member_id: m.id, state: 'available' }).where('remaining', '>', 0).whereNotNull('expires_at').orderBy('expires_at').first();
  const approving = await scoped(ctx, Lot).where({ member_id: m.id, state: 'pending' }).where('remaining', '>', 0).whereNotNull('available_at').orderBy('available_at').first();
  return {
    memberId: m.id,
    referralCode: m.referralCode,
    tier: tierView(tier),
    tierExpiresAt: m.tierExpiresAt,
    growth: { basis: s.tiers.basis, value: growth, lifetime: m.growthTotal, pending: m.growthPending },
    nextTier: next ? { name: next.name, threshold: Number(next.threshold), remaining: Math.max(0, Number(next.threshold) - growth) } : null,
    points: { available: m.pointsAvailable, pending: m.pointsPending, held: m.pointsHeld, debt: m.pointsDebt, nextExpiry: expiring ? { points: Number(expiring.remaining), at: expiring.expiresAt } : null, nextAvailable: approving ? { points: Number(approving.remaining), at: approving.availableAt } : null },
    checkin: await checkinState(ctx, s, m),
    birthday: m.birthday,
  };
}

export function storeRoutes(d: RouteDeps): PluginRoute[] {
  const tags = ['store: membership'];
  const me = async (ctx: Ctx) => {
    const c = T(ctx);
    const s = await d.settings(c);
    const member = await ensureMember(c, customerId(ctx));
    await withTransaction(c, async (trx) => {
      await settle(trx, s, d.orders, member.id);
      await upgradeIfQualified(trx, member, s);
    });
    return { c, s, member };
  };
  const ownCart = async (c: TenantCtx, member: Member, cartId: string) => {
    const cart = await d.orders.cart(c, cartId);
    if (!cart || cart.customerId !== member.customerId) throw new NotFoundError('MEMBERSHIP_CART_NOT_FOUND', 'Cart not found');
    return cart;
  };
  return [
    route({
      method: 'GET', path: '/me', summary: "The signed-in customer's tier, progress to the next, balances and check-in state", tags, access: 'customer',
      responses: { 200: obj },
      async handler({ ctx }) {
        const { c, s, member } = await me(ctx);
        return summary(c, s, member);
      },
    }),
    route({
      method: 'GET', path: '/me/ledger', summary: 'Points ledger of the signed-in customer, newest first', tags, access: 'customer',
      query: { type: 'object', additionalProperties: false, properties: pageQuery },
      responses: { 200: obj },
      async handler({ ctx, query }) {
        const { c, member } = await me(ctx);
        const p = await pageByIdDesc(scoped(c, PointsEntry).where('member_id', member.id), 'id', query.limit ?? 20, query.cursor);
        return { items: p.items.map(entryView), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'PUT', path: '/me/birthday', summary: 'Set the birthday (once) for the birthday gift', tags, access: 'customer',
      body: { type: 'object', additionalProperties: false, required: ['birthday'], properties: { birthday: { type: 'string', pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', description: 'MM-DD' } } },
      responses: { 200: obj },
      errors: { 409: ['MEMBERSHIP_BIRTHDAY_SET'] },
      async handler({ ctx, body }) {
        const { c, s, member } = await me(ctx);
        if (member.birthday && member.birthday !== body.birthday) throw new ConflictError('MEMBERSHIP_BIRTHDAY_SET', 'The birthday is already set; ask the store to change it');
        await scoped(c, Member).patch({ birthday: body.birthday }).where('id', member.id);
        return summary(c, s, member);
      },
    }),
    route({
      method: 'PUT', path: '/me/referrer', summary: "Name the member who referred you (once, before your first order)", tags, access: 'customer',
      body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', minLength: 4, maxLength: 16, pattern: '^[A-Z0-9]+$' } } },
      responses: { 200: obj },
      errors: { 404: ['MEMBERSHIP_REFERRER_NOT_FOUND'], 409: ['MEMBERSHIP_REFERRER_SET', 'MEMBERSHIP_REFERRER_TOO_LATE'] },
      async handler({ ctx, body }) {
        const { c, s, member } = await me(ctx);
        if (member.referredBy) throw new ConflictError('MEMBERSHIP_REFERRER_SET', 'A referrer is already set');
        if (await scoped(c, Lot).where({ member_id: member.id, source_type: BIZ.EARN_ORDER }).first()) throw new ConflictError('MEMBERSHIP_REFERRER_TOO_LATE', 'A referrer can only be named before the first order');
        const referrer = await scoped(c, Member).where('referral_code', body.code).first();
        if (!referrer || referrer.id === member.id) throw new NotFoundError('MEMBERSHIP_REFERRER_NOT_FOUND', 'No member has this referral code');
        await scoped(c, Member).patch({ referredBy: referrer.id }).where('id', member.id);
        return summary(c, s, member);
      },
    }),
    route({
      method: 'GET', path: '/checkins', summary: "Today's check-in state and streak", tags, access: 'customer',
      responses: { 200: obj },
      async handler({ ctx }) {
        const { c, s, member } = await me(ctx);
        return checkinState(c, s, member);
      },
    }),
    route({
      method: 'POST', path: '/checkins', summary: 'Check in for today (once a day, store time zone). Send X-Device-Id (8-128 of A-Z a-z 0-9 . _ : -): one device may check in for a few accounts a day only.', tags, access: 'customer',
      responses: { 201: obj },
      errors: { 400: ['MEMBERSHIP_DEVICE_INVALID', 'MEMBERSHIP_DEVICE_REQUIRED'], 403: ['MEMBERSHIP_CHECKIN_NOT_IN_TIER'], 409: ['MEMBERSHIP_ALREADY_CHECKED_IN'], 429: ['MEMBERSHIP_CHECKIN_DEVICE_LIMIT', 'MEMBERSHIP_CHECKIN_RATE_LIMITED'] },
      async handler({ ctx, ip, headers }) {
        const { c, s, member } = await me(ctx);
        const device = deviceHashOf(headers['x-device-id'], s.checkin.requireDevice);
        const hits = await d.cache.incr(c, `checkin-ip:${ip}:${Math.floor(Date.now() / 3_600_000)}`, 3600);
        if (hits.count > s.checkin.perIpPerHour) throw new TooManyRequestsError(Math.max(1, hits.ttlSeconds), 'MEMBERSHIP_CHECKIN_RATE_LIMITED');
        if (device) await prepareDeviceDay(c, s, device);
        return created(await withTransaction(c, (trx) => checkIn(trx, s, member, device)));
      },
    }),
    route({
      method: 'PUT', path: '/carts/:cartId/points', summary: 'Hold points to pay part of this cart (applied at checkout within the store\'s rules)', tags, access: 'customer',
      params: cartParams,
      body: {
        type: 'object', additionalProperties: false, required: ['points'],
        properties: {
          points: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
          stepUpCode: { type: 'string', pattern: '^[0-9]{6}$', description: 'the mailed code (POST /step-up) when the store asks for one: above its threshold, or soon after a password change' },
        },
      },
      responses: { 200: obj },
      errors: { 400: ['MEMBERSHIP_REDEEM_UNIT'], 403: ['MEMBERSHIP_STEP_UP_INVALID', 'MEMBERSHIP_STEP_UP_REQUIRED'], 404: ['MEMBERSHIP_CART_NOT_FOUND'], 409: ['MEMBERSHIP_POINTS_INSUFFICIENT'] },
      async handler({ ctx, params, body }) {
        const { c, s, member } = await me(ctx);
        const cart = await ownCart(c, member, params.cartId);
        if (cart.status !== 'open') throw new ConflictError('MEMBERSHIP_CART_CLOSED', 'This cart is no longer open');
        const reason = await stepUpReason(c, s, d.customers, member.customerId, body.points);
        if (reason) await checkStepUp(c, d.cache, member.customerId, reason, body.stepUpCode);
        const hold = await withTransaction(c, (trx) => holdPoints(trx, s, member, params.cartId, body.points));
        return { cartId: params.cartId, held: Number(hold.points), status: hold.status };
      },
    }),
    route({
      method: 'POST', path: '/step-up', summary: 'Mail a one-time code (10 minutes, once) that confirms a redemption the store asks a step-up for', tags, access: 'customer',
      responses: { 202: obj },
      errors: { 429: ['MEMBERSHIP_STEP_UP_RATE_LIMITED'] },
      async handler({ ctx }) {
        const { c, member } = await me(ctx);
        const code = await issueStepUp(c, d.cache, member.customerId);
        const sentTo = await d.mailStepUp(c, member.customerId, code, STEP_UP_MINUTES);
        return accepted({ sentTo, expiresInSeconds: STEP_UP_MINUTES * 60 });
      },
    }),
    route({
      method: 'DELETE', path: '/carts/:cartId/points', summary: 'Give back the points held on this cart', tags, access: 'customer',
      params: cartParams, responses: { 204: null },
      errors: { 404: ['MEMBERSHIP_CART_NOT_FOUND'] },
      async handler({ ctx, params }) {
        const { c, s, member } = await me(ctx);
        await ownCart(c, member, params.cartId);
        await withTransaction(c, async (trx) => {
          await lockMember(trx, member.id);
          await releaseCartHolds(trx, s, member, params.cartId);
        });
        return noContent();
      },
    }),
    route({
      method: 'GET', path: '/orders/:orderId/payment', summary: 'How an order of yours was paid: the points part and the money part', tags, access: 'customer',
      params: orderParams, responses: { 200: obj },
      errors: { 404: ['MEMBERSHIP_ORDER_NOT_FOUND'] },
      async handler({ ctx, params }) {
        const { c, member } = await me(ctx);
        const order = await d.orders.get(c, params.orderId);
        if (!order || order.customerId !== member.customerId) throw new NotFoundError('MEMBERSHIP_ORDER_NOT_FOUND', 'Order not found');
        const adj = order.adjustments.find((a) => a.source === 'membership' && a.code?.startsWith('points:'));
        const hold = await scoped(c, Hold).where({ order_id: order.id, member_id: member.id }).whereIn('status', ['placed', 'spent', 'released']).orderBy('id', 'desc').first();
        const points = adj ? Number(adj.code!.slice(7)) : 0;
        const pointsValueMinor = adj ? -adj.amount : 0;
        return {
          orderId: order.id, currency: order.currency, points, pointsValue: pointsValueMinor, money: order.totalAmount, total: order.totalAmount + pointsValueMinor,
          pointsStatus: hold?.status ?? null, pointsRestored: hold ? Number(hold.restored) : 0,
        };
      },
    }),
  ];
}

const ADJUST_REASONS = ['goodwill', 'correction', 'compensation', 'migration', 'fraud_reversal', 'other'] as const;

export function adminRoutes(d: RouteDeps): PluginRoute[] {
  const tags = ['admin: membership'];
  const staffId = (ctx: Ctx) => (ctx.actor.type === 'staff' || ctx.actor.type === 'apiKey' ? ctx.actor.id : 'system');
  const requireMember = async (c: TenantCtx, id: string) => {
    const m = await scoped(c, Member).findById(id);
    if (!m) throw new NotFoundError('MEMBERSHIP_MEMBER_NOT_FOUND', 'Member not found');
    return memberRow(m);
  };
  const apply = async (trx: TenantCtx, s: MembershipSettings, a: Adjustment) => {
    const m = await lockMember(trx, a.memberId);
    const points = Number(a.points);
    const growth = Number(a.growth);
    if (points > 0) {
      await postPoints(trx, m.id, { bizType: BIZ.ADMIN_ADJUST, bizId: a.id }, { available: points }, `${a.reasonCode}: ${a.note ?? ''}`);
      await addAvailableLot(trx, m, await newLot(trx, m.id, { sourceType: BIZ.ADMIN_ADJUST, sourceId: a.id, state: 'available', granted: points, expiresAt: expiryFor(s, clock.now()) }));
    } else if (points < 0) {
      await postPoints(trx, m.id, { bizType: BIZ.ADMIN_ADJUST, bizId: a.id }, { available: points }, `${a.reasonCode}: ${a.note ?? ''}`);
      await consumeLots(trx, m.id, -points);
    }
    if (growth) await postGrowth(trx, m.id, { bizType: BIZ.ADMIN_ADJUST, bizId: a.id }, { approved: growth }, a.reasonCode);
    if (growth > 0) await upgradeIfQualified(trx, m, s);
  };
  const adjView = (a: Adjustment) => ({ id: a.id, memberId: a.memberId, points: Number(a.points), growth: Number(a.growth), reasonCode: a.reasonCode, note: a.note, staffId: a.staffId, status: a.status, decidedBy: a.decidedBy, createdAt: a.createdAt });
  return [
    route({
      method: 'GET', path: '/members', summary: 'Members, newest first; q finds by email prefix, member id, customer id or referral code; tierId filters', tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, customerId: { type: 'string', maxLength: 36 }, q: { type: 'string', minLength: 1, maxLength: 254 }, tierId: { type: 'string', maxLength: 36 } } },
      responses: { 200: obj },
      async handler({ ctx, query }) {
        const c = T(ctx);
        const q = scoped(c, Member);
        if (query.customerId) q.where('customer_id', query.customerId);
        if (query.tierId) q.where('tier_id', query.tierId);
        if (query.q) {
          const text = String(query.q).trim();
          const byEmail = (await d.customers.findByEmailPrefix(c, text, 100)).map((x) => x.id);
          q.where((w) => {
            w.where('id', text).orWhere('customer_id', text).orWhere('referral_code', text.toUpperCase());
            if (byEmail.length) w.orWhereIn('customer_id', byEmail);
          });
        }
        const p = await pageByIdDesc(q, 'id', query.limit ?? 20, query.cursor);
        const tiers = await tiersOf(c);
        const items = [];
        for (const m of p.items.map(memberRow)) {
          const who = await d.customers.get(c, m.customerId);
          items.push({
            id: m.id, customerId: m.customerId, email: who?.email ?? null, name: who?.name ?? null, referralCode: m.referralCode,
            tierId: m.tierId, tierName: tiers.find((t) => t.id === m.tierId)?.name ?? null, tierExpiresAt: m.tierExpiresAt,
            pointsAvailable: m.pointsAvailable, pointsPending: m.pointsPending, pointsHeld: m.pointsHeld, pointsDebt: m.pointsDebt, growthTotal: m.growthTotal, createdAt: m.createdAt,
          });
        }
        return { items, nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/members/:id', summary: 'A member: tier, balances, the latest rows of both ledgers, the tier history, open flags', tags, access: 'staff',
      params: idParams, responses: { 200: obj },
      errors: { 404: ['MEMBERSHIP_MEMBER_NOT_FOUND'] },
      async handler({ ctx, params }) {
        const c = T(ctx);
        const s = await d.settings(c);
        const m = await requireMember(c, params.id);
        const who = await d.customers.get(c, m.customerId);
        const points = await scoped(c, PointsEntry).where('member_id', m.id).orderBy('id', 'desc').limit(50);
        const growth = await scoped(c, GrowthEntry).where('member_id', m.id).orderBy('id', 'desc').limit(50);
        const history = await scoped(c, TierChange).where('member_id', m.id).orderBy('id', 'desc').limit(50);
        const flags = await scoped(c, Flag).where('member_id', m.id).orWhere('other_member_id', m.id).orderBy('id', 'desc').limit(20);
        return {
          ...(await summary(c, s, m)), customerId: m.customerId, email: who?.email ?? null, name: who?.name ?? null,
          pointsLedger: points.map(entryView),
          growthLedger: growth.map(growthView),
          tierHistory: history.map(tierChangeView),
          flags: flags.map(flagView),
        };
      },
    }),
    route({
      method: 'GET', path: '/members/:id/points', summary: "A member's points ledger, newest first", tags, access: 'staff',
      params: idParams, query: { type: 'object', additionalProperties: false, properties: pageQuery }, responses: { 200: obj },
      async handler({ ctx, params, query }) {
        const c = T(ctx);
        const m = await requireMember(c, params.id);
        const p = await pageByIdDesc(scoped(c, PointsEntry).where('member_id', m.id), 'id', query.limit ?? 20, query.cursor);
        return { items: p.items.map(entryView), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/members/:id/growth', summary: "A member's growth ledger, newest first", tags, access: 'staff',
      params: idParams, query: { type: 'object', additionalProperties: false, properties: pageQuery }, responses: { 200: obj },
      async handler({ ctx, params, query }) {
        const c = T(ctx);
        const m = await requireMember(c, params.id);
        const p = await pageByIdDesc(scoped(c, GrowthEntry).where('member_id', m.id), 'id', query.limit ?? 20, query.cursor);
        return { items: p.items.map(growthView), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/members/:id/tier-history', summary: "A member's tier moves, newest first", tags, access: 'staff',
      params: idParams, query: { type: 'object', additionalProperties: false, properties: pageQuery }, responses: { 200: obj },
      async handler({ ctx, params, query }) {
        const c = T(ctx);
        const m = await requireMember(c, params.id);
        const p = await pageByIdDesc(scoped(c, TierChange).where('member_id', m.id), 'id', query.limit ?? 20, query.cursor);
        return { items: p.items.map(tierChangeView), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/flags', summary: 'Fraud flags (referral payouts held for review), newest first', tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, status: { enum: ['open', 'approved', 'rejected'] } } },
      responses: { 200: obj },
      async handler({ ctx, query }) {
        const q = scoped(T(ctx), Flag);
        if (query.status) q.where('status', query.status);
        const p = await pageByIdDesc(q, 'id', query.limit ?? 20, query.cursor);
        return { items: p.items.map(flagView), nextCursor: p.nextCursor };
      },
    }),
    ...(['approve', 'reject'] as const).map((act) =>
      route({
        method: 'POST', path: `/flags/:id/${act}`, summary: act === 'approve' ? 'Approve a held referral payout: the referrer is paid' : 'Reject a held referral payout: nothing is paid', tags, access: 'staff',
        params: idParams, body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 500 } } },
        responses: { 200: obj }, errors: { 404: ['MEMBERSHIP_FLAG_NOT_FOUND'], 409: ['MEMBERSHIP_FLAG_DECIDED'] },
        async handler({ ctx, params, body }) {
          const c = T(ctx);
          const s = await d.settings(c);
          const decided = await withTransaction(c, async (trx) => {
            const f = await scoped(trx, Flag).findById(params.id).forUpdate();
            if (!f) throw new NotFoundError('MEMBERSHIP_FLAG_NOT_FOUND', 'Flag not found');
            if (f.status !== 'open') throw new ConflictError('MEMBERSHIP_FLAG_DECIDED', 'This flag is already decided');
            await scoped(trx, Flag).patch({ status: act === 'approve' ? 'approved' : 'rejected', decidedBy: staffId(ctx), note: body?.note ?? null }).where('id', f.id);
            if (act === 'approve' && f.otherMemberId) {
              const referrer = await lockMember(trx, f.otherMemberId);
              await payReferral(trx, s, referrer, f.memberId, Number(f.points));
            }
            return flagView((await scoped(trx, Flag).findById(f.id))!);
          });
          await d.audit.record(c, { action: `flag.${act}`, targetType: 'membership_member', targetId: decided.memberId, after: decided });
          return decided;
        },
      }),
    ),
    route({
      method: 'POST', path: '/members/:id/adjustments', summary: 'Adjust points or growth by hand (reason code; above the daily cap a second staff member approves)', tags, access: 'staff',
      params: idParams,
      body: {
        type: 'object', additionalProperties: false, required: ['reasonCode'],
        properties: { points: { type: 'integer', minimum: -10_000_000, maximum: 10_000_000, default: 0 }, growth: { type: 'integer', minimum: -10_000_000, maximum: 10_000_000, default: 0 }, reasonCode: { enum: ADJUST_REASONS }, note: { type: 'string', maxLength: 500 } },
      },
      responses: { 201: obj, 202: obj },
      errors: { 400: ['MEMBERSHIP_ADJUSTMENT_EMPTY'] },
      async handler({ ctx, params, body }) {
        const c = T(ctx);
        const s = await d.settings(c);
        const m = await requireMember(c, params.id);
        if (!body.points && !body.growth) {
          throw new InvalidError('MEMBERSHIP_ADJUSTMENT_EMPTY', 'Give points or growth to adjust', { errors: [{ in: 'body', pointer: '/points', code: 'required', message: 'body.points or body.growth must be a non-zero integer' }] });
        }
        const staff = staffId(ctx);
        const day = localDay(clock.now(), s.timeZone);
        const answer = await withTransaction(c, async (trx) => {
          const today = await scoped(trx, Adjustment).where({ staff_id: staff, day }).whereIn('status', ['applied']);
          const used = today.reduce((a, x) => a + Math.abs(Number(x.points)), 0);
          const over = used + Math.abs(body.points) > s.adjustments.dailyCapPerStaff;
          const id = newId();
          await scoped(trx, Adjustment).insert({ id, memberId: m.id, points: body.points, growth: body.growth, reasonCode: body.reasonCode, note: body.note ?? null, staffId: staff, day, status: over ? 'pending_approval' : 'applied', decidedBy: null });
          const a = (await scoped(trx, Adjustment).findById(id))!;
          if (!over) await apply(trx, s, a);
          return a;
        });
        await d.audit.record(c, { action: 'adjustment.create', targetType: 'membership_member', targetId: m.id, after: adjView(answer) });
        return answer.status === 'applied' ? created(adjView(answer)) : accepted(adjView(answer));
      },
    }),
    route({
      method: 'GET', path: '/adjustments', summary: 'Manual adjustments (the audit trail), newest first', tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { ...pageQuery, status: { enum: ['applied', 'pending_approval', 'rejected'] } } },
      responses: { 200: obj },
      async handler({ ctx, query }) {
        const q = scoped(T(ctx), Adjustment);
        if (query.status) q.where('status', query.status);
        const p = await pageByIdDesc(q, 'id', query.limit ?? 20, query.cursor);
        return { items: p.items.map(adjView), nextCursor: p.nextCursor };
      },
    }),
    ...(['approve', 'reject'] as const).map((act) =>
      route({
        method: 'POST', path: `/adjustments/:id/${act}`, summary: `${act === 'approve' ? 'Approve' : 'Reject'} an adjustment above the cap (another staff member than its author)`, tags, access: 'staff',
        params: idParams, responses: { 200: obj },
        async handler({ ctx, params }) {
          const c = T(ctx);
          const s = await d.settings(c);
          const decided = await withTransaction(c, async (trx) => {
            const a = await scoped(trx, Adjustment).findById(params.id).forUpdate();
            if (!a) throw new NotFoundError('MEMBERSHIP_ADJUSTMENT_NOT_FOUND', 'Adjustment not found');
            if (a.status !== 'pending_approval') throw new ConflictError('MEMBERSHIP_ADJUSTMENT_DECIDED', 'This adjustment is not waiting for approval');
            if (a.staffId === staffId(ctx)) throw new ForbiddenError('MEMBERSHIP_FOUR_EYES', 'A second staff member must approve this adjustment');
            await scoped(trx, Adjustment).patch({ status: act === 'approve' ? 'applied' : 'rejected', decidedBy: staffId(ctx) }).where('id', a.id);
            const fresh = (await scoped(trx, Adjustment).findById(a.id))!;
            if (act === 'approve') await apply(trx, s, fresh);
            return adjView(fresh);
          });
          await d.audit.record(c, { action: `adjustment.${act}`, targetType: 'membership_member', targetId: decided.memberId, after: decided });
          return decided;
        },
      }),
    ),
    route({
      method: 'GET', path: '/tiers', summary: 'The tier table', tags, access: 'staff', responses: { 200: obj },
      async handler({ ctx }) {
        return { items: (await tiersOf(T(ctx))).map(tierView) };
      },
    }),
    route({
      method: 'POST', path: '/tiers/preview', summary: 'Dry run of a new tier table: members moving up and down', tags, access: 'staff', permission: 'membership:read',
      body: tiersBody(), responses: { 200: obj },
      async handler({ ctx, body }) {
        const c = T(ctx);
        return previewTiers(c, await d.settings(c), body.tiers);
      },
    }),
    route({
      method: 'PUT', path: '/tiers', summary: 'Replace the tier table (after a preview; send confirm: true). Members move up at once, down only at the end of their term.', tags, access: 'staff',
      body: tiersBody({ confirm: { const: true } }), responses: { 200: obj },
      async handler({ ctx, body }) {
        const c = T(ctx);
        const s = await d.settings(c);
        const ranks = body.tiers.map((t: { rank: number }) => t.rank);
        if (new Set(ranks).size !== ranks.length) throw new ConflictError('MEMBERSHIP_TIER_RANKS', 'Each tier needs its own rank');
        const preview = await previewTiers(c, s, body.tiers);
        await withTransaction(c, async (trx) => {
          const old = await tiersOf(trx);
          for (const t of body.tiers as { rank: number; name: string; threshold: number; entryRewardPoints: number; benefits: unknown[] }[]) {
            const same = old.find((o) => o.rank === t.rank);
            if (same) await scoped(trx, Tier).patch({ name: t.name, threshold: t.threshold, entryRewardPoints: t.entryRewardPoints, benefits: t.benefits as never }).where('id', same.id);
            else await scoped(trx, Tier).insert({ rank: t.rank, name: t.name, threshold: t.threshold, entryRewardPoints: t.entryRewardPoints, benefits: t.benefits as never });
          }
          const gone = old.filter((o) => !ranks.includes(o.rank));
          if (gone.length) {
            for (const m of await scoped(trx, Member).whereIn('tier_id', gone.map((g) => g.id))) await recordTierChange(trx, old, m.id, m.tierId, null, 'removed', 'config', Number(m.growthTotal));
            await scoped(trx, Member).patch({ tierId: null, tierExpiresAt: null }).whereIn('tier_id', gone.map((g) => g.id));
            await scoped(trx, Tier).delete().whereIn('id', gone.map((g) => g.id));
          }
        });
        const tiers = await tiersOf(c);
        await d.audit.record(c, { action: 'tiers.replace', targetType: 'membership_tiers', targetId: null, after: { tiers: tiers.map(tierView), preview } });
        for (const m of await scoped(c, Member).select('*')) await withTransaction(c, (trx) => upgradeIfQualified(trx, memberRow(m), s, tiers).then(() => undefined));
        return { items: tiers.map(tierView), preview };
      },
    }),
    route({
      method: 'POST', path: '/import', summary: 'Import balances from a previous programme (IMPORT entries, keyed by your reference: a replayed row writes nothing; audited)', tags, access: 'staff',
      body: {
        type: 'object', additionalProperties: false, required: ['rows'],
        properties: {
          rows: {
            type: 'array', minItems: 1, maxItems: 500,
            items: {
              type: 'object', additionalProperties: false, required: ['customerId', 'reference'],
              properties: {
                customerId: { type: 'string', minLength: 1, maxLength: 36 }, reference: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' },
                points: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 }, growth: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
              },
            },
          },
        },
      },
      responses: { 200: obj },
      async handler({ ctx, body }) {
        const c = T(ctx);
        const s = await d.settings(c);
        let imported = 0;
        let replayed = 0;
        const errors: { index: number; code: string }[] = [];
        for (const [index, row] of (body.rows as { customerId: string; reference: string; points: number; growth: number }[]).entries()) {
          if (!(await d.customers.get(c, row.customerId))) {
            errors.push({ index, code: 'CUSTOMER_NOT_FOUND' });
            continue;
          }
          const member = await ensureMember(c, row.customerId);
          const created = await withTransaction(c, async (trx) => {
            const m = await lockMember(trx, member.id);
            const key = { bizType: BIZ.IMPORT, bizId: row.reference };
            const { created: wrote } = await postPoints(trx, m.id, key, { available: row.points }, `Import ${row.reference}`);
            if (!wrote) return false;
            if (row.points > 0) await addAvailableLot(trx, m, await newLot(trx, m.id, { sourceType: BIZ.IMPORT, sourceId: row.reference, state: 'available', granted: row.points, expiresAt: expiryFor(s, clock.now()) }));
            await postGrowth(trx, m.id, key, { approved: row.growth }, `Import ${row.reference}`);
            await upgradeIfQualified(trx, m, s);
            return true;
          });
          if (created) imported++;
          else replayed++;
        }
        await d.audit.record(c, { action: 'import', targetType: 'membership_members', targetId: null, after: { rows: body.rows.length, imported, replayed, errors: errors.length } });
        return { imported, replayed, errors };
      },
    }),
    route({
      method: 'GET', path: '/liability.csv', summary: 'Points outstanding (available and pending) times their value, per member, as CSV', tags, access: 'staff',
      responses: { 200: null },
      async handler({ ctx }) {
        const c = T(ctx);
        const s = await d.settings(c);
        const cur = c.tenant.defaultCurrency;
        const rows = ['member_id,customer_id,points_available,points_pending,points_held,value_minor,currency'];
        let total = 0;
        for (const m of (await scoped(c, Member).orderBy('id')).map(memberRow)) {
          const pts = m.pointsAvailable + m.pointsPending + m.pointsHeld;
          const v = pointsValue(Math.max(0, pts), cur, s);
          total += v;
          rows.push([m.id, m.customerId, m.pointsAvailable, m.pointsPending, m.pointsHeld, v, cur].join(','));
        }
        rows.push(['total', '', '', '', '', total, cur].join(','));
        return raw(200, rows.join('\n') + '\n', 'text/csv; charset=utf-8');
      },
    }),
    route({
      method: 'POST', path: '/jobs/daily', summary: "Run this store's daily membership job now (expiry, expiry notices, tier terms, birthday gifts); each step is idempotent for the day", tags, access: 'staff',
      responses: { 200: obj },
      async handler({ ctx }) {
        return d.daily(T(ctx));
      },
    }),
    route({
      method: 'POST', path: '/jobs/hourly', summary: "Run this store's hourly membership job now (pending points past their return window become available, stale cart holds go back)", tags, access: 'staff',
      responses: { 200: obj },
      async handler({ ctx }) {
        return d.hourly(T(ctx));
      },
    }),
    route({
      method: 'POST', path: '/reconcile', summary: 'Recompute balances from the ledgers now (the nightly job does the same)', tags, access: 'staff', permission: 'membership:read',
      responses: { 200: obj },
      async handler({ ctx }) {
        return reconcile(T(ctx));
      },
    }),
  ];
}

export { Checkin };
