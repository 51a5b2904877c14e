// A slot calendar: on which weekdays, in which windows (local time of the calendar's timezone)
// a location delivers or hands over orders, how many orders each window takes, how long before a
// window an order must be placed (lead time) and by when a day closes (cutoff). Pure functions:
// the dated slots open at an instant, and the option-id suffix that names one (`.20261208t0900`).

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SlotWindow {
  /** 'HH:MM' local; unique in its calendar (it names the window). */
  start: string;
  end: string;
  capacity: number;
}

export interface CalendarRule {
  timezone: string;
  days: Weekday[];
  windows: SlotWindow[];
  /** A window must start at least this long after the order. */
  leadMinutes: number;
  /** A day's windows close at `time` local, `daysBefore` days earlier (0: that same day). */
  cutoff: { time: string; daysBefore: number } | null;
  /** How many days ahead, today included, slots are offered. */
  horizonDays: number;
  /** 'YYYY-MM-DD' local dates with no slots (holidays). */
  closedDates: string[];
}

export interface DatedSlot {
  /** 'YYYY-MM-DD' local. */
  date: string;
  window: SlotWindow;
  startsAt: Date;
  endsAt: Date;
}

export function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const fmt = new Map<string, Intl.DateTimeFormat>();
function parts(at: Date, tz: string): { y: number; m: number; d: number; h: number; mi: number } {
  let f = fmt.get(tz);
  if (!f) fmt.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour) % 24, mi: Number(p.minute) };
}

/** The local calendar date of an instant in a timezone, 'YYYY-MM-DD'. */
export function localDate(at: Date, tz: string): string {
  const p = parts(at, tz);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The instant of a local wall time ('YYYY-MM-DD', 'HH:MM') in a timezone (a time skipped by DST moves forward). */
export function zonedInstant(date: string, time: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = parts(new Date(guess), tz);
    const diff = wall - Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi);
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export const weekdayOf = (date: string): Weekday => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];

/** Whether the window of that date still takes orders at `now` (weekday, closed dates, lead time, cutoff, horizon). */
export function slotOpen(c: CalendarRule, date: string, window: SlotWindow, now: Date): DatedSlot | null {
  const today = localDate(now, c.timezone);
  if (date < today || date > addDays(today, c.horizonDays - 1)) return null;
  if (!c.days.includes(weekdayOf(date)) || c.closedDates.includes(date)) return null;
  const startsAt = zonedInstant(date, window.start, c.timezone);
  if (startsAt.getTime() - now.getTime() < c.leadMinutes * 60_000) return null;
  if (c.cutoff && now.getTime() >= zonedInstant(addDays(date, -c.cutoff.daysBefore), c.cutoff.time, c.timezone).getTime()) return null;
  return { date, window, startsAt, endsAt: zonedInstant(date, window.end, c.timezone) };
}

/** Every slot still taking orders at `now`, in time order (capacity aside). */
export function openSlots(c: CalendarRule, now: Date): DatedSlot[] {
  const today = localDate(now, c.timezone);
  const out: DatedSlot[] = [];
  const windows = [...c.windows].sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 0; i < c.horizonDays; i++) {
    const date = addDays(today, i);
    for (const w of windows) {
      const s = slotOpen(c, date, w, now);
      if (s) out.push(s);
    }
  }
  return out;
}

/** `.20261208t0900`: the suffix of an option id naming a dated slot. */
export const slotSuffix = (date: string, start: string) => `.${date.replace(/-/g, '')}t${start.replace(':', '')}`;

/** `local-van.20261208t0900` -> { base: 'local-van', date: '2026-12-08', start: '09:00' }. */
export function parseSlotOption(optionId: string): { base: string; date: string; start: string } | null {
  const m = /^(.+)\.(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})$/.exec(optionId);
  return m ? { base: m[1], date: `${m[2]}-${m[3]}-${m[4]}`, start: `${m[5]}:${m[6]}` } : null;
}
