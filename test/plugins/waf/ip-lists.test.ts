import { expect } from 'chai';
import { clientAddress, decideIpAccess, isInCidrList, normalizeAddress, parseCidrList } from '../../../plugins/waf/engine/index.js';

describe('waf ip lists', () => {
  const list = parseCidrList(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::ffff:172.16.0.0/108', 'not-an-ip', '10.0.0.0/33']);

  it('parses IPv4/IPv6 CIDRs and single addresses, reporting invalid entries', () => {
    expect(list.v4.length).to.equal(3);
    expect(list.v6.length).to.equal(1);
    expect(list.invalid).to.deep.equal(['not-an-ip', '10.0.0.0/33']);
  });

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 addresses', () => {
    expect(isInCidrList('10.1.2.3', list)).to.equal(true);
    expect(isInCidrList('::ffff:10.1.2.3', list)).to.equal(true);
    expect(isInCidrList('192.168.1.7', list)).to.equal(true);
    expect(isInCidrList('192.168.1.8', list)).to.equal(false);
    expect(isInCidrList('2001:db8:1::5', list)).to.equal(true);
    expect(isInCidrList('[2001:db8::1]', list)).to.equal(true);
    expect(isInCidrList('2001:db9::1', list)).to.equal(false);
    // A mapped-IPv6 range entry matches the plain IPv4 address it maps.
    expect(isInCidrList('172.16.5.5', list)).to.equal(true);
    expect(isInCidrList('garbage', list)).to.equal(false);
    expect(isInCidrList(undefined, list)).to.equal(false);
  });

  it('rejects non-canonical IPv4 spellings', () => {
    expect(normalizeAddress('127.1')).to.equal(null);
    expect(normalizeAddress('0x7f.0.0.1')).to.equal(null);
    expect(normalizeAddress('::FFFF:127.0.0.1')).to.equal('127.0.0.1');
    expect(normalizeAddress('2001:DB8:0:0:0:0:0:1')).to.equal('2001:db8::1');
    expect(normalizeAddress('10.0.0.1:8080')).to.equal('10.0.0.1');
  });

  it('lets an allow entry override a deny range', () => {
    const deny = parseCidrList(['203.0.113.0/24']);
    const allow = parseCidrList(['203.0.113.10']);
    expect(decideIpAccess('203.0.113.10', { allow, deny })).to.equal('allow');
    expect(decideIpAccess('203.0.113.11', { allow, deny })).to.equal('deny');
    expect(decideIpAccess('198.51.100.1', { allow, deny })).to.equal('none');
  });

  describe('clientAddress', () => {
    const proxies = ['10.0.0.0/8', '::1'];

    it('ignores X-Forwarded-For from an untrusted peer', () => {
      expect(clientAddress('198.51.100.7', '1.2.3.4', proxies)).to.equal('198.51.100.7');
    });

    it('walks right to left skipping trusted proxies', () => {
      expect(clientAddress('10.0.0.2', '1.2.3.4, 203.0.113.9, 10.0.0.5', proxies)).to.equal('203.0.113.9');
      expect(clientAddress('::ffff:10.0.0.2', ['1.2.3.4', '10.1.1.1'], proxies)).to.equal('1.2.3.4');
    });

    it('does not let the client spoof by prepending addresses', () => {
      expect(clientAddress('10.0.0.2', '127.0.0.1, 203.0.113.9', proxies)).to.equal('203.0.113.9');
    });

    it('stops at a malformed hop and returns the last verified address', () => {
      expect(clientAddress('10.0.0.2', '1.2.3.4, <script>, 10.0.0.9', proxies)).to.equal('10.0.0.9');
    });

    it('returns the remote address without X-Forwarded-For, and the leftmost when all are trusted', () => {
      expect(clientAddress('10.0.0.2', undefined, proxies)).to.equal('10.0.0.2');
      expect(clientAddress('10.0.0.2', '10.0.0.3, 10.0.0.4', proxies)).to.equal('10.0.0.3');
      expect(clientAddress('::1', '2001:db8::7', proxies)).to.equal('2001:db8::7');
    });
  });
});
