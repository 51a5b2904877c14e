// The `shipping` provider the core asks for a cart's options: static methods of the zone that
// takes the address. The core asks options() then price() of each with the same input, so the
// prices worked out in options() are kept for that input object.
import type { ShippingInput, ShippingOption, ShippingProvider, TenantCtx, CatalogReadService } from '@bazaar/sdk';
import { InvalidError } from '@bazaar/sdk';
import { staticRates } from './rates.service.js';

export const PROVIDER_ID = 'logistics';

export interface OfferSource {
  /** More options with their prices in the cart's currency (live carrier rates, pickup, local delivery). */
  (ctx: TenantCtx, input: ShippingInput): Promise<{ option: ShippingOption; amount: number }[]>;
}

export function logisticsProvider(catalog: CatalogReadService, extra: OfferSource[] = []): ShippingProvider {
  const priced = new WeakMap<ShippingInput, Map<string, number>>();

  async function offers(ctx: TenantCtx, input: ShippingInput): Promise<{ option: ShippingOption; amount: number }[]> {
    const out: { option: ShippingOption; amount: number }[] = [];
    for (const r of await staticRates(ctx, input, catalog)) {
      const m = r.method;
      out.push({
        option: { id: m.code, label: m.labels?.[ctx.locale] ?? m.label, ...(m.minDays !== null ? { minDays: m.minDays } : {}), ...(m.maxDays !== null ? { maxDays: m.maxDays } : {}) },
        amount: r.amount,
      });
    }
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
  };
}
