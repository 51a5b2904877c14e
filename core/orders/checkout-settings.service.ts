// Per-tenant checkout settings: the flat shipping rate and the offline payment methods. A store
// that never touched them gets free standard shipping and both offline methods, so it can take
// orders on day one.
import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { InvalidError } from '../errors.js';
import { isCurrency } from '../money/currencies.js';
import { CheckoutSettingsRow } from './order.model.js';

export interface FlatRateSettings {
  enabled: boolean;
  label: string;
  /** Price per currency in minor units; a currency not listed ships free. */
  amounts: Record<string, number>;
  /** Free shipping from this subtotal per currency, minor units. */
  freeAbove: Record<string, number>;
  /** ISO country codes shipped to; empty means everywhere. */
  countries: string[];
  minDays?: number;
  maxDays?: number;
}

export interface OfflinePaymentSettings {
  bankTransfer: { enabled: boolean; instructions: string };
  cashOnDelivery: { enabled: boolean; instructions: string };
}

export interface CheckoutSettings {
  shipping: { flatRate: FlatRateSettings };
  payment: { offline: OfflinePaymentSettings };
}

export const DEFAULT_CHECKOUT_SETTINGS: CheckoutSettings = Object.freeze({
  shipping: { flatRate: { enabled: true, label: 'Standard shipping', amounts: {}, freeAbove: {}, countries: [] } },
  payment: {
    offline: {
      bankTransfer: { enabled: true, instructions: 'Transfer the order total to the bank account shown by the store, quoting your order number. We ship once the transfer arrives.' },
      cashOnDelivery: { enabled: true, instructions: 'Pay the courier in cash when your order arrives.' },
    },
  },
}) as CheckoutSettings;

// One read per store every few seconds, not one per checkout (issue 27: it was a round trip of
// every order): the value is shared, so callers never mutate it. A change through this process
// is seen at once; another process sees it within MEMO_MS, as plugin settings (core/plugins/state.ts).
const perTenant = new Map<string, { at: number; value: Promise<CheckoutSettings> }>();
const MEMO_MS = 5_000;

async function readSettings(ctx: TenantCtx): Promise<CheckoutSettings> {
  const row = await scoped(ctx, CheckoutSettingsRow).first();
  if (!row) return structuredClone(DEFAULT_CHECKOUT_SETTINGS);
  return {
    shipping: { flatRate: { ...DEFAULT_CHECKOUT_SETTINGS.shipping.flatRate, ...(row.shipping.flatRate as object) } },
    payment: { offline: { ...DEFAULT_CHECKOUT_SETTINGS.payment.offline, ...(row.payment.offline as object) } },
  };
}

export function getCheckoutSettings(ctx: TenantCtx): Promise<CheckoutSettings> {
  const key = ctx.tenant.id;
  const now = Date.now();
  const hit = perTenant.get(key);
  if (hit && now - hit.at < MEMO_MS) return hit.value;
  if (perTenant.size > 10_000) for (const [k, v] of perTenant) if (now - v.at >= MEMO_MS) perTenant.delete(k);
  const value = readSettings(ctx);
  perTenant.set(key, { at: now, value });
  value.catch(() => perTenant.delete(key));
  return value;
}

function checkCurrencies(ctx: TenantCtx, map: Record<string, number>, pointer: string): void {
  for (const code of Object.keys(map)) {
    if (!isCurrency(code) || !ctx.tenant.currencies.includes(code)) {
      throw new InvalidError('VALIDATION_FAILED', `${code} is not a currency of this store`, { errors: [{ in: 'body', pointer: `${pointer}/${code}`, code: 'currency', message: `${code} is not one of the store's currencies` }] });
    }
  }
}

/** Replaces the parts given; each part is validated whole by the route's schema. */
export async function updateCheckoutSettings(ctx: TenantCtx, patch: { shipping?: CheckoutSettings['shipping']; payment?: CheckoutSettings['payment'] }): Promise<CheckoutSettings> {
  const current = await readSettings(ctx); // not the memo: the part not given is kept as stored
  const next: CheckoutSettings = { shipping: patch.shipping ?? current.shipping, payment: patch.payment ?? current.payment };
  checkCurrencies(ctx, next.shipping.flatRate.amounts, '/shipping/flatRate/amounts');
  checkCurrencies(ctx, next.shipping.flatRate.freeAbove, '/shipping/flatRate/freeAbove');
  const { minDays, maxDays } = next.shipping.flatRate;
  if (minDays !== undefined && maxDays !== undefined && minDays > maxDays) {
    throw new InvalidError('VALIDATION_FAILED', 'minDays is above maxDays', { errors: [{ in: 'body', pointer: '/shipping/flatRate/minDays', code: 'range', message: 'minDays must not exceed maxDays' }] });
  }
  const values = { shipping: next.shipping as unknown as Record<string, unknown>, payment: next.payment as unknown as Record<string, unknown>, updatedAt: new Date().toISOString() };
  const updated = await scoped(ctx, CheckoutSettingsRow).patch(values);
  if (!updated) await scoped(ctx, CheckoutSettingsRow).insert(values);
  perTenant.delete(ctx.tenant.id);
  return next;
}
