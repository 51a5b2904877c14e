// The ceiling: a bare Koa app answering one small JSON body, with as many cluster workers as
// the app under test (BENCH_WORKERS, default 2).
//   PORT=3200 BENCH_WORKERS=2 node --import tsx bench/bare-koa.ts
import cluster from 'node:cluster';
import http from 'node:http';
import Koa from 'koa';

const workers = Number(process.env.BENCH_WORKERS ?? 2);
const port = Number(process.env.PORT ?? 3200);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let ready = 0;
  cluster.on('message', (_w, msg) => {
    if (msg === 'ready' && ++ready === workers) console.log(`bare koa ready: ${workers} workers on port ${port}`);
  });
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  });
} else {
  const app = new Koa();
  app.use(async (ctx) => {
    ctx.body = { hello: 'world' };
  });
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  server.listen(port, () => (process.send ? process.send('ready') : console.log(`bare koa ready on port ${port}`)));
  process.on('SIGINT', () => process.exit(0)); // exits cleanly, so node --cpu-prof can write its profile
}
