// Local delivery by distance (issue 22 item 4): the address's own coordinates or a geocoder
// (Nominatim- and Google-style adapters against a local fake), haversine distance from the
// area's origin, distance bands with fees; an address beyond the bands or that no geocoder can
// place is simply not offered, and checkout goes on with the other options.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import logistics from '../../../plugins/logistics/index.js';
import { haversineKm, nominatimGeocoder, googleGeocoder } from '../../../plugins/logistics/geo/geocoder.js';
import { bandFee } from '../../../plugins/logistics/o2o.service.js';
import { scoped } from '../../../core/db/model.js';
import { LogisticsGeocode } from '../../../plugins/logistics/logistics.model.js';
import { startFakeGeocoder, type FakeGeocoder } from './fake-geocoder.js';
import { address, cart, method, variant, zone } from './support.js';

// The Ferry Building, San Francisco; 0.009 degrees of latitude is about 1 km.
const ORIGIN = { lat: 37.7955, lng: -122.3937 };
const north = (km: number) => ({ lat: ORIGIN.lat + km * 0.008993, lng: ORIGIN.lng });
const BANDS = [{ maxKm: 15, fee: 900 }, { maxKm: 5, fee: 500 }];

describe('haversine distance and distance bands', () => {
  it('measures great-circle distances as published (SF-LA 559 km, London-Paris 344 km, 0 to itself)', () => {
    expect(haversineKm({ lat: 37.7749, lng: -122.4194 }, { lat: 34.0522, lng: -118.2437 })).to.be.closeTo(559.1, 1);
    expect(haversineKm({ lat: 51.5074, lng: -0.1278 }, { lat: 48.8566, lng: 2.3522 })).to.be.closeTo(343.6, 1);
    expect(haversineKm(ORIGIN, ORIGIN)).to.equal(0);
    expect(haversineKm(ORIGIN, north(2))).to.be.closeTo(2, 0.01);
  });

  it('takes the first band the distance falls in, whatever order they were given; beyond the last, none', () => {
    expect(bandFee(BANDS, 0)).to.equal(500);
    expect(bandFee(BANDS, 5)).to.equal(500);
    expect(bandFee(BANDS, 5.01)).to.equal(900);
    expect(bandFee(BANDS, 15)).to.equal(900);
    expect(bandFee(BANDS, 15.01)).to.equal(null);
  });
});

describe('geocoder adapters against a local fake', () => {
  let fake: FakeGeocoder;
  before(async () => {
    fake = await startFakeGeocoder();
    fake.places.set('94105', { lat: 37.789, lng: -122.394 });
  });
  after(() => fake?.close());
  const a = address({ postalCode: '94105' }) as Parameters<ReturnType<typeof nominatimGeocoder>['geocode']>[0];

  it('Nominatim style: a structured search, the first hit, [] is no such place', async () => {
    const g = nominatimGeocoder({ baseUrl: fake.url('/nominatim'), userAgent: 'test', email: 'ops@example.com' });
    expect(await g.geocode(a, AbortSignal.timeout(2000))).to.deep.equal({ lat: 37.789, lng: -122.394 });
    const q = fake.calls.at(-1)!.searchParams;
    expect([q.get('format'), q.get('postalcode'), q.get('countrycodes'), q.get('city'), q.get('street'), q.get('email')]).to.deep.equal(['jsonv2', '94105', 'us', 'San Francisco', '1 Market Street', 'ops@example.com']);
    expect(await g.geocode({ ...a, postalCode: '00000' }, AbortSignal.timeout(2000))).to.equal(null);
  });

  it('Google style: OK is a point, ZERO_RESULTS is none, any other status is a failure', async () => {
    const g = googleGeocoder({ baseUrl: fake.url('/google/'), apiKey: 'g-key' });
    expect(await g.geocode(a, AbortSignal.timeout(2000))).to.deep.equal({ lat: 37.789, lng: -122.394 });
    expect(fake.calls.at(-1)!.searchParams.get('components')).to.equal('country:US|postal_code:94105');
    expect(await g.geocode({ ...a, postalCode: '00000' }, AbortSignal.timeout(2000))).to.equal(null);
    const denied = googleGeocoder({ baseUrl: fake.url('/google/'), apiKey: 'wrong' });
    let err: unknown;
    await denied.geocode(a, AbortSignal.timeout(2000)).catch((e) => (err = e));
    expect(String(err)).to.contain('REQUEST_DENIED');
  });
});

describe('local delivery by distance at checkout', function () {
  this.timeout(90_000);
  let kit: TestKit;
  let fake: FakeGeocoder;

  before(async () => {
    fake = await startFakeGeocoder();
    kit = await startTestKit({ plugin: logistics, options: { logistics: { nominatimBaseUrl: fake.url('/nominatim/'), googleGeocodeBaseUrl: fake.url('/google/'), geocodeTimeoutMs: 500 } } });
  });
  after(async () => {
    await kit?.close();
    await fake?.close();
  });

  async function store(settings: Record<string, unknown> = {}): Promise<{ t: KitTenant; box: string }> {
    const t = await kit.tenant({ enable: ['logistics'], settings: { logistics: settings } });
    const z = await zone(kit, t, { name: 'US', areas: [{ country: 'US' }] });
    await method(kit, t, { zoneId: z.id, code: 'flat', label: 'Standard', calculator: { type: 'flat', amount: 600 } });
    const area = await kit.post('/admin/v1/logistics/local-areas', { code: 'van', name: 'Van delivery', country: 'US', origin: ORIGIN, bands: BANDS, currency: 'USD' }, { token: t.ownerToken });
    expect(area.status, area.text).to.equal(201);
    expect(area.body.bands, 'kept ascending').to.deep.equal([{ maxKm: 5, fee: 500 }, { maxKm: 15, fee: 900 }]);
    return { t, box: (await variant(kit, t, { price: 2000 })).variantId };
  }

  const van = (options: { id: string; amount: number }[]) => options.find((o) => o.id === 'local-van');

  it("prices by the distance of the address's own coordinates; beyond the last band it is not offered", async () => {
    const { t, box } = await store();
    for (const [km, fee] of [[2, 500], [10, 900], [50, undefined]] as const) {
      const c = await cart(kit, t, [{ variantId: box, quantity: 1 }], address({ coordinates: north(km) }));
      const options = await c.options();
      expect(van(options)?.amount, `${km} km`).to.equal(fee);
      expect(options.map((o) => o.id), 'the static method stays').to.include('flat');
    }
    // No coordinates and no geocoder: not offered, never an error.
    const c = await cart(kit, t, [{ variantId: box, quantity: 1 }], address());
    expect(van(await c.options())).to.equal(undefined);
  });

  it('places an address without coordinates through the geocoder once (cached), and checks out at the band fee', async () => {
    const { t, box } = await store({ geocoder: 'nominatim' });
    fake.places.set('94111', north(3));
    const before = fake.calls.length;
    const a = await cart(kit, t, [{ variantId: box, quantity: 1 }], address({ postalCode: '94111' }));
    expect(van(await a.options())?.amount).to.equal(500);
    const b = await cart(kit, t, [{ variantId: box, quantity: 1 }], address({ postalCode: '94111' }));
    expect(van(await b.options())?.amount).to.equal(500);
    expect(fake.calls.length - before, 'one geocode for the same address').to.equal(1);
    expect(await scoped(t.ctx, LogisticsGeocode).where('found', true).resultSize()).to.equal(1);
    const placed = await kit.post(`/store/v1/carts/${b.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'local-van' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: t.slug, headers: b.headers });
    expect(placed.status, placed.text).to.equal(201);
    expect(placed.body.order.shippingMethod).to.deep.include({ provider: 'logistics', option: 'local-van', amount: 500 });
  });

  it('leaves an ungeocodable address (remembered as such), a failing and a slow geocoder without the option, and checkout goes on', async () => {
    const { t, box } = await store({ geocoder: 'nominatim' });
    const before = fake.calls.length;
    for (let i = 0; i < 2; i++) {
      const c = await cart(kit, t, [{ variantId: box, quantity: 1 }], address({ postalCode: '94999' }));
      expect(van(await c.options())).to.equal(undefined);
    }
    expect(fake.calls.length - before, 'a miss is remembered too').to.equal(1);

    const slow = await store({ geocoder: 'nominatim' });
    fake.delayMs = 5000;
    try {
      const c = await cart(kit, slow.t, [{ variantId: slow.box, quantity: 1 }], address({ postalCode: '94112' }));
      const options = await c.options();
      expect(van(options)).to.equal(undefined);
      expect(options.map((o) => o.id)).to.deep.equal(['flat']);
      const placed = await kit.post(`/store/v1/carts/${c.id}/checkout`, { email: 'ada@example.com', shippingMethod: { provider: 'logistics', option: 'flat' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' } }, { tenant: slow.t.slug, headers: c.headers });
      expect(placed.status, placed.text).to.equal(201);
    } finally {
      fake.delayMs = 0;
    }
    expect(kit.logs.some((l) => l.level === 40 && String(l.msg).includes('geocoder unavailable')), 'the timeout is logged').to.equal(true);

    const down = await store({ geocoder: 'nominatim' });
    fake.down = true;
    try {
      const c = await cart(kit, down.t, [{ variantId: down.box, quantity: 1 }], address({ postalCode: '94113' }));
      expect((await c.options()).map((o) => o.id)).to.deep.equal(['flat']);
    } finally {
      fake.down = false;
    }
    expect(await scoped(down.t.ctx, LogisticsGeocode).resultSize(), 'a failure is not remembered as "no such place"').to.equal(0);
  });

  it('uses a Google-style geocoder with the store key (never shown back)', async () => {
    const { t, box } = await store({ geocoder: 'google', geocoderApiKey: 'g-key' });
    fake.places.set('94114', north(12));
    const c = await cart(kit, t, [{ variantId: box, quantity: 1 }], address({ postalCode: '94114' }));
    expect(van(await c.options())?.amount).to.equal(900);
    const shown = await kit.get('/admin/v1/plugins/logistics', { token: t.ownerToken });
    expect(shown.status, shown.text).to.equal(200);
    expect(shown.text).to.contain('"geocoder":"google"');
    expect(shown.text).not.to.contain('g-key');
  });

  it('refuses a distance area without an origin, an area with neither postcodes nor bands, and bad coordinates, naming the field', async () => {
    const { t } = await store();
    const post = (body: Record<string, unknown>) => kit.post('/admin/v1/logistics/local-areas', { code: 'x', name: 'X', country: 'US', currency: 'USD', ...body }, { token: t.ownerToken });
    const noOrigin = await post({ bands: BANDS });
    expect([noOrigin.status, noOrigin.body.errors?.[0]?.pointer]).to.deep.equal([400, '/origin']);
    const nothing = await post({ fee: 100 });
    expect([nothing.status, nothing.body.errors?.[0]?.pointer]).to.deep.equal([400, '/postalCodes']);
    const noFee = await post({ postalCodes: ['941*'] });
    expect([noFee.status, noFee.body.errors?.[0]?.pointer]).to.deep.equal([400, '/fee']);
    const badLat = await post({ origin: { lat: 91, lng: 0 }, bands: BANDS });
    expect(badLat.status).to.equal(400);
    const twice = await post({ origin: ORIGIN, bands: [{ maxKm: 5, fee: 1 }, { maxKm: 5, fee: 2 }] });
    expect([twice.status, twice.body.errors?.[0]?.pointer]).to.deep.equal([400, '/bands']);
    // The shopper's coordinates are checked by the core's address schema.
    const c = await kit.post('/store/v1/carts', {}, { tenant: t.slug });
    const bad = await kit.patch(`/store/v1/carts/${c.body.cart.id}`, { shippingAddress: address({ coordinates: { lat: 10 } }) }, { tenant: t.slug, headers: c.body.token ? { 'x-cart-token': c.body.token } : {} });
    expect(bad.status, bad.text).to.equal(400);
  });

  it('lists pickup points nearest first when the shopper gives a point', async () => {
    const { t } = await store();
    const loc = await kit.post('/admin/v1/stock-locations', { code: 'shop', name: 'Shop' }, { token: t.ownerToken });
    expect(loc.status, loc.text).to.equal(201);
    const add = async (code: string, coordinates: unknown) => {
      const r = await kit.post('/admin/v1/logistics/pickup-points', { locationId: loc.body.id, code, name: code, address: { line1: '1 X St', city: 'SF', postalCode: '94105', country: 'US' }, hours: [], currency: 'USD', coordinates }, { token: t.ownerToken });
      expect(r.status, r.text).to.equal(201);
    };
    await add('a_far', north(8));
    await add('b_near', north(1));
    await add('c_nowhere', null);
    const near = await kit.get(`/store/v1/logistics/pickup-points?lat=${ORIGIN.lat}&lng=${ORIGIN.lng}&limit=2`, { tenant: t.slug });
    expect(near.status, near.text).to.equal(200);
    expect(near.body.items.map((p: { code: string }) => p.code)).to.deep.equal(['b_near', 'a_far']);
    expect(near.body.items[0].distanceKm).to.be.closeTo(1, 0.02);
    const rest = await kit.get(`/store/v1/logistics/pickup-points?lat=${ORIGIN.lat}&lng=${ORIGIN.lng}&limit=2&cursor=${near.body.nextCursor}`, { tenant: t.slug });
    expect(rest.body.items.map((p: { code: string }) => p.code)).to.deep.equal(['c_nowhere']);
    expect(rest.body.nextCursor).to.equal(null);
    const half = await kit.get(`/store/v1/logistics/pickup-points?lat=${ORIGIN.lat}`, { tenant: t.slug });
    expect([half.status, half.body.errors?.[0]?.pointer]).to.deep.equal([400, '/lng']);
  });
});
