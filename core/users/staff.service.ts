// Tenant staff: who works on a store and in which role. Only an owner makes or unmakes owners,
// and a store always keeps at least one active owner.
import { withTransaction, type TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { ConflictError, ForbiddenError, NotFoundError, isUniqueViolation } from '../errors.js';
import { pageByIdDesc } from '../http/pagination.js';
import { Staff, Session } from './user.model.js';
import { hashPassword } from './password.js';
import { normalizeEmail, requestPasswordReset } from './auth.service.js';
import crypto from 'node:crypto';

function callerRole(ctx: TenantCtx): string | null {
  return ctx.actor.type === 'staff' ? ctx.actor.role : null;
}

function assertMayTouchOwners(ctx: TenantCtx, ...roles: (string | undefined)[]): void {
  if (roles.includes('owner') && callerRole(ctx) !== 'owner') {
    throw new ForbiddenError('OWNER_ONLY', 'Only an owner may grant, change or remove the owner role');
  }
}

export async function createStaff(ctx: TenantCtx, input: { email: string; name: string; role: string; password?: string }): Promise<Staff> {
  assertMayTouchOwners(ctx, input.role);
  const email = normalizeEmail(input.email);
  // Without a password, the new member sets one through the emailed reset link.
  const passwordHash = await hashPassword(input.password ?? crypto.randomBytes(24).toString('base64url'), ctx.kernel.config.passwordCost);
  let staff: Staff;
  try {
    staff = await scoped(ctx, Staff).insert({ email, name: input.name, role: input.role, status: 'active', passwordHash });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('EMAIL_TAKEN', 'A staff member with this email exists', { errors: [{ in: 'body', pointer: '/email', code: 'taken', message: 'body.email is already a staff member' }] });
    throw err;
  }
  if (!input.password) await requestPasswordReset(ctx, 'staff', email);
  return staff;
}

export async function getStaff(ctx: TenantCtx, id: string): Promise<Staff> {
  const staff = await scoped(ctx, Staff).findById(id);
  if (!staff) throw new NotFoundError('STAFF_NOT_FOUND', 'No such staff member');
  return staff;
}

export async function listStaff(ctx: TenantCtx, opts: { limit: number; cursor?: string; role?: string }) {
  const q = scoped(ctx, Staff);
  if (opts.role) q.where('role', opts.role);
  return pageByIdDesc(q, 'id', opts.limit, opts.cursor);
}

/**
 * Inside the caller's transaction: the store's active owners are read FOR UPDATE, so two owners
 * demoting or removing each other at once cannot both see the other one as the owner who stays.
 */
async function assertOwnerRemains(ctx: TenantCtx, leaving: Staff): Promise<void> {
  if (leaving.role !== 'owner' || leaving.status !== 'active') return;
  const owners = (await scoped(ctx, Staff).where({ role: 'owner', status: 'active' }).select('id').forUpdate()) as Staff[];
  if (!owners.some((o) => o.id !== leaving.id)) throw new ConflictError('LAST_OWNER', 'A store must keep at least one active owner');
}

export async function updateStaff(ctx: TenantCtx, id: string, patch: { name?: string; role?: string; status?: 'active' | 'disabled' }): Promise<Staff> {
  const staff = await getStaff(ctx, id);
  assertMayTouchOwners(ctx, patch.role, patch.role !== undefined || patch.status !== undefined ? staff.role : undefined);
  await withTransaction(ctx, async (trx) => {
    if ((patch.role && patch.role !== 'owner') || patch.status === 'disabled') await assertOwnerRemains(trx, staff);
    await scoped(trx, Staff).patch(patch).where('id', id);
    if (patch.status === 'disabled') await scoped(trx, Session).delete().where({ subject_type: 'staff', subject_id: id });
  });
  return getStaff(ctx, id);
}

export async function removeStaff(ctx: TenantCtx, id: string): Promise<void> {
  const staff = await getStaff(ctx, id);
  assertMayTouchOwners(ctx, staff.role);
  await withTransaction(ctx, async (trx) => {
    await assertOwnerRemains(trx, staff);
    await scoped(trx, Session).delete().where({ subject_type: 'staff', subject_id: id });
    await scoped(trx, Staff).delete().where('id', id);
  });
}
