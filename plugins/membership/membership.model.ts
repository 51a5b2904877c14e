import { TenantModel } from '@bazaar/sdk';

/** A customer's membership: cached balances (kept in the ledgers' transaction) and tier. */
export class Member extends TenantModel {
  static override tableName = 'membership_members';
  id!: string;
  customerId!: string;
  tierId!: string | null;
  tierEnteredAt!: string | null;
  tierExpiresAt!: string | null;
  pointsAvailable!: number;
  pointsPending!: number;
  pointsHeld!: number;
  pointsDebt!: number;
  growthTotal!: number;
  growthPending!: number;
  birthday!: string | null;
  referralCode!: string;
  referredBy!: string | null;
  lastActivityAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/**
 * What both ledgers share: append-only rows (a trigger refuses updates), one per (member,
 * business type, business id, line) under a UNIQUE key. Each ledger adds its own delta columns.
 */
export class LedgerEntry extends TenantModel {
  static override timestamps = false;
  id!: string;
  memberId!: string;
  bizType!: string;
  bizId!: string;
  bizLineId!: string;
  pendingDelta!: number;
  note!: string | null;
  actor!: string;
  createdAt!: string;
}

/** The points ledger: spendable points (available, pending through the return window, held on a cart). */
export class PointsEntry extends LedgerEntry {
  static override tableName = 'membership_points';
  availableDelta!: number;
  heldDelta!: number;
}

/** The growth ledger: tier-qualifying only, never spendable. */
export class GrowthEntry extends LedgerEntry {
  static override tableName = 'membership_growth';
  approvedDelta!: number;
}

/** An earn lot: pending until its return window passes, then spent first-expiring-first. */
export class Lot extends TenantModel {
  static override tableName = 'membership_lots';
  id!: string;
  memberId!: string;
  sourceType!: string;
  sourceId!: string;
  sourceLine!: string;
  state!: 'pending' | 'available' | 'closed';
  granted!: number;
  remaining!: number;
  reversed!: number;
  quantity!: number;
  reversedQuantity!: number;
  growth!: number;
  growthReversed!: number;
  availableAt!: string | null;
  expiresAt!: string | null;
  notifiedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/** Which lot a hold (points as payment) drew on, so a cancel or refund gives back to the same lot. */
export class Allocation extends TenantModel {
  static override tableName = 'membership_allocations';
  id!: string;
  memberId!: string;
  holdId!: string;
  lotId!: string;
  points!: number;
  returned!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class Hold extends TenantModel {
  static override tableName = 'membership_holds';
  id!: string;
  memberId!: string;
  cartId!: string;
  orderId!: string | null;
  status!: 'held' | 'placed' | 'spent' | 'released';
  points!: number;
  used!: number;
  value!: number;
  restored!: number;
  currency!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export type Benefit =
  | { type: 'free_shipping_threshold'; amount: number }
  | { type: 'member_price_discount_percent'; percent: number }
  | { type: 'points_multiplier'; percent: number }
  | { type: 'birthday_gift'; points: number }
  | { type: 'exclusive_promotions' }
  | { type: 'priority_service' }
  | { type: 'checkin_enabled' };

export class Tier extends TenantModel {
  static override tableName = 'membership_tiers';
  static override jsonAttributes = ['benefits'];
  id!: string;
  rank!: number;
  name!: string;
  threshold!: number;
  entryRewardPoints!: number;
  benefits!: Benefit[];
  createdAt!: string;
  updatedAt!: string;
}

export class Checkin extends TenantModel {
  static override tableName = 'membership_checkins';
  static override timestamps = false;
  id!: string;
  memberId!: string;
  day!: string;
  streak!: number;
  points!: number;
  growth!: number;
  deviceHash!: string | null;
  createdAt!: string;
}

/** How many accounts checked in from one device on one store day (the per-device limit's counter). */
export class DeviceDay extends TenantModel {
  static override tableName = 'membership_device_days';
  static override timestamps = false;
  id!: string;
  deviceHash!: string;
  day!: string;
  members!: number;
}

/** A tier move of a member (append-only): up at once, down or renewed at the end of a term, removed with its tier. */
export class TierChange extends TenantModel {
  static override tableName = 'membership_tier_changes';
  static override timestamps = false;
  id!: string;
  memberId!: string;
  fromTierId!: string | null;
  toTierId!: string | null;
  fromName!: string | null;
  toName!: string | null;
  move!: 'up' | 'down' | 'renew' | 'removed';
  reason!: 'growth' | 'term' | 'reversal' | 'config';
  growth!: number;
  actor!: string;
  createdAt!: string;
}

/** A payout held for staff review (LOY-10): a referral whose referee shares a phone or an address with the referrer. */
export class Flag extends TenantModel {
  static override tableName = 'membership_flags';
  static override jsonAttributes = ['via'];
  id!: string;
  memberId!: string;
  otherMemberId!: string | null;
  kind!: 'referral_shared_contact';
  via!: ('phone' | 'address')[];
  points!: number;
  status!: 'open' | 'approved' | 'rejected';
  decidedBy!: string | null;
  note!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class Adjustment extends TenantModel {
  static override tableName = 'membership_adjustments';
  id!: string;
  memberId!: string;
  points!: number;
  growth!: number;
  reasonCode!: string;
  note!: string | null;
  staffId!: string;
  day!: string;
  status!: 'applied' | 'pending_approval' | 'rejected';
  decidedBy!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export const MODELS = [Member, PointsEntry, GrowthEntry, Lot, Allocation, Hold, Tier, Checkin, DeviceDay, Adjustment, TierChange, Flag];
