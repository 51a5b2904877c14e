import { BaseModel } from '../db/model.js';

/** Platform-level: who did what to which tenant, with before and after. */
export class AuditEntry extends BaseModel {
  static override tableName = 'audit_log';
  static override jsonAttributes = ['before', 'after'];
  static override timestamps = false;
  id!: string;
  actorType!: string;
  actorId!: string | null;
  action!: string;
  targetType!: string;
  targetId!: string | null;
  tenantId!: string | null;
  before!: unknown;
  after!: unknown;
  reason!: string | null;
  requestId!: string | null;
  createdAt!: string;

  override $beforeInsert(qc: Parameters<BaseModel['$beforeInsert']>[0]): void {
    super.$beforeInsert(qc);
    this.createdAt ??= new Date().toISOString();
  }
}
