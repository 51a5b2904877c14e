import { expect } from 'chai';
import {
  decodeHtmlEntities,
  decodeLenientUtf8,
  decodePercentOnce,
  expandVariants,
  inspectValue,
  limits,
  truncateValue,
  unescapeBackslashes,
} from '../../../plugins/waf/engine/index.js';

describe('waf decoding layer', () => {
  it('percent-decodes, including %u and malformed escapes', () => {
    expect(decodePercentOnce('%3Cscript%3E')).to.equal('<script>');
    expect(decodePercentOnce('%u003c%U003E')).to.equal('<>');
    expect(decodePercentOnce('100%')).to.equal('100%');
    expect(decodePercentOnce('%zz%4')).to.equal('%zz%4');
    expect(decodePercentOnce('%C3%BCber')).to.equal('über');
  });

  it('accepts overlong UTF-8 the way lenient servers did', () => {
    expect(decodePercentOnce('%c0%af')).to.equal('/');
    expect(decodePercentOnce('%c0%ae%c0%ae%c0%af')).to.equal('../');
    expect(decodePercentOnce('%e0%80%af')).to.equal('/');
    expect(decodeLenientUtf8([0xe9])).to.equal('é');
  });

  it('decodes double and triple URL encoding within the round limit', () => {
    const variants = expandVariants('%25253Cscript%25253E');
    expect(variants).to.include('<script>');
    expect(variants.length).to.be.at.most(limits.MAX_VARIANTS);
  });

  it('decodes named, decimal and hex HTML entities, with or without semicolons', () => {
    expect(decodeHtmlEntities('&lt;a&gt; &amp; &quot;')).to.equal('<a> & "');
    expect(decodeHtmlEntities('&#60;&#x3C;&#X3c;&#0000060')).to.equal('<<<<');
    expect(decodeHtmlEntities('javascript&colon;alert&lpar;1&rpar;')).to.equal('javascript:alert(1)');
    expect(decodeHtmlEntities('&LT;script&GT;')).to.equal('<script>');
    expect(decodeHtmlEntities('&ltscript')).to.equal('<script');
    expect(decodeHtmlEntities('Tom & Jerry &unknown;')).to.equal('Tom & Jerry &unknown;');
  });

  it('undoes \\u, \\u{}, \\x and octal escapes', () => {
    expect(unescapeBackslashes('\\u003cscript\\u003e')).to.equal('<script>');
    expect(unescapeBackslashes('\\u{3c}\\x3e\\074')).to.equal('<><');
    expect(unescapeBackslashes('C:\\new\\table')).to.equal('C:\\new\\table');
  });

  it('drops NUL bytes and folds full-width forms', () => {
    const variants = expandVariants('<scr\u0000ipt>');
    expect(variants).to.include('<script>');
    expect(expandVariants('＜script＞')).to.include('<script>');
  });

  it('reads text in UTF-16 handed over as bytes, with or without what UTF-8 made of the byte-order mark', () => {
    const utf16le = (s: string) => [...s].map((c) => c + '\u0000').join('');
    const doc = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY x SYSTEM "http://10.0.0.1/x">]><a>&x;</a>';
    expect(expandVariants('\ufffd\ufffd' + utf16le(doc))).to.include(doc);
    expect(inspectValue('\ufffd\ufffd' + utf16le(doc), { detectors: ['xxe'] }).map((m) => m.ruleId)).to.include('xxe.entity-declaration');
    // A UTF-16 webhook is judged by what it says: a plain one passes.
    const plain = '<?xml version="1.0" encoding="UTF-16"?><Notify><TradeNo>2024</TradeNo><Note>Gift (blue) &amp; card</Note></Notify>';
    expect(inspectValue('\ufeff' + utf16le(plain))).to.deep.equal([]);
  });

  it('decodes UTF-7 shift sequences of any length (+ADwAIQ- is <!), not plus signs in text', () => {
    expect(expandVariants('+ADwAIQ-DOCTYPE a +AFsAPAAh-ENTITY x SYSTEM +ACI-http://x.example/+ACIAPgBdAD4-')).to.include('<!DOCTYPE a [<!ENTITY x SYSTEM "http://x.example/">]>');
    expect(expandVariants('+ADw-script+AD4-')).to.include('<script>');
    expect(expandVariants('C++ and A+B')).to.deep.equal(['C++ and A+B']);
  });

  it('sees through mixed case and SQL comments inside keywords', () => {
    expect(inspectValue('1 UnIoN/**/SeLeCt 1,2', { detectors: ['sqli'] })).to.have.length.greaterThan(0);
    expect(inspectValue('UN/**/ION SEL/**/ECT password FROM users', { detectors: ['sqli'] })).to.have.length.greaterThan(0);
  });

  it('decodes JSON-escaped and mixed encodings cumulatively', () => {
    expect(expandVariants('\\u0026lt;img src=x onerror=alert(1)\\u0026gt;')).to.include('<img src=x onerror=alert(1)>');
    expect(expandVariants('%26lt%3Bscript%26gt%3B')).to.include('<script>');
  });

  it('bounds the work: values are inspected up to the length limit', () => {
    const long = 'a'.repeat(limits.MAX_VALUE_LENGTH * 3);
    expect(truncateValue(long).length).to.equal(limits.MAX_VALUE_LENGTH);
    const started = Date.now();
    inspectValue(`${'('.repeat(5000)}${"'".repeat(5000)}${'<a '.repeat(5000)}`);
    inspectValue('${'.repeat(20000));
    inspectValue('/*'.repeat(20000));
    expect(Date.now() - started).to.be.below(500);
  });
});
