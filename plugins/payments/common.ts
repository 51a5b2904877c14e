// What the three gateways share: outbound idempotency keys, the unit rules of each gateway's
// amounts (refused with AMOUNT_NOT_REPRESENTABLE, never rounded), and the webhook header reader.
import crypto from 'node:crypto';
import { AppError, PaymentRefusedError, exponentOf, type TenantCtx } from '@bazaar/sdk';

/**
 * The key sent to the gateway for one operation: `bz:<tenant>:<payment>:<core key>`, so a retry of
 * the same step (the SDK's or ours) is the same request. The core's key already names the
 * operation and its sequence (`capture:<transaction id>`). Stripe takes up to 255 characters.
 */
export function idempotencyKey(ctx: TenantCtx, paymentId: string, coreKey: string): string {
  const key = `bz:${ctx.tenant.id}:${paymentId}:${coreKey}`;
  return key.length <= 255 ? key : `bz:${crypto.createHash('sha256').update(key).digest('hex')}`;
}

export function notRepresentable(amount: number, currency: string, gateway: string, why: string): AppError {
  return new AppError(422, 'AMOUNT_NOT_REPRESENTABLE', `${gateway} cannot take ${amount} minor units of ${currency}: ${why}`, { params: { amount, currency, gateway }, extra: { amount, currency, gateway } });
}

/** How long a gateway call may take before its outcome counts as unknown (platform option `gatewayTimeoutMs`). */
export const DEFAULT_GATEWAY_TIMEOUT_MS = 20_000;

// Stripe: https://docs.stripe.com/currencies
const STRIPE_ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const STRIPE_THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Our minor units (ISO 4217 exponent) to Stripe's unit for the currency; throws when it cannot be said exactly. */
export function toStripeAmount(amount: number, currency: string): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw notRepresentable(amount, currency, 'stripe', 'not a non-negative integer');
  const iso = exponentOf(currency);
  const stripe = STRIPE_ZERO_DECIMAL.has(currency) ? 0 : STRIPE_THREE_DECIMAL.has(currency) ? 3 : 2;
  let out = amount;
  if (stripe > iso) out = amount * 10 ** (stripe - iso);
  else if (stripe < iso) {
    const f = 10 ** (iso - stripe);
    if (amount % f !== 0) throw notRepresentable(amount, currency, 'stripe', `it takes ${stripe} decimals`);
    out = amount / f;
  }
  if (STRIPE_THREE_DECIMAL.has(currency) && out % 10 !== 0) throw notRepresentable(amount, currency, 'stripe', 'three-decimal amounts must end in 0');
  if (!Number.isSafeInteger(out) || out > 99_999_999) throw notRepresentable(amount, currency, 'stripe', 'above the largest amount it takes');
  return out;
}

/** Stripe's unit back to ours. */
export function fromStripeAmount(amount: number, currency: string): number {
  const iso = exponentOf(currency);
  const stripe = STRIPE_ZERO_DECIMAL.has(currency) ? 0 : STRIPE_THREE_DECIMAL.has(currency) ? 3 : 2;
  return stripe >= iso ? Math.round(amount / 10 ** (stripe - iso)) : amount * 10 ** (iso - stripe);
}

/** Alipay: CNY only, `total_amount` in yuan with 2 decimals. */
export function toYuan(amount: number, currency: string): string {
  if (currency !== 'CNY') throw notRepresentable(amount, currency, 'alipay', 'it takes CNY only');
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > 10_000_000_000) throw notRepresentable(amount, currency, 'alipay', 'between 0.01 and 100000000.00');
  return `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
}

/** `12.30` -> 1230; anything else than a plain 2-decimal amount -> null. */
export function fromYuan(s: unknown): number | null {
  if (typeof s !== 'string' || !/^\d{1,11}(\.\d{1,2})?$/.test(s)) return null;
  const [i, f = ''] = s.split('.');
  return Number(i) * 100 + Number(f.padEnd(2, '0'));
}

/** WeChat Pay: CNY in fen (integer). */
export function toFen(amount: number, currency: string): number {
  if (currency !== 'CNY') throw notRepresentable(amount, currency, 'wechatpay', 'it takes CNY only');
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > 2_147_483_647) throw notRepresentable(amount, currency, 'wechatpay', 'between 1 and 2147483647 fen');
  return amount;
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** A gateway said no: the core shows the reason to staff and the shopper (422). */
export function refused(gateway: string, reason: string, code = 'PAYMENT_GATEWAY_REFUSED'): PaymentRefusedError {
  return new PaymentRefusedError(code, `${gateway}: ${reason}`, { gateway, reason });
}

export function badSignature(gateway: string, why: string): AppError {
  return new AppError(400, 'WEBHOOK_SIGNATURE_INVALID', `${gateway} webhook refused: ${why}`, { params: { gateway } });
}
