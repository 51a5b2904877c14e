// Daily check-in (签到): one a day per member in the store's time zone (a UNIQUE (member, day)
// makes a second one, sequential or parallel, a conflict), streak bonuses from the store's table,
// a missed day starts the streak again.
import { scoped, isUniqueViolation, ConflictError, ForbiddenError, type TenantCtx } from '@bazaar/sdk';
import { Checkin, type Member } from './membership.model.js';
import { BIZ, addAvailableLot, lockMember, newLot, postGrowth, postPoints } from './ledger.js';
import { clock, localDay, previousDay } from './clock.js';
import { benefit, tierOf, upgradeIfQualified } from './tiers.js';
import { expiryFor } from './orders.js';
import type { MembershipSettings } from './settings.js';

export async function checkinState(ctx: TenantCtx, s: MembershipSettings, member: Member) {
  const today = localDay(clock.now(), s.timeZone);
  const last = await scoped(ctx, Checkin).where('member_id', member.id).orderBy('day', 'desc').first();
  const checkedInToday = last?.day === today;
  const streak = last && (last.day === today || last.day === previousDay(today)) ? Number(last.streak) : 0;
  const next = [...s.checkin.streakBonuses].sort((a, b) => a.day - b.day).find((b) => b.day > streak);
  return { today, checkedInToday, streak, nextBonus: next ? { day: next.day, points: next.points, growth: next.growth } : null };
}

export async function checkIn(ctx: TenantCtx, s: MembershipSettings, member: Member): Promise<{ day: string; streak: number; points: number; growth: number }> {
  if (s.checkin.requireTierBenefit && !benefit(await tierOf(ctx, member), 'checkin_enabled')) {
    throw new ForbiddenError('MEMBERSHIP_CHECKIN_NOT_IN_TIER', 'Check-in is not a benefit of your tier');
  }
  const day = localDay(clock.now(), s.timeZone);
  await lockMember(ctx, member.id);
  const prev = await scoped(ctx, Checkin).where({ member_id: member.id, day: previousDay(day) }).first();
  const streak = prev ? Number(prev.streak) + 1 : 1;
  const bonus = s.checkin.streakBonuses.find((b) => b.day === streak);
  try {
    await scoped(ctx, Checkin).insert({ memberId: member.id, day, streak, points: s.checkin.points + (bonus?.points ?? 0), growth: s.checkin.growth + (bonus?.growth ?? 0), createdAt: clock.now().toISOString() });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('MEMBERSHIP_ALREADY_CHECKED_IN', 'You have already checked in today', { extra: { day } });
    throw err;
  }
  const grant = async (bizType: typeof BIZ.CHECKIN | typeof BIZ.CHECKIN_STREAK_BONUS, points: number, growth: number) => {
    if (points > 0) {
      const { created } = await postPoints(ctx, member.id, { bizType, bizId: day }, { available: points });
      if (!created) throw new ConflictError('MEMBERSHIP_ALREADY_CHECKED_IN', 'You have already checked in today', { extra: { day } });
      await addAvailableLot(ctx, member, await newLot(ctx, member.id, { sourceType: bizType, sourceId: day, state: 'available', granted: points, expiresAt: expiryFor(s, clock.now()) }));
    }
    await postGrowth(ctx, member.id, { bizType, bizId: day }, { approved: growth });
  };
  await grant(BIZ.CHECKIN, s.checkin.points, s.checkin.growth);
  if (bonus) await grant(BIZ.CHECKIN_STREAK_BONUS, bonus.points, bonus.growth);
  await upgradeIfQualified(ctx, member, s);
  return { day, streak, points: s.checkin.points + (bonus?.points ?? 0), growth: s.checkin.growth + (bonus?.growth ?? 0) };
}
