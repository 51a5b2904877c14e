import { expect } from 'chai';
import { findMissed, findWronglyBlocked, listRules } from './helpers.js';

const ATTACKS = [
  '*)(uid=*',
  'ann*)(|(objectClass=*)',
  'x)(!(&(1=0',
  '(|(mail=*)(cn=*))',
  '(&(uid=admin)(userPassword=s*))',
  '(userPassword=a*)',
  '*)*',
  "') or ('a')=('a",
  '//user[name/text()="x"]/child::node()',
  'count(/descendant::*)',
  '")(&',
  'x;)(|(cn=*',
  'admin)(!(cn=x',
  '*))\u0000',
];

const LOOK_ALIKES = [
  'Cotton shirt (size M) (blue)',
  'Tom & Jerry (DVD)',
  'Price (excl. VAT*)',
  '(see below) and (above)',
  'Rated 5* (excellent)',
  'A::B namespace in C++',
  'uid=1000(ann) gid=1000(ann)',
  'Smiley :-) (^_^)',
  'Love it :)(!)',
  'Sizes (S)(M)(L)',
  'Fits (slim) (& tapered)',
  'Rated 4/5 (good) - 10*(3+2)',
];

describe('waf LDAP and XPath injection', () => {
  it('blocks filter breakouts, complete filters, attribute wildcards and XPath clauses', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes parentheses, ampersands and stars in prose', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('takes a closed filter followed by a new AND or OR filter as a breakout whatever precedes it', () => {
    for (const v of ['<>"\'%;)(&+', ';)(|', '-)(!(']) expect(listRules(v, 'ldap'), v).to.include('ldap.filter-breakout');
    for (const v of [':)(!)', '(a)(b)', 'x)(y']) expect(listRules(v, 'ldap'), v).to.deep.equal([]);
  });

  it('takes a value that is an XPath descendant path with a wildcard or predicate as XPath, not a protocol-relative URL', () => {
    for (const v of ['//*', '//@*', "//user[name='a']"]) expect(listRules(v, 'ldap'), v).to.include('ldap.xpath-injection');
    for (const v of ['//cdn.example.com/a.png', 'https://shop.example.com//x', 'a // b *']) expect(listRules(v, 'ldap'), v).to.deep.equal([]);
  });

  it('names the technique', () => {
    expect(listRules('*)(uid=*', 'ldap')).to.include('ldap.filter-breakout');
    expect(listRules('(&(a=b)(c=d))', 'ldap')).to.include('ldap.filter-expression');
  });

  it('flags a value made only of LDAP-escaped filter metacharacters, not text with a backslash', () => {
    for (const v of ['\\28', '\\2a\\29', ' \\00 ']) expect(listRules(v, 'ldap'), v).to.include('ldap.escaped-metacharacter');
    for (const v of ['C:\\28 files', '\\2b', 'size \\28']) expect(listRules(v, 'ldap'), v).to.deep.equal([]);
  });
});
