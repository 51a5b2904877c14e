// WeChat Pay APIv3 with a small signer of our own over fetch (the base URL is the store's, so a
// sandbox or a local fake works). Requests are signed with the merchant key
// (WECHATPAY2-SHA256-RSA2048); every answer and callback must carry a valid Wechatpay-Signature
// from the platform key named by Wechatpay-Serial, within 300 s; callback resources are decrypted
// with AEAD_AES_256_GCM and the APIv3 key, and their business fields checked before anything is
// applied: payment (TRANSACTION.*) and refund (REFUND.*) notifications. Success is answered 204,
// failure 4xx {"code":"FAIL","message":...}.
import crypto from 'node:crypto';
import { AppError, PaymentIndeterminateError, type PaymentProvider, type PaymentResult, type PluginApi, type TenantCtx, type WebhookAction } from '@bazaar/sdk';
import { DEFAULT_GATEWAY_TIMEOUT_MS, badSignature, header, refused, toFen } from './common.js';
import { gatewayUrl, need, type PaymentSettings } from './settings.js';

export const WECHAT_PROVIDER = 'wechatpay';
export const WECHAT_MAX_CLOCK_OFFSET_S = 300;

/** The five-line message a merchant signs: METHOD, path(+query), timestamp, nonce, body. */
export function requestMessage(method: string, pathWithQuery: string, timestamp: string, nonce: string, body: string): string {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

export function authorization(s: { mchId: string; serialNo: string; privateKey: string }, method: string, pathWithQuery: string, body: string, timestamp = String(Math.floor(Date.now() / 1000)), nonce = crypto.randomBytes(16).toString('hex')): string {
  const signature = crypto.createSign('RSA-SHA256').update(requestMessage(method, pathWithQuery, timestamp, nonce, body)).sign(s.privateKey, 'base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${s.mchId}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${s.serialNo}",signature="${signature}"`;
}

/**
 * The package a JSAPI page hands to WeixinJSBridge `getBrandWCPayRequest`: paySign is the merchant
 * key's SHA256-with-RSA over `appId\ntimeStamp\nnonceStr\npackage\n`, base64, signType `RSA`.
 */
export function jsapiPayParams(s: { appId: string; privateKey: string }, prepayId: string, timeStamp = String(Math.floor(Date.now() / 1000)), nonceStr = crypto.randomBytes(16).toString('hex')): Record<string, string> {
  const pkg = `prepay_id=${prepayId}`;
  const paySign = crypto.createSign('RSA-SHA256').update(`${s.appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`).sign(s.privateKey, 'base64');
  return { appId: s.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
}

/** Verifies Wechatpay-* headers over `timestamp\nnonce\nbody\n`; throws WEBHOOK_SIGNATURE_INVALID. */
export function verifyWechatSignature(s: Pick<PaymentSettings, 'wechatPlatformPublicKey' | 'wechatPlatformSerial'>, headers: Record<string, string | string[] | undefined>, body: string, nowS = Math.floor(Date.now() / 1000)): void {
  const timestamp = header(headers, 'wechatpay-timestamp');
  const nonce = header(headers, 'wechatpay-nonce');
  const signature = header(headers, 'wechatpay-signature');
  const serial = header(headers, 'wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) throw badSignature('wechatpay', 'Wechatpay-Timestamp, -Nonce, -Signature and -Serial are required');
  if (serial !== s.wechatPlatformSerial) throw badSignature('wechatpay', `unknown Wechatpay-Serial ${serial.slice(0, 64)}`);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > WECHAT_MAX_CLOCK_OFFSET_S) throw badSignature('wechatpay', 'Wechatpay-Timestamp is more than 300 s away');
  let ok: boolean;
  try {
    ok = crypto.createVerify('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).verify(need(s.wechatPlatformPublicKey, 'wechatPlatformPublicKey'), signature, 'base64');
  } catch {
    ok = false;
  }
  if (!ok) throw badSignature('wechatpay', 'Wechatpay-Signature mismatch');
}

/** AEAD_AES_256_GCM with the APIv3 key; the 16-byte tag is the end of the ciphertext. */
export function decryptResource(apiV3Key: string, r: { ciphertext: string; nonce: string; associated_data?: string }): string {
  const data = Buffer.from(r.ciphertext, 'base64');
  if (Buffer.byteLength(apiV3Key) !== 32 || data.length < 17) throw badSignature('wechatpay', 'resource cannot be decrypted');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(r.nonce));
    decipher.setAuthTag(data.subarray(data.length - 16));
    decipher.setAAD(Buffer.from(r.associated_data ?? ''));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw badSignature('wechatpay', 'resource cannot be decrypted (AEAD_AES_256_GCM)');
  }
}

export function encryptResource(apiV3Key: string, nonce: string, aad: string, plaintext: string): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(apiV3Key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
}

interface RefundNote {
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  out_refund_no?: string;
  refund_id?: string;
  refund_status?: string;
  amount?: { total?: number; refund?: number; payer_total?: number; payer_refund?: number };
}

/**
 * Reads a verified callback for this store's merchant (and app): a transaction's state, or how a
 * refund ended (REFUND.SUCCESS / ABNORMAL / CLOSED, APIv3 refund callback). Our payment id is the
 * out_trade_no; a refund is named by its refund_id, as refund() recorded it.
 */
export function wechatEvents(s: PaymentSettings, rawBody: string): { id?: string; actions: WebhookAction[] } {
  let note: { id?: string; event_type?: string; resource?: { algorithm?: string; ciphertext?: string; nonce?: string; associated_data?: string } };
  try {
    note = JSON.parse(rawBody) as typeof note;
  } catch {
    throw badSignature('wechatpay', 'the body is not JSON');
  }
  const r = note.resource;
  if (!r || r.algorithm !== 'AEAD_AES_256_GCM' || typeof r.ciphertext !== 'string' || typeof r.nonce !== 'string') throw badSignature('wechatpay', 'resource is not AEAD_AES_256_GCM');
  const plain = decryptResource(need(s.wechatApiV3Key, 'wechatApiV3Key'), { ciphertext: r.ciphertext, nonce: r.nonce, associated_data: r.associated_data });
  const id = typeof note.id === 'string' ? note.id.slice(0, 120) : undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(plain);
  } catch {
    throw badSignature('wechatpay', 'the decrypted resource is not JSON');
  }
  if (note.event_type?.startsWith('REFUND.')) return { id, actions: refundActions(s, parsed as RefundNote) };
  if (!note.event_type?.startsWith('TRANSACTION.')) return { id, actions: [] };
  const tx = parsed as Transaction;
  if (tx.mchid !== s.wechatMchId || tx.appid !== s.wechatAppId) throw badSignature('wechatpay', 'mchid or appid is not this store\'s');
  if (!tx.out_trade_no || !Number.isSafeInteger(tx.amount?.total)) return { id, actions: [] };
  const base = { paymentId: tx.out_trade_no, reference: tx.out_trade_no, total: tx.amount!.total! };
  switch (tx.trade_state) {
    case 'SUCCESS':
      return { id, actions: [{ ...base, id: `${tx.transaction_id}:SUCCESS`, action: 'captured', amount: tx.amount!.total! }] };
    case 'CLOSED':
    case 'REVOKED':
      return { id, actions: [{ ...base, id: `${tx.out_trade_no}:${tx.trade_state}`, action: 'canceled', amount: 0 }] };
    case 'PAYERROR':
      return { id, actions: [{ ...base, id: `${tx.out_trade_no}:PAYERROR`, action: 'failed', amount: 0 }] };
    case 'NOTPAY':
    case 'USERPAYING':
      return { id, actions: [{ ...base, id: `${tx.out_trade_no}:${tx.trade_state}`, action: 'pending', amount: 0 }] };
    default:
      return { id, actions: [] };
  }
}

function refundActions(s: PaymentSettings, n: RefundNote): WebhookAction[] {
  // A refund notification names no appid: the merchant id and the payment's total are checked.
  if (n.mchid !== s.wechatMchId) throw badSignature('wechatpay', 'mchid is not this store\'s');
  const refundId = n.refund_id;
  const amount = n.amount?.refund;
  if (!n.out_trade_no || !refundId || !Number.isSafeInteger(amount) || !Number.isSafeInteger(n.amount?.total)) return [];
  const outcome = n.refund_status === 'SUCCESS' ? 'succeeded' : n.refund_status === 'ABNORMAL' || n.refund_status === 'CLOSED' ? 'failed' : null;
  if (!outcome) return [];
  return [{
    id: `refund:${refundId}:${n.refund_status}`, action: 'refunded', paymentId: n.out_trade_no, reference: n.out_trade_no, amount: amount!, total: n.amount!.total!,
    refund: { reference: refundId, status: outcome },
  }];
}

/** WeChat's out_refund_no takes 64 characters of [A-Za-z0-9_-|*@]: the refund's key, hashed. */
export function outRefundNo(key: string): string {
  return /^[A-Za-z0-9_\-|*@]{1,64}$/.test(key) ? key : crypto.createHash('sha256').update(key).digest('hex');
}

export function wechatProvider(api: PluginApi): PaymentProvider {
  const timeoutMs = (api.options as { gatewayTimeoutMs?: number }).gatewayTimeoutMs ?? DEFAULT_GATEWAY_TIMEOUT_MS;
  const settings = (ctx: TenantCtx) => api.settings<PaymentSettings>(ctx);

  async function call<T>(ctx: TenantCtx, method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<{ status: number; data: T }> {
    const s = await settings(ctx);
    const base = gatewayUrl(s.wechatBaseUrl, 'wechatBaseUrl');
    const url = new URL(path, base);
    const text = body ? JSON.stringify(body) : '';
    const auth = authorization({ mchId: need(s.wechatMchId, 'wechatMchId'), serialNo: need(s.wechatSerialNo, 'wechatSerialNo'), privateKey: need(s.wechatPrivateKey, 'wechatPrivateKey') }, method, `${url.pathname}${url.search}`, text);
    let res: Response;
    let answer: string;
    try {
      res = await fetch(url, { method, headers: { authorization: auth, accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'bazaar-payments' }, body: body ? text : undefined, signal: AbortSignal.timeout(timeoutMs) });
      answer = await res.text();
    } catch (err) {
      throw new PaymentIndeterminateError(`wechatpay ${method} ${url.pathname}: ${(err as Error).message}`, { cause: err });
    }
    // "A successful response without a signature should be considered forged."
    try {
      verifyWechatSignature(s, Object.fromEntries(res.headers), answer);
    } catch (err) {
      if (res.status >= 500) throw new PaymentIndeterminateError(`wechatpay ${res.status}`, { cause: err });
      if (res.status < 300) throw new PaymentIndeterminateError(`wechatpay answer not genuine: ${(err as Error).message}`, { cause: err });
    }
    if (res.status >= 500) throw new PaymentIndeterminateError(`wechatpay ${res.status}`);
    return { status: res.status, data: (answer ? JSON.parse(answer) : {}) as T };
  }
  const reason = (d: unknown) => {
    const e = d as { code?: string; message?: string };
    return `${e.code ?? 'ERROR'}: ${e.message ?? ''}`;
  };

  async function query(ctx: TenantCtx, outTradeNo: string): Promise<PaymentResult> {
    const s = await settings(ctx);
    const { status, data } = await call<Transaction & { code?: string }>(ctx, 'GET', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(need(s.wechatMchId, 'wechatMchId'))}`);
    if (status === 404) return { status: 'pending', reference: outTradeNo };
    if (status >= 300) throw refused('wechatpay', reason(data));
    switch (data.trade_state) {
      case 'SUCCESS':
      case 'REFUND':
        return { status: 'captured', amount: data.amount?.total, reference: outTradeNo };
      case 'CLOSED':
      case 'REVOKED':
        return { status: 'canceled', reference: outTradeNo };
      case 'PAYERROR':
        return { status: 'failed', reference: outTradeNo, failureReason: 'PAYERROR' };
      default:
        return { status: 'pending', reference: outTradeNo };
    }
  }

  return {
    id: WECHAT_PROVIDER,

    async methods(ctx, input) {
      const s = await settings(ctx);
      if (!s.wechatEnabled || !s.wechatPrivateKey || input.currency !== 'CNY') return [];
      return [
        { id: 'wechat_native', label: api.t(ctx, 'methods.wechatNative'), description: api.t(ctx, 'methods.wechatNativeDescription') },
        { id: 'wechat_jsapi', label: api.t(ctx, 'methods.wechatJsapi'), description: api.t(ctx, 'methods.wechatJsapiDescription') },
      ];
    },

    async initiate(ctx, { data, context }) {
      const s = await settings(ctx);
      const body = {
        appid: need(s.wechatAppId, 'wechatAppId'), mchid: need(s.wechatMchId, 'wechatMchId'), description: `Order ${context.orderNumber}`,
        out_trade_no: context.paymentId, notify_url: need(s.wechatNotifyUrl, 'wechatNotifyUrl'), amount: { total: toFen(data.amount, data.currency), currency: 'CNY' },
      };
      if (data.method === 'wechat_jsapi') {
        // Inside WeChat: the order is prepaid for the payer (openid of the store's app), and the
        // page opens the payment sheet with the signed package.
        const openid = context.payer?.openid;
        if (!openid) throw refused('wechatpay', 'JSAPI needs the payer\'s openid (paymentMethod.payer.openid)', 'PAYER_OPENID_REQUIRED');
        const { status, data: answer } = await call<{ prepay_id?: string }>(ctx, 'POST', '/v3/pay/transactions/jsapi', { ...body, payer: { openid } });
        if (status >= 300 || !answer.prepay_id) throw refused('wechatpay', reason(answer));
        return { status: 'pending', reference: context.paymentId, action: { type: 'wechat_jsapi', params: jsapiPayParams({ appId: body.appid, privateKey: need(s.wechatPrivateKey, 'wechatPrivateKey') }, answer.prepay_id) } };
      }
      const { status, data: answer } = await call<{ code_url?: string }>(ctx, 'POST', '/v3/pay/transactions/native', body);
      if (status >= 300 || !answer.code_url) throw refused('wechatpay', reason(answer));
      return { status: 'pending', reference: context.paymentId, action: { type: 'qr_code', url: answer.code_url } };
    },

    async update() {
      // An order's amount is fixed once WeChat Pay has it; a new amount is a new payment.
      throw refused('wechatpay', 'an order amount cannot change', 'PAYMENT_UPDATE_NOT_POSSIBLE');
    },

    async authorize(ctx, { data, context }) {
      const r = await query(ctx, data.reference ?? context.paymentId);
      if (r.status === 'captured') return { ...r, status: 'authorized' };
      throw refused('wechatpay', `the order is not paid (${r.status})`, 'PAYMENT_NOT_AUTHORIZED');
    },

    async capture(ctx, { data, context }) {
      const amount = data.captureAmount ?? data.authorizedAmount - data.capturedAmount;
      const r = await query(ctx, data.reference ?? context.paymentId);
      if (r.status === 'captured' && (r.amount ?? 0) >= data.capturedAmount + amount) return { status: 'captured', amount, reference: r.reference };
      throw refused('wechatpay', `the order is not paid for that amount (${r.status})`, 'CAPTURE_NOT_POSSIBLE');
    },

    async refund(ctx, { data, context }) {
      const refundNo = outRefundNo(context.idempotencyKey);
      const body = {
        out_trade_no: data.reference ?? context.paymentId, out_refund_no: refundNo, ...(data.reason ? { reason: data.reason.slice(0, 80) } : {}),
        amount: { refund: toFen(data.refundAmount, data.currency), total: toFen(data.amount, data.currency), currency: 'CNY' },
      };
      const { status, data: answer } = await call<{ status?: string; refund_id?: string }>(ctx, 'POST', '/v3/refund/domestic/refunds', body);
      if (status >= 300) throw refused('wechatpay', reason(answer));
      if (answer.status === 'ABNORMAL' || answer.status === 'CLOSED') throw refused('wechatpay', `refund ${answer.status}`);
      // PROCESSING: WeChat Pay settles it later and says so by its refund notification.
      return { status: answer.status === 'SUCCESS' ? 'refunded' : 'pending', amount: data.refundAmount, reference: answer.refund_id ?? refundNo };
    },

    async cancel(ctx, { data, context }) {
      const s = await settings(ctx);
      const outTradeNo = data.reference ?? context.paymentId;
      const { status, data: answer } = await call(ctx, 'POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: need(s.wechatMchId, 'wechatMchId') });
      if (status === 204 || status === 200 || status === 404) return { status: 'canceled' };
      const now = await query(ctx, outTradeNo);
      if (now.status === 'canceled') return { status: 'canceled' };
      throw refused('wechatpay', reason(answer));
    },

    async getStatus(ctx, { data, context }) {
      return query(ctx, data.reference ?? context.paymentId);
    },

    async parseWebhook(ctx, { data: { headers, rawBody } }) {
      const s = await settings(ctx);
      try {
        verifyWechatSignature(s, headers, rawBody);
        const { id, actions } = wechatEvents(s, rawBody);
        return { notificationId: id, actions, response: { status: 204 } };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return { actions: [], response: { status: err.status === 422 ? 500 : 400, body: JSON.stringify({ code: 'FAIL', message: err.message }), contentType: 'application/json' } };
      }
    },
  };
}
