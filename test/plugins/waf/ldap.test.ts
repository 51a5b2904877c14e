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
];

describe('waf LDAP and XPath injection', () => {
  it('blocks filter breakouts, complete filters, attribute wildcards and XPath clauses', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes parentheses, ampersands and stars in prose', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
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
