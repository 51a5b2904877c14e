import ipaddr from 'ipaddr.js';

/**
 * CIDR allow/deny lists for IPv4 and IPv6, and client-address resolution behind proxies.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, as Node reports IPv4 peers on dual-stack
 * sockets) are matched as the IPv4 address they carry, in both lists and inputs.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface CidrList {
  readonly v4: ReadonlyArray<readonly [ipaddr.IPv4, number]>;
  readonly v6: ReadonlyArray<readonly [ipaddr.IPv6, number]>;
  /** Entries that could not be parsed (reported, never matched). */
  readonly invalid: readonly string[];
}

const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** Parses one address, strictly: four-part decimal IPv4 or IPv6 (brackets, zone and port tolerated). */
export function parseAddress(input: string | undefined): Address | null {
  if (input === undefined) return null;
  let s = input.trim();
  if (s === '') return null;
  // The common case, a plain dotted quad, without ipaddr's validate-then-parse double pass.
  const quad = DOTTED_QUAD.exec(s);
  if (quad !== null) {
    const octets = [Number(quad[1]), Number(quad[2]), Number(quad[3]), Number(quad[4])];
    return octets.every((o) => o <= 255) ? new ipaddr.IPv4(octets) : null;
  }
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close === -1) return null;
    s = s.slice(1, close);
  } else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(s)) {
    s = s.slice(0, s.lastIndexOf(':'));
  }
  const zone = s.indexOf('%');
  if (zone !== -1 && s.includes(':')) s = s.slice(0, zone);
  try {
    if (s.includes(':')) {
      if (!ipaddr.IPv6.isValid(s)) return null;
      const v6 = ipaddr.IPv6.parse(s);
      return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
    }
    if (!ipaddr.IPv4.isValidFourPartDecimal(s)) return null;
    return ipaddr.IPv4.parse(s);
  } catch {
    return null;
  }
}

/** Canonical text form: IPv4 dotted quad, IPv6 per RFC 5952; null when invalid. */
export function normalizeAddress(input: string | undefined): string | null {
  const addr = parseAddress(input);
  return addr === null ? null : toText(addr);
}

function toText(addr: Address): string {
  return addr.kind() === 'ipv6' ? (addr as ipaddr.IPv6).toRFC5952String() : addr.toString();
}

/** Builds a list from CIDRs and single addresses (`10.0.0.0/8`, `2001:db8::/32`, `::ffff:192.0.2.0/120`). */
export function parseCidrList(entries: readonly string[]): CidrList {
  const v4: Array<[ipaddr.IPv4, number]> = [];
  const v6: Array<[ipaddr.IPv6, number]> = [];
  const invalid: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    const slash = entry.indexOf('/');
    const host = slash === -1 ? entry : entry.slice(0, slash);
    const addr = parseAddress(host);
    let bits = slash === -1 ? (addr?.kind() === 'ipv6' ? 128 : 32) : Number(entry.slice(slash + 1));
    if (addr === null || !Number.isInteger(bits) || (slash !== -1 && !/^\d{1,3}$/.test(entry.slice(slash + 1)))) {
      invalid.push(raw);
      continue;
    }
    // A mapped IPv6 prefix (::ffff:a.b.c.d/96+) became IPv4: translate its length too.
    const wasMapped = host.includes(':') && addr.kind() === 'ipv4';
    if (wasMapped) bits = slash === -1 ? 32 : bits - 96;
    if (addr.kind() === 'ipv4') {
      if (bits < 0 || bits > 32) invalid.push(raw);
      else v4.push([addr as ipaddr.IPv4, bits]);
    } else if (bits < 0 || bits > 128) {
      invalid.push(raw);
    } else {
      v6.push([addr as ipaddr.IPv6, bits]);
    }
  }
  return { v4, v6, invalid };
}

function isParsedInList(addr: Address, list: CidrList): boolean {
  if (addr.kind() === 'ipv4') {
    const a = addr as ipaddr.IPv4;
    return list.v4.some(([range, bits]) => a.match(range, bits));
  }
  const a = addr as ipaddr.IPv6;
  return list.v6.some(([range, bits]) => a.match(range, bits));
}

export function isInCidrList(address: string | undefined, list: CidrList): boolean {
  const addr = parseAddress(address);
  return addr !== null && isParsedInList(addr, list);
}

export type IpDecision = 'allow' | 'deny' | 'none';

/** An explicit allow wins over a deny, so operators can punch holes in broad deny ranges. */
export function decideIpAccess(address: string | undefined, lists: { allow?: CidrList; deny?: CidrList }): IpDecision {
  const addr = parseAddress(address);
  if (addr === null) return 'none';
  if (lists.allow !== undefined && isParsedInList(addr, lists.allow)) return 'allow';
  if (lists.deny !== undefined && isParsedInList(addr, lists.deny)) return 'deny';
  return 'none';
}

function toCidrList(trusted: CidrList | readonly string[]): CidrList {
  return Array.isArray(trusted) ? parseCidrList(trusted) : (trusted as CidrList);
}

/**
 * The address of the client as far as it can be trusted. Walking X-Forwarded-For from the
 * right, each hop appended by a trusted proxy is skipped; the first untrusted hop is the
 * client. Anything to its left was written by the client and is ignored. If the direct peer
 * is not a trusted proxy, X-Forwarded-For is ignored entirely.
 */
export function clientAddress(
  remoteAddress: string | undefined,
  xForwardedFor: string | readonly string[] | undefined,
  trustedProxies: CidrList | readonly string[],
): string | undefined {
  const trusted = toCidrList(trustedProxies);
  const remote = parseAddress(remoteAddress);
  const remoteText = remote === null ? remoteAddress : toText(remote);
  if (remote === null || !isParsedInList(remote, trusted) || xForwardedFor === undefined) return remoteText;
  const hops = (Array.isArray(xForwardedFor) ? xForwardedFor.join(',') : (xForwardedFor as string))
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  let last = remoteText;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i]);
    // A malformed hop cannot be attributed; stop at the last address we could verify.
    if (hop === null) return last;
    const text = toText(hop);
    if (!isParsedInList(hop, trusted)) return text;
    last = text;
  }
  return last;
}
