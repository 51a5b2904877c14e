// Labels (requirement 26): bought once per fulfilment however often "buy" is pressed. Each
// purchase attempt is a row claimed before the carrier is called (unique per fulfilment and
// attempt), and the carrier gets the attempt's idempotency key, so a retry after a lost answer
// gets the same label rather than a second charge. A second request while the first is buying
// waits for it and answers the same label. Voiding (before the parcel ships) refunds the label
// at the carrier and opens the next attempt, with a new key.
import { ConflictError, InvalidError, NotFoundError, UnavailableError, isUniqueViolation, scoped, type ShipmentWriteService, type TenantCtx, type PluginFulfilmentView } from '@bazaar/sdk';
import { LogisticsLabel, LogisticsMethod } from './logistics.model.js';
import { customsOf, parcelOf, type CarriersService, type CarrierKind } from './carriers.service.js';
import { liveOptionId } from './provider.js';
import type { Parcel } from './carriers/types.js';
import { convertLength, convertWeight } from './calculators.js';
import { pageBy, type PageIn } from './paging.js';

/** A purchase still "buying" after this long is taken over (the process that started it died); its key is reused. */
const STALE_BUYING_MS = 120_000;

export interface BuyInput {
  carrier?: CarrierKind;
  service?: string;
  parcel?: { weight: { value: number; unit: 'g' | 'kg' | 'lb' | 'oz' }; dimensions?: { length: number; width: number; height: number; unit: 'cm' | 'in' } };
}

export function labelView(l: LogisticsLabel) {
  return {
    id: l.id, fulfilmentId: l.fulfilmentId, orderId: l.orderId, attempt: l.attempt, state: l.state, carrierKind: l.carrierKind, carrier: l.carrier, service: l.service,
    trackingNumber: l.trackingNumber, trackingUrl: l.trackingUrl, labelUrl: l.labelUrl, amount: l.amount === null ? null : Number(l.amount), currency: l.currency,
    shipmentId: l.shipmentId, error: l.error, createdAt: l.createdAt, updatedAt: l.updatedAt,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function latest(ctx: TenantCtx, fulfilmentId: string): Promise<LogisticsLabel | undefined> {
  return scoped(ctx, LogisticsLabel).where('fulfilment_id', fulfilmentId).orderBy('attempt', 'desc').first();
}

/** Which carrier and service: as asked, else what the shopper chose at checkout (a carrier method's `code:service`). */
async function carrierChoice(ctx: TenantCtx, f: PluginFulfilmentView, input: BuyInput, services: (kind: CarrierKind, f: PluginFulfilmentView) => Promise<string[]>): Promise<{ kind: CarrierKind; service: string }> {
  if (input.carrier && input.service) return { kind: input.carrier, service: input.service };
  const chosen = f.order.shippingMethod;
  const [code] = chosen.provider === 'logistics' ? chosen.option.split(':') : [];
  const m = code ? await scoped(ctx, LogisticsMethod).where('code', code).first() : undefined;
  if (m && m.calculator.type === 'carrier') {
    const kind = input.carrier ?? m.calculator.carrier;
    if (input.service) return { kind, service: input.service };
    for (const s of await services(kind, f)) if (liveOptionId(code, s) === chosen.option) return { kind, service: s };
  }
  throw new InvalidError('LABEL_CARRIER_REQUIRED', 'Name the carrier and service: the order was not placed with a carrier rate', {
    errors: [{ in: 'body', pointer: '/carrier', code: 'required', message: 'body.carrier and body.service are required for this order' }],
  });
}

function parcelFrom(input: BuyInput, f: PluginFulfilmentView): Parcel {
  if (!input.parcel) {
    const lines = f.lines.map((l) => ({ variantId: l.variantId, productId: l.productId, sku: l.sku, quantity: l.quantity, unitAmount: l.unitAmount, ...l.shipping, weight: l.shipping.weight ?? undefined, dimensions: l.shipping.dimensions ?? undefined }));
    if (lines.some((l) => !l.weight)) {
      throw new InvalidError('LABEL_PARCEL_REQUIRED', 'Weigh the parcel: a variant in this fulfilment has no weight', { errors: [{ in: 'body', pointer: '/parcel', code: 'required', message: 'body.parcel is required when a variant has no weight' }] });
    }
    return parcelOf(lines);
  }
  const p = input.parcel;
  const d = p.dimensions;
  return {
    weightGrams: Math.max(1, Math.round(convertWeight(p.weight.value, p.weight.unit, 'g'))),
    ...(d ? { lengthCm: convertLength(d.length, d.unit, 'cm'), widthCm: convertLength(d.width, d.unit, 'cm'), heightCm: convertLength(d.height, d.unit, 'cm') } : {}),
  };
}

export function labelsService(shipments: ShipmentWriteService, carriers: CarriersService) {
  async function fulfilment(ctx: TenantCtx, id: string): Promise<PluginFulfilmentView> {
    const f = await shipments.fulfilment(ctx, id);
    if (!f) throw new NotFoundError('FULFILMENT_NOT_FOUND', 'No such fulfilment');
    return f;
  }

  async function adapterOf(ctx: TenantCtx, kind: CarrierKind) {
    const a = await carriers.adapter(ctx, kind);
    if (!a) throw new ConflictError('CARRIER_NOT_CONFIGURED', `The ${kind} carrier is not set up in this store's logistics settings`);
    return a;
  }

  /** Claims the purchase of the fulfilment's current attempt, or answers the label another request bought. */
  async function claim(ctx: TenantCtx, f: PluginFulfilmentView, choice: { kind: CarrierKind; service: string }): Promise<{ row: LogisticsLabel; mine: boolean }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const last = await latest(ctx, f.id);
      if (last && last.state === 'bought') return { row: last, mine: false };
      const stale = last && last.state === 'buying' && Date.now() - Date.parse(last.updatedAt) > STALE_BUYING_MS;
      if (!last || last.state === 'voided') {
        const attempt = (last?.attempt ?? 0) + 1;
        try {
          const id = (await scoped(ctx, LogisticsLabel).insert({
            fulfilmentId: f.id, orderId: f.orderId, attempt, idempotencyKey: `bazaar-${ctx.tenant.id}-${f.id}-${attempt}`, state: 'buying', carrierKind: choice.kind, service: choice.service,
            carrier: null, trackingNumber: null, trackingUrl: null, labelUrl: null, externalId: null, amount: null, currency: null, shipmentId: null, error: null,
          })).id;
          return { row: (await scoped(ctx, LogisticsLabel).findById(id))!, mine: true };
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          continue; // someone else claimed this attempt: see what they got
        }
      }
      if (last.state === 'failed' || stale) {
        // Retry the same attempt with the same key (the carrier may have charged before its answer was lost).
        const q = scoped(ctx, LogisticsLabel).patch({ state: 'buying', error: null }).where({ id: last.id, state: last.state });
        const n = await (stale ? q.where('updated_at', '<', new Date(Date.now() - STALE_BUYING_MS)) : q);
        if (n === 1) return { row: (await scoped(ctx, LogisticsLabel).findById(last.id))!, mine: true };
        continue;
      }
      // Another request is buying this label: wait for its answer.
      if (Date.now() > deadline) throw new ConflictError('LABEL_PURCHASE_IN_PROGRESS', 'A label for this fulfilment is being bought; try again shortly');
      await sleep(100);
    }
  }

  async function buy(ctx: TenantCtx, fulfilmentId: string, input: BuyInput): Promise<{ label: LogisticsLabel; created: boolean }> {
    const f = await fulfilment(ctx, fulfilmentId);
    const settings = await carriers.settings(ctx);
    const before = await latest(ctx, f.id);
    if (before?.state === 'bought') return { label: before, created: false };
    if (f.status !== 'pending') throw new ConflictError('FULFILMENT_ALREADY_SHIPPED', 'This fulfilment has already left; a label is bought before it ships');
    if (!settings.shipFrom) throw new ConflictError('SHIP_FROM_REQUIRED', "Set the store's shipFrom address in the logistics settings first");
    const choice = await carrierChoice(ctx, f, input, async (kind, ful) => {
      const a = await adapterOf(ctx, kind);
      return (await a.rates({ from: settings.shipFrom!, to: ful.order.shippingAddress, parcel: parcelFrom(input, ful) })).map((r) => r.service);
    });
    const parcel = parcelFrom(input, f);
    const adapter = await adapterOf(ctx, choice.kind);
    const { row, mine } = await claim(ctx, f, choice);
    if (!mine) return { label: row, created: false };
    const to = f.order.shippingAddress;
    try {
      const bought = await adapter.buyLabel({
        from: settings.shipFrom, to, parcel, service: row.service, reference: f.id, idempotencyKey: row.idempotencyKey,
        ...(to.country !== settings.shipFrom.country ? { customs: customsOf(f.lines.map((l) => ({ ...l, ...l.shipping, weight: l.shipping.weight ?? undefined, dimensions: l.shipping.dimensions ?? undefined })), f.order.currency, new Map(f.lines.map((l) => [l.variantId, l.title]))) } : {}),
      });
      await scoped(ctx, LogisticsLabel).patch({
        state: 'bought', carrier: bought.carrier, service: bought.service, trackingNumber: bought.trackingNumber, trackingUrl: bought.trackingUrl, labelUrl: bought.labelUrl,
        externalId: bought.externalId, amount: bought.amount, currency: bought.currency, error: null,
      }).where('id', row.id);
      return { label: (await scoped(ctx, LogisticsLabel).findById(row.id))!, created: true };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      await scoped(ctx, LogisticsLabel).patch({ state: 'failed', error: why.slice(0, 500) }).where('id', row.id);
      ctx.log.warn({ err: why, carrier: choice.kind, fulfilmentId }, 'label purchase failed; a retry reuses its idempotency key');
      throw new UnavailableError('CARRIER_UNAVAILABLE', `The carrier did not sell the label: ${why.slice(0, 200)}`);
    }
  }

  async function get(ctx: TenantCtx, id: string): Promise<LogisticsLabel> {
    const l = await scoped(ctx, LogisticsLabel).findById(id);
    if (!l) throw new NotFoundError('LABEL_NOT_FOUND', 'No such label');
    return l;
  }

  /** Refunds a bought label that has not shipped; the next purchase is a new attempt with a new key. */
  async function voidLabel(ctx: TenantCtx, id: string): Promise<LogisticsLabel> {
    const l = await get(ctx, id);
    if (l.state === 'voided') return l;
    if (l.state !== 'bought') throw new ConflictError('LABEL_NOT_BOUGHT', 'Only a bought label can be voided');
    if (l.shipmentId) throw new ConflictError('LABEL_SHIPPED', 'This parcel has shipped; its label can no longer be voided');
    const a = await adapterOf(ctx, l.carrierKind);
    try {
      await a.cancel({ externalId: l.externalId!, trackingNumber: l.trackingNumber! });
    } catch (err) {
      throw new UnavailableError('CARRIER_UNAVAILABLE', `The carrier did not void the label: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`);
    }
    await scoped(ctx, LogisticsLabel).patch({ state: 'voided' }).where({ id, state: 'bought' });
    return get(ctx, id);
  }

  /** Hands the labelled parcel over: the core's shipment with the label's tracking number. */
  async function ship(ctx: TenantCtx, id: string, onShipped: (label: LogisticsLabel, shipmentId: string) => Promise<void>): Promise<LogisticsLabel> {
    const l = await get(ctx, id);
    if (l.shipmentId) return l;
    if (l.state !== 'bought') throw new ConflictError('LABEL_NOT_BOUGHT', 'Only a bought label can ship');
    const s = await shipments.ship(ctx, l.orderId, { fulfilmentId: l.fulfilmentId, carrier: l.carrier ?? l.carrierKind, trackingNumber: l.trackingNumber!, ...(l.trackingUrl ? { trackingUrl: l.trackingUrl } : {}) });
    await scoped(ctx, LogisticsLabel).patch({ shipmentId: s.id }).where('id', id);
    const shipped = await get(ctx, id);
    await onShipped(shipped, s.id);
    return shipped;
  }

  /** A fulfilment's purchase attempts, oldest first, a page at a time. */
  async function ofFulfilment(ctx: TenantCtx, fulfilmentId: string, page: PageIn): Promise<{ items: LogisticsLabel[]; nextCursor: string | null }> {
    await fulfilment(ctx, fulfilmentId);
    return pageBy(scoped(ctx, LogisticsLabel).where('fulfilment_id', fulfilmentId), [{ column: 'attempt', of: (l) => l.attempt }], page);
  }

  return { buy, voidLabel, ship, get, ofFulfilment };
}

export type LabelsService = ReturnType<typeof labelsService>;
