// Sign-in, sign-out, password change and reset for staff, customers and platform admins.
import type { Ctx, TenantCtx, Actor, Tenant } from '../context.js';
import type { Kernel } from '../kernel.js';
import { scoped } from '../db/model.js';
import { ConflictError, InvalidError, UnauthorizedError, isUniqueViolation } from '../errors.js';
import { Customer, PasswordReset, PlatformAdmin, PlatformSession, Session, Staff, ApiKey } from './user.model.js';
import { hashPassword, verifyPassword, burnPasswordCheck } from './password.js';
import { issueToken, parseToken, hashToken } from './tokens.js';
import { beginLoginAttempt, loginSucceeded } from './throttle.js';
import { permissionsFor } from './roles.js';

export type Subject = 'staff' | 'customer';
const MODEL = { staff: Staff, customer: Customer } as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function expiry(kernel: Kernel): Date {
  return new Date(Date.now() + kernel.config.sessionTtlHours * 3600_000);
}

function invalidCredentials(): UnauthorizedError {
  return new UnauthorizedError('INVALID_CREDENTIALS', 'The email or password is not right');
}

export interface IssuedSession {
  token: string;
  expiresAt: string;
}

async function startSession(ctx: TenantCtx, subject: Subject, subjectId: string): Promise<IssuedSession> {
  const { token, hash } = issueToken('session', ctx.tenant.id);
  const expiresAt = expiry(ctx.kernel);
  await scoped(ctx, Session).insert({ tokenHash: hash, subjectType: subject, subjectId, expiresAt: expiresAt.toISOString(), createdAt: new Date().toISOString() });
  return { token, expiresAt: expiresAt.toISOString() };
}

/** Same answer for an unknown email and a wrong password; failures are throttled. */
export async function login(ctx: TenantCtx, subject: Subject, emailIn: string, password: string, ip: string): Promise<IssuedSession & { id: string }> {
  const email = normalizeEmail(emailIn);
  const scope = `${ctx.tenant.id}:${subject}`;
  const attempt = await beginLoginAttempt(ctx.kernel, scope, email, ip);
  const user = await scoped(ctx, MODEL[subject]).where('email', email).first();
  const ok = user ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password, ctx.kernel.config.passwordCost), false);
  if (!user || !ok || (user instanceof Staff && user.status !== 'active')) {
    throw invalidCredentials();
  }
  await loginSucceeded(ctx.kernel, attempt);
  return { id: user.id, ...(await startSession(ctx, subject, user.id)) };
}

export async function signUpCustomer(ctx: TenantCtx, input: { email: string; password: string; name: string }): Promise<{ customer: Customer } & IssuedSession> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password, ctx.kernel.config.passwordCost);
  let customer: Customer;
  try {
    customer = await scoped(ctx, Customer).insert({ email, name: input.name, passwordHash, locale: ctx.locale });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('EMAIL_TAKEN', 'An account with this email already exists at this store', { errors: [{ in: 'body', pointer: '/email', code: 'taken', message: 'body.email is already registered' }] });
    throw err;
  }
  return { customer, ...(await startSession(ctx, 'customer', customer.id)) };
}

export async function logout(ctx: TenantCtx | Ctx, token: string): Promise<void> {
  const parsed = parseToken(token);
  if (!parsed) return;
  if (parsed.kind === 'platform') await PlatformSession.query(ctx.kernel.pool.control).delete().where('token_hash', parsed.hash);
  else if (parsed.kind === 'session' && ctx.tenant) await scoped(ctx, Session).delete().where('token_hash', parsed.hash);
}

export async function changePassword(ctx: TenantCtx, subject: Subject, id: string, current: string, next: string): Promise<void> {
  const user = await scoped(ctx, MODEL[subject]).findById(id);
  if (!user || !(await verifyPassword(current, user.passwordHash))) {
    throw new InvalidError('WRONG_PASSWORD', 'The current password is not right', { errors: [{ in: 'body', pointer: '/currentPassword', code: 'wrong', message: 'body.currentPassword is not right' }] });
  }
  await setPassword(ctx, subject, id, next);
}

async function setPassword(ctx: TenantCtx, subject: Subject, id: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password, ctx.kernel.config.passwordCost);
  await scoped(ctx, MODEL[subject]).patch(subject === 'customer' ? { passwordHash, credentialsChangedAt: new Date().toISOString() } : { passwordHash }).where('id', id);
  // A new password ends every other session of that account.
  await scoped(ctx, Session).delete().where({ subject_type: subject, subject_id: id });
}

/** Always answers the same; if the account exists, a single-use token goes out by mail. */
export async function requestPasswordReset(ctx: TenantCtx, subject: Subject, emailIn: string): Promise<void> {
  const email = normalizeEmail(emailIn);
  const user = await scoped(ctx, MODEL[subject]).where('email', email).first();
  if (!user) return;
  const { token, hash } = issueToken('session', ctx.tenant.id);
  const ttl = ctx.kernel.config.passwordResetTtlMinutes;
  await scoped(ctx, PasswordReset).insert({
    tokenHash: hash,
    subjectType: subject,
    subjectId: user.id,
    expiresAt: new Date(Date.now() + ttl * 60_000).toISOString(),
    usedAt: null,
    createdAt: new Date().toISOString(),
  });
  const t = ctx.kernel.i18n.getFixedT(ctx.locale);
  await sendMail(ctx, {
    to: email,
    subject: t('common:passwordReset.subject', { store: ctx.tenant.name }),
    text: t('common:passwordReset.body', { store: ctx.tenant.name, token, minutes: ttl }),
  });
}

export async function confirmPasswordReset(ctx: TenantCtx, token: string, password: string): Promise<void> {
  const parsed = parseToken(token);
  const invalid = () => new InvalidError('RESET_TOKEN_INVALID', 'The reset token is invalid, used or expired', { errors: [{ in: 'body', pointer: '/token', code: 'invalid', message: 'body.token is invalid, used or expired' }] });
  if (!parsed || parsed.tenantId !== ctx.tenant.id) throw invalid();
  const now = new Date().toISOString();
  const reset = await scoped(ctx, PasswordReset).where('token_hash', parsed.hash).first();
  if (!reset || reset.usedAt || reset.expiresAt <= now) throw invalid();
  // Single use even under a race: only the request that flips used_at goes on.
  const flipped = await scoped(ctx, PasswordReset).patch({ usedAt: now }).where('token_hash', parsed.hash).whereNull('used_at');
  if (flipped !== 1) throw invalid();
  await setPassword(ctx, reset.subjectType, reset.subjectId, password);
}

export async function sendMail(ctx: Ctx, message: { to: string; subject: string; text: string }): Promise<void> {
  await ctx.kernel.queue.add('notification.send', { tenantId: ctx.tenant?.id ?? null, requestId: ctx.requestId, message }, { attempts: 5, backoffMs: 2000 });
}

// ---- platform admins -------------------------------------------------------------------

export async function loginPlatform(kernel: Kernel, emailIn: string, password: string, ip: string): Promise<IssuedSession & { id: string }> {
  const email = normalizeEmail(emailIn);
  const attempt = await beginLoginAttempt(kernel, 'platform', email, ip);
  const admin = await PlatformAdmin.query(kernel.pool.control).where('email', email).first();
  const ok = admin ? await verifyPassword(password, admin.passwordHash) : (await burnPasswordCheck(password, kernel.config.passwordCost), false);
  if (!admin || !ok) {
    throw invalidCredentials();
  }
  await loginSucceeded(kernel, attempt);
  const { token, hash } = issueToken('platform', null);
  const expiresAt = expiry(kernel);
  await PlatformSession.query(kernel.pool.control).insert({ tokenHash: hash, adminId: admin.id, expiresAt: expiresAt.toISOString(), createdAt: new Date().toISOString() });
  return { id: admin.id, token, expiresAt: expiresAt.toISOString() };
}

export async function createPlatformAdmin(kernel: Kernel, input: { email: string; password: string; name: string }): Promise<PlatformAdmin> {
  const passwordHash = await hashPassword(input.password, kernel.config.passwordCost);
  try {
    return await PlatformAdmin.query(kernel.pool.control).insert({ email: normalizeEmail(input.email), name: input.name, passwordHash });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('EMAIL_TAKEN', 'A platform admin with this email exists');
    throw err;
  }
}

// ---- resolving a bearer token to an actor ----------------------------------------------

/**
 * Turns a bearer token into an actor. `tenant` is the request's tenant: a tenant token is only
 * good at its own tenant. An unknown, expired or foreign token is a 401.
 */
export async function resolveActor(kernel: Kernel, tenant: Tenant | null, token: string): Promise<Actor> {
  const parsed = parseToken(token);
  const invalid = new UnauthorizedError('INVALID_TOKEN', 'The token is invalid or expired');
  if (!parsed) throw invalid;
  const now = new Date().toISOString();
  if (parsed.kind === 'platform') {
    const session = await PlatformSession.query(kernel.pool.control).findById(parsed.hash);
    if (!session || session.expiresAt <= now) throw invalid;
    return { type: 'platform', id: session.adminId };
  }
  if (!tenant || tenant.id !== parsed.tenantId) throw invalid;
  const sctx = { tenant, db: kernel.pool.forTenant(tenant) };
  if (parsed.kind === 'apiKey') {
    const key = await scoped(sctx, ApiKey).where('key_hash', parsed.hash).first();
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw invalid;
    if (!key.lastUsedAt || Date.parse(key.lastUsedAt) < Date.now() - 60_000) {
      await scoped(sctx, ApiKey).patch({ lastUsedAt: now }).where('id', key.id);
    }
    return { type: 'apiKey', id: key.id, tenantId: tenant.id, permissions: new Set(key.scopes) };
  }
  const session = await scoped(sctx, Session).where('token_hash', parsed.hash).first();
  if (!session || session.expiresAt <= now) throw invalid;
  if (session.subjectType === 'customer') return { type: 'customer', id: session.subjectId, tenantId: tenant.id };
  const staff = await scoped(sctx, Staff).findById(session.subjectId);
  if (!staff || staff.status !== 'active') throw invalid;
  return { type: 'staff', id: staff.id, tenantId: tenant.id, role: staff.role, permissions: permissionsFor(staff.role) };
}

export { hashToken };

export async function getPlatformAdmin(kernel: Kernel, id: string): Promise<PlatformAdmin> {
  const admin = await PlatformAdmin.query(kernel.pool.control).findById(id);
  if (!admin) throw new UnauthorizedError('INVALID_TOKEN', 'The token is invalid or expired');
  return admin;
}
