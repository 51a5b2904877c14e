// A database that says "not now" (connection refused or lost, a Galera node leaving its cluster,
// a deadlock) answers 503 with Retry-After, not 500; a real SQL error stays a 500 (a bug).
import { expect } from 'chai';
import { definePlugin, route } from '@bazaar/sdk';
import { startTestKit, type TestKit } from '../../core/plugins/testkit.js';
import { createKnex, type Knex } from '../../core/db/knex.js';
import { transientDatabaseError } from '../../core/errors.js';

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected the query to fail');
}

describe('transient database errors', function () {
  this.timeout(60_000);
  let dead: Knex;
  let kit: TestKit;

  before(async () => {
    // Port 1 on loopback: nothing listens, the driver's connect is refused (a real mysql2 error).
    dead = createKnex('mysql://nobody:none@127.0.0.1:1/nothing?pool=1');
    const flaky = definePlugin({
      name: 'flaky',
      version: '0.1.0',
      core: '>=0.1.0',
      register(api) {
        api.routes.store(
          route({ method: 'GET', path: '/down', summary: 'Reads a database that refuses connections', access: 'public', responses: { 200: { type: 'object' } }, handler: async () => ({ rows: await dead.raw('select 1') }) }),
          route({ method: 'GET', path: '/broken', summary: 'Runs SQL the database refuses', access: 'public', responses: { 200: { type: 'object' } }, handler: async ({ ctx }) => ({ rows: await ctx.kernel.pool.control.raw('select * from no_such_table_here') }) }),
        );
      },
    });
    kit = await startTestKit({ plugin: flaky });
  });
  after(async () => {
    await kit?.close();
    await dead?.destroy();
  });

  it('maps refused or lost connections, WSREP-not-ready, deadlocks and pool timeouts to 503 DATABASE_UNAVAILABLE', async () => {
    const refused = await errorOf(() => dead.raw('select 1'));
    expect(transientDatabaseError(refused)?.status).to.equal(503);
    for (const native of [{ errno: 1047, code: 'ER_UNKNOWN_COM_ERROR' }, { errno: 1213, code: 'ER_LOCK_DEADLOCK' }, { code: 'PROTOCOL_CONNECTION_LOST' }, { code: 'SQLITE_BUSY' }]) {
      const wrapped = Object.assign(new Error('db'), { name: 'DBError', nativeError: Object.assign(new Error('native'), native) });
      expect(transientDatabaseError(wrapped)?.code, JSON.stringify(native)).to.equal('DATABASE_UNAVAILABLE');
    }
    expect(transientDatabaseError(Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }))?.status).to.equal(503);
    // A node gone inside a transaction: knex's ROLLBACK on the closed connection fails with
    // mysql2's fatal error (no code), which replaces the error that caused it.
    const closed = Object.assign(new Error("ROLLBACK - Can't add new command when connection is in closed state"), { fatal: true });
    expect(transientDatabaseError(closed)?.code).to.equal('DATABASE_UNAVAILABLE');
    expect(transientDatabaseError(Object.assign(new Error('not fatal'), { fatal: false })), 'only a fatal one').to.equal(null);
    const syntax = await errorOf(() => kit.kernel.pool.control.raw('select * from no_such_table_here'));
    expect(transientDatabaseError(syntax), 'a missing table is a bug, not a pause').to.equal(null);
  });

  it('answers 503 with Retry-After over HTTP, and 500 for a real SQL error', async () => {
    const shop = await kit.tenant({ enable: ['flaky'] });
    const down = await kit.get('/store/v1/flaky/down', { tenant: shop.slug });
    expect(down.status).to.equal(503);
    expect(down.headers.get('retry-after')).to.equal('1');
    expect(down.headers.get('content-type')).to.contain('application/problem+json');
    expect(down.body).to.include({ code: 'DATABASE_UNAVAILABLE', status: 503 });
    const broken = await kit.get('/store/v1/flaky/broken', { tenant: shop.slug });
    expect(broken.status).to.equal(500);
    expect(broken.body.code).to.equal('INTERNAL');
  });
});
