// EasyPost (a multi-carrier API) through the official SDK, `@easypost/api`, at a configurable
// base URL. Rates come from creating a shipment; buying picks the rate of the wanted service.
import * as easypostSdk from '@easypost/api';

interface SuperagentRequest {
  timeout(t: { deadline: number }): SuperagentRequest;
  set(name: string, value: string): SuperagentRequest;
}

// The package's types declare no default export, but its ESM build exports the client class as default.
interface EasyPostSdkClient {
  Shipment: { create(p: unknown): Promise<unknown>; buy(id: string, rate: string): Promise<unknown>; refund(id: string): Promise<unknown> };
  Tracker: { create(p: unknown): Promise<unknown> };
  Utils: { validateWebhook(body: Buffer, headers: Record<string, string>, secret: string): unknown };
}
const EasyPostClient = (easypostSdk as unknown as { default: new (apiKey: string, options?: { baseUrl?: string; timeout?: number; requestMiddleware?: (r: SuperagentRequest) => unknown }) => EasyPostSdkClient }).default;
import type { Address } from './address.js';
import type { CarrierAdapter, CarrierRate, PurchasedLabel, RateRequest, TrackingUpdate } from './types.js';

const OZ_PER_GRAM = 1 / 28.349523125;
const IN_PER_CM = 1 / 2.54;

function epAddress(a: Address) {
  return { name: a.name, company: a.company, street1: a.line1, street2: a.line2, city: a.city, state: a.region, zip: a.postalCode, country: a.country, phone: a.phone };
}

function epShipment(req: RateRequest) {
  const p = req.parcel;
  return {
    from_address: epAddress(req.from),
    to_address: epAddress(req.to),
    parcel: {
      weight: Math.max(0.1, Math.round(p.weightGrams * OZ_PER_GRAM * 10) / 10),
      ...(p.lengthCm && p.widthCm && p.heightCm ? { length: Math.round(p.lengthCm * IN_PER_CM * 10) / 10, width: Math.round(p.widthCm * IN_PER_CM * 10) / 10, height: Math.round(p.heightCm * IN_PER_CM * 10) / 10 } : {}),
    },
    ...(req.customs?.length
      ? {
          customs_info: {
            contents_type: 'merchandise',
            customs_items: req.customs.map((c) => ({ description: c.description, quantity: c.quantity, value: c.value / 100, weight: Math.round(c.weightGrams * OZ_PER_GRAM * 10) / 10, hs_tariff_number: c.hsCode ?? undefined, origin_country: c.originCountry ?? undefined, currency: c.currency })),
          },
        }
      : {}),
    ...(req.reference ? { reference: req.reference } : {}),
  };
}

/** "7.50" USD -> 750 (EasyPost rates are decimal strings in major units). */
export function minorOf(rate: string | number, exponent = 2): number {
  const [whole, frac = ''] = String(rate).split('.');
  return Number(whole) * 10 ** exponent + Number((frac + '0'.repeat(exponent)).slice(0, exponent) || 0);
}

interface EpRate { id: string; carrier: string; service: string; rate: string; currency: string; delivery_days?: number | null; est_delivery_days?: number | null }

export function easypostAdapter(opts: { apiKey: string; baseUrl: string; timeoutMs: number }): CarrierAdapter {
  // The SDK keeps its `timeout` option without applying it (8.9): the request middleware sets a
  // superagent deadline, so a slow carrier's connection is closed rather than left open.
  // A purchase sends an Idempotency-Key header (our label's key): a retried buy the carrier has
  // seen answers the first label instead of charging again.
  const clientFor = (idempotencyKey?: string) =>
    new EasyPostClient(opts.apiKey, {
      baseUrl: opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`,
      timeout: opts.timeoutMs,
      requestMiddleware: (r) => {
        const timed = r.timeout({ deadline: opts.timeoutMs });
        return idempotencyKey ? timed.set('Idempotency-Key', idempotencyKey) : timed;
      },
    });
  const client = clientFor();
  const toRate = (r: EpRate): CarrierRate => {
    const days = r.delivery_days ?? r.est_delivery_days ?? undefined;
    return { carrier: r.carrier, service: r.service, amount: minorOf(r.rate), currency: r.currency, ref: r.id, ...(days ? { minDays: days, maxDays: days } : {}) };
  };
  return {
    kind: 'easypost',
    async rates(req) {
      const shipment = (await client.Shipment.create(epShipment(req))) as unknown as { rates: EpRate[] };
      return (shipment.rates ?? []).map(toRate);
    },
    async buyLabel(req) {
      const buyer = clientFor(req.idempotencyKey);
      const shipment = (await buyer.Shipment.create(epShipment({ ...req, reference: req.reference }))) as unknown as { id: string; rates: EpRate[] };
      const rate = shipment.rates.find((r) => r.service.toLowerCase() === req.service.toLowerCase());
      if (!rate) throw new Error(`EasyPost offered no ${req.service} rate for this parcel`);
      const bought = (await buyer.Shipment.buy(shipment.id, rate.id)) as unknown as {
        id: string; tracking_code: string; postage_label?: { label_url?: string }; tracker?: { public_url?: string }; selected_rate?: EpRate;
      };
      const sel = bought.selected_rate ?? rate;
      const label: PurchasedLabel = {
        carrier: sel.carrier, service: sel.service, trackingNumber: bought.tracking_code, trackingUrl: bought.tracker?.public_url ?? null,
        labelUrl: bought.postage_label?.label_url ?? null, externalId: bought.id, amount: minorOf(sel.rate), currency: sel.currency,
      };
      return label;
    },
    async cancel(label) {
      await client.Shipment.refund(label.externalId);
    },
    async documents(label) {
      return label.labelUrl ? [{ type: 'label', url: label.labelUrl }] : [];
    },
    async track(label) {
      const tracker = (await client.Tracker.create({ tracking_code: label.trackingNumber, carrier: label.carrier })) as unknown as {
        status: string; status_detail?: string | null; tracking_details?: { status: string; status_detail?: string | null; datetime: string; message?: string | null; tracking_location?: { city?: string | null } }[];
      };
      const details = tracker.tracking_details ?? [];
      const out: TrackingUpdate[] = details.map((d) => ({ rawStatus: d.status, rawDetail: d.status_detail ?? null, at: d.datetime, message: d.message ?? null, location: d.tracking_location?.city ?? null }));
      return out;
    },
  };
}

/** EasyPost's webhook check (X-Hmac-Signature over the raw body, NFKD-normalized secret), through the SDK. */
export function verifyEasypostWebhook(rawBody: string, headers: Record<string, unknown>, secret: string): Record<string, unknown> | null {
  const client = new EasyPostClient('unused');
  try {
    return client.Utils.validateWebhook(Buffer.from(rawBody, 'utf8'), headers as Record<string, string>, secret) as Record<string, unknown>;
  } catch {
    return null;
  }
}
