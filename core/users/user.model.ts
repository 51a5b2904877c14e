import { BaseModel, TenantModel, registerTenantModel } from '../db/model.js';

export class PlatformAdmin extends BaseModel {
  static override tableName = 'platform_admins';
  id!: string;
  email!: string;
  name!: string;
  passwordHash!: string;
  createdAt!: string;
  updatedAt!: string;
}

export class PlatformSession extends BaseModel {
  static override tableName = 'platform_sessions';
  static override idColumn = 'token_hash';
  static override generateId = false;
  static override timestamps = false;
  tokenHash!: string;
  adminId!: string;
  expiresAt!: string;
  createdAt!: string;
}

export class Staff extends TenantModel {
  static override tableName = 'staff';
  id!: string;
  email!: string;
  name!: string;
  role!: string;
  status!: 'active' | 'disabled';
  passwordHash!: string;
  createdAt!: string;
  updatedAt!: string;
}

export class Customer extends TenantModel {
  static override tableName = 'customers';
  id!: string;
  email!: string;
  name!: string;
  passwordHash!: string;
  locale!: string | null;
  /** The last password change or reset (null: none since the column came). */
  credentialsChangedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class Session extends TenantModel {
  static override tableName = 'sessions';
  static override idColumn = 'token_hash';
  static override generateId = false;
  static override timestamps = false;
  tokenHash!: string;
  subjectType!: 'staff' | 'customer';
  subjectId!: string;
  expiresAt!: string;
  createdAt!: string;
}

export class PasswordReset extends TenantModel {
  static override tableName = 'password_resets';
  static override idColumn = 'token_hash';
  static override generateId = false;
  static override timestamps = false;
  tokenHash!: string;
  subjectType!: 'staff' | 'customer';
  subjectId!: string;
  expiresAt!: string;
  usedAt!: string | null;
  createdAt!: string;
}

export class ApiKey extends TenantModel {
  static override tableName = 'api_keys';
  static override jsonAttributes = ['scopes'];
  id!: string;
  name!: string;
  prefix!: string;
  keyHash!: string;
  scopes!: string[];
  createdBy!: string | null;
  expiresAt!: string | null;
  lastUsedAt!: string | null;
  revokedAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

for (const model of [Staff, Customer, Session, PasswordReset, ApiKey]) registerTenantModel(model);
