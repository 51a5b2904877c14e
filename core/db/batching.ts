// Fewer round trips inside a MariaDB transaction (issue 27). On these 2-core VMs each statement
// sent costs the app a loopback write and a wakeup of the server's thread, whatever the statement
// does. Two things ride with the transaction's next statement instead of a round trip of their own:
//   - knex's opening (`BEGIN`, and `SET TRANSACTION` before it for a mode): the first statement
//     carries it; a transaction that ran nothing sends nothing;
//   - a write whose result nobody reads (deferWrite(): the order's rows, its timeline, the outbox
//     event), queued in the order written.
// They go as one multi-statement query (mysql2 `multipleStatements`), executed in order; the
// carrier's own result is handed back as if it had been sent alone. The server stops at the first
// failing statement, and mysql2 says which one it was:
//   - the carrier's own failure is its own: what waited was written, and a caller that catches the
//     error and goes on is where it would have been without batching;
//   - a deferred write's failure is thrown by the carrier (with its code: a unique violation, a
//     deadlock for retryOnDeadlock) and the transaction may no longer commit: if the caller caught
//     the error and went on, its COMMIT rolls back and throws that error instead.
// A COMMIT carries what still waits; if that fails, the transaction is rolled back here before the
// error is thrown (the connection must not go back to the pool inside an open transaction). A
// ROLLBACK drops what waits. A query with a timeout, and a stream, carry nothing: what waits goes
// first on its own. In a savepoint (a nested knex transaction) deferWrite runs at once.
// Every statement still comes from knex with its bindings escaped by mysql2; nothing is joined
// from text a user sent. But with `multipleStatements` on, SQL built by pasting in a value would
// let an injection stack statements: values go in bindings, always (they do everywhere today).
// SQLite (one in-process connection, no round trips) runs each write at once.
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';

interface Statement { sql: string; bindings?: readonly unknown[]; /** knex's SET TRANSACTION or BEGIN, queued with the first statement */ opening?: boolean }
interface QueryObject extends Statement { options?: Record<string, unknown>; response?: [unknown, unknown] }
interface Connection { config?: { multipleStatements?: boolean } }

type MySQL2ClientClass = new (config: Knex.Config) => {
  _query(connection: Connection, obj: QueryObject | string): Promise<QueryObject | undefined>;
  _stream(connection: Connection, obj: QueryObject, stream: unknown, options: unknown): Promise<unknown>;
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown>;
};

const require = createRequire(import.meta.url);
const Client_MySQL2 = require('knex/lib/dialects/mysql2/index.js') as MySQL2ClientClass;

/** What each connection has waiting for its next statement. */
const queued = new WeakMap<Connection, Statement[]>();

/** Each round trip a batching client made with more than one statement (for bench/ traces; emitted only when listened to). */
export const batchedRoundTrips = new EventEmitter<{ sent: [statements: string[]] }>();

/** Counted by every batching client of the process (bench/): queries sent to the server, and writes queued by deferWrite. */
export const batchingCounts = { roundTrips: 0, deferred: 0 };

const OK = { affectedRows: 0, insertId: 0, warningStatus: 0 };

/** knex's opening of a transaction: `SET TRANSACTION <mode>;` (readOnly, isolationLevel), then `BEGIN;`. */
function opensTransaction(sql: string): boolean {
  return sql === 'BEGIN;' || /^SET TRANSACTION\b/.test(sql);
}

/** A connection whose transaction lost a deferred write: it may not commit (cleared by its ROLLBACK). */
const doomed = new WeakMap<Connection, Error>();

type Logger = { warn?: (message: string) => void };
type MySQL2Connection = Connection & {
  query(options: Record<string, unknown>, values: readonly unknown[] | undefined, cb: (err: (Error & { code?: string }) | null, rows: unknown, fields: unknown) => void): { _resultIndex?: number };
};

export class BatchingMySQL2Client extends Client_MySQL2 {
  declare logger: Logger;

  override async _query(connection: Connection, input: QueryObject | string): Promise<QueryObject | undefined> {
    const obj: QueryObject & { timeout?: number } = typeof input === 'string' ? { sql: input } : input;
    // Only on connections opened with multipleStatements (createKnex's); a knex of a test's own runs each as sent.
    if (!connection.config?.multipleStatements) return super._query(connection, obj);
    const sql = obj.sql;
    if (opensTransaction(sql)) {
      const waiting = queued.get(connection) ?? [];
      if (waiting.some((s) => !s.opening)) {
        // Cannot happen (deferWrite refuses a finished transaction, a released connection is cleared); never carried into another transaction.
        this.logger.warn?.(`batching: ${waiting.length} deferred statements found on a connection opening a transaction; dropped`);
        waiting.length = 0;
      }
      waiting.push({ sql: sql.replace(/;$/, ''), opening: true });
      queued.set(connection, waiting);
      obj.response = [OK, undefined];
      return obj;
    }
    const isCommit = /^COMMIT\b/i.test(sql);
    if (/^ROLLBACK\b/i.test(sql)) {
      // Rolled back: what waits is dropped (to a savepoint: nothing waits there, as the SAVEPOINT carried it).
      if (!/SAVEPOINT/i.test(sql)) doomed.delete(connection);
      queued.delete(connection);
      batchingCounts.roundTrips++;
      return super._query(connection, obj);
    }
    const lost = doomed.get(connection);
    if (lost && isCommit) {
      // A deferred write failed and the caller went on (it caught the error of the statement that
      // carried it): the transaction is rolled back, not committed without that write.
      doomed.delete(connection);
      queued.delete(connection);
      batchingCounts.roundTrips++;
      await super._query(connection, { sql: 'ROLLBACK' }).catch(() => undefined);
      throw renamedForKnex(lost);
    }
    const waiting = queued.get(connection);
    if (!waiting?.length) {
      batchingCounts.roundTrips++;
      return super._query(connection, obj);
    }
    queued.delete(connection);
    if (isCommit && waiting.every((s) => s.opening)) {
      // A transaction that ran no statement: nothing was begun on the server, nor its mode set.
      obj.response = [OK, undefined];
      return obj;
    }
    if (obj.timeout) {
      // A query with a timeout may be killed (KILL QUERY) when late: it carries nothing, so what
      // waits is not cut short with it. What waits goes first, on its own.
      await this.send(connection, waiting, undefined);
      batchingCounts.roundTrips++;
      return super._query(connection, obj);
    }
    const [rows, fields] = await this.send(connection, waiting, obj, isCommit);
    obj.response = [rows[rows.length - 1], fields?.[fields.length - 1]];
    return obj;
  }

  override async _stream(connection: Connection, obj: QueryObject, stream: { emit(event: 'error', err: unknown): unknown }, options: unknown): Promise<unknown> {
    // A streamed query cannot carry others: what waits goes first, on its own.
    const waiting = queued.get(connection);
    if (waiting?.length) {
      queued.delete(connection);
      try {
        await this.send(connection, waiting, undefined);
      } catch (err) {
        // The stream's reader hears of it (knex's runner would leave it waiting for an end).
        stream.emit('error', err);
        throw err;
      }
    }
    return super._stream(connection, obj, stream, options);
  }

  /** A connection goes back to the pool with nothing queued on it (deferWrite refuses a finished transaction; this is the backstop). */
  override async releaseConnection(connection: Connection): Promise<unknown> {
    const waiting = queued.get(connection);
    doomed.delete(connection);
    if (waiting?.length) {
      queued.delete(connection);
      if (waiting.some((s) => !s.opening)) this.logger.warn?.(`batching: ${waiting.length} deferred statements left on a connection released to the pool; dropped`);
    }
    return super.releaseConnection(connection);
  }

  /**
   * Sends what waits, then `carrier` if any, as one query; resolves with every statement's result.
   * On a failure the server stops there, and mysql2's command says which statement it was: one of
   * the waiting ones dooms the transaction (it may not commit); the carrier's own is its own, as if
   * sent alone (what waited was written). A COMMIT that did not run is rolled back here.
   */
  private send(connection: Connection, waiting: Statement[], carrier: QueryObject | undefined, isCommit = false): Promise<[unknown[], unknown[] | undefined]> {
    const statements = carrier ? [...waiting, carrier] : waiting;
    const sql = statements.map((s) => s.sql).join(';\n');
    const bindings = statements.flatMap((s) => s.bindings ?? []);
    if (batchedRoundTrips.listenerCount('sent')) batchedRoundTrips.emit('sent', statements.map((s) => s.sql));
    batchingCounts.roundTrips++;
    return new Promise((resolve, reject) => {
      const command = (connection as MySQL2Connection).query({ ...carrier?.options, sql }, bindings, (err, rows, fields) => {
        if (!err) {
          // A result a statement (with a carrier there are two or more; without one, nobody reads them).
          resolve([rows as unknown[], fields as unknown[] | undefined]);
          return;
        }
        const at = command._resultIndex ?? 0;
        const deferredFailed = at < waiting.length;
        // Not its values: mysql2's `sql` has them inlined (the order's email and address); the batch's text names the statement.
        Object.assign(err, { sql, message: `${err.message} (statement ${at + 1} of ${statements.length} sent together: ${deferredFailed ? 'a deferred write of the transaction' : 'this statement, after the transaction\'s deferred writes'})` });
        if (deferredFailed) doomed.set(connection, err);
        if (!isCommit) {
          reject(err);
          return;
        }
        // The COMMIT did not run: end the transaction here, not on the next user of the connection.
        doomed.delete(connection);
        batchingCounts.roundTrips++;
        (connection as MySQL2Connection).query({ sql: 'ROLLBACK' }, undefined, () => reject(renamedForKnex(err)));
      });
    });
  }
}

/**
 * MariaDB's "no such savepoint" code on a COMMIT is taken by knex's transaction for an implicit
 * commit and ignored; a deferred write's error with that code (a call of a missing function) is
 * renamed, so the transaction is not reported committed. The driver's error is the `cause`.
 */
function renamedForKnex(err: Error & { code?: string }): Error {
  if (err.code !== 'ER_SP_DOES_NOT_EXIST') return err;
  return Object.assign(new Error(err.message, { cause: err }), { code: 'ER_DEFERRED_WRITE_FAILED', sqlMessage: (err as { sqlMessage?: string }).sqlMessage });
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
    // As knex refuses a query on a finished transaction: queued, it would ride with whatever the
    // connection runs next, for whoever has it.
    if (trx.isCompleted()) throw new Error('deferWrite: the transaction has already finished; the write was not made');
    // In a savepoint (a nested knex transaction; the core's withTransaction never makes one) it
    // runs at once: what waits when a savepoint ends would otherwise be carried across its end.
    if ((trx as Knex.Transaction & { parentTransaction?: unknown }).parentTransaction) {
      await query;
      return;
    }
    const connection = await client.acquireConnection();
    if (connection.config?.multipleStatements) {
      const { sql, bindings } = query.toSQL().toNative();
      if (!sql) return; // nothing to write (an insert of no rows)
      batchingCounts.deferred++;
      const waiting = queued.get(connection);
      if (waiting) waiting.push({ sql, bindings });
      else queued.set(connection, [{ sql, bindings }]);
      return;
    }
  }
  await query;
}
