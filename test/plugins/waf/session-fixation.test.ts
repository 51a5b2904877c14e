import { expect } from 'chai';
import { configureValueCache, inspectRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, findMissed, findWronglyBlocked, listRules, makePolicy } from './helpers.js';

function request(path: string, query: Record<string, string>, headers: Record<string, string> = {}) {
  return { method: 'GET', path, query, headers: { ...BROWSER_HEADERS, ...headers } };
}

describe('waf session fixation', () => {
  it('blocks values that set a cookie when reflected', () => {
    expect(findMissed([
      '<meta http-equiv="Set-Cookie" content="SESSIONID=attacker">',
      '<script>document.cookie="sid=abc;domain=.shop.example.com"</script>',
      'document.cookie = "JSESSIONID=1; path=/; expires=Fri, 31 Dec 2049 23:59:59 GMT"',
    ])).to.deep.equal([]);
    expect(listRules('<META HTTP-EQUIV="Set-Cookie" Content="USERID=1">', 'session')).to.include('session.meta-set-cookie');
    expect(listRules('x.cookie="a=b; domain=evil"', 'session')).to.include('session.cookie-write');
  });

  it('passes text about cookies', () => {
    expect(findWronglyBlocked(['Cookie jar; path to the kitchen = easy', 'Chocolate cookie; expires 2025', 'Set cookies on a rack'])).to.deep.equal([]);
  });

  it('blocks a framework session id as a parameter from another site or from nowhere, not from the shop\'s own pages', () => {
    const pol = makePolicy();
    expect(inspectRequest(request('/store/v1/products', { jsessionid: '74B0CB414BD77D17B5680A6386EF1666' }), pol).matches.map((m) => m.ruleId)).to.include('session.id-parameter');
    expect(inspectRequest(request('/store/v1/products', { PHPSESSID: 'abc' }, { referer: 'http://www.attacker.example/x' }), pol).blocked).to.equal(true);
    expect(inspectRequest(request('/cart;jsessionid=ABC', {}), pol).blocked).to.equal(true);
    expect(inspectRequest(request('/store/v1/products', { PHPSESSID: 'abc' }, { referer: 'https://shop.example.com/store' }), pol).blocked).to.equal(false);
    // A payment provider's return carries its own session_id: not a framework's cookie name.
    expect(inspectRequest(request('/checkout/return', { session_id: 'cs_test_a1b2' }, { referer: 'https://checkout.stripe.com/' }), pol).blocked).to.equal(false);
  });

  it('is judged afresh for each host: the memo of clean requests does not carry the verdict to another store', () => {
    configureValueCache(2048);
    const pol = makePolicy();
    const query = { PHPSESSID: 'abc' };
    const referer = { referer: 'https://one.example.com/' };
    expect(inspectRequest({ ...request('/store/v1/products', query, referer), headers: { ...BROWSER_HEADERS, ...referer, host: 'one.example.com' } }, pol).blocked).to.equal(false);
    expect(inspectRequest({ ...request('/store/v1/products', query, referer), headers: { ...BROWSER_HEADERS, ...referer, host: 'two.example.com' } }, pol).blocked).to.equal(true);
  });
});
