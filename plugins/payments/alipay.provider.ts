// Alipay through the official `alipay-sdk` (OpenAPI gateway.do, RSA2 only). Checkout returns the
// cashier page URL (alipay_page) or a QR code to scan (alipay_qr); our payment id is the
// `out_trade_no`, so Alipay itself refuses a second trade for the same payment. The async notify
// is verified (RSA2 over the sorted parameters), its business fields checked against the store's
// app and the payment, and answered with the plain text `success`.
import crypto from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { AppError, PaymentIndeterminateError, type PaymentProvider, type PaymentResult, type PluginApi, type TenantCtx, type WebhookAction } from '@bazaar/sdk';
import { DEFAULT_GATEWAY_TIMEOUT_MS, badSignature, fromYuan, refused, toYuan } from './common.js';
import { gatewayUrl, need, type PaymentSettings } from './settings.js';

export const ALIPAY_PROVIDER = 'alipay';

const clients = new Map<string, AlipaySdk>();

/** PEM or bare base64; PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1. */
function keyType(pem: string): 'PKCS1' | 'PKCS8' {
  if (pem.includes('BEGIN PRIVATE KEY')) return 'PKCS8';
  if (pem.includes('BEGIN RSA PRIVATE KEY')) return 'PKCS1';
  try {
    crypto.createPrivateKey({ key: Buffer.from(pem.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
    return 'PKCS8';
  } catch {
    return 'PKCS1';
  }
}

export function alipayClient(s: PaymentSettings, timeoutMs = DEFAULT_GATEWAY_TIMEOUT_MS): AlipaySdk {
  const gateway = gatewayUrl(s.alipayGateway, 'alipayGateway').toString();
  const privateKey = need(s.alipayPrivateKey, 'alipayPrivateKey');
  const id = `${gateway}\n${s.alipayAppId}\n${timeoutMs}\n${crypto.createHash('sha256').update(privateKey).update(s.alipayPublicKey ?? '').digest('hex')}`;
  let client = clients.get(id);
  if (!client) {
    client = new AlipaySdk({
      appId: need(s.alipayAppId, 'alipayAppId'),
      privateKey,
      keyType: keyType(privateKey),
      alipayPublicKey: need(s.alipayPublicKey, 'alipayPublicKey'),
      signType: 'RSA2',
      gateway,
      timeout: timeoutMs,
      camelcase: false,
    });
    if (clients.size > 1000) clients.clear();
    clients.set(id, client);
  }
  return client;
}

type Answer = Record<string, unknown> & { code?: string; msg?: string; sub_code?: string; sub_msg?: string };

/** Alipay's out_request_no takes 64 characters: the refund's key, hashed when longer. */
export function refundRequestNo(key: string): string {
  return key.length <= 64 ? key : crypto.createHash('sha256').update(key).digest('hex');
}

export function alipayProvider(api: PluginApi): PaymentProvider {
  const timeoutMs = (api.options as { gatewayTimeoutMs?: number }).gatewayTimeoutMs ?? DEFAULT_GATEWAY_TIMEOUT_MS;
  const settings = (ctx: TenantCtx) => api.settings<PaymentSettings>(ctx);

  async function call(ctx: TenantCtx, method: string, params: Record<string, unknown>): Promise<Answer> {
    const s = await settings(ctx);
    try {
      return (await alipayClient(s, timeoutMs).exec(method, params, { validateSign: true })) as Answer;
    } catch (err) {
      if (err instanceof AppError) throw err;
      // Unreachable, or an answer that failed its signature check: indeterminate, never "failed".
      throw new PaymentIndeterminateError(`alipay ${method}: ${(err as Error).message}`, { cause: err });
    }
  }
  const failed = (a: Answer) => `${a.sub_code ?? a.code}: ${a.sub_msg ?? a.msg ?? ''}`;

  async function query(ctx: TenantCtx, outTradeNo: string): Promise<PaymentResult> {
    const a = await call(ctx, 'alipay.trade.query', { bizContent: { out_trade_no: outTradeNo } });
    if (a.code !== '10000') {
      if (a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'pending', reference: outTradeNo };
      throw refused('alipay', failed(a));
    }
    const total = fromYuan(a.total_amount);
    switch (a.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED':
        return { status: 'captured', amount: total ?? undefined, reference: outTradeNo };
      case 'TRADE_CLOSED':
        return { status: 'canceled', reference: outTradeNo };
      default:
        return { status: 'pending', reference: outTradeNo };
    }
  }

  return {
    id: ALIPAY_PROVIDER,

    async methods(ctx, input) {
      const s = await settings(ctx);
      if (!s.alipayEnabled || !s.alipayPrivateKey || input.currency !== 'CNY') return [];
      return [
        { id: 'alipay_page', label: api.t(ctx, 'methods.alipayPage'), description: api.t(ctx, 'methods.alipayPageDescription') },
        { id: 'alipay_qr', label: api.t(ctx, 'methods.alipayQr'), description: api.t(ctx, 'methods.alipayQrDescription') },
      ];
    },

    async initiate(ctx, { data, context }) {
      const s = await settings(ctx);
      const biz = { out_trade_no: context.paymentId, total_amount: toYuan(data.amount, data.currency), subject: `Order ${context.orderNumber}` };
      const common = { ...(s.alipayNotifyUrl ? { notifyUrl: s.alipayNotifyUrl } : {}) };
      if (data.method === 'alipay_qr') {
        const a = await call(ctx, 'alipay.trade.precreate', { bizContent: biz, ...common });
        if (a.code !== '10000' || typeof a.qr_code !== 'string') throw refused('alipay', failed(a));
        return { status: 'pending', reference: context.paymentId, action: { type: 'qr_code', url: a.qr_code } };
      }
      const url = alipayClient(s, timeoutMs).pageExecute('alipay.trade.page.pay', 'GET', {
        bizContent: { ...biz, product_code: 'FAST_INSTANT_TRADE_PAY' }, ...common, ...(s.alipayReturnUrl ? { returnUrl: s.alipayReturnUrl } : {}),
      });
      return { status: 'pending', reference: context.paymentId, action: { type: 'redirect', url } };
    },

    async update() {
      // A trade's amount is fixed once Alipay has it; a new amount is a new payment.
      throw refused('alipay', 'a trade amount cannot change', 'PAYMENT_UPDATE_NOT_POSSIBLE');
    },

    async authorize(ctx, { data, context }) {
      // Alipay has no separate authorization: a paid trade is captured money.
      const r = await query(ctx, data.reference ?? context.paymentId);
      if (r.status === 'captured') return { ...r, status: 'authorized' };
      throw refused('alipay', `the trade is not paid (${r.status})`, 'PAYMENT_NOT_AUTHORIZED');
    },

    async capture(ctx, { data, context }) {
      const amount = data.captureAmount ?? data.authorizedAmount - data.capturedAmount;
      const r = await query(ctx, data.reference ?? context.paymentId);
      if (r.status === 'captured' && (r.amount ?? 0) >= data.capturedAmount + amount) return { status: 'captured', amount, reference: r.reference };
      throw refused('alipay', `the trade is not paid for that amount (${r.status})`, 'CAPTURE_NOT_POSSIBLE');
    },

    async refund(ctx, { data, context }) {
      const outRequestNo = refundRequestNo(context.idempotencyKey);
      const a = await call(ctx, 'alipay.trade.refund', { bizContent: { out_trade_no: data.reference ?? context.paymentId, refund_amount: toYuan(data.refundAmount, data.currency), out_request_no: outRequestNo, ...(data.reason ? { refund_reason: data.reason.slice(0, 256) } : {}) } });
      if (a.code !== '10000') throw refused('alipay', failed(a));
      return { status: 'refunded', amount: data.refundAmount, reference: outRequestNo };
    },

    async cancel(ctx, { data, context }) {
      const outTradeNo = data.reference ?? context.paymentId;
      const a = await call(ctx, 'alipay.trade.close', { bizContent: { out_trade_no: outTradeNo } });
      // A trade the shopper never opened does not exist at Alipay: nothing to close.
      if (a.code === '10000' || a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'canceled' };
      const now = await query(ctx, outTradeNo);
      if (now.status === 'canceled') return { status: 'canceled' };
      throw refused('alipay', failed(a));
    },

    async getStatus(ctx, { data, context }) {
      return query(ctx, data.reference ?? context.paymentId);
    },

    async parseWebhook(ctx, { data: { rawBody } }) {
      const s = await settings(ctx);
      const params = Object.fromEntries(new URLSearchParams(rawBody));
      const actions = verifyAlipayNotify(alipayClient(s, timeoutMs), s, params);
      return { notificationId: params.notify_id || undefined, actions, response: { status: 200, body: 'success', contentType: 'text/plain' } };
    },
  };
}

/** Verifies an async notify (RSA2 only) and reads it; business fields must be this store's. */
export function verifyAlipayNotify(client: AlipaySdk, s: Pick<PaymentSettings, 'alipayAppId' | 'alipaySellerId'>, params: Record<string, string>): WebhookAction[] {
  if (!params.sign) throw badSignature('alipay', 'no sign');
  if (params.sign_type !== 'RSA2') throw badSignature('alipay', 'only sign_type RSA2 is accepted');
  if (!client.checkNotifySignV2(params)) throw badSignature('alipay', 'RSA2 signature mismatch');
  if (params.app_id !== s.alipayAppId) throw badSignature('alipay', 'app_id is not this store\'s');
  if (s.alipaySellerId && params.seller_id && params.seller_id !== s.alipaySellerId) throw badSignature('alipay', 'seller_id is not this store\'s');
  const outTradeNo = params.out_trade_no;
  const total = fromYuan(params.total_amount);
  if (!outTradeNo || total === null) return [];
  // Our payment id is the out_trade_no.
  const base = { paymentId: outTradeNo, reference: outTradeNo, total };
  const refundFee = params.refund_fee !== undefined ? fromYuan(params.refund_fee) : null;
  if (refundFee !== null && refundFee > 0) return [{ ...base, id: `${params.trade_no}:refund:${refundFee}`, action: 'refunded', amount: refundFee }];
  switch (params.trade_status) {
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return [{ ...base, id: `${params.trade_no}:${params.trade_status}`, action: 'captured', amount: total }];
    case 'TRADE_CLOSED':
      return [{ ...base, id: `${params.trade_no}:TRADE_CLOSED`, action: 'canceled', amount: 0 }];
    case 'WAIT_BUYER_PAY':
      return [{ ...base, id: `${params.trade_no}:WAIT_BUYER_PAY`, action: 'pending', amount: 0 }];
    default:
      return [];
  }
}
