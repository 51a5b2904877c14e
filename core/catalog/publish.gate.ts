// The publish gate: before a product becomes visible to shoppers (status `active`), plugins may
// veto with a coded reason (merchant onboarding's quality gate holds a new store's products for
// platform review). A handler that fails or runs late vetoes too: a gate fails closed. And the
// platform permission `catalog:publish`, with which a platform plugin publishes a product it
// approved (through the same gate, which then lets it pass).
import { createSystemCtx, requireTenant, withTransaction, type Ctx, type TenantCtx } from '../context.js';
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

/**
 * A change to what a live product sells (Mercur's VARIANT_ADD / VARIANT_UPDATE; a price is part of
 * its variant): a new variant, new option values, a new or changed price in a currency. Stock
 * counts, a variant's SKU, position or parcel size alone, taking a variant or a price off sale are
 * not here: they are operational and go through at once.
 */
export type VariantEditAction =
  | { type: 'variant_add'; variant: { sku: string; options?: Record<string, string>; position?: number; prices?: { currency: string; amount: number; compareAtAmount?: number | null }[]; stock?: number; shipping?: Record<string, unknown> } }
  | { type: 'variant_update'; variantId: string; patch: { sku?: string; options?: Record<string, string>; position?: number; shipping?: Record<string, unknown> } }
  | { type: 'price_set'; variantId: string; currency: string; amount: number; compareAtAmount?: number | null; previousAmount: number | null };

/** The content an edit of a product changes (what `PATCH /admin/v1/products/:id` takes), and its variant changes in order. */
export interface ProductEditPatch {
  status?: string;
  translations?: Record<string, { name?: string; description?: string; slug?: string } | null>;
  attributes?: Record<string, unknown>;
  images?: { url: string; alt?: string }[];
  categoryIds?: string[];
  variants?: VariantEditAction[];
}

export interface EditCheckInput {
  /** A product shoppers can see (status `active`) whose content the edit changes. */
  productId: string;
  patch: ProductEditPatch;
}

/**
 * `allow`: the edit goes through now. `hold`: the handler took the edit as a change request
 * (`changeId`) to review; the live product stays as it is, the caller answers 202. Neither: vetoed.
 */
export interface EditDecision {
  allow: boolean;
  hold?: boolean;
  changeId?: string;
  code?: string;
  message?: string;
}

export interface HeldEdit {
  source: string;
  changeId: string | null;
  code: string;
  message: string;
}

declare module '../extensions.js' {
  interface HookMap {
    'catalog.beforePublish': { input: PublishCheckInput; output: PublishDecision };
    'catalog.beforeEdit': { input: EditCheckInput; output: EditDecision };
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

/**
 * Asks `catalog.beforeEdit` about an edit of a live product's content. Returns the holds (the
 * edit became a change request somewhere, and must not be applied now); throws 409 EDIT_VETOED
 * when a handler refuses, fails or runs late (fails closed, as the publish gate).
 */
export async function checkEdit(ctx: TenantCtx, productId: string, patch: ProductEditPatch): Promise<HeldEdit[]> {
  const outcomes = await ctx.kernel.extensions.runHook(ctx, 'catalog.beforeEdit', { productId, patch });
  const vetoes = outcomes
    .filter((o) => !o.ok || (!o.value?.allow && !o.value?.hold))
    .map((o) => (o.ok ? { source: o.source, code: o.value?.code ?? 'VETOED', message: o.value?.message ?? '' } : { source: o.source, code: 'REVIEW_UNAVAILABLE', message: 'The review could not be checked; try again' }));
  if (vetoes.length) throw new AppError(409, 'EDIT_VETOED', `The change cannot be made: ${vetoes.map((r) => r.code).join(', ')}`, { extra: { reasons: vetoes } });
  return outcomes.filter((o) => o.ok && o.value?.hold).map((o) => ({ source: o.source, changeId: (o.ok && o.value?.changeId) || null, code: (o.ok && o.value?.code) || 'CHANGE_HELD', message: (o.ok && o.value?.message) || '' }));
}

/** Platform permission `catalog:publish`. */
export interface CatalogPublishService {
  /** Sets a product of the store active, through the publish gate (so the caller's own hook must allow it). */
  publish(ctx: Ctx, tenantId: string, productId: string): Promise<{ id: string; status: string }>;
  /** Applies a reviewed edit (a change request the caller confirmed) in one transaction, without asking `catalog.beforeEdit` again. */
  applyEdit(ctx: Ctx, tenantId: string, productId: string, patch: ProductEditPatch): Promise<{ id: string; status: string }>;
}

declare module '../plugins/types.js' {
  interface PluginServices {
    'catalog:publish': CatalogPublishService;
  }
}

registerPluginService('catalog:publish', {
  scopes: ['platform'],
  create: () => {
    const storeCtx = async (ctx: Ctx, tenantId: string) => {
      const tenant = await ctx.kernel.tenants.byId(tenantId);
      if (!tenant) throw new NotFoundError('TENANT_NOT_FOUND', 'No such store');
      return requireTenant(createSystemCtx(ctx.kernel, tenant, { actor: ctx.actor, requestId: ctx.requestId }));
    };
    return {
      async publish(ctx, tenantId, productId) {
        const { updateProduct } = await import('./product.service.js');
        const p = await updateProduct(await storeCtx(ctx, tenantId), productId, { status: 'active' });
        return { id: p.id, status: p.status };
      },
      async applyEdit(ctx, tenantId, productId, patch) {
        const { updateProduct, getProduct } = await import('./product.service.js');
        const { applyVariantActions } = await import('./variant.service.js');
        const { invalidateCatalog } = await import('./catalog.cache.js');
        const store = await storeCtx(ctx, tenantId);
        const { variants, ...content } = patch;
        await withTransaction(store, async (trx) => {
          if (Object.keys(content).length) await updateProduct(trx, productId, content as Parameters<typeof updateProduct>[2]);
          if (variants?.length) await applyVariantActions(trx, productId, variants);
        });
        // Readers between the writes and the commit may have cached the old product again.
        await invalidateCatalog(store);
        const p = await getProduct(store, productId);
        return { id: p.id, status: p.status };
      },
    };
  },
});
