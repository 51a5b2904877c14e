// A fake Alipay OpenAPI gateway (gateway.do) on loopback: it checks the app's RSA2 request
// signature, keeps trades by out_trade_no (precreate, query, refund by out_request_no, close) and
// signs its answers and its async notifies with "Alipay's" private key, as Alipay does.
import crypto from 'node:crypto';
import { startFakeServer, type FakeAnswer, type FakeServer } from './http.js';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function rsaKeys(): KeyPair {
  return crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

/** Alipay's signing string: sorted `k=v` joined with `&`, without the given keys. */
export function alipaySignString(params: Record<string, string>, without: string[] = ['sign', 'sign_type']): string {
  return Object.keys(params).filter((k) => !without.includes(k) && params[k] !== undefined && params[k] !== '').sort().map((k) => `${k}=${params[k]}`).join('&');
}

export function rsa2(content: string, privateKey: string): string {
  return crypto.createSign('RSA-SHA256').update(content, 'utf8').sign(privateKey, 'base64');
}

interface Trade {
  out_trade_no: string;
  trade_no: string;
  total_amount: string;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
  refund_fee: number;
  refunds: Map<string, number>;
}

export interface FakeAlipay {
  server: FakeServer;
  gateway: string;
  appKeys: KeyPair;
  alipayKeys: KeyPair;
  appId: string;
  sellerId: string;
  trades: Map<string, Trade>;
  refundCount: number;
  /** The shopper pays (scans the QR code, or pays on the cashier page). */
  pay(outTradeNo: string, totalAmount?: string): Trade;
  /** The async notify Alipay would send for a trade, signed (form body). */
  notifyBody(outTradeNo: string, override?: Record<string, string>, signWith?: string): string;
  close(): Promise<void>;
}

function yuanToFen(s: string): number {
  const [i, f = ''] = s.split('.');
  return Number(i) * 100 + Number(f.padEnd(2, '0'));
}
const fenToYuan = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

export async function startFakeAlipay(opts: { appId?: string; sellerId?: string } = {}): Promise<FakeAlipay> {
  const appKeys = rsaKeys();
  const alipayKeys = rsaKeys();
  const trades = new Map<string, Trade>();
  const appId = opts.appId ?? '2021000000000001';
  const sellerId = opts.sellerId ?? '2088000000000001';

  function answer(method: string, body: Record<string, unknown>): FakeAnswer {
    const key = `${method.replaceAll('.', '_')}_response`;
    const json = JSON.stringify(body);
    return { status: 200, body: `{"${key}":${json},"sign":"${rsa2(json, alipayKeys.privateKey)}"}`, headers: { 'content-type': 'text/html;charset=utf-8' } };
  }
  const ok = (extra: Record<string, unknown>) => ({ code: '10000', msg: 'Success', ...extra });
  const fail = (sub: string, msg: string) => ({ code: '40004', msg: 'Business Failed', sub_code: sub, sub_msg: msg });

  const server = await startFakeServer((req) => {
    if (req.path !== '/gateway.do') return { status: 404, body: 'not found' };
    const params: Record<string, string> = Object.fromEntries(req.query);
    for (const [k, v] of new URLSearchParams(req.body)) params[k] = v;
    const method = params.method;
    const verified = params.sign && crypto.createVerify('RSA-SHA256').update(alipaySignString(params, ['sign']), 'utf8').verify(appKeys.publicKey, params.sign, 'base64');
    if (!verified || params.sign_type !== 'RSA2' || params.app_id !== appId) return answer(method, { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' });
    const biz = JSON.parse(params.biz_content ?? '{}') as Record<string, string>;
    const trade = trades.get(biz.out_trade_no);
    switch (method) {
      case 'alipay.trade.precreate': {
        if (trade && trade.total_amount !== biz.total_amount) return answer(method, fail('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改'));
        const t = trade ?? { out_trade_no: biz.out_trade_no, trade_no: `2026${crypto.randomInt(1e9, 9e9)}`, total_amount: biz.total_amount, status: 'WAIT_BUYER_PAY' as const, refund_fee: 0, refunds: new Map() };
        trades.set(t.out_trade_no, t);
        return answer(method, ok({ out_trade_no: t.out_trade_no, qr_code: `https://qr.alipay.com/fake${t.trade_no}` }));
      }
      case 'alipay.trade.query':
        if (!trade) return answer(method, fail('ACQ.TRADE_NOT_EXIST', '交易不存在'));
        return answer(method, ok({ out_trade_no: trade.out_trade_no, trade_no: trade.trade_no, trade_status: trade.status, total_amount: trade.total_amount }));
      case 'alipay.trade.refund': {
        if (!trade || (trade.status !== 'TRADE_SUCCESS' && trade.status !== 'TRADE_CLOSED')) return answer(method, fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'));
        const fen = yuanToFen(biz.refund_amount);
        const seen = trade.refunds.get(biz.out_request_no);
        if (seen === undefined) {
          if (trade.refund_fee + fen > yuanToFen(trade.total_amount)) return answer(method, fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限'));
          trade.refunds.set(biz.out_request_no, fen);
          trade.refund_fee += fen;
          fake.refundCount++;
          if (trade.refund_fee === yuanToFen(trade.total_amount)) trade.status = 'TRADE_CLOSED';
        }
        return answer(method, ok({ out_trade_no: trade.out_trade_no, trade_no: trade.trade_no, refund_fee: fenToYuan(trade.refund_fee), fund_change: seen === undefined ? 'Y' : 'N' }));
      }
      case 'alipay.trade.close':
        if (!trade) return answer(method, fail('ACQ.TRADE_NOT_EXIST', '交易不存在'));
        if (trade.status !== 'WAIT_BUYER_PAY') return answer(method, fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'));
        trade.status = 'TRADE_CLOSED';
        return answer(method, ok({ out_trade_no: trade.out_trade_no, trade_no: trade.trade_no }));
      default:
        return answer(method, { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' });
    }
  });

  const fake: FakeAlipay = {
    server, gateway: `${server.url}/gateway.do`, appKeys, alipayKeys, appId, sellerId, trades, refundCount: 0,
    pay(outTradeNo, totalAmount) {
      let t = trades.get(outTradeNo);
      if (!t) {
        t = { out_trade_no: outTradeNo, trade_no: `2026${crypto.randomInt(1e9, 9e9)}`, total_amount: totalAmount!, status: 'WAIT_BUYER_PAY', refund_fee: 0, refunds: new Map() };
        trades.set(outTradeNo, t);
      }
      t.status = 'TRADE_SUCCESS';
      return t;
    },
    notifyBody(outTradeNo, override = {}, signWith = alipayKeys.privateKey) {
      const t = trades.get(outTradeNo)!;
      const params: Record<string, string> = {
        notify_time: '2026-12-06 12:00:00', notify_type: 'trade_status_sync', notify_id: crypto.randomBytes(12).toString('hex'), charset: 'utf-8', version: '1.0',
        app_id: appId, seller_id: sellerId, trade_no: t.trade_no, out_trade_no: t.out_trade_no, trade_status: t.status, total_amount: t.total_amount,
        receipt_amount: t.total_amount, buyer_pay_amount: t.total_amount, gmt_payment: '2026-12-06 11:59:58',
        ...(t.refund_fee ? { refund_fee: fenToYuan(t.refund_fee), gmt_refund: '2026-12-06 12:00:00.000' } : {}),
        ...override,
      };
      const sign = rsa2(alipaySignString(params), signWith);
      return new URLSearchParams({ ...params, sign_type: params.sign_type ?? 'RSA2', sign }).toString();
    },
    close: () => server.close(),
  };
  return fake;
}
