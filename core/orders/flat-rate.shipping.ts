// The core's shipping provider: one flat-rate option per store, priced per currency, free from
// a subtotal after discounts (`freeAbove`, logistics requirement 24), limited to a list of countries when the store gives one (checkout settings).
import { getCheckoutSettings } from './checkout-settings.service.js';
import type { ShippingProvider } from './shipping.provider.js';
import { InvalidError } from '../errors.js';
import { priceConversion, shiftsOwnPrices } from '../catalog/pricing.js';

export const FLAT_RATE_PROVIDER = 'flat-rate';
export const FLAT_RATE_OPTION = 'standard';

export const flatRateShippingProvider: ShippingProvider = {
  id: FLAT_RATE_PROVIDER,

  async options(ctx, input) {
    const rate = (await getCheckoutSettings(ctx)).shipping.flatRate;
    if (!rate.enabled) return [];
    if (rate.countries.length && input.address && !rate.countries.includes(input.address.country)) return [];
    return [{ id: FLAT_RATE_OPTION, label: rate.label, ...(rate.minDays !== undefined ? { minDays: rate.minDays } : {}), ...(rate.maxDays !== undefined ? { maxDays: rate.maxDays } : {}) }];
  },

  async price(ctx, input, optionId) {
    if (optionId !== FLAT_RATE_OPTION) throw new InvalidError('SHIPPING_OPTION_UNAVAILABLE', `No shipping option ${optionId}`);
    const rate = (await getCheckoutSettings(ctx)).shipping.flatRate;
    // An amount set in the cart's currency wins; else the default currency's, converted.
    const base = ctx.tenant.defaultCurrency;
    const conv = await priceConversion(ctx, base, input.currency);
    // The store's own amounts repriced (a market's tax display) are not fixed ones.
    const own = shiftsOwnPrices(conv);
    const inCurrency = (table: Record<string, number>): number | undefined =>
      (own ? undefined : table[input.currency]) ?? (conv && table[base] !== undefined ? conv.convert(table[base], 'shipping') : undefined);
    // Compared after the order's discounts (member price, coupons), as displayed (gross where the
    // market shows tax): a cart exactly at the threshold ships free.
    const freeAbove = inCurrency(rate.freeAbove);
    if (freeAbove !== undefined && input.discountedSubtotal >= freeAbove) return 0;
    return inCurrency(rate.amounts) ?? 0;
  },
};
