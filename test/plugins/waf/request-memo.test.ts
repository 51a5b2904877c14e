// The memo of whole clean requests must never change a verdict: a request is answered from it
// only if every input the engine reads is the same as a request already found clean.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { configureValueCache, inspectRequest } from '../../../plugins/waf/engine/index.js';
import type { InspectableRequest, InspectResult, Policy } from '../../../plugins/waf/engine/index.js';
import { configureRequestCache, isKnownClean, isPlainHost, PLAIN_HOST, recallClean, REQUEST_CACHE_SIZE, requestPieces } from '../../../plugins/waf/engine/request-memo.js';
import { ADDRESS_LIST, isAddressList } from '../../../plugins/waf/engine/request-parts.js';
import { BROWSER_HEADERS, findSharedFile, makePolicy } from './helpers.js';

const LIST = { method: 'GET', path: '/store/v1/products', query: { limit: '20' } };
const SQL = "1' union select password from users--";

function fresh(req: InspectableRequest, policy: Policy): InspectResult {
  configureValueCache(0);
  try {
    return inspectRequest(req, policy);
  } finally {
    configureValueCache(2048);
  }
}

const verdict = (r: InspectResult) => ({ blocked: r.blocked, score: r.score, rules: r.matches.map((m) => `${m.ruleId}@${m.location}`).sort() });

describe('waf memo of clean requests', function () {
  this.timeout(120_000);
  beforeEach(() => configureValueCache(2048));

  it('answers a request seen clean from any shopper behind the proxy, and still judges what differs', () => {
    const policy = makePolicy();
    const from = (xff: string, extra: Partial<InspectableRequest> = {}): InspectableRequest => ({ ...LIST, headers: { ...BROWSER_HEADERS, 'x-forwarded-for': xff }, ...extra });
    expect(inspectRequest(from('10.0.0.1'), policy).score).to.equal(0);
    expect(inspectRequest(from('10.0.0.2, 192.0.2.7'), policy).score).to.equal(0);
    expect(inspectRequest(from(SQL), policy).blocked).to.equal(true);
    expect(inspectRequest(from('10.0.0.3', { query: { limit: SQL } }), policy).blocked).to.equal(true);
    expect(inspectRequest(from('10.0.0.3', { query: { limit: '20', q: SQL } }), policy).blocked).to.equal(true);
    expect(inspectRequest(from('10.0.0.3', { path: `/store/v1/products/${SQL}` }), policy).blocked).to.equal(true);
    expect(inspectRequest({ ...LIST, headers: { ...BROWSER_HEADERS, 'x-forwarded-for': '10.0.0.4', referer: `https://shop.example.com/?q=${SQL}` } }, policy).blocked).to.equal(true);
  });

  it('still flags an address list padded past the header length bound', () => {
    const policy = makePolicy();
    const padded: InspectableRequest = { ...LIST, headers: { ...BROWSER_HEADERS, 'x-forwarded-for': `10.0.0.1${' '.repeat(9000)},10.0.0.2` } };
    inspectRequest({ ...LIST, headers: { ...BROWSER_HEADERS, 'x-forwarded-for': '10.0.0.1' } }, policy);
    expect(verdict(inspectRequest(padded, policy))).to.deep.equal(verdict(fresh(padded, policy)));
    expect(inspectRequest(padded, policy).matches.map((m) => m.ruleId)).to.include('protocol.overlong-header');
  });

  it('keeps requests apart wherever one part could be read as another', () => {
    const base = { method: 'GET', path: '/p', headers: {} };
    const pairs: [InspectableRequest, InspectableRequest][] = [
      [{ ...base, query: { q: 'red', sort: 'x' } }, { ...base, query: { q: 'red&sort=x' } }],
      [{ ...base, query: { q: 'red', sort: 'x' } }, { ...base, query: { q: 'red1:s1:x' } }],
      [{ ...base, query: { ab: 'c' } }, { ...base, query: { a: 'bc' } }],
      [{ ...base, query: { a: 'b' } }, { ...base, query: {}, headers: { a: 'b' } }],
      [{ ...base, path: '/p?1:a1:b', query: {} }, { ...base, query: { a: 'b' } }],
      [{ ...base, query: {}, headers: { 'x-forwarded-for': '10.0.0.1' } }, { ...base, query: {}, headers: { 'x-forwarded-for': undefined } }],
      [{ ...base, query: {}, headers: { 'x-forwarded-for': '10.0.0.1' } }, { ...base, query: {}, headers: { 'x-forwarded-for': 'x' } }],
      [{ ...base, query: {} }, { ...base, method: 'POST', query: {} }],
    ];
    pairs.push(
      // The request target stands for path and query: never read as a path.
      [{ ...base, query: {}, url: '/p' }, { ...base, path: '/p', query: {} }],
      [{ ...base, query: {}, url: '/p?a=b' }, { ...base, query: {}, url: '/p?a=c' }],
      // A host name is a class only when it is a plain name: IP hosts, empty or odd ones stand for themselves.
      [{ ...base, query: {}, headers: { host: 'a.example.com' } }, { ...base, query: {}, headers: { host: '10.0.0.1' } }],
      [{ ...base, query: {}, headers: { host: 'a.example.com' } }, { ...base, query: {}, headers: { host: '[::1]:80' } }],
      [{ ...base, query: {}, headers: { host: 'a.example.com' } }, { ...base, query: {}, headers: { host: '' } }],
      [{ ...base, query: {}, headers: { host: 'a.example.com' } }, { ...base, query: {}, headers: { host: ' a.example.com' } }],
      [{ ...base, query: {}, headers: { host: 'a.example.com' } }, { ...base, query: {}, headers: { host: `a${'b'.repeat(300)}.com` } }],
    );
    for (const [a, b] of pairs) expect(requestPieces(a), JSON.stringify([a, b])).to.not.deep.equal(requestPieces(b));
    expect(requestPieces({ ...base, query: {}, headers: { host: 'bench-001.localhost' } })).to.deep.equal(requestPieces({ ...base, query: {}, headers: { host: 'Shop.Example.com:8443' } }));
    expect(requestPieces({ ...base, query: {}, headers: { 'x-forwarded-for': '10.0.0.1' } })).to.deep.equal(requestPieces({ ...base, query: {}, headers: { 'x-forwarded-for': '10.9.9.9, 2001:db8::1' } }));
  });

  it('gives back what the caller noted, and keeps requests whose headers come in another order apart', () => {
    const policy = makePolicy();
    const target = (q: string): InspectableRequest => ({ method: 'GET', path: '/store/v1/search', query: { q }, url: `/store/v1/search?q=${q}`, headers: { ...BROWSER_HEADERS } });
    expect(recallClean(target('lamp'), 1)).to.equal(undefined);
    expect(inspectRequest(target('lamp'), policy, { note: 'search' }).score).to.equal(0);
    expect(recallClean(target('lamp'), 1)).to.equal('search');
    inspectRequest(target('rug'), policy);
    expect(recallClean(target('rug'), 1)).to.equal(true);
    // Another client's order of the same headers: its own path through the tree, both kept.
    const reversed: InspectableRequest = { ...target('lamp'), headers: Object.fromEntries(Object.entries(BROWSER_HEADERS).reverse()) };
    expect(recallClean(reversed, 1)).to.equal(undefined);
    inspectRequest(reversed, policy, { note: 'search' });
    expect(recallClean(reversed, 1)).to.equal('search');
    expect(recallClean(target('lamp'), 1)).to.equal('search');
    // A request that is only the start of a remembered one is not it, nor one with a header more.
    expect(recallClean({ ...target('lamp'), headers: { host: BROWSER_HEADERS.host } }, 1)).to.equal(undefined);
    expect(recallClean({ ...target('lamp'), headers: { ...BROWSER_HEADERS, 'x-extra': '1' } }, 1)).to.equal(undefined);
    // The same target by another method, or as a path, is another request.
    expect(recallClean({ ...target('lamp'), method: 'HEAD' }, 1)).to.equal(undefined);
    expect(recallClean({ ...target('lamp'), url: undefined }, 1)).to.equal(undefined);
    // A header's first value and the values after it are each their own request; a copy of a
    // value (another string of the same text) is that value; a value one character off is not.
    const agent = (ua: string): InspectableRequest => ({ ...target('lamp'), headers: { ...BROWSER_HEADERS, 'user-agent': ua } });
    const [firefox, safari] = ['Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'Mozilla/5.0 (Macintosh) Safari/605.1.15'];
    inspectRequest(agent(firefox), policy, { note: 'firefox' });
    inspectRequest(agent(safari), policy, { note: 'safari' });
    expect(recallClean(agent([...BROWSER_HEADERS['user-agent']].join('')), 1)).to.equal('search'); // the slot's first value
    expect(recallClean(agent([...firefox].join('')), 1)).to.equal('firefox'); // one in its map
    expect(recallClean(agent(safari.slice(0, 20) + safari.slice(20)), 1)).to.equal('safari');
    expect(recallClean(agent(firefox.replace('125', '126')), 1)).to.equal(undefined);
    expect(recallClean(agent(safari + ' '), 1)).to.equal(undefined);
  });

  it('holds a bounded number of requests: the oldest are forgotten, the recent known', () => {
    configureRequestCache(40); // a few requests a generation
    try {
      const policy = makePolicy();
      const page = (n: number): InspectableRequest => ({ ...LIST, query: { limit: '20', q: `shoes-${n}` }, headers: BROWSER_HEADERS });
      for (let n = 0; n < 50; n++) expect(inspectRequest(page(n), policy).score).to.equal(0);
      expect(isKnownClean(page(0), 1)).to.equal(false);
      expect(isKnownClean(page(49), 1)).to.equal(true);
      expect(isKnownClean(page(49), 2)).to.equal(false);
    } finally {
      configureRequestCache(REQUEST_CACHE_SIZE);
    }
  });

  it('remembers no request with a body, given cookies or repeated headers', () => {
    const base = { method: 'POST', path: '/p', query: {}, headers: {} };
    expect(requestPieces({ ...base })).to.be.an('array');
    expect(requestPieces({ ...base, body: {} })).to.equal(null);
    expect(requestPieces({ ...base, rawBody: '' })).to.equal(null);
    expect(requestPieces({ ...base, cookies: {} })).to.equal(null);
    expect(requestPieces({ ...base, headers: { via: ['a', 'b'] } })).to.equal(null);
    expect(requestPieces({ ...base, query: { tags: ['a', 'b'] } })).to.equal(null);
  });

  it('does not carry a clean verdict to a stricter paranoia or to a path without its exclusion', () => {
    const curl: InspectableRequest = { ...LIST, headers: { host: 'shop.example.com', 'user-agent': 'curl/8.5.0', accept: '*/*' } };
    expect(inspectRequest(curl, makePolicy(1)).score).to.equal(0);
    expect(inspectRequest(curl, makePolicy(2)).matches.map((m) => m.ruleId)).to.include('scanner.script-client');

    const attack: InspectableRequest = { ...LIST, query: { q: SQL }, headers: BROWSER_HEADERS };
    const excluded = makePolicy(1, 5, [{ path: '/store/v1/products', params: ['query.q'] }]);
    expect(inspectRequest(attack, excluded).score).to.equal(0);
    expect(inspectRequest(attack, makePolicy()).blocked).to.equal(true);
  });

  it('gives every dev-corpus payload, in the query, a header, the path, the Host and behind a proxy, the verdict it gets without memos', function () {
    const file = findSharedFile('dev-payloads.jsonl.gz', this);
    const entries = gunzipSync(readFileSync(file as string)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { expect: string; payload: string });
    // Benign entries first, so the memo is full of clean requests when the attacks come.
    const sample = entries.filter((_, i) => i % 8 === 0).sort((a, b) => (a.expect === b.expect ? 0 : a.expect === 'benign' ? -1 : 1));
    const policy = makePolicy();
    const shapes = (p: string): InspectableRequest[] => [
      { ...LIST, query: { limit: '20', q: p }, headers: BROWSER_HEADERS },
      { ...LIST, headers: { ...BROWSER_HEADERS, 'user-agent': p } },
      { ...LIST, headers: { ...BROWSER_HEADERS, 'x-forwarded-for': p } },
      { ...LIST, path: `/store/v1/products/${p}`, headers: BROWSER_HEADERS },
      { ...LIST, headers: { ...BROWSER_HEADERS, host: p } },
      // As the filter gives it: the request target its path and query were parsed from.
      { ...LIST, query: { limit: '20', q: p }, url: `/store/v1/products?limit=20&q=${encodeURIComponent(p)}`, headers: BROWSER_HEADERS },
    ];
    configureValueCache(0);
    const expected = sample.flatMap((e) => shapes(e.payload).map((r) => verdict(inspectRequest(r, policy))));
    configureValueCache(2048);
    const differing: string[] = [];
    for (const round of [1, 2, 3]) {
      // Round 3: generations so small that requests are forgotten and found in the old one all the time.
      if (round === 3) configureRequestCache(200);
      let i = 0;
      for (const e of sample) {
        for (const r of shapes(e.payload)) {
          const got = verdict(inspectRequest(r, policy));
          if (JSON.stringify(got) !== JSON.stringify(expected[i])) differing.push(`round ${round}: ${JSON.stringify(e.payload).slice(0, 80)} (shape ${i % 6})`);
          i++;
        }
      }
    }
    configureRequestCache(REQUEST_CACHE_SIZE);
    expect(sample.length).to.be.above(5_000);
    expect(differing).to.deep.equal([]);
  });

  it('recognises plain host names and address lists exactly as their regular expressions do', () => {
    // The loops stand in for the expressions on the hot path; a difference would let the memo
    // treat as a stand-in a header the engine reads. Random strings over the characters that
    // matter (and some that do not), plus the edges by hand.
    let seed = 42;
    const random = (n: number): number => {
      // mulberry32: every bit of it random (an LCG's low bits repeat with a short period)
      let t = (seed = (seed + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const cases = (alphabet: string, lengths: number[]) => {
      const out: string[] = [];
      for (let k = 0; k < 20_000; k++) {
        const length = lengths[random(lengths.length)];
        let s = '';
        for (let i = 0; i < length; i++) s += alphabet[random(alphabet.length)];
        out.push(s);
      }
      return out;
    };
    const hosts = [
      ...cases('aZ09.-:_ 5x[@`{/\u00e9\u017f', [0, 1, 2, 5, 9, 14]),
      ...cases('ab1.:', [250, 253, 254, 255, 258, 260]),
      'shop.example.com', 'shop.example.com:8080', 'shop:123456', 'shop:', ':80', '10.0.0.1', '10.0.0.1:80', 'a'.repeat(253), 'a'.repeat(254), 'A-1.B', 'K\u212a', '_a', 'a_b',
    ];
    let plain = 0;
    for (const h of hosts) {
      expect(isPlainHost(h), JSON.stringify(h)).to.equal(PLAIN_HOST.test(h));
      if (isPlainHost(h)) plain += 1;
    }
    const lists = [
      ...cases('0a:.F, \tgG@;', [0, 1, 3, 7, 12, 20, 40]),
      ...cases('1.,', [40, 60, 90]),
      ...cases('f:', [44, 45, 46, 47]),
      '10.0.0.1', '10.0.0.1, 192.0.2.7', '10.0.0.1 ,\t2001:db8::1', ' 10.0.0.1', '10.0.0.1 ', '10.0.0.1,', ',10.0.0.1', '1,,2',
      Array.from({ length: 32 }, (_, i) => `10.0.0.${i}`).join(','), Array.from({ length: 33 }, (_, i) => `10.0.0.${i}`).join(', '),
    ];
    let listed = 0;
    for (const v of lists) {
      expect(isAddressList(v), JSON.stringify(v)).to.equal(ADDRESS_LIST.test(v));
      if (isAddressList(v)) listed += 1;
    }
    // Both answers occur often enough for the comparison to mean something.
    expect(plain).to.be.above(500);
    expect(listed).to.be.above(1000);
  });
});
