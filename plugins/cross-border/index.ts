// Cross-border selling: markets (countries, currency, languages, tax display, duties, rate mode,
// adjustment and rounding), exchange rates from pluggable sources (ECB XML, Open Exchange Rates
// JSON, manual), the price conversion the core's price point asks for, the duties line of DDP
// markets, and the request's market and language.
import { definePlugin, fieldError, InvalidError, setRequestLocale, supportedLocales, type Ctx, type HttpContext, type TenantCtx } from '@bazaar/sdk';
import { negotiate } from './languages.js';
import { Market, Rate, SourceState, Translation } from './cross-border.model.js';
import { crossBorderService, explicitMarkets, requestMarkets, type CrossBorderOptions, type CrossBorderSettings } from './cross-border.service.js';
import { adminRoutes, storeRoutes } from './cross-border.routes.js';
import { dutiesFor } from './duties.js';

const HOUR = 3_600_000;

/** Cookie value by name, without a parser dependency. */
export function cookie(http: HttpContext, name: string): string | undefined {
  const header = http.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export default definePlugin({
  name: 'cross-border',
  version: '1.0.0',
  core: '^0.1.0',
  description: 'Markets, exchange rates and languages: one catalog sells in every country',
  permissions: ['notifications:send', 'metrics:write', 'audit:write'],
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ecbUrl: { type: 'string', maxLength: 2048, default: 'https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml' },
      oxrUrl: { type: 'string', maxLength: 2048, default: 'https://openexchangerates.org/api/latest.json' },
      oxrAppId: { type: 'string', maxLength: 200 },
      timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000, default: 10_000 },
      fetchEveryMs: { type: 'integer', minimum: 1000, default: HOUR },
      bookTtlMs: { type: 'integer', minimum: 0, maximum: 10 * 60_000, default: 30_000 },
    },
  },
  settingsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      rateSource: { enum: ['ecb', 'oxr', 'manual'], default: 'ecb', description: 'Where automatic markets take their rates' },
      maxRateAgeHours: { type: 'integer', minimum: 24, maximum: 24 * 30, default: 96, description: 'Older rates alert the owners (ECB skips weekends and TARGET holidays: 72 h is normal)' },
      countryHeader: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$', default: 'cf-ipcountry', description: 'The CDN header with the shopper’s country' },
      roundingMode: { enum: ['halfEven', 'halfUp', 'up', 'down'], default: 'halfEven', description: 'How a converted price rounds to the currency’s minor unit (before the market’s rounding rule)' },
      languages: { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', minLength: 2, maxLength: 35, pattern: '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$' }, default: [], description: 'Enabled languages (empty: every language the platform ships)' },
    },
  },
  models: [Market, Rate, SourceState, Translation],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    const options = api.options as unknown as CrossBorderOptions;
    const service = crossBorderService({ api, options, notifications: api.use('notifications:send'), metrics: api.use('metrics:write') });

    api.provide('fx-rates', {
      id: 'cross-border',
      rate: (ctx, from, to) => service.rate(ctx, from, to),
      conversion: (ctx, from, to, opts) => service.conversion(ctx, from, to, opts),
      restore: (ctx, lock) => service.restore(ctx, lock),
      market: (ctx, query) => service.marketTerms(ctx, query),
    });

    api.hook('checkout.adjustments', async (ctx, input) => {
      const b = await service.book(ctx);
      const country = input.shippingAddress?.country;
      const market = b.markets.find((m) => m.currency === input.currency && country && m.countries.includes(country)) ?? service.marketFor(ctx, b, input.currency);
      const duties = market && country ? dutiesFor(market, country, input.currency, input.subtotal) : 0;
      return duties > 0 ? [{ label: api.t(ctx, 'dutiesLine'), amount: duties, code: 'duties' }] : [];
      // A second, not the default 200 ms: the rate book is read from the database on a cold cache,
      // and a late answer now refuses the checkout (503) rather than placing it without duties.
    }, { budgetMs: 1000 });

    // The request's market: an explicit choice (?market=, X-Bazaar-Market, the market cookie),
    // else the CDN's country header, else the store's default market. Then its language (languages.ts).
    api.middleware({
      name: 'market',
      position: 'afterTenant',
      prepare: (settings) => settings as unknown as CrossBorderSettings,
      async handle(ctx: Ctx, http: HttpContext, next, settings) {
        const tctx = ctx as TenantCtx;
        const { markets } = await service.book(tctx);
        const fromQuery = http.query.market !== undefined;
        const explicit = fromQuery ? String(http.query.market) : http.get('x-bazaar-market') || undefined;
        if (fromQuery) {
          // ?market= is this middleware's: taken off the query so routes' query schemas never see it.
          const { market: _taken, ...rest } = http.query;
          void _taken;
          http.query = rest;
        }
        let market: Market | undefined;
        if (explicit !== undefined) {
          market = markets.find((m) => m.code === String(explicit).toLowerCase());
          if (!market) {
            throw new InvalidError('MARKET_NOT_FOUND', 'This store has no such market', {
              params: { markets: markets.map((m) => m.code).join(', ') || '-' },
              errors: [fieldError(fromQuery ? 'query' : 'header', fromQuery ? '/market' : '/x-bazaar-market', 'MARKET_NOT_FOUND', `market must be one of ${markets.map((m) => m.code).join(', ') || '(none)'}`, { markets: markets.map((m) => m.code).join(', ') || '-' })],
            });
          }
        }
        if (!market) {
          const chosen = cookie(http, 'market');
          if (chosen) market = markets.find((m) => m.code === chosen.toLowerCase());
        }
        // A chosen market beats the shipping address (the core asks the provider's market()).
        const explicitChoice = market !== undefined;
        if (!market) {
          const c = http.get(settings.countryHeader).toUpperCase();
          if (c) market = markets.find((m) => m.countries.includes(c));
        }
        market ??= markets.find((m) => m.isDefault);
        if (market && tctx.tenant.currencies.includes(market.currency)) http.state.currency = market.currency;

        // The language, then where content falls back before the store default.
        const enabled = settings.languages.length ? settings.languages : supportedLocales(ctx.kernel.i18n);
        const queryLocale = http.query.locale;
        const answer = negotiate({
          query: queryLocale === undefined ? undefined : String(queryLocale),
          header: http.get('x-bazaar-locale') || undefined,
          cookie: cookie(http, 'locale'),
          acceptLanguage: http.get('accept-language') || undefined,
          marketLanguages: market?.languages ?? [],
          storeDefault: tctx.tenant.defaultLocale,
          enabled,
        });
        if (answer.error) {
          const locales = enabled.join(', ');
          throw new InvalidError('LOCALE_NOT_ENABLED', `This store offers ${locales}`, {
            params: { locales },
            errors: [fieldError(answer.error.in, answer.error.pointer, 'LOCALE_NOT_ENABLED', `${answer.error.in}${answer.error.pointer.replace('/', '.')} must be one of ${locales}`, { locales })],
          });
        }
        if (queryLocale !== undefined) {
          // ?locale= is answered here for every route; the catalog's routes read the same value from ctx.
          const { locale: _taken, ...rest } = http.query;
          void _taken;
          http.query = rest;
        }
        setRequestLocale(ctx, http, answer.locale);
        if (market?.languages.length) http.state.fallbackLocales = market.languages.filter((l) => l !== answer.locale);
        if (market) requestMarkets.set(ctx.requestId, market);
        if (explicitChoice) explicitMarkets.add(ctx.requestId);
        try {
          await next();
        } finally {
          if (market) requestMarkets.delete(ctx.requestId);
          explicitMarkets.delete(ctx.requestId);
        }
        if (!http.response.get('Content-Language')) http.set('Content-Language', answer.locale);
      },
    });

    api.routes.admin(...adminRoutes(service, api.use('audit:write')));
    api.routes.store(...storeRoutes(service));
    api.scheduleForTenants('fetchRates', options.fetchEveryMs, async (ctx) => {
      await service.rates.refresh(ctx);
    });
  },
});
