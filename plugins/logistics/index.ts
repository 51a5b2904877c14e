// Logistics: shipping zones and methods with their calculators (the `shipping` provider the
// cart asks), carriers behind a small interface, labels, tracking, pickup in store and local
// delivery. README.md says what each part does.
import { definePlugin } from '@bazaar/sdk';
import { LogisticsCustomerGroup, LogisticsMethod, LogisticsZone } from './logistics.model.js';
import { rateRoutes } from './rates.routes.js';
import { logisticsProvider } from './provider.js';

export default definePlugin({
  name: 'logistics',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Shipping zones, rate calculators, carriers and labels, tracking, pickup in store and local delivery',
  permissions: ['catalog:read', 'customers:read'],
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  settingsSchema: { type: 'object', additionalProperties: false, properties: {} },
  models: [LogisticsZone, LogisticsMethod, LogisticsCustomerGroup],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    api.routes.admin(...rateRoutes(api.use('customers:read')));
    api.provide('shipping', logisticsProvider(api.use('catalog:read')));
  },
});
