import { TenantModel } from '@bazaar/sdk';
import type { ZoneArea } from './zones.js';
import type { Calculator, Eligibility } from './calculators.js';

/** Where methods apply: a set of areas (country, region, postal rules). */
export class LogisticsZone extends TenantModel {
  static override tableName = 'logistics_zones';
  static override jsonAttributes = ['areas'];
  id!: string;
  name!: string;
  areas!: ZoneArea[];
  createdAt!: string;
  updatedAt!: string;
}

/** A shipping method: one zone, eligibility checks and one calculator (or a carrier's live rate). */
export class LogisticsMethod extends TenantModel {
  static override tableName = 'logistics_methods';
  static override jsonAttributes = ['labels', 'eligibility', 'calculator'];
  id!: string;
  zoneId!: string;
  code!: string;
  label!: string;
  labels!: Record<string, string>;
  currency!: string;
  eligibility!: Eligibility;
  calculator!: Calculator;
  taxIncluded!: boolean;
  taxRateBp!: number | null;
  minDays!: number | null;
  maxDays!: number | null;
  active!: boolean;
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

/** A customer's shipping groups (wholesale, vip), for methods limited to groups. */
export class LogisticsCustomerGroup extends TenantModel {
  static override tableName = 'logistics_customer_groups';
  id!: string;
  customerId!: string;
  groupName!: string;
  createdAt!: string;
  updatedAt!: string;
}
