import { TenantModel } from '@bazaar/sdk';
import type { RoundingRule } from './pricing.js';

/** Where a store sells: countries, currency, languages, tax display, duties, and how prices convert. */
export class Market extends TenantModel {
  static override tableName = 'cross_border_markets';
  static override jsonAttributes = ['countries', 'languages', 'rounding', 'dutyRates'];
  id!: string;
  code!: string;
  name!: string;
  countries!: string[];
  currency!: string;
  languages!: string[];
  isDefault!: boolean;
  pricesIncludeTax!: boolean;
  /** The market's tax rate in basis points (1900 = 19%); null: the store's. */
  taxRateBp!: number | null;
  dutiesMode!: 'DDP' | 'DAP';
  /** DDP: percentage per destination country ("*" for the rest), as decimal strings. */
  dutyRates!: Record<string, string>;
  /** DDP: no duties below this goods subtotal (minor units of the market currency); null: always. */
  dutyThreshold!: number | null;
  fxMode!: 'automatic' | 'manual';
  manualRate!: string | null;
  adjustmentPct!: string | null;
  rounding!: RoundingRule | null;
  createdAt!: string;
  updatedAt!: string;
}

/** One exchange rate: units of `quote` per one `base`, for a date, from a source. */
export class Rate extends TenantModel {
  static override tableName = 'cross_border_rates';
  static override timestamps = false;
  id!: string;
  source!: string;
  base!: string;
  quote!: string;
  rate!: string;
  asOf!: string;
  fetchedAt!: string;
}

/** How a store's rate source is doing: last fetch, last good rate, whether staff were alerted. */
export class SourceState extends TenantModel {
  static override tableName = 'cross_border_source_states';
  id!: string;
  source!: string;
  lastFetchAt!: string | null;
  lastOkAt!: string | null;
  lastAsOf!: string | null;
  lastError!: string | null;
  staleAlertedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/** Text of any entity in one language: one row per (entity type, entity id, locale). */
export class Translation extends TenantModel {
  static override tableName = 'cross_border_translations';
  static override jsonAttributes = ['fields'];
  id!: string;
  entityType!: string;
  entityId!: string;
  locale!: string;
  fields!: Record<string, string>;
  slug!: string | null;
  createdAt!: string;
  updatedAt!: string;
}
