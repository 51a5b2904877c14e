// The review countdown's span of time, in the console language's own units (no React: tested in Node).
/**
 * A span of time in the language's own units through Intl ("2d 3h", "2天3小时", "2 日 3 時間"):
 * days and hours, or hours and minutes under a day. English takes CLDR's narrow units; the
 * others the short ones (Japanese narrow units are Latin letters).
 */
export function formatSpan(ms: number, language: string): string {
  const m = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const locale = language === 'en-XA' ? 'en' : language;
  const display = locale.startsWith('en') ? 'narrow' : 'short';
  const unit = (n: number, u: 'day' | 'hour' | 'minute') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: display }).format(n);
  const parts = d ? [unit(d, 'day'), unit(h, 'hour')] : [unit(h, 'hour'), unit(m % 60, 'minute')];
  return new Intl.ListFormat(locale, { type: 'unit', style: display }).format(parts);
}

