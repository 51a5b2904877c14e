import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { connectionWatch, createKnex, STALL_MS, type Knex } from '../../core/db/knex.js';

describe("SQLite's one connection: the deadlock watch", function () {
  this.timeout(STALL_MS * 4);
  let db: Knex;
  let saved: ((message: string) => void)[];
  const seen: string[] = [];
  const see = (message: string) => seen.push(message);

  before(async () => {
    db = createKnex(`sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-watch-')), 'w.sqlite')}`);
    await db.schema.createTable('t', (t) => t.integer('n'));
    // The suite fails a test during which a stall is seen (test/setup.ts); this one makes them on purpose.
    saved = connectionWatch.listeners('stall') as typeof saved;
    connectionWatch.removeAllListeners('stall');
    connectionWatch.on('stall', see);
  });

  after(async () => {
    connectionWatch.off('stall', see);
    for (const l of saved) connectionWatch.on('stall', l);
    await db.destroy();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('names both places when a query inside a transaction goes around it to the database', async () => {
    let outside: Promise<unknown> | undefined;
    await db.transaction(async (trx) => {
      await trx('t').insert({ n: 1 });
      // The bug: the database instead of trx. Awaiting it would hang for knex's minute; the test
      // starts it (a builder runs when then() is called), waits for the report, then lets the
      // transaction end so that it can run.
      outside = db('t').count({ c: '*' }).then((rows) => rows);
      await new Promise<void>((resolve) => connectionWatch.once('stall', () => resolve()));
    });
    expect(((await outside) as { c: number }[])[0].c).to.equal(1);
    expect(seen).to.have.length(1);
    expect(seen[0]).to.match(/its own transaction holds/);
    expect(seen[0]).to.include('query outside its transaction').and.include('transaction begun').and.include('one-connection.test.ts');
  });

  it('stays quiet for queries through the transaction, and for work that only waits its turn after it', async () => {
    let after: Promise<unknown> | undefined;
    await db.transaction(async (trx) => {
      await trx('t').insert({ n: 2 });
      // Fire-and-forget work started inside the transaction, run once it has ended.
      after = db('t').count({ c: '*' }).then((rows) => rows);
    });
    expect(((await after) as { c: number }[])[0].c).to.equal(2);
    await new Promise((r) => setTimeout(r, STALL_MS + 200));
    expect(seen).to.deep.equal([]);
  });
});
