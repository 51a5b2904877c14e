// Ctx travels as the first argument of every service function: tenant, actor, language,
// currency and the database handle (knex or an open transaction) are always visible.
import type { Logger } from 'pino';
import type { TFunction } from 'i18next';
import type { Knex } from './db/knex.js';
import type { Kernel } from './kernel.js';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  /** `pending`: provisioned, not open yet (onboarding activates it); answers like a suspended one. `terminated`: closed for good. */
  status: 'active' | 'suspended' | 'pending' | 'terminated';
  defaultLocale: string;
  defaultCurrency: string;
  currencies: string[];
  placement: string;
  /** Set while `bazaar tenant:move` copies the store to this placement: the store is read-only. */
  movingTo?: string | null;
  taxMode: 'inclusive' | 'exclusive';
  /** Tax rate in basis points (2000 = 20%). */
  taxRateBp: number;
  /** How tax is rounded (requirement 4): per line then summed, or once on the total; half-even or half-up. */
  taxRounding: { per: 'line' | 'total'; mode: 'halfEven' | 'halfUp' };
  settings: Record<string, unknown>;
}

export type Actor =
  | { type: 'anonymous' }
  | { type: 'customer'; id: string; tenantId: string }
  | { type: 'staff'; id: string; tenantId: string; role: string; permissions: ReadonlySet<string> }
  | { type: 'apiKey'; id: string; tenantId: string; permissions: ReadonlySet<string> }
  | { type: 'platform'; id: string }
  /** A principal of a platform plugin's own (an onboarding applicant), known only on its paths. */
  | { type: 'principal'; plugin: string; kind: string; id: string }
  | { type: 'system'; name: string };

export interface Ctx {
  readonly kernel: Kernel;
  readonly tenant: Tenant | null;
  readonly actor: Actor;
  readonly locale: string;
  /** Where content falls back after the locale's own language and before the store default (a market's language). */
  readonly fallbackLocales?: readonly string[];
  readonly currency: string;
  readonly t: TFunction;
  readonly db: Knex;
  readonly log: Logger;
  readonly requestId: string;
}

export interface TenantCtx extends Ctx {
  readonly tenant: Tenant;
}

export const ANONYMOUS: Actor = Object.freeze({ type: 'anonymous' });

/** A ctx for work outside a request: CLI, worker jobs, seeds. The worker rebuilds one per job. */
export function createSystemCtx(kernel: Kernel, tenant: Tenant | null, opts: { actor?: Actor; requestId?: string; locale?: string } = {}): Ctx {
  const locale = opts.locale ?? tenant?.defaultLocale ?? 'en';
  return {
    kernel,
    tenant,
    actor: opts.actor ?? { type: 'system', name: 'system' },
    locale,
    currency: tenant?.defaultCurrency ?? 'USD',
    t: kernel.i18n.getFixedT(locale),
    db: tenant ? kernel.pool.forTenant(tenant) : kernel.pool.control,
    log: kernel.log.child({ tenant: tenant?.slug, requestId: opts.requestId }),
    requestId: opts.requestId ?? 'system',
  };
}

export function requireTenant(ctx: Ctx): TenantCtx {
  if (!ctx.tenant) throw new Error('this operation needs a tenant ctx');
  return ctx as TenantCtx;
}

/** Runs fn with ctx bound to one transaction; nested calls reuse the open one. */
export async function withTransaction<C extends Ctx, T>(ctx: C, fn: (trx: C) => Promise<T>): Promise<T> {
  if ((ctx.db as Knex.Transaction).isTransaction) return fn(ctx);
  return ctx.db.transaction((trx) => fn({ ...ctx, db: trx }));
}
