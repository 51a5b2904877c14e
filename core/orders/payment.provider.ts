// The `payment` provider contract. The core ships the offline provider (bank transfer, cash on
// delivery); payment plugins (cards, Alipay, WeChat Pay) implement the same interface. Amounts
// are integer minor units of `currency`; every call carries an idempotency key the provider
// passes on to its gateway, so a retried call never charges or refunds twice. The core checks
// the limits itself (capture never above what was authorized, refund never above what was
// captured) before calling a provider, and never lets a late or repeated event move a payment
// backwards.
import type { TenantCtx } from '../context.js';
import type { Provider } from '../extensions.js';

/** A payment method the shopper can choose at checkout (`bank_transfer`, `card`, `alipay`). */
export interface PaymentMethodOption {
  id: string;
  label: string;
  description?: string;
}

/** The payment as the core knows it, handed to every call. */
export interface PaymentRef {
  /** The core's payment id: stable, usable as the gateway's merchant reference. */
  paymentId: string;
  orderId: string;
  orderNumber: number;
  method: string;
  currency: string;
  /** The provider's own reference, once initiate() returned one. */
  reference: string | null;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
}

/** Who pays, when the method needs it (WeChat Pay JSAPI: the payer's openid for the store's app). */
export interface PaymentPayer {
  openid?: string;
}

export type PaymentState = 'pending' | 'authorized' | 'captured' | 'refunded' | 'cancelled' | 'failed';

/** What a provider says after a call. */
export interface PaymentResult {
  status: PaymentState;
  /** Amount this step covered (authorized, captured or refunded); defaults to the amount asked. */
  amount?: number;
  reference?: string;
  /**
   * What the shopper does next: instructions (bank details), a redirect (3-D Secure, a wallet's
   * page), a card form to complete with `clientSecret`, or a QR code (`url` is its content).
   */
  action?: {
    type: 'instructions' | 'redirect' | 'card_form' | 'qr_code' | 'wechat_jsapi';
    text?: string;
    url?: string;
    clientSecret?: string;
    publishableKey?: string;
    /** `wechat_jsapi`: what the page hands to WeixinJSBridge `getBrandWCPayRequest` (appId, timeStamp, nonceStr, package, signType, paySign). */
    params?: Record<string, string>;
  };
  failureReason?: string;
}

/** One event from a provider's webhook, normalised. */
export interface PaymentWebhookEvent {
  /** The provider's event id: (tenant, provider, id) is applied once. */
  id: string;
  /** The provider's payment reference, or the core's payment id. */
  reference: string;
  type: 'authorized' | 'captured' | 'refunded' | 'cancelled' | 'failed';
  amount: number;
  /**
   * The whole payment's amount as the gateway states it (Alipay `total_amount`, WeChat
   * `amount.total`): when given and not the payment's amount, the event is not applied and the
   * order's timeline records the alert.
   */
  total?: number;
}

export interface WebhookOutcome {
  events: PaymentWebhookEvent[];
  /** The answer the provider expects (`success` as text, a 204, ...); JSON `{received: true}` when absent. */
  response?: { status: number; body?: string; contentType?: string };
}

export interface PaymentProvider extends Provider {
  /** Methods this provider offers for this tenant, currency and amount: eligibility. */
  methods(ctx: TenantCtx, input: { currency: string; amount: number; country?: string }): Promise<PaymentMethodOption[]>;
  /** Starts a payment for a placed order (called after the order commits). */
  initiate(ctx: TenantCtx, input: PaymentRef & { amount: number; email: string; idempotencyKey: string; payer?: PaymentPayer }): Promise<PaymentResult>;
  authorize(ctx: TenantCtx, input: PaymentRef & { amount: number; idempotencyKey: string }): Promise<PaymentResult>;
  capture(ctx: TenantCtx, input: PaymentRef & { amount: number; idempotencyKey: string; note?: string }): Promise<PaymentResult>;
  refund(ctx: TenantCtx, input: PaymentRef & { amount: number; idempotencyKey: string; reason?: string }): Promise<PaymentResult>;
  cancel(ctx: TenantCtx, input: PaymentRef & { idempotencyKey: string }): Promise<PaymentResult>;
  /** The provider's view of a payment, for reconciliation. */
  status(ctx: TenantCtx, input: PaymentRef): Promise<PaymentResult>;
  /**
   * Verifies and reads a webhook call from the raw body (signatures are computed over it);
   * throws an AppError (401, 400) when it is not genuine. Absent: the provider takes no webhooks.
   */
  parseWebhook?(ctx: TenantCtx, input: { headers: Record<string, string | string[] | undefined>; rawBody: string }): Promise<WebhookOutcome>;
}

declare module '../extensions.js' {
  interface ProviderMap {
    payment: PaymentProvider;
  }
}
