// A fake WeChat Pay APIv3 on loopback: it checks the merchant's WECHATPAY2-SHA256-RSA2048
// Authorization over the five-line message, keeps Native orders and refunds (out_refund_no is
// idempotent), signs every answer with the platform key (Wechatpay-* headers) and builds callbacks
// as WeChat does: the resource encrypted with AEAD_AES_256_GCM under the APIv3 key, then signed.
import crypto from 'node:crypto';
import { startFakeServer, type FakeAnswer, type FakeServer } from './http.js';
import { rsaKeys, type KeyPair } from './alipay.js';
import { encryptResource } from '../../../../plugins/payments/wechatpay.provider.js';

interface Order {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  trade_state: 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
  amount: { total: number; payer_total: number; currency: 'CNY' };
  trade_type: 'NATIVE' | 'JSAPI';
  payer?: { openid: string };
  prepay_id?: string;
  refunds: Map<string, { refund_id: string; amount: number }>;
}

export interface FakeWechat {
  server: FakeServer;
  url: string;
  mchId: string;
  appId: string;
  serialNo: string;
  platformSerial: string;
  apiV3Key: string;
  merchantKeys: KeyPair;
  platformKeys: KeyPair;
  orders: Map<string, Order>;
  refundCount: number;
  /** What a new refund answers: SUCCESS at once (default), or PROCESSING (its notification ends it). */
  refundStatus: 'SUCCESS' | 'PROCESSING';
  /** A refund notification (REFUND.SUCCESS / ABNORMAL / CLOSED) for a refund made through the API. */
  refundCallback(outTradeNo: string, outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' | 'CLOSED', o?: { aad?: string; override?: Record<string, unknown> }): { body: string; headers: Record<string, string> };
  pay(outTradeNo: string): Order;
  /** A callback for the order as WeChat would post it: body and Wechatpay-* headers. */
  callback(outTradeNo: string, o?: { override?: Record<string, unknown>; timestamp?: number; signWith?: string; aad?: string; eventType?: string }): { body: string; headers: Record<string, string> };
  sign(body: string, timestamp?: number, signWith?: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeWechat(): Promise<FakeWechat> {
  const merchantKeys = rsaKeys();
  const platformKeys = rsaKeys();
  const mchId = '1900000109';
  const appId = 'wxd678efh567hg6787';
  const serialNo = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
  const platformSerial = 'PUB_KEY_ID_0119000001092025';
  const apiV3Key = crypto.randomBytes(16).toString('hex');
  const orders = new Map<string, Order>();

  function sign(body: string, timestamp = Math.floor(Date.now() / 1000), signWith = platformKeys.privateKey): Record<string, string> {
    const nonce = crypto.randomBytes(16).toString('hex');
    const signature = crypto.createSign('RSA-SHA256').update(`${timestamp}\n${nonce}\n${body}\n`).sign(signWith, 'base64');
    return { 'wechatpay-timestamp': String(timestamp), 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': platformSerial };
  }
  const answer = (status: number, obj?: unknown): FakeAnswer => {
    const body = obj === undefined ? '' : JSON.stringify(obj);
    return { status, body, headers: sign(body) };
  };

  const server = await startFakeServer((req) => {
    const m = /^WECHATPAY2-SHA256-RSA2048 (.*)$/.exec(String(req.headers.authorization ?? ''));
    const auth = Object.fromEntries([...(m?.[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const path = `${req.path}${req.query.size ? `?${req.query}` : ''}`;
    const signed = auth.signature && crypto.createVerify('RSA-SHA256').update(`${req.method}\n${path}\n${auth.timestamp}\n${auth.nonce_str}\n${req.body}\n`).verify(merchantKeys.publicKey, auth.signature, 'base64');
    if (!signed || auth.mchid !== mchId || auth.serial_no !== serialNo) return answer(401, { code: 'SIGN_ERROR', message: '签名错误' });
    const body = req.body ? (JSON.parse(req.body) as Record<string, any>) : {};
    let x: RegExpExecArray | null;
    if (req.method === 'POST' && (x = /^\/v3\/pay\/transactions\/(native|jsapi)$/.exec(req.path))) {
      if (body.mchid !== mchId || body.appid !== appId) return answer(400, { code: 'PARAM_ERROR', message: 'mchid/appid' });
      const jsapi = x[1] === 'jsapi';
      if (jsapi && !/^[A-Za-z0-9_-]{1,128}$/.test(body.payer?.openid ?? '')) return answer(400, { code: 'PARAM_ERROR', message: '缺少参数 payer.openid' });
      const seen = orders.get(body.out_trade_no);
      if (seen && seen.trade_state !== 'NOTPAY') return answer(400, { code: 'ORDERPAID', message: '该订单已支付' });
      if (seen && (seen.amount.total !== body.amount.total || seen.payer?.openid !== body.payer?.openid)) return answer(400, { code: 'INVALID_REQUEST', message: '201 商户订单号重复' });
      const o: Order = seen ?? { appid: appId, mchid: mchId, out_trade_no: body.out_trade_no, transaction_id: `4200${crypto.randomInt(1e9, 9e9)}`, trade_state: 'NOTPAY', trade_type: jsapi ? 'JSAPI' : 'NATIVE', amount: { total: body.amount.total, payer_total: body.amount.total, currency: 'CNY' }, ...(jsapi ? { payer: { openid: body.payer.openid } } : {}), refunds: new Map() };
      orders.set(body.out_trade_no, o);
      if (jsapi) {
        o.prepay_id ??= `wx${Date.now()}${crypto.randomBytes(8).toString('hex')}`;
        return answer(200, { prepay_id: o.prepay_id });
      }
      return answer(200, { code_url: `weixin://wxpay/bizpayurl?pr=${crypto.randomBytes(5).toString('hex')}` });
    }
    if (req.method === 'GET' && (x = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/.exec(req.path))) {
      const o = orders.get(decodeURIComponent(x[1]));
      if (!o || req.query.get('mchid') !== mchId) return answer(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      const { refunds: _r, prepay_id: _p, ...view } = o;
      return answer(200, view);
    }
    if (req.method === 'POST' && (x = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/.exec(req.path))) {
      const o = orders.get(decodeURIComponent(x[1]));
      if (!o) return answer(404, { code: 'ORDER_NOT_EXIST', message: '订单不存在' });
      if (o.trade_state !== 'NOTPAY' && o.trade_state !== 'CLOSED') return answer(400, { code: 'ORDERPAID', message: '订单已支付' });
      o.trade_state = 'CLOSED';
      return answer(204);
    }
    if (req.method === 'POST' && req.path === '/v3/refund/domestic/refunds') {
      const o = orders.get(body.out_trade_no);
      if (!o || (o.trade_state !== 'SUCCESS' && o.trade_state !== 'REFUND')) return answer(400, { code: 'RESOURCE_NOT_EXISTS', message: '订单不存在或未支付' });
      if (body.amount.total !== o.amount.total) return answer(400, { code: 'PARAM_ERROR', message: '订单金额不一致' });
      const seen = o.refunds.get(body.out_refund_no);
      if (seen) return answer(200, { refund_id: seen.refund_id, out_refund_no: body.out_refund_no, status: fake.refundStatus, amount: { refund: seen.amount, total: o.amount.total } });
      const done = [...o.refunds.values()].reduce((a, r) => a + r.amount, 0);
      if (done + body.amount.refund > o.amount.total) return answer(403, { code: 'NOT_ENOUGH', message: '退款金额超过可退金额' });
      const r = { refund_id: `5030${crypto.randomInt(1e9, 9e9)}`, amount: body.amount.refund as number };
      o.refunds.set(body.out_refund_no, r);
      o.trade_state = 'REFUND';
      fake.refundCount++;
      return answer(200, { refund_id: r.refund_id, out_refund_no: body.out_refund_no, status: fake.refundStatus, amount: { refund: r.amount, total: o.amount.total } });
    }
    return answer(404, { code: 'NOT_FOUND', message: req.path });
  });

  const fake: FakeWechat = {
    server, url: server.url, mchId, appId, serialNo, platformSerial, apiV3Key, merchantKeys, platformKeys, orders, refundCount: 0, refundStatus: 'SUCCESS', sign,
    refundCallback(outTradeNo, outRefundNo, status, o = {}) {
      const order = orders.get(outTradeNo)!;
      const r = order.refunds.get(outRefundNo)!;
      const plain = JSON.stringify({
        mchid: mchId, out_trade_no: outTradeNo, transaction_id: order.transaction_id, out_refund_no: outRefundNo, refund_id: r.refund_id, refund_status: status,
        success_time: '2026-12-06T13:00:00+08:00', user_received_account: '招商银行信用卡0403', amount: { total: order.amount.total, refund: r.amount, payer_total: order.amount.total, payer_refund: r.amount }, ...o.override,
      });
      const nonce = crypto.randomBytes(6).toString('hex');
      const body = JSON.stringify({
        id: crypto.randomUUID(), create_time: '2026-12-06T13:00:01+08:00', resource_type: 'encrypt-resource', event_type: `REFUND.${status}`, summary: '退款状态',
        resource: { original_type: 'refund', algorithm: 'AEAD_AES_256_GCM', ciphertext: encryptResource(apiV3Key, nonce, o.aad ?? 'refund', plain), associated_data: 'refund', nonce },
      });
      return { body, headers: sign(body) };
    },
    pay(outTradeNo) {
      const o = orders.get(outTradeNo)!;
      o.trade_state = 'SUCCESS';
      return o;
    },
    callback(outTradeNo, o = {}) {
      const order = orders.get(outTradeNo)!;
      const { refunds: _r, prepay_id: _p, ...tx } = order;
      const plain = JSON.stringify({ ...tx, success_time: '2026-12-06T12:00:00+08:00', ...o.override });
      const nonce = crypto.randomBytes(6).toString('hex');
      const aad = 'transaction';
      const body = JSON.stringify({
        id: crypto.randomUUID(), create_time: '2026-12-06T12:00:01+08:00', resource_type: 'encrypt-resource', event_type: o.eventType ?? 'TRANSACTION.SUCCESS', summary: '支付成功',
        resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: encryptResource(apiV3Key, nonce, o.aad ?? aad, plain), associated_data: aad, nonce },
      });
      return { body, headers: sign(body, o.timestamp, o.signWith) };
    },
    close: () => server.close(),
  };
  return fake;
}
