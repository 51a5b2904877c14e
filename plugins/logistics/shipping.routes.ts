// Labels, tracking, carrier webhooks, pickup in store and local delivery: the admin routes
// (/admin/v1/logistics/...) and the store routes (/store/v1/logistics/...).
import { AppError, InvalidError, NotFoundError, route, created, reply, idParams, scoped, page, pageQuery, decodeCursor, encodeCursor, type PluginRoute, type ShipmentWriteService, type TenantCtx, type RouteInput } from '@bazaar/sdk';
import type { LabelsService, BuyInput } from './labels.service.js';
import { labelView } from './labels.service.js';
import { eventView, type TrackingService } from './tracking/tracking.service.js';
import type { O2oService, PickupPointInput, LocalAreaInput } from './o2o.service.js';
import type { ConfigMemo } from './config.js';
import { localAreaView, pickupPointView, pickupView } from './o2o.service.js';
import type { CarriersService } from './carriers.service.js';
import { verifyEasypostWebhook } from './carriers/easypost.js';
import { readCainiaoPush } from './carriers/cainiao.js';
import type { TrackingUpdate } from './carriers/types.js';
import { crudRoutes } from './rates.routes.js';
import { LogisticsLocalArea, LogisticsPickupPoint, LogisticsSlotCalendar } from './logistics.model.js';
import { calendarView, type CalendarInput, type SlotAvailability, type SlotsService } from './slots/slots.service.js';
import { haversineKm } from './geo/geocoder.js';
import { pageBy, type PageIn } from './paging.js';
import * as s from './schemas.js';

const tags = ['admin: logistics'];
const storeTags = ['store: logistics'];
const t = (ctx: unknown) => ctx as TenantCtx;
const listQuery = { type: 'object', additionalProperties: false, properties: pageQuery } as const;
const storePointsQuery = {
  type: 'object', additionalProperties: false,
  properties: { ...pageQuery, lat: { type: 'number', minimum: -90, maximum: 90 }, lng: { type: 'number', minimum: -180, maximum: 180 } },
} as const;

const signatureInvalid = (carrier: string) => new AppError(400, 'WEBHOOK_SIGNATURE_INVALID', `${carrier} webhook refused: bad or missing signature`, { params: { gateway: carrier } });
const notConfigured = (carrier: string) => new AppError(404, 'WEBHOOK_NOT_CONFIGURED', `No ${carrier} webhook secret is configured for this store`);

function orderToken(headers: RouteInput['headers']): string | undefined {
  const v = headers['x-order-token'];
  return typeof v === 'string' && v.length <= 100 ? v : undefined;
}

export interface ShippingDeps {
  shipments: ShipmentWriteService;
  labels: LabelsService;
  tracking: TrackingService;
  o2o: O2oService;
  carriers: CarriersService;
  slots: SlotsService;
  /** Zones, methods, pickup points and local areas as remembered for the cart (config.ts). */
  config: ConfigMemo;
}

async function orderTracking(ctx: TenantCtx, d: ShippingDeps, orderId: string, withCode: boolean, page: PageIn) {
  const p = await d.o2o.pickupOf(ctx, orderId);
  const r = await d.slots.reservationOf(ctx, orderId);
  const c = r ? await scoped(ctx, LogisticsSlotCalendar).findById(r.calendarId) : undefined;
  const slot = r ? { date: r.slotDate, start: r.windowStart, end: c?.windows.find((w) => w.start === r.windowStart)?.end ?? null, timezone: c?.timezone ?? null, state: r.state } : null;
  const shipments = await d.tracking.ofOrder(ctx, orderId, page);
  return { items: shipments.items, nextCursor: shipments.nextCursor, pickup: p ? pickupView(p.pickup, p.point, withCode) : null, slot };
}

const trackingNotFound = () => new NotFoundError('TRACKING_NOT_FOUND', 'This shipment is not tracked here');

/** One tracked shipment's events, a page at a time (after `check` lets the caller see its order). */
async function shipmentEvents(ctx: TenantCtx, d: ShippingDeps, shipmentId: string, page: PageIn, check?: (orderId: string) => Promise<unknown>) {
  const tracking = await d.tracking.ofShipment(ctx, shipmentId);
  if (!tracking) throw trackingNotFound();
  if (check) await check(tracking.orderId);
  const p = await d.tracking.eventsOf(ctx, tracking.id, page);
  return { items: p.items.map(eventView), nextCursor: p.nextCursor };
}

export function shippingAdminRoutes(d: ShippingDeps): PluginRoute[] {
  const shipped = async (ctx: TenantCtx, l: Parameters<Parameters<LabelsService['ship']>[2]>[0], shipmentId: string) => {
    await d.tracking.start(ctx, { shipmentId, orderId: l.orderId, labelId: l.id, source: l.carrierKind, carrier: l.carrier ?? l.carrierKind, trackingNumber: l.trackingNumber! });
  };
  return [
    route({
      method: 'POST', path: '/fulfilments/:id/label', summary: 'Buy the label of a fulfilment (once: a repeat answers the same label), optionally shipping it', tags, access: 'staff',
      params: idParams, body: s.buyBody, responses: { 200: s.labelOut, 201: s.labelOut },
      errors: { 400: ['LABEL_CARRIER_REQUIRED'], 404: ['FULFILMENT_NOT_FOUND'] },
      handler: async ({ ctx, params, body }) => {
        const { ship, ...input } = body as BuyInput & { ship?: boolean };
        const res = await d.labels.buy(t(ctx), params.id, input);
        const label = ship ? await d.labels.ship(t(ctx), res.label.id, (l, sid) => shipped(t(ctx), l, sid)) : res.label;
        return res.created ? created(labelView(label), `/admin/v1/logistics/labels/${label.id}`) : labelView(label);
      },
    }),
    route({
      method: 'GET', path: '/fulfilments/:id/labels', summary: "A fulfilment's label purchases (one per void), oldest first, a page at a time (limit, cursor from nextCursor)", tags, access: 'staff',
      params: idParams, query: listQuery, responses: { 200: page(s.labelOut) },
      errors: { 404: ['FULFILMENT_NOT_FOUND'] },
      handler: async ({ ctx, params, query }) => {
        const p = await d.labels.ofFulfilment(t(ctx), params.id, query as PageIn);
        return { items: p.items.map(labelView), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'GET', path: '/labels/:id', summary: 'One label', tags, access: 'staff',
      params: idParams, responses: { 200: s.labelOut },
      errors: { 404: ['LABEL_NOT_FOUND'] },
      handler: async ({ ctx, params }) => labelView(await d.labels.get(t(ctx), params.id)),
    }),
    route({
      method: 'POST', path: '/labels/:id/void', summary: 'Void (refund) a label that has not shipped', tags, access: 'staff',
      params: idParams, responses: { 200: s.labelOut },
      errors: { 404: ['LABEL_NOT_FOUND'], 409: ['LABEL_SHIPPED'] },
      handler: async ({ ctx, params }) => labelView(await d.labels.voidLabel(t(ctx), params.id)),
    }),
    route({
      method: 'POST', path: '/labels/:id/ship', summary: "Hand the labelled parcel over: the order's shipment with this tracking number, then tracking", tags, access: 'staff',
      params: idParams, responses: { 200: s.labelOut },
      errors: { 404: ['LABEL_NOT_FOUND'] },
      handler: async ({ ctx, params }) => labelView(await d.labels.ship(t(ctx), params.id, (l, sid) => shipped(t(ctx), l, sid))),
    }),
    route({
      method: 'GET', path: '/orders/:id/tracking', summary: "Tracking of an order's shipments, a page at a time (status, raw carrier status, the first events of each), its pickup and slot", tags, access: 'staff',
      params: idParams, query: listQuery, responses: { 200: s.orderTrackingOut },
      errors: { 404: ['ORDER_NOT_FOUND'] },
      handler: async ({ ctx, params, query }) => {
        if (!(await d.shipments.order(t(ctx), params.id))) throw new NotFoundError('ORDER_NOT_FOUND', 'No such order');
        return orderTracking(t(ctx), d, params.id, true, query as PageIn);
      },
    }),
    route({
      method: 'GET', path: '/shipments/:id/events', summary: "A tracked shipment's events in the carrier's time order, a page at a time (limit, cursor from nextCursor or the shipment's eventsNextCursor)", tags, access: 'staff',
      params: idParams, query: listQuery, responses: { 200: page(s.trackingEventOut) },
      errors: { 404: ['TRACKING_NOT_FOUND'] },
      handler: async ({ ctx, params, query }) => shipmentEvents(t(ctx), d, params.id, query as PageIn),
    }),
    route({
      method: 'POST', path: '/orders/:id/pickup/ready', summary: 'The order is ready at its pickup point: ships it there and gives the shopper a pickup code', tags, access: 'staff',
      params: idParams, responses: { 200: s.pickupOut },
      errors: { 404: ['ORDER_NOT_FOUND'], 409: ['NOT_A_PICKUP_ORDER'] },
      handler: async ({ ctx, params }) => {
        const p = await d.o2o.ready(t(ctx), params.id);
        return pickupView(p.pickup, p.point, true);
      },
    }),
    route({
      method: 'POST', path: '/orders/:id/pickup/collect', summary: 'The shopper collected the order, showing its pickup code: the order is delivered', tags, access: 'staff',
      params: idParams, body: s.collectBody, responses: { 200: s.pickupOut },
      errors: { 400: ['PICKUP_CODE_WRONG'], 404: ['PICKUP_NOT_FOUND'] },
      handler: async ({ ctx, params, body }) => {
        const p = await d.o2o.collect(t(ctx), params.id, body.code);
        return pickupView(p.pickup, p.point, true);
      },
    }),
    ...crudRoutes<LogisticsPickupPoint, PickupPointInput, ReturnType<typeof pickupPointView>>({
      path: '/pickup-points', body: s.pickupPointBody, out: s.pickupPointOut, view: pickupPointView,
      noun: { one: 'One pickup point', many: 'Pickup points (stock locations offered for pickup in store)', add: 'Offer a stock location as a pickup point, with opening hours', remove: 'Delete a pickup point no order waits at' },
      list: (ctx, p) => pageBy(scoped(ctx, LogisticsPickupPoint), [{ column: 'code', of: (x) => x.code }], p),
      get: d.o2o.getPoint, create: (ctx, i) => d.o2o.savePoint(ctx, null, i), update: (ctx, id, i) => d.o2o.savePoint(ctx, id, i), remove: d.o2o.deletePoint,
      errors: { notFound: 'PICKUP_POINT_NOT_FOUND', invalid: ['LOCATION_NOT_FOUND'], conflict: ['PICKUP_POINT_CODE_TAKEN'], inUse: ['PICKUP_POINT_IN_USE'] },
      changed: d.config.changed,
    }),
    ...crudRoutes<LogisticsLocalArea, LocalAreaInput, ReturnType<typeof localAreaView>>({
      path: '/local-areas', body: s.localAreaBody, out: s.localAreaOut, view: localAreaView,
      noun: { one: 'One local delivery area', many: 'Local delivery areas (postcodes or distance bands, fee, slots)', add: 'Add a local delivery area', remove: 'Delete a local delivery area' },
      list: (ctx, p) => pageBy(scoped(ctx, LogisticsLocalArea), [{ column: 'code', of: (x) => x.code }], p),
      get: d.o2o.getArea, create: (ctx, i) => d.o2o.saveArea(ctx, null, i), update: (ctx, id, i) => d.o2o.saveArea(ctx, id, i), remove: d.o2o.deleteArea,
      errors: { notFound: 'LOCAL_AREA_NOT_FOUND', conflict: ['LOCAL_AREA_CODE_TAKEN'] },
      changed: d.config.changed,
    }),
    ...crudRoutes<LogisticsSlotCalendar, CalendarInput, ReturnType<typeof calendarView>>({
      path: '/slot-calendars', body: s.calendarBody, out: s.calendarOut, view: calendarView,
      noun: { one: 'One slot calendar', many: 'Slot calendars (weekdays, windows with capacity, lead time, cutoff)', add: 'Add a slot calendar', remove: 'Delete a slot calendar no area, pickup point or coming order uses' },
      list: (ctx, p) => pageBy(scoped(ctx, LogisticsSlotCalendar), [{ column: 'code', of: (x) => x.code }], p),
      get: d.slots.getCalendar, create: (ctx, i) => d.slots.saveCalendar(ctx, null, i), update: (ctx, id, i) => d.slots.saveCalendar(ctx, id, i), remove: d.slots.deleteCalendar,
      errors: { notFound: 'SLOT_CALENDAR_NOT_FOUND', conflict: ['SLOT_CALENDAR_CODE_TAKEN'], inUse: ['SLOT_CALENDAR_IN_USE'] },
    }),
    route({
      method: 'GET', path: '/slot-calendars/:id/slots', summary: 'The dated slots of a calendar still taking orders, with what each has booked and left', tags, access: 'staff',
      params: idParams, responses: { 200: s.slotsOut },
      errors: { 404: ['SLOT_CALENDAR_NOT_FOUND'] },
      handler: async ({ ctx, params }) => ({ items: (await d.slots.availability(t(ctx), await d.slots.getCalendar(t(ctx), params.id))).map(slotView) }),
    }),
  ];
}

const slotView = (x: SlotAvailability) => ({ date: x.date, start: x.window.start, end: x.window.end, startsAt: x.startsAt.toISOString(), endsAt: x.endsAt.toISOString(), capacity: x.window.capacity, booked: x.booked, remaining: x.remaining });

interface EpTrackerEvent {
  id?: string;
  description?: string;
  result?: { object?: string; tracking_code?: string; status?: string; status_detail?: string | null; updated_at?: string; tracking_details?: { status: string; status_detail?: string | null; datetime: string; message?: string | null; tracking_location?: { city?: string | null } }[] };
}

interface CainiaoPush {
  mailNo?: string;
  traces?: { action: string; subAction?: string; time: string; desc?: string; city?: string }[];
  action?: string;
  time?: string;
  desc?: string;
}

export function shippingStoreRoutes(d: ShippingDeps): PluginRoute[] {
  return [
    route({
      method: 'GET', path: '/orders/:id/tracking', summary: "Tracking of the shopper's order: its shipments a page at a time with their status and first events, and its pickup code (a guest sends X-Order-Token)", tags: storeTags, access: 'public',
      params: idParams, query: listQuery, responses: { 200: s.orderTrackingOut },
      errors: { 404: ['ORDER_NOT_FOUND'] },
      handler: async ({ ctx, params, headers, query }) => {
        await d.shipments.shopperOrder(t(ctx), params.id, orderToken(headers));
        return orderTracking(t(ctx), d, params.id, true, query as PageIn);
      },
    }),
    route({
      method: 'GET', path: '/shipments/:id/events', summary: "The events of a shipment of the shopper's order, a page at a time (a guest sends X-Order-Token)", tags: storeTags, access: 'public',
      params: idParams, query: listQuery, responses: { 200: page(s.trackingEventOut) },
      errors: { 404: ['TRACKING_NOT_FOUND', 'ORDER_NOT_FOUND'] },
      handler: async ({ ctx, params, headers, query }) => shipmentEvents(t(ctx), d, params.id, query as PageIn, (orderId) => d.shipments.shopperOrder(t(ctx), orderId, orderToken(headers))),
    }),
    route({
      method: 'GET', path: '/pickup-points', summary: 'Where the shopper may pick an order up, with opening hours; with lat and lng, nearest first with distanceKm (points without coordinates last)', tags: storeTags, access: 'public',
      query: storePointsQuery, responses: { 200: page(s.pickupPointOut) },
      handler: async ({ ctx, query }) => {
        const q = query as PageIn & { lat?: number; lng?: number };
        if ((q.lat === undefined) !== (q.lng === undefined)) throw new InvalidError('VALIDATION_FAILED', 'lat and lng go together', { errors: [{ in: 'query', pointer: q.lat === undefined ? '/lat' : '/lng', code: 'required', message: 'query.lat and query.lng go together' }] });
        if (q.lat === undefined || q.lng === undefined) {
          const p = await pageBy(scoped(t(ctx), LogisticsPickupPoint).where('active', true), [{ column: 'code', of: (x) => x.code }], q);
          return { items: p.items.map(pickupPointView), nextCursor: p.nextCursor };
        }
        // By distance: the active points of a store are few (a page of them at most 500), sorted here.
        const from = { lat: q.lat, lng: q.lng };
        const all = (await scoped(t(ctx), LogisticsPickupPoint).where('active', true).orderBy('code').limit(500)).map((x) => ({ ...pickupPointView(x), ...(x.coordinates ? { distanceKm: Math.round(haversineKm(from, x.coordinates) * 100) / 100 } : {}) }));
        all.sort((a, b) => (a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) || a.code.localeCompare(b.code));
        const start = q.cursor ? Number(decodeCursor(q.cursor, 1)![0]) : 0;
        const items = all.slice(start, start + q.limit);
        return { items, nextCursor: start + q.limit < all.length ? encodeCursor([start + q.limit]) : null };
      },
    }),
    route({
      method: 'POST', path: '/webhooks/easypost', summary: 'EasyPost tracker events (X-Hmac-Signature over the raw body)', tags: storeTags, access: 'public',
      responses: { 200: {} },
      errors: { 400: ['WEBHOOK_SIGNATURE_INVALID'], 404: ['WEBHOOK_NOT_CONFIGURED'] },
      handler: async ({ ctx, headers, rawBody }) => {
        const secret = (await d.carriers.settings(t(ctx))).easypostWebhookSecret;
        if (!secret) throw notConfigured('EasyPost');
        const event = verifyEasypostWebhook(rawBody ?? '', headers, secret) as EpTrackerEvent | null;
        if (!event) throw signatureInvalid('EasyPost');
        const r = event.result;
        if (r?.object !== 'Tracker' || !r.tracking_code) return { received: true, applied: false };
        const tracking = await d.tracking.byNumber(t(ctx), 'easypost', r.tracking_code);
        if (!tracking) return { received: true, applied: false };
        const updates: TrackingUpdate[] = r.tracking_details?.length
          ? r.tracking_details.slice(-500).map((x) => ({ rawStatus: x.status, rawDetail: x.status_detail ?? null, at: x.datetime, message: x.message ?? null, location: x.tracking_location?.city ?? null }))
          : r.status && r.updated_at ? [{ rawStatus: r.status, rawDetail: r.status_detail ?? null, at: r.updated_at, message: null, location: null }] : [];
        const status = await d.tracking.ingest(t(ctx), tracking, updates, 'webhook');
        return { received: true, applied: true, status };
      },
    }),
    route({
      method: 'POST', path: '/webhooks/cainiao', summary: 'Cainiao-style trace pushes (form fields logistics_interface + data_digest)', tags: storeTags, access: 'public',
      responses: { 200: {} },
      errors: { 400: ['WEBHOOK_SIGNATURE_INVALID'], 404: ['WEBHOOK_NOT_CONFIGURED'] },
      handler: async ({ ctx, rawBody }) => {
        const secret = (await d.carriers.settings(t(ctx))).cainiaoSecret;
        if (!secret) throw notConfigured('Cainiao');
        const push = readCainiaoPush(Object.fromEntries(new URLSearchParams(rawBody ?? '')), secret);
        if (!push) throw signatureInvalid('Cainiao');
        const c = push.content as CainiaoPush;
        if (!c || typeof c.mailNo !== 'string') return reply(200, { success: true, applied: false });
        const tracking = await d.tracking.byNumber(t(ctx), 'cainiao', c.mailNo);
        if (!tracking) return reply(200, { success: true, applied: false });
        const traces = Array.isArray(c.traces) ? c.traces.slice(-500) : c.action && c.time ? [{ action: c.action, time: c.time, desc: c.desc }] : [];
        const updates: TrackingUpdate[] = traces.filter((x) => typeof x?.action === 'string' && typeof x.time === 'string').map((x) => ({ rawStatus: x.action, rawDetail: 'subAction' in x && typeof x.subAction === 'string' ? x.subAction : null, at: x.time, message: typeof x.desc === 'string' ? x.desc : null, location: 'city' in x && typeof x.city === 'string' ? x.city : null }));
        const status = await d.tracking.ingest(t(ctx), tracking, updates, 'webhook');
        return reply(200, { success: true, applied: true, status });
      },
    }),
  ];
}
