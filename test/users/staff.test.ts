import { expect } from 'chai';
import { get, post, patch, del } from '../support/http.js';
import { makeTenant, makeStaff, makeCustomer, PASSWORD, unique, type TestTenant } from '../support/factories.js';

describe('staff, roles and API keys', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });

  describe('POST /admin/v1/staff', () => {
    it('adds staff whose role decides what they may do', async () => {
      const viewer = await makeStaff(shop, 'viewer');
      expect((await get('/admin/v1/staff', { token: viewer.token })).status).to.equal(200);
      expect((await patch('/admin/v1/store', { name: 'viewer was here' }, { token: viewer.token })).status).to.equal(403);
      expect((await get('/admin/v1/customers', { token: viewer.token })).status).to.equal(200);
      const denied = await post('/admin/v1/staff', { email: 'x@y.co', name: 'x', role: 'staff', password: PASSWORD }, { token: viewer.token });
      expect(denied.status).to.equal(403);
      expect(denied.body).to.include({ code: 'PERMISSION_DENIED', permission: 'staff:write' });
      const me = await get('/admin/v1/me', { token: viewer.token });
      expect(me.body.permissions).to.deep.equal(['*:read']);
    });

    it('refuses an unknown role and a duplicate email', async () => {
      const bad = await post('/admin/v1/staff', { email: 'r@y.co', name: 'x', role: 'superuser' }, { token: shop.ownerToken });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/role');
      const dup = await post('/admin/v1/staff', { email: shop.ownerEmail, name: 'x', role: 'staff' }, { token: shop.ownerToken });
      expect(dup.status).to.equal(409);
      expect(dup.body.errors[0].pointer).to.equal('/email');
    });

    it('lets only an owner make another owner', async () => {
      const admin = await makeStaff(shop, 'admin');
      const res = await post('/admin/v1/staff', { email: `${unique('o')}@x.co`, name: 'x', role: 'owner', password: PASSWORD }, { token: admin.token });
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('OWNER_ONLY');
      const ok = await post('/admin/v1/staff', { email: `${unique('o')}@x.co`, name: 'x', role: 'owner', password: PASSWORD }, { token: shop.ownerToken });
      expect(ok.status).to.equal(201);
    });
  });

  describe('PATCH and DELETE /admin/v1/staff/:id', () => {
    it('keeps at least one active owner', async () => {
      const solo = await makeTenant();
      const me = await get('/admin/v1/me', { token: solo.ownerToken });
      const demote = await patch(`/admin/v1/staff/${me.body.staff.id}`, { role: 'admin' }, { token: solo.ownerToken });
      expect(demote.status).to.equal(409);
      expect(demote.body.code).to.equal('LAST_OWNER');
      expect((await del(`/admin/v1/staff/${me.body.staff.id}`, { token: solo.ownerToken })).status).to.equal(409);
    });

    it('two owners demoting each other at once: one goes through, the other is refused (ONB-12)', async () => {
      for (let round = 0; round < 3; round++) {
        const solo = await makeTenant();
        const other = await makeStaff(solo, 'owner');
        const me = await get('/admin/v1/me', { token: solo.ownerToken });
        const [a, b] = await Promise.all([
          patch(`/admin/v1/staff/${other.id}`, { role: 'admin' }, { token: solo.ownerToken }),
          patch(`/admin/v1/staff/${me.body.staff.id}`, { role: 'admin' }, { token: other.token }),
        ]);
        // The loser is LAST_OWNER when the two overlap, or OWNER_ONLY when the winner was done first
        // (its actor is no owner any more); never both through.
        const [won, lost] = a.status === 200 ? [a, b] : [b, a];
        expect(won.status, `${a.text} ${b.text}`).to.equal(200);
        expect([lost.status, lost.body.code], lost.text).to.be.deep.oneOf([[409, 'LAST_OWNER'], [403, 'OWNER_ONLY']]);
        const staff = await get('/admin/v1/staff', { token: a.status === 200 ? solo.ownerToken : other.token });
        expect(staff.body.items.filter((m: { role: string; status: string }) => m.role === 'owner' && m.status === 'active')).to.have.length(1);
      }
    });

    it('one email may be staff at two stores; each token sees only its own store (ONB-12)', async () => {
      const a = await makeTenant();
      const b = await makeTenant();
      const email = `${unique('both')}@two.test`;
      for (const t of [a, b]) expect((await post('/admin/v1/staff', { email, name: 'Both', role: 'admin', password: PASSWORD }, { token: t.ownerToken })).status).to.equal(201);
      const inA = await post('/admin/v1/auth/login', { tenant: a.slug, email, password: PASSWORD });
      const inB = await post('/admin/v1/auth/login', { tenant: b.slug, email, password: PASSWORD });
      expect((await get('/admin/v1/store', { token: inA.body.token })).body.slug).to.equal(a.slug);
      expect((await get('/admin/v1/store', { token: inB.body.token })).body.slug).to.equal(b.slug);
      const crossed = await get('/admin/v1/store', { token: inA.body.token, tenant: b.slug });
      expect(crossed.body.slug ?? crossed.status).not.to.equal(b.slug);
    });

    it('disabling a member ends their sessions', async () => {
      const member = await makeStaff(shop, 'staff');
      expect((await patch(`/admin/v1/staff/${member.id}`, { status: 'disabled' }, { token: shop.ownerToken })).body.status).to.equal('disabled');
      expect((await get('/admin/v1/me', { token: member.token })).status).to.equal(401);
      const login = await post('/admin/v1/auth/login', { tenant: shop.slug, email: member.email, password: PASSWORD });
      expect(login.status).to.equal(401);
    });

    it('removes a member', async () => {
      const member = await makeStaff(shop, 'staff');
      expect((await del(`/admin/v1/staff/${member.id}`, { token: shop.ownerToken })).status).to.equal(204);
      expect((await get(`/admin/v1/staff/${member.id}`, { token: shop.ownerToken })).status).to.equal(404);
    });
  });

  describe('GET /admin/v1/customers', () => {
    it('lists customers of this store only, filtered by email prefix', async () => {
      const c = await makeCustomer(shop, `${unique('findme')}@example.com`);
      const res = await get(`/admin/v1/customers?email=${encodeURIComponent(c.email.slice(0, 12))}`, { token: shop.ownerToken });
      expect(res.body.items.map((x: { id: string }) => x.id)).to.deep.equal([c.id]);
      expect((await get(`/admin/v1/customers/${c.id}`, { token: shop.ownerToken })).body.email).to.equal(c.email);
    });
  });

  describe('API keys', () => {
    it('are shown once, work with their scopes only, and stop working when revoked', async () => {
      const created = await post('/admin/v1/api-keys', { name: 'ERP sync', scopes: ['customers:read'] }, { token: shop.ownerToken });
      expect(created.status).to.equal(201);
      const key = created.body.key as string;
      expect(key).to.match(/^bzk_/);
      const list = await get('/admin/v1/api-keys', { token: shop.ownerToken });
      expect(list.text).not.to.include(key);
      expect(list.body.items[0]).to.include({ name: 'ERP sync', prefix: key.slice(0, 12) });
      expect((await get('/admin/v1/customers', { headers: { 'x-api-key': key } })).status).to.equal(200);
      expect((await get('/admin/v1/staff', { headers: { 'x-api-key': key } })).status).to.equal(403);
      expect((await del(`/admin/v1/api-keys/${created.body.apiKey.id}`, { token: shop.ownerToken })).status).to.equal(204);
      const after = await get('/admin/v1/customers', { headers: { 'x-api-key': key } });
      expect(after.status).to.equal(401);
    });

    it('cannot grant more than the creator holds', async () => {
      const staff = await makeStaff(shop, 'staff');
      // staff lacks api-keys:write altogether
      expect((await post('/admin/v1/api-keys', { name: 'x', scopes: ['catalog:read'] }, { token: staff.token })).status).to.equal(403);
      const limited = await post('/admin/v1/api-keys', { name: 'limited', scopes: ['api-keys:write', 'customers:read'] }, { token: shop.ownerToken });
      const escalate = await post('/admin/v1/api-keys', { name: 'x', scopes: ['staff:write'] }, { headers: { 'x-api-key': limited.body.key } });
      expect(escalate.status).to.equal(403);
      expect(escalate.body.code).to.equal('SCOPE_EXCEEDS_PERMISSIONS');
    });

    it('refuses malformed scopes and past expiry', async () => {
      const bad = await post('/admin/v1/api-keys', { name: 'x', scopes: ['everything'] }, { token: shop.ownerToken });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/scopes/0');
      const past = await post('/admin/v1/api-keys', { name: 'x', scopes: ['catalog:read'], expiresAt: '2001-01-01T00:00:00Z' }, { token: shop.ownerToken });
      expect(past.status).to.equal(400);
      expect(past.body.errors[0].pointer).to.equal('/expiresAt');
    });
  });
});
