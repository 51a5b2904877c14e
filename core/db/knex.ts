// One knex per database URL and process. SQLite is the embedded default; mysql:// is production.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { projectRoot } from '../paths.js';
import { BatchingMySQL2Client } from './batching.js';

export type { Knex };

export function isSqlite(db: Knex): boolean {
  return db.client.config.client === 'better-sqlite3';
}

export function createKnex(url: string): Knex {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const filename = file === ':memory:' ? ':memory:' : path.resolve(projectRoot, file);
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
    return watchOneConnection(knex({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // One connection: better-sqlite3 is synchronous, and a single writer avoids SQLITE_BUSY.
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('foreign_keys = ON');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        },
      },
    }));
  }
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const socketPath = u.searchParams.get('socket') ?? undefined;
  return knex({
    // mysql2, with BEGIN and deferred writes riding on a transaction's next statement (batching.ts).
    client: BatchingMySQL2Client as unknown as typeof knex.Client,
    connection: {
      host: socketPath ? undefined : u.hostname,
      port: u.port ? Number(u.port) : 3306,
      socketPath,
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.replace(/^\//, ''),
      charset: 'utf8mb4',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: true,
      // For batching.ts only: several statements of one transaction in one round trip.
      multipleStatements: true,
    },
    pool: { min: 0, max: Number(u.searchParams.get('pool') ?? 10) },
  });
}

/**
 * What the watch of a one-connection database saw: `stall` with a message naming the query that
 * waited and the transaction that held the connection. The kernel logs it; the tests fail on it.
 */
export const connectionWatch = new EventEmitter<{ stall: [message: string] }>();

/** A query waiting this long for the one connection while its own transaction holds it is a deadlock. */
export const STALL_MS = 5_000;

interface OpenTransaction {
  db: Knex;
  open: boolean;
  begun: string;
}
const inTransaction = new AsyncLocalStorage<OpenTransaction>();

/**
 * SQLite runs on one connection. Code inside a transaction that queries through the database
 * instead of the transaction (or opens a second transaction) waits for the connection its own
 * transaction holds: every request behind it hangs until knex gives up after a minute, and
 * answers 503. Such a wait is reported after STALL_MS with both places in the code, so the bug
 * shows where it is, in tests and in the log, instead of as a far-away timeout.
 */
function watchOneConnection(db: Knex): Knex {
  const client = db.client as { transaction(container: unknown, config: unknown, outer: unknown): unknown; acquireConnection(): Promise<unknown> };
  const transaction = client.transaction.bind(client);
  client.transaction = (container, config, outer) => {
    if (typeof container !== 'function') return transaction(container, config, outer);
    return transaction(
      (trx: Knex.Transaction) => {
        const mark: OpenTransaction = { db, open: true, begun: new Error('transaction begun').stack ?? '' };
        return inTransaction.run(mark, () => Promise.resolve(container(trx))).finally(() => {
          mark.open = false;
        });
      },
      config,
      outer,
    );
  };
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = () => {
    const mark = inTransaction.getStore();
    if (!mark?.open || mark.db !== db) return acquire();
    const waiting = new Error('query outside its transaction').stack ?? '';
    const timer = setTimeout(() => {
      if (mark.open) connectionWatch.emit('stall', `A query waited ${STALL_MS} ms for the one database connection that its own transaction holds (a deadlock until the pool times out).\n${waiting}\n${mark.begun}`);
    }, STALL_MS);
    timer.unref();
    return acquire().finally(() => clearTimeout(timer));
  };
  return db;
}

/** Current time as a value both drivers store the same way (a Date; knex turns it into ms on SQLite). */
export function now(): Date {
  return new Date();
}
