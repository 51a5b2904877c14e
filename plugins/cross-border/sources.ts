// Rate sources, each turning its own format into the same normalized rows
// { base, quote, rate (decimal string), asOf, source } (requirement 33):
// - ecb: the ECB's daily euro reference rates (XML, base EUR, Cube time/currency/rate);
// - oxr: Open Exchange Rates style JSON { timestamp (unix UTC), base, rates: { CODE: number } };
// - manual: rows staff enter through the Admin API.
// URLs come from the platform's options, never from a store: the server fetches them.

export type SourceName = 'ecb' | 'oxr' | 'manual';

export interface NormalizedRate {
  source: SourceName;
  base: string;
  quote: string;
  rate: string;
  asOf: string;
}

const CODE = /^[A-Z]{3}$/;
const DECIMAL = /^\d{1,15}(\.\d{1,15})?$/;
const MAX_BODY = 1_000_000;

/** Parses the ECB's eurofxref-daily.xml (single or double quotes; the newest day when there are several). */
export function parseEcb(xml: string): NormalizedRate[] {
  const day = /<Cube\s+time=['"](\d{4}-\d{2}-\d{2})['"]\s*>([\s\S]*?)<\/Cube>/.exec(xml);
  if (!day) throw new Error('no <Cube time="..."> in the ECB answer');
  const out: NormalizedRate[] = [];
  const rateRe = /<Cube\s+currency=['"]([A-Z]{3})['"]\s+rate=['"]([0-9.]+)['"]\s*\/>/g;
  for (let m = rateRe.exec(day[2]); m; m = rateRe.exec(day[2])) {
    if (!DECIMAL.test(m[2]) || /^0+(\.0+)?$/.test(m[2])) continue;
    out.push({ source: 'ecb', base: 'EUR', quote: m[1], rate: m[2], asOf: day[1] });
  }
  if (!out.length) throw new Error('the ECB answer holds no rates');
  return out;
}

/** A JSON number as the decimal it was written as (JSON.parse keeps the shortest round trip, exact to 15 digits). */
function numberText(n: number): string | null {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  let text = String(n);
  if (/e/i.test(text)) text = n.toFixed(15).replace(/0+$/, '').replace(/\.$/, '');
  return DECIMAL.test(text) && !/^0+(\.0+)?$/.test(text) ? text : null;
}

/** Parses an Open Exchange Rates latest.json. */
export function parseOxr(json: string): NormalizedRate[] {
  const body = JSON.parse(json) as { timestamp?: unknown; base?: unknown; rates?: unknown };
  if (typeof body.timestamp !== 'number' || !Number.isSafeInteger(body.timestamp) || body.timestamp <= 0) throw new Error('no timestamp in the rates answer');
  if (typeof body.base !== 'string' || !CODE.test(body.base)) throw new Error('no base in the rates answer');
  if (!body.rates || typeof body.rates !== 'object') throw new Error('no rates in the rates answer');
  const asOf = new Date(body.timestamp * 1000).toISOString();
  const out: NormalizedRate[] = [];
  for (const [quote, value] of Object.entries(body.rates as Record<string, unknown>)) {
    const rate = numberText(value as number);
    if (!CODE.test(quote) || quote === body.base || rate === null) continue;
    out.push({ source: 'oxr', base: body.base, quote, rate, asOf });
  }
  if (!out.length) throw new Error('the rates answer holds no rates');
  return out;
}

export interface SourceOptions {
  ecbUrl: string;
  oxrUrl: string;
  oxrAppId?: string;
  timeoutMs: number;
}

/** Fetches and parses one source. Throws with a short reason on any failure. */
export async function fetchRates(source: 'ecb' | 'oxr', opts: SourceOptions): Promise<NormalizedRate[]> {
  let url = source === 'ecb' ? opts.ecbUrl : opts.oxrUrl;
  if (source === 'oxr' && opts.oxrAppId) url += (url.includes('?') ? '&' : '?') + `app_id=${encodeURIComponent(opts.oxrAppId)}`;
  const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_BODY) throw new Error('answer too large');
  return source === 'ecb' ? parseEcb(text) : parseOxr(text);
}
