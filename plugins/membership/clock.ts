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

export function previousDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  return new Date(d.getTime() - DAY).toISOString().slice(0, 10);
}

export function iso(d: Date): string {
  return d.toISOString();
}
