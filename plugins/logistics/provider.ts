// The `shipping` provider the core asks for a cart's options: static methods of the zone that
// takes the address, live carrier rates (each carrier limited in time; a slow one is left out),
// and any extra sources (pickup, local delivery). The core asks options() then price() of each
// with the same input, so the prices worked out in options() are kept for that input object.
import type { ShippingInput, ShippingOption, ShippingProvider, TenantCtx, CatalogReadService } from '@bazaar/sdk';
import { InvalidError } from '@bazaar/sdk';
import { convertAmount, eligibleMethods, staticRates } from './rates.service.js';
import type { CarriersService } from './carriers.service.js';
import type { ConfigMemo } from './config.js';

export const PROVIDER_ID = 'logistics';

export type Offer = { option: ShippingOption; amount: number };
export type OfferSource = (ctx: TenantCtx, input: ShippingInput) => Promise<Offer[]>;

/** `ground` of EasyPost's `Ground` service under method `us-live`: `us-live:ground`. */
export const liveOptionId = (code: string, service: string) => `${code}:${service.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;

export function logisticsProvider(catalog: CatalogReadService, carriers: CarriersService, config: ConfigMemo, extra: OfferSource[] = [], reserve?: ShippingProvider['reserve']): ShippingProvider {
  const priced = new WeakMap<ShippingInput, Map<string, number>>();

  async function offers(ctx: TenantCtx, input: ShippingInput): Promise<Offer[]> {
    const fx = new Map<string, string | null>();
    const eligible = await eligibleMethods(ctx, input, catalog, fx, config);
    const label = (m: { label: string; labels: Record<string, string> | null }) => m.labels?.[ctx.locale] ?? m.label;
    const out: Offer[] = [];
    for (const r of await staticRates(ctx, input, eligible, fx)) {
      const m = r.method;
      out.push({ option: { id: m.code, label: label(m), ...(m.minDays !== null ? { minDays: m.minDays } : {}), ...(m.maxDays !== null ? { maxDays: m.maxDays } : {}) }, amount: r.amount });
    }
    const live = eligible.filter((e) => e.method.calculator.type === 'carrier');
    const answers = await Promise.all(live.map(async (e) => {
      const c = e.method.calculator as { type: 'carrier'; carrier: 'easypost' | 'cainiao'; services?: string[]; markup?: number };
      const found: Offer[] = [];
      for (const rate of await carriers.liveRates(ctx, c.carrier, input)) {
        if (c.services?.length && !c.services.includes(rate.service)) continue;
        const amount = await convertAmount(ctx, rate.amount + (c.markup ?? 0), rate.currency, input.currency, fx);
        if (amount === null) continue;
        found.push({ option: { id: liveOptionId(e.method.code, rate.service), label: `${label(e.method)} (${rate.carrier} ${rate.service})`, carrier: rate.carrier, ...(rate.minDays !== undefined ? { minDays: rate.minDays } : {}), ...(rate.maxDays !== undefined ? { maxDays: rate.maxDays } : {}) }, amount });
      }
      return found;
    }));
    out.push(...answers.flat());
    for (const source of extra) out.push(...(await source(ctx, input)));
    priced.set(input, new Map(out.map((o) => [o.option.id, o.amount])));
    return out;
  }

  return {
    id: PROVIDER_ID,
    async options(ctx, input) {
      return (await offers(ctx, input)).map((o) => o.option);
    },
    async price(ctx, input, optionId) {
      let known = priced.get(input);
      if (!known) {
        await offers(ctx, input);
        known = priced.get(input)!;
      }
      const amount = known.get(optionId);
      if (amount === undefined) throw new InvalidError('SHIPPING_OPTION_UNAVAILABLE', `No shipping option ${optionId}`);
      return amount;
    },
    ...(reserve ? { reserve } : {}),
  };
}
