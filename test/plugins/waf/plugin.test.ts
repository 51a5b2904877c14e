// The request filter as a shopper, an attacker and a store's staff meet it: through HTTP on the
// real app (SQLite or MariaDB + Redis), with the plugin on, off, blocking and only recording.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type KitResponse, type TestKit } from '../../../core/plugins/testkit.js';
import waf from '../../../plugins/waf/index.js';
import { findSharedFile } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SQLI = "' union select password from users--";
const XSS = '<script>alert(document.cookie)</script>';

interface EventView {
  id: string;
  action: string;
  clientIp: string;
  method: string;
  path: string;
  routeClass: string;
  detectors: string[];
  ruleIds: string[];
  score: number;
  excerpt: string | null;
  createdAt: string;
  matches?: { detector: string; ruleId: string; location: string | null; excerpt: string | null }[];
}

describe('waf plugin (request filter)', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let shop: KitTenant;
  let ipCounter = 0;
  /** A fresh client address per test (behind the trusted proxy 127.0.0.1), so limits never mix. */
  const nextIp = () => `198.51.100.${++ipCounter}`;
  const from = (ip: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': ip, ...extra });

  const search = (t: KitTenant, q: string, ip: string, headers: Record<string, string> = {}) =>
    kit.get(`/store/v1/search?q=${encodeURIComponent(q)}`, { tenant: t.slug, headers: from(ip, headers) });
  const events = async (t: KitTenant, query = '') => {
    const res = await kit.get<{ items: EventView[]; nextCursor: string | null }>(`/admin/v1/waf/events${query}`, { token: t.ownerToken });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  };
  const event = async (t: KitTenant, id: string) => kit.get<EventView>(`/admin/v1/waf/events/${id}`, { token: t.ownerToken });
  const settings = (t: KitTenant, s: Record<string, unknown>) => kit.put('/admin/v1/plugins/waf/settings', { settings: s }, { token: t.ownerToken });

  function expectBlocked(res: KitResponse): string {
    expect(res.status, res.text).to.equal(403);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(res.body).to.include({ code: 'REQUEST_BLOCKED', status: 403 });
    expect(res.body.eventId).to.match(UUID);
    // Nothing an attacker could tune a payload against.
    expect(res.text).not.to.match(/sqli|xss|union|script|rule|score|detector/i);
    return res.body.eventId as string;
  }

  before(async () => {
    kit = await startTestKit({ plugin: waf, options: { waf: { trustedProxies: ['127.0.0.1', '::1'] } } });
    shop = await kit.tenant({ enable: ['waf'] });
  });
  after(async () => {
    await kit?.close();
  });

  describe('mode block', () => {
    it('lets ordinary storefront requests through', async () => {
      const ip = nextIp();
      expect((await kit.get('/store/v1/products?limit=20&sort=price_asc', { tenant: shop.slug, headers: from(ip) })).status).to.equal(200);
      expect((await search(shop, "Levi's 501 Original Fit Jeans", ip)).status).to.equal(200);
      expect((await kit.post('/store/v1/carts', { currency: 'USD' }, { tenant: shop.slug, headers: from(ip) })).status).to.equal(201);
      expect((await events(shop, `?ip=${ip}`)).items).to.deep.equal([]);
    });

    it('refuses an attack in the query with 403 problem+json and an event id, and stores the event', async () => {
      const ip = nextIp();
      const id = expectBlocked(await search(shop, SQLI, ip));
      const res = await event(shop, id);
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id, action: 'block', clientIp: ip, method: 'GET', path: '/store/v1/search', routeClass: 'search' });
      expect(res.body.detectors).to.deep.equal(['sqli']);
      expect(res.body.ruleIds.length).to.be.greaterThan(0);
      expect(res.body.score).to.be.at.least(5);
      expect(res.body.excerpt).to.equal(`query.q: ${SQLI}`);
      expect(res.body.matches!.every((m) => m.location === 'query.q')).to.equal(true);
      expect(Date.now() - Date.parse(res.body.createdAt)).to.be.within(0, 60_000);
    });

    it('refuses attacks in a JSON body and in a header', async () => {
      const ip = nextIp();
      const cart = await kit.post('/store/v1/carts', { currency: 'USD' }, { tenant: shop.slug, headers: from(ip) });
      const body = await kit.patch(`/store/v1/carts/${cart.body.cart.id}`, { shippingAddress: { name: XSS, line1: '1 Main St', city: 'Leeds', postalCode: 'LS1 1AA', country: 'GB' } }, { tenant: shop.slug, headers: from(ip, { 'x-cart-token': cart.body.token }) });
      const inBody = (await event(shop, expectBlocked(body))).body;
      expect(inBody).to.include({ method: 'PATCH', action: 'block' });
      expect(inBody.detectors[0]).to.equal('xss');
      expect(inBody.excerpt).to.equal(`body.shippingAddress.name: ${XSS}`);

      const header = await kit.get('/store/v1/products', { tenant: shop.slug, headers: from(ip, { referer: `https://shop.example/?next=${XSS}` }) });
      const inHeader = (await event(shop, expectBlocked(header))).body;
      expect(inHeader.excerpt).to.match(/^header\.referer: /);
      // A forwarding header that is more than a list of addresses is inspected like any value.
      const forwarded = await kit.get('/store/v1/products', { tenant: shop.slug, headers: { 'x-forwarded-for': "198.51.100.7' union select password from users--" } });
      expect((await event(shop, expectBlocked(forwarded))).body.excerpt).to.match(/^header\.x-forwarded-for: /);
      const scanner = await kit.get('/store/v1/products', { tenant: shop.slug, headers: from(ip, { 'user-agent': 'sqlmap/1.7.2#stable (https://sqlmap.org)' }) });
      expect((await event(shop, expectBlocked(scanner))).body.detectors).to.include('scanner');
    });

    it('stores a redacted excerpt: never the password or the card number', async () => {
      const ip = nextIp();
      const password = "x' OR '1'='1' --";
      const login = await kit.post('/store/v1/auth/login', { email: 'jane@example.com', password }, { tenant: shop.slug, headers: from(ip) });
      const card = '4111 1111 1111 1111';
      const note = await kit.post('/store/v1/carts', { note: `${card} <img src=x onerror=alert(1)>` }, { tenant: shop.slug, headers: from(ip) });
      for (const res of [login, note]) {
        const detail = await event(shop, expectBlocked(res));
        expect(detail.text).not.to.include(password);
        expect(detail.text).not.to.include(card);
        expect(detail.text).not.to.include('4111111111111111');
      }
      expect((await event(shop, login.body.eventId)).text).to.include('[REDACTED]');
      expect((await event(shop, note.body.eventId)).text).to.include('[CARD]');
    });
  });

  describe('mode monitor', () => {
    it('lets the same attack through and records an alert', async () => {
      const watcher = await kit.tenant({ enable: ['waf'], settings: { waf: { mode: 'monitor' } } });
      const ip = nextIp();
      const res = await search(watcher, SQLI, ip);
      expect(res.status).to.equal(200);
      const [alert] = await kit.waitFor(async () => {
        const list = (await events(watcher)).items;
        return list.length > 0 && list;
      }, { what: 'the alert' });
      expect(alert).to.include({ action: 'alert', clientIp: ip, path: '/store/v1/search' });
      expect(alert.detectors).to.deep.equal(['sqli']);
    });
  });

  describe('exclusions', () => {
    it('lets HTML through in product descriptions by default, and nowhere else', async () => {
      const ip = nextIp();
      const html = '<p>Soft <b>organic</b> cotton.</p><iframe src="https://www.youtube.com/embed/abc"></iframe><img src="x" onerror="zoom()">';
      const product = (description: string, name: string) => ({ translations: { en: { name, description } }, variants: [{ sku: `SKU-${ipCounter}-${name.length}` }] });
      const ok = await kit.post('/admin/v1/products', product(html, 'Cotton tee'), { token: shop.ownerToken, headers: from(ip) });
      expect(ok.status, ok.text).to.equal(201);
      expectBlocked(await kit.post('/admin/v1/products', product('plain', html), { token: shop.ownerToken, headers: from(ip) }));
    });

    it('applies an exclusion by path, parameter and detector', async () => {
      const t = await kit.tenant({ enable: ['waf'], settings: { waf: { exclusions: [{ path: '/store/v1/search', params: ['query.q'], detectors: ['xss'] }] } } });
      const ip = nextIp();
      expect((await search(t, XSS, ip)).status).to.equal(200);
      expectBlocked(await search(t, SQLI, ip)); // only xss is excluded there
      expectBlocked(await kit.get(`/store/v1/products?category=${encodeURIComponent(XSS)}`, { tenant: t.slug, headers: from(ip) }));
    });
  });

  describe('PUT /admin/v1/plugins/waf/settings', () => {
    it('refuses invalid settings, naming the field, and fills in defaults', async () => {
      const bad = async (s: Record<string, unknown>, pointer: string) => {
        const res = await settings(shop, s);
        expect(res.status, res.text).to.equal(400);
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).to.include(pointer);
      };
      await bad({ mode: 'panic' }, '/settings/mode');
      await bad({ paranoia: 5 }, '/settings/paranoia');
      await bad({ threshold: 0 }, '/settings/threshold');
      await bad({ ipDeny: ['10.0.0.300/8'] }, '/settings/ipDeny/0');
      await bad({ ipAllow: ['2001:db8::/129'] }, '/settings/ipAllow/0');
      await bad({ exclusions: [{ path: 'store/v1/search' }] }, '/settings/exclusions/0/path');
      await bad({ exclusions: [{ path: '/x', detectors: ['magic'] }] }, '/settings/exclusions/0/detectors/0');
      await bad({ rateLimits: { login: { limit: -1 } } }, '/settings/rateLimits/login/limit');

      const t = await kit.tenant({ enable: ['waf'] });
      const ok = await settings(t, { paranoia: 2, ipDeny: ['203.0.113.0/24', '2001:db8::/32', '::ffff:192.0.2.1'] });
      expect(ok.status, ok.text).to.equal(200);
      expect(ok.body.settings).to.deep.include({ mode: 'block', paranoia: 2, threshold: 5, ipAllow: [] });
      expect(ok.body.settings.rateLimits).to.deep.equal({
        enabled: true,
        login: { limit: 10, windowSeconds: 60 },
        checkout: { limit: 30, windowSeconds: 60 },
        search: { limit: 300, windowSeconds: 60 },
        default: { limit: 1200, windowSeconds: 60 },
      });
      expect(ok.body.settings.exclusions[0]).to.deep.equal({ path: '/admin/v1/products*', params: ['body.translations.*.description'], detectors: ['xss'] });
    });
  });

  describe('rate limits', () => {
    it('answers 429 with Retry-After past the limit of the route class, then recovers', async () => {
      const t = await kit.tenant({ enable: ['waf'], settings: { waf: { rateLimits: { login: { limit: 3, windowSeconds: 2 } } } } });
      const ip = nextIp();
      const reset = () => kit.post('/store/v1/auth/password-reset', { email: 'nobody@example.com' }, { tenant: t.slug, headers: from(ip) });
      for (let i = 0; i < 3; i++) expect((await reset()).status).to.be.below(300);
      const limited = await reset();
      expect(limited.status).to.equal(429);
      expect(limited.headers.get('content-type')).to.match(/^application\/problem\+json/);
      expect(limited.body.code).to.equal('RATE_LIMITED');
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).to.be.within(1, 2);
      expect((await reset()).status).to.equal(429);
      // Other classes, and other addresses, are counted apart.
      expect((await kit.get('/store/v1/products', { tenant: t.slug, headers: from(ip) })).status).to.equal(200);
      expect((await kit.post('/store/v1/auth/password-reset', { email: 'nobody@example.com' }, { tenant: t.slug, headers: from(nextIp()) })).status).to.be.below(300);

      const [trip, ...more] = (await events(t, '?action=rate_limit')).items;
      expect(more, 'one event per trip, not one per refused request').to.deep.equal([]);
      expect(trip).to.include({ clientIp: ip, routeClass: 'login', path: '/store/v1/auth/password-reset' });

      await new Promise((r) => setTimeout(r, retryAfter * 1000 + 300));
      expect((await reset()).status).to.be.below(300);
    });

    it('classes requests: sign-in, checkout, search and the rest', async () => {
      const t = await kit.tenant({ enable: ['waf'], settings: { waf: { rateLimits: { login: { limit: 1 }, checkout: { limit: 1 }, search: { limit: 1 }, default: { limit: 1 } } } } });
      const ip = nextIp();
      const twice = async (send: () => Promise<KitResponse>) => [(await send()).status, (await send()).status];
      expect((await twice(() => kit.post('/store/v1/auth/login', { email: 'a@example.com', password: 'wrong password' }, { tenant: t.slug, headers: from(ip) })))[1]).to.equal(429);
      expect((await twice(() => kit.post(`/store/v1/carts/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/checkout`, {}, { tenant: t.slug, headers: from(ip) })))[1]).to.equal(429);
      expect((await twice(() => search(t, 'lamp', ip)))[1]).to.equal(429);
      expect(await twice(() => kit.get('/store/v1/categories', { tenant: t.slug, headers: from(ip) }))).to.deep.equal([200, 429]);
      const classes = (await events(t, '?action=rate_limit')).items.map((e) => e.routeClass).sort();
      expect(classes).to.deep.equal(['checkout', 'default', 'login', 'search']);
    });

    it('counts a request found clean before in its own class (the memo of clean requests keeps it)', async () => {
      const t = await kit.tenant({ enable: ['waf'], settings: { waf: { rateLimits: { search: { limit: 3 }, default: { limit: 100 } } } } });
      const ip = nextIp();
      // The same search each time: from the second on it is answered from the memo, class and all.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await search(t, 'brass desk lamp', ip)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      expect((await kit.get('/store/v1/categories', { tenant: t.slug, headers: from(ip) })).status).to.equal(200);
      expect((await events(t, '?action=rate_limit')).items.map((e) => e.routeClass)).to.deep.equal(['search']);
    });

    it('can be switched off per store', async () => {
      const t = await kit.tenant({ enable: ['waf'], settings: { waf: { rateLimits: { enabled: false, default: { limit: 1 } } } } });
      const ip = nextIp();
      for (let i = 0; i < 3; i++) expect((await kit.get('/store/v1/categories', { tenant: t.slug, headers: from(ip) })).status).to.equal(200);
    });
  });

  describe('IP allow and deny lists', () => {
    let t: KitTenant;
    before(async () => {
      t = await kit.tenant({ enable: ['waf'], settings: { waf: { ipDeny: ['203.0.113.0/24', '2001:db8:bad::/48'], ipAllow: ['203.0.113.7', '2001:db8:bad:1::/64'] } } });
    });

    it('refuses a denied address (IPv4 and IPv6) with 403 and an event, without inspecting', async () => {
      const v4 = await kit.get('/store/v1/products', { tenant: t.slug, headers: from('203.0.113.5') });
      const v6 = await kit.get('/store/v1/products', { tenant: t.slug, headers: from('2001:db8:bad::beef') });
      for (const res of [v4, v6]) {
        const e = (await event(t, expectBlocked(res))).body;
        expect(e).to.include({ action: 'deny', score: 0 });
        expect(e.detectors).to.deep.equal([]);
      }
      expect((await event(t, v6.body.eventId)).body.clientIp).to.equal('2001:db8:bad::beef');
      expect((await kit.get('/store/v1/products', { tenant: t.slug, headers: from('203.0.114.5') })).status).to.equal(200);
      expect((await kit.get('/store/v1/products', { tenant: t.slug, headers: from('2001:db8:beef::1') })).status).to.equal(200);
    });

    it('lets an allowed address through, even inside a denied range and with an attack', async () => {
      expect((await search(t, SQLI, '203.0.113.7')).status).to.equal(200);
      expect((await search(t, SQLI, '2001:db8:bad:1::9')).status).to.equal(200);
      expect((await events(t, '?ip=203.0.113.7')).items).to.deep.equal([]);
    });
  });

  describe('client address', () => {
    function fromLocal(localAddress: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: any }> {
      const url = new URL(kit.baseUrl + path);
      return new Promise((resolve, reject) => {
        const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers, localAddress }, (res) => {
          let data = '';
          res.on('data', (c: Buffer) => (data += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body: data ? JSON.parse(data) : undefined }));
        });
        req.on('error', reject);
        req.end();
      });
    }

    it('believes X-Forwarded-For only from a trusted proxy, and only its right-most untrusted hop', async () => {
      const q = `/store/v1/search?q=${encodeURIComponent(SQLI)}`;
      const trusted = await fromLocal('127.0.0.1', q, { 'x-tenant': shop.slug, 'x-forwarded-for': '192.0.2.66, 198.51.100.200' });
      expect((await event(shop, trusted.body.eventId)).body.clientIp).to.equal('198.51.100.200');
      const untrusted = await fromLocal('127.0.0.2', q, { 'x-tenant': shop.slug, 'x-forwarded-for': '198.51.100.201' });
      expect(untrusted.status).to.equal(403);
      expect((await event(shop, untrusted.body.eventId)).body.clientIp).to.equal('127.0.0.2');
      // The same header from an untrusted peer, right after a trusted one sent it, is still ignored.
      const copied = await fromLocal('127.0.0.2', q, { 'x-tenant': shop.slug, 'x-forwarded-for': '192.0.2.66, 198.51.100.200' });
      expect((await event(shop, copied.body.eventId)).body.clientIp).to.equal('127.0.0.2');
    });
  });

  describe('GET /admin/v1/waf/events', () => {
    let t: KitTenant;
    const ids: Record<string, string> = {};
    let between: string;
    before(async () => {
      t = await kit.tenant({ enable: ['waf'], settings: { waf: { ipDeny: ['192.0.2.99'] } } });
      ids.sqli = (await search(t, SQLI, '192.0.2.1')).body.eventId;
      await new Promise((r) => setTimeout(r, 20));
      between = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20));
      ids.xss = (await search(t, XSS, '192.0.2.2')).body.eventId;
      ids.lfi = (await kit.get('/store/v1/products?category=' + encodeURIComponent('../../../../etc/passwd'), { tenant: t.slug, headers: from('192.0.2.2') })).body.eventId;
      ids.deny = (await kit.get('/store/v1/products', { tenant: t.slug, headers: from('192.0.2.99') })).body.eventId;
      for (const [k, v] of Object.entries(ids)) expect(v, k).to.match(UUID);
    });

    it('lists events newest first, a page at a time', async () => {
      const all = await events(t);
      expect(all.items.map((e) => e.id)).to.deep.equal([ids.deny, ids.lfi, ids.xss, ids.sqli]);
      const first = await events(t, '?limit=3');
      expect(first.items.map((e) => e.id)).to.deep.equal([ids.deny, ids.lfi, ids.xss]);
      const second = await events(t, `?limit=3&cursor=${first.nextCursor}`);
      expect(second.items.map((e) => e.id)).to.deep.equal([ids.sqli]);
      expect(second.nextCursor).to.equal(null);
    });

    it('filters by action, detector, client address and time', async () => {
      const idsOf = async (q: string) => (await events(t, q)).items.map((e) => e.id);
      expect(await idsOf('?action=deny')).to.deep.equal([ids.deny]);
      expect(await idsOf('?action=block')).to.deep.equal([ids.lfi, ids.xss, ids.sqli]);
      expect(await idsOf('?detector=xss')).to.deep.equal([ids.xss]);
      expect(await idsOf('?detector=lfi')).to.deep.equal([ids.lfi]);
      expect(await idsOf('?ip=192.0.2.2')).to.deep.equal([ids.lfi, ids.xss]);
      expect(await idsOf(`?to=${encodeURIComponent(between)}`)).to.deep.equal([ids.sqli]);
      expect(await idsOf(`?from=${encodeURIComponent(between)}&action=block`)).to.deep.equal([ids.lfi, ids.xss]);
      const bad = await kit.get('/admin/v1/waf/events?action=explode', { token: t.ownerToken });
      expect(bad.status).to.equal(400);
    });

    it("shows none of a store's events to another store's staff", async () => {
      const other = await kit.tenant({ enable: ['waf'] });
      for (const id of Object.values(ids)) expect((await event(other, id)).status).to.equal(404);
      const theirs = await events(other);
      expect(theirs.items.map((e) => e.id)).not.to.include.members(Object.values(ids));
      expect((await event(t, ids.sqli)).status).to.equal(200);
    });
  });

  describe('a store with the plugin off', () => {
    it('is not filtered, and has no filter routes', async () => {
      const off = await kit.tenant();
      const ip = nextIp();
      expect((await search(off, SQLI, ip)).status).to.equal(200);
      expect((await kit.get('/store/v1/products', { tenant: off.slug, headers: from(ip, { 'user-agent': 'sqlmap/1.7' }) })).status).to.equal(200);
      expect((await kit.get('/admin/v1/waf/events', { token: off.ownerToken })).status).to.equal(404);
    });

    it('stops being filtered the moment its staff switch the plugin off', async () => {
      const t = await kit.tenant({ enable: ['waf'] });
      const ip = nextIp();
      expectBlocked(await search(t, SQLI, ip));
      expect((await kit.disable(t, 'waf')).status).to.equal(200);
      expect((await search(t, SQLI, ip)).status).to.equal(200);
      expect((await kit.enable(t, 'waf', { mode: 'monitor' })).status).to.equal(200);
      expect((await search(t, SQLI, ip)).status).to.equal(200);
      expect((await settings(t, { mode: 'block' })).status).to.equal(200);
      expectBlocked(await search(t, SQLI, ip));
    });
  });

  describe('/metrics', () => {
    it('counts blocks by action and detector for the store', async () => {
      const t = await kit.tenant({ enable: ['waf'] });
      await search(t, SQLI, nextIp());
      await search(t, SQLI, nextIp());
      const text = (await kit.get('/metrics')).text;
      expect(text).to.include(`bazaar_plugin_waf_requests_total{action="block",detector="sqli",tenant="${t.slug}"} 2`);
    });
  });

  describe('failing open', () => {
    it('lets requests through when the shared counters fail, counts it, and still blocks attacks', async () => {
      // Limits under 100 a window are counted in the shared store on every request.
      const t = await kit.tenant({ enable: ['waf'], settings: { waf: { rateLimits: { default: { limit: 90 }, search: { limit: 90 } } } } });
      const cache = kit.kernel.cache as { incr: typeof kit.kernel.cache.incr };
      const incr = cache.incr;
      cache.incr = async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      };
      try {
        const ip = nextIp();
        expect((await kit.get('/store/v1/products', { tenant: t.slug, headers: from(ip) })).status).to.equal(200);
        const blocked = await search(t, SQLI, ip);
        const id = expectBlocked(blocked);
        expect((await event(t, id)).status, 'the event is stored even without the counter').to.equal(200);
      } finally {
        cache.incr = incr;
      }
      const text = (await kit.get('/metrics')).text;
      expect(text).to.match(new RegExp(`bazaar_plugin_waf_failopen_total\\{stage="rate_limit",tenant="${t.slug}"\\} [1-9]`));
      expect(kit.logs.some((l) => l.level === 50 && l.stage === 'rate_limit' && /unfiltered/.test(l.msg))).to.equal(true);
    });
  });

  describe('shop traffic (marketplace-benign.txt)', () => {
    it('passes every line as a search query and inside a JSON body, in block mode', async function () {
      const lines = readFileSync(findSharedFile('marketplace-benign.txt', this), 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
      expect(lines.length).to.be.greaterThan(50);
      const t = await kit.tenant({ enable: ['waf'] });
      const ip = nextIp();
      const cart = await kit.post('/store/v1/carts', { currency: 'USD' }, { tenant: t.slug, headers: from(ip) });
      const refused: string[] = [];
      for (const line of lines) {
        const q = await search(t, line, ip);
        if (q.status === 403 || q.status >= 500) refused.push(`search ${q.status}: ${line}`);
        const address = { name: line.slice(0, 200), line1: line.slice(0, 300), city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
        const b = await kit.patch(`/store/v1/carts/${cart.body.cart.id}`, { shippingAddress: address }, { tenant: t.slug, headers: from(ip, { 'x-cart-token': cart.body.token }) });
        if (b.status !== 200) refused.push(`body ${b.status}: ${line}`);
      }
      expect(refused).to.deep.equal([]);
      expect((await events(t)).items).to.deep.equal([]);
    });
  });
});
