import ipaddr from 'ipaddr.js';

/**
 * CIDR allow/deny lists for IPv4 and IPv6, and client-address resolution behind proxies.
 * IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, as Node reports IPv4 peers on dual-stack
 * sockets) are matched as the IPv4 address they carry, in both lists and inputs.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface CidrList {
  readonly v4: ReadonlyArray<readonly [ipaddr.IPv4, number]>;
  /** The same IPv4 ranges as 32-bit numbers, network and mask in turn (flat: one array to read per check), for addresses read without ipaddr. */
  readonly v4Masks: readonly number[];
  readonly v6: ReadonlyArray<readonly [ipaddr.IPv6, number]>;
  /** Entries that could not be parsed (reported, never matched). */
  readonly invalid: readonly string[];
}

const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * A dotted quad in canonical form (no leading zeros, no spaces: what proxies write and Node
 * reports) from `start` to the end of `s`, as a 32-bit number; -1 for anything else, which
 * then goes the general way through parseAddress. Canonical means the text is its own
 * normal form, so no address object and no string is made for it.
 */
function readDottedQuad(s: string, start: number): number {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits += 1;
    } else if (c === 46 && digits > 0 && dots < 3) {
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots += 1;
    } else {
      return -1;
    }
  }
  return digits > 0 && dots === 3 ? n * 256 + octet : -1;
}

const MAPPED_PREFIX = '::ffff:';

/** The 32-bit form of a canonical dotted quad, bare or IPv4-mapped (`::ffff:a.b.c.d`); -1 otherwise. */
export function plainIPv4(s: string): number {
  return s.startsWith(MAPPED_PREFIX) ? readDottedQuad(s, MAPPED_PREFIX.length) : readDottedQuad(s, 0);
}

function isV4InList(n: number, list: CidrList): boolean {
  const masks = list.v4Masks;
  for (let i = 0; i < masks.length; i += 2) if (((n & masks[i + 1]) >>> 0) === masks[i]) return true;
  return false;
}

function toV4Number(addr: ipaddr.IPv4): number {
  const [a, b, c, d] = addr.octets;
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

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
  const v4Masks: number[] = [];
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
      else {
        v4.push([addr as ipaddr.IPv4, bits]);
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        v4Masks.push((toV4Number(addr as ipaddr.IPv4) & mask) >>> 0, mask);
      }
    } else if (bits < 0 || bits > 128) {
      invalid.push(raw);
    } else {
      v6.push([addr as ipaddr.IPv6, bits]);
    }
  }
  return { v4, v4Masks, v6, invalid };
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
  const n = address === undefined ? -1 : plainIPv4(address);
  if (n >= 0) {
    if (lists.allow !== undefined && isV4InList(n, lists.allow)) return 'allow';
    if (lists.deny !== undefined && isV4InList(n, lists.deny)) return 'deny';
    return 'none';
  }
  const addr = parseAddress(address);
  if (addr === null) return 'none';
  if (lists.allow !== undefined && isParsedInList(addr, lists.allow)) return 'allow';
  if (lists.deny !== undefined && isParsedInList(addr, lists.deny)) return 'deny';
  return 'none';
}

/**
 * The last direct peer clientAddress judged, with its list: behind a load balancer a web process
 * hears from the same one or two proxies on every request, and served every step costs memory reads.
 */
let lastPeer: { list: CidrList; remote: string; text: string | undefined; trusted: boolean } | undefined;

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
  let remoteText: string | undefined;
  let remoteTrusted: boolean;
  const peer = lastPeer;
  if (peer !== undefined && peer.remote === remoteAddress && peer.list === trusted) {
    remoteText = peer.text;
    remoteTrusted = peer.trusted;
  } else {
    const n = remoteAddress === undefined ? -1 : plainIPv4(remoteAddress);
    if (n >= 0) {
      remoteText = remoteAddress!.startsWith(MAPPED_PREFIX) ? remoteAddress!.slice(MAPPED_PREFIX.length) : remoteAddress;
      remoteTrusted = isV4InList(n, trusted);
    } else {
      const remote = parseAddress(remoteAddress);
      remoteText = remote === null ? remoteAddress : toText(remote);
      remoteTrusted = remote !== null && isParsedInList(remote, trusted);
    }
    if (remoteAddress !== undefined) lastPeer = { list: trusted, remote: remoteAddress, text: remoteText, trusted: remoteTrusted };
  }
  if (!remoteTrusted || xForwardedFor === undefined) return remoteText;
  const joined = Array.isArray(xForwardedFor) ? xForwardedFor.join(',') : (xForwardedFor as string);
  // One hop (one proxy in front): no list to build.
  if (!joined.includes(',')) {
    const hop = joined.trim();
    if (hop === '') return remoteText;
    return resolveHop(hop, trusted, remoteText) ?? toTrustedText(hop);
  }
  const hops = joined
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  let last = remoteText;
  for (let i = hops.length - 1; i >= 0; i--) {
    const text = resolveHop(hops[i], trusted, last);
    if (text !== undefined) return text;
    last = toTrustedText(hops[i]);
  }
  return last;
}

/**
 * Where the walk stops at this hop: the hop itself if untrusted, `last` if it is malformed (it
 * cannot be attributed; the last address we could verify stands), or undefined to go on left.
 */
function resolveHop(hop: string, trusted: CidrList, last: string | undefined): string | undefined {
  const n = readDottedQuad(hop, 0);
  if (n >= 0) return isV4InList(n, trusted) ? undefined : hop;
  const addr = parseAddress(hop);
  if (addr === null) return last;
  return isParsedInList(addr, trusted) ? undefined : toText(addr);
}

/** The normal form of a hop already found to be a trusted proxy. */
function toTrustedText(hop: string): string {
  if (readDottedQuad(hop, 0) >= 0) return hop;
  return toText(parseAddress(hop)!);
}
