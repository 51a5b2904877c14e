import { BaseModel } from '../core/db/model.js';
import type { Tenant } from '../core/context.js';

export class TenantRecord extends BaseModel {
  static override tableName = 'tenants';
  static override jsonAttributes = ['currencies', 'settings'];
  id!: string;
  slug!: string;
  name!: string;
  status!: 'active' | 'suspended' | 'pending' | 'terminated';
  defaultLocale!: string;
  defaultCurrency!: string;
  currencies!: string[];
  placement!: string;
  movingTo!: string | null;
  taxMode!: 'inclusive' | 'exclusive';
  taxRateBp!: number;
  taxRoundingPer!: 'line' | 'total';
  taxRoundingMode!: 'halfEven' | 'halfUp';
  settings!: Record<string, unknown>;
  createdAt!: string;
  updatedAt!: string;

  toTenant(): Tenant {
    return {
      id: this.id,
      slug: this.slug,
      name: this.name,
      status: this.status,
      defaultLocale: this.defaultLocale,
      defaultCurrency: this.defaultCurrency,
      currencies: this.currencies,
      placement: this.placement,
      movingTo: this.movingTo ?? null,
      taxMode: this.taxMode,
      taxRateBp: this.taxRateBp,
      taxRounding: { per: this.taxRoundingPer ?? 'line', mode: this.taxRoundingMode ?? 'halfEven' },
      settings: this.settings ?? {},
    };
  }
}

export class TenantDomain extends BaseModel {
  static override tableName = 'tenant_domains';
  static override idColumn = 'domain';
  static override generateId = false;
  static override timestamps = false;
  domain!: string;
  tenantId!: string;
  createdAt!: string;
}
