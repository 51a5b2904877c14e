// A Cainiao-style (菜鸟 LINK) adapter: every call is an application/x-www-form-urlencoded POST
// of `logistics_interface` (the JSON message), `data_digest` = base64(md5(content + secret)) over
// the UTF-8 bytes, `msg_type`, `logistic_provider_id` and `msg_id`. Every field is URL-encoded,
// so a digest with `+` survives (the documented "sometimes the signature fails" pitfall).
// The message types and payload shapes below follow the public LINK docs' pattern; they are not
// verified against a real account (test credentials are issued offline).
import crypto from 'node:crypto';
import type { CarrierAdapter, CarrierRate, RateRequest } from './types.js';

export function dataDigest(content: string, secret: string): string {
  return crypto.createHash('md5').update(Buffer.from(content + secret, 'utf8')).digest('base64');
}

export function verifyDigest(content: string, digest: string, secret: string): boolean {
  const want = Buffer.from(dataDigest(content, secret));
  const got = Buffer.from(digest);
  return want.length === got.length && crypto.timingSafeEqual(want, got);
}

/** The form body of one call, URL-encoded field by field. */
export function cainiaoForm(msgType: string, content: string, o: { providerId: string; secret: string; msgId?: string }): string {
  return new URLSearchParams({
    msg_type: msgType,
    logistic_provider_id: o.providerId,
    logistics_interface: content,
    data_digest: dataDigest(content, o.secret),
    msg_id: o.msgId ?? crypto.randomUUID(),
  }).toString();
}

/** Reads an inbound push (form fields already decoded once by the body parser or by URLSearchParams); null when unsigned or forged. */
export function readCainiaoPush(form: Record<string, unknown>, secret: string): { msgType: string; content: unknown } | null {
  const content = form.logistics_interface;
  const digest = form.data_digest;
  if (typeof content !== 'string' || typeof digest !== 'string' || !verifyDigest(content, digest, secret)) return null;
  try {
    return { msgType: String(form.msg_type ?? ''), content: JSON.parse(content) };
  } catch {
    return null;
  }
}

interface Reply { success: boolean | string; errorCode?: string; errorMsg?: string; [k: string]: unknown }

export function cainiaoAdapter(opts: { baseUrl: string; providerId: string; secret: string; timeoutMs: number }): CarrierAdapter {
  async function call<T extends Reply>(msgType: string, message: unknown, msgId?: string): Promise<T> {
    const res = await fetch(opts.baseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: cainiaoForm(msgType, JSON.stringify(message), { ...opts, ...(msgId ? { msgId } : {}) }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const text = await res.text();
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch {
      throw new Error(`Cainiao ${msgType}: HTTP ${res.status}, not JSON`);
    }
    if (!res.ok || (body.success !== true && body.success !== 'true')) throw new Error(`Cainiao ${msgType}: ${body.errorCode ?? res.status} ${body.errorMsg ?? ''}`.trim());
    return body;
  }
  const parties = (req: RateRequest) => ({
    sender: { name: req.from.name, mobile: req.from.phone, address: { province: req.from.region, city: req.from.city, detail: [req.from.line1, req.from.line2].filter(Boolean).join(' '), zip: req.from.postalCode, country: req.from.country } },
    receiver: { name: req.to.name, mobile: req.to.phone, address: { province: req.to.region, city: req.to.city, detail: [req.to.line1, req.to.line2].filter(Boolean).join(' '), zip: req.to.postalCode, country: req.to.country } },
    weight: req.parcel.weightGrams,
    ...(req.customs?.length ? { declareItems: req.customs.map((c) => ({ name: c.description, quantity: c.quantity, unitPrice: c.value, currency: c.currency, weight: c.weightGrams, hsCode: c.hsCode, originCountry: c.originCountry })) } : {}),
  });
  return {
    kind: 'cainiao',
    async rates(req) {
      const body = await call<Reply & { rates?: { cpCode: string; service: string; fee: number; currency: string; minDays?: number; maxDays?: number }[] }>('CN_RATE_QUERY', parties(req));
      return (body.rates ?? []).map((r): CarrierRate => ({ carrier: r.cpCode, service: r.service, amount: r.fee, currency: r.currency, ...(r.minDays !== undefined ? { minDays: r.minDays } : {}), ...(r.maxDays !== undefined ? { maxDays: r.maxDays } : {}) }));
    },
    async buyLabel(req) {
      // The waybill is asked for by our key as the order code (and as msg_id): asking again with the same key gives the same waybill.
      const body = await call<Reply & { waybillCode: string; cpCode: string; printUrl?: string; fee?: number; currency?: string }>('TMS_WAYBILL_GET', { ...parties(req), service: req.service, orderCode: req.idempotencyKey, reference: req.reference }, req.idempotencyKey);
      return {
        carrier: body.cpCode, service: req.service, trackingNumber: body.waybillCode, trackingUrl: `https://global.cainiao.com/detail.htm?mailNoList=${encodeURIComponent(body.waybillCode)}`,
        labelUrl: body.printUrl ?? null, externalId: body.waybillCode, amount: body.fee ?? null, currency: body.currency ?? null,
      };
    },
    async cancel(label) {
      await call('TMS_WAYBILL_DISCARD', { waybillCode: label.trackingNumber });
    },
    async documents(label) {
      return label.labelUrl ? [{ type: 'label', url: label.labelUrl }] : [];
    },
    async track(label) {
      const body = await call<Reply & { traces?: { action: string; subAction?: string; time: string; desc?: string; city?: string }[] }>('CN_TRACE_QUERY', { mailNo: label.trackingNumber });
      return (body.traces ?? []).map((t) => ({ rawStatus: t.action, rawDetail: t.subAction ?? null, at: t.time, message: t.desc ?? null, location: t.city ?? null }));
    },
  };
}
