import { expect } from 'chai';
import { inspectRequest } from '../../../plugins/waf/engine/index.js';
import { findMissed, findWronglyBlocked, listRules, makePolicy } from './helpers.js';

const NOSQL_ATTACKS = [
  'user[$ne]=nobody',
  'password[$regex]=^a.*',
  'role[ $in ][]=admin',
  '{"email": {"$gt": ""}, "password": {"$gt": ""}}',
  '{ $where: "sleep(100) || true" }',
  "', $or: [ {}, { 'x':'x",
  '$where',
  "' || 'x'=='x",
  "'; return this.secret.match(/^a/) && ''=='",
  'db.users.find({})',
  '1; return true',
];

const NODE_ATTACKS = [
  'a[__proto__][isAdmin]=true',
  '{"__proto__": {"isAdmin": true}}',
  'cart.__proto__.total = 0',
  'x.constructor.prototype.polluted = 1',
  'x[constructor][prototype][role]=admin',
  '{"rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'id\')}()"}',
  "global.process.mainModule.require('child_process')",
];

const LOOK_ALIKES = [
  'Save $10 on orders over $50!',
  'Price: $ 12.99 (incl. VAT)',
  'Use code $AVE20 at checkout',
  'filter[price][min]=10',
  'a == b is a comparison',
  'Return policy: 30 days, return to any store',
  'The proto-type of our new lamp',
  'Build a constructor set for kids, prototype edition',
  'db.json export',
];

function requestWith(query: Record<string, string>, body?: string, contentType = 'application/json') {
  return { method: body === undefined ? 'GET' : 'POST', path: '/api/login', query, headers: { host: 'shop.example.com', 'content-type': contentType }, rawBody: body };
}

describe('waf NoSQL injection and Node.js prototype pollution', () => {
  it('blocks NoSQL operators in names, keys and values and server-side JavaScript', () => {
    expect(findMissed(NOSQL_ATTACKS)).to.deep.equal([]);
  });

  it('blocks prototype pollution, node-serialize markers and runtime access', () => {
    expect(findMissed(NODE_ATTACKS)).to.deep.equal([]);
  });

  it('passes prices with dollar signs, bracketed filters and ordinary words', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('gives the same verdict in a parameter name, a form body and a JSON body', () => {
    expect(inspectRequest(requestWith({ 'password[$ne]': 'x', user: 'admin' }), makePolicy()).blocked).to.equal(true);
    expect(inspectRequest(requestWith({}, 'user=admin&password%5B%24ne%5D=x', 'application/x-www-form-urlencoded'), makePolicy()).blocked).to.equal(true);
    expect(inspectRequest(requestWith({}, '{"user":"admin","password":{"$ne":"x"}}'), makePolicy()).blocked).to.equal(true);
    expect(inspectRequest(requestWith({}, '{"user":"admin","__proto__":{"admin":true}}'), makePolicy()).blocked).to.equal(true);
    expect(inspectRequest(requestWith({}, '{"user":"admin","password":"x"}'), makePolicy()).blocked).to.equal(false);
  });

  it('names the technique', () => {
    expect(listRules('a[$ne]=1', 'nosql')).to.include('nosql.operator-in-name');
    expect(listRules('{"$gt": 0}', 'nosql')).to.include('nosql.operator-key');
    expect(listRules('a[__proto__]=1', 'nodejs')).to.include('nodejs.prototype-pollution');
  });
});
