import { expect } from 'chai';
import http from 'node:http';
import { get, post, call } from '../support/http.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { runtime, METRICS_TOKEN } from '../support/runtime.js';
import { createApp } from '../../core/app.js';
import { route } from '../../core/http/route.js';
import { negotiateLocale } from '../../core/i18n.js';

describe('HTTP kernel', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });

  describe('problem+json', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const res = await get('/store/v1/no-such-thing', { tenant: shop.slug });
      expect(res.status).to.equal(404);
      expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(res.body).to.include({ status: 404, code: 'ROUTE_NOT_FOUND', title: 'Not found' });
      expect(res.body.requestId).to.be.a('string');
    });

    it('answers malformed JSON with a 400 and loses nothing', async () => {
      const res = await call('POST', '/store/v1/auth/signup', { tenant: shop.slug, raw: '{"email": "a@b.c",' });
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('MALFORMED_JSON');
    });

    it('names unknown and missing fields', async () => {
      const res = await post('/store/v1/auth/signup', { email: 'not-an-email', password: 'short', colour: 'red' }, { tenant: shop.slug });
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('VALIDATION_FAILED');
      const byPointer = Object.fromEntries(res.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code]));
      expect(byPointer).to.include({ '/colour': 'unknown_field', '/name': 'required', '/email': 'format', '/password': 'minLength' });
    });

    it('answers an oversized body with a 413', async () => {
      const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2_000_000), name: 'n' });
      const res = await call('POST', '/store/v1/auth/signup', { tenant: shop.slug, raw: big });
      expect(res.status).to.equal(413);
      expect(res.body.code).to.equal('PAYLOAD_TOO_LARGE');
    });

    it('answers a wrong method with a 405 problem that keeps Allow', async () => {
      const res = await call('PUT', '/store/v1/auth/login', { tenant: shop.slug });
      expect(res.status).to.equal(405);
      expect(res.body.code).to.equal('METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).to.include('POST');
    });

    it('localizes the title from Accept-Language, normalising zh tags', async () => {
      for (const lang of ['zh-CN', 'zh', 'zh-Hans-CN', 'zh-SG;q=0.9, en;q=0.5']) {
        const res = await get('/store/v1/nope', { tenant: shop.slug, headers: { 'accept-language': lang } });
        expect(res.body.title, lang).to.equal('未找到');
      }
      expect(negotiateLocale('fr-CA, en;q=0.1')).to.equal('en');
      expect(negotiateLocale('de')).to.equal('en');
    });

    it('shows nothing of a 500 but the request id, and logs the rest', async () => {
      const rt = await runtime();
      const boom = route({ method: 'GET', path: '/store/v1/boom', summary: 'boom', access: 'public', responses: { 200: null }, handler: async () => { throw new Error('secret database password is hunter2'); } });
      const app = createApp(rt.kernel, { routes: [boom], version: 'test' });
      const server = http.createServer(app.callback()).listen(0);
      try {
        const port = (server.address() as { port: number }).port;
        const res = await fetch(`http://127.0.0.1:${port}/store/v1/boom`, { headers: { 'x-tenant': shop.slug, 'x-request-id': 'req-500-test' } });
        const text = await res.text();
        expect(res.status).to.equal(500);
        expect(text).not.to.include('hunter2');
        expect(text).not.to.include('Error');
        expect(JSON.parse(text)).to.deep.equal({ type: 'https://bazaar.dev/problems/internal', title: 'Something went wrong', status: 500, code: 'INTERNAL', requestId: 'req-500-test' });
      } finally {
        server.close();
      }
    });
  });

  describe('headers', () => {
    it('sets a request id and security headers', async () => {
      const res = await get('/healthz', { headers: { 'x-request-id': 'abc-123' } });
      expect(res.headers.get('x-request-id')).to.equal('abc-123');
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('x-frame-options')).to.equal('DENY');
      expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
    });

    it('replaces a request id that is not safe to log', async () => {
      const res = await get('/healthz', { headers: { 'x-request-id': 'bad id "with" spaces' } });
      expect(res.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    });
  });

  describe('query strings', () => {
    it('refuses more parameters than the bound with a 400 problem naming the query, and keeps /healthz answering', async () => {
      const res = await get(`/store/v1/store?${Array(7750).fill('a').join('&')}`, { tenant: shop.slug });
      expect(res.status).to.equal(400);
      expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
      expect(res.body.code).to.equal('QUERY_TOO_LARGE');
      expect(res.body.errors[0]).to.include({ in: 'query' });
      expect((await get('/healthz')).status).to.equal(200);
    });

    it('parses repeated keys in one pass, in order, as Koa did', async () => {
      const { parseQuery, MAX_QUERY_PARAMS } = await import('../../core/http/query.js');
      expect(parseQuery('a=1&b=2&a=3&a=4&__proto__=x')).to.deep.equal({ a: ['1', '3', '4'], b: '2', ['__proto__']: 'x' });
      const many = parseQuery(Array(MAX_QUERY_PARAMS).fill('k=v').join('&'));
      expect(many.k).to.have.length(MAX_QUERY_PARAMS);
      expect(() => parseQuery(Array(MAX_QUERY_PARAMS + 1).fill('k').join('&'))).to.throw(/at most/);
      const ok = await get('/store/v1/products?limit=2&limit=3', { tenant: shop.slug });
      expect(ok.status).to.equal(400);
      expect(ok.headers.get('content-type')).to.match(/application\/problem\+json/);
    });
  });

  describe('operations', () => {
    it('GET /healthz and /readyz answer', async () => {
      expect((await get('/healthz')).body).to.deep.equal({ status: 'ok' });
      const ready = await get('/readyz');
      expect(ready.status).to.equal(200);
      expect(ready.body.checks.database).to.equal('ok');
      expect(ready.body.checks.redis).to.equal(process.env.REDIS_URL ? 'ok' : 'not configured');
    });

    it('GET /metrics has the request histogram by route and status', async () => {
      await get('/store/v1/store', { tenant: shop.slug });
      const res = await get('/metrics', { token: METRICS_TOKEN });
      expect(res.text).to.match(/http_request_duration_seconds_bucket\{[^}]*route="\/store\/v1\/store"[^}]*status="200"/);
    });

    it('keeps GET /metrics private: no token or a wrong one is a 404 problem', async () => {
      for (const token of [undefined, 'wrong-token-0123456789', `${METRICS_TOKEN}x`]) {
        const res = await get('/metrics', { token });
        expect(res.status).to.equal(404);
        expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
        expect(res.text).not.to.include('http_request_duration_seconds');
      }
    });

    it('GET /openapi.json documents every route from its schemas', async () => {
      const rt = await runtime();
      const res = await get('/openapi.json');
      expect(res.body.openapi).to.equal('3.1.0');
      for (const r of rt.routes) {
        const p = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        expect(res.body.paths[p], r.path).to.have.property(r.method.toLowerCase());
      }
      expect(res.body.paths['/store/v1/auth/signup'].post.requestBody.content['application/json'].schema.required).to.include('email');
    });

    it('GET /docs renders the API docs page with its assets', async () => {
      const page = await get('/docs');
      expect(page.status).to.equal(200);
      expect(page.text).to.include('swagger-ui-bundle.js');
      const asset = await get('/docs/assets/swagger-ui-bundle.js');
      expect(asset.status).to.equal(200);
      expect((await get('/docs/assets/..%2Fpackage.json')).status).to.equal(404);
    });
  });
});

describe('HTTP kernel: bodies that are not what the route takes', () => {
  let slug: string;
  before(async () => {
    slug = (await makeTenant()).slug;
  });

  it('answers a body of another media type with 415', async () => {
    for (const type of ['text/plain', 'application/octet-stream', 'application/xml']) {
      const res = await call('POST', '/store/v1/auth/login', { tenant: slug, raw: 'email=a', contentType: type });
      expect(res.status, type).to.equal(415);
      expect(res.body.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('answers a body that lies about its Content-Encoding with 400, not 500', async () => {
    const res = await call('POST', '/store/v1/auth/login', { tenant: slug, raw: '{}', headers: { 'content-encoding': 'gzip' } });
    expect(res.status).to.equal(400);
    expect(res.body.code).to.equal('MALFORMED_BODY');
  });

  it('answers a JSON array where an object is expected with a field error', async () => {
    const res = await call('POST', '/store/v1/auth/login', { tenant: slug, raw: '[1,2]' });
    expect(res.status).to.equal(400);
    expect(res.body.errors[0]).to.include({ in: 'body', pointer: '/', code: 'type' });
  });
});
