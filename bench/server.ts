// Serves the app for the benchmark: BENCH_WORKERS processes (default 2) sharing one port via
// node:cluster, web role only (no queue consumers), migrations left to the seed.
//   PORT=3100 BENCH_WORKERS=2 node --import tsx bench/server.ts
import cluster from 'node:cluster';
import fs from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { createRuntime } from '../core/server.js';

/**
 * BENCH_STATS=<dir>: each worker counts its SQL statements (by their first words), GC time and CPU, and writes them to <dir>/stats-<pid>.json on SIGUSR2, so a run can be
 * divided by the orders it placed: what a checkout costs at 1 connection and at 50 (issue 27).
 */
function countStatements(rt: Awaited<ReturnType<typeof createRuntime>>): void {
  const dir = process.env.BENCH_STATS!;
  const byKind = new Map<string, number>();
  let statements = 0;
  let gcMs = 0;
  let gcCount = 0;
  const gcByKind: Record<string, { n: number; ms: number }> = {};
  const kindName: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  for (const knex of rt.kernel.pool.all()) {
    knex.on('query', (q: { sql: string }) => {
      statements++;
      const kind = q.sql.replace(/\s+/g, ' ').slice(0, 60);
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    });
  }
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      gcCount++;
      const kind = kindName[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
      const k = (gcByKind[kind] ??= { n: 0, ms: 0 });
      k.n++;
      k.ms += e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const out = { pid: process.pid, statements, gcMs, gcCount, gcByKind, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, eluActiveMs: elu.active, heapMB: process.memoryUsage().heapUsed / 2 ** 20, byKind: Object.fromEntries(byKind) };
    fs.writeFileSync(`${dir}/stats-${process.pid}.json`, JSON.stringify(out));
  });
}

const workers = Number(process.env.BENCH_WORKERS ?? 2);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let ready = 0;
  cluster.on('message', (_w, msg) => {
    if (msg === 'ready' && ++ready === workers) console.log(`bench app ready: ${workers} workers on port ${process.env.PORT ?? 3000}`);
  });
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const rt = await createRuntime({ role: 'web', migrate: false });
  if (process.env.BENCH_STATS) countStatements(rt);
  await rt.listen();
  if (process.send) process.send('ready');
  else console.log(`bench app ready: 1 process on port ${process.env.PORT ?? 3000}`);
  const stop = async () => {
    await rt.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}
