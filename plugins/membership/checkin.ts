// Daily check-in (签到): one a day per member in the store's time zone (a UNIQUE (member, day)
// makes a second one, sequential or parallel, a conflict), streak bonuses from the store's table,
// a missed day starts the streak again.
import { scoped, isUniqueViolation, ConflictError, ForbiddenError, TooManyRequestsError, type TenantCtx } from '@bazaar/sdk';
import { Checkin, type Member } from './membership.model.js';
import { BIZ, addAvailableLot, lockMember, newLot, postGrowth, postPoints } from './ledger.js';
import { clock, localDay, previousDay, zonedMidnight } from './clock.js';
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

/** Seconds until the store's next local day starts (a Retry-After for a daily limit). */
function secondsToNextDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number);
  const next = zonedMidnight(y, m, d + 1, timeZone);
  return Math.max(1, Math.ceil((next.getTime() - clock.now().getTime()) / 1000));
}

/**
 * Checks the member in for today. `deviceHash` (a hash of the client's X-Device-Id) counts
 * against the store's per-device limit: one device checking in for many accounts a day is
 * farming. The count runs under the member's lock; two accounts of one device racing can each
 * pass the last free place (a limit of N may admit N+1 in a race), which is bounded and logged.
 */
export async function checkIn(ctx: TenantCtx, s: MembershipSettings, member: Member, deviceHash: string | null = null): Promise<{ day: string; streak: number; points: number; growth: number }> {
  if (s.checkin.requireTierBenefit && !benefit(await tierOf(ctx, member), 'checkin_enabled')) {
    throw new ForbiddenError('MEMBERSHIP_CHECKIN_NOT_IN_TIER', 'Check-in is not a benefit of your tier');
  }
  const day = localDay(clock.now(), s.timeZone);
  await lockMember(ctx, member.id);
  if (deviceHash) {
    const others = await scoped(ctx, Checkin).where({ device_hash: deviceHash, day }).whereNot('member_id', member.id).resultSize();
    if (others >= s.checkin.perDevicePerDay) {
      ctx.log.warn({ member: member.id, day, others }, 'membership: check-in refused, too many accounts on one device');
      throw new TooManyRequestsError(secondsToNextDay(day, s.timeZone), 'MEMBERSHIP_CHECKIN_DEVICE_LIMIT');
    }
  }
  const prev = await scoped(ctx, Checkin).where({ member_id: member.id, day: previousDay(day) }).first();
  const streak = prev ? Number(prev.streak) + 1 : 1;
  const bonus = s.checkin.streakBonuses.find((b) => b.day === streak);
  try {
    await scoped(ctx, Checkin).insert({ memberId: member.id, day, streak, points: s.checkin.points + (bonus?.points ?? 0), growth: s.checkin.growth + (bonus?.growth ?? 0), deviceHash, createdAt: clock.now().toISOString() });
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
