// core/db/batching.ts: inside a MariaDB transaction, BEGIN and deferred writes ride with the next
// statement. Checked on a real connection (one, so a leftover transaction would show on the next
// user): what rides where, that a deferred write's failure rolls its transaction back wherever it
// surfaces (a COMMIT included), that a rollback drops what waits, and that SQLite runs each at once.
import { expect } from 'chai';
import { createKnex, type Knex } from '../../core/db/knex.js';
import { batchedRoundTrips, batchingCounts, deferWrite } from '../../core/db/batching.js';
import { usingMysql } from '../support/runtime.js';

const TABLE = 'batching_probe';

async function errorOf(run: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await run();
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected it to fail');
}

describe('batching: BEGIN and deferred writes ride with the next statement', function () {
  let db: Knex;
  const carried: string[][] = [];
  const listen = (sqls: string[]) => carried.push(sqls);
  const ids = async () => ((await db(TABLE).orderBy('id').select('id')) as { id: string }[]).map((r) => r.id);

  before(async function () {
    if (!usingMysql()) {
      // The SQLite case is its own test below.
      db = createKnex('sqlite::memory:');
    } else {
      // One connection: a transaction left open by a failed COMMIT would be found by the next test.
      db = createKnex(`${process.env.DATABASE_URL}${process.env.DATABASE_URL!.includes('?') ? '&' : '?'}pool=1`);
    }
    await db.schema.dropTableIfExists(TABLE);
    await db.schema.createTable(TABLE, (t) => {
      t.string('id', 36).primary();
      t.integer('n').notNullable();
    });
    batchedRoundTrips.on('sent', listen);
  });
  beforeEach(async () => {
    carried.length = 0;
    await db(TABLE).delete();
  });
  after(async () => {
    batchedRoundTrips.off('sent', listen);
    await db?.schema.dropTableIfExists(TABLE);
    await db?.destroy();
  });

  describe('on MariaDB', () => {
    before(function () {
      if (!usingMysql()) this.skip(); // needs DATABASE_URL=mysql://… (the MariaDB + Redis run has it)
    });

    it('sends BEGIN with the first statement and deferred writes with the next, in order, and reads see them', async () => {
      const trips = batchingCounts.roundTrips;
      const seen = await db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'b', n: 2 }));
        await deferWrite({ db: trx }, trx(TABLE).where({ id: 'a' }).update({ n: 10 }));
        return trx(TABLE).orderBy('id').select('id', 'n');
      });
      expect(seen).to.deep.equal([{ id: 'a', n: 10 }, { id: 'b', n: 2 }]);
      expect(carried.map((c) => c.length)).to.deep.equal([2, 3]);
      expect(carried[0][0]).to.equal('BEGIN');
      expect(carried[1][0]).to.match(/^insert into `batching_probe`/);
      expect(carried[1][1]).to.match(/^update `batching_probe`/);
      // the insert, the read, the COMMIT: BEGIN and the deferred writes took none of their own
      expect(batchingCounts.roundTrips - trips).to.equal(3);
      expect(await ids()).to.deep.equal(['a', 'b']);
    });

    it('a COMMIT carries what still waits', async () => {
      await db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'b', n: 2 }));
      });
      expect(carried.at(-1)).to.have.length(2);
      expect(carried.at(-1)![1]).to.equal('COMMIT;');
      expect(await ids()).to.deep.equal(['a', 'b']);
    });

    it("a deferred write's failure is thrown by the statement that carried it, with its code, and nothing of the transaction stays", async () => {
      await db(TABLE).insert({ id: 'x', n: 0 });
      const err = await errorOf(() => db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'x', n: 2 })); // duplicate key
        await trx(TABLE).select('id');
      }));
      expect(err.code).to.equal('ER_DUP_ENTRY');
      expect(await ids()).to.deep.equal(['x']);
    });

    it('a failure carried by the COMMIT rolls back there: the next transaction on the same connection does not commit it', async () => {
      await db(TABLE).insert({ id: 'x', n: 0 });
      const err = await errorOf(() => db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'x', n: 2 }));
      }));
      expect(err.code).to.equal('ER_DUP_ENTRY');
      // The pool's one connection: were the transaction still open, this BEGIN would commit 'a'.
      await db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'c', n: 3 });
      });
      expect(await ids()).to.deep.equal(['c', 'x']);
    });

    it('a rollback drops what waits; a savepoint rolled back drops only its own', async () => {
      await errorOf(() => db.transaction(async (trx) => {
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'a', n: 1 }));
        throw new Error('changed my mind');
      }));
      expect(await ids()).to.deep.equal([]);
      await db.transaction(async (trx) => {
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'outer', n: 1 }));
        await errorOf(() => trx.transaction(async (inner) => {
          await deferWrite({ db: inner }, inner(TABLE).insert({ id: 'inner', n: 2 }));
          throw new Error('not this part');
        }));
      });
      expect(await ids()).to.deep.equal(['outer']);
    });

    it('in a savepoint a deferred write runs at once: its failure is the savepoint\'s, undone with it', async () => {
      await db(TABLE).insert({ id: 'x', n: 0 });
      await db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'outer', n: 1 });
        const err = await errorOf(() => trx.transaction(async (inner) => {
          await inner(TABLE).insert({ id: 'inner', n: 2 });
          await deferWrite({ db: inner }, inner(TABLE).insert({ id: 'x', n: 3 })); // duplicate key
        }));
        expect(err.code).to.equal('ER_DUP_ENTRY');
      });
      expect(await ids()).to.deep.equal(['outer', 'x']);
    });

    it('a transaction that ran nothing sends nothing, with a mode or without, and leaves no mode behind', async () => {
      const trips = batchingCounts.roundTrips;
      await db.transaction(async () => undefined);
      await db.transaction(async () => undefined, { readOnly: true });
      await db.transaction(async () => undefined, { isolationLevel: 'read uncommitted' });
      expect(batchingCounts.roundTrips - trips).to.equal(0);
      // The pool's one connection: a pending READ ONLY would refuse these writes.
      await db(TABLE).insert({ id: 'after', n: 1 });
      await db.transaction(async (trx) => trx(TABLE).insert({ id: 'after-tx', n: 2 }));
      expect(await ids()).to.deep.equal(['after', 'after-tx']);
    });

    it('a read-only transaction carries its mode with its first statement', async () => {
      const err = await errorOf(() => db.transaction(async (trx) => trx(TABLE).insert({ id: 'ro', n: 1 }), { readOnly: true }));
      expect(err.code).to.equal('ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION');
      expect(carried[0].slice(0, 2)).to.deep.equal(['SET TRANSACTION READ ONLY', 'BEGIN']);
      expect(await ids()).to.deep.equal([]);
    });

    it("a deferred write's failure caught by the caller does not let the transaction commit without it; the carrier's own failure does", async () => {
      await db(TABLE).insert({ id: 'x', n: 0 });
      const err = await errorOf(() => db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'x', n: 2 })); // duplicate key
        const caught = await errorOf(() => trx(TABLE).insert({ id: 'b', n: 3 }));
        expect(caught.code, String(caught.stack)).to.equal('ER_DUP_ENTRY');
        expect(caught.message).to.match(/statement 1 of 2 sent together: a deferred write/);
      }));
      expect(err.code, String(err.stack)).to.equal('ER_DUP_ENTRY');
      expect(await ids()).to.deep.equal(['x']);

      await db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'b', n: 2 }));
        const own = await errorOf(() => trx(TABLE).insert({ id: 'x', n: 3 })); // the carrier's own duplicate
        expect(own.message).to.match(/statement 2 of 2 sent together: this statement/);
      });
      expect(await ids()).to.deep.equal(['a', 'b', 'x']);
    });

    it("a failure carried by the COMMIT that MariaDB names like a missing savepoint still fails the transaction (knex ignores that code on a COMMIT)", async () => {
      const err = await errorOf(() => db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx.raw('do bazaar_no_such_function()'));
      }));
      expect(err.code).to.equal('ER_DEFERRED_WRITE_FAILED');
      expect(await ids()).to.deep.equal([]);
    });

    it('a query with a timeout, and a stream, carry nothing: what waits goes first', async () => {
      await db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'a', n: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'b', n: 2 }));
        carried.length = 0;
        expect(await trx(TABLE).count({ c: '*' }).first().timeout(5_000)).to.deep.equal({ c: 2 });
        expect(carried).to.have.length(1);
        expect(carried[0]).to.have.length(1);
        expect(carried[0][0]).to.match(/^insert into `batching_probe`/);
      });
      await db(TABLE).insert({ id: 'x', n: 0 });
      const streamed = await errorOf(() => db.transaction(async (trx) => {
        await trx(TABLE).insert({ id: 'c', n: 3 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'x', n: 4 })); // duplicate key
        await new Promise((resolve, reject) => {
          const stream = trx(TABLE).select('id').stream();
          stream.on('error', reject).on('end', resolve).resume();
        });
      }));
      expect(streamed.code).to.equal('ER_DUP_ENTRY');
      expect(await ids()).to.deep.equal(['a', 'b', 'x']);
    });

    it('refuses a deferred write on a finished transaction, and skips an empty one', async () => {
      let done: Knex.Transaction | undefined;
      await db.transaction(async (trx) => {
        done = trx;
        await deferWrite({ db: trx }, trx(TABLE).insert([]));
        await trx(TABLE).insert({ id: 'a', n: 1 });
      });
      const err = await errorOf(() => deferWrite({ db: done! }, done!(TABLE).insert({ id: 'late', n: 2 })));
      expect(err.message).to.match(/already finished/);
      expect(await ids()).to.deep.equal(['a']);
    });

    it('outside a transaction a deferred write runs at once', async () => {
      await deferWrite({ db }, db(TABLE).insert({ id: 'now', n: 1 }));
      expect(await ids()).to.deep.equal(['now']);
      expect(carried).to.deep.equal([]);
    });
  });

  it('on SQLite each runs at once, in the transaction', async () => {
    const lite = createKnex('sqlite::memory:');
    try {
      await lite.schema.createTable(TABLE, (t) => {
        t.string('id', 36).primary();
        t.integer('n').notNullable();
      });
      const err = await errorOf(() => lite.transaction(async (trx) => {
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'a', n: 1 }));
        expect(await trx(TABLE).count({ c: '*' }).first()).to.deep.equal({ c: 1 });
        await deferWrite({ db: trx }, trx(TABLE).insert({ id: 'a', n: 2 }));
      }));
      expect(err.message).to.match(/UNIQUE/);
      expect(await lite(TABLE).select('id')).to.deep.equal([]);
    } finally {
      await lite.destroy();
    }
  });
});
