// UI-9: every state-changing admin act lands in the audit trail (actor, store, entity, what was
// asked with secrets taken out, reason, request id); a store's staff read their own store's
// entries, platform admins every entry; both filter and export CSV.
import { expect } from 'chai';
import { call, get, post } from '../support/http.js';
import { makePlatformAdmin, makeStaff, makeTenant, unique, PASSWORD, type TestTenant } from '../support/factories.js';
import { adminAct, makeVariant, placeOrder } from '../orders/support.js';

interface Entry {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId: string | null;
  before: any;
  after: any;
  reason: string | null;
  requestId: string | null;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('audit trail (UI-9)', function () {
  this.timeout(60_000);
  let shop: TestTenant;
  let other: TestTenant;
  let admin: { id: string; token: string };
  let ownerId: string;
  let orderId: string;
  let holdRequestId: string;

  before(async () => {
    shop = await makeTenant();
    other = await makeTenant();
    admin = await makePlatformAdmin();
    ownerId = (await get('/admin/v1/me', { token: shop.ownerToken })).body.staff.id;
    const variantId = await makeVariant(shop, { price: 1000, stock: 5 });
    orderId = (await placeOrder(shop, [{ variantId, quantity: 1 }])).order.id;
    const held = await adminAct(shop, orderId, 'hold', { reason: 'Address looks wrong' }, { 'x-request-id': unique('req') });
    expect(held.status, held.text).to.equal(200);
    holdRequestId = held.headers.get('x-request-id')!;
  });

  const list = (t: TestTenant, query = '') => get<{ items: Entry[]; nextCursor: string | null }>(`/admin/v1/audit${query}`, { token: t.ownerToken });

  it('records a staff act with actor, store, entity, reason and request id', async () => {
    const res = await list(shop, `?targetId=${orderId}`);
    expect(res.status, res.text).to.equal(200);
    const hold = res.body.items.find((e) => e.action === 'POST /orders/:id/hold');
    expect(hold, JSON.stringify(res.body.items.map((e) => e.action))).to.be.an('object');
    expect(hold).to.include({ actorType: 'staff', actorId: ownerId, targetType: 'orders', targetId: orderId, tenantId: shop.tenant.id, reason: 'Address looks wrong' });
    expect(hold!.requestId).to.be.a('string').and.equal(holdRequestId);
    expect(hold!.after).to.deep.equal({ reason: 'Address looks wrong' });
  });

  it('records the state before an update or delete the router audits, as the entity’s own GET showed it', async () => {
    const hold = (await list(shop, `?targetId=${orderId}&action=POST%20/orders/:id/hold`)).body.items[0];
    expect(hold.before).to.include({ id: orderId, status: 'pending_payment' });
    const clerk = await makeStaff(shop, 'staff');
    const changed = await call('PATCH', `/admin/v1/staff/${clerk.id}`, { token: shop.ownerToken, body: { role: 'viewer' } });
    expect(changed.status, changed.text).to.equal(200);
    const removed = await call('DELETE', `/admin/v1/staff/${clerk.id}`, { token: shop.ownerToken });
    expect(removed.status, removed.text).to.be.oneOf([200, 204]);
    const entries = (await list(shop, `?targetId=${clerk.id}`)).body.items;
    const patch = entries.find((e) => e.action === 'PATCH /staff/:id')!;
    expect(patch, JSON.stringify(entries.map((e) => e.action))).to.be.an('object');
    expect(patch.before).to.include({ id: clerk.id, email: clerk.email, role: 'staff' });
    expect(patch.after).to.deep.equal({ role: 'viewer' });
    const del = entries.find((e) => e.action === 'DELETE /staff/:id')!;
    expect(del.before).to.include({ id: clerk.id, email: clerk.email, role: 'viewer' });
    // A create has no before.
    const name = unique('k');
    expect((await post('/admin/v1/api-keys', { name, scopes: ['orders:read'] }, { token: shop.ownerToken })).status).to.equal(201);
    const create = (await list(shop, '?action=POST%20/api-keys')).body.items.find((e) => e.after?.name === name)!;
    expect(create.before).to.equal(null);
    // What the trail keeps of a before-state goes through the same redaction as what was asked.
    const { redactForAudit } = await import('../../core/audit/audit.service.js');
    expect(redactForAudit({ name: 'n', passwordHash: 'h', nested: { apiToken: 't' }, settings: { a: 1 } }, '/admin/v1/plugins/:name')).to.deep.equal({ name: 'n', passwordHash: '[redacted]', nested: { apiToken: '[redacted]' }, settings: { a: '[redacted]' } });
  });

  it('keeps passwords and keys out of what it records, and names a created entity by its id', async () => {
    const email = `${unique('clerk')}@${shop.slug}.test`;
    const made = await post('/admin/v1/staff', { email, name: 'Clerk', role: 'staff', password: PASSWORD }, { token: shop.ownerToken });
    expect(made.status, made.text).to.equal(201);
    const key = await post('/admin/v1/api-keys', { name: 'erp', scopes: ['orders:read'] }, { token: shop.ownerToken });
    expect(key.status, key.text).to.equal(201);
    expect(key.body.key).to.be.a('string').with.length.above(10);
    const entries = (await list(shop, '?action=POST%20/*&limit=50')).body.items;
    const staff = entries.find((e) => e.action === 'POST /staff')!;
    expect(staff).to.include({ targetType: 'staff', targetId: made.body.id });
    expect(staff.after).to.deep.include({ email, role: 'staff', password: '[redacted]' });
    const whole = JSON.stringify(entries);
    expect(whole).not.to.include(PASSWORD);
    expect(whole).not.to.include(key.body.key);
  });

  it('writes one entry per act: none more for a replayed Idempotency-Key, none from the router where the service wrote its own', async () => {
    const key = unique('idem');
    const variantId = await makeVariant(shop, { price: 1000, stock: 5 });
    const order = (await placeOrder(shop, [{ variantId, quantity: 1 }])).order;
    for (let i = 0; i < 2; i++) expect((await adminAct(shop, order.id, 'cancel', { reason: 'Customer asked' }, { 'idempotency-key': key })).status).to.be.below(300);
    const cancels = (await list(shop, `?targetId=${order.id}&action=POST%20/orders/:id/cancel`)).body.items;
    expect(cancels).to.have.length(1);
    const slug = unique('audited');
    const made = await post('/platform/v1/tenants', { slug, name: 'Audited', defaultCurrency: 'USD', currencies: ['USD'], owner: { email: `o@${slug}.test`, name: 'O', password: PASSWORD } }, { token: admin.token });
    expect(made.status, made.text).to.equal(201);
    const about = (await get(`/platform/v1/audit?tenantId=${made.body.id}`, { token: admin.token })).body.items as Entry[];
    expect(about.map((e) => e.action)).to.deep.equal(['tenant.created']);
  });

  it("shows a store only its own entries, to roles holding audit:read, whatever it asks", async () => {
    const mine = await list(other);
    expect(mine.status).to.equal(200);
    expect(mine.body.items.every((e) => e.tenantId === other.tenant.id)).to.equal(true);
    expect(JSON.stringify(mine.body)).not.to.include(orderId);
    const clerk = await makeStaff(shop, 'staff');
    const refused = await get('/admin/v1/audit', { token: clerk.token });
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('PERMISSION_DENIED');
    const viewer = await makeStaff(shop, 'viewer');
    expect((await get('/admin/v1/audit', { token: viewer.token })).status).to.equal(200);
    const unknown = await get('/admin/v1/audit?tenantId=00000000-0000-4000-8000-000000000000', { token: shop.ownerToken });
    expect(unknown.status, 'a store cannot name another store').to.equal(400);
  });

  it('filters by action prefix, actor and time, and refuses a bad filter with 400', async () => {
    const prefix = (await list(shop, '?action=POST%20/orders*&limit=100')).body.items;
    expect(prefix.length).to.be.greaterThan(0);
    expect(prefix.every((e) => e.action.startsWith('POST /orders'))).to.equal(true);
    const byActor = (await list(shop, `?actorId=${ownerId}&limit=100`)).body.items;
    expect(byActor.length).to.be.greaterThan(0);
    expect(byActor.every((e) => e.actorId === ownerId)).to.equal(true);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await list(shop, `?from=${encodeURIComponent(future)}`)).body.items).to.deep.equal([]);
    expect((await list(shop, `?to=${encodeURIComponent(future)}`)).body.items.length).to.be.greaterThan(0);
    const bad = await list(shop, '?from=yesterday');
    expect(bad.status).to.equal(400);
    expect(JSON.stringify((bad.body as unknown as { errors: unknown }).errors)).to.include('from');
  });

  it('exports the filtered entries as CSV, one row per entry, formulas kept as text', async () => {
    const res = await call('GET', `/admin/v1/audit/export?targetId=${orderId}`, { token: shop.ownerToken });
    expect(res.status, res.text).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/csv/);
    expect(res.headers.get('content-disposition')).to.equal(`attachment; filename="audit-${shop.slug}.csv"`);
    expect(res.headers.get('x-audit-truncated')).to.equal('false');
    const rows = parseCsv(res.text);
    expect(rows[0]).to.deep.equal(['createdAt', 'actorType', 'actorId', 'action', 'targetType', 'targetId', 'tenantId', 'reason', 'requestId', 'before', 'after']);
    const listed = (await list(shop, `?targetId=${orderId}&limit=100`)).body.items;
    expect(rows.slice(1).map((r) => r[3])).to.deep.equal(listed.map((e) => e.action));
    const hold = rows.find((r) => r[3] === 'POST /orders/:id/hold')!;
    expect(hold[7]).to.equal('Address looks wrong');
    expect(JSON.parse(hold[10])).to.deep.equal({ reason: 'Address looks wrong' });

    const variantId = await makeVariant(shop, { price: 1000, stock: 5 });
    const order = (await placeOrder(shop, [{ variantId, quantity: 1 }])).order;
    expect((await adminAct(shop, order.id, 'hold', { reason: '=HYPERLINK("http://x")' })).status).to.equal(200);
    const csv = parseCsv((await call('GET', `/admin/v1/audit/export?targetId=${order.id}`, { token: shop.ownerToken })).text);
    expect(csv[1][7]).to.equal(`'=HYPERLINK("http://x")`);

    const platform = await call('GET', `/platform/v1/audit/export?tenantId=${shop.tenant.id}&targetId=${orderId}`, { token: admin.token });
    expect(platform.status).to.equal(200);
    expect(parseCsv(platform.text).length).to.equal(rows.length);
    expect((await call('GET', '/admin/v1/audit/export', { token: other.ownerToken })).text).not.to.include(orderId);
  });
});

describe('recordAudit inside a transaction', () => {
  it('writes in the caller’s transaction on the control database: kept on commit, gone on rollback, never waiting for itself', async () => {
    const { runtime } = await import('../support/runtime.js');
    const { createSystemCtx, withTransaction } = await import('../../core/context.js');
    const { recordAudit } = await import('../../core/audit/audit.service.js');
    const rt = await runtime();
    const ctx = createSystemCtx(rt.kernel, null, { actor: { type: 'system', name: 'audit-test' } });
    const kept = unique('kept');
    const dropped = unique('dropped');
    await withTransaction(ctx, (trx) => recordAudit(trx, { action: 'test.kept', targetType: 'test', targetId: kept }));
    const failed = await withTransaction(ctx, async (trx) => {
      await recordAudit(trx, { action: 'test.dropped', targetType: 'test', targetId: dropped });
      throw new Error('the change fails');
    }).catch((err: Error) => err.message);
    expect(failed).to.equal('the change fails');
    const rows = (await rt.kernel.pool.control('audit_log').whereIn('target_id', [kept, dropped]).select('target_id')) as { target_id: string }[];
    expect(rows.map((r) => r.target_id)).to.deep.equal([kept]);
  });
});
