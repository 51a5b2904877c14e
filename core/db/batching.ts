// Fewer round trips inside a MariaDB transaction (issue 27). On these 2-core VMs each statement
// sent costs the app a loopback write and a wakeup of the server's thread (a quarter of the
// checkout's app CPU was the socket write alone), whatever the statement does. Two things ride
// with the transaction's next statement instead of taking a round trip of their own:
//   - knex's BEGIN (every transaction's first statement carries it);
//   - a write whose result nobody reads (deferWrite(): the order's rows, its timeline, the outbox
//     event), queued in the order written.
// They go as one multi-statement query (mysql2 `multipleStatements`), executed in order; the
// carrier statement's own result is handed back as if sent alone. The server stops at the first
// failing statement, so a deferred write's error (a unique violation, a deadlock) is thrown by the
// statement that carried it, with its code, and the transaction rolls back as for any error. A
// COMMIT with writes still queued carries them too; if one fails, the transaction is rolled back
// here before the error is thrown (the COMMIT never ran, and the connection must not go back to
// the pool inside an open transaction); a savepoint's RELEASE likewise rolls back to the savepoint.
// A ROLLBACK drops what is queued.
// Every statement still comes from knex with its bindings escaped by mysql2; nothing is joined
// from text a user sent. SQLite (one in-process connection, no round trips) runs each at once.
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';

interface Statement { sql: string; bindings?: readonly unknown[] }
interface QueryObject extends Statement { options?: Record<string, unknown>; response?: [unknown, unknown] }
interface Connection { config?: { multipleStatements?: boolean } }

type MySQL2ClientClass = new (config: Knex.Config) => {
  _query(connection: Connection, obj: QueryObject | string): Promise<QueryObject | undefined>;
  _stream(connection: Connection, obj: QueryObject, stream: unknown, options: unknown): Promise<unknown>;
  acquireConnection(): Promise<Connection>;
};

const require = createRequire(import.meta.url);
const Client_MySQL2 = require('knex/lib/dialects/mysql2/index.js') as MySQL2ClientClass;

/** What each connection has waiting for its next statement. */
const queued = new WeakMap<Connection, Statement[]>();

/** Each round trip a batching client made with more than one statement (for bench/ traces; emitted only when listened to). */
export const batchedRoundTrips = new EventEmitter<{ sent: [statements: string[]] }>();

/** Counted by every batching client of the process (bench/): queries sent to the server, and writes queued by deferWrite. */
export const batchingCounts = { roundTrips: 0, deferred: 0 };

const BEGIN: Statement = { sql: 'BEGIN' };
const OK = { affectedRows: 0, insertId: 0, warningStatus: 0 };

function isBegin(sql: string): boolean {
  return sql === 'BEGIN;';
}

export class BatchingMySQL2Client extends Client_MySQL2 {
  override async _query(connection: Connection, input: QueryObject | string): Promise<QueryObject | undefined> {
    const obj: QueryObject = typeof input === 'string' ? { sql: input } : input;
    // Only on connections opened with multipleStatements (createKnex's); a knex of a test's own runs each as sent.
    if (!connection.config?.multipleStatements) return super._query(connection, obj);
    batchingCounts.roundTrips++;
    const sql = obj.sql;
    if (isBegin(sql)) {
      batchingCounts.roundTrips--;
      queued.set(connection, [BEGIN]);
      obj.response = [OK, undefined];
      return obj;
    }
    const waiting = queued.get(connection);
    if (!waiting?.length) return super._query(connection, obj);
    queued.delete(connection);
    // Rolled back (to a savepoint: whatever waits was queued after it, as the SAVEPOINT carried the rest).
    if (/^ROLLBACK\b/i.test(sql)) return super._query(connection, obj);
    if (/^COMMIT\b/i.test(sql) && waiting.length === 1 && waiting[0] === BEGIN) {
      // A transaction that ran no statement: nothing was begun on the server.
      batchingCounts.roundTrips--;
      obj.response = [OK, undefined];
      return obj;
    }
    const carried: QueryObject = {
      ...obj,
      sql: [...waiting.map((s) => s.sql), sql].join(';\n'),
      bindings: [...waiting.flatMap((s) => s.bindings ?? []), ...(obj.bindings ?? [])],
    };
    if (batchedRoundTrips.listenerCount('sent')) batchedRoundTrips.emit('sent', [...waiting.map((s) => s.sql), sql]);
    let out: QueryObject | undefined;
    try {
      out = await super._query(connection, carried);
    } catch (err) {
      // The COMMIT did not run: end the transaction here, not on the next user of the connection.
      // A savepoint's RELEASE did not run: undo the savepoint's work, as its failing write would
      // have had it undone had it been sent alone (the caller may catch the error and go on).
      const undo = /^COMMIT\b/i.test(sql) ? 'ROLLBACK' : /^RELEASE SAVEPOINT (\w+)/i.exec(sql)?.[1];
      if (undo) {
        batchingCounts.roundTrips++;
        await super._query(connection, { sql: undo === 'ROLLBACK' ? undo : `ROLLBACK TO SAVEPOINT ${undo}` }).catch(() => undefined);
      }
      throw err;
    }
    const [rows, fields] = out!.response as [unknown[], unknown[] | undefined];
    obj.response = [rows[rows.length - 1], fields?.[fields.length - 1]];
    return obj;
  }

  override async _stream(connection: Connection, obj: QueryObject, stream: unknown, options: unknown): Promise<unknown> {
    // A streamed query cannot carry others: what waits goes first, on its own.
    const waiting = queued.get(connection);
    if (waiting?.length) {
      queued.delete(connection);
      batchingCounts.roundTrips++;
      await super._query(connection, { sql: waiting.map((s) => s.sql).join(';\n'), bindings: waiting.flatMap((s) => s.bindings ?? []) });
    }
    return super._stream(connection, obj, stream, options);
  }
}

/**
 * Writes `query` in ctx's transaction without waiting for it: on a batching MariaDB connection it
 * is queued and sent with the transaction's next statement (at the latest its COMMIT); anywhere
 * else (SQLite, no transaction) it runs now. For writes whose result (rows affected, an id) is not
 * read; its error, if any, is thrown by the statement that carries it and rolls the transaction back.
 */
export async function deferWrite(ctx: { db: Knex }, query: Knex.QueryBuilder | Knex.Raw): Promise<void> {
  const trx = ctx.db as Knex.Transaction;
  const client = trx.client as unknown;
  if (trx.isTransaction && client instanceof BatchingMySQL2Client) {
    const connection = await client.acquireConnection();
    if (connection.config?.multipleStatements) {
      const { sql, bindings } = query.toSQL().toNative();
      batchingCounts.deferred++;
      const waiting = queued.get(connection);
      if (waiting) waiting.push({ sql, bindings });
      else queued.set(connection, [{ sql, bindings }]);
      return;
    }
  }
  await query;
}
