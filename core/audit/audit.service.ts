// The audit trail of platform-admin acts: written next to the change, read by platform admins.
import type { Ctx } from '../context.js';
import { pageByIdDesc } from '../http/pagination.js';
import { AuditEntry } from './audit.model.js';

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(ctx: Ctx, input: AuditInput): Promise<void> {
  const actor = ctx.actor;
  await AuditEntry.query(ctx.kernel.pool.control).insert({
    actorType: actor.type,
    actorId: 'id' in actor ? actor.id : actor.type === 'system' ? actor.name : null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    tenantId: input.tenantId ?? null,
    before: (input.before ?? null) as never,
    after: (input.after ?? null) as never,
    requestId: ctx.requestId,
  });
}

export async function listAudit(ctx: Ctx, opts: { limit: number; cursor?: string; tenantId?: string; action?: string }) {
  const q = AuditEntry.query(ctx.kernel.pool.control);
  if (opts.tenantId) q.where('tenant_id', opts.tenantId);
  if (opts.action) q.where('action', opts.action);
  return pageByIdDesc(q, 'id', opts.limit, opts.cursor);
}
