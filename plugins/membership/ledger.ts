// The two ledgers. Every change of a member's points or growth is one appended row keyed by
// (member, business type, business id, line): writing the same key again writes nothing and
// answers the first row, so a replayed event has no second effect. The member's cached
// balances change in the same transaction as the row; reconcile() recomputes them.
import { scoped, sql, isUniqueViolation, newId, type TenantCtx } from '@bazaar/sdk';
import { GrowthEntry, LedgerEntry, Lot, Member, PointsEntry, Allocation } from './membership.model.js';
import { clock } from './clock.js';

export const BIZ = {
  EARN_ORDER: 'EARN_ORDER',
  EARN_ORDER_APPROVED: 'EARN_ORDER_APPROVED',
  EARN_ORDER_REVERSAL_FULL: 'EARN_ORDER_REVERSAL_FULL',
  EARN_ORDER_REVERSAL_ITEM: 'EARN_ORDER_REVERSAL_ITEM',
  REDEEM_HOLD: 'REDEEM_HOLD',
  REDEEM_RELEASE: 'REDEEM_RELEASE',
  REDEEM_ORDER: 'REDEEM_ORDER',
  REDEEM_ORDER_RETURN_FULL: 'REDEEM_ORDER_RETURN_FULL',
  REDEEM_ORDER_RETURN_ITEM: 'REDEEM_ORDER_RETURN_ITEM',
  CHECKIN: 'CHECKIN',
  CHECKIN_STREAK_BONUS: 'CHECKIN_STREAK_BONUS',
  REVIEW: 'REVIEW',
  BIRTHDAY: 'BIRTHDAY',
  SIGNUP: 'SIGNUP',
  REFERRAL: 'REFERRAL',
  TIER_ENTRY_REWARD: 'TIER_ENTRY_REWARD',
  ADMIN_ADJUST: 'ADMIN_ADJUST',
  EXPIRE: 'EXPIRE',
  IMPORT: 'IMPORT',
} as const;
export type BizType = (typeof BIZ)[keyof typeof BIZ];

export interface EntryKey {
  bizType: BizType;
  bizId: string;
  bizLineId?: string;
}

const n = (v: unknown) => Number(v ?? 0);

export function actorName(ctx: TenantCtx): string {
  const a = ctx.actor;
  if (a.type === 'staff' || a.type === 'customer' || a.type === 'apiKey') return `${a.type}:${a.id}`;
  if (a.type === 'system') return `system:${a.name}`.slice(0, 100);
  return a.type;
}

export function memberRow(m: Member): Member {
  for (const k of ['pointsAvailable', 'pointsPending', 'pointsHeld', 'pointsDebt', 'growthTotal', 'growthPending'] as const) m[k] = n(m[k]);
  return m;
}

function randomCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let s = '';
  for (let i = 0; i < 8; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

/** The member of a customer, made on first use. */
export async function ensureMember(ctx: TenantCtx, customerId: string): Promise<Member> {
  const found = await scoped(ctx, Member).where('customer_id', customerId).first();
  if (found) return memberRow(found);
  try {
    await scoped(ctx, Member).insert({ customerId, referralCode: randomCode(), pointsAvailable: 0, pointsPending: 0, pointsHeld: 0, pointsDebt: 0, growthTotal: 0, growthPending: 0 });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  return memberRow((await scoped(ctx, Member).where('customer_id', customerId).first())!);
}

export async function lockMember(trx: TenantCtx, memberId: string): Promise<Member> {
  const m = await scoped(trx, Member).findById(memberId).forUpdate();
  if (!m) throw new Error(`member ${memberId} missing`);
  return memberRow(m);
}

/** Each ledger's delta columns and the member's cached balance each one moves. */
const LEDGERS = {
  points: { model: PointsEntry, columns: { available: ['availableDelta', 'points_available', 'pointsAvailable'], pending: ['pendingDelta', 'points_pending', 'pointsPending'], held: ['heldDelta', 'points_held', 'pointsHeld'] } },
  growth: { model: GrowthEntry, columns: { approved: ['approvedDelta', 'growth_total', 'growthTotal'], pending: ['pendingDelta', 'growth_pending', 'growthPending'] } },
} as const;
type Ledger = keyof typeof LEDGERS;
type Deltas<L extends Ledger> = Partial<Record<keyof (typeof LEDGERS)[L]['columns'], number>>;

/**
 * Appends a row to one ledger and moves the member's cached balances with it, in the caller's
 * transaction. Answers `created: false` (and changes nothing) when the key was written before.
 */
async function append<L extends Ledger>(trx: TenantCtx, ledger: L, memberId: string, key: EntryKey, delta: Deltas<L>, note?: string | null): Promise<{ entry: LedgerEntry; created: boolean }> {
  const { model, columns } = LEDGERS[ledger];
  const where = { member_id: memberId, biz_type: key.bizType, biz_id: key.bizId, biz_line_id: key.bizLineId ?? '' };
  const existing = await scoped(trx, model as typeof LedgerEntry).where(where).first();
  if (existing) return { entry: existing, created: false };
  const row: Record<string, unknown> = {
    id: newId(), memberId, bizType: key.bizType, bizId: key.bizId, bizLineId: key.bizLineId ?? '',
    note: note ? note.slice(0, 300) : null, actor: actorName(trx), createdAt: clock.now().toISOString(),
  };
  const balances: Record<string, unknown> = ledger === 'points' ? { lastActivityAt: clock.now().toISOString() } : {};
  for (const [name, [field, column, balance]] of Object.entries(columns) as [string, readonly [string, string, string]][]) {
    const d = (delta as Record<string, number | undefined>)[name] ?? 0;
    row[field] = d;
    balances[balance] = sql(`${column} + ?`, [d]);
  }
  try {
    await scoped(trx, model as typeof LedgerEntry).insert(row);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return { entry: (await scoped(trx, model as typeof LedgerEntry).where(where).first())!, created: false };
  }
  await scoped(trx, Member).patch(balances as never).where('id', memberId);
  return { entry: row as unknown as LedgerEntry, created: true };
}

/** A points row (available, pending, held). */
export async function postPoints(trx: TenantCtx, memberId: string, key: EntryKey, delta: Deltas<'points'>, note?: string | null): Promise<{ entry: PointsEntry; created: boolean }> {
  return append(trx, 'points', memberId, key, delta, note) as Promise<{ entry: PointsEntry; created: boolean }>;
}

/** A growth row (approved, pending); nothing when both are zero. Answers whether a row was written. */
export async function postGrowth(trx: TenantCtx, memberId: string, key: EntryKey, delta: Deltas<'growth'>, note?: string | null): Promise<boolean> {
  if (!delta.approved && !delta.pending) return false;
  return (await append(trx, 'growth', memberId, key, delta, note)).created;
}

/**
 * Points that became available form a lot; an outstanding debt (a reversal that found no
 * points left) is netted against it first.
 */
export async function addAvailableLot(trx: TenantCtx, member: Member, lot: Lot): Promise<void> {
  const debt = n((await scoped(trx, Member).findById(member.id).forUpdate())!.pointsDebt);
  const net = Math.min(debt, n(lot.remaining));
  if (net > 0) {
    await scoped(trx, Lot).patch({ remaining: sql('remaining - ?', [net]) as unknown as number }).where('id', lot.id);
    await scoped(trx, Member).patch({ pointsDebt: sql('points_debt - ?', [net]) as unknown as number }).where('id', member.id);
  }
}

/** Lots that can be spent, first-expiring-first (lots that never expire last); locking reads (the latest rows, not a MariaDB snapshot). */
export async function spendableLots(trx: TenantCtx, memberId: string): Promise<Lot[]> {
  const lots = await scoped(trx, Lot).where({ member_id: memberId, state: 'available' }).where('remaining', '>', 0).orderBy('id').forUpdate();
  return lots.sort((a, b) => {
    const ea = a.expiresAt ? Date.parse(a.expiresAt) : Infinity;
    const eb = b.expiresAt ? Date.parse(b.expiresAt) : Infinity;
    return ea - eb;
  });
}

/** Takes `points` from lots (the preferred lot first, then first-expiring-first); what no lot holds becomes debt. */
export async function consumeLots(trx: TenantCtx, memberId: string, points: number, opts: { preferLotId?: string; holdId?: string } = {}): Promise<number> {
  let left = points;
  let lots = await spendableLots(trx, memberId);
  if (opts.preferLotId) lots = [...lots.filter((l) => l.id === opts.preferLotId), ...lots.filter((l) => l.id !== opts.preferLotId)];
  for (const lot of lots) {
    if (left <= 0) break;
    const take = Math.min(left, n(lot.remaining));
    await scoped(trx, Lot).patch({ remaining: sql('remaining - ?', [take]) as unknown as number }).where('id', lot.id);
    if (opts.holdId) await scoped(trx, Allocation).insert({ memberId, holdId: opts.holdId, lotId: lot.id, points: take, returned: 0 });
    left -= take;
  }
  if (left > 0 && !opts.holdId) await scoped(trx, Member).patch({ pointsDebt: sql('points_debt + ?', [left]) as unknown as number }).where('id', memberId);
  return points - left;
}

/** Gives `points` back to the lots a hold drew on (latest-expiring first); a lot that expired meanwhile gets a fresh one. */
export async function returnToLots(trx: TenantCtx, member: Member, holdId: string, points: number, graceDays: number): Promise<void> {
  let left = points;
  const allocations = await scoped(trx, Allocation).where('hold_id', holdId).orderBy('id', 'desc').forUpdate();
  const now = clock.now();
  for (const a of allocations) {
    if (left <= 0) break;
    const give = Math.min(left, n(a.points) - n(a.returned));
    if (give <= 0) continue;
    await scoped(trx, Allocation).patch({ returned: sql('returned + ?', [give]) as unknown as number }).where('id', a.id);
    const lot = (await scoped(trx, Lot).findById(a.lotId).forUpdate())!;
    const expired = lot.state === 'closed' || (lot.expiresAt !== null && Date.parse(lot.expiresAt) <= now.getTime());
    if (!expired) {
      await scoped(trx, Lot).patch({ remaining: sql('remaining + ?', [give]) as unknown as number }).where('id', lot.id);
    } else {
      const fresh = await newLot(trx, member.id, { sourceType: 'RESTORE', sourceId: holdId, sourceLine: a.id, state: 'available', granted: give, expiresAt: new Date(now.getTime() + graceDays * 86_400_000).toISOString() });
      await addAvailableLot(trx, member, fresh);
    }
    left -= give;
  }
}

export async function newLot(
  trx: TenantCtx,
  memberId: string,
  l: { sourceType: string; sourceId: string; sourceLine?: string; state: Lot['state']; granted: number; quantity?: number; growth?: number; availableAt?: string | null; expiresAt?: string | null },
): Promise<Lot> {
  const row = {
    id: newId(), memberId, sourceType: l.sourceType, sourceId: l.sourceId, sourceLine: l.sourceLine ?? '', state: l.state, granted: l.granted, remaining: l.granted,
    reversed: 0, quantity: l.quantity ?? 0, reversedQuantity: 0, growth: l.growth ?? 0, growthReversed: 0, availableAt: l.availableAt ?? null, expiresAt: l.expiresAt ?? null, notifiedAt: null,
  };
  await scoped(trx, Lot).insert(row);
  return (await scoped(trx, Lot).findById(row.id))!;
}

export interface Mismatch {
  memberId: string;
  field: string;
  cached: number;
  ledger: number;
}

/** Recomputes every member's balances from the ledgers and the lots; answers what disagrees. */
export async function reconcile(ctx: TenantCtx): Promise<{ members: number; mismatches: Mismatch[] }> {
  const mismatches: Mismatch[] = [];
  const points = new Map<string, { a: number; p: number; h: number }>();
  for (const r of (await scoped(ctx, PointsEntry).select('member_id', sql('sum(available_delta) as a'), sql('sum(pending_delta) as p'), sql('sum(held_delta) as h')).groupBy('member_id')) as unknown as { memberId: string; a: unknown; p: unknown; h: unknown }[]) {
    points.set(r.memberId, { a: n(r.a), p: n(r.p), h: n(r.h) });
  }
  const growth = new Map<string, { a: number; p: number }>();
  for (const r of (await scoped(ctx, GrowthEntry).select('member_id', sql('sum(approved_delta) as a'), sql('sum(pending_delta) as p')).groupBy('member_id')) as unknown as { memberId: string; a: unknown; p: unknown }[]) {
    growth.set(r.memberId, { a: n(r.a), p: n(r.p) });
  }
  const lots = new Map<string, number>();
  for (const r of (await scoped(ctx, Lot).select('member_id', sql('sum(remaining) as s')).where('state', 'available').groupBy('member_id')) as unknown as { memberId: string; s: unknown }[]) {
    lots.set(r.memberId, n(r.s));
  }
  const members = (await scoped(ctx, Member).select('*')).map(memberRow);
  for (const m of members) {
    const p = points.get(m.id) ?? { a: 0, p: 0, h: 0 };
    const g = growth.get(m.id) ?? { a: 0, p: 0 };
    const check = (field: string, cached: number, ledger: number) => {
      if (cached !== ledger) mismatches.push({ memberId: m.id, field, cached, ledger });
    };
    check('pointsAvailable', m.pointsAvailable, p.a);
    check('pointsPending', m.pointsPending, p.p);
    check('pointsHeld', m.pointsHeld, p.h);
    check('growthTotal', m.growthTotal, g.a);
    check('growthPending', m.growthPending, g.p);
    check('lots', (lots.get(m.id) ?? 0) - m.pointsDebt, p.a);
  }
  return { members: members.length, mismatches };
}
