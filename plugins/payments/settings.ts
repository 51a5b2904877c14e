// Each store's gateway settings. Keys and webhook secrets are `writeOnly`: stored, never read
// back through the Admin API. Every gateway takes a base URL so a store (or a test) can point it
// at a sandbox or a local fake; plain http is accepted for loopback addresses only.
import { AppError, type JsonSchema } from '@bazaar/sdk';

const str = (max: number, extra: Record<string, unknown> = {}) => ({ type: 'string', minLength: 1, maxLength: max, ...extra });
const secret = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, writeOnly: true, description });
const url = (def: string) => ({ type: 'string', minLength: 8, maxLength: 300, pattern: '^https?://', default: def });

export const settingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // Card (Stripe PaymentIntents)
    cardEnabled: { type: 'boolean', default: false },
    cardMode: { type: 'string', enum: ['gateway', 'simulator'], default: 'gateway', description: 'simulator: the bundled card simulator (no keys, test card numbers; not in production)' },
    cardSecretKey: secret(255, 'Stripe secret key (sk_live_... / sk_test_...)'),
    cardPublishableKey: str(255, { description: 'Stripe publishable key, handed to the card form' }),
    cardWebhookSecrets: { type: 'string', minLength: 1, maxLength: 1000, writeOnly: true, description: 'Stripe webhook signing secrets (whsec_...), comma-separated while rotating' },
    cardBaseUrl: url('https://api.stripe.com'),
    cardCaptureMethod: { type: 'string', enum: ['automatic', 'manual'], default: 'automatic' },
    cardReturnUrl: { type: 'string', maxLength: 300, pattern: '^https?://', description: 'Where 3-D Secure sends the shopper back' },
    cardCaptureWindowHours: { type: 'integer', minimum: 1, maximum: 720, default: 156, description: 'Manual capture: an authorization is treated as lapsed this long after it was made (7 days minus a 12 h margin); staff are warned 24 h before' },
    // Alipay (OpenAPI gateway.do, RSA2)
    alipayEnabled: { type: 'boolean', default: false },
    alipayAppId: str(32, { pattern: '^[0-9]+$' }),
    alipaySellerId: str(32, { pattern: '^[0-9]+$', description: 'The merchant PID (2088...), checked on every notify' }),
    alipayPrivateKey: secret(8000, "The app's RSA private key (PEM or base64 PKCS#1/PKCS#8)"),
    alipayPublicKey: str(8000, { description: "Alipay's RSA public key (PEM or base64)" }),
    alipayGateway: url('https://openapi.alipay.com/gateway.do'),
    alipayNotifyUrl: { type: 'string', maxLength: 300, pattern: '^https?://' },
    alipayReturnUrl: { type: 'string', maxLength: 300, pattern: '^https?://' },
    // WeChat Pay APIv3
    wechatEnabled: { type: 'boolean', default: false },
    wechatMchId: str(32, { pattern: '^[0-9]+$' }),
    wechatAppId: str(32, { pattern: '^[A-Za-z0-9_]+$' }),
    wechatSerialNo: str(64, { pattern: '^[A-Za-z0-9_]+$', description: "Serial number of the merchant's API certificate" }),
    wechatPrivateKey: secret(8000, "The merchant's API private key (PEM)"),
    wechatApiV3Key: { type: 'string', minLength: 32, maxLength: 32, writeOnly: true, description: 'The 32-byte APIv3 key' },
    wechatPlatformPublicKey: str(8000, { description: 'WeChat Pay public key or platform certificate public key (PEM)' }),
    wechatPlatformSerial: str(64, { description: 'Its id: PUB_KEY_ID_... or the platform certificate serial' }),
    wechatBaseUrl: url('https://api.mch.weixin.qq.com'),
    wechatNotifyUrl: { type: 'string', maxLength: 300, pattern: '^https?://' },
    // Reconciliation and expiry
    reconcileAfterMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 15, description: 'Ask the gateway about a payment still pending this long (its webhook may be lost)' },
    reconcileBackoffSeconds: { type: 'integer', minimum: 1, maximum: 3600, default: 60, description: 'After each ask, wait this long, doubling every time (exponential back-off)' },
    reconcileBackoffMaxMinutes: { type: 'integer', minimum: 1, maximum: 1440, default: 60, description: 'The longest wait between two asks' },
    cardUnpaidExpiryMinutes: { type: 'integer', minimum: 1, maximum: 10080, default: 60, description: 'Cancel a card order still unpaid this long after placement (stock released)' },
    walletUnpaidExpiryMinutes: { type: 'integer', minimum: 1, maximum: 10080, default: 30, description: 'The same for Alipay and WeChat Pay' },
    bankTransferExpiryDays: { type: 'integer', minimum: 1, maximum: 90, default: 7, description: 'The same for bank transfer (the offline provider)' },
  },
};

export interface PaymentSettings {
  cardEnabled: boolean;
  cardMode: 'gateway' | 'simulator';
  cardSecretKey?: string;
  cardPublishableKey?: string;
  cardWebhookSecrets?: string;
  cardBaseUrl: string;
  cardCaptureMethod: 'automatic' | 'manual';
  cardReturnUrl?: string;
  cardCaptureWindowHours: number;
  alipayEnabled: boolean;
  alipayAppId?: string;
  alipaySellerId?: string;
  alipayPrivateKey?: string;
  alipayPublicKey?: string;
  alipayGateway: string;
  alipayNotifyUrl?: string;
  alipayReturnUrl?: string;
  wechatEnabled: boolean;
  wechatMchId?: string;
  wechatAppId?: string;
  wechatSerialNo?: string;
  wechatPrivateKey?: string;
  wechatApiV3Key?: string;
  wechatPlatformPublicKey?: string;
  wechatPlatformSerial?: string;
  wechatBaseUrl: string;
  wechatNotifyUrl?: string;
  reconcileAfterMinutes: number;
  reconcileBackoffSeconds: number;
  reconcileBackoffMaxMinutes: number;
  cardUnpaidExpiryMinutes: number;
  walletUnpaidExpiryMinutes: number;
  bankTransferExpiryDays: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A gateway base URL: https, or http to a loopback address (a local fake or simulator). */
export function gatewayUrl(raw: string, field: string): URL {
  const u = new URL(raw);
  if (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) return u;
  throw new AppError(422, 'PAYMENT_GATEWAY_URL_FORBIDDEN', `${field} must be https (plain http only to a loopback address)`, { params: { field } });
}

/** A setting the gateway cannot work without. */
export function need<T>(value: T | undefined, field: string): T {
  if (value === undefined || value === null || value === '') throw new AppError(422, 'PAYMENT_GATEWAY_NOT_CONFIGURED', `The payment gateway is not configured: ${field} is missing`, { params: { field } });
  return value;
}
