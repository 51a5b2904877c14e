// Carriers of a store: adapters built from the platform's base URLs and the store's credentials,
// live rates with a hard time limit (a slow or failing carrier is left out for a while and never
// fails checkout), and the parcel a cart or fulfilment makes.
import type { Address, ShippingInput, ShippingInputLine, TenantCtx } from '@bazaar/sdk';
import { easypostAdapter } from './carriers/easypost.js';
import { cainiaoAdapter } from './carriers/cainiao.js';
import type { CarrierAdapter, CarrierRate, CustomsItem, Parcel, RateRequest } from './carriers/types.js';
import { convertLength, convertWeight } from './calculators.js';

export interface LogisticsOptions {
  easypostBaseUrl: string;
  cainiaoBaseUrl: string;
  /** Per carrier call while the shopper waits (at most 3000). */
  rateTimeoutMs: number;
  /** How long a carrier that timed out or failed is left out of live rates. */
  downForMs: number;
  /** How long live rates for the same parcel and address are reused. */
  rateCacheMs: number;
}

export interface LogisticsSettings {
  shipFrom?: Address;
  easypostApiKey?: string;
  easypostWebhookSecret?: string;
  cainiaoProviderId?: string;
  cainiaoSecret?: string;
}

export type CarrierKind = 'easypost' | 'cainiao';

export function parcelOf(lines: ShippingInputLine[]): Parcel {
  let grams = 0;
  for (const l of lines) if (l.weight) grams += convertWeight(l.weight.value, l.weight.unit, 'g') * l.quantity;
  const single = lines.length === 1 && lines[0].quantity === 1 ? lines[0].dimensions : undefined;
  return {
    weightGrams: Math.max(1, Math.round(grams)),
    ...(single ? { lengthCm: convertLength(single.length, single.unit, 'cm'), widthCm: convertLength(single.width, single.unit, 'cm'), heightCm: convertLength(single.height, single.unit, 'cm') } : {}),
  };
}

export function customsOf(lines: ShippingInputLine[], currency: string, titles: Map<string, string> = new Map()): CustomsItem[] {
  return lines.map((l) => ({
    description: titles.get(l.variantId) ?? l.sku, quantity: l.quantity, value: l.unitAmount, currency,
    weightGrams: l.weight ? Math.round(convertWeight(l.weight.value, l.weight.unit, 'g')) : 0, hsCode: l.hsCode ?? null, originCountry: l.originCountry ?? null,
  }));
}

class TimeoutError extends Error {}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

export function carriersService(options: LogisticsOptions, settings: (ctx: TenantCtx) => Promise<LogisticsSettings>) {
  const downUntil = new Map<string, number>();
  const cache = new Map<string, { until: number; rates: CarrierRate[] }>();

  async function adapter(ctx: TenantCtx, kind: CarrierKind, timeoutMs = 30_000): Promise<CarrierAdapter | null> {
    const s = await settings(ctx);
    if (kind === 'easypost') return s.easypostApiKey ? easypostAdapter({ apiKey: s.easypostApiKey, baseUrl: options.easypostBaseUrl, timeoutMs }) : null;
    return s.cainiaoProviderId && s.cainiaoSecret ? cainiaoAdapter({ baseUrl: options.cainiaoBaseUrl, providerId: s.cainiaoProviderId, secret: s.cainiaoSecret, timeoutMs }) : null;
  }

  /** Live rates of one carrier for a cart, or [] when it is not set up, down, slow or failing. */
  async function liveRates(ctx: TenantCtx, kind: CarrierKind, input: ShippingInput): Promise<CarrierRate[]> {
    const s = await settings(ctx);
    if (!input.address || !s.shipFrom) return [];
    const key = `${ctx.tenant.id}:${kind}`;
    if ((downUntil.get(key) ?? 0) > Date.now()) return [];
    const a = await adapter(ctx, kind, options.rateTimeoutMs);
    if (!a) return [];
    const req: RateRequest = { from: s.shipFrom, to: input.address, parcel: parcelOf(input.lines), ...(input.address.country !== s.shipFrom.country ? { customs: customsOf(input.lines, input.currency) } : {}) };
    const cacheKey = `${key}:${JSON.stringify(req)}`;
    const hit = cache.get(cacheKey);
    if (hit && hit.until > Date.now()) return hit.rates;
    try {
      const rates = await within(a.rates(req), options.rateTimeoutMs);
      if (cache.size > 5000) cache.clear();
      cache.set(cacheKey, { until: Date.now() + options.rateCacheMs, rates });
      return rates;
    } catch (err) {
      downUntil.set(key, Date.now() + options.downForMs);
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err), carrier: kind, timedOut: err instanceof TimeoutError }, 'carrier rates unavailable; its live options are hidden');
      return [];
    }
  }

  return { adapter, liveRates, settings };
}

export type CarriersService = ReturnType<typeof carriersService>;
