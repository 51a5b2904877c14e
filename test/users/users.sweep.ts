import { expect } from 'chai';
import { addSweepFixture } from '../support/sweep.js';
import { makeCustomer, makeStaff, PASSWORD } from '../support/factories.js';
import { post, get } from '../support/http.js';
import { scoped } from '../../core/db/model.js';
import { IdempotencyKey } from '../../core/http/idempotency.js';
import { ApiKey, Staff } from '../../core/users/user.model.js';

addSweepFixture({
  name: 'users',
  async seed(victim) {
    const customer = await makeCustomer(victim);
    const staff = await makeStaff(victim, 'staff');
    const key = await post('/admin/v1/api-keys', { name: 'victim integration', scopes: ['catalog:read'] }, { token: victim.ownerToken });
    await post('/store/v1/auth/password-reset', { email: customer.email }, { tenant: victim.slug });
    await scoped(victim.ctx, IdempotencyKey).insert({ keyHash: 'f'.repeat(64), requestHash: 'e'.repeat(64), state: 'done', responseStatus: 200, responseBody: { secret: 'victim' } as never });
    return {
      ids: { staff: staff.id, customers: customer.id, 'api-keys': key.body.apiKey.id },
      secrets: [customer.id, customer.email, staff.id, staff.email, key.body.apiKey.id, 'victim integration', victim.ownerEmail],
    };
  },
  bodies: {
    'POST /store/v1/auth/signup': { email: 'sweeper@example.com', password: PASSWORD, name: 'Sweeper' },
    'POST /store/v1/auth/login': { email: 'sweeper@example.com', password: PASSWORD },
    'POST /store/v1/auth/password-reset': { email: 'sweeper@example.com' },
    'POST /store/v1/auth/password-reset/confirm': { token: 'bzt_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password: PASSWORD },
    'PATCH /store/v1/me': { name: 'Sweeper' },
    'POST /admin/v1/staff': { email: 'new-staff@example.com', name: 'New', role: 'viewer', password: PASSWORD },
    'PATCH /admin/v1/staff/:id': { name: 'Stolen' },
    'POST /admin/v1/api-keys': { name: 'sweep key', scopes: ['catalog:read'] },
    'POST /admin/v1/auth/login': { email: 'nobody@example.com', password: 'wrong password' },
    'POST /admin/v1/auth/password-reset': { email: 'nobody@example.com' },
    'POST /admin/v1/auth/password-reset/confirm': { token: 'bzt_00000000000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', password: PASSWORD },
    'PATCH /admin/v1/store': { name: 'Renamed by sweep' },
  },
  skip: {
    'POST /store/v1/auth/logout': "ends the caller's own session; reaches no row by id",
    'POST /admin/v1/auth/logout': "ends the caller's own session; reaches no row by id",
    'POST /store/v1/auth/password': "changes the caller's own password; reaches no row by id",
    'POST /admin/v1/auth/password': "changes the caller's own password; reaches no row by id",
  },
  async verify(victim, seed) {
    const staff = await scoped(victim.ctx, Staff).findById(seed.ids.staff);
    expect(staff, 'victim staff still there').not.to.equal(undefined);
    expect(staff!.name).not.to.equal('Stolen');
    const key = await scoped(victim.ctx, ApiKey).findById(seed.ids['api-keys']);
    expect(key!.revokedAt, 'victim API key not revoked').to.equal(null);
    const store = await get('/admin/v1/store', { token: victim.ownerToken });
    expect(store.body.name).not.to.equal('Renamed by sweep');
  },
});
