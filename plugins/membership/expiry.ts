// Expiry: a daily sweep, idempotent per lot (the EXPIRE row is keyed by the lot), plus notices
// N days before, and the birthday gift of the member's tier.
import { scoped, sql, type TenantCtx, type CustomerService, type NotificationService, type PluginApi } from '@bazaar/sdk';
import { Lot, Member } from './membership.model.js';
import { BIZ, addAvailableLot, lockMember, memberRow, newLot, postPoints } from './ledger.js';
import { addDays, addMonths, clock, localDay } from './clock.js';
import { benefit, tierOf } from './tiers.js';
import { expiryFor } from './orders.js';
import type { MembershipSettings } from './settings.js';

async function expireLot(ctx: TenantCtx, lot: Lot): Promise<number> {
  const fresh = (await scoped(ctx, Lot).findById(lot.id))!;
  const left = Number(fresh.remaining);
  if (fresh.state !== 'available') return 0;
  await lockMember(ctx, fresh.memberId);
  const { created } = await postPoints(ctx, fresh.memberId, { bizType: BIZ.EXPIRE, bizId: fresh.id }, { available: -left }, 'Expired');
  await scoped(ctx, Lot).patch({ state: 'closed', remaining: 0 }).where('id', fresh.id);
  return created ? left : 0;
}

export async function runExpiry(ctx: TenantCtx, s: MembershipSettings): Promise<{ lots: number; points: number }> {
  const now = clock.now();
  let lots = 0;
  let points = 0;
  const due = await scoped(ctx, Lot).where('state', 'available').whereNotNull('expires_at').where('expires_at', '<=', now).limit(1000);
  for (const lot of due) {
    points += await expireLot(ctx, lot);
    lots++;
  }
  if (s.expiry.policy === 'inactivity') {
    const idle = await scoped(ctx, Member).where('last_activity_at', '<=', addMonths(now, -s.expiry.months)).where('points_available', '>', 0).limit(500);
    for (const m of idle) {
      for (const lot of await scoped(ctx, Lot).where({ member_id: m.id, state: 'available' }).where('remaining', '>', 0)) {
        points += await expireLot(ctx, lot);
        lots++;
      }
    }
  }
  return { lots, points };
}

/** Mails members whose points expire within noticeDays (once per lot). */
export async function sendNotices(ctx: TenantCtx, s: MembershipSettings, api: PluginApi, customers: CustomerService, mail: NotificationService): Promise<number> {
  if (s.expiry.noticeDays === 0) return 0;
  const horizon = addDays(clock.now(), s.expiry.noticeDays);
  const lots = await scoped(ctx, Lot).where('state', 'available').where('remaining', '>', 0).whereNull('notified_at').whereNotNull('expires_at').where('expires_at', '<=', horizon).limit(1000);
  const byMember = new Map<string, Lot[]>();
  for (const l of lots) byMember.set(l.memberId, [...(byMember.get(l.memberId) ?? []), l]);
  let sent = 0;
  for (const [memberId, list] of byMember) {
    const member = await scoped(ctx, Member).findById(memberId);
    const customer = member && (await customers.get(ctx, member.customerId));
    const total = list.reduce((a, l) => a + Number(l.remaining), 0);
    const first = list.map((l) => l.expiresAt!).sort()[0];
    if (customer) {
      await mail.sendMail(ctx, { to: customer.email, subject: api.t(ctx, 'expiryNotice.subject', { points: total }), text: api.t(ctx, 'expiryNotice.text', { points: total, date: first.slice(0, 10) }) });
      sent++;
    }
    await scoped(ctx, Lot).patch({ notifiedAt: clock.now().toISOString() }).whereIn('id', list.map((l) => l.id));
  }
  return sent;
}

/** The birthday gift of the member's tier, once a year on the member's birthday (store time zone). */
export async function birthdayGifts(ctx: TenantCtx, s: MembershipSettings): Promise<number> {
  const today = localDay(clock.now(), s.timeZone);
  const members = (await scoped(ctx, Member).where('birthday', today.slice(5)).whereNotNull('tier_id').limit(5000)).map(memberRow);
  let n = 0;
  for (const m of members) {
    const gift = benefit(await tierOf(ctx, m), 'birthday_gift');
    if (!gift || gift.points <= 0) continue;
    const { created } = await postPoints(ctx, m.id, { bizType: BIZ.BIRTHDAY, bizId: today.slice(0, 4) }, { available: gift.points }, 'Birthday gift');
    if (created) {
      await addAvailableLot(ctx, m, await newLot(ctx, m.id, { sourceType: BIZ.BIRTHDAY, sourceId: today.slice(0, 4), state: 'available', granted: gift.points, expiresAt: expiryFor(s, clock.now()) }));
      n++;
    }
  }
  return n;
}

export { sql };
