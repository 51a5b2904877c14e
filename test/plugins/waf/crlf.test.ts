import { expect } from 'chai';
import { findMissed, findWronglyBlocked, listRules } from './helpers.js';

const ATTACKS = [
  '/account\r\nSet-Cookie: sid=attacker',
  '/x%0d%0aSet-Cookie:%20sid=1',
  '/x%250aSet-Cookie:sid=1',
  '/x%u000aSet-Cookie:sid=1',
  'en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>x</html>',
  '\r\nLocation: https://evil.example/',
  '\nX-Forwarded-Host: evil.example',
  'ok\r\n\r\n<script>alert(1)</script>',
  'ann@example.com\nBcc: list@evil.example',
  'Hi\r\nRCPT TO: <x@evil.example>',
  '\u560a\u560dcontent-type:text/html\u560a\u560d',
];

const LOOK_ALIKES = [
  'Line one\nLine two',
  'Dear team,\r\n\r\nthe parcel arrived damaged.\r\nKind regards, Ann',
  'Colour: red\nSize: M\nLocation: Berlin warehouse',
  'Please deliver to: back door\nThanks',
  'Note:\nContent: 2 x socks',
  '嘉宾 嘍 嘊',
];

describe('waf CRLF and header injection', () => {
  it('blocks injected headers, response splitting and mail headers in any encoding', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes multi-line text, including lines that look like "Name: value"', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('names the technique', () => {
    expect(listRules('x\r\nSet-Cookie: a=b', 'crlf')).to.include('crlf.header-injection');
    expect(listRules('a@b.example\nCc: c@d.example', 'crlf')).to.include('crlf.mail-header-injection');
  });

  it('flags a NUL byte in a value, in any encoding, but not UTF-16 text read as bytes', () => {
    for (const v of [';\u0000\tNullbyte', 'abc\u0000', '%00', 'file%2500.jpg', '&#0;x']) expect(listRules(v, 'crlf'), JSON.stringify(v)).to.include('crlf.nul-byte');
    expect(listRules('<\u0000a\u0000>\u0000b\u0000<\u0000/\u0000a\u0000>\u0000', 'crlf')).to.deep.equal([]);
    for (const v of ['100% cotton', 'Size 00', '50%0 off']) expect(listRules(v, 'crlf'), v).to.deep.equal([]);
  });

  it('rejoins a CR LF whose escapes a line break held apart (%0%0D%0AD%0%0D%0AA decoded once)', () => {
    expect(listRules('%0\r\nD%0\r\nA', 'crlf')).to.include('crlf.split-escape');
    expect(listRules('x%\n0d%\n0aSet-Cookie', 'crlf')).to.include('crlf.split-escape');
    expect(listRules('Save 50%\nand 20%\nall week', 'crlf')).to.deep.equal([]);
    expect(listRules('100%\n0 added sugar', 'crlf')).to.deep.equal([]);
  });
});
