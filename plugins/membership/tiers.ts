// Tiers: growth over the store's basis (rolling 12 months by default) qualifies a member; an
// upgrade applies at once and is guaranteed for the term; at the end of the term the member is
// re-evaluated and drops at most one tier. Spending points never touches the tier.
import { scoped, sql, type TenantCtx } from '@bazaar/sdk';
import { GrowthEntry, Member, Tier, TierChange, type Benefit } from './membership.model.js';
import { BIZ, actorName, addAvailableLot, memberRow, newLot, postPoints } from './ledger.js';
import { addMonths, clock, localYear, zonedMidnight } from './clock.js';
import type { MembershipSettings } from './settings.js';

export async function tiersOf(ctx: TenantCtx): Promise<Tier[]> {
  return (await scoped(ctx, Tier).orderBy('rank')).map((t) => Object.assign(t, { threshold: Number(t.threshold), entryRewardPoints: Number(t.entryRewardPoints) }));
}

export function benefit<T extends Benefit['type']>(tier: Tier | undefined | null, type: T): Extract<Benefit, { type: T }> | undefined {
  return tier?.benefits?.find((b) => b.type === type) as Extract<Benefit, { type: T }> | undefined;
}

export async function tierOf(ctx: TenantCtx, member: Member): Promise<Tier | undefined> {
  return member.tierId ? scoped(ctx, Tier).findById(member.tierId) : undefined;
}

/**
 * Growth that counts for tiers under the store's basis: all of it (lifetime), since the store's
 * 1 January (calendar_year, in its time zone), or over the last 12 months (rolling).
 */
export async function basisGrowth(ctx: TenantCtx, member: Member, s: Pick<MembershipSettings, 'tiers' | 'timeZone'>): Promise<number> {
  const { basis } = s.tiers;
  const timeZone = s.timeZone;
  if (basis === 'lifetime') return Number(member.growthTotal);
  const now = clock.now();
  const from = basis === 'calendar_year' ? zonedMidnight(localYear(now, timeZone), 1, 1, timeZone) : addMonths(now, -12);
  const row = (await scoped(ctx, GrowthEntry).where('member_id', member.id).where('created_at', '>=', from).select(sql('sum(approved_delta) as s')).first()) as unknown as { s: unknown } | undefined;
  return Number(row?.s ?? 0);
}

export function qualifying(tiers: Tier[], growth: number): Tier | undefined {
  let best: Tier | undefined;
  for (const t of tiers) if (growth >= t.threshold && (!best || t.rank > best.rank)) best = t;
  return best;
}

const rankOf = (tiers: Tier[], id: string | null) => (id ? (tiers.find((t) => t.id === id)?.rank ?? -1) : -1);

/** Appends a move to the member's tier history. */
export async function recordTierChange(trx: TenantCtx, tiers: Tier[], memberId: string, from: string | null, to: string | null, move: TierChange['move'], reason: TierChange['reason'], growth: number): Promise<void> {
  const name = (id: string | null) => (id ? (tiers.find((t) => t.id === id)?.name ?? null) : null);
  await scoped(trx, TierChange).insert({ memberId, fromTierId: from, toTierId: to, fromName: name(from), toName: name(to), move, reason, growth, actor: actorName(trx), createdAt: clock.now().toISOString() });
}

/** Upgrades at once when growth crosses a higher threshold; an entry reward is paid once per tier. */
export async function upgradeIfQualified(trx: TenantCtx, member: Member, s: MembershipSettings, tiers?: Tier[]): Promise<Tier | undefined> {
  const all = tiers ?? (await tiersOf(trx));
  const m = memberRow((await scoped(trx, Member).findById(member.id))!);
  const growth = await basisGrowth(trx, m, s);
  const q = qualifying(all, growth);
  if (!q || q.rank <= rankOf(all, m.tierId)) return undefined;
  const now = clock.now();
  await scoped(trx, Member).patch({ tierId: q.id, tierEnteredAt: now.toISOString(), tierExpiresAt: addMonths(now, s.tiers.termMonths).toISOString() }).where('id', m.id);
  await recordTierChange(trx, all, m.id, m.tierId, q.id, 'up', 'growth', growth);
  if (q.entryRewardPoints > 0) {
    const { created } = await postPoints(trx, m.id, { bizType: BIZ.TIER_ENTRY_REWARD, bizId: q.id }, { available: q.entryRewardPoints }, `Welcome to ${q.name}`);
    if (created) await addAvailableLot(trx, m, await newLot(trx, m.id, { sourceType: BIZ.TIER_ENTRY_REWARD, sourceId: q.id, state: 'available', granted: q.entryRewardPoints, expiresAt: null }));
  }
  return q;
}

/** What evaluation at the end of a member's term would do: keep, renew, or drop one tier. */
export function endOfTerm(tiers: Tier[], currentId: string | null, growth: number): { tierId: string | null; move: 'renew' | 'down' | 'up' } {
  const current = rankOf(tiers, currentId);
  const q = qualifying(tiers, growth);
  const qRank = q?.rank ?? -1;
  if (qRank > current) return { tierId: q!.id, move: 'up' };
  if (qRank === current) return { tierId: currentId, move: 'renew' };
  const below = [...tiers].filter((t) => t.rank < current).sort((a, b) => b.rank - a.rank)[0];
  return { tierId: below?.id ?? null, move: 'down' };
}

/** Members whose term has ended: renewed, or down one tier (never more), with a new term. */
export async function evaluateTerms(ctx: TenantCtx, s: MembershipSettings): Promise<{ renewed: number; down: number }> {
  const tiers = await tiersOf(ctx);
  const now = clock.now();
  let renewed = 0;
  let down = 0;
  if (s.tiers.basis === 'lifetime') return { renewed, down };
  const due = (await scoped(ctx, Member).whereNotNull('tier_id').where('tier_expires_at', '<=', now).limit(1000)).map(memberRow);
  for (const m of due) {
    const growth = await basisGrowth(ctx, m, s);
    const r = endOfTerm(tiers, m.tierId, growth);
    await scoped(ctx, Member)
      .patch({ tierId: r.tierId, tierExpiresAt: r.tierId ? addMonths(now, s.tiers.termMonths).toISOString() : null, ...(r.move === 'renew' ? {} : { tierEnteredAt: r.tierId ? now.toISOString() : null }) })
      .where('id', m.id);
    await recordTierChange(ctx, tiers, m.id, m.tierId, r.tierId, r.move, 'term', growth);
    if (r.move === 'down') down++;
    else renewed++;
  }
  return { renewed, down };
}

/** A lifetime tier only comes down through reversals: at most one tier per evaluation. */
export async function downAfterReversal(trx: TenantCtx, s: MembershipSettings, memberId: string): Promise<void> {
  const tiers = await tiersOf(trx);
  const m = memberRow((await scoped(trx, Member).findById(memberId))!);
  const growth = await basisGrowth(trx, m, s);
  const r = endOfTerm(tiers, m.tierId, growth);
  if (r.move !== 'down') return;
  const now = clock.now();
  await scoped(trx, Member).patch({ tierId: r.tierId, tierEnteredAt: r.tierId ? now.toISOString() : null, tierExpiresAt: r.tierId ? addMonths(now, s.tiers.termMonths).toISOString() : null }).where('id', m.id);
  await recordTierChange(trx, tiers, m.id, m.tierId, r.tierId, 'down', 'reversal', growth);
}

/** A dry run of a new tier table: how many members would move up at once, and down at their next evaluation. */
export async function previewTiers(ctx: TenantCtx, s: MembershipSettings, proposed: { rank: number; threshold: number }[]): Promise<{ up: number; down: number; same: number }> {
  const current = await tiersOf(ctx);
  const fake = proposed.map((p) => ({ id: `rank:${p.rank}`, rank: p.rank, threshold: p.threshold }) as Tier);
  let up = 0;
  let down = 0;
  let same = 0;
  for (const m of (await scoped(ctx, Member).select('*')).map(memberRow)) {
    const growth = await basisGrowth(ctx, m, s);
    const rank = rankOf(current, m.tierId);
    const q = qualifying(fake, growth)?.rank ?? -1;
    if (q > rank) up++;
    else if (q < rank) down++;
    else same++;
  }
  return { up, down, same };
}
