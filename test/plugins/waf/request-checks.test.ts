import { expect } from 'chai';
import { detectProtocolAnomalies, detectScannerAgent, inspectRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, makePolicy } from './helpers.js';

function listRuleIds(hits: Array<{ ruleId: string }>): string[] {
  return hits.map((h) => h.ruleId);
}

describe('waf scanner user agents', () => {
  for (const ua of [
    'sqlmap/1.7.2#stable (https://sqlmap.org)',
    'Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)',
    'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)',
    'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Acunetix-WVS',
    'Mozilla/5.0 (compatible; Netsparker)',
    'WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)',
    'Fuzz Faster U Fool v2.0.0',
    'Nuclei - Open-source project (github.com/projectdiscovery/nuclei)',
  ]) {
    it(`blocks ${ua.slice(0, 40)}`, () => {
      expect(listRuleIds(detectScannerAgent(ua, 1))).to.include('scanner.attack-tool');
      const r = inspectRequest({ method: 'GET', path: '/', query: {}, headers: { ...BROWSER_HEADERS, 'user-agent': ua } }, makePolicy());
      expect(r.blocked).to.equal(true);
    });
  }

  it('passes browsers and only scores script clients at paranoia 2', () => {
    expect(detectScannerAgent(BROWSER_HEADERS['user-agent'], 4)).to.deep.equal([]);
    expect(detectScannerAgent('curl/8.4.0', 1)).to.deep.equal([]);
    expect(listRuleIds(detectScannerAgent('curl/8.4.0', 2))).to.include('scanner.script-client');
  });
});

describe('waf protocol anomalies', () => {
  const base = { method: 'POST', hasBody: true };

  it('flags Content-Length together with Transfer-Encoding', () => {
    const hits = detectProtocolAnomalies({ ...base, headers: { host: 'a', 'content-length': '10', 'transfer-encoding': 'chunked', 'content-type': 'application/json' } }, 1);
    expect(listRuleIds(hits)).to.include('protocol.content-length-and-transfer-encoding');
  });

  it('flags conflicting or malformed Content-Length and odd Transfer-Encoding', () => {
    expect(listRuleIds(detectProtocolAnomalies({ ...base, headers: { host: 'a', 'content-length': ['10', '12'] } }, 1))).to.include('protocol.conflicting-content-length');
    expect(listRuleIds(detectProtocolAnomalies({ ...base, headers: { host: 'a', 'content-length': '1e3' } }, 1))).to.include('protocol.invalid-content-length');
    expect(listRuleIds(detectProtocolAnomalies({ ...base, headers: { host: 'a', 'transfer-encoding': 'chunked, identity' } }, 1))).to.include('protocol.invalid-transfer-encoding');
  });

  it('flags a missing Host header', () => {
    expect(listRuleIds(detectProtocolAnomalies({ method: 'GET', hasBody: false, headers: {} }, 1))).to.include('protocol.missing-host');
  });

  it('flags bodies that contradict their Content-Type', () => {
    const json = detectProtocolAnomalies({ ...base, rawBody: 'a=1&b=2', headers: { host: 'a', 'content-type': 'application/json' } }, 1);
    expect(listRuleIds(json)).to.include('protocol.body-content-type-mismatch');
    const form = detectProtocolAnomalies({ ...base, rawBody: '{"a":1}', headers: { host: 'a', 'content-type': 'application/x-www-form-urlencoded' } }, 1);
    expect(listRuleIds(form)).to.include('protocol.body-content-type-mismatch');
    const multipart = detectProtocolAnomalies({ ...base, headers: { host: 'a', 'content-type': 'multipart/form-data' } }, 1);
    expect(listRuleIds(multipart)).to.include('protocol.multipart-without-boundary');
  });

  it('flags overlong and binary header values, bodies on GET and odd methods', () => {
    expect(listRuleIds(detectProtocolAnomalies({ method: 'GET', hasBody: false, headers: { host: 'a', 'x-a': 'x'.repeat(9000) } }, 1))).to.include('protocol.overlong-header');
    expect(listRuleIds(detectProtocolAnomalies({ method: 'GET', hasBody: false, headers: { host: 'a', 'x-a': 'a\u0000b' } }, 1))).to.include('protocol.header-control-characters');
    expect(listRuleIds(detectProtocolAnomalies({ method: 'GET', hasBody: true, headers: { host: 'a' } }, 1))).to.include('protocol.body-on-get');
    expect(listRuleIds(detectProtocolAnomalies({ method: 'TRACE', hasBody: false, headers: { host: 'a' } }, 1))).to.include('protocol.disallowed-method');
  });

  it('passes an ordinary JSON POST', () => {
    const hits = detectProtocolAnomalies({ ...base, rawBody: '{"qty":2}', headers: { host: 'shop', 'content-type': 'application/json; charset=utf-8', 'content-length': '9' } }, 1);
    expect(hits).to.deep.equal([]);
  });
});
