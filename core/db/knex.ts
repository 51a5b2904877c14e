// One knex per database URL and process. SQLite is the embedded default; mysql:// is production.
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { projectRoot } from '../paths.js';

export type { Knex };

export function isSqlite(db: Knex): boolean {
  return db.client.config.client === 'better-sqlite3';
}

export function createKnex(url: string): Knex {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const filename = file === ':memory:' ? ':memory:' : path.resolve(projectRoot, file);
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
    return knex({
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
    });
  }
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const socketPath = u.searchParams.get('socket') ?? undefined;
  return knex({
    client: 'mysql2',
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
    },
    pool: { min: 0, max: Number(u.searchParams.get('pool') ?? 10) },
  });
}

/** Current time as a value both drivers store the same way (a Date; knex turns it into ms on SQLite). */
export function now(): Date {
  return new Date();
}
