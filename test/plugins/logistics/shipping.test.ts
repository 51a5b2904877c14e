// Labels, tracking, pickup in store and local delivery over HTTP against the local fake carriers
// (requirements 26 and 28, and items 3 and 4 of issue 22).
import { expect } from 'chai';
import crypto from 'node:crypto';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import logistics from '../../../plugins/logistics/index.js';
import { trackingClock } from '../../../plugins/logistics/tracking/tracking.service.js';
import { cainiaoForm } from '../../../plugins/logistics/carriers/cainiao.js';
import { startFakeCarriers, type FakeCarriers } from './fake-carriers.js';
import { address, cart, method, variant, zone } from './support.js';

const SECRET = 'cn-secret-key';
const EP_HOOK_SECRET = 'easypost_secret';
const SHIP_FROM = { name: 'Warehouse', line1: '1 Dock Road', city: 'Oakland', region: 'CA', postalCode: '94607', country: 'US' };
const settings = { shipFrom: SHIP_FROM, easypostApiKey: 'EZTK_test', easypostWebhookSecret: EP_HOOK_SECRET, cainiaoProviderId: 'P1', cainiaoSecret: SECRET };
const HOUR = 3_600_000;

describe('logistics labels, tracking, pickup and local delivery', function () {
  this.timeout(90_000);
  let kit: TestKit;
  let fake: FakeCarriers;

  before(async () => {
    fake = await startFakeCarriers({ cainiaoSecret: SECRET });
    kit = await startTestKit({
      plugin: logistics,
      options: { logistics: { easypostBaseUrl: fake.url('/v2/'), cainiaoBaseUrl: fake.url('/cainiao'), rateTimeoutMs: 3000, pollSweepMs: 200, pollEveryMs: HOUR, slowPollEveryMs: 3 * HOUR, backoffAfterMs: 48 * HOUR } },
    });
  });
  after(async () => {
    trackingClock.offsetMs = 0;
    await kit?.close();
    await fake?.close();
  });

  async function store(): Promise<KitTenant> {
    const t = await kit.tenant({ enable: ['logistics'], settings: { logistics: settings } });
    const z = await zone(kit, t, { name: 'US', areas: [{ country: 'US' }] });
    await method(kit, t, { zoneId: z.id, code: 'flat', label: 'Standard', calculator: { type: 'flat', amount: 600 } });
    await method(kit, t, { zoneId: z.id, code: 'ep', label: 'Carrier', calculator: { type: 'carrier', carrier: 'easypost' } });
    return t;
  }

  /** A paid order with one fulfilment packed; the shopper's order token. */
  async function paidOrder(t: KitTenant, option: string, addr: Record<string, unknown> = address()) {
    const box = await variant(kit, t, { shipping: { weight: { value: 5, unit: 'lb' } } });
    const c = await cart(kit, t, [{ variantId: box.variantId, quantity: 1 }], addr);
    const placed = await kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: c.headers });
    expect(placed.status, placed.text).to.equal(201);
    const orderId = placed.body.order.id as string;
    const paid = await kit.post(`/admin/v1/orders/${orderId}/confirm-payment`, {}, { token: t.ownerToken, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(paid.status, paid.text).to.equal(200);
    return { orderId, orderToken: placed.body.orderToken as string };
  }

  async function packed(t: KitTenant, orderId: string): Promise<string> {
    const f = await kit.post(`/admin/v1/orders/${orderId}/fulfilments`, {}, { token: t.ownerToken });
    expect(f.status, f.text).to.equal(201);
    return f.body.id as string;
  }

  const epHook = (t: KitTenant, body: unknown, secret = EP_HOOK_SECRET) => {
    const raw = JSON.stringify(body);
    const sig = `hmac-sha256-hex=${crypto.createHmac('sha256', secret.normalize('NFKD')).update(raw).digest('hex')}`;
    return kit.request('POST', '/store/v1/logistics/webhooks/easypost', { tenant: t.slug, raw, contentType: 'application/json', headers: { 'x-hmac-signature': sig } });
  };
  const trackerEvent = (code: string, details: { status: string; datetime: string; message?: string }[]) => ({ id: `evt_${crypto.randomUUID()}`, object: 'Event', description: 'tracker.updated', result: { object: 'Tracker', tracking_code: code, status: details.at(-1)!.status, tracking_details: details } });

  it('a double-click on "buy label" buys one label at the carrier; a lost answer is retried with the same key; void then buy is a new key', async () => {
    const t = await store();
    const { orderId } = await paidOrder(t, 'ep:priority');
    const fid = await packed(t, orderId);
    const buysBefore = fake.buys;
    const [a, b] = await Promise.all([
      kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, {}, { token: t.ownerToken }),
      kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, {}, { token: t.ownerToken }),
    ]);
    expect([a.status, b.status].sort(), `${a.text} ${b.text}`).to.deep.equal([200, 201]);
    expect(a.body.id).to.equal(b.body.id);
    expect(a.body).to.deep.include({ state: 'bought', carrierKind: 'easypost', carrier: 'USPS', service: 'Priority', amount: 750, currency: 'USD', attempt: 1 });
    expect(a.body.trackingNumber).to.equal(b.body.trackingNumber);
    expect(fake.buys - buysBefore, 'one charge at the carrier').to.equal(1);
    const keys = fake.calls.filter((c) => c.path.endsWith('/buy')).map((c) => c.headers['idempotency-key']);
    expect(keys.at(-1)).to.equal(`bazaar-${t.tenant.id}-${fid}-1`);

    // Void, then buy again while the carrier loses its answer after charging: the retry gets that label, not a third charge.
    const voided = await kit.post(`/admin/v1/logistics/labels/${a.body.id}/void`, {}, { token: t.ownerToken });
    expect(voided.status, voided.text).to.equal(200);
    expect(voided.body.state).to.equal('voided');
    expect(fake.voided).to.include(a.body.trackingNumber.replace(/^EZ/, ''));
    fake.loseBuyAnswers = 1;
    const lost = await kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, { carrier: 'easypost', service: 'Ground' }, { token: t.ownerToken });
    expect(lost.status, lost.text).to.equal(503);
    expect(lost.body.code).to.equal('CARRIER_UNAVAILABLE');
    const retried = await kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, { carrier: 'easypost', service: 'Ground' }, { token: t.ownerToken });
    expect(retried.status, retried.text).to.equal(201);
    expect(retried.body).to.deep.include({ attempt: 2, state: 'bought', service: 'Ground' });
    expect(fake.buys - buysBefore, 'the voided label and its replacement').to.equal(2);
    const after = fake.calls.filter((c) => c.path.endsWith('/buy')).map((c) => c.headers['idempotency-key']).slice(-2);
    expect(after).to.deep.equal([`bazaar-${t.tenant.id}-${fid}-2`, `bazaar-${t.tenant.id}-${fid}-2`]);
    const list = await kit.get(`/admin/v1/logistics/fulfilments/${fid}/labels`, { token: t.ownerToken });
    expect(list.body.items.map((l: { attempt: number; state: string }) => [l.attempt, l.state])).to.deep.equal([[1, 'voided'], [2, 'bought']]);
    expect(list.body.nextCursor).to.equal(null);
    // A page at a time.
    const first = await kit.get(`/admin/v1/logistics/fulfilments/${fid}/labels?limit=1`, { token: t.ownerToken });
    expect(first.status, first.text).to.equal(200);
    expect(first.body.items.map((l: { attempt: number }) => l.attempt)).to.deep.equal([1]);
    const second = await kit.get(`/admin/v1/logistics/fulfilments/${fid}/labels?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: t.ownerToken });
    expect([second.body.items.map((l: { attempt: number }) => l.attempt), second.body.nextCursor]).to.deep.equal([[2], null]);
    const badCursor = await kit.get(`/admin/v1/logistics/fulfilments/${fid}/labels?cursor=nope`, { token: t.ownerToken });
    expect([badCursor.status, badCursor.body.code]).to.deep.equal([400, 'INVALID_CURSOR']);
    expect((await kit.get(`/admin/v1/logistics/fulfilments/${fid}/labels?limit=101`, { token: t.ownerToken })).status).to.equal(400);
  });

  it('buys a Cainiao waybill once under a double-click, and refuses bad input with a clear 4xx', async () => {
    const t = await store();
    const { orderId } = await paidOrder(t, 'flat');
    const fid = await packed(t, orderId);
    const before = fake.waybills;
    const body = { carrier: 'cainiao', service: 'economy', parcel: { weight: { value: 2, unit: 'kg' }, dimensions: { length: 30, width: 20, height: 10, unit: 'cm' } } };
    const [a, b] = await Promise.all([1, 2].map(() => kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, body, { token: t.ownerToken })));
    expect(a.body.trackingNumber, `${a.text} ${b.text}`).to.equal(b.body.trackingNumber);
    expect(fake.waybills - before).to.equal(1);
    // No carrier rate chosen at checkout and none named: a 400 naming the field.
    const other = await packed(t, (await paidOrder(t, 'flat')).orderId);
    const bad = await kit.post(`/admin/v1/logistics/fulfilments/${other}/label`, {}, { token: t.ownerToken });
    expect(bad.status, bad.text).to.equal(400);
    expect(bad.body.code).to.equal('LABEL_CARRIER_REQUIRED');
    const neg = await kit.post(`/admin/v1/logistics/fulfilments/${other}/label`, { parcel: { weight: { value: -1, unit: 'kg' } } }, { token: t.ownerToken });
    expect(neg.status).to.equal(400);
    expect(JSON.stringify(neg.body.errors)).to.include('/parcel/weight/value');
    const missing = await kit.post(`/admin/v1/logistics/fulfilments/${crypto.randomUUID()}/label`, body, { token: t.ownerToken });
    expect(missing.status).to.equal(404);
  });

  it('ships with a purchased label and tracks to delivered by signed webhook, out of order and replayed; the shopper sees it', async () => {
    const t = await store();
    const { orderId, orderToken } = await paidOrder(t, 'ep:ground');
    const fid = await packed(t, orderId);
    const label = await kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, { ship: true }, { token: t.ownerToken });
    expect(label.status, label.text).to.equal(201);
    expect(label.body.shipmentId).to.be.a('string');
    const code = label.body.trackingNumber as string;
    const order = await kit.get(`/admin/v1/orders/${orderId}`, { token: t.ownerToken });
    expect(order.body.status).to.equal('shipped');
    expect(order.body.shipments.map((s: { trackingNumber: string }) => s.trackingNumber)).to.deep.equal([code]);
    const voidShipped = await kit.post(`/admin/v1/logistics/labels/${label.body.id}/void`, {}, { token: t.ownerToken });
    expect(voidShipped.status).to.equal(409);

    // An event without a usable time is dropped, not a 500.
    const junk = await epHook(t, trackerEvent(code, [{ status: 'in_transit', datetime: 'not a date' }]));
    expect(junk.status, junk.text).to.equal(200);
    expect(junk.body.status).to.equal('unknown');
    const stranger = await epHook(t, trackerEvent('EZ-NOT-OURS', [{ status: 'delivered', datetime: '2026-12-03T15:00:00Z' }]));
    expect(stranger.body).to.deep.include({ received: true, applied: false });

    // The delivery scan arrives first, the earlier scans after it.
    const delivered = trackerEvent(code, [{ status: 'pre_transit', datetime: '2026-12-01T08:00:00Z' }, { status: 'delivered', datetime: '2026-12-03T15:00:00Z', message: 'Left at front door' }]);
    const r1 = await epHook(t, delivered);
    expect(r1.status, r1.text).to.equal(200);
    expect(r1.body).to.deep.include({ applied: true, status: 'delivered' });
    const late = await epHook(t, trackerEvent(code, [{ status: 'in_transit', datetime: '2026-12-02T09:00:00Z' }, { status: 'out_for_delivery', datetime: '2026-12-03T07:00:00Z' }]));
    expect(late.body.status).to.equal('delivered');
    const replay = await epHook(t, delivered);
    expect(replay.body.status).to.equal('delivered');
    const forged = await epHook(t, delivered, 'not-the-secret');
    expect(forged.status).to.equal(400);
    expect(forged.body.code).to.equal('WEBHOOK_SIGNATURE_INVALID');

    const staff = await kit.get(`/admin/v1/logistics/orders/${orderId}/tracking`, { token: t.ownerToken });
    expect(staff.status, staff.text).to.equal(200);
    const tr = staff.body.items[0];
    expect(tr).to.deep.include({ status: 'delivered', rawStatus: 'delivered', trackingNumber: code });
    expect(tr.events.map((e: { rawStatus: string }) => e.rawStatus), 'four events, each once, in carrier time').to.deep.equal(['pre_transit', 'in_transit', 'out_for_delivery', 'delivered']);
    const after = await kit.get(`/admin/v1/orders/${orderId}`, { token: t.ownerToken });
    expect(after.body.status).to.equal('delivered');
    expect(after.body.shipments[0].status).to.equal('delivered');

    expect([staff.body.nextCursor, tr.eventsNextCursor]).to.deep.equal([null, null]);

    // The events a page at a time, in carrier time, for staff and for the shopper.
    const eventsPath = (side: 'admin' | 'store', q: string) => `/${side}/v1/logistics/shipments/${tr.shipmentId}/events${q}`;
    const p1 = await kit.get(eventsPath('admin', '?limit=3'), { token: t.ownerToken });
    expect(p1.status, p1.text).to.equal(200);
    expect(p1.body.items.map((e: { rawStatus: string }) => e.rawStatus)).to.deep.equal(['pre_transit', 'in_transit', 'out_for_delivery']);
    const p2 = await kit.get(eventsPath('admin', `?limit=3&cursor=${encodeURIComponent(p1.body.nextCursor)}`), { token: t.ownerToken });
    expect([p2.body.items.map((e: { rawStatus: string }) => e.rawStatus), p2.body.nextCursor]).to.deep.equal([['delivered'], null]);
    const mine = await kit.get(eventsPath('store', `?limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`), { tenant: t.slug, headers: { 'x-order-token': orderToken } });
    expect(mine.status, mine.text).to.equal(200);
    expect(mine.body.items.map((e: { rawStatus: string }) => e.rawStatus)).to.deep.equal(['delivered']);
    expect((await kit.get(eventsPath('store', ''), { tenant: t.slug, headers: { 'x-order-token': 'nope' } })).status).to.equal(404);
    expect((await kit.get(`/admin/v1/logistics/shipments/${crypto.randomUUID()}/events`, { token: t.ownerToken })).body.code).to.equal('TRACKING_NOT_FOUND');
    const forgedTime = Buffer.from(JSON.stringify(['not a time', 'x'])).toString('base64url');
    const forgedCursor = await kit.get(eventsPath('admin', `?cursor=${forgedTime}`), { token: t.ownerToken });
    expect([forgedCursor.status, forgedCursor.body.code]).to.deep.equal([400, 'INVALID_CURSOR']);

    const shopper = await kit.get(`/store/v1/logistics/orders/${orderId}/tracking?limit=1`, { tenant: t.slug, headers: { 'x-order-token': orderToken } });
    expect(shopper.status, shopper.text).to.equal(200);
    expect(shopper.body.items[0].status).to.equal('delivered');
    expect(shopper.body.nextCursor).to.equal(null);
    const otherShopper = await kit.get(`/store/v1/logistics/orders/${orderId}/tracking`, { tenant: t.slug, headers: { 'x-order-token': 'nope' } });
    expect(otherShopper.status).to.equal(404);
    const shopperOrder = await kit.get(`/store/v1/orders/${orderId}`, { tenant: t.slug, headers: { 'x-order-token': orderToken } });
    const texts = (shopperOrder.body.timeline as { message: string | null }[]).map((h) => h.message);
    expect(texts).to.include(`USPS ${code}: delivered`);
    const zh = await kit.get(`/store/v1/orders/${orderId}`, { tenant: t.slug, headers: { 'x-order-token': orderToken, 'accept-language': 'zh-CN' } });
    expect((zh.body.timeline as { message: string | null }[]).map((h) => h.message)).to.include(`USPS ${code}：已签收`);
  });

  it('polls a parcel through the queue to delivered by a signed Cainiao push or by polling, and expires one with no news for 30 days', async () => {
    const t = await store();
    const ship = async () => {
      const { orderId } = await paidOrder(t, 'flat');
      const fid = await packed(t, orderId);
      const l = await kit.post(`/admin/v1/logistics/fulfilments/${fid}/label`, { carrier: 'cainiao', service: 'economy', ship: true }, { token: t.ownerToken });
      expect(l.status, l.text).to.equal(201);
      return { orderId, code: l.body.trackingNumber as string };
    };
    const polled = await ship();
    const silent = await ship();
    const pushed = await ship();
    fake.traces.set(polled.code, [{ status: 'GOT', datetime: '2026-12-01T08:00:00Z' }, { status: 'SIGN', datetime: '2026-12-02T08:00:00Z', message: '已签收' }]);
    fake.traces.set(silent.code, []);
    fake.traces.set(pushed.code, []);

    // A Cainiao push, signed; a forged one is refused.
    const content = JSON.stringify({ mailNo: pushed.code, traces: [{ action: 'SIGN', time: '2026-12-02T10:00:00Z', desc: '签收' }, { action: 'GOT', time: '2026-12-01T10:00:00Z' }] });
    const push = await kit.request('POST', '/store/v1/logistics/webhooks/cainiao', { tenant: t.slug, raw: cainiaoForm('CN_TRACE_PUSH', content, { providerId: 'P1', secret: SECRET }), contentType: 'application/x-www-form-urlencoded' });
    expect(push.status, push.text).to.equal(200);
    expect(push.body).to.deep.include({ success: true, status: 'delivered' });
    const forged = await kit.request('POST', '/store/v1/logistics/webhooks/cainiao', { tenant: t.slug, raw: cainiaoForm('CN_TRACE_PUSH', content, { providerId: 'P1', secret: 'wrong' }), contentType: 'application/x-www-form-urlencoded' });
    expect(forged.status).to.equal(400);

    const statusOf = async (orderId: string) => (await kit.get(`/admin/v1/logistics/orders/${orderId}/tracking`, { token: t.ownerToken })).body.items[0]?.status as string;
    expect(await statusOf(polled.orderId)).to.equal('unknown');
    trackingClock.offsetMs = 2 * HOUR; // the first poll is due
    await kit.waitFor(async () => (await statusOf(polled.orderId)) === 'delivered', { what: 'the poll to deliver the parcel', timeoutMs: 15_000 });
    expect((await kit.get(`/admin/v1/orders/${polled.orderId}`, { token: t.ownerToken })).body.status, 'the order is delivered with its tracking').to.equal('delivered');
    await kit.waitFor(async () => fake.calls.some((c) => c.path === '/cainiao' && new URLSearchParams(c.body).get('msg_type') === 'CN_TRACE_QUERY' && c.body.includes(silent.code)), { what: 'the silent parcel to be polled' });
    expect(await statusOf(silent.orderId)).to.equal('unknown');
    trackingClock.offsetMs = 31 * 24 * HOUR; // 30 days and more without information
    await kit.waitFor(async () => (await statusOf(silent.orderId)) === 'expired', { what: 'the silent parcel to expire', timeoutMs: 15_000 });
    // Polling has stopped for the final ones: no more trace queries for them.
    const queries = () => fake.calls.filter((c) => new URLSearchParams(c.body).get('msg_type') === 'CN_TRACE_QUERY' && (c.body.includes(polled.code) || c.body.includes(silent.code))).length;
    const n = queries();
    trackingClock.offsetMs = 40 * 24 * HOUR;
    await new Promise((r) => setTimeout(r, 1200));
    expect(queries()).to.equal(n);
    trackingClock.offsetMs = 0;
  });

  it('pickup in store: a stock location offered with opening hours, ready with a code, picked up with it', async () => {
    const t = await store();
    const loc = await kit.post('/admin/v1/stock-locations', { code: 'soma', name: 'SoMa shop' }, { token: t.ownerToken });
    expect(loc.status, loc.text).to.equal(201);
    const pointBody = { locationId: loc.body.id, code: 'soma', name: 'SoMa shop', address: { line1: '5 Howard St', city: 'San Francisco', postalCode: '94105', country: 'US' }, hours: [{ day: 'mon', open: '09:00', close: '18:00' }], currency: 'USD' };
    const badHours = await kit.post('/admin/v1/logistics/pickup-points', { ...pointBody, hours: [{ day: 'mon', open: '18:00', close: '09:00' }] }, { token: t.ownerToken });
    expect(badHours.status).to.equal(400);
    const noLoc = await kit.post('/admin/v1/logistics/pickup-points', { ...pointBody, locationId: crypto.randomUUID() }, { token: t.ownerToken });
    expect(noLoc.status).to.equal(400);
    expect(noLoc.body.code).to.equal('LOCATION_NOT_FOUND');
    const point = await kit.post('/admin/v1/logistics/pickup-points', pointBody, { token: t.ownerToken });
    expect(point.status, point.text).to.equal(201);
    const listed = await kit.get('/store/v1/logistics/pickup-points', { tenant: t.slug });
    expect(listed.status, listed.text).to.equal(200);
    expect(listed.body.items.map((p: { code: string; hours: unknown }) => [p.code, p.hours])).to.deep.equal([['soma', pointBody.hours]]);

    const { orderId, orderToken } = await paidOrder(t, 'pickup-soma');
    const ready = await kit.post(`/admin/v1/logistics/orders/${orderId}/pickup/ready`, {}, { token: t.ownerToken });
    expect(ready.status, ready.text).to.equal(200);
    expect(ready.body).to.deep.include({ state: 'ready' });
    const code = ready.body.code as string;
    expect(code).to.match(/^\d{6}$/);
    const again = await kit.post(`/admin/v1/logistics/orders/${orderId}/pickup/ready`, {}, { token: t.ownerToken });
    expect(again.body.code, 'ready twice is one pickup').to.equal(code);
    const shopper = await kit.get(`/store/v1/logistics/orders/${orderId}/tracking`, { tenant: t.slug, headers: { 'x-order-token': orderToken } });
    expect(shopper.body.pickup).to.deep.include({ state: 'ready', code });
    expect(shopper.body.pickup.point.name).to.equal('SoMa shop');
    const wrong = await kit.post(`/admin/v1/logistics/orders/${orderId}/pickup/collect`, { code: code === '000000' ? '111111' : '000000' }, { token: t.ownerToken });
    expect(wrong.status).to.equal(400);
    expect(wrong.body.code).to.equal('PICKUP_CODE_WRONG');
    const ok = await kit.post(`/admin/v1/logistics/orders/${orderId}/pickup/collect`, { code }, { token: t.ownerToken });
    expect(ok.status, ok.text).to.equal(200);
    expect(ok.body.state).to.equal('picked_up');
    const order = await kit.get(`/admin/v1/orders/${orderId}`, { token: t.ownerToken });
    expect(order.body.status).to.equal('delivered');
    const history = (await kit.get(`/store/v1/orders/${orderId}`, { tenant: t.slug, headers: { 'x-order-token': orderToken } })).body.timeline.map((h: { message: string | null }) => h.message);
    expect(history).to.include.members([`Ready for pickup at SoMa shop; pickup code ${code}`, 'Picked up at SoMa shop']);
    const notPickup = await paidOrder(t, 'flat');
    const refused = await kit.post(`/admin/v1/logistics/orders/${notPickup.orderId}/pickup/ready`, {}, { token: t.ownerToken });
    expect(refused.status).to.equal(409);
  });

  it('local delivery: postcodes around a location with their own fee, free-over threshold and time slots', async () => {
    const t = await store();
    const area = await kit.post('/admin/v1/logistics/local-areas', { code: 'sf', name: 'SF courier', country: 'US', postalCodes: ['941*', '94607'], fee: 900, currency: 'USD', freeOver: 5000, slots: [{ id: 'am', label: '9-12' }, { id: 'pm', label: '14-18' }] }, { token: t.ownerToken });
    expect(area.status, area.text).to.equal(201);
    const box = await variant(kit, t, { price: 1000, shipping: { weight: { value: 1, unit: 'kg' } } });
    const inTown = await cart(kit, t, [{ variantId: box.variantId, quantity: 1 }], address());
    const local = (await inTown.options()).filter((o) => o.id.startsWith('local-'));
    expect(local.map((o) => [o.id, o.label, o.amount])).to.deep.equal([['local-sf-am', 'SF courier (9-12)', 900], ['local-sf-pm', 'SF courier (14-18)', 900]]);
    const big = await cart(kit, t, [{ variantId: box.variantId, quantity: 5 }], address());
    expect((await big.options()).filter((o) => o.id.startsWith('local-')).map((o) => o.amount)).to.deep.equal([0, 0]);
    const away = await cart(kit, t, [{ variantId: box.variantId, quantity: 1 }], address({ postalCode: '10001', city: 'New York', region: 'NY' }));
    expect((await away.options()).filter((o) => o.id.startsWith('local-'))).to.deep.equal([]);
    const placed = await kit.post(`/store/v1/carts/${inTown.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'local-sf-pm' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: inTown.headers });
    expect(placed.status, placed.text).to.equal(201);
    expect(placed.body.order.shippingMethod).to.deep.equal({ provider: 'logistics', option: 'local-sf-pm', label: 'SF courier (14-18)', amount: 900 });
    const dup = await kit.post('/admin/v1/logistics/local-areas', { code: 'sf', name: 'x', country: 'US', postalCodes: ['1'], fee: 1, currency: 'USD' }, { token: t.ownerToken });
    expect(dup.status).to.equal(409);
    const badCurrency = await kit.post('/admin/v1/logistics/local-areas', { code: 'sf2', name: 'x', country: 'US', postalCodes: ['1'], fee: 1, currency: 'XYZ' }, { token: t.ownerToken });
    expect(badCurrency.status).to.equal(400);
  });
});
