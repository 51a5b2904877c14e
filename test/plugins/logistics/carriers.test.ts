// Carriers against local fakes (requirements 25, 29 and the EasyPost webhook vector): live rates
// next to static methods, a slow or down carrier hidden without failing checkout, the Cainiao
// signature, and EasyPost through its official SDK.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import logistics from '../../../plugins/logistics/index.js';
import { cainiaoForm, dataDigest, readCainiaoPush, verifyDigest } from '../../../plugins/logistics/carriers/cainiao.js';
import { easypostAdapter, minorOf, verifyEasypostWebhook } from '../../../plugins/logistics/carriers/easypost.js';
import { startFakeCarriers, type FakeCarriers } from './fake-carriers.js';
import { address, cart, method, variant, zone } from './support.js';

const SECRET = 'cn-secret-key';
const SHIP_FROM = { name: 'Warehouse', line1: '1 Dock Road', city: 'Oakland', region: 'CA', postalCode: '94607', country: 'US' };

describe('logistics carriers', function () {
  this.timeout(60_000);

  describe('Cainiao signature', () => {
    it('matches the vendor vector hello1234 / key123', () => {
      expect(dataDigest('hello1234', 'key123')).to.equal('ufYU7rvXhHY3IDyZgyt6SA==');
      expect(verifyDigest('hello1234', 'ufYU7rvXhHY3IDyZgyt6SA==', 'key123')).to.equal(true);
      expect(verifyDigest('hello1235', 'ufYU7rvXhHY3IDyZgyt6SA==', 'key123')).to.equal(false);
    });

    it('keeps a digest with + intact through URL encoding, and reads signed pushes only', () => {
      let i = 0;
      const next = () => JSON.stringify({ mailNo: `YT${i++}`, note: '中文 a+b' });
      let content = next();
      while (!dataDigest(content, SECRET).includes('+')) content = next();
      const form = cainiaoForm('TMS_WAYBILL_GET', content, { providerId: 'P1', secret: SECRET, msgId: 'm1' });
      expect(form).not.to.include('+' + '=');
      const parsed = new URLSearchParams(form);
      expect(parsed.get('data_digest')).to.include('+');
      expect(parsed.get('logistics_interface')).to.equal(content);
      expect(verifyDigest(parsed.get('logistics_interface')!, parsed.get('data_digest')!, SECRET)).to.equal(true);
      // The pitfall: decoding the raw form naively turns + into a space, and the check fails.
      expect(verifyDigest(content, parsed.get('data_digest')!.replace(/\+/g, ' '), SECRET)).to.equal(false);
      expect(readCainiaoPush(Object.fromEntries(parsed), SECRET)).to.deep.include({ msgType: 'TMS_WAYBILL_GET' });
      expect(readCainiaoPush({ ...Object.fromEntries(parsed), data_digest: dataDigest(content, 'wrong') }, SECRET)).to.equal(null);
    });
  });

  describe('EasyPost through the SDK', () => {
    it('verifies the webhook vector and refuses a forged one', () => {
      const good = 'hmac-sha256-hex=1a40eb83e15f734755fdb721407d5baed94fce08ccc2295a26cf1c02b0dd039e';
      expect(verifyEasypostWebhook('{"id":"evt_x"}', { 'x-hmac-signature': good }, 'easypost_secret')).to.deep.equal({ id: 'evt_x' });
      expect(verifyEasypostWebhook('{"id":"evt_y"}', { 'x-hmac-signature': good }, 'easypost_secret')).to.equal(null);
      expect(verifyEasypostWebhook('{"id":"evt_x"}', {}, 'easypost_secret')).to.equal(null);
    });

    it('reads decimal rates into minor units exactly', () => {
      expect([minorOf('7.50'), minorOf('7.5'), minorOf('10'), minorOf('0.07'), minorOf(12.3)]).to.deep.equal([750, 750, 1000, 7, 1230]);
    });

    it('rates, buys, tracks and refunds at the fake through the official SDK with a base URL', async () => {
      const fake = await startFakeCarriers({ cainiaoSecret: SECRET });
      try {
        const ep = easypostAdapter({ apiKey: 'EZTK_test', baseUrl: fake.url('/v2/'), timeoutMs: 2000 });
        const req = { from: SHIP_FROM, to: address(), parcel: { weightGrams: 2268 } };
        expect((await ep.rates(req)).map((r) => [r.service, r.amount, r.currency])).to.deep.equal([['Ground', 525, 'USD'], ['Priority', 750, 'USD']]);
        const created = fake.calls.find((c) => c.path === '/v2/shipments')!;
        expect(JSON.parse(created.body).shipment.parcel.weight).to.equal(80);
        expect(created.headers.authorization).to.match(/^Basic /);
        const label = await ep.buyLabel({ ...req, service: 'Priority', reference: 'ful_1', idempotencyKey: 'key-1' });
        expect(fake.calls.filter((c) => c.path.endsWith('/buy')).map((c) => c.headers['idempotency-key'])).to.deep.equal(['key-1']);
        expect(await ep.buyLabel({ ...req, service: 'Priority', reference: 'ful_1', idempotencyKey: 'key-1' })).to.deep.equal(label);
        expect(fake.buys, 'the same key is one charge').to.equal(1);
        expect(label).to.deep.include({ carrier: 'USPS', service: 'Priority', amount: 750, currency: 'USD' });
        expect(label.trackingNumber).to.match(/^EZshp_/);
        expect(label.labelUrl).to.match(/^https:\/\/labels\.example\//);
        const events = await ep.track(label);
        expect(events.map((e) => [e.rawStatus, e.rawDetail])).to.deep.equal([['pre_transit', null], ['in_transit', 'arrived_at_facility']]);
        await ep.cancel(label);
        expect(fake.calls.some((c) => c.path.endsWith('/refund'))).to.equal(true);
      } finally {
        await fake.close();
      }
    });
  });

  describe('live rates at checkout', () => {
    let kit: TestKit;
    let fake: FakeCarriers;
    const settings = { shipFrom: SHIP_FROM, easypostApiKey: 'EZTK_test', cainiaoProviderId: 'P1', cainiaoSecret: SECRET };

    async function store(): Promise<KitTenant> {
      const t = await kit.tenant({ enable: ['logistics'], settings: { logistics: settings } });
      const z = await zone(kit, t, { name: 'US', areas: [{ country: 'US' }] });
      await method(kit, t, { zoneId: z.id, code: 'flat', label: 'Standard', calculator: { type: 'flat', amount: 600 } });
      await method(kit, t, { zoneId: z.id, code: 'ep', label: 'Carrier', calculator: { type: 'carrier', carrier: 'easypost', markup: 100 } });
      await method(kit, t, { zoneId: z.id, code: 'cn', label: 'Economy', calculator: { type: 'carrier', carrier: 'cainiao' } });
      return t;
    }

    before(async () => {
      fake = await startFakeCarriers({ cainiaoSecret: SECRET });
      kit = await startTestKit({ plugin: logistics, options: { logistics: { easypostBaseUrl: fake.url('/v2/'), cainiaoBaseUrl: fake.url('/cainiao'), rateTimeoutMs: 3000 } } });
    });
    after(async () => {
      await kit?.close();
      await fake?.close();
    });

    it('offers live carrier rates (with markup) next to the static methods; a carrier answering in an unknown currency is left out', async () => {
      const t = await store();
      const box = await variant(kit, t, { shipping: { weight: { value: 5, unit: 'lb' } } });
      const c = await cart(kit, t, [{ variantId: box.variantId, quantity: 1 }], address());
      const opts = await c.options();
      expect(opts.map((o) => [o.id, o.amount])).to.deep.equal([['flat', 600], ['ep:ground', 625], ['ep:priority', 850]]);
      expect(opts.find((o) => o.id === 'ep:priority')).to.deep.include({ label: 'Carrier (USPS Priority)', carrier: 'USPS', minDays: 2 });
      const cn = fake.calls.find((x) => x.path === '/cainiao')!;
      expect(cn.headers['content-type']).to.match(/x-www-form-urlencoded/);
      expect(new URLSearchParams(cn.body).get('msg_type')).to.equal('CN_RATE_QUERY');
      const res = await kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'ep:priority' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: c.headers });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.order.shippingMethod).to.deep.equal({ provider: 'logistics', option: 'ep:priority', label: 'Carrier (USPS Priority)', amount: 850 });
    });

    it('a carrier that sleeps 5 s is given up at the time limit: checkout shows and takes the static methods only', async () => {
      const t = await store();
      const box = await variant(kit, t, { shipping: { weight: { value: 1, unit: 'kg' } } });
      fake.delay.easypost = 5000;
      try {
        const c = await cart(kit, t, [{ variantId: box.variantId, quantity: 1 }], address());
        expect((await c.options()).map((o) => o.id)).to.deep.equal(['flat']);
        // The SDK call was abandoned (its connection closed) rather than waited out.
        await kit.waitFor(() => fake.aborted.includes('/v2/shipments'), { what: 'the slow rate request to be abandoned', timeoutMs: 4000 });
        expect(kit.logs.some((l) => l.msg === 'carrier rates unavailable; its live options are hidden' && l.carrier === 'easypost' && l.timedOut === true)).to.equal(true);
        const res = await kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'flat' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: c.headers });
        expect(res.status, res.text).to.equal(201);
        expect(res.body.order.shippingMethod.option).to.equal('flat');
      } finally {
        fake.delay.easypost = 0;
      }
    });

    it('a carrier that is down hides its rates and never fails the cart', async () => {
      const t = await store();
      const box = await variant(kit, t, { shipping: { weight: { value: 1, unit: 'kg' } } });
      fake.down.easypost = true;
      try {
        const c = await cart(kit, t, [{ variantId: box.variantId, quantity: 1 }], address());
        expect((await c.options()).map((o) => o.id)).to.deep.equal(['flat']);
        expect(kit.logs.filter((l) => l.level >= 50)).to.deep.equal([]);
      } finally {
        fake.down.easypost = false;
      }
    });
  });
});
