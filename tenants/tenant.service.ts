// The tenant registry: create (provision), read, change, suspend and resume stores. Every act
// of a platform admin on a tenant is audited with before and after.
import type { Ctx, Tenant } from '../core/context.js';
import { createSystemCtx, requireTenant } from '../core/context.js';
import { ConflictError, InvalidError, NotFoundError, isUniqueViolation } from '../core/errors.js';
import { recordAudit } from '../core/audit/audit.service.js';
import { pageByIdDesc } from '../core/http/pagination.js';
import { createStaff } from '../core/users/staff.service.js';
import { openOrderCount } from '../core/orders/plugin.services.js';
import { TenantRecord, TenantDomain } from './tenant.model.js';

export const RESERVED_SLUGS = new Set(['www', 'admin', 'api', 'platform', 'app', 'static', 'docs', 'mail', 'status']);

export interface ProvisionInput {
  slug: string;
  name: string;
  defaultLocale?: string;
  defaultCurrency?: string;
  currencies?: string[];
  domains?: string[];
  placement?: string;
  taxMode?: 'inclusive' | 'exclusive';
  taxRateBp?: number;
  taxRounding?: Partial<Tenant['taxRounding']>;
  owner: { email: string; name: string; password?: string };
  /** `pending`: provisioned but not open until activated (merchant onboarding); default `active`. */
  status?: 'active' | 'pending';
}

export interface TenantView extends Tenant {
  domains: string[];
  createdAt: string;
  updatedAt: string;
}

function field(pointer: string, code: string, message: string) {
  return [{ in: 'body', pointer, code, message }];
}

async function view(ctx: Ctx, record: TenantRecord): Promise<TenantView> {
  const domains = await TenantDomain.query(ctx.kernel.pool.control).where('tenant_id', record.id).orderBy('domain');
  return { ...record.toTenant(), domains: domains.map((d) => d.domain), createdAt: record.createdAt, updatedAt: record.updatedAt };
}

function checkCurrencies(defaultCurrency: string, currencies: string[]): void {
  if (!currencies.includes(defaultCurrency)) {
    throw new InvalidError('VALIDATION_FAILED', 'The default currency must be one of the store currencies', { errors: field('/defaultCurrency', 'not_in_currencies', 'body.defaultCurrency must be listed in body.currencies') });
  }
}

/** Creates the tenant, its domains and its owner account; the store is usable when this returns. */
export async function provisionTenant(ctx: Ctx, input: ProvisionInput): Promise<TenantView> {
  if (RESERVED_SLUGS.has(input.slug)) throw new InvalidError('SLUG_RESERVED', `The slug "${input.slug}" is reserved`, { errors: field('/slug', 'reserved', 'body.slug is reserved') });
  const placement = input.placement ?? 'default';
  if (!ctx.kernel.pool.has(placement)) throw new InvalidError('UNKNOWN_PLACEMENT', `No database is configured for placement "${placement}"`, { errors: field('/placement', 'unknown', 'body.placement names no configured database') });
  const defaultCurrency = input.defaultCurrency ?? 'USD';
  const currencies = input.currencies ?? [defaultCurrency];
  checkCurrencies(defaultCurrency, currencies);
  const control = ctx.kernel.pool.control;
  let record: TenantRecord;
  try {
    record = await control.transaction(async (trx) => {
      const created = await TenantRecord.query(trx).insert({
        slug: input.slug,
        name: input.name,
        status: input.status ?? 'active',
        defaultLocale: input.defaultLocale ?? 'en',
        defaultCurrency,
        currencies,
        placement,
        taxMode: input.taxMode ?? 'exclusive',
        taxRateBp: input.taxRateBp ?? 0,
        taxRoundingPer: input.taxRounding?.per ?? 'line',
        taxRoundingMode: input.taxRounding?.mode ?? 'halfEven',
        settings: {},
      });
      for (const domain of input.domains ?? []) {
        await TenantDomain.query(trx).insert({ domain: domain.toLowerCase(), tenantId: created.id, createdAt: new Date().toISOString() });
      }
      return created;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('TENANT_EXISTS', 'A store with this slug or domain exists', { errors: field('/slug', 'taken', 'body.slug or one of body.domains is taken') });
    throw err;
  }
  const tenant = record.toTenant();
  try {
    const tctx = requireTenant(createSystemCtx(ctx.kernel, tenant, { requestId: ctx.requestId }));
    // Provisioning acts as the platform: it may create the first owner.
    await createStaff({ ...tctx, actor: { type: 'staff', id: 'provisioning', tenantId: tenant.id, role: 'owner', permissions: new Set(['*']) } }, { ...input.owner, role: 'owner' });
  } catch (err) {
    await control.transaction(async (trx) => {
      await TenantDomain.query(trx).delete().where('tenant_id', tenant.id);
      await TenantRecord.query(trx).deleteById(tenant.id);
    });
    throw err;
  }
  const out = await view(ctx, record);
  await recordAudit(ctx, { action: 'tenant.created', targetType: 'tenant', targetId: tenant.id, tenantId: tenant.id, before: null, after: { ...out, owner: { email: input.owner.email } } });
  return out;
}

export async function getTenant(ctx: Ctx, id: string): Promise<TenantView> {
  const record = await TenantRecord.query(ctx.kernel.pool.control).findById(id);
  if (!record) throw new NotFoundError('TENANT_NOT_FOUND', 'No such tenant');
  return view(ctx, record);
}

export async function listTenants(ctx: Ctx, opts: { limit: number; cursor?: string; status?: string; q?: string }) {
  const q = TenantRecord.query(ctx.kernel.pool.control);
  if (opts.status) q.where('status', opts.status);
  if (opts.q) q.where((b) => b.where('slug', 'like', `%${opts.q}%`).orWhere('name', 'like', `%${opts.q}%`));
  const page = await pageByIdDesc(q, 'id', opts.limit, opts.cursor);
  return { items: await Promise.all(page.items.map((r) => view(ctx, r))), nextCursor: page.nextCursor };
}

export interface TenantPatch {
  name?: string;
  defaultLocale?: string;
  defaultCurrency?: string;
  currencies?: string[];
  domains?: string[];
  taxMode?: 'inclusive' | 'exclusive';
  taxRateBp?: number;
  taxRounding?: Partial<Tenant['taxRounding']>;
}

export async function updateTenant(ctx: Ctx, id: string, patch: TenantPatch, audit = true): Promise<TenantView> {
  const before = await getTenant(ctx, id);
  const { domains, taxRounding, ...rest } = patch;
  const fields: Partial<TenantRecord> = { ...rest };
  if (taxRounding?.per) fields.taxRoundingPer = taxRounding.per;
  if (taxRounding?.mode) fields.taxRoundingMode = taxRounding.mode;
  checkCurrencies(fields.defaultCurrency ?? before.defaultCurrency, fields.currencies ?? before.currencies);
  try {
    await ctx.kernel.pool.control.transaction(async (trx) => {
      if (Object.keys(fields).length) await TenantRecord.query(trx).patch(fields).where('id', id);
      if (domains) {
        await TenantDomain.query(trx).delete().where('tenant_id', id);
        for (const domain of domains) await TenantDomain.query(trx).insert({ domain: domain.toLowerCase(), tenantId: id, createdAt: new Date().toISOString() });
      }
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('DOMAIN_TAKEN', 'A domain is used by another store', { errors: field('/domains', 'taken', 'body.domains has a domain of another store') });
    throw err;
  }
  await ctx.kernel.tenants.invalidate(before);
  const after = await getTenant(ctx, id);
  if (audit) await recordAudit(ctx, { action: 'tenant.updated', targetType: 'tenant', targetId: id, tenantId: id, before, after });
  return after;
}

/**
 * Close a store for good (a platform admin, or merchant onboarding through `tenants:provision`):
 * refused while it holds open orders or returns; a reason is recorded; nothing changes its
 * status afterwards (TENANT_TERMINATED), and its APIs answer TENANT_TERMINATED.
 */
export async function terminateTenant(ctx: Ctx, id: string, reason: string): Promise<TenantView> {
  const before = await getTenant(ctx, id);
  if (before.status === 'terminated') return before;
  const open = await openOrderCount(ctx, id);
  if (open.orders || open.returns) throw new ConflictError('TENANT_HAS_OPEN_ORDERS', 'The store still has open orders or returns', { extra: { openOrders: open.orders, openReturns: open.returns } });
  return setTenantStatus(ctx, id, 'terminated', reason);
}

/** A suspended store answers a clear problem on its store and admin surfaces; its data stays. A terminated one stays terminated. */
export async function setTenantStatus(ctx: Ctx, id: string, status: 'active' | 'suspended' | 'terminated', reason?: string): Promise<TenantView> {
  const before = await getTenant(ctx, id);
  if (before.status === status) return before;
  if (before.status === 'terminated') throw new ConflictError('TENANT_TERMINATED', 'A terminated store cannot change its status', { extra: { status: before.status } });
  const n = await TenantRecord.query(ctx.kernel.pool.control).patch({ status }).where('id', id).where('status', before.status);
  if (n !== 1) throw new ConflictError('TENANT_STATUS_CHANGED', 'The store changed status meanwhile; read it again', { extra: { status } });
  await ctx.kernel.tenants.invalidate(before);
  const after = await getTenant(ctx, id);
  const action = status === 'terminated' ? 'tenant.terminated' : status === 'suspended' ? 'tenant.suspended' : before.status === 'pending' ? 'tenant.activated' : 'tenant.resumed';
  await recordAudit(ctx, { action, targetType: 'tenant', targetId: id, tenantId: id, before: { status: before.status }, after: { status, reason: reason ?? null } });
  return after;
}
