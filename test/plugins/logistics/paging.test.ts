// The plugin's admin lists come a page at a time (limit, cursor from nextCursor), in a stable
// order, with nothing skipped or repeated across pages.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '@bazaar/sdk/testing';
import logistics from '../../../plugins/logistics/index.js';
import { method, zone } from './support.js';

describe('GET /admin/v1/logistics/{zones,methods,pickup-points,local-areas,slot-calendars}', function () {
  this.timeout(90_000);
  let kit: TestKit;
  let t: KitTenant;

  before(async () => {
    kit = await startTestKit({ plugin: logistics });
    t = await kit.tenant({ enable: ['logistics'] });
  });
  after(() => kit?.close());

  async function all(path: string, limit: number): Promise<{ pages: number; items: Record<string, unknown>[] }> {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; text: string; body: { items: Record<string, unknown>[]; nextCursor: string | null } } = await kit.get(`/admin/v1/logistics/${path}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: t.ownerToken });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.items.length).to.be.at.most(limit);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    return { pages, items };
  }

  it('pages zones by name and methods by position then code', async () => {
    const countries = ['FR', 'DE', 'IT', 'ES', 'NL'];
    const zones = [];
    for (const [i, c] of countries.entries()) zones.push(await zone(kit, t, { name: `zone ${'edcba'[i]}`, areas: [{ country: c }] }));
    const z = await all('zones', 2);
    expect(z.pages).to.equal(3);
    expect(z.items.map((x) => x.name)).to.deep.equal(['zone a', 'zone b', 'zone c', 'zone d', 'zone e']);

    for (const [code, position] of [['b', 0], ['c', 0], ['a', 1], ['d', 0], ['e', 2]] as const) await method(kit, t, { zoneId: zones[0].id, code, position, calculator: { type: 'flat', amount: 100 } });
    const m = await all('methods', 3);
    expect(m.pages).to.equal(2);
    expect(m.items.map((x) => x.code)).to.deep.equal(['b', 'c', 'd', 'a', 'e']);
  });

  it('pages pickup points, local areas and slot calendars by code', async () => {
    const loc = await kit.post('/admin/v1/stock-locations', { code: 'shop', name: 'Shop' }, { token: t.ownerToken });
    for (const code of ['p3', 'p1', 'p2']) {
      const r = await kit.post('/admin/v1/logistics/pickup-points', { locationId: loc.body.id, code, name: code, address: { line1: '1 X St', city: 'SF', postalCode: '94105', country: 'US' }, hours: [], currency: 'USD' }, { token: t.ownerToken });
      expect(r.status, r.text).to.equal(201);
      const a = await kit.post('/admin/v1/logistics/local-areas', { code: `a${code}`, name: code, country: 'US', postalCodes: ['941*'], fee: 1, currency: 'USD' }, { token: t.ownerToken });
      expect(a.status, a.text).to.equal(201);
      const c = await kit.post('/admin/v1/logistics/slot-calendars', { code: `c${code}`, name: code, timezone: 'UTC', days: ['mon'], windows: [{ start: '09:00', end: '10:00', capacity: 1 }] }, { token: t.ownerToken });
      expect(c.status, c.text).to.equal(201);
    }
    expect((await all('pickup-points', 1)).items.map((x) => x.code)).to.deep.equal(['p1', 'p2', 'p3']);
    expect((await all('local-areas', 2)).items.map((x) => x.code)).to.deep.equal(['ap1', 'ap2', 'ap3']);
    expect((await all('slot-calendars', 2)).items.map((x) => x.code)).to.deep.equal(['cp1', 'cp2', 'cp3']);
  });

  it('refuses a cursor it did not give out and a limit out of bounds', async () => {
    const bad = await kit.get('/admin/v1/logistics/zones?cursor=not-a-cursor', { token: t.ownerToken });
    expect([bad.status, bad.body.code]).to.deep.equal([400, 'INVALID_CURSOR']);
    for (const limit of [0, 101]) {
      const r = await kit.get(`/admin/v1/logistics/methods?limit=${limit}`, { token: t.ownerToken });
      expect(r.status, r.text).to.equal(400);
    }
    const def = await kit.get('/admin/v1/logistics/zones', { token: t.ownerToken });
    expect(def.body.items.length, 'default page of 20').to.be.at.most(20);
  });
});
