// The `payment` provider contract (payments.md §4 requirement 5, modelled on Medusa >= 2.5). The
// core ships the offline provider (bank transfer, cash on delivery); payment plugins (cards,
// Alipay, WeChat Pay) implement the same interface. Every call takes ctx and one object: `data`,
// what the core holds of the payment, and `context`, validated by the core before the call
// (tenant id, payment id, and an idempotency key the provider passes on to its gateway, so a
// retried call never charges or refunds twice). Failures are thrown: PaymentRefusedError when the
// gateway said no (definite), PaymentIndeterminateError when the outcome is unknown (a timeout, a
// lost answer, a 5xx): the core then keeps the payment open and asks the gateway later, never
// counting it as failed. Amounts are integer minor units of `currency`. The core checks the limits
// itself (capture never above what was authorized, refund never above what was captured) and
// never lets a late or repeated event move a payment backwards.
import type { TenantCtx } from '../context.js';
import { AppError } from '../errors.js';
import type { Provider } from '../extensions.js';

/** A payment method the shopper can choose at checkout (`bank_transfer`, `card`, `alipay`). */
export interface PaymentMethodOption {
  id: string;
  label: string;
  description?: string;
}

/** Who pays, when the method needs it (WeChat Pay JSAPI: the payer's openid for the store's app). */
export interface PaymentPayer {
  openid?: string;
}

/** A payment as its provider reports it, in the spec's words. `refunded` only from refund(). */
export type PaymentStatus = 'pending' | 'requires_action' | 'authorized' | 'captured' | 'refunded' | 'canceled' | 'failed';

/** Checked by the core before every call (validatePaymentContext). */
export interface PaymentContext {
  tenantId: string;
  /** The core's payment id: stable, usable as the gateway's merchant reference (out_trade_no, metadata). */
  paymentId: string;
  orderId: string;
  orderNumber: number;
  /**
   * `<operation>:<step id>` (`initiate:<payment>`, `capture:<transaction>`, `refund:<refund>`):
   * the same for a retry of the same step, 1 to 200 characters. Providers prefix it per tenant and
   * payment (`bz:<tenant>:<payment>:<key>`, at most 255 characters, Stripe's limit).
   */
  idempotencyKey: string;
  /** initiate only: the shopper's e-mail (a receipt). */
  email?: string;
  /** initiate only, when the method needs it. */
  payer?: PaymentPayer;
  /**
   * A call made again because the first one's answer was lost (same key, same data as then): the
   * provider should look for what the first did at the gateway (by this key or its reference)
   * before doing it, in case the gateway forgot the key (Stripe keeps them 24 h).
   */
  replay?: boolean;
}

/** What the core holds of a payment: every call's `data`. */
export interface PaymentData {
  method: string;
  currency: string;
  /** The whole payment. */
  amount: number;
  /** The provider's own reference, once initiate() returned one. */
  reference: string | null;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
}

export interface PaymentInput<D extends PaymentData = PaymentData> {
  data: D;
  context: PaymentContext;
}

/** What a provider says after a call. */
export interface PaymentResult {
  status: PaymentStatus;
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
  /** `failed`/`canceled` from getStatus(): why, for the timeline. */
  failureReason?: string;
}

/** parseWebhook's normalised actions (spec REQ 5), plus `refunded` and `disputed` (the payer's bank opened a chargeback). */
export type WebhookActionType = 'authorized' | 'captured' | 'failed' | 'pending' | 'requires_action' | 'canceled' | 'refunded' | 'disputed' | 'not_supported';

/** One thing a gateway's notification says about one payment. */
export interface WebhookAction {
  /** The gateway's id of this event: (tenant, provider, id) is applied once. */
  id: string;
  action: WebhookActionType;
  /**
   * The core's payment id as the gateway carries it (Stripe metadata, out_trade_no); null when the
   * notification does not name one of this store's payments (then `not_supported`, answered 2xx).
   */
  paymentId: string | null;
  /** The provider's reference, a second way to find the payment (a Stripe charge names its intent). */
  reference?: string;
  /** authorized / captured: cumulative. refunded: cumulative, or, with `refund`, that one refund. */
  amount: number;
  /**
   * The whole payment's amount as the gateway states it (Alipay `total_amount`, WeChat
   * `amount.total`): when given and not the payment's amount, the event is not applied and the
   * order's timeline records the alert.
   */
  total?: number;
  /** A refund notification (WeChat Pay REFUND.*): the refund at the gateway and how it ended. */
  refund?: { reference: string; status: 'succeeded' | 'failed' };
  /** `disputed`: the gateway's id of the dispute (Stripe `dp_...`) and the reason it gives; `amount` is the disputed amount. */
  dispute?: { reference: string; reason?: string };
}

export interface WebhookOutcome {
  /**
   * The notification's own id at the gateway (Stripe event id, WeChat notification id, Alipay
   * notify_id): the raw notification is stored once per (tenant, provider, id). Absent: a digest
   * of the body.
   */
  notificationId?: string;
  actions: WebhookAction[];
  /** The answer the gateway expects (`success` as text, a 204, ...); JSON `{received: true}` when absent. A status >= 400 stores nothing. */
  response?: { status: number; body?: string; contentType?: string };
}

export interface WebhookInput {
  data: { headers: Record<string, string | string[] | undefined>; rawBody: string };
  context: { tenantId: string };
}

export interface PaymentProvider extends Provider {
  /** Methods this provider offers for this tenant, currency and amount: eligibility. */
  methods(ctx: TenantCtx, input: { currency: string; amount: number; country?: string }): Promise<PaymentMethodOption[]>;
  /** Starts a payment for a placed order (called after the order commits, unless `inProcess`). */
  initiate(ctx: TenantCtx, input: PaymentInput): Promise<PaymentResult>;
  /**
   * initiate() sends nothing out of the process and changes nothing anywhere (the core's offline
   * provider: it hands back instructions). Checkout then asks it before the order's transaction
   * and writes its answer with the order, which saves the payment's own statements after the
   * commit; an order that then fails to be written (stock gone) leaves nothing behind, as
   * nothing was sent. A provider that calls a gateway must not say so.
   */
  readonly inProcess?: boolean;
  /** Changes the amount of a payment nothing was paid on yet (`data.newAmount`); a gateway that cannot throws PaymentRefusedError. */
  update(ctx: TenantCtx, input: PaymentInput<PaymentData & { newAmount: number }>): Promise<PaymentResult>;
  /** Makes sure `authorizeAmount` more is authorized (the shopper's card form or wallet did it, or staff confirm money offline). */
  authorize(ctx: TenantCtx, input: PaymentInput<PaymentData & { authorizeAmount: number }>): Promise<PaymentResult>;
  /** Captures `captureAmount` more; absent: the rest of the authorization. */
  capture(ctx: TenantCtx, input: PaymentInput<PaymentData & { captureAmount?: number; note?: string }>): Promise<PaymentResult>;
  /** Gives back `refundAmount`; `pending` when the gateway is still processing it (a refund notification ends it). */
  refund(ctx: TenantCtx, input: PaymentInput<PaymentData & { refundAmount: number; reason?: string }>): Promise<PaymentResult>;
  /** Voids what was not captured. */
  cancel(ctx: TenantCtx, input: PaymentInput): Promise<PaymentResult>;
  /** The provider's view of a payment, for reconciliation. */
  getStatus(ctx: TenantCtx, input: PaymentInput): Promise<PaymentResult>;
  /**
   * Verifies and reads a webhook call from the raw body (signatures are computed over it), with
   * no side effect: the core stores the notification and applies its actions from its queue.
   * Throws an AppError (400) when it is not genuine. Absent: the provider takes no webhooks.
   */
  parseWebhook?(ctx: TenantCtx, input: WebhookInput): Promise<WebhookOutcome>;
  /**
   * Optional: called from the core's queue for each stored action before the core applies it;
   * false keeps it from the core (the provider's own state machine refused a backward move).
   */
  admitAction?(ctx: TenantCtx, action: WebhookAction & { paymentId: string }): Promise<boolean>;
}

/** The gateway said no (a declined card, a state it will not leave, a bad parameter): definite. */
export class PaymentRefusedError extends AppError {
  constructor(code: string, message: string, params: Record<string, unknown> = {}) {
    super(422, code, message, { params });
  }
}

/** The outcome is unknown (timeout, lost answer, 5xx, an answer that is not genuine): the core asks again later. */
export class PaymentIndeterminateError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(502, 'PAYMENT_OUTCOME_UNKNOWN', message, { params: {}, cause: options?.cause });
  }
}

/** An error that is not a refusal: the call may have happened at the gateway. */
export function isIndeterminate(err: unknown): boolean {
  if (err instanceof PaymentIndeterminateError) return true;
  return !(err instanceof AppError) || err.status >= 500;
}

const KEY = /^[A-Za-z0-9_:.\-|*@]{1,200}$/;

/** The context every call carries, checked before the provider sees it (a bad one is a bug of the caller: 500). */
export function validatePaymentContext(ctx: TenantCtx, c: PaymentContext): PaymentContext {
  const bad = (why: string) => new Error(`invalid payment context: ${why}`);
  if (c.tenantId !== ctx.tenant.id) throw bad('tenantId is not the ctx tenant');
  if (typeof c.paymentId !== 'string' || !c.paymentId || c.paymentId.length > 36) throw bad('paymentId');
  if (typeof c.orderId !== 'string' || !c.orderId || c.orderId.length > 36) throw bad('orderId');
  if (!Number.isSafeInteger(c.orderNumber) || c.orderNumber < 0) throw bad('orderNumber');
  if (typeof c.idempotencyKey !== 'string' || !KEY.test(c.idempotencyKey)) throw bad('idempotencyKey');
  return c;
}

declare module '../extensions.js' {
  interface ProviderMap {
    payment: PaymentProvider;
  }
}
