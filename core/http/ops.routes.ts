// Operational endpoints: liveness, readiness, metrics, and the API's own documents.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type Koa from 'koa';
import type Router from '@koa/router';
import type { Kernel } from '../kernel.js';
import type { RouteSpec } from './route.js';
import { buildOpenApi } from './openapi.js';
import type { State } from './state.js';
import { NotFoundError } from '../errors.js';

const require = createRequire(import.meta.url);

async function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);
}

export function mountOps(kernel: Kernel, router: Router<State>, routes: () => RouteSpec[], version: string): void {
  router.get('/healthz', (koa) => {
    koa.body = { status: 'ok' };
  });

  router.get('/readyz', async (koa) => {
    const db = await withTimeout(
      Promise.all(kernel.pool.all().map((d) => d.raw('select 1'))).then(() => true, () => false),
      2000,
      false,
    );
    const redis = kernel.config.redisUrl ? await withTimeout(kernel.cache.ping(), 2000, false) : null;
    // Ready means able to serve: without the databases nothing works (503); without Redis the
    // shop still sells (cache misses, rate counts and the queue wait in the outbox), so a load
    // balancer must keep the instance: 200 with the status `degraded`.
    const status = !db ? 'unavailable' : redis === false ? 'degraded' : 'ready';
    koa.status = db ? 200 : 503;
    koa.body = { status, checks: { database: db ? 'ok' : 'down', redis: redis === null ? 'not configured' : redis ? 'ok' : 'down' } };
  });

  // Private: a scraper sends `Authorization: Bearer $METRICS_TOKEN`. Without a token set, or with
  // a wrong one, the route does not exist for the caller (404), so it cannot be probed either.
  const metricsToken = kernel.config.metricsToken ? Buffer.from(`Bearer ${kernel.config.metricsToken}`) : null;
  router.get('/metrics', async (koa) => {
    const given = Buffer.from(koa.get('authorization'));
    if (!metricsToken || given.length !== metricsToken.length || !crypto.timingSafeEqual(given, metricsToken)) {
      throw new NotFoundError('ROUTE_NOT_FOUND', `No route for ${koa.method} ${koa.path}`);
    }
    koa.set('Cache-Control', 'no-store');
    koa.type = kernel.metrics.registry.contentType;
    koa.body = await kernel.metrics.registry.metrics();
  });

  let doc: Record<string, unknown> | undefined;
  router.get('/openapi.json', (koa) => {
    doc ??= buildOpenApi(routes(), { version, serverUrl: kernel.config.publicUrl }, (point) => kernel.extensions.problemsAt(point));
    koa.body = doc;
  });

  const uiDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>Bazaar API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;
  router.get('/docs', (koa) => {
    koa.type = 'html';
    koa.body = page;
  });
  router.get('/docs/init.js', (koa) => {
    koa.type = 'application/javascript';
    koa.body = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });";
  });
  router.get('/docs/assets/:file', (koa: Koa.ParameterizedContext<State> & { params: { file: string } }) => {
    const file = koa.params.file;
    if (!/^[a-z0-9.-]+\.(js|css|png)$/i.test(file)) return;
    const full = path.join(uiDir, file);
    if (!fs.existsSync(full)) return;
    koa.type = path.extname(file);
    koa.set('Cache-Control', 'public, max-age=86400');
    koa.body = fs.createReadStream(full);
  });
}
