// Platform admins managed by platform admins: list, add (with a first password, handed over out
// of band: the platform has no mailbox of its own for them), remove. Every change is audited,
// and the last admin cannot be removed, even by two removals racing each other.
import type { Ctx } from '../context.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { pageByIdDesc } from '../http/pagination.js';
import { recordAudit } from '../audit/audit.service.js';
import { createPlatformAdmin } from './auth.service.js';
import { PlatformAdmin, PlatformSession } from './user.model.js';

export const platformAdminView = (a: PlatformAdmin) => ({ id: a.id, email: a.email, name: a.name, createdAt: a.createdAt });

export async function listPlatformAdmins(ctx: Ctx, opts: { limit: number; cursor?: string }) {
  const res = await pageByIdDesc(PlatformAdmin.query(ctx.kernel.pool.control), 'id', opts.limit, opts.cursor);
  return { items: res.items.map(platformAdminView), nextCursor: res.nextCursor };
}

export async function addPlatformAdmin(ctx: Ctx, input: { email: string; name: string; password: string }) {
  const admin = await createPlatformAdmin(ctx.kernel, input);
  const view = platformAdminView(admin);
  await recordAudit(ctx, { action: 'platform_admin.added', targetType: 'platform_admin', targetId: admin.id, after: { email: view.email, name: view.name } });
  return view;
}

export async function removePlatformAdmin(ctx: Ctx, id: string): Promise<void> {
  const removed = await ctx.kernel.pool.control.transaction(async (trx) => {
    // Every admin row locked: a concurrent removal waits here and then counts what is left.
    const all = await PlatformAdmin.query(trx).select('id', 'email', 'name').forUpdate();
    const admin = all.find((a) => a.id === id);
    if (!admin) throw new NotFoundError('PLATFORM_ADMIN_NOT_FOUND', 'No platform admin with this id');
    if (all.length <= 1) throw new ConflictError('LAST_PLATFORM_ADMIN', 'The last platform admin cannot be removed; add another one first');
    await PlatformSession.query(trx).delete().where('admin_id', id);
    await PlatformAdmin.query(trx).deleteById(id);
    return admin;
  });
  await recordAudit(ctx, { action: 'platform_admin.removed', targetType: 'platform_admin', targetId: id, before: { email: removed.email, name: removed.name } });
}
