import { expect } from 'chai';
import { get, post, patch } from '../support/http.js';
import { makeTenant, makeCustomer, makePlatformAdmin, PASSWORD, unique, type TestTenant } from '../support/factories.js';
import { runtime } from '../support/runtime.js';
import { scoped } from '../../core/db/model.js';
import { Session, Customer } from '../../core/users/user.model.js';
import { hashPassword, verifyPassword } from '../../core/users/password.js';
import { parseToken } from '../../core/users/tokens.js';

describe('accounts', () => {
  let shop: TestTenant;
  let other: TestTenant;
  before(async () => {
    shop = await makeTenant();
    other = await makeTenant();
  });

  describe('passwords', () => {
    it('are stored with scrypt and a per-password salt', async () => {
      const a = await hashPassword('same password', 12);
      const b = await hashPassword('same password', 12);
      expect(a).to.match(/^scrypt\$12\$8\$1\$/);
      expect(a).not.to.equal(b);
      expect(await verifyPassword('same password', a)).to.equal(true);
      expect(await verifyPassword('other password', a)).to.equal(false);
    });
  });

  describe('POST /store/v1/auth/signup', () => {
    it('lets the same email sign up at two stores as two customers', async () => {
      const email = `${unique('twin')}@example.com`;
      const a = await makeCustomer(shop, email);
      const b = await makeCustomer(other, email);
      expect(a.id).not.to.equal(b.id);
      const meA = await get('/store/v1/me', { tenant: shop.slug, token: a.token });
      expect(meA.body.email).to.equal(email);
      // A's token is no good at the other store.
      const cross = await get('/store/v1/me', { tenant: other.slug, token: a.token });
      expect(cross.status).to.equal(401);
    });

    it('refuses a second account with the same email at one store', async () => {
      const c = await makeCustomer(shop);
      const res = await post('/store/v1/auth/signup', { email: c.email.toUpperCase(), password: PASSWORD, name: 'Dup' }, { tenant: shop.slug });
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('EMAIL_TAKEN');
      expect(res.body.errors[0].pointer).to.equal('/email');
    });

    it('never returns the password hash', async () => {
      const c = await makeCustomer(shop);
      const me = await get('/store/v1/me', { tenant: shop.slug, token: c.token });
      expect(me.text).not.to.match(/scrypt|password/i);
    });
  });

  describe('POST /store/v1/auth/login', () => {
    it('gives the same answer for a wrong password and an unknown email', async () => {
      const c = await makeCustomer(shop);
      const wrong = await post('/store/v1/auth/login', { email: c.email, password: 'wrong password!' }, { tenant: shop.slug });
      const unknown = await post('/store/v1/auth/login', { email: `${unique('nobody')}@example.com`, password: 'wrong password!' }, { tenant: shop.slug });
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
      expect(strip(wrong.body)).to.deep.equal(strip(unknown.body));
    });

    it('throttles an account after repeated failures, even with the right password, with Retry-After', async () => {
      const c = await makeCustomer(shop);
      const rt = await runtime();
      for (let i = 0; i < rt.kernel.config.loginMaxFailures; i++) {
        expect((await post('/store/v1/auth/login', { email: c.email, password: 'nope nope nope' }, { tenant: shop.slug })).status).to.equal(401);
      }
      const blocked = await post('/store/v1/auth/login', { email: c.email, password: PASSWORD }, { tenant: shop.slug });
      expect(blocked.status).to.equal(429);
      expect(blocked.body.code).to.equal('LOGIN_THROTTLED');
      expect(Number(blocked.headers.get('retry-after'))).to.be.greaterThan(0).and.at.most(rt.kernel.config.loginWindowSeconds);
      // The same email at another store is another account and is not throttled.
      await makeCustomer(other, c.email);
      expect((await post('/store/v1/auth/login', { email: c.email, password: PASSWORD }, { tenant: other.slug })).status).to.equal(200);
    });

    it('throttles an address that fails across many accounts', async () => {
      const rt = await runtime();
      const limit = rt.kernel.config.loginMaxFailures * 4;
      for (let i = 0; i < limit; i++) {
        await post('/store/v1/auth/login', { email: `${unique('spray')}@example.com`, password: 'nope nope nope' }, { tenant: shop.slug });
      }
      const c = await makeCustomer(shop);
      const res = await post('/store/v1/auth/login', { email: c.email, password: PASSWORD }, { tenant: shop.slug });
      expect(res.status).to.equal(429);
    });

    it('counts guesses sent at once before checking them: only the limit reaches the password check (customers and staff)', async () => {
      const rt = await runtime();
      const max = rt.kernel.config.loginMaxFailures;
      const c = await makeCustomer(shop);
      const staffEmail = shop.ownerEmail;
      for (const [path, body] of [
        ['/store/v1/auth/login', (password: string) => ({ email: c.email, password })],
        ['/admin/v1/auth/login', (password: string) => ({ tenant: shop.slug, email: staffEmail, password })],
      ] as const) {
        const guesses = Array.from({ length: 59 }, (_, i) => `wrong guess ${i}`);
        guesses.splice(40, 0, PASSWORD);
        const answers = await Promise.all(guesses.map((password) => post(path, body(password), { tenant: shop.slug })));
        const checked = answers.filter((a) => a.status !== 429);
        expect(checked.length, path).to.be.at.most(max);
        expect(answers.filter((a) => a.status === 429).length, path).to.be.at.least(60 - max);
      }
    });

    it('keys the per-address limit per store: failures at one store do not lock a staff sign-in at another', async () => {
      const rt = await runtime();
      const limit = rt.kernel.config.loginMaxFailures * 4;
      for (let i = 0; i < limit; i++) {
        expect((await post('/admin/v1/auth/login', { tenant: shop.slug, email: `${unique('spray')}@example.com`, password: 'nope nope nope' })).status).to.equal(401);
      }
      expect((await post('/admin/v1/auth/login', { tenant: shop.slug, email: shop.ownerEmail, password: PASSWORD })).status).to.equal(429);
      const ok = await post('/admin/v1/auth/login', { tenant: other.slug, email: other.ownerEmail, password: PASSWORD });
      expect(ok.status).to.equal(200);
    });

    it('keeps a global per-address ceiling across stores', async () => {
      const rt = await runtime();
      const perStore = rt.kernel.config.loginMaxFailures * 4;
      const ceiling = rt.kernel.config.loginMaxFailures * 20;
      let sent = 0;
      while (sent < ceiling) {
        const t = await makeTenant();
        for (let i = 0; i < perStore && sent < ceiling; i++, sent++) {
          await post('/store/v1/auth/login', { email: `${unique('spray')}@example.com`, password: 'nope nope nope' }, { tenant: t.slug });
        }
      }
      const fresh = await makeCustomer(other);
      expect((await post('/store/v1/auth/login', { email: fresh.email, password: PASSWORD }, { tenant: other.slug })).status).to.equal(429);
    });

    it('issues an opaque token stored only as a hash', async () => {
      const c = await makeCustomer(shop);
      const login = await post('/store/v1/auth/login', { email: c.email, password: PASSWORD }, { tenant: shop.slug });
      expect(login.status).to.equal(200);
      const rows = await scoped(shop.ctx, Session).where('subject_id', c.id);
      expect(rows.length).to.be.greaterThan(0);
      for (const row of rows) expect(row.tokenHash).to.match(/^[0-9a-f]{64}$/).and.not.equal(login.body.token);
      expect(rows.map((r) => r.tokenHash)).to.include(parseToken(login.body.token)!.hash);
    });
  });

  describe('sessions', () => {
    it('refuses an expired token', async () => {
      const c = await makeCustomer(shop);
      expect((await get('/store/v1/me', { tenant: shop.slug, token: c.token })).status).to.equal(200);
      await scoped(shop.ctx, Session).patch({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where('token_hash', parseToken(c.token)!.hash);
      const res = await get('/store/v1/me', { tenant: shop.slug, token: c.token });
      expect(res.status).to.equal(401);
      expect(res.body.code).to.equal('INVALID_TOKEN');
    });

    it('POST /store/v1/auth/logout ends the session', async () => {
      const c = await makeCustomer(shop);
      expect((await post('/store/v1/auth/logout', undefined, { tenant: shop.slug, token: c.token })).status).to.equal(204);
      expect((await get('/store/v1/me', { tenant: shop.slug, token: c.token })).status).to.equal(401);
    });

    it('answers a garbage token with 401 rather than treating it as anonymous', async () => {
      const res = await get('/store/v1/store', { tenant: shop.slug, token: 'bzt_garbage' });
      expect(res.status).to.equal(401);
    });
  });

  describe('POST /store/v1/auth/password', () => {
    it('changes the password and ends the old sessions', async () => {
      const c = await makeCustomer(shop);
      const wrong = await post('/store/v1/auth/password', { currentPassword: 'not my password', newPassword: 'a brand new password' }, { tenant: shop.slug, token: c.token });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.errors[0].pointer).to.equal('/currentPassword');
      const ok = await post('/store/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' }, { tenant: shop.slug, token: c.token });
      expect(ok.status).to.equal(204);
      expect((await get('/store/v1/me', { tenant: shop.slug, token: c.token })).status).to.equal(401);
      expect((await post('/store/v1/auth/login', { email: c.email, password: 'a brand new password' }, { tenant: shop.slug })).status).to.equal(200);
    });
  });

  describe('PATCH /store/v1/me', () => {
    it('updates the name and refuses unknown fields', async () => {
      const c = await makeCustomer(shop);
      const ok = await patch('/store/v1/me', { name: 'Renamed' }, { tenant: shop.slug, token: c.token });
      expect(ok.body.name).to.equal('Renamed');
      const bad = await patch('/store/v1/me', { email: 'x@y.z' }, { tenant: shop.slug, token: c.token });
      expect(bad.status).to.equal(400);
      expect(bad.body.errors[0].pointer).to.equal('/email');
      const row = await scoped(shop.ctx, Customer).findById(c.id);
      expect(row!.email).to.equal(c.email);
    });
  });

  describe('platform admins', () => {
    it('sign in, see themselves and sign out', async () => {
      const admin = await makePlatformAdmin();
      const me = await get('/platform/v1/me', { token: admin.token });
      expect(me.body.email).to.equal(admin.email);
      expect((await post('/platform/v1/auth/logout', undefined, { token: admin.token })).status).to.equal(204);
      expect((await get('/platform/v1/me', { token: admin.token })).status).to.equal(401);
    });

    it('cannot use a tenant token on the platform API, nor a platform token on a store admin API', async () => {
      const admin = await makePlatformAdmin();
      expect((await get('/platform/v1/tenants', { token: shop.ownerToken })).status).to.equal(401);
      expect((await get('/admin/v1/staff', { token: admin.token, tenant: shop.slug })).status).to.equal(401);
    });
  });
});
