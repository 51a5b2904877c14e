import { expect } from 'chai';
import { inspectRequest } from '../../../plugins/waf/engine/index.js';
import { parseIpv4Host } from '../../../plugins/waf/engine/ssrf.js';
import { buildSearchRequest, findMissed, findWronglyBlocked, listRules, makePolicy } from './helpers.js';

const ATTACKS = [
  'http://169.254.169.254/latest/meta-data/iam/',
  'https://webhook.example/?next=http://169.254.169.254/computeMetadata/v1/',
  'http://metadata.google.internal/computeMetadata/v1/instance/',
  'http://[fd00:ec2::254]/latest/api/token',
  'http://2852039166/',
  'http://0xA9FEA9FE/',
  'http://0251.0376.0251.0376/',
  'http://0xa9.0xfe.0xa9.0xfe/',
  'http://127.1:6379/',
  'http://0/',
  'http://017700000001/',
  'http://[::1]:8080/admin',
  'http://[::ffff:7f00:1]/',
  'http://[::ffff:10.0.0.7]/',
  'https://10.20.30.40/internal',
  'http://192.168.1.1/cgi-bin/',
  'http://localhost:2375/containers/json',
  'http://printer.localhost/',
  'http://service.cluster.local/',
  'http://user@127.0.0.1:22/',
  'http://a.example&@127.0.0.1#@b.example/',
  'http://trusted.example\\@evil.example/',
  'http://10.0.0.5.nip.io/',
  'http://shop.example.127.0.0.1/',
  'http://①②⑦.⓪.⓪.①/',
  'gopher://127.0.0.1:6379/_FLUSHALL',
  'dict://attacker.example:1337/',
  'jar:http://evil.example/x.jar!/',
  'http:/\\127.0.0.1/',
];

const LOOK_ALIKES = [
  'https://shop.example.com/products/red-shoes?size=42',
  'http://www.example.org/about',
  'Visit us at www.example.com or call 0800 123 456',
  'Version 10.0.0.1 of the firmware',
  'IP 8.8.8.8 resolver',
  'https://cdn.example.net/img/169254.png',
  'Meeting at 10:30, room 127',
  'Ratio 1:1.5, 192x168 pixels',
  'mailto:ann@example.com',
  'https://maps.example.com/@51.5,-0.12,15z',
];

describe('waf server-side request forgery', () => {
  it('blocks metadata, loopback and private hosts in any spelling, parser tricks and raw-protocol schemes', () => {
    expect(findMissed(ATTACKS)).to.deep.equal([]);
  });

  it('passes public URLs, version numbers and addresses in prose', () => {
    expect(findWronglyBlocked(LOOK_ALIKES)).to.deep.equal([]);
  });

  it('reads IPv4 hosts the way inet_aton does', () => {
    expect(parseIpv4Host('127.1')).to.equal(0x7f000001);
    expect(parseIpv4Host('0x7f.1')).to.equal(0x7f000001);
    expect(parseIpv4Host('017700000001')).to.equal(0x7f000001);
    expect(parseIpv4Host('2130706433')).to.equal(0x7f000001);
    expect(parseIpv4Host('shop.example')).to.equal(null);
    expect(parseIpv4Host('256.1.1.1')).to.equal(null);
  });

  it('names the technique', () => {
    expect(listRules('http://169.254.169.254/', 'ssrf')).to.include('ssrf.cloud-metadata');
    expect(listRules('http://127.0.0.1/', 'ssrf')).to.include('ssrf.internal-host');
    expect(listRules('gopher://x.example/', 'ssrf')).to.include('ssrf.protocol-smuggling-scheme');
  });
});

describe('waf server-side request forgery in a request', () => {
  it('judges URL parameters but not the Referer a browser sends from a local page', () => {
    const local = buildSearchRequest('red shoes');
    local.headers.referer = 'http://localhost:3000/catalog';
    expect(inspectRequest(local, makePolicy()).blocked).to.equal(false);
    const fetched = { ...buildSearchRequest('x'), query: { imageUrl: 'http://127.0.0.1:9000/' } };
    expect(inspectRequest(fetched, makePolicy()).blocked).to.equal(true);
  });
});
