// A platform plugin's store-admin routes (api.actsFor, scopedTo): they answer only in the stores
// the plugin says it acts for (elsewhere, and when its answer throws, a 404 like no route), with
// ctx.db the control database and ctx.tenant the signed-in store, under the store's own roles;
// GET /admin/v1/me lists the plugin there; scopedTo filters on the store and fails closed.
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../core/plugins/testkit.js';
import { definePlugin } from '../../core/plugins/manifest.js';
import { BaseModel, scopedTo } from '../../core/db/model.js';
import { route } from '../../core/http/route.js';
import { TenantScopeError } from '../../core/errors.js';
import { newId } from '../../core/db/ids.js';

class Note extends BaseModel {
  static override tableName = 'steward_notes';
  static override timestamps = false;
  id!: string;
  storeId!: string;
  text!: string;
}

let kitRef: TestKit | undefined;

const steward = definePlugin({
  name: 'steward',
  version: '1.0.0',
  core: '^0.1.0',
  scope: 'platform',
  register(api) {
    api.actsFor(async (ctx) => {
      if (ctx.tenant.slug.startsWith('boom-')) throw new Error('the lookup failed');
      return ctx.tenant.slug.startsWith('yes-') && ctx.db === kitRef!.kernel.pool.control;
    });
    api.routes.admin(
      route({
        method: 'GET', path: '/notes', summary: "The store's own notes", access: 'staff',
        responses: { 200: { type: 'object', required: ['items', 'control'], properties: { items: { type: 'array' }, control: { type: 'boolean' } } } },
        async handler({ ctx }) {
          return { items: (await scopedTo(ctx, Note).orderBy('text')).map((n) => n.text), control: ctx.db === ctx.kernel.pool.control };
        },
      }),
    );
  },
});

describe('a platform plugin serving a store its own data (api.actsFor, scopedTo)', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let yes: KitTenant;
  let other: KitTenant;
  let boom: KitTenant;

  before(async () => {
    kit = await startTestKit({ plugins: [steward] });
    kitRef = kit;
    const db = kit.kernel.pool.control;
    await db.schema.createTable('steward_notes', (t) => {
      t.string('id', 36).primary();
      t.string('store_id', 36).notNullable();
      t.string('text', 100).notNullable();
    });
    yes = await kit.tenant({ slug: `yes-${newId().slice(-8)}` });
    other = await kit.tenant({ slug: `yes-${newId().slice(-8)}` });
    boom = await kit.tenant({ slug: `boom-${newId().slice(-8)}` });
    await db('steward_notes').insert([
      { id: newId(), store_id: yes.tenant.id, text: 'mine' },
      { id: newId(), store_id: other.tenant.id, text: 'theirs' },
    ]);
  });
  after(async () => {
    await kit?.kernel.pool.control.schema.dropTableIfExists('steward_notes');
    await kit?.close();
  });

  it("answers a store it acts for with that store's rows only, from the control database", async () => {
    const res = await kit.get('/admin/v1/steward/notes', { token: yes.ownerToken });
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.deep.equal({ items: ['mine'], control: true });
    const theirs = await kit.get('/admin/v1/steward/notes', { token: other.ownerToken });
    expect(theirs.body.items).to.deep.equal(['theirs']);
    expect((await kit.get('/admin/v1/me', { token: yes.ownerToken })).body.platformPlugins).to.deep.equal(['steward']);
  });

  it('is a 404 where it does not act, and where its answer throws (fail closed); /me leaves it out there', async () => {
    const no = await kit.tenant({ slug: `no-${newId().slice(-8)}` });
    for (const t of [no, boom]) {
      const res = await kit.get('/admin/v1/steward/notes', { token: t.ownerToken });
      expect(res.status, t.slug).to.equal(404);
      expect(res.body.code).to.equal('ROUTE_NOT_FOUND');
      expect((await kit.get('/admin/v1/me', { token: t.ownerToken })).body.platformPlugins, t.slug).to.deep.equal([]);
    }
    expect(kit.logs.some((l) => l.plugin === 'steward' && /acts for a store/.test(l.msg ?? ''))).to.equal(true);
  });

  it("takes the store's roles: the default steward:read permission; no sign-in is a 401", async () => {
    const email = `staff-${newId().slice(-8)}@${yes.slug}.test`;
    const made = await kit.post('/admin/v1/staff', { email, name: 'Staff', role: 'staff', password: 'a staff password 1' }, { token: yes.ownerToken });
    expect(made.status, made.text).to.equal(201);
    const login = await kit.post('/admin/v1/auth/login', { tenant: yes.slug, email, password: 'a staff password 1' });
    const denied = await kit.get('/admin/v1/steward/notes', { token: login.body.token });
    expect(denied.status).to.equal(403);
    expect(denied.body).to.include({ code: 'PERMISSION_DENIED', permission: 'steward:read' });
    expect((await kit.get('/admin/v1/steward/notes', { tenant: yes.slug })).status).to.equal(401);
  });

  it('scopedTo throws without a store, refuses inserts and filters updates on the store', async () => {
    const db = kit.kernel.pool.control;
    expect(() => scopedTo({ tenant: null, db }, Note)).to.throw(TenantScopeError);
    let refused: unknown;
    try {
      await scopedTo({ tenant: { id: yes.tenant.id }, db }, Note).insert({ id: newId(), storeId: yes.tenant.id, text: 'x' });
    } catch (err) {
      refused = err;
    }
    expect(refused).to.be.instanceOf(TenantScopeError);
    const n = await scopedTo({ tenant: { id: yes.tenant.id }, db }, Note).patch({ text: 'changed' });
    expect(n).to.equal(1);
    expect((await db('steward_notes').where('store_id', other.tenant.id).first()).text).to.equal('theirs');
  });
});
