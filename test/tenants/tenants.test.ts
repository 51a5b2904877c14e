import { expect } from 'chai';
import { get, post, patch } from '../support/http.js';
import { makePlatformAdmin, makeTenant, unique, PASSWORD } from '../support/factories.js';
import { runtime, baseUrl } from '../support/runtime.js';
import { makeVariant, placeOrder, adminAct } from '../orders/support.js';

describe('tenants', () => {
  let admin: { token: string; id: string };
  before(async () => {
    admin = await makePlatformAdmin();
  });

  describe('POST /platform/v1/tenants', () => {
    it('provisions a store with its owner, who can sign in at once', async () => {
      const slug = unique('brand');
      const res = await post('/platform/v1/tenants', { slug, name: 'Brand', defaultCurrency: 'EUR', currencies: ['EUR', 'USD'], defaultLocale: 'zh-CN', owner: { email: `boss@${slug}.test`, name: 'Boss', password: PASSWORD } }, { token: admin.token });
      expect(res.status).to.equal(201);
      expect(res.headers.get('location')).to.equal(`/platform/v1/tenants/${res.body.id}`);
      expect(res.body).to.include({ slug, status: 'active', defaultCurrency: 'EUR', defaultLocale: 'zh-CN', placement: 'default' });
      const login = await post('/admin/v1/auth/login', { tenant: slug, email: `boss@${slug}.test`, password: PASSWORD });
      expect(login.status).to.equal(200);
      const me = await get('/admin/v1/me', { token: login.body.token });
      expect(me.body.staff.role).to.equal('owner');
      expect(me.body.tenant.slug).to.equal(slug);
      const store = await get('/store/v1/store', { tenant: slug });
      expect(store.body).to.include({ name: 'Brand', defaultLocale: 'zh-CN' });
    });

    it('refuses bad input with field errors and creates nothing', async () => {
      const slug = unique('bad');
      const cases: [unknown, string][] = [
        [{ slug: 'Bad Slug', name: 'x', owner: { email: 'a@b.co', name: 'a' } }, '/slug'],
        [{ slug, name: 'x', defaultCurrency: 'XXX', owner: { email: 'a@b.co', name: 'a' } }, '/defaultCurrency'],
        [{ slug, name: 'x', owner: { email: 'not-email', name: 'a' } }, '/owner/email'],
        [{ slug, name: 'x', owner: { email: 'a@b.co', name: 'a' }, colour: 'red' }, '/colour'],
        [{ slug, name: 'x', defaultCurrency: 'JPY', currencies: ['USD'], owner: { email: 'a@b.co', name: 'a' } }, '/defaultCurrency'],
        [{ slug: 'admin', name: 'x', owner: { email: 'a@b.co', name: 'a' } }, '/slug'],
        [{ slug, name: 'x', placement: 'nowhere', owner: { email: 'a@b.co', name: 'a' } }, '/placement'],
      ];
      for (const [body, pointer] of cases) {
        const res = await post('/platform/v1/tenants', body, { token: admin.token });
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer), JSON.stringify(body)).to.include(pointer);
      }
      const list = await get(`/platform/v1/tenants?q=${slug}`, { token: admin.token });
      expect(list.body.items).to.have.length(0);
    });

    it('refuses a taken slug with 409', async () => {
      const t = await makeTenant();
      const res = await post('/platform/v1/tenants', { slug: t.slug, name: 'Again', owner: { email: 'x@y.co', name: 'x' } }, { token: admin.token });
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('TENANT_EXISTS');
    });

    it('needs a platform admin', async () => {
      const res = await post('/platform/v1/tenants', { slug: unique('x'), name: 'x', owner: { email: 'a@b.co', name: 'a' } });
      expect(res.status).to.equal(401);
    });

    it('honours Idempotency-Key: a replay returns the first answer and creates one tenant', async () => {
      const slug = unique('idem');
      const body = { slug, name: 'Once', owner: { email: `o@${slug}.test`, name: 'O', password: PASSWORD } };
      const headers = { 'idempotency-key': `k-${slug}` };
      const results = await Promise.all([1, 2, 3].map(() => post('/platform/v1/tenants', body, { token: admin.token, headers })));
      expect(results.map((r) => r.status)).to.deep.equal([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).to.equal(1);
      expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).to.have.length(2);
      const reused = await post('/platform/v1/tenants', { ...body, name: 'Different' }, { token: admin.token, headers });
      expect(reused.status).to.equal(422);
      expect(reused.body.code).to.equal('IDEMPOTENCY_KEY_REUSED');
      const list = await get(`/platform/v1/tenants?q=${slug}`, { token: admin.token });
      expect(list.body.items).to.have.length(1);
    });
  });

  describe('GET /platform/v1/tenants', () => {
    it('pages newest first with a cursor and filters by status', async () => {
      const made = [await makeTenant(), await makeTenant(), await makeTenant()];
      const first = await get('/platform/v1/tenants?limit=2', { token: admin.token });
      expect(first.body.items).to.have.length(2);
      expect(first.body.items[0].slug).to.equal(made[2].slug);
      const second = await get(`/platform/v1/tenants?limit=2&cursor=${first.body.nextCursor}`, { token: admin.token });
      expect(second.body.items[0].slug).to.equal(made[0].slug);
      const bad = await get('/platform/v1/tenants?cursor=garbage', { token: admin.token });
      expect(bad.status).to.equal(400);
      expect(bad.body.code).to.equal('INVALID_CURSOR');
      const limit = await get('/platform/v1/tenants?limit=1000', { token: admin.token });
      expect(limit.status).to.equal(400);
      expect(limit.body.errors[0].pointer).to.equal('/limit');
    });
  });

  describe('POST /platform/v1/tenants/:id/terminate', () => {
    it('refuses while the store has an open order, then closes it for good with the reason audited', async () => {
      const t = await makeTenant();
      const variantId = await makeVariant(t, { stock: 5 });
      const { order } = await placeOrder(t, [{ variantId, quantity: 1 }]);
      const refused = await post(`/platform/v1/tenants/${t.tenant.id}/terminate`, { reason: 'contract ended' }, { token: admin.token });
      expect(refused.status, refused.text).to.equal(409);
      expect(refused.body).to.include({ code: 'TENANT_HAS_OPEN_ORDERS', openOrders: 1, openReturns: 0 });
      expect((await get(`/platform/v1/tenants/${t.tenant.id}`, { token: admin.token })).body.status).to.equal('active');
      expect((await adminAct(t, order.id, 'cancel', { reason: 'closing' })).status).to.equal(200);
      const done = await post(`/platform/v1/tenants/${t.tenant.id}/terminate`, { reason: ' contract ended ' }, { token: admin.token });
      expect(done.status, done.text).to.equal(200);
      expect(done.body.status).to.equal('terminated');
      const store = await get('/store/v1/store', { tenant: t.slug });
      expect(store.status).to.equal(403);
      expect(store.body.code).to.equal('TENANT_TERMINATED');
      const resumed = await post(`/platform/v1/tenants/${t.tenant.id}/resume`, undefined, { token: admin.token });
      expect(resumed.status).to.equal(409);
      expect(resumed.body.code).to.equal('TENANT_TERMINATED');
      // Again: nothing changes, nothing new is audited.
      expect((await post(`/platform/v1/tenants/${t.tenant.id}/terminate`, { reason: 'again' }, { token: admin.token })).body.status).to.equal('terminated');
      const audit = await get(`/platform/v1/audit?tenantId=${t.tenant.id}&action=tenant.terminated`, { token: admin.token });
      expect(audit.body.items).to.have.length(1);
      expect(audit.body.items[0]).to.include({ actorType: 'platform', actorId: admin.id, targetId: t.tenant.id });
      expect(audit.body.items[0].before).to.deep.equal({ status: 'active' });
      expect(audit.body.items[0].after).to.deep.equal({ status: 'terminated', reason: 'contract ended' });
    });

    it('needs a reason and a platform admin', async () => {
      const t = await makeTenant();
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x'.repeat(501) }, { reason: 'ok', extra: 1 }]) {
        const bad = await post(`/platform/v1/tenants/${t.tenant.id}/terminate`, body, { token: admin.token });
        expect(bad.status, JSON.stringify(body)).to.equal(400);
      }
      expect((await post(`/platform/v1/tenants/${t.tenant.id}/terminate`, { reason: 'x' }, { token: t.ownerToken })).status).to.be.oneOf([401, 403]);
      expect((await post('/platform/v1/tenants/01900000-0000-7000-8000-000000000000/terminate', { reason: 'x' }, { token: admin.token })).status).to.equal(404);
      expect((await get(`/platform/v1/tenants/${t.tenant.id}`, { token: admin.token })).body.status).to.equal('active');
    });
  });

  describe('POST /platform/v1/tenants/:id/suspend', () => {
    it("closes the store and admin with a clear problem, keeps the data, and audits who did it", async () => {
      const t = await makeTenant();
      const suspended = await post(`/platform/v1/tenants/${t.tenant.id}/suspend`, { reason: 'unpaid invoice' }, { token: admin.token });
      expect(suspended.body.status).to.equal('suspended');
      const store = await get('/store/v1/store', { tenant: t.slug });
      expect(store.status).to.equal(403);
      expect(store.body.code).to.equal('TENANT_SUSPENDED');
      const adminApi = await get('/admin/v1/staff', { token: t.ownerToken });
      expect(adminApi.status).to.equal(403);
      expect(adminApi.body.code).to.equal('TENANT_SUSPENDED');
      const resumed = await post(`/platform/v1/tenants/${t.tenant.id}/resume`, undefined, { token: admin.token });
      expect(resumed.body.status).to.equal('active');
      const staff = await get('/admin/v1/staff', { token: t.ownerToken });
      expect(staff.status).to.equal(200);
      expect(staff.body.items.map((s: { email: string }) => s.email)).to.include(t.ownerEmail);
      const audit = await get(`/platform/v1/audit?tenantId=${t.tenant.id}`, { token: admin.token });
      const actions = audit.body.items.map((a: { action: string }) => a.action);
      expect(actions.slice(0, 2)).to.deep.equal(['tenant.resumed', 'tenant.suspended']);
      const entry = audit.body.items.find((a: { action: string }) => a.action === 'tenant.suspended');
      expect(entry).to.include({ actorType: 'platform', actorId: admin.id, targetId: t.tenant.id });
      expect(entry.before).to.deep.equal({ status: 'active' });
      expect(entry.after).to.deep.equal({ status: 'suspended', reason: 'unpaid invoice' });
    });

    it('answers 404 for an unknown tenant and 400 for a malformed id', async () => {
      expect((await post('/platform/v1/tenants/01900000-0000-7000-8000-000000000000/suspend', {}, { token: admin.token })).status).to.equal(404);
      const bad = await post('/platform/v1/tenants/not-a-uuid/suspend', {}, { token: admin.token });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0]).to.include({ in: 'params', pointer: '/id' });
    });
  });

  describe('PATCH /platform/v1/tenants/:id', () => {
    it('changes a tenant and records before and after', async () => {
      const t = await makeTenant();
      const res = await patch(`/platform/v1/tenants/${t.tenant.id}`, { name: 'New Name', domains: [`shop.${t.slug}.example`] }, { token: admin.token });
      expect(res.body.name).to.equal('New Name');
      expect(res.body.domains).to.deep.equal([`shop.${t.slug}.example`]);
      const audit = await get(`/platform/v1/audit?tenantId=${t.tenant.id}&action=tenant.updated`, { token: admin.token });
      expect(audit.body.items[0].before.name).to.equal(`Shop ${t.slug}`);
      expect(audit.body.items[0].after.name).to.equal('New Name');
    });

    it('refuses a domain that belongs to another store', async () => {
      const a = await makeTenant({ domains: [`${unique('d')}.example.com`] });
      const aView = await get(`/platform/v1/tenants/${a.tenant.id}`, { token: admin.token });
      const b = await makeTenant();
      const res = await patch(`/platform/v1/tenants/${b.tenant.id}`, { domains: aView.body.domains }, { token: admin.token });
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('DOMAIN_TAKEN');
    });
  });

  describe('tenant resolution', () => {
    async function hostGet(host: string, path: string): Promise<{ status: number; body: any }> {
      // fetch() will not send a custom Host; node:http will.
      const http = await import('node:http');
      const url = new URL(path, await baseUrl());
      return new Promise((resolve, reject) => {
        http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
        }).on('error', reject);
      });
    }

    it('finds the store from {slug}.<base domain> and from a custom domain', async () => {
      const domain = `${unique('shop')}.example.com`;
      const t = await makeTenant({ domains: [domain] });
      const bySub = await hostGet(`${t.slug}.localhost:3000`, '/store/v1/store');
      expect(bySub.body.slug).to.equal(t.slug);
      const byDomain = await hostGet(domain, '/store/v1/store');
      expect(byDomain.body.slug).to.equal(t.slug);
      const none = await hostGet('unknown.example.org', '/store/v1/store');
      expect(none.status).to.equal(404);
      expect(none.body.code).to.equal('TENANT_NOT_FOUND');
    });

    it('ignores X-Tenant where config does not allow it', async () => {
      const { createRuntime } = await import('../../core/server.js');
      const { testConfig } = await import('../support/runtime.js');
      const t = await makeTenant();
      const rt = await createRuntime({ config: testConfig({ ALLOW_TENANT_HEADER: 'false', LOG_LEVEL: 'error' }), role: 'web', migrate: false });
      const server = await rt.listen(0, '127.0.0.1');
      try {
        const port = (server.address() as { port: number }).port;
        const res = await fetch(`http://127.0.0.1:${port}/store/v1/store`, { headers: { 'x-tenant': t.slug } });
        expect(res.status).to.equal(404);
      } finally {
        await rt.close();
      }
    });
  });

  describe('GET and PATCH /admin/v1/store', () => {
    it('lets the owner change the store and refuses a viewer', async () => {
      const t = await makeTenant();
      const res = await patch('/admin/v1/store', { name: 'Renamed', taxMode: 'inclusive', taxRateBp: 2000 }, { token: t.ownerToken });
      expect(res.body).to.include({ name: 'Renamed', taxMode: 'inclusive', taxRateBp: 2000 });
      const rt = await runtime();
      await rt.kernel.tenants.invalidate(t.tenant);
      expect((await get('/store/v1/store', { tenant: t.slug })).body.name).to.equal('Renamed');
      const bad = await patch('/admin/v1/store', { taxRateBp: -5 }, { token: t.ownerToken });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/taxRateBp');
    });
  });
});
