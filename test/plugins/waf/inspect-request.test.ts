import { expect } from 'chai';
import { createDefaultPolicy, inspectRequest, inspectValue, limits } from '../../../plugins/waf/engine/index.js';
import type { InspectableRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, makePolicy } from './helpers.js';

function buildPost(body: unknown, extra: Partial<InspectableRequest> = {}): InspectableRequest {
  return {
    method: 'POST',
    path: '/api/products',
    query: {},
    headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
    body,
    ...extra,
  };
}

describe('waf inspectRequest', () => {
  it('passes an ordinary storefront request with score 0', () => {
    const r = inspectRequest({
      method: 'GET',
      path: '/products/red-running-shoes-42',
      query: { q: "men's running shoes", size: '44', sort: 'price_asc', tags: ['sale', 'new'] },
      headers: { ...BROWSER_HEADERS, cookie: 'session=abc123; cart=3' },
    }, createDefaultPolicy());
    expect(r).to.deep.equal({ score: 0, matches: [], blocked: false });
  });

  it('passes varied ordinary storefront GETs, and gives a repeated value the verdict it gave first', () => {
    const policy = makePolicy();
    const attack = "1' union select password from users--";
    const results = [];
    for (let i = 0; i < 3000; i++) {
      const ordinary = inspectRequest({
        method: 'GET',
        path: '/products',
        query: { category: 'shoes', size: String(36 + (i % 10)), color: 'black', sort: 'price_asc', page: String(1 + (i % 5)) },
        headers: { ...BROWSER_HEADERS, referer: 'https://shop.example.com/', 'sec-fetch-mode': 'navigate', cookie: `session=s${i % 97}; cart=3` },
      }, policy);
      if (ordinary.score !== 0) results.push(`#${i}: ${ordinary.matches.map((m) => m.ruleId).join(', ')}`);
      if (i % 500 === 0 && !inspectRequest({ method: 'GET', path: '/products', query: { size: attack }, headers: BROWSER_HEADERS }, policy).blocked) results.push(`#${i}: attack passed`);
    }
    expect(results).to.deep.equal([]);
  });

  it('sums CRS-style scores and blocks at the threshold', () => {
    const r = inspectRequest({ method: 'GET', path: '/search', query: { q: "' OR 1=1--" }, headers: BROWSER_HEADERS }, makePolicy());
    expect(r.blocked).to.equal(true);
    expect(r.score).to.be.at.least(5);
    expect(r.matches.every((m) => m.location === 'query.q')).to.equal(true);
    expect(r.matches.map((m) => m.score)).to.satisfy((s: number[]) => s.every((x) => [2, 3, 4, 5].includes(x)));
  });

  it('respects a higher threshold', () => {
    const r = inspectRequest({ method: 'GET', path: '/', query: { q: "admin'--" }, headers: BROWSER_HEADERS }, makePolicy(1, 100));
    expect(r.score).to.be.greaterThan(0);
    expect(r.blocked).to.equal(false);
  });

  it('inspects parameter names as well as values', () => {
    const r = inspectRequest({ method: 'GET', path: '/', query: { '<script>alert(1)</script>': '1' }, headers: BROWSER_HEADERS }, makePolicy());
    expect(r.blocked).to.equal(true);
    expect(r.matches[0].location).to.equal('key:query.<script>alert(1)</script>');
  });

  it('walks nested JSON bodies and reports the path', () => {
    const r = inspectRequest(buildPost({ order: { items: [{ sku: 'A1', note: 'ok' }, { sku: 'B2', note: '<img src=x onerror=alert(1)>' }] } }), makePolicy());
    expect(r.blocked).to.equal(true);
    expect(r.matches.map((m) => m.location)).to.include('body.order.items[1].note');
  });

  it('bounds body depth and the number of inspected values', () => {
    let deep: unknown = '<script>alert(1)</script>';
    for (let i = 0; i < limits.MAX_BODY_DEPTH + 5; i++) deep = { a: deep };
    expect(inspectRequest(buildPost(deep), makePolicy()).blocked).to.equal(false);
    const wide = Array.from({ length: limits.MAX_VALUES_PER_REQUEST * 2 }, (_, i) => (i === limits.MAX_VALUES_PER_REQUEST * 2 - 1 ? '../../etc/passwd' : 'x'));
    const started = Date.now();
    inspectRequest(buildPost({ wide }), makePolicy());
    expect(Date.now() - started).to.be.below(1000);
  });

  it('parses a raw JSON or form body when no parsed body is given', () => {
    const json = inspectRequest({ ...buildPost(undefined), rawBody: '{"name":"x\' UNION SELECT password FROM users--"}' }, makePolicy());
    expect(json.matches.map((m) => m.location)).to.include('body.name');
    const form = inspectRequest({
      ...buildPost(undefined),
      headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: 'email=a%40b.c&comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    }, makePolicy());
    expect(form.blocked).to.equal(true);
  });

  it('inspects cookies (parsed from the header when not given) and selected headers', () => {
    const cookie = inspectRequest({ method: 'GET', path: '/', query: {}, headers: { ...BROWSER_HEADERS, cookie: "pref=1' UNION SELECT 1,2--" } }, makePolicy());
    expect(cookie.matches.map((m) => m.location)).to.include('cookie.pref');
    const referer = inspectRequest({ method: 'GET', path: '/', query: {}, headers: { ...BROWSER_HEADERS, referer: 'https://x/?q=<script>alert(1)</script>' } }, makePolicy());
    expect(referer.matches.map((m) => m.location)).to.include('header.referer');
    const ognl = inspectRequest({ method: 'POST', path: '/', query: {}, headers: { ...BROWSER_HEADERS, 'content-type': "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}" } }, makePolicy());
    expect(ognl.blocked).to.equal(true);
  });

  it('inspects the decoded path for traversal', () => {
    const r = inspectRequest({ method: 'GET', path: '/static/..%2f..%2f..%2fetc%2fpasswd', query: {}, headers: BROWSER_HEADERS }, makePolicy());
    expect(r.blocked).to.equal(true);
    expect(r.matches[0].location).to.equal('path');
  });

  it('applies exclusions by path prefix, parameter and detector', () => {
    const req = buildPost({ description: '<p style="color:red" onclick="x()">Hi</p>', title: '<script>x</script>' }, { path: '/api/products/42' });
    expect(inspectRequest(req, makePolicy()).blocked).to.equal(true);

    const paramOnly = inspectRequest(req, makePolicy(1, 5, [{ path: '/api/products/*', params: ['body.description'] }]));
    expect([...new Set(paramOnly.matches.map((m) => m.location))]).to.deep.equal(['body.title']);

    const all = inspectRequest(req, makePolicy(1, 5, [{ path: '/api/products/*', params: ['body.description', 'body.title'], detectors: ['xss'] }]));
    expect(all.blocked).to.equal(false);

    const otherPath = inspectRequest(req, makePolicy(1, 5, [{ path: '/api/orders/*' }]));
    expect(otherPath.blocked).to.equal(true);

    const exact = inspectRequest(req, makePolicy(1, 5, [{ path: '/api/products/42' }]));
    expect(exact.matches.filter((m) => m.location?.startsWith('body'))).to.deep.equal([]);
  });

  it('applies parameter exclusions to nested locations and wildcards', () => {
    const req = buildPost({ items: [{ html: '<script>x</script>' }, { html: '<script>y</script>' }] });
    expect(inspectRequest(req, makePolicy(1, 5, [{ path: '/api/*', params: ['body.items'] }])).blocked).to.equal(false);
    expect(inspectRequest(req, makePolicy(1, 5, [{ path: '/api/*', params: ['body.items[*].html'] }])).blocked).to.equal(false);
    expect(inspectRequest(req, makePolicy(1, 5, [{ path: '/api/*', params: ['body.item'] }])).blocked).to.equal(true);
  });

  it('scores paranoia-2 rules only when the policy asks for them', () => {
    const req = { method: 'GET', path: '/', query: { q: '<img src="a.png" alt="x">' }, headers: BROWSER_HEADERS };
    expect(inspectRequest(req, makePolicy(1)).score).to.equal(0);
    expect(inspectRequest(req, makePolicy(2)).score).to.be.greaterThan(0);
  });

  it('never puts secrets into match excerpts', () => {
    const r = inspectRequest(buildPost({ password: "x' OR 1=1--", card: '4111 1111 1111 1111 <script>alert(1)</script>', note: '4111111111111111 <script>alert(1)</script>' }), makePolicy());
    const excerpts = r.matches.map((m) => m.excerpt ?? '');
    expect(excerpts.join(' ')).not.to.match(/OR 1=1|4111/);
    expect(excerpts.some((e) => e.includes('[CARD]'))).to.equal(true);
  });

  it('reports protocol anomalies at request level', () => {
    const r = inspectRequest({
      method: 'POST',
      path: '/api/cart',
      query: {},
      headers: { host: 'shop', 'content-length': '5', 'transfer-encoding': 'chunked', 'content-type': 'application/json' },
      body: { qty: 1 },
    }, makePolicy());
    expect(r.blocked).to.equal(true);
    expect(r.matches.map((m) => m.location)).to.include('request');
  });

  it('inspectValue returns matches with detector, rule, paranoia, score and location', () => {
    const [m] = inspectValue('<script>alert(1)</script>', { location: 'query.q', detectors: ['xss'] });
    expect(m).to.include({ detector: 'xss', paranoia: 1, score: 5, location: 'query.q' });
    expect(m.ruleId).to.be.a('string');
  });
});
