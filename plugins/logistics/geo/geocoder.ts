// Geocoders behind one small interface (address -> WGS 84 point or null), with two adapters for
// the common JSON styles: Nominatim's `/search?format=jsonv2` (an array of `{lat, lon}` strings)
// and Google's `/geocode/json` (`{status, results: [{geometry: {location: {lat, lng}}}]}`). Each
// takes a base URL, so tests (and self-hosted Nominatim) point it elsewhere.
import type { Address } from '@bazaar/sdk';

export interface Point {
  lat: number;
  lng: number;
}

export interface Geocoder {
  readonly kind: 'nominatim' | 'google';
  /** The point of an address; null when the service knows no such place. Throws when it cannot answer. */
  geocode(address: Address, signal: AbortSignal): Promise<Point | null>;
}

const EARTH_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km (haversine, mean Earth radius). */
export function haversineKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

const finite = (lat: unknown, lng: unknown): Point | null => {
  const p = { lat: Number(lat), lng: Number(lng) };
  return Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180 ? p : null;
};

async function getJson(url: URL, signal: AbortSignal, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal });
  if (!res.ok) throw new Error(`geocoder: HTTP ${res.status}`);
  return res.json();
}

const withSlash = (base: string) => (base.endsWith('/') ? base : `${base}/`);

/** Nominatim (OpenStreetMap) style: structured search, first hit. */
export function nominatimGeocoder(o: { baseUrl: string; userAgent: string; email?: string }): Geocoder {
  return {
    kind: 'nominatim',
    async geocode(a, signal) {
      const url = new URL('search', withSlash(o.baseUrl));
      const q: Record<string, string> = { format: 'jsonv2', limit: '1', street: [a.line1, a.line2].filter(Boolean).join(', '), city: a.city, postalcode: a.postalCode, countrycodes: a.country.toLowerCase() };
      if (a.region) q.state = a.region;
      if (o.email) q.email = o.email;
      for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
      const body = await getJson(url, signal, { 'user-agent': o.userAgent });
      if (!Array.isArray(body)) throw new Error('geocoder: answer is not a list');
      return body.length ? finite(body[0]?.lat, body[0]?.lon) : null;
    },
  };
}

/** Google Geocoding API style: `ZERO_RESULTS` is "no such place", other non-OK statuses are failures. */
export function googleGeocoder(o: { baseUrl: string; apiKey: string }): Geocoder {
  return {
    kind: 'google',
    async geocode(a, signal) {
      const url = new URL('geocode/json', withSlash(o.baseUrl));
      url.searchParams.set('address', [a.line1, a.line2, a.city, a.region, a.postalCode].filter(Boolean).join(', '));
      url.searchParams.set('components', `country:${a.country}|postal_code:${a.postalCode}`);
      url.searchParams.set('key', o.apiKey);
      const body = (await getJson(url, signal)) as { status?: string; results?: { geometry?: { location?: { lat?: unknown; lng?: unknown } } }[] };
      if (body.status === 'ZERO_RESULTS') return null;
      if (body.status !== 'OK') throw new Error(`geocoder: status ${String(body.status)}`);
      const loc = body.results?.[0]?.geometry?.location;
      return loc ? finite(loc.lat, loc.lng) : null;
    },
  };
}
