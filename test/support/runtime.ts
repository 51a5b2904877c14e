// One runtime per test process on a fresh database: MariaDB + Redis when DATABASE_URL and
// REDIS_URL are set (CI's first run), else the embedded default on a temporary SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { loadConfig, type Config } from '../../core/config.js';
import { createRuntime, type Runtime } from '../../core/server.js';
import { createKnex } from '../../core/db/knex.js';

/** The bearer token the test runtime's /metrics asks for. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

let current: Promise<Runtime> | undefined;
let server: http.Server | undefined;
let sqliteFile: string | undefined;

export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!process.env.DATABASE_URL?.startsWith('mysql') && !sqliteFile) {
    sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-test-')), 'test.sqlite');
  }
  return {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : `sqlite:${sqliteFile}`,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    METRICS_TOKEN: METRICS_TOKEN,
    ...extra,
  };
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig(testEnv(extra));
}

export const usingMysql = () => Boolean(process.env.DATABASE_URL?.startsWith('mysql'));
export const usingRedis = () => Boolean(process.env.REDIS_URL);

/** Drops every table so the suite starts from a fresh schema. */
async function wipe(url: string): Promise<void> {
  if (!url.startsWith('mysql')) return;
  const db = createKnex(url);
  try {
    const [rows] = (await db.raw('select table_name as t from information_schema.tables where table_schema = database()')) as [{ t: string }[]];
    await db.raw('set foreign_key_checks = 0');
    for (const { t } of rows) await db.schema.dropTableIfExists(t);
    await db.raw('set foreign_key_checks = 1');
  } finally {
    await db.destroy();
  }
}

/** The shared runtime's second database (DATABASE_PLACEMENTS), empty at the start of a run. */
export const SECOND_PLACEMENT = 'two';

async function secondPlacementUrl(): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base?.startsWith('mysql')) return `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-test-two-')), 'two.sqlite')}`;
  const url = new URL(base);
  const name = `${url.pathname.slice(1)}_two`;
  const db = createKnex(base);
  try {
    await db.raw(`drop database if exists \`${name}\``);
    await db.raw(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  } finally {
    await db.destroy();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

export function runtime(): Promise<Runtime> {
  current ??= (async () => {
    // A second placement, so that tenants live on two databases (the sweep puts its victim
    // there; tenant:move moves stores between them).
    const config = testConfig({ DATABASE_PLACEMENTS: JSON.stringify({ [SECOND_PLACEMENT]: await secondPlacementUrl() }) });
    await wipe(config.databaseUrl);
    if (config.redisUrl) {
      const { Redis } = await import('ioredis');
      const r = new Redis(config.redisUrl);
      await r.flushdb();
      r.disconnect();
    }
    return createRuntime({ config, role: 'all' });
  })();
  return current;
}

/** The base URL of the shared runtime's server on an ephemeral port. */
export async function baseUrl(): Promise<string> {
  const rt = await runtime();
  if (!server) {
    server = await rt.listen(0, '127.0.0.1');
    // Tests block the event loop at times (spawnSync of the CLI): the server's keep-alive timer
    // and the client's reuse of that idle socket then fire together, and a request meets a reset.
    // Idle sockets are left for the client (fetch) to close.
    server.keepAliveTimeout = 0;
  }
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

export async function closeRuntime(): Promise<void> {
  if (!current) return;
  const rt = await current;
  current = undefined;
  server = undefined;
  await rt.close();
}
