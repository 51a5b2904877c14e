// The store's own side of onboarding (/admin/v1/onboarding/...): a store onboarding opened sees its
// scorecard (30 and 90 days, breaches, penalty points, restrictions and appeals) and its change
// requests, and cancels one that waits; another store's ids answer 404; a role without the
// onboarding permissions gets 403; a store onboarding did not open does not have the routes at all.
import { expect } from 'chai';
import type { TestKit } from '@bazaar/sdk/testing';
import { newId } from '../../../core/db/ids.js';
import { liveProduct, onboardingKit, openStore, reviewer } from './helpers.js';

const S = '/admin/v1/onboarding';

describe('onboarding, the store side (its own scorecard and change requests)', function () {
  this.timeout(240_000);
  let kit: TestKit;
  let rev: string;
  let a: Awaited<ReturnType<typeof openStore>>;
  let b: Awaited<ReturnType<typeof openStore>>;
  let aChange: string;
  let bChange: string;
  const db = () => kit.kernel.pool.control;

  /** A live product of the store edited once: a pending change request. */
  async function pendingChange(s: typeof a, name: string): Promise<string> {
    const id = await liveProduct(kit, rev, s, name);
    const held = await kit.patch(`/admin/v1/products/${id}`, { translations: { en: { name: `${name}, renamed` } } }, { token: s.owner });
    expect(held.status, held.text).to.equal(202);
    return held.body.held[0].changeId as string;
  }

  async function staffToken(s: typeof a, role: 'viewer' | 'staff'): Promise<string> {
    const email = `${role}-${newId().slice(-8)}@${s.slug}.test`;
    const made = await kit.post('/admin/v1/staff', { email, name: role, role, password: 'a staff password 1' }, { token: s.owner });
    expect(made.status, made.text).to.equal(201);
    const login = await kit.post('/admin/v1/auth/login', { tenant: s.slug, email, password: 'a staff password 1' });
    expect(login.status, login.text).to.equal(200);
    return login.body.token as string;
  }

  before(async () => {
    kit = await onboardingKit({ autoApproveAfter: 100 });
    rev = await reviewer(kit);
    a = await openStore(kit, rev);
    b = await openStore(kit, rev);
    aChange = await pendingChange(a, 'Jasmine tea');
    bChange = await pendingChange(b, 'Pu-erh');
    // Store A's cards, a point this quarter and a restriction it appealed (as the schedule and a reviewer would leave them).
    const now = new Date();
    const day = now.toISOString().slice(0, 10);
    const card = (windowDays: number, breaches: string[]) => ({ id: newId(), store_id: a.storeId, day, window_days: windowDays, orders: 40, cancelled_by_seller: 2, shipped: 38, shipped_late: 3, valid_tracking: 37, returned: 1, defective: 0, ratings: 0, rating_sum: 0, rates: JSON.stringify({ cancelRate: 5, lateShipmentRate: 7.89, validTrackingRate: 97.37, returnRate: 2.5, odr: 0 }), breaches: JSON.stringify(breaches), computed_at: now });
    await db()('onboarding_scorecards').insert([card(30, ['cancelRate', 'lateShipmentRate']), card(90, [])]);
    const { quarterOf, weekOf } = await import('../../../plugins/onboarding/scorecard.rules.js');
    const week = weekOf(now);
    await db()('onboarding_penalties').insert([{ id: newId(), store_id: a.storeId, week, quarter: quarterOf(week), metric: 'cancelRate', points: 1, created_at: now }, { id: newId(), store_id: a.storeId, week, quarter: quarterOf(week), metric: 'lateShipmentRate', points: 1, created_at: now }]);
    await db()('onboarding_restrictions').insert({ id: newId(), store_id: a.storeId, quarter: quarterOf(week), level: 3, kind: 'no_campaigns', starts_at: now, ends_at: new Date(now.getTime() + 28 * 86_400_000), lifted_at: null, lift_reason: null, appeal_status: 'pending', appeal_text: 'We shipped on time', appealed_at: now, appeal_decided_by: null, appeal_decided_at: null, appeal_note: null });
  });
  after(async () => {
    await kit?.close();
  });

  it('GET /admin/v1/me lists onboarding in platformPlugins for a store it opened, and not for another store', async () => {
    const me = await kit.get('/admin/v1/me', { token: a.owner });
    expect(me.status, me.text).to.equal(200);
    expect(me.body.platformPlugins).to.deep.equal(['onboarding']);
    const other = await kit.tenant();
    const theirs = await kit.get('/admin/v1/me', { token: other.ownerToken });
    expect(theirs.body.platformPlugins).to.deep.equal([]);
    // Where onboarding does not act, its store routes do not exist.
    for (const path of [`${S}/scorecard`, `${S}/changes`]) {
      const res = await kit.get(path, { token: other.ownerToken });
      expect(res.status, path).to.equal(404);
      expect(res.body.code).to.equal('ROUTE_NOT_FOUND');
    }
  });

  it("shows the store its own 30- and 90-day cards, breaches, points this quarter and its restriction with the appeal, and nothing of another store's", async () => {
    const res = await kit.get(`${S}/scorecard`, { token: a.owner });
    expect(res.status, res.text).to.equal(200);
    expect(res.body.storeId).to.equal(a.storeId);
    expect(res.body.days30).to.include({ windowDays: 30, orders: 40 });
    expect(res.body.days30.breaches).to.deep.equal(['cancelRate', 'lateShipmentRate']);
    expect(res.body.days30.rates.lateShipmentRate).to.equal(7.89);
    expect(res.body.days90).to.include({ windowDays: 90 });
    expect(res.body.days90.breaches).to.deep.equal([]);
    expect(res.body.thresholds).to.have.property('cancelRateMax');
    expect(res.body.points).to.equal(2);
    expect(res.body.penalties.map((p: { metric: string }) => p.metric)).to.deep.equal(['cancelRate', 'lateShipmentRate']);
    expect(res.body.restrictions).to.have.length(1);
    expect(res.body.restrictions[0]).to.include({ kind: 'no_campaigns', level: 3, active: true });
    expect(res.body.restrictions[0].appeal).to.include({ status: 'pending', text: 'We shipped on time' });
    expect(res.body.restrictions[0].appeal).to.not.have.property('decidedBy');
    expect(res.body.active).to.deep.equal(['no_campaigns']);

    const theirs = await kit.get(`${S}/scorecard`, { token: b.owner });
    expect(theirs.status).to.equal(200);
    expect(theirs.body).to.include({ storeId: b.storeId, days30: null, days90: null, points: 0 });
    expect(theirs.body.restrictions).to.deep.equal([]);
    expect(theirs.text).to.not.include(a.storeId).and.not.include('We shipped on time');
  });

  it('lists its own change requests a page at a time, filtered by status; the cursor and the filter are checked', async () => {
    const more = [await pendingChange(a, 'Longjing'), await pendingChange(a, 'Tieguanyin')];
    const first = await kit.get(`${S}/changes?limit=2`, { token: a.owner });
    expect(first.status, first.text).to.equal(200);
    expect(first.body.items.map((c: { id: string }) => c.id)).to.deep.equal([more[1], more[0]]);
    expect(first.body.items[0]).to.not.have.property('reviewerId');
    expect(first.body.nextCursor).to.be.a('string');
    const second = await kit.get(`${S}/changes?limit=2&cursor=${first.body.nextCursor}`, { token: a.owner });
    expect(second.body.items.map((c: { id: string }) => c.id)).to.deep.equal([aChange]);
    expect(second.body.nextCursor).to.equal(null);
    const all = JSON.stringify([...first.body.items, ...second.body.items]);
    expect(all).to.not.include(bChange);
    const confirmed = await kit.get(`${S}/changes?status=confirmed`, { token: a.owner });
    expect(confirmed.body.items).to.deep.equal([]);
    for (const bad of ['status=open', 'limit=0', 'limit=101', 'cursor=not-a-cursor', 'extra=1']) {
      const res = await kit.get(`${S}/changes?${bad}`, { token: a.owner });
      expect(res.status, bad).to.equal(400);
      expect(res.headers.get('content-type'), bad).to.match(/application\/problem\+json/);
    }
    for (const id of more) expect((await kit.post(`${S}/changes/${id}/cancel`, {}, { token: a.owner })).status).to.equal(200);
  });

  it("cancels a pending change of its own (audited); a second cancel is 409; another store's change is 404 and stays pending", async () => {
    const theirs = await kit.post(`${S}/changes/${bChange}/cancel`, {}, { token: a.owner });
    expect(theirs.status, theirs.text).to.equal(404);
    expect(theirs.body.code).to.equal('CHANGE_NOT_FOUND');
    expect((await db()('onboarding_product_changes').where('id', bChange).first()).status).to.equal('pending');
    expect((await kit.post(`${S}/changes/not-an-id/cancel`, {}, { token: a.owner })).status).to.equal(400);

    const ok = await kit.post(`${S}/changes/${aChange}/cancel`, {}, { token: a.owner });
    expect(ok.status, ok.text).to.equal(200);
    expect(ok.body).to.include({ id: aChange, status: 'canceled' });
    expect(await db()('audit_log').where({ action: 'onboarding.change.canceled', tenant_id: a.storeId })).to.have.length.greaterThan(0);
    const again = await kit.post(`${S}/changes/${aChange}/cancel`, {}, { token: a.owner });
    expect(again.status).to.equal(409);
    expect(again.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(again.body).to.include({ code: 'CHANGE_ALREADY_DECIDED', changeStatus: 'canceled' });
    const canceled = await kit.get(`${S}/changes?status=canceled`, { token: a.owner });
    expect(canceled.body.items.map((c: { id: string }) => c.id)).to.include(aChange);
    // The reviewers' queue no longer has it.
    const queue = await kit.get(`/platform/v1/onboarding/changes?storeId=${a.storeId}`, { token: rev });
    expect(queue.body.items.map((c: { id: string }) => c.id)).to.not.include(aChange);
  });

  it('is in the OpenAPI document with its problem codes', async () => {
    const doc = (await kit.get('/openapi.json')).body;
    const cancel = doc.paths['/admin/v1/onboarding/changes/{id}/cancel'].post;
    expect(cancel.responses['404']['x-codes']).to.include('CHANGE_NOT_FOUND');
    expect(cancel.responses['409']['x-codes']).to.include('CHANGE_ALREADY_DECIDED');
    expect(cancel.responses['403']['x-codes']).to.include('PERMISSION_DENIED');
    const list = doc.paths['/admin/v1/onboarding/changes'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).to.include.members(['status', 'limit', 'cursor']);
    expect(list.responses['400']['x-codes']).to.include('INVALID_CURSOR');
    expect(doc.paths['/admin/v1/onboarding/scorecard'].get.responses['200']).to.have.property('content');
    expect(doc.paths['/admin/v1/me'].get.responses['200'].content['application/json'].schema.required).to.include('platformPlugins');
  });

  it('a viewer reads but may not cancel; the staff role (no onboarding permission) gets 403 on every route', async () => {
    const viewer = await staffToken(b, 'viewer');
    expect((await kit.get(`${S}/scorecard`, { token: viewer })).status).to.equal(200);
    expect((await kit.get(`${S}/changes`, { token: viewer })).status).to.equal(200);
    const denied = await kit.post(`${S}/changes/${bChange}/cancel`, {}, { token: viewer });
    expect(denied.status).to.equal(403);
    expect(denied.body).to.include({ code: 'PERMISSION_DENIED', permission: 'onboarding:write' });
    const staff = await staffToken(b, 'staff');
    for (const [method, path] of [['GET', `${S}/scorecard`], ['GET', `${S}/changes`], ['POST', `${S}/changes/${bChange}/cancel`]]) {
      const res = await kit.request(method, path, { token: staff, body: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).to.equal(403);
      expect(res.body.code).to.equal('PERMISSION_DENIED');
    }
    expect((await db()('onboarding_product_changes').where('id', bChange).first()).status).to.equal('pending');
    // Without a sign-in: 401.
    expect((await kit.get(`${S}/scorecard`, { tenant: b.slug })).status).to.equal(401);
  });
});
