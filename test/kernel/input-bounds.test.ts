// Malformed and oversized inputs are refused at the edge with a 400 problem naming the field,
// never a 500: lone surrogates, deeply nested JSON, quantities and amounts past what the
// columns and totals can hold, and methods no route knows.
import { expect } from 'chai';
import http from 'node:http';
import { baseUrl } from '../support/runtime.js';
import { call, type Res } from '../support/http.js';
import { makeTenant, type TestTenant } from '../support/factories.js';
import { cartCall, makeCart, makeVariant } from '../orders/support.js';
import { MAX_UNIT_AMOUNT } from '../../core/money/limits.js';

function problem(res: Res, status = 400): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
}

describe('input bounds at the edge', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });

  it('refuses a lone surrogate in a cart address with a 400 naming the field', async () => {
    const cart = await makeCart(shop);
    const raw = '{"shippingAddress":{"name":"\\ud800","line1":"1 Market Street","city":"Springfield","postalCode":"12345","country":"US"}}';
    const res = await call('PATCH', `/store/v1/carts/${cart.id}`, { tenant: shop.slug, headers: cart.headers, raw });
    problem(res);
    expect(res.body.code).to.equal('MALFORMED_UNICODE');
    expect(res.body.errors[0]).to.include({ in: 'body', pointer: '/shippingAddress/name', code: 'unicode' });
    // A surrogate pair (an emoji) is well-formed and accepted.
    const ok = await call('PATCH', `/store/v1/carts/${cart.id}`, { tenant: shop.slug, headers: cart.headers, raw: raw.replace('\\ud800', '\\ud83d\\ude00') });
    expect(ok.status, ok.text).to.equal(200);
  });

  it('refuses a lone surrogate in a key too', async () => {
    const res = await call('POST', '/admin/v1/products', { token: shop.ownerToken, raw: '{"attributes":{"\\udc00":"x"}}' });
    problem(res);
    expect(res.body.errors[0].pointer).to.equal('/attributes/\udc00');
  });

  it('refuses product attributes nested past the bound (33 and 10,000 levels) with a 400, not a 500', async () => {
    for (const levels of [33, 10_000]) {
      const raw = `{"status":"active","translations":{"en":{"name":"Deep"}},"attributes":{"a":${'['.repeat(levels)}1${']'.repeat(levels)}},"variants":[]}`;
      const res = await call('POST', '/admin/v1/products', { token: shop.ownerToken, raw });
      problem(res);
      expect(res.body.code).to.equal('TOO_DEEP');
      expect(res.body.errors[0].pointer).to.match(/^\/attributes\/a(\/0)+$/);
    }
  });
});

describe('quantities and amounts', () => {
  let shop: TestTenant;
  before(async () => {
    shop = await makeTenant();
  });

  it('refuses stock adjustments past the level a column holds with a 400 naming delta, never a 500', async () => {
    const variantId = await makeVariant(shop, { stock: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', `/admin/v1/variants/${variantId}/stock/adjustments`, { token: shop.ownerToken, body: { delta: 1_000_000_000, reason: 'received' } });
      statuses.push(res.status);
      if (res.status !== 201) {
        problem(res);
        expect(res.body.errors[0]).to.include({ pointer: '/delta' });
      }
    }
    expect(statuses).to.include(400);
    const big = await call('POST', `/admin/v1/variants/${variantId}/stock/adjustments`, { token: shop.ownerToken, body: { delta: 2 ** 31, reason: 'received' } });
    problem(big);
    expect(big.body.errors[0].pointer).to.equal('/delta');
    const count = await call('POST', `/admin/v1/variants/${variantId}/stock/adjustments`, { token: shop.ownerToken, body: { onHand: 2 ** 32 } });
    problem(count);
    expect(count.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/onHand');
  });

  it('refuses a price no cart total could hold, with a 400 before storing; the largest accepted price totals fine', async () => {
    const res = await call('POST', '/admin/v1/products', {
      token: shop.ownerToken,
      body: { status: 'active', translations: { en: { name: 'Huge' } }, variants: [{ sku: 'HUGE-1', prices: [{ currency: 'USD', amount: 9007199254740991 }], stock: 10 }] },
    });
    problem(res);
    expect(res.body.errors[0].pointer).to.equal('/variants/0/prices/0/amount');
    const variantId = await makeVariant(shop, { price: MAX_UNIT_AMOUNT, stock: 10_000 });
    const cart = await makeCart(shop);
    const line = await cartCall(shop, cart, 'POST', '/lines', { variantId, quantity: 9999 });
    expect(line.status, line.text).to.equal(200);
    const read = await cartCall(shop, cart, 'GET', '');
    expect(read.status, read.text).to.equal(200);
    expect(read.body.totals.subtotal).to.equal(MAX_UNIT_AMOUNT * 9999);
  });
});

describe('methods no route knows', () => {
  function raw(method: string, path: string): Promise<{ status: number; type: string; body: string }> {
    return baseUrl().then((base) => new Promise((resolve, reject) => {
      const req = http.request(`${base}${path}`, { method, headers: { 'x-tenant': 'nobody' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    }));
  }

  it('answers TRACE, PROPFIND and friends with problem+json', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'LOCK']) {
      for (const path of ['/healthz', '/store/v1/store', '/no/such/path']) {
        const res = await raw(method, path);
        expect(res.status, `${method} ${path}`).to.be.within(400, 501);
        expect(res.type, `${method} ${path}`).to.match(/application\/problem\+json/);
        expect(JSON.parse(res.body).status).to.equal(res.status);
      }
    }
  });
});
