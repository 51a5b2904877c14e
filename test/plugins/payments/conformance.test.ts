// The conformance suite (issue 18, spec requirement 5): one set of tests, written once, run
// unchanged against every payment adapter — card (Stripe), Alipay QR and page, WeChat Pay Native
// and JSAPI — and the core's offline provider (bank transfer). Each adapter is driven through a
// small driver that plays its gateway (the local fakes) and the shopper; the assertions are the
// same for all: what checkout hands the shopper, the order paid once however often the gateway
// notifies (in the gateway's own acknowledgement format), a tampered notification refused, a lost
// one made good by the shopper's return, a retried checkout starting one payment at the gateway,
// partial refunds never above what was paid, cancellation releasing stock and voiding at the
// gateway, amounts a gateway cannot take not offered, and the gateway-side state machine's log.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { startTestKit, type KitResponse, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import payments from '../../../plugins/payments/index.js';
import { CARDS, startFakeStripe, type FakeStripe } from './fakes/stripe.js';
import { startFakeAlipay, type FakeAlipay } from './fakes/alipay.js';
import { startFakeWechat, type FakeWechat } from './fakes/wechat.js';
import { ADDRESS, adminAct, applied, makeVariant, staffOrder } from './support.js';
import { PaymentRefusedError } from '../../../core/orders/payment.provider.js';
import { paymentInput } from '../../../core/orders/payment.service.js';
import { Order, Payment } from '../../../core/orders/order.model.js';
import { scoped } from '../../../core/db/model.js';

const KEY = 'sk_test_fake_key_C';
const WHSEC = 'whsec_fake_C';

interface Note { body: string; headers: Record<string, string>; contentType?: string }

interface Driver {
  name: string;
  provider: string;
  method: string;
  currency: string;
  price: number;
  settings(): Record<string, unknown>;
  payer?: { openid: string };
  /** What checkout hands the shopper. */
  action: string;
  /** The shopper pays at the gateway (card form, scan, payment sheet); nothing when money arrives by hand. */
  pay(p: { paymentId: string; reference: string; total: number }): Promise<void>;
  /** The gateway's notification of that payment, signed as it signs; absent: the provider takes none. */
  notification?(p: { paymentId: string; reference: string }): Note;
  /** Its acknowledgement of a notification. */
  ack?: { status: number; text?: string };
  /** How money is confirmed without a notification: the shopper's return (sync) or staff (offline). */
  settle(kit: TestKit, t: KitTenant, placed: Placed): Promise<KitResponse>;
  /** What the gateway holds: refunds made, whether the payment was voided, how many payments it started. */
  refundsAt(p: { paymentId: string; reference: string }, kit: TestKit, t: KitTenant, orderId: string): Promise<number[]>;
  voidedAt(p: { paymentId: string; reference: string }): boolean;
  startedAt(): number;
  /** An amount the gateway cannot take: its method is not offered for it. */
  unrepresentable?: { currency: string; amount: number };
  /** The plugin tracks its gateway-side state (the offline provider is the core's). */
  tracked: boolean;
}

interface Placed { order: any; orderToken: string; paymentId: string; reference: string }

const sync = (kit: TestKit, t: KitTenant, placed: Placed) => kit.post(`/store/v1/orders/${placed.order.id}/payment/sync`, {}, { tenant: t.slug, headers: { 'x-order-token': placed.orderToken } });

let stripe: FakeStripe;
let ali: FakeAlipay;
let wx: FakeWechat;

const wechatSettings = () => ({
  wechatEnabled: true, wechatMchId: wx.mchId, wechatAppId: wx.appId, wechatSerialNo: wx.serialNo, wechatPrivateKey: wx.merchantKeys.privateKey,
  wechatApiV3Key: wx.apiV3Key, wechatPlatformPublicKey: wx.platformKeys.publicKey, wechatPlatformSerial: wx.platformSerial, wechatBaseUrl: wx.url, wechatNotifyUrl: 'https://shop.example/hooks/wx',
});
const alipaySettings = () => ({
  alipayEnabled: true, alipayAppId: ali.appId, alipaySellerId: ali.sellerId, alipayPrivateKey: ali.appKeys.privateKey, alipayPublicKey: ali.alipayKeys.publicKey, alipayGateway: ali.gateway,
});
const alipayDriver = (method: 'alipay_qr' | 'alipay_page', action: string): Driver => ({
  name: `Alipay ${method}`, provider: 'alipay', method, currency: 'CNY', price: 12_345, action, tracked: true,
  settings: alipaySettings,
  async pay({ paymentId, total }) {
    ali.pay(paymentId, `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`);
  },
  notification: ({ paymentId }) => ({ body: ali.notifyBody(paymentId), headers: {}, contentType: 'application/x-www-form-urlencoded' }),
  ack: { status: 200, text: 'success' },
  settle: sync,
  refundsAt: async ({ paymentId }) => [...(ali.trades.get(paymentId)?.refunds.values() ?? [])],
  voidedAt: ({ paymentId }) => !ali.trades.has(paymentId) || ali.trades.get(paymentId)!.status === 'TRADE_CLOSED',
  startedAt: () => ali.server.requests.filter((r) => /alipay\.trade\.precreate/.test(r.body + r.query.toString())).length,
  unrepresentable: { currency: 'USD', amount: 1000 },
});
const wechatDriver = (method: 'wechat_native' | 'wechat_jsapi', action: string, payer?: { openid: string }): Driver => ({
  name: `WeChat Pay ${method}`, provider: 'wechatpay', method, currency: 'CNY', price: 8_800, action, payer, tracked: true,
  settings: wechatSettings,
  async pay({ paymentId }) {
    wx.pay(paymentId);
  },
  notification: ({ paymentId }) => wx.callback(paymentId),
  ack: { status: 204, text: '' },
  settle: sync,
  refundsAt: async ({ paymentId }) => [...(wx.orders.get(paymentId)?.refunds.values() ?? [])].map((r) => r.amount),
  voidedAt: ({ paymentId }) => wx.orders.get(paymentId)?.trade_state === 'CLOSED',
  startedAt: () => wx.orders.size,
  unrepresentable: { currency: 'USD', amount: 1000 },
});

const DRIVERS: Driver[] = [
  {
    name: 'card (Stripe)', provider: 'stripe', method: 'card', currency: 'USD', price: 2_500, action: 'card_form', tracked: true,
    settings: () => ({ cardEnabled: true, cardSecretKey: KEY, cardWebhookSecrets: WHSEC, cardPublishableKey: 'pk_test_C', cardBaseUrl: stripe.url }),
    async pay({ reference }) {
      await stripe.confirm(reference, CARDS.success);
    },
    notification: ({ reference }) => {
      const evt = stripe.events.filter((e) => e.type === 'payment_intent.succeeded' && e.body.includes(reference)).at(-1)!;
      return { body: evt.body, headers: { 'stripe-signature': stripe.sign(evt.body) } };
    },
    ack: { status: 200 },
    settle: sync,
    refundsAt: async ({ reference }) => stripe.refunds.filter((r) => stripe.charges.get(r.charge)?.payment_intent === reference).map((r) => r.amount),
    voidedAt: ({ reference }) => stripe.intents.get(reference)?.status === 'canceled',
    startedAt: () => stripe.intents.size,
    // Stripe takes KWD in fils ending in 0 only.
    unrepresentable: { currency: 'KWD', amount: 1_235 },
  },
  alipayDriver('alipay_qr', 'qr_code'),
  alipayDriver('alipay_page', 'redirect'),
  wechatDriver('wechat_native', 'qr_code'),
  wechatDriver('wechat_jsapi', 'wechat_jsapi', { openid: 'oConformance_0penid-1' }),
  {
    name: 'offline (bank transfer)', provider: 'offline', method: 'bank_transfer', currency: 'USD', price: 3_100, action: 'instructions', tracked: false,
    settings: () => ({}),
    async pay() {
      // The money travels by bank; nothing happens until staff see it.
    },
    settle: (kit, t, placed) => adminAct(kit, t, placed.order.id, 'confirm-payment', {}),
    refundsAt: async (_p, kit, t, orderId) => (await staffOrder(kit, t, orderId)).refunds.map((r: { amount: number }) => r.amount),
    voidedAt: () => true,
    startedAt: () => 0,
  },
];

describe('payments plugin: conformance suite (every adapter, the same tests)', function () {
  this.timeout(120_000);
  let kit: TestKit;

  before(async () => {
    stripe = await startFakeStripe({ apiKey: KEY, webhookSecret: WHSEC });
    stripe.dropWebhooks = true; // each test posts the gateway's notifications itself
    ali = await startFakeAlipay();
    wx = await startFakeWechat();
    kit = await startTestKit({ plugin: payments });
  });
  after(async () => {
    await kit?.close();
    await Promise.all([stripe?.close(), ali?.close(), wx?.close()]);
  });

  for (const d of DRIVERS) {
    describe(d.name, () => {
      let shop: KitTenant;
      let variant: string;

      async function place(idempotencyKey = crypto.randomUUID(), quantity = 1): Promise<Placed & { status: number }> {
        const cart = await kit.post('/store/v1/carts', { currency: d.currency }, { tenant: shop.slug });
        expect(cart.status, cart.text).to.equal(201);
        const headers: Record<string, string> = cart.body.token ? { 'x-cart-token': cart.body.token } : {};
        const line = await kit.post(`/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: variant, quantity }, { tenant: shop.slug, headers });
        expect(line.status, line.text).to.equal(200);
        const body = { email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: d.provider, method: d.method, ...(d.payer ? { payer: d.payer } : {}) } };
        const first = await kit.post(`/store/v1/carts/${cart.body.cart.id}/checkout`, body, { tenant: shop.slug, headers: { ...headers, 'idempotency-key': idempotencyKey } });
        expect(first.status, first.text).to.equal(201);
        const payment = (await staffOrder(kit, shop, first.body.order.id)).payments.at(-1);
        const placed = { order: first.body.order, orderToken: first.body.orderToken, paymentId: payment.id as string, reference: (payment.reference ?? payment.id) as string, status: first.status };
        (placed as { cartId?: string }).cartId = cart.body.cart.id;
        (placed as { retry?: () => Promise<KitResponse> }).retry = () => kit.post(`/store/v1/carts/${cart.body.cart.id}/checkout`, body, { tenant: shop.slug, headers: { ...headers, 'idempotency-key': idempotencyKey } });
        return placed;
      }
      const paidOnce = async (orderId: string, total: number) => {
        const order = await staffOrder(kit, shop, orderId);
        expect(order.status).to.equal('paid');
        expect(order.totals.paid).to.equal(total);
        expect(order.timeline.filter((h: { to: string }) => h.to === 'paid'), 'one move to paid').to.have.length(1);
      };
      const post = (n: Note) => kit.request('POST', `/hooks/payments/${shop.tenant.id}/${d.provider}`, { raw: n.body, headers: n.headers, ...(n.contentType ? { contentType: n.contentType } : {}) });

      before(async () => {
        shop = await kit.tenant({ enable: ['payments'], settings: { payments: d.settings() } });
        const currencies = [...new Set([d.currency, ...(d.unrepresentable ? [d.unrepresentable.currency] : [])])];
        const store = await kit.request('PATCH', '/admin/v1/store', { token: shop.ownerToken, body: { defaultCurrency: d.currency, currencies } });
        expect(store.status, store.text).to.equal(200);
        variant = await makeVariant(kit, shop, d.price, d.currency, 1000);
      });

      it('checkout hands the shopper its next step and the payment waits for the money', async () => {
        const placed = await place();
        expect(placed.order.payment.action.type).to.equal(d.action);
        expect(placed.order.status).to.equal('pending_payment');
        expect(placed.order.payment.status).to.equal('pending');
        if (d.tracked) {
          const s = await kit.get(`/admin/v1/payments/states/${placed.paymentId}`, { token: shop.ownerToken });
          expect(s.status, s.text).to.equal(200);
          expect(s.body.payment.state).to.be.oneOf(['pending', 'requires_action']);
        }
      });

      it('a retried checkout (same Idempotency-Key) starts one payment at the gateway', async () => {
        const before = d.startedAt();
        const placed = await place();
        const after = d.startedAt();
        const retry = await (placed as unknown as { retry: () => Promise<KitResponse> }).retry();
        expect(retry.status, retry.text).to.equal(201);
        expect(retry.body.order.id).to.equal(placed.order.id);
        expect(d.startedAt(), 'nothing new at the gateway').to.equal(after);
        expect(after - before).to.be.at.most(1);
        expect((await staffOrder(kit, shop, placed.order.id)).payments).to.have.length(1);
      });

      if (d.notification) {
        it('paid at the gateway: its notification, sent three times at once, is acknowledged in its format and pays the order once', async () => {
          const placed = await place();
          await d.pay({ ...placed, total: placed.order.totals.total });
          const note = d.notification!(placed);
          const answers = await Promise.all([post(note), post(note), post(note)]);
          for (const a of answers) {
            expect(a.status, a.text).to.equal(d.ack!.status);
            if (d.ack!.text !== undefined) expect(a.text).to.equal(d.ack!.text);
          }
          await applied(kit, shop);
          await paidOnce(placed.order.id, placed.order.totals.total);
          const s = await kit.get(`/admin/v1/payments/states/${placed.paymentId}`, { token: shop.ownerToken });
          expect(s.body.payment.state).to.equal('captured');
          expect(s.body.log.filter((l: { source: string; outcome: string }) => l.source === 'webhook' && l.outcome === 'moved')).to.have.length(1);
        });

        it('a notification with one byte changed is refused (4xx) and changes nothing', async () => {
          const placed = await place();
          await d.pay({ ...placed, total: placed.order.totals.total });
          const note = d.notification!(placed);
          const i = note.body.indexOf(placed.reference) >= 0 ? note.body.indexOf(placed.reference) + 2 : Math.floor(note.body.length / 2);
          const flipped = `${note.body.slice(0, i)}${note.body[i] === '0' ? '1' : '0'}${note.body.slice(i + 1)}`;
          const res = await post({ ...note, body: flipped });
          expect(res.status, res.text).to.be.within(400, 499);
          const order = await staffOrder(kit, shop, placed.order.id);
          expect(order.status).to.equal('pending_payment');
          expect(order.totals.paid).to.equal(0);
        });
      }

      it('no notification arrives: the money is confirmed without it, once', async () => {
        const placed = await place();
        await d.pay({ ...placed, total: placed.order.totals.total });
        const res = await d.settle(kit, shop, placed);
        expect(res.status, res.text).to.equal(200);
        // REQ 7: confirming a payment already captured is a successful no-op.
        const again = await d.settle(kit, shop, placed);
        expect(again.status, again.text).to.equal(200);
        await paidOnce(placed.order.id, placed.order.totals.total);
      });

      it('the contract (REQ 5): getStatus reports the money taken; update once it is taken throws the typed refusal', async () => {
        const placed = await place();
        await d.pay({ ...placed, total: placed.order.totals.total });
        expect((await d.settle(kit, shop, placed)).status).to.equal(200);
        const provider = (await kit.kernel.extensions.provider(shop.ctx, 'payment', d.provider))!;
        const order = (await scoped(shop.ctx, Order).findById(placed.order.id))!;
        const payment = (await scoped(shop.ctx, Payment).findById(placed.paymentId))!;
        const status = await provider.getStatus(shop.ctx, paymentInput(shop.ctx, order, payment, `status:${payment.id}`));
        expect(status.status).to.equal('captured');
        expect(status.amount).to.equal(placed.order.totals.total);
        let refusal: unknown;
        try {
          await provider.update(shop.ctx, paymentInput(shop.ctx, order, payment, `update:${payment.id}`, { newAmount: 1 }));
        } catch (err) {
          refusal = err;
        }
        expect(refusal).to.be.instanceOf(PaymentRefusedError);
        expect((refusal as PaymentRefusedError).status).to.equal(422);
        // The context is checked by the core before any provider sees it.
        expect(() => paymentInput(shop.ctx, order, payment, 'no spaces allowed')).to.throw(/idempotencyKey/);
      });

      it('refunds in two parts at the gateway, never above what was paid', async () => {
        const placed = await place();
        await d.pay({ ...placed, total: placed.order.totals.total });
        expect((await d.settle(kit, shop, placed)).status).to.equal(200);
        expect((await adminAct(kit, shop, placed.order.id, 'refunds', { amount: 300, reason: 'part' })).status).to.equal(201);
        expect((await adminAct(kit, shop, placed.order.id, 'refunds', { amount: 200 })).status).to.equal(201);
        const over = await adminAct(kit, shop, placed.order.id, 'refunds', { amount: placed.order.totals.total - 499 });
        expect(over.status, over.text).to.equal(409);
        expect(await d.refundsAt(placed, kit, shop, placed.order.id)).to.deep.equal([300, 200]);
        const order = await staffOrder(kit, shop, placed.order.id);
        expect(order.totals.refunded).to.equal(500);
        if (d.tracked) {
          const s = await kit.get(`/admin/v1/payments/states/${placed.paymentId}`, { token: shop.ownerToken });
          expect(s.body.payment).to.include({ state: 'partially_refunded', refunded: 500 });
        }
      });

      it('cancelling an unpaid order voids the payment at the gateway and puts the stock back', async () => {
        const stock = async () => (await kit.get(`/admin/v1/variants/${variant}/stock`, { token: shop.ownerToken })).body.available as number;
        const before = await stock();
        const placed = await place(undefined, 2);
        expect(await stock()).to.equal(before - 2);
        const res = await adminAct(kit, shop, placed.order.id, 'cancel', { reason: 'conformance' });
        expect(res.status, res.text).to.equal(200);
        expect(d.voidedAt(placed)).to.equal(true);
        expect(await stock()).to.equal(before);
        const order = await staffOrder(kit, shop, placed.order.id);
        expect(order.status).to.equal('cancelled');
        expect(order.payments.at(-1).status).to.equal('cancelled');
        if (d.tracked) expect((await kit.get(`/admin/v1/payments/states/${placed.paymentId}`, { token: shop.ownerToken })).body.payment.state).to.equal('canceled');
      });

      if (d.unrepresentable) {
        it(`an amount it cannot take (${d.unrepresentable.amount} minor units of ${d.unrepresentable.currency}) is not offered`, async () => {
          const v = await makeVariant(kit, shop, d.unrepresentable!.amount, d.unrepresentable!.currency);
          const cart = await kit.post('/store/v1/carts', { currency: d.unrepresentable!.currency }, { tenant: shop.slug });
          const headers: Record<string, string> = cart.body.token ? { 'x-cart-token': cart.body.token } : {};
          expect((await kit.post(`/store/v1/carts/${cart.body.cart.id}/lines`, { variantId: v, quantity: 1 }, { tenant: shop.slug, headers })).status).to.equal(200);
          const methods = await kit.get(`/store/v1/carts/${cart.body.cart.id}/payment-methods`, { tenant: shop.slug, headers });
          expect(methods.status, methods.text).to.equal(200);
          const offered = methods.body.items.map((m: { provider: string; id: string }) => `${m.provider}/${m.id}`);
          expect(offered).to.include('offline/bank_transfer');
          expect(offered).not.to.include(`${d.provider}/${d.method}`);
        });
      }
    });
  }
});
