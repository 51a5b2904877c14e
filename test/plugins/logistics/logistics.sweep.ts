// (Customer-group routes take the users fixture's victim customer as :id.)
// The sweep covers the logistics plugin: the victim's zones, methods and customer groups must
// stay out of the attacker's reach. Every store so far gets the plugin, so the attacker's
// requests reach their lookups.
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makePlatformAdmin } from '../../support/factories.js';
import { call, post } from '../../support/http.js';
import { runtime } from '../../support/runtime.js';
import { createSystemCtx, requireTenant } from '../../../core/context.js';
import { scoped } from '../../../core/db/model.js';
import { enablePlugin } from '../../../core/plugins/lifecycle.service.js';
import { LogisticsCustomerGroup, LogisticsGeocode, LogisticsLabel, LogisticsLocalArea, LogisticsMethod, LogisticsPickup, LogisticsPickupPoint, LogisticsSlotCalendar, LogisticsSlotReservation, LogisticsSlotUsage, LogisticsTracking, LogisticsTrackingEvent, LogisticsZone } from '../../../plugins/logistics/logistics.model.js';
import { get } from '../../support/http.js';
import { deliveredOrder, makeVariant } from '../../orders/support.js';

const ZONE = 'victim-zone-marker';
const METHOD = 'victim-method-marker';
const LABEL_TRACKING = 'EZVICTIM0001';
const POINT = 'victim-pickup-point-marker';
const AREA = 'victim-local-area-marker';
const PICKUP_CODE = '424242';
const CALENDAR = 'victim-calendar-marker';

addSweepFixture({
  name: 'logistics',
  async seed(victim) {
    const rt = await runtime();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/logistics/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`logistics install failed: ${installed.text}`);
    for (const { id } of (await rt.kernel.pool.control('tenants').select('id')) as { id: string }[]) {
      const tenant = await rt.kernel.tenants.byId(id);
      if (tenant) await enablePlugin(requireTenant(createSystemCtx(rt.kernel, tenant)), 'logistics');
    }
    const zone = await post('/admin/v1/logistics/zones', { name: ZONE, areas: [{ country: 'NZ' }] }, { token: victim.ownerToken });
    if (zone.status !== 201) throw new Error(`zone create failed: ${zone.text}`);
    const method = await post('/admin/v1/logistics/methods', { zoneId: zone.body.id, code: 'victim-express', label: METHOD, currency: victim.tenant.defaultCurrency, calculator: { type: 'flat', amount: 123 } }, { token: victim.ownerToken });
    if (method.status !== 201) throw new Error(`method create failed: ${method.text}`);
    const signup = await post('/store/v1/auth/signup', { email: 'logistics-victim@example.com', password: 'correct horse battery', name: 'Victim' }, { tenant: victim.slug });
    if (signup.status !== 201) throw new Error(`signup failed: ${signup.text}`);
    const customerId = signup.body.customer.id as string;
    const groups = await call('PUT', `/admin/v1/logistics/customers/${customerId}/groups`, { token: victim.ownerToken, body: { groups: ['victim-group'] } });
    if (groups.status !== 200) throw new Error(`groups failed: ${groups.text}`);
    // A delivered order with a bought label, its tracking and a pickup, a pickup point and a local delivery area.
    const variant = await makeVariant(victim, { price: 1500, stock: 5 });
    const { order } = await deliveredOrder(victim, [{ variantId: variant, quantity: 1 }]);
    const detail = await get(`/admin/v1/orders/${order.id}`, { token: victim.ownerToken });
    const fulfilmentId = detail.body.fulfilments[0].id as string;
    const shipmentId = detail.body.shipments[0].id as string;
    const label = await scoped(victim.ctx, LogisticsLabel).insert({
      fulfilmentId, orderId: order.id, attempt: 1, idempotencyKey: 'victim-key', state: 'bought', carrierKind: 'easypost', service: 'Priority', carrier: 'USPS',
      trackingNumber: LABEL_TRACKING, trackingUrl: null, labelUrl: 'https://labels.example/victim.png', externalId: 'shp_victim', amount: 750, currency: 'USD', shipmentId, error: null,
    });
    const now = new Date().toISOString();
    const tracking = await scoped(victim.ctx, LogisticsTracking).insert({ shipmentId, orderId: order.id, labelId: label.id, source: 'easypost', carrier: 'USPS', trackingNumber: LABEL_TRACKING, status: 'in_transit', rawStatus: 'in_transit', rawDetail: null, lastEventAt: now, lastChangeAt: now, nextPollAt: null, polls: 0 });
    await scoped(victim.ctx, LogisticsTrackingEvent).insert({ trackingId: tracking.id, dedupeKey: 'victim-event', status: 'in_transit', rawStatus: 'in_transit', rawDetail: null, occurredAt: now, message: 'victim scan', location: 'Auckland', via: 'webhook' });
    const loc = await post('/admin/v1/stock-locations', { code: 'victim-shop', name: 'Victim shop' }, { token: victim.ownerToken });
    if (loc.status !== 201) throw new Error(`location failed: ${loc.text}`);
    const point = await post('/admin/v1/logistics/pickup-points', { locationId: loc.body.id, code: 'victim_point', name: POINT, address: { line1: '1 Victim Rd', city: 'Auckland', postalCode: '1010', country: 'NZ' }, hours: [{ day: 'mon', open: '09:00', close: '17:00' }], currency: victim.tenant.defaultCurrency }, { token: victim.ownerToken });
    if (point.status !== 201) throw new Error(`pickup point failed: ${point.text}`);
    await scoped(victim.ctx, LogisticsPickup).insert({ orderId: order.id, pickupPointId: point.body.id, shipmentId, code: PICKUP_CODE, state: 'ready', failedTries: 0, readyAt: now, pickedUpAt: null });
    const calendar = await post('/admin/v1/logistics/slot-calendars', { code: 'victim_cal', name: CALENDAR, timezone: 'Pacific/Auckland', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], windows: [{ start: '09:00', end: '12:00', capacity: 7 }], leadMinutes: 0, horizonDays: 3 }, { token: victim.ownerToken });
    if (calendar.status !== 201) throw new Error(`slot calendar failed: ${calendar.text}`);
    const area = await post('/admin/v1/logistics/local-areas', { code: 'victim_area', name: AREA, country: 'NZ', postalCodes: ['10*'], fee: 500, currency: victim.tenant.defaultCurrency, origin: { lat: -36.8485, lng: 174.7633 }, bands: [{ maxKm: 9, fee: 900 }], calendarId: calendar.body.id }, { token: victim.ownerToken });
    if (area.status !== 201) throw new Error(`local area failed: ${area.text}`);
    // A held slot and a remembered geocode.
    await scoped(victim.ctx, LogisticsSlotUsage).insert({ calendarId: calendar.body.id, slotDate: '2031-01-01', windowStart: '09:00', booked: 1 });
    await scoped(victim.ctx, LogisticsSlotReservation).insert({ orderId: order.id, calendarId: calendar.body.id, slotDate: '2031-01-01', windowStart: '09:00', optionId: 'local-victim_area.20310101t0900', state: 'held' });
    await scoped(victim.ctx, LogisticsGeocode).insert({ addressKey: 'victim-geocode', geocoder: 'nominatim', found: true, lat: -36.85, lng: 174.76, expiresAt: '2031-01-01T00:00:00.000Z' });
    return {
      ids: { zones: zone.body.id, methods: method.body.id, fulfilments: fulfilmentId, labels: label.id, shipments: shipmentId, 'pickup-points': point.body.id, 'local-areas': area.body.id, 'slot-calendars': calendar.body.id },
      secrets: [zone.body.id, method.body.id, ZONE, METHOD, 'victim scan', 'victim-express', 'victim-group', label.id, LABEL_TRACKING, POINT, AREA, PICKUP_CODE, point.body.id, area.body.id, calendar.body.id, CALENDAR, 'victim_cal', 'Pacific/Auckland'],
    };
  },
  bodies: {
    'POST /admin/v1/logistics/zones': { name: 'attacker zone', areas: [{ country: 'NZ' }] },
    'PUT /admin/v1/logistics/zones/:id': { name: 'stolen', areas: [{ country: 'AU' }] },
    'POST /admin/v1/logistics/methods': { zoneId: '00000000-0000-4000-8000-000000000000', code: 'attacker', label: 'x', currency: 'USD', calculator: { type: 'flat', amount: 1 } },
    'PUT /admin/v1/logistics/methods/:id': { zoneId: '00000000-0000-4000-8000-000000000000', code: 'stolen', label: 'x', currency: 'USD', calculator: { type: 'flat', amount: 1 } },
    'PUT /admin/v1/logistics/customers/:id/groups': { groups: ['attacker'] },
    'POST /admin/v1/logistics/orders/:id/pickup/collect': { code: PICKUP_CODE },
    'POST /admin/v1/logistics/pickup-points': { locationId: '00000000-0000-4000-8000-000000000000', code: 'attacker', name: 'x', address: { line1: 'x', city: 'x', postalCode: '1', country: 'NZ' }, hours: [], currency: 'USD' },
    'PUT /admin/v1/logistics/pickup-points/:id': { locationId: '00000000-0000-4000-8000-000000000000', code: 'stolen', name: 'x', address: { line1: 'x', city: 'x', postalCode: '1', country: 'NZ' }, hours: [], currency: 'USD' },
    'POST /admin/v1/logistics/local-areas': { code: 'attacker', name: 'x', country: 'NZ', postalCodes: ['1'], fee: 1, currency: 'USD' },
    'PUT /admin/v1/logistics/local-areas/:id': { code: 'stolen', name: 'x', country: 'NZ', postalCodes: ['1'], fee: 1, currency: 'USD' },
    'POST /admin/v1/logistics/slot-calendars': { code: 'attacker', name: 'x', timezone: 'UTC', days: ['mon'], windows: [{ start: '09:00', end: '10:00', capacity: 1 }] },
    'PUT /admin/v1/logistics/slot-calendars/:id': { code: 'stolen', name: 'x', timezone: 'UTC', days: ['mon'], windows: [{ start: '09:00', end: '10:00', capacity: 1 }] },
  },
  async verify(victim, seed) {
    const zone = await scoped(victim.ctx, LogisticsZone).findById(seed.ids.zones);
    expect(zone?.name, 'victim zone untouched').to.equal(ZONE);
    const method = await scoped(victim.ctx, LogisticsMethod).findById(seed.ids.methods);
    expect(method?.label, 'victim method untouched').to.equal(METHOD);
    const groups = await scoped(victim.ctx, LogisticsCustomerGroup);
    expect(groups.map((g) => g.groupName), 'victim groups untouched').to.deep.equal(['victim-group']);
    const label = await scoped(victim.ctx, LogisticsLabel).findById(seed.ids.labels);
    expect([label?.state, label?.trackingNumber], 'victim label untouched').to.deep.equal(['bought', LABEL_TRACKING]);
    expect((await scoped(victim.ctx, LogisticsPickupPoint).findById(seed.ids['pickup-points']))?.name, 'victim pickup point untouched').to.equal(POINT);
    expect((await scoped(victim.ctx, LogisticsLocalArea).findById(seed.ids['local-areas']))?.name, 'victim local area untouched').to.equal(AREA);
    expect((await scoped(victim.ctx, LogisticsSlotCalendar).findById(seed.ids['slot-calendars']))?.name, 'victim calendar untouched').to.equal(CALENDAR);
    expect((await scoped(victim.ctx, LogisticsSlotUsage).first())?.booked, 'victim slot usage untouched').to.equal(1);
    expect((await scoped(victim.ctx, LogisticsSlotReservation).first())?.state, 'victim reservation untouched').to.equal('held');
    expect(await scoped(victim.ctx, LogisticsGeocode).resultSize(), 'victim geocode untouched').to.equal(1);
    const pickup = await scoped(victim.ctx, LogisticsPickup).first();
    expect([pickup?.state, pickup?.failedTries], 'victim pickup untouched').to.deep.equal(['ready', 0]);
  },
});
