// Logistics: shipping zones and methods with their calculators (the `shipping` provider the
// cart asks), carriers behind a small interface, labels, tracking, pickup in store and local
// delivery. README.md says what each part does.
import { definePlugin } from '@bazaar/sdk';
import { LogisticsCustomerGroup, LogisticsGeocode, LogisticsLabel, LogisticsLocalArea, LogisticsMethod, LogisticsPickup, LogisticsPickupPoint, LogisticsSlotCalendar, LogisticsSlotReservation, LogisticsSlotUsage, LogisticsTracking, LogisticsTrackingEvent, LogisticsZone } from './logistics.model.js';
import { geocodeService, type GeocodeOptions, type GeocodeSettings } from './geo/geocode.service.js';
import { slotsService } from './slots/slots.service.js';
import { rateRoutes } from './rates.routes.js';
import { logisticsProvider } from './provider.js';
import { carriersService, type LogisticsOptions, type LogisticsSettings } from './carriers.service.js';
import { labelsService } from './labels.service.js';
import { trackingService } from './tracking/tracking.service.js';
import { o2oService } from './o2o.service.js';
import { configMemo } from './config.js';
import { shippingAdminRoutes, shippingStoreRoutes } from './shipping.routes.js';

const HOUR = 3_600_000;

export default definePlugin({
  name: 'logistics',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Shipping zones, rate calculators, carriers and labels, tracking, pickup in store and local delivery',
  permissions: ['catalog:read', 'customers:read', 'shipments:write', 'cache:use', 'events:order'],
  optionsSchema: {
    type: 'object', additionalProperties: false,
    properties: {
      easypostBaseUrl: { type: 'string', maxLength: 500, default: 'https://api.easypost.com/v2/' },
      cainiaoBaseUrl: { type: 'string', maxLength: 500, default: 'https://link.cainiao.com/gateway/link.do' },
      rateTimeoutMs: { type: 'integer', minimum: 100, maximum: 3000, default: 3000 },
      downForMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 30_000 },
      rateCacheMs: { type: 'integer', minimum: 0, maximum: 3_600_000, default: 300_000 },
      pollSweepMs: { type: 'integer', minimum: 100, maximum: 86_400_000, default: 900_000, description: 'How often parcels due a tracking poll are looked for' },
      pollEveryMs: { type: 'integer', minimum: 60_000, maximum: 7 * 86_400_000, default: 4 * 3_600_000 },
      slowPollEveryMs: { type: 'integer', minimum: 60_000, maximum: 7 * 86_400_000, default: 12 * 3_600_000, description: 'Once nothing changed for backoffAfterMs' },
      backoffAfterMs: { type: 'integer', minimum: 60_000, maximum: 30 * 86_400_000, default: 48 * 3_600_000 },
      expireAfterDays: { type: 'integer', minimum: 1, maximum: 365, default: 30, description: 'No tracking information this long after handover: expired' },
      nominatimBaseUrl: { type: 'string', maxLength: 500, default: 'https://nominatim.openstreetmap.org/', description: 'Nominatim-style geocoder (self-hosted or the public one)' },
      googleGeocodeBaseUrl: { type: 'string', maxLength: 500, default: 'https://maps.googleapis.com/maps/api/', description: 'Google-style geocoder (geocode/json beneath it)' },
      geocodeTimeoutMs: { type: 'integer', minimum: 100, maximum: 3000, default: 2000, description: 'Per geocode while the shopper waits' },
      geocodeCacheDays: { type: 'integer', minimum: 1, maximum: 365, default: 30, description: 'How long a found point is remembered (a miss: one day)' },
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
      geocoder: { enum: ['none', 'nominatim', 'google'], default: 'none', description: 'Finds the point of an address without coordinates (local delivery by distance)' },
      geocoderApiKey: { type: 'string', minLength: 1, maxLength: 200, writeOnly: true, description: 'Google-style geocoder key' },
      geocoderEmail: { type: 'string', format: 'email', maxLength: 254, description: 'Contact sent to a Nominatim-style geocoder (its usage policy asks for one)' },
    },
  },
  models: [LogisticsZone, LogisticsMethod, LogisticsCustomerGroup, LogisticsLabel, LogisticsTracking, LogisticsTrackingEvent, LogisticsPickupPoint, LogisticsPickup, LogisticsLocalArea, LogisticsGeocode, LogisticsSlotCalendar, LogisticsSlotUsage, LogisticsSlotReservation],
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    const options = api.options as unknown as LogisticsOptions & GeocodeOptions & { pollSweepMs: number; pollEveryMs: number; slowPollEveryMs: number; backoffAfterMs: number; expireAfterDays: number };
    const shipments = api.use('shipments:write');
    const catalog = api.use('catalog:read');
    const carriers = carriersService(options, (ctx) => api.settings(ctx) as Promise<LogisticsSettings>);
    const labels = labelsService(shipments, carriers);
    const tracking = trackingService(shipments, carriers, { pollEveryMs: options.pollEveryMs, slowPollEveryMs: options.slowPollEveryMs, backoffAfterMs: options.backoffAfterMs, expireAfterMs: options.expireAfterDays * 24 * HOUR });
    const geo = geocodeService(options, (ctx) => api.settings(ctx) as Promise<GeocodeSettings>);
    const slots = slotsService();
    // Zones, methods, pickup points and local areas, remembered per store (issue 27; config.ts).
    const config = configMemo(api.use('cache:use'), api.log);
    const o2o = o2oService(shipments, catalog, (ctx) => ctx.tenant.currencies, geo, slots, config);
    const deps = { shipments, labels, tracking, o2o, carriers, slots, config };
    api.routes.admin(...rateRoutes(api.use('customers:read'), config), ...shippingAdminRoutes(deps));
    api.routes.store(...shippingStoreRoutes(deps));
    // `reserve` takes a place in a delivery slot inside the order's transaction: a slot filled
    // meanwhile refuses the checkout with 409 SLOT_FULL, declared so the core's checkout route lists it.
    api.provide('shipping', logisticsProvider(catalog, carriers, config, [o2o.offers], (ctx, input) => o2o.reserve(ctx, input)), { errors: { 409: ['SLOT_FULL'] } });
    // A cancelled order gives its delivery or pickup slot back.
    api.subscribe({ name: 'slotRelease', events: ['order.cancelled'], handle: async (ctx, e) => void (await slots.release(ctx, e.payload.orderId)) });
    // Polling, the fallback for parcels whose webhooks do not come: due parcels go through the queue, one job each.
    const poll = api.job<{ trackingId: string }>('poll', (ctx, data) => tracking.pollOne(ctx, data.trackingId), { attempts: 3, backoffMs: 60_000, concurrency: 4 });
    api.scheduleForTenants('pollDue', options.pollSweepMs, async (ctx) => {
      for (const t of await tracking.due(ctx)) await poll.enqueue(ctx, { trackingId: t.id }, { jobId: `poll:${t.id}:${t.polls}` });
    });
  },
});
