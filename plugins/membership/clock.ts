// The plugin's clock. Tests move it forward (`clock.advance(days)`) to wait out a return window
// or a tier's term without sleeping; production never touches it.
export const clock = {
  offsetMs: 0,
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  },
  advanceDays(days: number): void {
    this.offsetMs += days * 86_400_000;
  },
  reset(): void {
    this.offsetMs = 0;
  },
};

export const DAY = 86_400_000;

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY);
}

export function addMonths(d: Date, months: number): Date {
  const x = new Date(d.getTime());
  x.setUTCMonth(x.getUTCMonth() + months);
  return x;
}

/** The calendar day (YYYY-MM-DD) of `d` in an IANA time zone. */
export function localDay(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Minutes a time zone is ahead of UTC at the instant `d`. */
function offsetMinutes(d: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(d);
  const v = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second'));
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

/** The instant local midnight starts `year-month-day` (month 1-12) in a time zone. */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  // Once more with the offset at the guess: right across a DST change near midnight.
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The calendar year of `d` in a time zone. */
export function localYear(d: Date, timeZone: string): number {
  return Number(localDay(d, timeZone).slice(0, 4));
}

/** The instant the local month of `d` started in a time zone. */
export function localMonthStart(d: Date, timeZone: string): Date {
  const [y, m] = localDay(d, timeZone).split('-').map(Number);
  return zonedMidnight(y, m, 1, timeZone);
}

export function previousDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  return new Date(d.getTime() - DAY).toISOString().slice(0, 10);
}

export function iso(d: Date): string {
  return d.toISOString();
}
