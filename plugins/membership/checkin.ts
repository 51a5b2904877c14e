// Daily check-in (签到): one a day per member in the store's time zone (a UNIQUE (member, day)
// makes a second one, sequential or parallel, a conflict), streak bonuses from the store's table,
// a missed day starts the streak again.
import crypto from 'node:crypto';
import { scoped, isUniqueViolation, ConflictError, ForbiddenError, TooManyRequestsError, type TenantCtx } from '@bazaar/sdk';
import { Checkin, DeviceDay, type Member } from './membership.model.js';
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

/** The counter row's id for one device on one day (the hash is already a sha256 of the device id). */
export function deviceDayId(deviceHash: string, day: string): string {
  return crypto.createHash('sha256').update(`${deviceHash}:${day}`).digest('hex').slice(0, 36);
}

/**
 * Creates today's counter row of the device, outside the check-in's transaction: rows inserted
 * by parallel transactions would share-lock each other's duplicate and deadlock on the update.
 */
export async function prepareDeviceDay(ctx: TenantCtx, s: MembershipSettings, deviceHash: string): Promise<void> {
  const day = localDay(clock.now(), s.timeZone);
  await scoped(ctx, DeviceDay).insert({ id: deviceDayId(deviceHash, day), deviceHash, day, members: 0 }).onConflict(['tenant_id', 'id']).ignore();
}

/**
 * Takes one of the device's places for the day, or refuses with 429: one conditional UPDATE of
 * the counter row, whose row lock makes parallel check-ins of many accounts on one device wait
 * for each other, so a limit of N admits exactly N. It runs in the check-in's transaction, so a
 * check-in that fails later gives its place back.
 */
async function takeDevicePlace(ctx: TenantCtx, s: MembershipSettings, member: Member, deviceHash: string, day: string): Promise<void> {
  const id = deviceDayId(deviceHash, day);
  let taken = Number(await scoped(ctx, DeviceDay).findById(id).where('members', '<', s.checkin.perDevicePerDay).increment('members', 1));
  // No row yet (the caller did not prepare one, or the day turned since): made here, alone.
  if (!taken && !(await scoped(ctx, DeviceDay).findById(id))) {
    await scoped(ctx, DeviceDay).insert({ id, deviceHash, day, members: 1 });
    taken = 1;
  }
  if (!taken) {
    ctx.log.warn({ member: member.id, day }, 'membership: check-in refused, too many accounts on one device');
    throw new TooManyRequestsError(secondsToNextDay(day, s.timeZone), 'MEMBERSHIP_CHECKIN_DEVICE_LIMIT');
  }
}

/**
 * Checks the member in for today. `deviceHash` (a hash of the client's X-Device-Id) counts
 * against the store's per-device limit: one device checking in for many accounts a day is
 * farming. Call it in a transaction (the member's lock and the device's place are held to its end).
 */
export async function checkIn(ctx: TenantCtx, s: MembershipSettings, member: Member, deviceHash: string | null = null): Promise<{ day: string; streak: number; points: number; growth: number }> {
  if (s.checkin.requireTierBenefit && !benefit(await tierOf(ctx, member), 'checkin_enabled')) {
    throw new ForbiddenError('MEMBERSHIP_CHECKIN_NOT_IN_TIER', 'Check-in is not a benefit of your tier');
  }
  const day = localDay(clock.now(), s.timeZone);
  await lockMember(ctx, member.id);
  // Once a day per member first: the same account again is that rule, not the device's.
  if (await scoped(ctx, Checkin).where({ member_id: member.id, day }).first()) throw new ConflictError('MEMBERSHIP_ALREADY_CHECKED_IN', 'You have already checked in today', { extra: { day } });
  if (deviceHash) await takeDevicePlace(ctx, s, member, deviceHash, day);
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
