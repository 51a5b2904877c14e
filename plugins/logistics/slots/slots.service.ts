// Slot calendars of a store and their capacity. A dated window's orders are counted in one
// logistics_slot_usage row; an order takes a place with one conditional update inside the
// order's placing transaction (`booked < capacity`), so parallel checkouts never overbook, and a
// cancelled order gives its place back once (the reservation's held -> released).
import { ConflictError, InvalidError, NotFoundError, isUniqueViolation, scoped, sql, withTransaction, type FieldError, type TenantCtx } from '@bazaar/sdk';
import { LogisticsLocalArea, LogisticsPickupPoint, LogisticsSlotCalendar, LogisticsSlotReservation, LogisticsSlotUsage } from '../logistics.model.js';
import { addDays, localDate, openSlots, slotOpen, validTimezone, type CalendarRule, type DatedSlot, type SlotWindow, type Weekday } from './calendar.js';

export interface CalendarInput {
  code: string;
  name: string;
  timezone: string;
  days: Weekday[];
  windows: SlotWindow[];
  leadMinutes?: number;
  cutoff?: { time: string; daysBefore: number } | null;
  horizonDays?: number;
  closedDates?: string[];
  active?: boolean;
}

export interface SlotAvailability extends DatedSlot {
  booked: number;
  remaining: number;
}

/** For tests: the calendars' "now" moves by offsetMs. */
export const slotClock = { offsetMs: 0, now: () => new Date(Date.now() + slotClock.offsetMs) };

const field = (pointer: string, code: string, message: string): FieldError => ({ in: 'body', pointer, code, message });

export const calendarView = (c: LogisticsSlotCalendar) => ({
  id: c.id, code: c.code, name: c.name, timezone: c.timezone, days: c.days, windows: c.windows, leadMinutes: c.leadMinutes, cutoff: c.cutoff, horizonDays: c.horizonDays, closedDates: c.closedDates, active: Boolean(c.active), createdAt: c.createdAt, updatedAt: c.updatedAt,
});

export const ruleOf = (c: LogisticsSlotCalendar): CalendarRule => ({ timezone: c.timezone, days: c.days, windows: c.windows, leadMinutes: c.leadMinutes, cutoff: c.cutoff, horizonDays: c.horizonDays, closedDates: c.closedDates });

function checkCalendar(input: CalendarInput): void {
  const errors: FieldError[] = [];
  if (!validTimezone(input.timezone)) errors.push(field('/timezone', 'timezone', 'body.timezone is not an IANA timezone (Europe/Paris, America/Los_Angeles)'));
  const starts = new Set<string>();
  input.windows.forEach((w, i) => {
    if (w.end <= w.start) errors.push(field(`/windows/${i}`, 'range', `body.windows[${i}] ends before it starts`));
    if (starts.has(w.start)) errors.push(field(`/windows/${i}/start`, 'duplicate', `body.windows[${i}].start is the start of another window`));
    starts.add(w.start);
  });
  if (errors.length) throw new InvalidError('LOGISTICS_INVALID', 'The slot calendar is not valid', { errors });
}

export function slotsService() {
  async function getCalendar(ctx: TenantCtx, id: string) {
    const c = await scoped(ctx, LogisticsSlotCalendar).findById(id);
    if (!c) throw new NotFoundError('SLOT_CALENDAR_NOT_FOUND', 'No such slot calendar');
    return c;
  }

  async function saveCalendar(ctx: TenantCtx, id: string | null, input: CalendarInput) {
    if (id) await getCalendar(ctx, id);
    checkCalendar(input);
    const row = {
      code: input.code, name: input.name, timezone: input.timezone, days: [...new Set(input.days)], windows: [...input.windows].sort((a, b) => a.start.localeCompare(b.start)),
      leadMinutes: input.leadMinutes ?? 60, cutoff: input.cutoff ?? null, horizonDays: input.horizonDays ?? 7, closedDates: [...new Set(input.closedDates ?? [])].sort(), active: input.active ?? true,
    };
    const at = id ?? (await (async () => {
      try {
        return (await scoped(ctx, LogisticsSlotCalendar).insert(row)).id;
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken();
        throw err;
      }
    })());
    if (id) {
      try {
        await scoped(ctx, LogisticsSlotCalendar).patch(row).where('id', id);
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken();
        throw err;
      }
    }
    return calendarView(await getCalendar(ctx, at));
  }

  async function deleteCalendar(ctx: TenantCtx, id: string) {
    await getCalendar(ctx, id);
    const used = (await scoped(ctx, LogisticsLocalArea).where('calendar_id', id).first()) ?? (await scoped(ctx, LogisticsPickupPoint).where('calendar_id', id).first());
    if (used) throw new ConflictError('SLOT_CALENDAR_IN_USE', 'A local delivery area or pickup point uses this calendar');
    const today = localDate(slotClock.now(), (await getCalendar(ctx, id)).timezone);
    if (await scoped(ctx, LogisticsSlotReservation).where({ calendar_id: id, state: 'held' }).where('slot_date', '>=', today).first()) throw new ConflictError('SLOT_CALENDAR_IN_USE', 'Orders hold coming slots of this calendar');
    await scoped(ctx, LogisticsSlotUsage).delete().where('calendar_id', id);
    await scoped(ctx, LogisticsSlotCalendar).delete().where('id', id);
  }

  /** The calendar's open slots with what is left of each (full ones included, remaining 0). */
  async function availability(ctx: TenantCtx, c: LogisticsSlotCalendar, now = slotClock.now()): Promise<SlotAvailability[]> {
    const slots = openSlots(ruleOf(c), now);
    if (!slots.length) return [];
    const today = localDate(now, c.timezone);
    const used = await scoped(ctx, LogisticsSlotUsage).where('calendar_id', c.id).whereBetween('slot_date', [today, addDays(today, c.horizonDays)]);
    const booked = new Map(used.map((u) => [`${u.slotDate} ${u.windowStart}`, Number(u.booked)]));
    // Reading writes nothing: a window without a counter row has no order yet. The row is made by
    // the first reserve() of that window.
    return slots.map((s) => {
      const n = booked.get(`${s.date} ${s.window.start}`) ?? 0;
      return { ...s, booked: n, remaining: Math.max(0, s.window.capacity - n) };
    });
  }

  /**
   * Takes one place of the dated window for the order, in ctx's transaction; 409 SLOT_FULL when none
   * is left. The window's counter row is made here, by its first order: an insert that another
   * placing transaction may be making at the same moment (the loser's duplicate is ignored and it
   * takes its place with the conditional update; a deadlock between two of them is retried by the
   * core's order placing). Listing the slots never writes.
   */
  async function reserve(ctx: TenantCtx, o: { orderId: string; optionId: string; calendarId: string; date: string; start: string }) {
    const c = await scoped(ctx, LogisticsSlotCalendar).findById(o.calendarId);
    const window = c?.windows.find((w) => w.start === o.start);
    if (!c || !window || !c.active || !slotOpen(ruleOf(c), o.date, window, slotClock.now())) {
      throw new ConflictError('SLOT_UNAVAILABLE', 'This delivery slot no longer takes orders; choose another', { errors: [field('/shippingMethod', 'unavailable', 'body.shippingMethod names a slot that closed')] });
    }
    const key = { calendar_id: c.id, slot_date: o.date, window_start: o.start };
    const take = () => scoped(ctx, LogisticsSlotUsage).patch({ booked: sql('booked + 1') as unknown as number }).where(key).where('booked', '<', window.capacity);
    let n = await take();
    if (n === 0 && !(await scoped(ctx, LogisticsSlotUsage).where(key).first())) {
      try {
        await scoped(ctx, LogisticsSlotUsage).insert({ calendarId: c.id, slotDate: o.date, windowStart: o.start, booked: 0 });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      n = await take();
    }
    if (n !== 1) throw new ConflictError('SLOT_FULL', 'This delivery slot is full; choose another', { errors: [field('/shippingMethod', 'full', 'body.shippingMethod names a slot with no place left')] });
    await scoped(ctx, LogisticsSlotReservation).insert({ orderId: o.orderId, calendarId: c.id, slotDate: o.date, windowStart: o.start, optionId: o.optionId, state: 'held' });
  }

  /** Gives a cancelled order's place back (once). */
  async function release(ctx: TenantCtx, orderId: string): Promise<boolean> {
    return withTransaction(ctx, async (trx) => {
      const r = await scoped(trx, LogisticsSlotReservation).where({ order_id: orderId, state: 'held' }).first();
      if (!r) return false;
      const n = await scoped(trx, LogisticsSlotReservation).patch({ state: 'released' }).where({ id: r.id, state: 'held' });
      if (n !== 1) return false;
      await scoped(trx, LogisticsSlotUsage).patch({ booked: sql('booked - 1') as unknown as number }).where({ calendar_id: r.calendarId, slot_date: r.slotDate, window_start: r.windowStart }).where('booked', '>', 0);
      return true;
    });
  }

  async function reservationOf(ctx: TenantCtx, orderId: string) {
    return scoped(ctx, LogisticsSlotReservation).where('order_id', orderId).first();
  }

  return { getCalendar, saveCalendar, deleteCalendar, availability, reserve, release, reservationOf };
}

const codeTaken = () => new ConflictError('SLOT_CALENDAR_CODE_TAKEN', 'Another slot calendar has this code', { errors: [field('/code', 'taken', 'body.code is taken')] });

export type SlotsService = ReturnType<typeof slotsService>;
