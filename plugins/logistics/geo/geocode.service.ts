// Where an address is: its own coordinates when the shopper or checkout gave them, else the
// store's geocoder, asked once per address and remembered (logistics_geocodes: hits for
// geocodeCacheDays, "no such place" for a day). A geocoder that is slow, failing or not set up
// gives no point, so distance-priced options are not offered; checkout never fails because of it.
import crypto from 'node:crypto';
import { scoped, isUniqueViolation, type Address, type TenantCtx } from '@bazaar/sdk';
import { LogisticsGeocode } from '../logistics.model.js';
import { googleGeocoder, nominatimGeocoder, type Geocoder, type Point } from './geocoder.js';

export interface GeocodeOptions {
  nominatimBaseUrl: string;
  googleGeocodeBaseUrl: string;
  geocodeTimeoutMs: number;
  geocodeCacheDays: number;
  downForMs: number;
}

export interface GeocodeSettings {
  geocoder?: 'none' | 'nominatim' | 'google';
  geocoderApiKey?: string;
  geocoderEmail?: string;
}

const MISS_TTL_MS = 24 * 3_600_000;
const norm = (s: string | undefined) => (s ?? '').normalize('NFKC').trim().toUpperCase().replace(/\s+/g, ' ');

export function addressKey(kind: string, a: Address): string {
  return crypto.createHash('sha256').update([kind, a.line1, a.line2, a.city, a.region, a.postalCode, a.country].map(norm).join('\n')).digest('hex');
}

export function geocodeService(options: GeocodeOptions, settings: (ctx: TenantCtx) => Promise<GeocodeSettings>) {
  const downUntil = new Map<string, number>();

  async function geocoderOf(ctx: TenantCtx): Promise<Geocoder | null> {
    const s = await settings(ctx);
    if (s.geocoder === 'nominatim') return nominatimGeocoder({ baseUrl: options.nominatimBaseUrl, userAgent: 'Bazaar-logistics/0.1', ...(s.geocoderEmail ? { email: s.geocoderEmail } : {}) });
    if (s.geocoder === 'google' && s.geocoderApiKey) return googleGeocoder({ baseUrl: options.googleGeocodeBaseUrl, apiKey: s.geocoderApiKey });
    return null;
  }

  /** The address's point, or null (ungeocodable, no geocoder, or the geocoder did not answer in time). */
  async function locate(ctx: TenantCtx, address: Address): Promise<Point | null> {
    if (address.coordinates) return address.coordinates;
    const g = await geocoderOf(ctx);
    if (!g) return null;
    const key = addressKey(g.kind, address);
    const now = Date.now();
    const cached = await scoped(ctx, LogisticsGeocode).where('address_key', key).first();
    if (cached && new Date(cached.expiresAt).getTime() > now) return cached.found ? { lat: Number(cached.lat), lng: Number(cached.lng) } : null;
    const downKey = `${ctx.tenant.id}:${g.kind}`;
    if ((downUntil.get(downKey) ?? 0) > now) return null;
    let point: Point | null;
    try {
      point = await g.geocode(address, AbortSignal.timeout(options.geocodeTimeoutMs));
    } catch (err) {
      downUntil.set(downKey, Date.now() + options.downForMs);
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err), geocoder: g.kind }, 'geocoder unavailable; distance-priced options are hidden');
      return null;
    }
    const row = { found: point !== null, lat: point?.lat ?? null, lng: point?.lng ?? null, expiresAt: new Date(Date.now() + (point ? options.geocodeCacheDays * 86_400_000 : MISS_TTL_MS)).toISOString() };
    try {
      if (cached) await scoped(ctx, LogisticsGeocode).patch(row).where('id', cached.id);
      else await scoped(ctx, LogisticsGeocode).insert({ addressKey: key, geocoder: g.kind, ...row });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // another request cached it meanwhile
    }
    return point;
  }

  return { locate };
}

export type GeocodeService = ReturnType<typeof geocodeService>;
