// Serves the app for the benchmark: BENCH_WORKERS processes (default 2) sharing one port via
// node:cluster, web role only (no queue consumers), migrations left to the seed.
//   PORT=3100 BENCH_WORKERS=2 node --import tsx bench/server.ts
import cluster from 'node:cluster';
import { createRuntime } from '../core/server.js';

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
