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

    it('answers for each peer and list, however they alternate (the last peer is remembered)', () => {
      const proxies = parseCidrList(['10.0.0.1', '::1']);
      const others = parseCidrList(['10.0.0.2']);
      const calls: (() => string | undefined)[] = [
        () => clientAddress('10.0.0.1', '198.51.100.7', proxies),
        () => clientAddress('10.0.0.2', '198.51.100.7', proxies),
        () => clientAddress('::ffff:10.0.0.1', '198.51.100.8', proxies),
        () => clientAddress('::1', '198.51.100.9', proxies),
        () => clientAddress('10.0.0.1', '198.51.100.7', others),
        () => clientAddress('10.0.0.2', '198.51.100.7', others),
        () => clientAddress(undefined, '198.51.100.7', proxies),
      ];
      const expected = ['198.51.100.7', '10.0.0.2', '198.51.100.8', '198.51.100.9', '10.0.0.1', '198.51.100.7', undefined];
      for (let round = 0; round < 3; round++) expect(calls.map((c) => c())).to.deep.equal(expected);
      expect([...calls].reverse().map((c) => c())).to.deep.equal([...expected].reverse());
      expect([calls[0](), calls[0](), calls[1](), calls[1](), calls[0](), calls[4](), calls[0]()]).to.deep.equal(['198.51.100.7', '198.51.100.7', '10.0.0.2', '10.0.0.2', '198.51.100.7', '10.0.0.1', '198.51.100.7']);
    });

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

describe('waf client address, fast and general ways agree', () => {
  // The general way, spelled out: every address through parseAddress (normalizeAddress and
  // isInCidrList take no shortcut).
  function reference(remote: string | undefined, xff: string | undefined, trusted: ReturnType<typeof parseCidrList>): string | undefined {
    const remoteText = normalizeAddress(remote) ?? remote;
    if (normalizeAddress(remote) === null || !isInCidrList(remote, trusted) || xff === undefined) return remoteText;
    const hops = xff.split(',').map((h) => h.trim()).filter((h) => h !== '');
    let last = remoteText;
    for (let i = hops.length - 1; i >= 0; i--) {
      const text = normalizeAddress(hops[i]);
      if (text === null) return last;
      if (!isInCidrList(hops[i], trusted)) return text;
      last = text;
    }
    return last;
  }

  it('gives the same client and list decision for 20,000 mixed spellings', () => {
    const trusted = parseCidrList(['127.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32', '::ffff:192.168.0.0/112', '172.16.0.0/12']);
    const lists = { allow: parseCidrList(['10.1.0.0/16', '2001:db8:1::/48']), deny: parseCidrList(['10.0.0.0/8', '203.0.113.0/24', '::ffff:198.51.100.0/120']) };
    const pool = [
      '127.0.0.1', '::ffff:127.0.0.1', '::FFFF:127.0.0.1', '10.1.2.3', '10.200.0.1', '010.1.2.3', '10.1.2.03', '203.0.113.9', '198.51.100.4',
      '::ffff:198.51.100.4', '192.168.3.4', '172.16.9.9', '8.8.8.8', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '1.2.3.4.5', '1..2.3',
      '10.0.0.1:8080', '[2001:db8::1]', '2001:db8:1::7', '2001:db9::1', '::1', 'fe80::1%eth0', 'unknown', '', ' 10.1.2.3 ', '1.2.3.4 ', '.1.2.3', '1.2.3.',
    ];
    let seed = 42;
    const random = (n: number) => {
      // mulberry32: small, seeded, well mixed in every bit
      let t = (seed = (seed + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pick = () => pool[random(pool.length)];
    const differing: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const remote = random(50) === 0 ? undefined : pick();
      const hops = Array.from({ length: random(4) }, pick);
      const xff = random(7) === 0 ? undefined : hops.join(random(3) === 0 ? ', ' : ',');
      const got = clientAddress(remote, xff, trusted);
      const want = reference(remote, xff, trusted);
      if (got !== want) differing.push(`client ${JSON.stringify([remote, xff])}: ${got} != ${want}`);
      const subject = pick();
      const decision = decideIpAccess(subject, lists);
      const expected = isInCidrList(subject, lists.allow) ? 'allow' : isInCidrList(subject, lists.deny) ? 'deny' : 'none';
      if (decision !== expected) differing.push(`list ${JSON.stringify(subject)}: ${decision} != ${expected}`);
    }
    expect(differing.slice(0, 10)).to.deep.equal([]);
  });
});
