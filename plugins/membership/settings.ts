// Each store's membership rules (settingsSchema, checked on every write, defaults filled in).
export interface MembershipSettings {
  timeZone: string;
  earn: { pointsPerUnit: number; growthPerUnit: number; returnWindowDays: number };
  redeem: { enabled: boolean; pointsPerCurrencyUnit: number; maxPercentOfOrder: number; minRedeemUnit: number; includeShipping: boolean; combinableWithCoupons: boolean; holdMinutes: number; stepUpAbovePoints: number; stepUpAfterCredentialChangeHours: number };
  expiry: { policy: 'none' | 'rolling_days' | 'fixed_year_end' | 'inactivity'; days: number; months: number; noticeDays: number; restoreGraceDays: number };
  tiers: { basis: 'rolling_12_months' | 'calendar_year' | 'lifetime'; termMonths: number };
  checkin: { points: number; growth: number; streakBonuses: { day: number; points: number; growth: number }[]; requireTierBenefit: boolean; perIpPerHour: number; perDevicePerDay: number; requireDevice: boolean };
  rewards: { signupPoints: number; referralPoints: number; maxReferralsPerMonth: number };
  adjustments: { dailyCapPerStaff: number };
}

const int = (minimum: number, maximum: number, dflt: number) => ({ type: 'integer', minimum, maximum, default: dflt });

export const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    timeZone: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$', default: 'UTC', description: 'IANA time zone of the store: check-in days, birthdays, year ends' },
    earn: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        pointsPerUnit: { ...int(0, 10_000, 1), description: 'points per major currency unit paid (1 = 1 point per CNY 1)' },
        growthPerUnit: { ...int(0, 10_000, 1), description: 'growth per major currency unit paid' },
        returnWindowDays: { ...int(0, 365, 7), description: 'earned points stay pending this many days after the order completes' },
      },
    },
    redeem: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        pointsPerCurrencyUnit: { ...int(1, 1_000_000, 100), description: 'points worth one major currency unit (100 = CNY 1)' },
        maxPercentOfOrder: int(1, 100, 50),
        minRedeemUnit: int(1, 1_000_000, 100),
        includeShipping: { type: 'boolean', default: false, description: 'points may pay for shipping too' },
        combinableWithCoupons: { type: 'boolean', default: true, description: 'points may pay for an order that has a coupon (an adjustment coded coupon:...)' },
        stepUpAbovePoints: { ...int(0, 1_000_000_000, 50_000), description: 'holding more points than this at once needs a code mailed to the customer (0: never)' },
        stepUpAfterCredentialChangeHours: { ...int(0, 720, 24), description: 'any redemption this soon after a password change or reset needs a mailed code (0: never)' },
        holdMinutes: { ...int(5, 7 * 24 * 60, 120), description: 'points held on a cart are given back after this long without an order' },
      },
    },
    expiry: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        policy: { enum: ['none', 'rolling_days', 'fixed_year_end', 'inactivity'], default: 'none' },
        days: { ...int(1, 3650, 365), description: 'rolling_days: each lot lives this long once available' },
        months: { ...int(1, 120, 12), description: 'inactivity: everything expires after this many months without earning or spending' },
        noticeDays: int(0, 365, 30),
        restoreGraceDays: { ...int(1, 365, 30), description: 'points given back to a lot that has expired meanwhile live this long' },
      },
    },
    tiers: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        basis: { enum: ['rolling_12_months', 'calendar_year', 'lifetime'], default: 'rolling_12_months' },
        termMonths: { ...int(1, 60, 12), description: 'a tier is guaranteed this long from entry' },
      },
    },
    checkin: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        points: int(0, 100_000, 10),
        growth: int(0, 100_000, 1),
        streakBonuses: {
          type: 'array', maxItems: 31, default: [{ day: 7, points: 50, growth: 5 }],
          items: { type: 'object', additionalProperties: false, required: ['day'], properties: { day: int(2, 366, 7), points: int(0, 100_000, 0), growth: int(0, 100_000, 0) } },
        },
        requireTierBenefit: { type: 'boolean', default: false, description: 'only tiers with the checkin_enabled benefit may check in' },
        perIpPerHour: int(1, 10_000, 30),
        perDevicePerDay: { ...int(1, 1000, 3), description: 'members one device (its X-Device-Id header) may check in for per day; more is account farming' },
        requireDevice: { type: 'boolean', default: false, description: 'refuse check-ins that do not name their device (X-Device-Id)' },
      },
    },
    rewards: {
      type: 'object', additionalProperties: false, default: {},
      properties: {
        signupPoints: { ...int(0, 1_000_000, 0), description: 'granted once the first order has passed its return window' },
        referralPoints: { ...int(0, 1_000_000, 0), description: "to the referrer, once the referee's first order has passed its return window" },
        maxReferralsPerMonth: int(0, 1000, 10),
      },
    },
    adjustments: {
      type: 'object', additionalProperties: false, default: {},
      properties: { dailyCapPerStaff: { ...int(0, 100_000_000, 10_000), description: 'points (absolute) one staff member may adjust per day; above it a second staff member approves' } },
    },
  },
} as const;
