// Online to offline: pickup in store (a stock location offered as a pickup point with opening
// hours; the order is made ready with a pickup code, then picked up against that code) and local
// delivery (a postcode list, or distance bands around the location's point, with its own fee and
// free-over threshold). Either may have a slot calendar: the cart then offers one option per
// dated slot with room left, and placing the order takes a place. Both are extra option sources
// of the `shipping` provider.
import crypto from 'node:crypto';
import { ConflictError, InvalidError, NotFoundError, TooManyRequestsError, isUniqueViolation, newId, scoped, withTransaction, type CatalogReadService, type ShipmentWriteService, type TenantCtx } from '@bazaar/sdk';
import { LogisticsLocalArea, LogisticsPickup, LogisticsPickupPoint, LogisticsSlotCalendar } from './logistics.model.js';
import { haversineKm, type Point } from './geo/geocoder.js';
import type { GeocodeService } from './geo/geocode.service.js';
import type { SlotsService } from './slots/slots.service.js';
import { parseSlotOption, slotSuffix } from './slots/calendar.js';
import { convertAmount } from './rates.service.js';
import type { OfferSource } from './provider.js';
import type { ConfigMemo } from './config.js';

export const PICKUP_PREFIX = 'pickup-';
export const LOCAL_PREFIX = 'local-';
const MAX_CODE_TRIES = 5;
const newCode = () => String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');

export interface PickupPointInput {
  locationId: string;
  code: string;
  name: string;
  address: Record<string, string>;
  hours: { day: string; open: string; close: string }[];
  instructions?: string | null;
  fee?: number;
  currency: string;
  coordinates?: Point | null;
  calendarId?: string | null;
  active?: boolean;
}

export interface LocalAreaInput {
  code: string;
  name: string;
  locationId?: string | null;
  country: string;
  postalCodes?: string[];
  origin?: Point | null;
  bands?: { maxKm: number; fee: number }[] | null;
  fee?: number;
  currency: string;
  freeOver?: number | null;
  slots?: { id: string; label: string }[];
  calendarId?: string | null;
  active?: boolean;
}

export const pickupPointView = (p: LogisticsPickupPoint) => ({
  id: p.id, locationId: p.locationId, code: p.code, name: p.name, address: p.address, hours: p.hours, instructions: p.instructions, fee: Number(p.fee), currency: p.currency, coordinates: p.coordinates ?? null, calendarId: p.calendarId ?? null, active: Boolean(p.active), createdAt: p.createdAt, updatedAt: p.updatedAt,
});
export const localAreaView = (a: LogisticsLocalArea) => ({
  id: a.id, code: a.code, name: a.name, locationId: a.locationId, country: a.country, postalCodes: a.postalCodes, origin: a.origin ?? null, bands: a.bands ?? null, fee: Number(a.fee), currency: a.currency, freeOver: a.freeOver === null ? null : Number(a.freeOver), slots: a.slots, calendarId: a.calendarId ?? null, active: Boolean(a.active), createdAt: a.createdAt, updatedAt: a.updatedAt,
});
export const pickupView = (p: LogisticsPickup, point: LogisticsPickupPoint | undefined, withCode: boolean) => ({
  orderId: p.orderId, state: p.state, readyAt: p.readyAt, pickedUpAt: p.pickedUpAt, ...(withCode ? { code: p.code } : {}),
  point: point ? { code: point.code, name: point.name, address: point.address, hours: point.hours, instructions: point.instructions } : null,
});

const normPostal = (s: string) => s.toUpperCase().replace(/[\s-]+/g, '');
/** `94105` exactly, or a prefix `941*`. */
export function postalMatches(rules: string[], postalCode: string): boolean {
  const code = normPostal(postalCode);
  return rules.some((r) => (r.endsWith('*') ? code.startsWith(normPostal(r.slice(0, -1))) : code === normPostal(r)));
}

const taken = (what: string) => new ConflictError(`${what.toUpperCase()}_CODE_TAKEN`, `Another ${what.replace('_', ' ')} has this code`, { errors: [{ in: 'body', pointer: '/code', code: 'taken', message: 'body.code is taken' }] });

/** 'Tue, Dec 8, 09:00-12:00' in the reader's language and the calendar's timezone. */
export function slotLabel(locale: string, tz: string, s: { startsAt: Date; window: { start: string; end: string } }): string {
  let day: string;
  try {
    day = new Intl.DateTimeFormat(locale, { timeZone: tz, weekday: 'short', month: 'short', day: 'numeric' }).format(s.startsAt);
  } catch {
    day = new Intl.DateTimeFormat('en', { timeZone: tz, weekday: 'short', month: 'short', day: 'numeric' }).format(s.startsAt);
  }
  return `${day}, ${s.window.start}-${s.window.end}`;
}

/** The fee of the first band the distance falls in (bands ascending by maxKm), or null beyond the last. */
export function bandFee(bands: { maxKm: number; fee: number }[], km: number): number | null {
  return [...bands].sort((a, b) => a.maxKm - b.maxKm).find((b) => km <= b.maxKm)?.fee ?? null;
}

export function o2oService(shipments: ShipmentWriteService, catalog: CatalogReadService, currencies: (ctx: TenantCtx) => string[], geo: GeocodeService, slots: SlotsService, config: ConfigMemo) {
  async function checkLocation(ctx: TenantCtx, locationId: string | null | undefined) {
    if (locationId && !(await catalog.stockLocation(ctx, locationId))) {
      throw new InvalidError('LOCATION_NOT_FOUND', 'No such stock location', { errors: [{ in: 'body', pointer: '/locationId', code: 'not_found', message: 'body.locationId is not a stock location of this store' }] });
    }
  }
  function checkCurrency(ctx: TenantCtx, currency: string) {
    if (!currencies(ctx).includes(currency)) throw new InvalidError('LOGISTICS_INVALID', 'Not a currency of this store', { errors: [{ in: 'body', pointer: '/currency', code: 'currency', message: 'body.currency is not one of the store currencies' }] });
  }
  async function checkCalendar(ctx: TenantCtx, calendarId: string | null | undefined) {
    if (calendarId && !(await scoped(ctx, LogisticsSlotCalendar).findById(calendarId))) {
      throw new InvalidError('LOGISTICS_INVALID', 'No such slot calendar', { errors: [{ in: 'body', pointer: '/calendarId', code: 'not_found', message: 'body.calendarId names no slot calendar of this store' }] });
    }
  }
  function checkHours(hours: PickupPointInput['hours']) {
    hours.forEach((h, i) => {
      if (h.open >= h.close) throw new InvalidError('LOGISTICS_INVALID', 'Opening hours close before they open', { errors: [{ in: 'body', pointer: `/hours/${i}`, code: 'range', message: `body.hours[${i}] closes before it opens` }] });
    });
  }

  // Pickup points
  async function getPoint(ctx: TenantCtx, id: string) {
    const p = await scoped(ctx, LogisticsPickupPoint).findById(id);
    if (!p) throw new NotFoundError('PICKUP_POINT_NOT_FOUND', 'No such pickup point');
    return p;
  }
  async function savePoint(ctx: TenantCtx, id: string | null, input: PickupPointInput) {
    if (id) await getPoint(ctx, id);
    await checkLocation(ctx, input.locationId);
    checkCurrency(ctx, input.currency);
    checkHours(input.hours);
    await checkCalendar(ctx, input.calendarId);
    const row = { locationId: input.locationId, code: input.code, name: input.name, address: input.address, hours: input.hours, instructions: input.instructions ?? null, fee: input.fee ?? 0, currency: input.currency, coordinates: input.coordinates ?? null, calendarId: input.calendarId ?? null, active: input.active ?? true };
    const at = id ?? newId();
    try {
      if (id) await scoped(ctx, LogisticsPickupPoint).patch(row).where('id', id);
      else await scoped(ctx, LogisticsPickupPoint).insert({ id: at, ...row });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken('pickup_point');
      throw err;
    }
    return pickupPointView(await getPoint(ctx, at));
  }
  async function deletePoint(ctx: TenantCtx, id: string) {
    await getPoint(ctx, id);
    if (await scoped(ctx, LogisticsPickup).where({ pickup_point_id: id, state: 'ready' }).first()) throw new ConflictError('PICKUP_POINT_IN_USE', 'Orders are waiting at this pickup point');
    await scoped(ctx, LogisticsPickupPoint).delete().where('id', id);
  }

  // Local delivery areas
  async function getArea(ctx: TenantCtx, id: string) {
    const a = await scoped(ctx, LogisticsLocalArea).findById(id);
    if (!a) throw new NotFoundError('LOCAL_AREA_NOT_FOUND', 'No such local delivery area');
    return a;
  }
  async function saveArea(ctx: TenantCtx, id: string | null, input: LocalAreaInput) {
    if (id) await getArea(ctx, id);
    await checkLocation(ctx, input.locationId);
    checkCurrency(ctx, input.currency);
    await checkCalendar(ctx, input.calendarId);
    const bad = (pointer: string, message: string) => new InvalidError('LOGISTICS_INVALID', 'The local delivery area is not valid', { errors: [{ in: 'body', pointer, code: 'required', message }] });
    const postalCodes = input.postalCodes ?? [];
    if (!postalCodes.length && !input.bands?.length) throw bad('/postalCodes', 'body.postalCodes or body.bands is needed: where the area delivers');
    if (input.bands?.length && !input.origin) throw bad('/origin', 'body.origin (lat, lng of the location) is needed with body.bands');
    if (!input.bands?.length && input.fee === undefined) throw bad('/fee', 'body.fee is needed when the area has no distance bands');
    const kms = (input.bands ?? []).map((b) => b.maxKm);
    if (new Set(kms).size !== kms.length) throw new InvalidError('LOGISTICS_INVALID', 'Two distance bands end at the same distance', { errors: [{ in: 'body', pointer: '/bands', code: 'duplicate', message: 'body.bands has two bands with the same maxKm' }] });
    const bands = input.bands?.length ? [...input.bands].sort((a, b) => a.maxKm - b.maxKm) : null;
    const row = { code: input.code, name: input.name, locationId: input.locationId ?? null, country: input.country, postalCodes, origin: input.origin ?? null, bands, fee: input.fee ?? 0, currency: input.currency, freeOver: input.freeOver ?? null, slots: input.slots ?? [], calendarId: input.calendarId ?? null, active: input.active ?? true };
    const at = id ?? newId();
    try {
      if (id) await scoped(ctx, LogisticsLocalArea).patch(row).where('id', id);
      else await scoped(ctx, LogisticsLocalArea).insert({ id: at, ...row });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken('local_area');
      throw err;
    }
    return localAreaView(await getArea(ctx, at));
  }
  async function deleteArea(ctx: TenantCtx, id: string) {
    await getArea(ctx, id);
    await scoped(ctx, LogisticsLocalArea).delete().where('id', id);
  }

  /** The options of one place: one per open dated slot with room when it has a calendar, else one. */
  async function placeOptions(ctx: TenantCtx, base: string, label: string, carrier: string, calendarId: string | null, amount: number, undated: { id: string; label: string }[] = []) {
    const out: Awaited<ReturnType<OfferSource>> = [];
    if (calendarId) {
      const c = await scoped(ctx, LogisticsSlotCalendar).findById(calendarId);
      if (!c || !c.active) return out;
      for (const s of await slots.availability(ctx, c)) {
        if (s.remaining > 0) out.push({ option: { id: `${base}${slotSuffix(s.date, s.window.start)}`, label: `${label} (${slotLabel(ctx.locale, c.timezone, s)})`, carrier }, amount });
      }
      return out;
    }
    for (const u of undated.length ? undated : [null]) out.push({ option: { id: u ? `${base}-${u.id}` : base, label: u ? `${label} (${u.label})` : label, carrier }, amount });
    return out;
  }

  /** Pickup points and local delivery (by postcode or distance, dated slots with room left) as cart options. */
  const offers: OfferSource = async (ctx, input) => {
    const fx = new Map<string, string | null>();
    const out: Awaited<ReturnType<OfferSource>> = [];
    const known = await config.get(ctx);
    for (const p of known.pickupPoints) {
      const amount = await convertAmount(ctx, Number(p.fee), p.currency, input.currency, fx);
      if (amount !== null) out.push(...(await placeOptions(ctx, `${PICKUP_PREFIX}${p.code}`, p.name, 'pickup', p.calendarId ?? null, amount)));
    }
    const a = input.address;
    if (a) {
      let point: Point | null | undefined;
      // The query compared the country as the database does (MariaDB's collation ignores case).
      const country = a.country.toUpperCase();
      const areas = known.localAreas.filter((x) => x.country.toUpperCase() === country);
      for (const area of areas) {
        if (area.postalCodes.length && !postalMatches(area.postalCodes, a.postalCode)) continue;
        let fee = Number(area.fee);
        if (area.bands?.length && area.origin) {
          // Geocoded once per cart question, and only when an area asks for a distance.
          if (point === undefined) point = await geo.locate(ctx, a);
          if (!point) continue;
          const banded = bandFee(area.bands, haversineKm(area.origin, point));
          if (banded === null) continue;
          fee = banded;
        }
        // Free over the threshold on the subtotal after the order's discounts, as methods compare by default.
        const subtotal = await convertAmount(ctx, input.discountedSubtotal, input.currency, area.currency, fx);
        const free = area.freeOver !== null && subtotal !== null && subtotal >= Number(area.freeOver);
        const amount = free ? 0 : await convertAmount(ctx, fee, area.currency, input.currency, fx);
        if (amount === null) continue;
        out.push(...(await placeOptions(ctx, `${LOCAL_PREFIX}${area.code}`, area.name, 'local', area.calendarId ?? null, amount, area.slots)));
      }
    }
    return out;
  };

  /** In the order's placing transaction: a dated slot option takes its place (409 SLOT_FULL when none is left). */
  async function reserve(ctx: TenantCtx, input: { orderId: string; optionId: string }) {
    const slot = parseSlotOption(input.optionId);
    if (!slot) return;
    const place = slot.base.startsWith(PICKUP_PREFIX)
      ? await scoped(ctx, LogisticsPickupPoint).where('code', slot.base.slice(PICKUP_PREFIX.length)).first()
      : slot.base.startsWith(LOCAL_PREFIX) ? await scoped(ctx, LogisticsLocalArea).where('code', slot.base.slice(LOCAL_PREFIX.length)).first() : undefined;
    if (!place) return;
    if (!place.calendarId) throw new ConflictError('SLOT_UNAVAILABLE', 'This delivery slot no longer takes orders; choose another');
    await slots.reserve(ctx, { orderId: input.orderId, optionId: input.optionId, calendarId: place.calendarId, date: slot.date, start: slot.start });
  }

  // The pickup flow
  async function pickupOf(ctx: TenantCtx, orderId: string) {
    const p = await scoped(ctx, LogisticsPickup).where('order_id', orderId).first();
    return p ? { pickup: p, point: await scoped(ctx, LogisticsPickupPoint).findById(p.pickupPointId) } : undefined;
  }

  async function ready(ctx: TenantCtx, orderId: string) {
    const order = await shipments.order(ctx, orderId);
    if (!order) throw new NotFoundError('ORDER_NOT_FOUND', 'No such order');
    const existing = await pickupOf(ctx, orderId);
    if (existing && existing.pickup.state === 'ready' && existing.pickup.failedTries >= MAX_CODE_TRIES) {
      // Locked by wrong codes: a new code, told to the shopper like the first.
      const code = newCode();
      await scoped(ctx, LogisticsPickup).patch({ code, failedTries: 0 }).where('id', existing.pickup.id);
      await shipments.update(ctx, existing.pickup.shipmentId, { status: 'available_for_pickup', key: 'ready_for_pickup', vars: { location: existing.point?.name ?? '', code }, message: existing.point?.name ?? null, at: new Date().toISOString() });
      return (await pickupOf(ctx, orderId))!;
    }
    if (existing) return existing;
    const m = order.shippingMethod;
    if (m.provider !== 'logistics' || !m.option.startsWith(PICKUP_PREFIX)) throw new ConflictError('NOT_A_PICKUP_ORDER', 'This order is not to be picked up in store');
    // `pickup-shop` or, with a calendar, `pickup-shop.20261208t0900`.
    const base = parseSlotOption(m.option)?.base ?? m.option;
    const point = await scoped(ctx, LogisticsPickupPoint).where('code', base.slice(PICKUP_PREFIX.length)).first();
    if (!point) throw new ConflictError('PICKUP_POINT_NOT_FOUND', 'The pickup point of this order no longer exists');
    // Handing the order to the pickup counter ships it (stock leaves for good); the shopper collects it there.
    const shipment = await shipments.ship(ctx, orderId, { carrier: 'pickup', trackingNumber: `PU-${order.number}` });
    const code = newCode();
    try {
      await scoped(ctx, LogisticsPickup).insert({ orderId, pickupPointId: point.id, shipmentId: shipment.id, code, state: 'ready', failedTries: 0, readyAt: new Date().toISOString(), pickedUpAt: null });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const made = (await pickupOf(ctx, orderId))!;
    await shipments.update(ctx, shipment.id, { status: 'available_for_pickup', key: 'ready_for_pickup', vars: { location: point.name, code: made.pickup.code }, message: point.name, at: made.pickup.readyAt });
    return made;
  }

  async function collect(ctx: TenantCtx, orderId: string, code: string) {
    const found = await pickupOf(ctx, orderId);
    if (!found) throw new NotFoundError('PICKUP_NOT_FOUND', 'This order is not ready for pickup');
    const { pickup, point } = found;
    if (pickup.state === 'picked_up') return found;
    if (pickup.failedTries >= MAX_CODE_TRIES) throw new TooManyRequestsError(60, 'PICKUP_LOCKED');
    const good = code.length === pickup.code.length && crypto.timingSafeEqual(Buffer.from(code), Buffer.from(pickup.code));
    if (!good) {
      await scoped(ctx, LogisticsPickup).patch({ failedTries: pickup.failedTries + 1 }).where('id', pickup.id);
      throw new InvalidError('PICKUP_CODE_WRONG', 'That is not the pickup code of this order', { errors: [{ in: 'body', pointer: '/code', code: 'mismatch', message: 'body.code does not match' }] });
    }
    const at = new Date().toISOString();
    await withTransaction(ctx, async (trx) => {
      const n = await scoped(trx, LogisticsPickup).patch({ state: 'picked_up', pickedUpAt: at }).where({ id: pickup.id, state: 'ready' });
      if (n === 1) await shipments.update(trx, pickup.shipmentId, { status: 'delivered', key: 'picked_up', vars: { location: point?.name ?? '' }, message: point?.name ?? null, at });
    });
    return (await pickupOf(ctx, orderId))!;
  }

  return { getPoint, savePoint, deletePoint, getArea, saveArea, deleteArea, offers, reserve, pickupOf, ready, collect };
}

export type O2oService = ReturnType<typeof o2oService>;
