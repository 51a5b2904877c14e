// Logistics: shipping zones and methods with their calculators (the `shipping` provider the
// cart asks), carriers behind a small interface, labels, tracking, pickup in store and local
// delivery. README.md says what each part does.
import { definePlugin } from '@bazaar/sdk';
import { LogisticsCustomerGroup, LogisticsMethod, LogisticsZone } from './logistics.model.js';
import { rateRoutes } from './rates.routes.js';
import { logisticsProvider } from './provider.js';
import { carriersService, type LogisticsOptions, type LogisticsSettings } from './carriers.service.js';

export default definePlugin({
  name: 'logistics',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Shipping zones, rate calculators, carriers and labels, tracking, pickup in store and local delivery',
  permissions: ['catalog:read', 'customers:read'],
  optionsSchema: {
    type: 'object', additionalProperties: false,
    properties: {
      easypostBaseUrl: { type: 'string', maxLength: 500, default: 'https://api.easypost.com/v2/' },
      cainiaoBaseUrl: { type: 'string', maxLength: 500, default: 'https://link.cainiao.com/gateway/link.do' },
      rateTimeoutMs: { type: 'integer', minimum: 100, maximum: 3000, default: 3000 },
      downForMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 30_000 },
      rateCacheMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 300_000 },
    },
  },
  settingsSchema: {
    type: 'object', additionalProperties: false,
    properties: {
      shipFrom: {
        type: 'object', required: ['name', 'line1', 'city', 'postalCode', 'country'], additionalProperties: false, description: 'Where parcels leave from (carrier rates and labels)',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 }, company: { type: 'string', maxLength: 200 }, line1: { type: 'string', minLength: 1, maxLength: 200 }, line2: { type: 'string', maxLength: 200 },
          city: { type: 'string', minLength: 1, maxLength: 100 }, region: { type: 'string', maxLength: 100 }, postalCode: { type: 'string', minLength: 1, maxLength: 20 }, country: { type: 'string', pattern: '^[A-Z]{2}$' }, phone: { type: 'string', maxLength: 40 },
        },
      },
      easypostApiKey: { type: 'string', minLength: 1, maxLength: 200, writeOnly: true },
      easypostWebhookSecret: { type: 'string', minLength: 1, maxLength: 200, writeOnly: true },
      cainiaoProviderId: { type: 'string', minLength: 1, maxLength: 100 },
      cainiaoSecret: { type: 'string', minLength: 1, maxLength: 200, writeOnly: true },
    },
  },
  models: [LogisticsZone, LogisticsMethod, LogisticsCustomerGroup],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    api.routes.admin(...rateRoutes(api.use('customers:read')));
    const carriers = carriersService(api.options as unknown as LogisticsOptions, (ctx) => api.settings(ctx) as Promise<LogisticsSettings>);
    api.provide('shipping', logisticsProvider(api.use('catalog:read'), carriers));
  },
});
