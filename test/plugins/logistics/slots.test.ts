// Dated delivery and pickup slots with capacity (issue 22 item 4): the calendar's rules (weekdays,
// closed dates, lead time, cutoff, horizon, timezones), the shopper picking a slot at checkout,
// capacity taken inside the order's transaction (parallel checkouts never overbook) and given
// back when the order is cancelled.
import { expect } from 'chai';
import crypto from 'node:crypto';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import logistics from '../../../plugins/logistics/index.js';
import { openSlots, parseSlotOption, slotSuffix, zonedInstant, type CalendarRule } from '../../../plugins/logistics/slots/calendar.js';
import { scoped } from '../../../core/db/model.js';
import { LogisticsSlotReservation, LogisticsSlotUsage } from '../../../plugins/logistics/logistics.model.js';
import { address, cart, method, variant, zone } from './support.js';

const LA: CalendarRule = {
  timezone: 'America/Los_Angeles', days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  windows: [{ start: '14:00', end: '17:00', capacity: 2 }, { start: '09:00', end: '12:00', capacity: 2 }],
  leadMinutes: 120, cutoff: { time: '20:00', daysBefore: 1 }, horizonDays: 3, closedDates: ['2026-12-09'],
};
const at = (slots: ReturnType<typeof openSlots>) => slots.map((s) => `${s.date} ${s.window.start} ${s.startsAt.toISOString()}`);

describe('slot calendars', () => {
  it('turns local wall times into instants across timezones and DST', () => {
    expect(zonedInstant('2026-12-08', '09:00', 'America/Los_Angeles').toISOString()).to.equal('2026-12-08T17:00:00.000Z');
    expect(zonedInstant('2026-07-01', '09:00', 'Europe/Paris').toISOString()).to.equal('2026-07-01T07:00:00.000Z');
    expect(zonedInstant('2026-12-08', '09:00', 'Asia/Shanghai').toISOString()).to.equal('2026-12-08T01:00:00.000Z');
    // 02:30 does not exist in New York on 2026-03-08: it moves forward to 03:30 EDT.
    expect(zonedInstant('2026-03-08', '02:30', 'America/New_York').toISOString()).to.equal('2026-03-08T07:30:00.000Z');
  });

  it("closes a day at its cutoff the evening before, skips closed dates and weekends, and stops at the horizon", () => {
    // Monday 2026-12-07 08:00 in Los Angeles: Monday closed at Sunday 20:00, Wednesday is a holiday.
    expect(at(openSlots(LA, new Date('2026-12-07T16:00:00Z')))).to.deep.equal(['2026-12-08 09:00 2026-12-08T17:00:00.000Z', '2026-12-08 14:00 2026-12-08T22:00:00.000Z']);
    // Monday 20:00 exactly: Tuesday has closed too; Wednesday is closed; Thursday is past the 3-day horizon.
    expect(at(openSlots(LA, new Date('2026-12-08T04:00:00Z')))).to.deep.equal([]);
    // Sunday evening (Monday 04:30 UTC): local today is still Sunday; only Tuesday within three days.
    expect(at(openSlots(LA, new Date('2026-12-07T04:30:00Z'))).map((s) => s.slice(0, 16))).to.deep.equal(['2026-12-08 09:00', '2026-12-08 14:00']);
  });

  it('keeps the lead time before a window', () => {
    const sameDay: CalendarRule = { ...LA, cutoff: null };
    // 08:00 local: the 09:00 window is 60 minutes away (lead 120), the 14:00 one is open.
    expect(at(openSlots(sameDay, new Date('2026-12-07T16:00:00Z'))).slice(0, 2).map((s) => s.slice(0, 16))).to.deep.equal(['2026-12-07 14:00', '2026-12-08 09:00']);
    expect(at(openSlots({ ...sameDay, leadMinutes: 0 }, new Date('2026-12-07T16:00:00Z')))[0].slice(0, 16)).to.equal('2026-12-07 09:00');
  });

  it('names a dated slot in the option id and reads it back', () => {
    const id = `local-van${slotSuffix('2026-12-08', '09:00')}`;
    expect(id).to.equal('local-van.20261208t0900');
    expect(parseSlotOption(id)).to.deep.equal({ base: 'local-van', date: '2026-12-08', start: '09:00' });
    expect(parseSlotOption('local-van-am')).to.equal(null);
  });
});

describe('delivery and pickup slots at checkout', function () {
  this.timeout(120_000);
  let kit: TestKit;

  before(async () => {
    kit = await startTestKit({ plugin: logistics });
  });
  after(() => kit?.close());

  const everyDay = { timezone: 'UTC', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], leadMinutes: 0, cutoff: null, horizonDays: 3 };

  async function store(capacity: number) {
    const t = await kit.tenant({ enable: ['logistics'] });
    const z = await zone(kit, t, { name: 'US', areas: [{ country: 'US' }] });
    await method(kit, t, { zoneId: z.id, code: 'flat', label: 'Standard', calculator: { type: 'flat', amount: 600 } });
    const cal = await kit.post('/admin/v1/logistics/slot-calendars', { code: 'van', name: 'Van', ...everyDay, windows: [{ start: '08:00', end: '12:00', capacity }, { start: '18:00', end: '21:00', capacity }] }, { token: t.ownerToken });
    expect(cal.status, cal.text).to.equal(201);
    const area = await kit.post('/admin/v1/logistics/local-areas', { code: 'van', name: 'Van delivery', country: 'US', postalCodes: ['941*'], fee: 400, currency: 'USD', calendarId: cal.body.id }, { token: t.ownerToken });
    expect(area.status, area.text).to.equal(201);
    const box = (await variant(kit, t, { price: 2000, stock: 100 })).variantId;
    return { t, calendarId: cal.body.id as string, box };
  }

  async function newCart(t: KitTenant, box: string) {
    return cart(kit, t, [{ variantId: box, quantity: 1 }], address());
  }
  const checkout = (t: KitTenant, c: Awaited<ReturnType<typeof newCart>>, option: string) =>
    kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: c.headers });
  const slotIds = (options: { id: string }[]) => options.map((o) => o.id).filter((id) => id.startsWith('local-van.'));

  it('offers each open dated slot, takes a place when the shopper picks one, hides it when full and gives the place back on cancel', async () => {
    const { t, calendarId, box } = await store(2);
    const first = await newCart(t, box);
    const offered = await first.options();
    const ids = slotIds(offered);
    expect(ids.length, 'tomorrow and the day after, two windows each, at least').to.be.at.least(4);
    const pick = ids.at(-1)!;
    expect(offered.find((o) => o.id === pick)).to.deep.include({ amount: 400 });
    expect(offered.find((o) => o.id === pick)!.label).to.match(/^Van delivery \(.+, 18:00-21:00\)$/);

    const a = await checkout(t, first, pick);
    expect(a.status, a.text).to.equal(201);
    expect(a.body.order.shippingMethod.option).to.equal(pick);
    const orderA = a.body.order.id as string;
    const slot = parseSlotOption(pick)!;
    const tracking = await kit.get(`/store/v1/logistics/orders/${orderA}/tracking`, { tenant: t.slug, headers: { 'x-order-token': a.body.orderToken } });
    expect(tracking.status, tracking.text).to.equal(200);
    expect(tracking.body.slot).to.deep.equal({ date: slot.date, start: '18:00', end: '21:00', timezone: 'UTC', state: 'held' });
    const listed = await kit.get(`/admin/v1/logistics/slot-calendars/${calendarId}/slots`, { token: t.ownerToken });
    expect(listed.body.items.find((s: { date: string; start: string }) => s.date === slot.date && s.start === '18:00')).to.deep.include({ capacity: 2, booked: 1, remaining: 1 });

    const second = await newCart(t, box);
    expect(slotIds(await second.options())).to.include(pick);
    const b = await checkout(t, second, pick);
    expect(b.status, b.text).to.equal(201);
    const third = await newCart(t, box);
    expect(slotIds(await third.options()), 'a full slot is not offered').not.to.include(pick);
    const refused = await checkout(t, third, pick);
    expect(refused.status, refused.text).to.equal(400);
    expect(refused.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/shippingMethod');

    const cancelled = await kit.post(`/admin/v1/orders/${orderA}/cancel`, { reason: 'changed mind' }, { token: t.ownerToken, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(cancelled.status, cancelled.text).to.equal(200);
    await kit.waitFor(async () => (await scoped(t.ctx, LogisticsSlotReservation).where({ order_id: orderA, state: 'released' }).first()) ?? false, { what: 'the slot to be released' });
    expect(slotIds(await third.options()), 'offered again after the cancel').to.include(pick);
    const usage = await scoped(t.ctx, LogisticsSlotUsage).where({ calendar_id: calendarId, slot_date: slot.date, window_start: '18:00' }).first();
    expect(usage?.booked).to.equal(1);
    // A second delivery of the same event gives nothing back twice.
    await kit.emit(t, 'order.cancelled', { orderId: orderA, number: a.body.order.number, currency: 'USD', reason: null } as never);
    await new Promise((r) => setTimeout(r, 300));
    expect((await scoped(t.ctx, LogisticsSlotUsage).where({ calendar_id: calendarId, slot_date: slot.date, window_start: '18:00' }).first())?.booked).to.equal(1);
  });

  it('listing the slots writes nothing: a counter row is made when a place is reserved', async () => {
    const { t, calendarId, box } = await store(2);
    const c = await newCart(t, box);
    const ids = slotIds(await c.options());
    expect(ids.length).to.be.at.least(4);
    const listed = await kit.get(`/admin/v1/logistics/slot-calendars/${calendarId}/slots`, { token: t.ownerToken });
    expect(listed.status, listed.text).to.equal(200);
    expect(listed.body.items.every((x: { booked: number; remaining: number }) => x.booked === 0 && x.remaining === 2)).to.equal(true);
    expect(await scoped(t.ctx, LogisticsSlotUsage).where('calendar_id', calendarId).resultSize(), 'no counter rows from reading').to.equal(0);
    const placed = await checkout(t, c, ids[0]);
    expect(placed.status, placed.text).to.equal(201);
    const slot = parseSlotOption(ids[0])!;
    const rows = await scoped(t.ctx, LogisticsSlotUsage).where('calendar_id', calendarId);
    expect(rows.map((r) => [r.slotDate, r.windowStart, Number(r.booked)])).to.deep.equal([[slot.date, slot.start, 1]]);
  });

  it('never overbooks a slot under parallel checkouts', async () => {
    const CAPACITY = 3;
    const { t, calendarId, box } = await store(CAPACITY);
    const carts = [];
    for (let i = 0; i < 8; i++) carts.push(await newCart(t, box));
    const pick = slotIds(await carts[0].options()).at(-1)!;
    const results = await Promise.all(carts.map((c) => checkout(t, c, pick)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length, JSON.stringify(results.map((r) => [r.status, r.body.code]))).to.equal(CAPACITY);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect([[409, 'SLOT_FULL'], [400, 'CHECKOUT_INCOMPLETE'], [400, 'SHIPPING_OPTION_UNAVAILABLE']], r.text).to.deep.include([r.status, r.body.code]);
    }
    const slot = parseSlotOption(pick)!;
    const usage = await scoped(t.ctx, LogisticsSlotUsage).where({ calendar_id: calendarId, slot_date: slot.date, window_start: slot.start }).first();
    expect(usage?.booked).to.equal(CAPACITY);
    expect(await scoped(t.ctx, LogisticsSlotReservation).where({ calendar_id: calendarId, state: 'held' }).resultSize()).to.equal(CAPACITY);
    // The losers' carts are still open: no order, no stock taken for them.
    const orders = await kit.get('/admin/v1/orders?limit=50', { token: t.ownerToken });
    expect(orders.body.items.length).to.equal(CAPACITY);
  });

  it('offers a pickup point by dated slot and hands the order over there with its code', async () => {
    const { t, box } = await store(5);
    const cal = await kit.post('/admin/v1/logistics/slot-calendars', { code: 'counter', name: 'Counter', ...everyDay, windows: [{ start: '10:00', end: '19:00', capacity: 5 }] }, { token: t.ownerToken });
    const loc = await kit.post('/admin/v1/stock-locations', { code: 'shop', name: 'Shop' }, { token: t.ownerToken });
    const point = await kit.post('/admin/v1/logistics/pickup-points', { locationId: loc.body.id, code: 'shop', name: 'Shop counter', address: { line1: '1 X St', city: 'SF', postalCode: '94105', country: 'US' }, hours: [{ day: 'mon', open: '10:00', close: '19:00' }], currency: 'USD', calendarId: cal.body.id }, { token: t.ownerToken });
    expect(point.status, point.text).to.equal(201);
    const c = await newCart(t, box);
    const ids = (await c.options()).map((o) => o.id).filter((id) => id.startsWith('pickup-shop'));
    expect(ids.length).to.be.at.least(2);
    expect(ids.every((id) => parseSlotOption(id)?.base === 'pickup-shop'), 'only dated options').to.equal(true);
    const placed = await checkout(t, c, ids.at(-1)!);
    expect(placed.status, placed.text).to.equal(201);
    const orderId = placed.body.order.id as string;
    const paid = await kit.post(`/admin/v1/orders/${orderId}/confirm-payment`, {}, { token: t.ownerToken, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(paid.status, paid.text).to.equal(200);
    const ready = await kit.post(`/admin/v1/logistics/orders/${orderId}/pickup/ready`, {}, { token: t.ownerToken });
    expect(ready.status, ready.text).to.equal(200);
    expect(ready.body.point.name).to.equal('Shop counter');
    const collected = await kit.post(`/admin/v1/logistics/orders/${orderId}/pickup/collect`, { code: ready.body.code }, { token: t.ownerToken });
    expect([collected.status, collected.body.state]).to.deep.equal([200, 'picked_up']);
  });

  it('refuses a bad calendar naming the field, and a calendar in use', async () => {
    const { t, calendarId } = await store(1);
    const post = (body: Record<string, unknown>) => kit.post('/admin/v1/logistics/slot-calendars', { code: 'x', name: 'X', ...everyDay, windows: [{ start: '09:00', end: '12:00', capacity: 1 }], ...body }, { token: t.ownerToken });
    const tz = await post({ timezone: 'Mars/Olympus' });
    expect([tz.status, tz.body.errors?.[0]?.pointer]).to.deep.equal([400, '/timezone']);
    const backwards = await post({ windows: [{ start: '12:00', end: '09:00', capacity: 1 }] });
    expect([backwards.status, backwards.body.errors?.[0]?.pointer]).to.deep.equal([400, '/windows/0']);
    const twice = await post({ windows: [{ start: '09:00', end: '10:00', capacity: 1 }, { start: '09:00', end: '11:00', capacity: 1 }] });
    expect([twice.status, twice.body.errors?.[0]?.pointer]).to.deep.equal([400, '/windows/1/start']);
    const zero = await post({ windows: [{ start: '09:00', end: '10:00', capacity: 0 }] });
    expect(zero.status).to.equal(400);
    const badDate = await post({ closedDates: ['2026-13-01'] });
    expect(badDate.status).to.equal(400);
    const taken = await post({ code: 'van' });
    expect([taken.status, taken.body.code]).to.deep.equal([409, 'SLOT_CALENDAR_CODE_TAKEN']);
    const inUse = await kit.del(`/admin/v1/logistics/slot-calendars/${calendarId}`, { token: t.ownerToken });
    expect([inUse.status, inUse.body.code]).to.deep.equal([409, 'SLOT_CALENDAR_IN_USE']);
    const area = await kit.post('/admin/v1/logistics/local-areas', { code: 'y', name: 'Y', country: 'US', postalCodes: ['1'], fee: 1, currency: 'USD', calendarId: '00000000-0000-4000-8000-000000000000' }, { token: t.ownerToken });
    expect([area.status, area.body.errors?.[0]?.pointer]).to.deep.equal([400, '/calendarId']);
  });
});
