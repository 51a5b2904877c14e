// The order side: earning on paid orders (pending until the return window has passed after
// completion), reversals on refunds, and points as part of a payment (held on the cart, spent
// when the order is paid, given back on cancel or in proportion on refund).
import { scoped, sql, exponentOf, newId, isUniqueViolation, ConflictError, InvalidError, type TenantCtx, type OrderReadService, type PluginOrderView, type TenderInput } from '@bazaar/sdk';
import { Flag, Hold, Lot, Member, PointsEntry, type Tier } from './membership.model.js';
import { BIZ, addAvailableLot, consumeLots, ensureMember, lockMember, memberRow, newLot, postGrowth, postPoints, returnToLots } from './ledger.js';
import { benefit, downAfterReversal, tierOf, upgradeIfQualified } from './tiers.js';
import { addDays, clock, localMonthStart, localYear, zonedMidnight } from './clock.js';
import type { MembershipSettings } from './settings.js';

const n = (v: unknown) => Number(v ?? 0);
const pow10 = (currency: string) => 10n ** BigInt(exponentOf(currency));

/** floor(a × b / c) in integers. */
function mulDiv(a: number, b: number, c: number): number {
  if (c <= 0) return 0;
  return Number((BigInt(Math.trunc(a)) * BigInt(Math.trunc(b))) / BigInt(Math.trunc(c)));
}

/** Points and growth a paid line amount earns. */
export function earnFor(amountMinor: number, currency: string, s: MembershipSettings, multiplierPercent = 100): { points: number; growth: number } {
  if (amountMinor <= 0) return { points: 0, growth: 0 };
  const unit = pow10(currency);
  const points = Number((BigInt(amountMinor) * BigInt(s.earn.pointsPerUnit) * BigInt(multiplierPercent)) / (100n * unit));
  const growth = Number((BigInt(amountMinor) * BigInt(s.earn.growthPerUnit)) / unit);
  return { points, growth };
}

/** The value in minor units of `points`, rounded down. */
export function pointsValue(points: number, currency: string, s: MembershipSettings): number {
  return Number((BigInt(points) * pow10(currency)) / BigInt(s.redeem.pointsPerCurrencyUnit));
}

/**
 * How many points may pay for an order: at most `maxPercentOfOrder` of the merchandise subtotal
 * (after other discounts; shipping too if the store allows), in multiples of the minimum unit,
 * never more than the member holds. JD: CNY 40.00, 5,000 points, 50% -> 2,000 points (CNY 20.00).
 */
export function maxRedeemable(input: { base: number; currency: string; points: number }, s: MembershipSettings): { points: number; value: number } {
  const capValue = mulDiv(input.base, s.redeem.maxPercentOfOrder, 100);
  const capPoints = Number((BigInt(capValue) * BigInt(s.redeem.pointsPerCurrencyUnit)) / pow10(input.currency));
  let points = Math.min(capPoints, input.points);
  points -= points % s.redeem.minRedeemUnit;
  if (points <= 0) return { points: 0, value: 0 };
  return { points, value: pointsValue(points, input.currency, s) };
}

/**
 * The points part of a checkout (LOY-6): on the merchandise subtotal after every discount
 * proposed before it (the member price, coupons: any negative adjustment but a shipping one),
 * plus what is left of shipping if the store lets points pay for it. With
 * `combinableWithCoupons` off, a coupon (an adjustment coded `coupon:...`) means no points.
 */
export function pointsTender(input: TenderInput, s: MembershipSettings, held: number): { points: number; value: number; reason?: 'disabled' | 'coupon' } {
  if (!s.redeem.enabled) return { points: 0, value: 0, reason: 'disabled' };
  const coupon = input.adjustments.some((a) => a.source !== 'membership' && a.amount < 0 && a.code?.startsWith('coupon:'));
  if (coupon && !s.redeem.combinableWithCoupons) return { points: 0, value: 0, reason: 'coupon' };
  const isShipping = (a: { source: string; code?: string }) => a.source === 'membership' && /^tier:\d+:shipping$/.test(a.code ?? '');
  const discounts = input.adjustments.filter((a) => a.amount < 0 && !isShipping(a)).reduce((sum, a) => sum + a.amount, 0);
  const shippingOff = input.adjustments.filter(isShipping).reduce((sum, a) => sum + a.amount, 0);
  const merchandise = Math.max(0, input.subtotal + discounts);
  const shipping = s.redeem.includeShipping ? Math.max(0, (input.shipping?.amount ?? 0) + shippingOff) : 0;
  return maxRedeemable({ base: merchandise + shipping, currency: input.currency, points: held }, s);
}

export function expiryFor(s: MembershipSettings, availableAt: Date): string | null {
  switch (s.expiry.policy) {
    case 'rolling_days':
      return addDays(availableAt, s.expiry.days).toISOString();
    case 'fixed_year_end': {
      // Lots that become available in year Y (the store's calendar) expire at the end of 31 Dec of Y+1 there.
      const y = localYear(availableAt, s.timeZone);
      return new Date(zonedMidnight(y + 2, 1, 1, s.timeZone).getTime() - 1).toISOString();
    }
    default:
      return null;
  }
}

export interface OrdersDeps {
  orders: OrderReadService;
  settings(ctx: TenantCtx): Promise<MembershipSettings>;
}

async function memberOf(ctx: TenantCtx, customerId: string | null): Promise<Member | undefined> {
  if (!customerId) return undefined;
  return ensureMember(ctx, customerId);
}

/** order.paid: one pending lot and ledger row per line; the points part of the payment is spent. */
export async function onPaid(ctx: TenantCtx, deps: OrdersDeps, orderId: string): Promise<void> {
  const order = await deps.orders.get(ctx, orderId);
  if (!order) return;
  const member = await memberOf(ctx, order.customerId);
  if (!member) return;
  const s = await deps.settings(ctx);
  await lockMember(ctx, member.id);
  await attachHold(ctx, s, member, order);
  const hold = await scoped(ctx, Hold).where({ order_id: order.id, member_id: member.id, status: 'placed' }).first();
  if (hold) {
    await postPoints(ctx, member.id, { bizType: BIZ.REDEEM_ORDER, bizId: order.id }, { held: -n(hold.used) }, `Order ${order.number}`);
    await scoped(ctx, Hold).patch({ status: 'spent' }).where('id', hold.id);
  }
  const tier = await tierOf(ctx, member);
  const multiplier = benefit(tier, 'points_multiplier')?.percent ?? 100;
  for (const line of order.lines) {
    const { points, growth } = earnFor(line.totalAmount, order.currency, s, multiplier);
    if (points <= 0 && growth <= 0) continue;
    const { created } = await postPoints(ctx, member.id, { bizType: BIZ.EARN_ORDER, bizId: order.id, bizLineId: line.id }, { pending: points }, `Order ${order.number}`);
    if (!created) continue;
    await postGrowth(ctx, member.id, { bizType: BIZ.EARN_ORDER, bizId: order.id, bizLineId: line.id }, { pending: growth });
    const availableAt = order.completedAt ? addDays(new Date(order.completedAt), s.earn.returnWindowDays).toISOString() : null;
    await newLot(ctx, member.id, { sourceType: BIZ.EARN_ORDER, sourceId: order.id, sourceLine: line.id, state: 'pending', granted: points, quantity: line.quantity, growth, availableAt });
  }
}

/** order.completed: the return window starts; the order's lots become available when it ends. */
export async function onCompleted(ctx: TenantCtx, deps: OrdersDeps, orderId: string): Promise<void> {
  const order = await deps.orders.get(ctx, orderId);
  if (!order?.customerId) return;
  const s = await deps.settings(ctx);
  // The window runs from completion (or from now, if the plugin's clock is ahead: tests).
  const from = addDays(new Date(Math.max(order.completedAt ? Date.parse(order.completedAt) : 0, clock.now().getTime())), s.earn.returnWindowDays);
  await scoped(ctx, Lot).patch({ availableAt: from.toISOString() }).where({ source_type: BIZ.EARN_ORDER, source_id: order.id, state: 'pending' }).whereNull('available_at');
}

/** Pending lots whose window has passed become available (points and growth); tiers are checked at once. */
export async function settle(ctx: TenantCtx, s: MembershipSettings, orders: OrderReadService, memberId: string): Promise<void> {
  const now = clock.now();
  const due = await scoped(ctx, Lot).where({ member_id: memberId, state: 'pending' }).whereNotNull('available_at').where('available_at', '<=', now);
  if (!due.length) return;
  const member = await lockMember(ctx, memberId);
  let approvedAny = false;
  for (const lot of due) {
    const fresh = (await scoped(ctx, Lot).findById(lot.id))!;
    if (fresh.state !== 'pending') continue;
    const remaining = n(fresh.remaining);
    const growth = n(fresh.growth) - n(fresh.growthReversed);
    const { created } = await postPoints(ctx, memberId, { bizType: BIZ.EARN_ORDER_APPROVED, bizId: fresh.sourceId, bizLineId: fresh.sourceLine }, { pending: -remaining, available: remaining });
    if (!created) continue;
    await postGrowth(ctx, memberId, { bizType: BIZ.EARN_ORDER_APPROVED, bizId: fresh.sourceId, bizLineId: fresh.sourceLine }, { pending: -growth, approved: growth });
    await scoped(ctx, Lot).patch({ state: 'available', expiresAt: expiryFor(s, now) }).where('id', fresh.id);
    await addAvailableLot(ctx, member, fresh);
    approvedAny = true;
    await firstOrderRewards(ctx, s, orders, member, fresh.sourceId);
  }
  if (approvedAny) await upgradeIfQualified(ctx, member, s);
}

/** Which contacts (phone, address) two customers' latest orders share. */
export async function sharedContacts(ctx: TenantCtx, orders: OrderReadService, a: string, b: string): Promise<('phone' | 'address')[]> {
  const [x, y] = [await orders.contactKeys(ctx, a), await orders.contactKeys(ctx, b)];
  const via: ('phone' | 'address')[] = [];
  if (x.phones.some((p) => y.phones.includes(p))) via.push('phone');
  if (x.addresses.some((p) => y.addresses.includes(p))) via.push('address');
  return via;
}

/** The referrer's reward for a referee (once per referee: the ledger key is the referee). */
export async function payReferral(ctx: TenantCtx, s: MembershipSettings, referrer: Member, refereeId: string, points: number): Promise<boolean> {
  const { created } = await postPoints(ctx, referrer.id, { bizType: BIZ.REFERRAL, bizId: refereeId }, { available: points }, 'Referral');
  if (created) await addAvailableLot(ctx, memberRow(referrer), await newLot(ctx, referrer.id, { sourceType: BIZ.REFERRAL, sourceId: refereeId, state: 'available', granted: points, expiresAt: expiryFor(s, clock.now()) }));
  return created;
}

/**
 * Sign-up and referral rewards wait until the member's first order has passed its return window
 * (LOY-10). A referral whose referee shares a phone or an address with the referrer is not paid
 * but flagged for staff review (approve pays it, reject does not).
 */
async function firstOrderRewards(ctx: TenantCtx, s: MembershipSettings, orders: OrderReadService, member: Member, orderId: string): Promise<void> {
  if (s.rewards.signupPoints > 0) {
    const { created } = await postPoints(ctx, member.id, { bizType: BIZ.SIGNUP, bizId: 'signup' }, { available: s.rewards.signupPoints }, `First order ${orderId}`);
    if (created) await addAvailableLot(ctx, member, await newLot(ctx, member.id, { sourceType: BIZ.SIGNUP, sourceId: 'signup', state: 'available', granted: s.rewards.signupPoints, expiresAt: expiryFor(s, clock.now()) }));
  }
  if (s.rewards.referralPoints > 0 && member.referredBy) {
    const referrer = await scoped(ctx, Member).findById(member.referredBy);
    if (!referrer) return;
    if (await scoped(ctx, PointsEntry).where({ member_id: referrer.id, biz_type: BIZ.REFERRAL, biz_id: member.id }).first()) return;
    if (await scoped(ctx, Flag).where({ member_id: member.id, kind: 'referral_shared_contact' }).first()) return;
    const monthStart = localMonthStart(clock.now(), s.timeZone);
    const count = await scoped(ctx, PointsEntry).where({ member_id: referrer.id, biz_type: BIZ.REFERRAL }).where('created_at', '>=', monthStart).resultSize();
    if (count >= s.rewards.maxReferralsPerMonth) {
      ctx.log.warn({ referrer: referrer.id, referee: member.id }, 'membership: referral reward over the monthly cap was not paid');
      return;
    }
    const via = await sharedContacts(ctx, orders, member.customerId, referrer.customerId);
    if (via.length) {
      try {
        await scoped(ctx, Flag).insert({ memberId: member.id, otherMemberId: referrer.id, kind: 'referral_shared_contact', via, points: s.rewards.referralPoints, status: 'open', decidedBy: null, note: null });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      ctx.log.warn({ referrer: referrer.id, referee: member.id, via }, 'membership: referral payout held for review (shared contact)');
      return;
    }
    await payReferral(ctx, s, memberRow(referrer), member.id, s.rewards.referralPoints);
  }
}

/**
 * refund.issued: earned points go back in proportion. A refund of a return reverses exactly the
 * returned lines' share (by quantity); any other refund reverses every line in proportion to
 * the money refunded so far. Never more than was earned; rounding down.
 */
export async function onRefund(ctx: TenantCtx, deps: OrdersDeps, e: { refundId: string; orderId: string; returnId: string | null; refundedAmount: number }): Promise<void> {
  const order = await deps.orders.get(ctx, e.orderId);
  if (!order?.customerId) return;
  const member = await ensureMember(ctx, order.customerId);
  const s = await deps.settings(ctx);
  await lockMember(ctx, member.id);
  // Locking reads: refund.issued and order.refunded of one refund run in parallel; on MariaDB a
  // plain read after the member lock could still see the snapshot from before the other's commit.
  const lots = await scoped(ctx, Lot).where({ member_id: member.id, source_type: BIZ.EARN_ORDER, source_id: order.id }).forUpdate();
  const byLine = new Map(lots.map((l) => [l.sourceLine, l]));
  const fully = order.paidAmount > 0 && e.refundedAmount >= order.paidAmount;
  const targets: { lot: Lot; points: number; growth: number; qty: number; type: typeof BIZ.EARN_ORDER_REVERSAL_ITEM | typeof BIZ.EARN_ORDER_REVERSAL_FULL }[] = [];
  const returned = e.returnId ? await deps.orders.returnLines(ctx, e.returnId) : [];
  if (returned.length && !fully) {
    for (const r of returned) {
      const lot = byLine.get(r.orderLineId);
      if (!lot || !n(lot.quantity)) continue;
      const q = Math.min(n(lot.quantity), n(lot.reversedQuantity) + r.quantity);
      targets.push({ lot, points: mulDiv(n(lot.granted), q, n(lot.quantity)), growth: mulDiv(n(lot.growth), q, n(lot.quantity)), qty: q, type: BIZ.EARN_ORDER_REVERSAL_ITEM });
    }
  } else {
    for (const lot of lots) {
      const points = fully ? n(lot.granted) : mulDiv(n(lot.granted), Math.min(e.refundedAmount, order.paidAmount), order.paidAmount);
      const growth = fully ? n(lot.growth) : mulDiv(n(lot.growth), Math.min(e.refundedAmount, order.paidAmount), order.paidAmount);
      targets.push({ lot, points, growth, qty: n(lot.reversedQuantity), type: BIZ.EARN_ORDER_REVERSAL_FULL });
    }
  }
  let reversedAfterApproval = false;
  for (const t of targets) {
    const lot = (await scoped(ctx, Lot).findById(t.lot.id).forUpdate())!;
    const dp = Math.max(0, Math.min(t.points, n(lot.granted)) - n(lot.reversed));
    const dg = Math.max(0, Math.min(t.growth, n(lot.growth)) - n(lot.growthReversed));
    if (dp === 0 && dg === 0) continue;
    const key = { bizType: t.type, bizId: e.refundId, bizLineId: lot.sourceLine };
    const pending = lot.state === 'pending';
    const { created } = await postPoints(ctx, member.id, key, pending ? { pending: -dp } : { available: -dp }, `Refund on order ${order.number}`);
    if (!created) continue;
    await postGrowth(ctx, member.id, key, pending ? { pending: -dg } : { approved: -dg });
    await scoped(ctx, Lot)
      .patch({ reversed: sql('reversed + ?', [dp]) as unknown as number, growthReversed: sql('growth_reversed + ?', [dg]) as unknown as number, reversedQuantity: Math.max(n(lot.reversedQuantity), t.qty), ...(pending ? { remaining: sql('remaining - ?', [dp]) as unknown as number } : {}) })
      .where('id', lot.id);
    if (!pending && dp > 0) await consumeLots(ctx, member.id, dp, { preferLotId: lot.id });
    if (!pending) reversedAfterApproval = true;
  }
  // The points part of the payment comes back in proportion to the money refunded.
  const hold = await scoped(ctx, Hold).where({ order_id: order.id, member_id: member.id, status: 'spent' }).forUpdate().first();
  if (hold && order.paidAmount > 0) {
    const target = fully ? n(hold.used) : mulDiv(n(hold.used), Math.min(e.refundedAmount, order.paidAmount), order.paidAmount);
    const give = target - n(hold.restored);
    if (give > 0) {
      const { created } = await postPoints(ctx, member.id, { bizType: fully ? BIZ.REDEEM_ORDER_RETURN_FULL : BIZ.REDEEM_ORDER_RETURN_ITEM, bizId: e.refundId }, { available: give }, `Refund on order ${order.number}`);
      if (created) {
        await scoped(ctx, Hold).patch({ restored: sql('restored + ?', [give]) as unknown as number }).where('id', hold.id);
        await returnToLots(ctx, member, hold.id, give, s.expiry.restoreGraceDays);
      }
    }
  }
  if (reversedAfterApproval && s.tiers.basis === 'lifetime') await downAfterReversal(ctx, s, member.id);
}

// ---- Points as payment ----

/** Holds `points` on a cart for the member (the previous hold on that cart goes back first). */
export async function holdPoints(ctx: TenantCtx, s: MembershipSettings, member: Member, cartId: string, points: number): Promise<Hold> {
  if (!s.redeem.enabled) throw new ConflictError('MEMBERSHIP_REDEEM_DISABLED', 'This store does not take points as payment');
  if (points % s.redeem.minRedeemUnit !== 0) {
    throw new InvalidError('MEMBERSHIP_REDEEM_UNIT', `Points are redeemed in multiples of ${s.redeem.minRedeemUnit}`, { errors: [{ in: 'body', pointer: '/points', code: 'multipleOf', message: `body.points must be a multiple of ${s.redeem.minRedeemUnit}` }] });
  }
  await releaseCartHolds(ctx, s, member, cartId);
  const m = await lockMember(ctx, member.id);
  if (m.pointsAvailable < points || m.pointsAvailable <= 0) {
    throw new ConflictError('MEMBERSHIP_POINTS_INSUFFICIENT', 'Not enough points available', { extra: { available: m.pointsAvailable, requested: points } });
  }
  const id = newId();
  await scoped(ctx, Hold).insert({ id, memberId: m.id, cartId, orderId: null, status: 'held', points, used: 0, value: 0, restored: 0, currency: null });
  await consumeLots(ctx, m.id, points, { holdId: id });
  await postPoints(ctx, m.id, { bizType: BIZ.REDEEM_HOLD, bizId: id }, { available: -points, held: points }, `Held on cart ${cartId}`);
  return (await scoped(ctx, Hold).findById(id))!;
}

async function release(ctx: TenantCtx, s: MembershipSettings, member: Member, hold: Hold, points: number, lineId = ''): Promise<void> {
  if (points <= 0) return;
  const { created } = await postPoints(ctx, member.id, { bizType: BIZ.REDEEM_RELEASE, bizId: hold.id, bizLineId: lineId }, { held: -points, available: points });
  if (created) await returnToLots(ctx, member, hold.id, points, s.expiry.restoreGraceDays);
}

export async function releaseCartHolds(ctx: TenantCtx, s: MembershipSettings, member: Member, cartId: string): Promise<number> {
  const holds = await scoped(ctx, Hold).where({ member_id: member.id, cart_id: cartId, status: 'held' });
  for (const h of holds) {
    await release(ctx, s, member, h, n(h.points));
    await scoped(ctx, Hold).patch({ status: 'released' }).where('id', h.id);
  }
  return holds.length;
}

/** The points a checkout took (the adjustment's code), found on the order: the rest of the hold goes back. */
export async function attachHold(ctx: TenantCtx, s: MembershipSettings, member: Member, order: PluginOrderView): Promise<void> {
  if (!order.cartId) return;
  const hold = await scoped(ctx, Hold).where({ member_id: member.id, cart_id: order.cartId, status: 'held' }).first();
  if (!hold) return;
  const adj = order.adjustments.find((a) => a.source === 'membership' && a.code?.startsWith('points:'));
  const used = adj ? Math.min(n(hold.points), Number(adj.code!.slice(7)) || 0) : 0;
  await release(ctx, s, member, hold, n(hold.points) - used, 'trim');
  await scoped(ctx, Hold).patch({ status: used > 0 ? 'placed' : 'released', orderId: order.id, used, value: adj ? -adj.amount : 0, currency: order.currency }).where('id', hold.id);
}

export async function onPlaced(ctx: TenantCtx, deps: OrdersDeps, orderId: string): Promise<void> {
  const order = await deps.orders.get(ctx, orderId);
  const member = order && (await memberOf(ctx, order.customerId));
  if (!order || !member) return;
  await lockMember(ctx, member.id);
  await attachHold(ctx, await deps.settings(ctx), member, order);
}

/** order.cancelled: points held for it go back whole. */
export async function onCancelled(ctx: TenantCtx, deps: OrdersDeps, orderId: string): Promise<void> {
  const order = await deps.orders.get(ctx, orderId);
  const member = order && (await memberOf(ctx, order.customerId));
  if (!order || !member) return;
  const s = await deps.settings(ctx);
  await lockMember(ctx, member.id);
  await attachHold(ctx, s, member, order);
  const hold = await scoped(ctx, Hold).where({ order_id: order.id, member_id: member.id, status: 'placed' }).first();
  if (!hold) return;
  await release(ctx, s, member, hold, n(hold.used), 'cancel');
  await scoped(ctx, Hold).patch({ status: 'released' }).where('id', hold.id);
}

/** Holds on carts that never became an order go back after `holdMinutes`. */
export async function releaseStaleHolds(ctx: TenantCtx, s: MembershipSettings): Promise<number> {
  const before = new Date(clock.now().getTime() - s.redeem.holdMinutes * 60_000);
  const stale = await scoped(ctx, Hold).where('status', 'held').where('created_at', '<', before).limit(500);
  for (const h of stale) {
    const member = memberRow((await scoped(ctx, Member).findById(h.memberId))!);
    await release(ctx, s, member, h, n(h.points));
    await scoped(ctx, Hold).patch({ status: 'released' }).where('id', h.id);
  }
  return stale.length;
}

export type { Tier };
