// The publish gate: before a product becomes visible to shoppers (status `active`), plugins may
// veto with a coded reason (merchant onboarding's quality gate holds a new store's products for
// platform review). A handler that fails or runs late vetoes too: a gate fails closed. And the
// platform permission `catalog:publish`, with which a platform plugin publishes a product it
// approved (through the same gate, which then lets it pass).
import { createSystemCtx, requireTenant, type Ctx, type TenantCtx } from '../context.js';
import { AppError, NotFoundError } from '../errors.js';
import { registerPluginService } from '../plugins/services.js';

export interface PublishCheckInput {
  /** null while the product is being created with status `active` (it has no id yet). */
  productId: string | null;
}

export interface PublishDecision {
  allow: boolean;
  /** A stable code (`REVIEW_PENDING`) and a message for the merchant, when vetoed. */
  code?: string;
  message?: string;
}

declare module '../extensions.js' {
  interface HookMap {
    'catalog.beforePublish': { input: PublishCheckInput; output: PublishDecision };
  }
}

/** Throws 409 PUBLISH_VETOED, listing each veto with its source and code, unless every handler allows. */
export async function checkPublish(ctx: TenantCtx, productId: string | null): Promise<void> {
  const outcomes = await ctx.kernel.extensions.runHook(ctx, 'catalog.beforePublish', { productId });
  const reasons = outcomes
    .filter((o) => !o.ok || !o.value?.allow)
    .map((o) => (o.ok ? { source: o.source, code: o.value?.code ?? 'VETOED', message: o.value?.message ?? '' } : { source: o.source, code: 'REVIEW_UNAVAILABLE', message: 'The review could not be checked; try again' }));
  if (reasons.length) {
    throw new AppError(409, 'PUBLISH_VETOED', `The product cannot be published: ${reasons.map((r) => r.code).join(', ')}`, { extra: { reasons } });
  }
}

/** Platform permission `catalog:publish`. */
export interface CatalogPublishService {
  /** Sets a product of the store active, through the publish gate (so the caller's own hook must allow it). */
  publish(ctx: Ctx, tenantId: string, productId: string): Promise<{ id: string; status: string }>;
}

declare module '../plugins/types.js' {
  interface PluginServices {
    'catalog:publish': CatalogPublishService;
  }
}

registerPluginService('catalog:publish', {
  scopes: ['platform'],
  create: () => ({
    async publish(ctx, tenantId, productId) {
      const tenant = await ctx.kernel.tenants.byId(tenantId);
      if (!tenant) throw new NotFoundError('TENANT_NOT_FOUND', 'No such store');
      const tctx = requireTenant(createSystemCtx(ctx.kernel, tenant, { actor: ctx.actor, requestId: ctx.requestId }));
      const { updateProduct } = await import('./product.service.js');
      const p = await updateProduct(tctx, productId, { status: 'active' });
      return { id: p.id, status: p.status };
    },
  }),
});
