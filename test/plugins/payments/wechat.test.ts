// WeChat Pay APIv3 with the plugin's own signer against a fake WeChat Pay on loopback: Native QR
// payment, the callback (signature by Wechatpay-Serial, 300 s clock window, AEAD_AES_256_GCM,
// business fields), 204 on success and {"code":"FAIL"} otherwise, refunds, query and close.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import payments from '../../../plugins/payments/index.js';
import crypto from 'node:crypto';
import { decryptResource, encryptResource, jsapiPayParams } from '../../../plugins/payments/wechatpay.provider.js';
import { rsaKeys } from './fakes/alipay.js';
import { startFakeWechat, type FakeWechat } from './fakes/wechat.js';
import { adminAct, applied, checkout, makeVariant, shopperOrder, staffOrder } from './support.js';
import { pluginService } from '../../../core/plugins/services.js';
import { scoped } from '../../../core/db/model.js';
import { PaymentTransaction } from '../../../core/orders/order.model.js';
import type { PaymentReconcileService } from '../../../core/orders/payment.reconcile.js';

describe('payments plugin: WeChat Pay', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let wx: FakeWechat;
  let shop: KitTenant;
  let variant: string;

  const settings = () => ({
    wechatEnabled: true, wechatMchId: wx.mchId, wechatAppId: wx.appId, wechatSerialNo: wx.serialNo, wechatPrivateKey: wx.merchantKeys.privateKey,
    wechatApiV3Key: wx.apiV3Key, wechatPlatformPublicKey: wx.platformKeys.publicKey, wechatPlatformSerial: wx.platformSerial, wechatBaseUrl: wx.url,
    wechatNotifyUrl: 'https://shop.example/store/v1/payments/wechatpay/webhook',
  });
  // Answered at once, applied from the queue: the helper waits until the store's notifications are applied.
  const post = async (t: KitTenant, cb: { body: string; headers: Record<string, string> }) => {
    const res = await kit.request('POST', '/store/v1/payments/wechatpay/webhook', { tenant: t.slug, raw: cb.body, headers: cb.headers });
    await applied(kit, t);
    return res;
  };
  async function placed() {
    const p = await checkout(kit, shop, variant, { provider: 'wechatpay', method: 'wechat_native' }, { currency: 'CNY' });
    const paymentId = (await staffOrder(kit, shop, p.order.id)).payments[0].id as string;
    return { ...p, paymentId };
  }

  before(async () => {
    wx = await startFakeWechat();
    kit = await startTestKit({ plugin: payments });
    shop = await kit.tenant({ enable: ['payments'], settings: { payments: settings() } });
    const cny = await kit.request('PATCH', '/admin/v1/store', { token: shop.ownerToken, body: { defaultCurrency: 'CNY', currencies: ['CNY'] } });
    expect(cny.status, cny.text).to.equal(200);
    variant = await makeVariant(kit, shop, 8_800, 'CNY');
  });
  after(async () => {
    await kit?.close();
    await wx?.close();
  });

  it('decrypts the spec vector (AEAD_AES_256_GCM, tag at the end) and refuses a wrong AAD', () => {
    const r = { ciphertext: 'i1is0ebmSkGKa2LQdcBD+t+lemgc7qXoFiF9a5B8Ms8lep5gd5aoCgiemgl2iuBZSKwHVlMGeyvtdhEYgQ==', nonce: 'abcdef123456', associated_data: 'transaction' };
    expect(decryptResource('0123456789abcdef0123456789abcdef', r)).to.equal('{"out_trade_no":"o1","trade_state":"SUCCESS"}');
    expect(encryptResource('0123456789abcdef0123456789abcdef', 'abcdef123456', 'transaction', '{"out_trade_no":"o1","trade_state":"SUCCESS"}')).to.equal(r.ciphertext);
    expect(() => decryptResource('0123456789abcdef0123456789abcdef', { ...r, associated_data: 'refund' })).to.throw(/cannot be decrypted/);
  });

  it('Native QR: the signed request creates the order, the callback is answered 204 and pays the order once', async () => {
    const p = await placed();
    expect(p.order.payment.action).to.include({ type: 'qr_code' });
    expect(p.order.payment.action.url).to.match(/^weixin:\/\/wxpay\/bizpayurl/);
    expect(wx.orders.get(p.paymentId)!.amount.total).to.equal(p.order.totals.total);
    wx.pay(p.paymentId);
    const cb = wx.callback(p.paymentId);
    const first = await post(shop, cb);
    expect(first.status).to.equal(204);
    expect(first.text).to.equal('');
    expect((await post(shop, cb)).status).to.equal(204);
    const order = await staffOrder(kit, shop, p.order.id);
    expect(order.status).to.equal('paid');
    expect(order.totals.paid).to.equal(p.order.totals.total);
    expect(order.timeline.filter((h: { to: string }) => h.to === 'paid')).to.have.length(1);
  });

  it('answers FAIL to a flipped byte, a stale timestamp, another key, an unknown serial or a wrong AAD; applies nothing of another amount or merchant', async () => {
    const p = await placed();
    wx.pay(p.paymentId);
    const good = wx.callback(p.paymentId);
    const flipped = await post(shop, { body: good.body.replace('支付成功', '支付成攻'), headers: good.headers });
    expect(flipped.status).to.equal(400);
    expect(flipped.body).to.include({ code: 'FAIL' });
    expect((await post(shop, wx.callback(p.paymentId, { timestamp: Math.floor(Date.now() / 1000) - 301 }))).status).to.equal(400);
    expect((await post(shop, wx.callback(p.paymentId, { signWith: rsaKeys().privateKey }))).status).to.equal(400);
    const serial = wx.callback(p.paymentId);
    expect((await post(shop, { body: serial.body, headers: { ...serial.headers, 'wechatpay-serial': 'PUB_KEY_ID_OTHER' } })).status).to.equal(400);
    expect((await post(shop, wx.callback(p.paymentId, { aad: 'tampered' }))).status).to.equal(400);
    expect((await post(shop, wx.callback(p.paymentId, { override: { mchid: '1900000999' } }))).status).to.equal(400);
    const cheaper = await post(shop, wx.callback(p.paymentId, { override: { amount: { total: 1, payer_total: 1, currency: 'CNY' } } }));
    expect(cheaper.status).to.equal(204);
    const order = await staffOrder(kit, shop, p.order.id);
    expect(order.status).to.equal('pending_payment');
    expect(order.totals.paid).to.equal(0);
    expect(JSON.stringify(order.timeline)).to.include('Alert: wechatpay reported captured for 1 instead of');
  });

  it('refunds twice by out_refund_no, never above what was paid', async () => {
    const p = await placed();
    wx.pay(p.paymentId);
    expect((await post(shop, wx.callback(p.paymentId))).status).to.equal(204);
    expect((await adminAct(kit, shop, p.order.id, 'refunds', { amount: 800, reason: '破损' })).status).to.equal(201);
    expect((await adminAct(kit, shop, p.order.id, 'refunds', { amount: 1000 })).status).to.equal(201);
    expect((await adminAct(kit, shop, p.order.id, 'refunds', { amount: p.order.totals.total })).status).to.equal(409);
    const refunds = [...wx.orders.get(p.paymentId)!.refunds.values()];
    expect(refunds.map((r) => r.amount)).to.deep.equal([800, 1000]);
    expect((await staffOrder(kit, shop, p.order.id)).totals.refunded).to.equal(1800);
  });

  it('a refund whose answer was lost is pending and held (202); the payments job asks again by its out_refund_no: one refund, counted once; a staff retry is answered with it', async () => {
    const p = await placed();
    wx.pay(p.paymentId);
    expect((await post(shop, wx.callback(p.paymentId))).status).to.equal(204);
    const before = wx.refundCount;
    wx.server.loseResponses(1, (r) => r.path === '/v3/refund/domestic/refunds');
    const lost = await adminAct(kit, shop, p.order.id, 'refunds', { amount: 1200 });
    expect(lost.status, lost.text).to.equal(202);
    expect(lost.body.status).to.equal('pending');
    expect(wx.refundCount - before, 'WeChat Pay made it').to.equal(1);
    let order = await staffOrder(kit, shop, p.order.id);
    expect(order.totals.refunded).to.equal(0);
    expect(order.payments[0].refundedAmount).to.equal(1200);

    // What the plugin's reconcile job runs each round.
    const reconcile = pluginService('payments:reconcile')!.create(kit.kernel, { name: 'payments' }) as PaymentReconcileService;
    expect((await reconcile.replayOperations(shop.ctx, { provider: 'wechatpay' })).map((r) => r.outcome)).to.deep.equal(['succeeded']);
    const sent = wx.server.requests.filter((r) => r.path === '/v3/refund/domestic/refunds').slice(-2).map((r) => JSON.parse(r.body).out_refund_no);
    expect(sent[0], 'the same out_refund_no').to.equal(sent[1]);
    expect(wx.refundCount - before).to.equal(1);
    order = await staffOrder(kit, shop, p.order.id);
    expect(order.totals.refunded).to.equal(1200);
    expect(order.refunds.map((r: { status: string }) => r.status)).to.deep.equal(['succeeded']);

    const retry = await adminAct(kit, shop, p.order.id, 'refunds', { amount: 1200 });
    expect(retry.status, retry.text).to.equal(201);
    expect(retry.body.id).to.equal(lost.body.id);
    expect(wx.refundCount - before).to.equal(1);
    expect((await staffOrder(kit, shop, p.order.id)).totals.refunded).to.equal(1200);
  });

  it('a refund WeChat Pay is still processing is held, and its refund notification (REFUND.*, decrypted, verified) settles it: SUCCESS counts it, ABNORMAL gives it back', async () => {
    const p = await placed();
    wx.pay(p.paymentId);
    expect((await post(shop, wx.callback(p.paymentId))).status).to.equal(204);
    wx.refundStatus = 'PROCESSING';
    let refunded: string[];
    try {
      const first = await adminAct(kit, shop, p.order.id, 'refunds', { amount: 300, reason: '少发' });
      expect(first.status, first.text).to.equal(201);
      expect(first.body.status).to.equal('pending');
      const second = await adminAct(kit, shop, p.order.id, 'refunds', { amount: 200 });
      expect(second.status, second.text).to.equal(201);
      refunded = [...wx.orders.get(p.paymentId)!.refunds.keys()];
    } finally {
      wx.refundStatus = 'SUCCESS';
    }
    let order = await staffOrder(kit, shop, p.order.id);
    expect(order.totals.refunded, 'nothing counted before WeChat Pay confirms').to.equal(0);
    expect(order.payments[0].refundedAmount, 'but the amount is held').to.equal(500);
    expect(order.refunds.map((r: { status: string }) => r.status)).to.deep.equal(['pending', 'pending']);
    // A notification whose resource was encrypted with another AAD is refused, and changes nothing.
    const tampered = await post(shop, wx.refundCallback(p.paymentId, refunded[0], 'SUCCESS', { aad: 'transaction' }));
    expect(tampered.status).to.equal(400);
    expect(JSON.parse(tampered.text)).to.include({ code: 'FAIL' });
    // Another merchant's refund: refused.
    expect((await post(shop, wx.refundCallback(p.paymentId, refunded[0], 'SUCCESS', { override: { mchid: '1900000999' } }))).status).to.equal(400);
    const ok = wx.refundCallback(p.paymentId, refunded[0], 'SUCCESS');
    expect((await post(shop, ok)).status).to.equal(204);
    expect((await post(shop, ok)).status, 'a repeat is answered the same').to.equal(204);
    expect((await post(shop, wx.refundCallback(p.paymentId, refunded[1], 'ABNORMAL'))).status).to.equal(204);
    order = await staffOrder(kit, shop, p.order.id);
    expect(order.totals.refunded).to.equal(300);
    expect(order.payments[0].refundedAmount, 'the failed refund\'s amount is free again').to.equal(300);
    expect(order.refunds.map((r: { status: string; amount: number }) => `${r.amount}:${r.status}`).sort()).to.deep.equal(['200:failed', '300:succeeded']);
    expect(JSON.stringify(order.timeline)).to.include('failed at wechatpay');
    const state = await kit.get(`/admin/v1/payments/states/${p.paymentId}`, { token: shop.ownerToken });
    expect(state.body.payment).to.include({ state: 'partially_refunded', refunded: 300 });
    // The 200 can be refunded again.
    expect((await adminAct(kit, shop, p.order.id, 'refunds', { amount: 200 })).status).to.equal(201);
    expect((await staffOrder(kit, shop, p.order.id)).totals.refunded).to.equal(500);
  });

  it('cancelling an unpaid order closes it at WeChat Pay; a lost callback is made good by a query', async () => {
    const p = await placed();
    expect((await adminAct(kit, shop, p.order.id, 'cancel', { reason: '超时' })).status).to.equal(200);
    expect(wx.orders.get(p.paymentId)!.trade_state).to.equal('CLOSED');
    expect((await shopperOrder(kit, shop, p)).status).to.equal('cancelled');

    const q = await placed();
    expect((await adminAct(kit, shop, q.order.id, 'confirm-payment', {})).status).to.equal(422);
    wx.pay(q.paymentId);
    const res = await adminAct(kit, shop, q.order.id, 'confirm-payment', {});
    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal('paid');
  });

  it('JSAPI: prepays for the payer\'s openid and hands the page a paySign the merchant key made over appId, timeStamp, nonceStr and package', async () => {
    const openid = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
    const p = await checkout(kit, shop, variant, { provider: 'wechatpay', method: 'wechat_jsapi', payer: { openid } } as never, { currency: 'CNY' });
    const paymentId = (await staffOrder(kit, shop, p.order.id)).payments[0].id as string;
    const at = wx.orders.get(paymentId)!;
    expect(at).to.include({ trade_type: 'JSAPI' });
    expect(at.payer).to.deep.equal({ openid });
    const action = p.order.payment.action;
    expect(action.type).to.equal('wechat_jsapi');
    const params = action.params as Record<string, string>;
    expect(params).to.include({ appId: wx.appId, package: `prepay_id=${at.prepay_id}`, signType: 'RSA' });
    expect(params.timeStamp).to.match(/^\d{10}$/);
    expect(Math.abs(Number(params.timeStamp) - Date.now() / 1000)).to.be.below(60);
    const message = `${params.appId}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    expect(crypto.createVerify('RSA-SHA256').update(message).verify(wx.merchantKeys.publicKey, params.paySign, 'base64')).to.equal(true);
    expect(crypto.createVerify('RSA-SHA256').update(message.replace(params.package, 'prepay_id=wx_other')).verify(wx.merchantKeys.publicKey, params.paySign, 'base64')).to.equal(false);
    // The payment sheet succeeds in WeChat; the callback pays the order once.
    wx.pay(paymentId);
    expect((await post(shop, wx.callback(paymentId))).status).to.equal(204);
    expect((await post(shop, wx.callback(paymentId))).status).to.equal(204);
    const order = await staffOrder(kit, shop, p.order.id);
    expect(order.status).to.equal('paid');
    expect(order.timeline.filter((h: { to: string }) => h.to === 'paid')).to.have.length(1);
  });

  it('JSAPI: a start that timed out is pending; its replay prepays for the same openid (kept with the open attempt, cleared once answered, never logged)', async () => {
    const openid = `oTimeout_${crypto.randomBytes(6).toString('hex')}`;
    wx.server.loseResponses(1, (r) => r.path === '/v3/pay/transactions/jsapi');
    const p = await checkout(kit, shop, variant, { provider: 'wechatpay', method: 'wechat_jsapi', payer: { openid } } as never, { currency: 'CNY' });
    expect(p.order.payment).to.include({ status: 'pending', action: null });
    const paymentId = (await staffOrder(kit, shop, p.order.id)).payments[0].id as string;
    expect(wx.orders.get(paymentId)!.payer, 'WeChat Pay took the first request').to.deep.equal({ openid });

    const sync = await kit.post(`/store/v1/orders/${p.order.id}/payment/sync`, {}, { tenant: shop.slug, headers: { 'x-order-token': p.orderToken } });
    expect(sync.status, sync.text).to.equal(200);
    const jsapi = wx.server.requests.filter((r) => r.path === '/v3/pay/transactions/jsapi' && r.body.includes(paymentId));
    expect(jsapi.map((r) => JSON.parse(r.body).payer), 'the replay carried the payer').to.deep.equal([{ openid }, { openid }]);
    const seen = await shopperOrder(kit, shop, p);
    expect(seen.payment.status).to.equal('pending');
    expect(seen.payment.action.type).to.equal('wechat_jsapi');
    expect(seen.payment.action.params.package).to.equal(`prepay_id=${wx.orders.get(paymentId)!.prepay_id}`);
    const attempt = await scoped(shop.ctx, PaymentTransaction).where({ payment_id: paymentId, kind: 'initiate' }).first();
    expect(attempt).to.include({ status: 'succeeded', payer: null });
    expect(JSON.stringify(kit.logs), 'the openid is in no log line').to.not.include(openid);
  });

  it('JSAPI: paySign over fixed inputs verifies with the merchant key; without an openid the payment fails with PAYER_OPENID_REQUIRED and the shopper pays again with one; a malformed openid is a 400', async () => {
    const fixed = jsapiPayParams({ appId: wx.appId, privateKey: wx.merchantKeys.privateKey }, 'wx201410272009395522657a690389285100', '1414561699', '5K8264ILTKCH16CQ2502SI8ZNMTM67VS');
    expect(fixed).to.include({ appId: wx.appId, timeStamp: '1414561699', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    expect(crypto.createVerify('RSA-SHA256').update(`${wx.appId}\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n`).verify(wx.merchantKeys.publicKey, fixed.paySign, 'base64')).to.equal(true);

    const before = wx.server.requests.filter((r) => r.path === '/v3/pay/transactions/jsapi').length;
    const p = await checkout(kit, shop, variant, { provider: 'wechatpay', method: 'wechat_jsapi' }, { currency: 'CNY' });
    const order = await staffOrder(kit, shop, p.order.id);
    expect(order.payments[0].status).to.equal('failed');
    expect(JSON.stringify(order.timeline)).to.include('openid');
    expect(wx.server.requests.filter((r) => r.path === '/v3/pay/transactions/jsapi').length).to.equal(before);

    const bad = await kit.post(`/store/v1/orders/${p.order.id}/payments`, { provider: 'wechatpay', method: 'wechat_jsapi', payer: { openid: 'not an openid' } }, { tenant: shop.slug, headers: { 'x-order-token': p.orderToken, 'idempotency-key': crypto.randomUUID() } });
    expect(bad.status, bad.text).to.equal(400);
    expect(bad.text).to.include('payer');

    const again = await kit.post(`/store/v1/orders/${p.order.id}/payments`, { provider: 'wechatpay', method: 'wechat_jsapi', payer: { openid: 'oUpF8uN95-Ptaags6E_roPHg7AG0' } }, { tenant: shop.slug, headers: { 'x-order-token': p.orderToken, 'idempotency-key': crypto.randomUUID() } });
    expect(again.status, again.text).to.equal(200);
    expect(again.body.payment.action.type).to.equal('wechat_jsapi');
    const second = (await staffOrder(kit, shop, p.order.id)).payments.find((x: { status: string }) => x.status === 'pending');
    expect(wx.orders.get(second.id)!.payer).to.deep.equal({ openid: 'oUpF8uN95-Ptaags6E_roPHg7AG0' });
    expect(again.body.payment.action.params.package).to.equal(`prepay_id=${wx.orders.get(second.id)!.prepay_id}`);
  });

  it('every request carries a valid merchant signature (the fake answers 401 otherwise) and a forged answer is not believed', async () => {
    const other = await kit.tenant({ enable: ['payments'], settings: { payments: { ...settings(), wechatPlatformPublicKey: rsaKeys().publicKey } } });
    await kit.request('PATCH', '/admin/v1/store', { token: other.ownerToken, body: { defaultCurrency: 'CNY', currencies: ['CNY'] } });
    const v = await makeVariant(kit, other, 500, 'CNY');
    const p = await checkout(kit, other, v, { provider: 'wechatpay', method: 'wechat_native' }, { currency: 'CNY' });
    // An answer whose signature does not verify is not believed: its outcome is unknown, so the
    // payment stays pending (checked with the gateway later), never paid and never failed (REQ 16).
    const order = await staffOrder(kit, other, p.order.id);
    expect(order.payments[0].status).to.equal('pending');
    expect(JSON.stringify(order.timeline)).to.include('not failed');
    expect(wx.server.requests.every((r) => String(r.headers.authorization).startsWith('WECHATPAY2-SHA256-RSA2048 mchid="1900000109"'))).to.equal(true);
  });
});
