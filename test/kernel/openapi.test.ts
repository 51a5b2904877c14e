// /openapi.json tells generated clients every answer a route gives (issue 17, item 19): each
// operation documents its problem+json answers, each schema defines the properties it requires,
// and what the routes actually answer to bad requests is what the document says.
import crypto from 'node:crypto';
import { expect } from 'chai';
import { call, get } from '../support/http.js';
import { runtime } from '../support/runtime.js';
import { makeTenant, makeCustomer, makePlatformAdmin } from '../support/factories.js';

type Schema = Record<string, unknown>;

/** Every object schema in a document, with where it is. */
function* schemasIn(value: unknown, at: string): Generator<[string, Schema]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* schemasIn(v, `${at}/${i}`);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const obj = value as Schema;
  if (Array.isArray(obj.required) && (obj.type === 'object' || obj.properties)) yield [at, obj];
  for (const [k, v] of Object.entries(obj)) yield* schemasIn(v, `${at}/${k}`);
}

describe('GET /openapi.json: problem answers', function () {
  this.timeout(120_000);
  let doc: any;
  before(async () => {
    doc = (await get('/openapi.json')).body;
  });

  const operations = () => Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, op })));

  it('documents at least one 4xx answer of every operation, as problem+json with its codes', () => {
    const missing: string[] = [];
    for (const { key, op } of operations()) {
      const fourxx = Object.keys(op.responses).filter((s) => /^4\d\d$/.test(s));
      if (!fourxx.length) missing.push(key);
      for (const s of fourxx) {
        expect(op.responses[s].content['application/problem+json'].schema, `${key} ${s}`).to.deep.equal({ $ref: '#/components/schemas/Problem' });
        expect(op.responses[s]['x-codes'], `${key} ${s}`).to.be.an('array').with.length.greaterThan(0);
      }
    }
    expect(missing).to.deep.equal([]);
    expect(doc.paths['/admin/v1/products/import'].post.responses['409']['x-codes']).to.include('IMPORTS_IN_PROGRESS');
    expect(doc.paths['/admin/v1/products'].get.responses['401']['x-codes']).to.include('UNAUTHORIZED');
  });

  it("lists on a core route the codes a plugin's provider declared for it (logistics' SLOT_FULL on checkout), and the core's own", () => {
    const checkout = doc.paths['/store/v1/carts/{id}/checkout'].post.responses;
    expect(checkout['409']['x-codes']).to.include.members(['SLOT_FULL', 'INSUFFICIENT_STOCK', 'TOTAL_CHANGED']);
    expect(checkout['503']['x-codes']).to.deep.equal(['CHECKOUT_PRICING_UNAVAILABLE']);
    // Only where the route calls that provider: the cart's other routes do not reserve.
    expect(doc.paths['/store/v1/carts/{id}'].patch.responses['409']?.['x-codes'] ?? []).not.to.include('SLOT_FULL');
  });

  it('defines every property a schema requires', () => {
    const undefinedRequired: string[] = [];
    for (const [at, s] of schemasIn(doc, '')) {
      const props = (s.properties ?? {}) as Schema;
      for (const name of s.required as string[]) if (!(name in props)) undefinedRequired.push(`${at}: ${name}`);
    }
    expect(undefinedRequired).to.deep.equal([]);
  });

  it('documents the status each route answers to a request without credentials and to one with bad input', async () => {
    const rt = await runtime();
    const shop = await makeTenant();
    const customer = await makeCustomer(shop);
    const platform = await makePlatformAdmin();
    const undocumented: string[] = [];
    const answered: string[] = [];
    const check = async (spec: (typeof rt.routes)[number], token: string | undefined, what: string) => {
      const url = spec.path.replace(/:([A-Za-z0-9_]+)/g, () => crypto.randomUUID());
      const res = await call(spec.method, url, { tenant: shop.slug, token, body: spec.body || spec.method !== 'GET' ? { __bogus: true } : undefined });
      const op = doc.paths[spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')][spec.method.toLowerCase()];
      if (res.status >= 500) undocumented.push(`${spec.method} ${spec.path} ${what}: ${res.status}`);
      else if (res.status >= 400 && !op.responses[res.status]) undocumented.push(`${spec.method} ${spec.path} ${what}: ${res.status} ${res.body?.code} is not documented`);
      else if (res.status >= 400) answered.push(`${res.status} ${res.body?.code}`);
      // The codes every route of a kind gives are listed; a domain's own (PRODUCT_NOT_FOUND) only where the route declares them.
      if (res.status >= 400 && ['UNAUTHORIZED', 'INVALID_TOKEN', 'VALIDATION_FAILED', 'PERMISSION_DENIED', 'TENANT_NOT_FOUND'].includes(res.body?.code) && !op.responses[res.status]?.['x-codes'].includes(res.body.code)) {
        undocumented.push(`${spec.method} ${spec.path} ${what}: ${res.status} ${res.body.code} is not among its codes`);
      }
    };
    // Signing out would end the session the rest of the sweep uses: it goes last.
    const routes = [...rt.routes].sort((a, b) => Number(/logout|sign-?out/.test(a.path)) - Number(/logout|sign-?out/.test(b.path)));
    for (const spec of routes) {
      if (spec.access !== 'public') await check(spec, undefined, 'without credentials');
      const token = spec.path.startsWith('/platform/') ? platform.token : spec.access === 'customer' ? customer.token : spec.path.startsWith('/admin/') ? shop.ownerToken : undefined;
      await check(spec, token, 'with bad input');
    }
    expect(undocumented).to.deep.equal([]);
    // The sweep reached the routes' checks, not only the front door.
    for (const seen of ['401 UNAUTHORIZED', '400 VALIDATION_FAILED', '404 PRODUCT_NOT_FOUND']) expect(answered, seen).to.include(seen);
  });
});
