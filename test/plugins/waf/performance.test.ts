import { expect } from 'chai';
import { inspectRequest } from '../../../plugins/waf/engine/index.js';
import type { InspectableRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, makePolicy } from './helpers.js';

function buildStorefront(i: number): InspectableRequest {
  return {
    method: 'GET',
    path: '/products',
    query: { category: 'shoes', size: String(36 + (i % 10)), color: 'black', sort: 'price_asc', page: String(1 + (i % 5)) },
    headers: { ...BROWSER_HEADERS, referer: 'https://shop.example.com/', 'upgrade-insecure-requests': '1', 'sec-fetch-mode': 'navigate', cookie: `session=s${i % 97}; cart=3` },
  };
}

describe('waf performance', () => {
  it('inspects an ordinary storefront GET in well under 50 µs (median)', () => {
    const pol = makePolicy();
    for (let i = 0; i < 3000; i++) inspectRequest(buildStorefront(i), pol);
    const samples: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const req = buildStorefront(i);
      const t0 = process.hrtime.bigint();
      inspectRequest(req, pol);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    samples.sort((a, b) => a - b);
    expect(samples[Math.floor(samples.length / 2)]).to.be.below(50);
  });
});
