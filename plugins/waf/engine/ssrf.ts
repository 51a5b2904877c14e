import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Server-side request forgery: a URL in a parameter that makes the server fetch from itself, its
 * network or the cloud metadata service. Each URL in the value is parsed the way lenient URL
 * parsers read it (userinfo dropped at the last `@`, `\` as `/`, full-width and enclosed
 * characters folded), and its host is resolved without DNS: IPv4 in any of the numeric forms
 * `inet_aton` accepts (decimal, octal, hex, 1 to 4 parts), IPv6 literals (and IPv4 mapped in
 * them), loopback and internal names, and wildcard-DNS names that embed an address
 * (`10.0.0.1.nip.io`). Schemes that speak raw protocols to internal services (gopher, dict) are
 * flagged whatever the host. The metadata addresses themselves are flagged anywhere.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  metadata: { ruleId: 'ssrf.cloud-metadata', message: 'Cloud metadata service address', paranoia: 1, severity: 'critical' },
  internal: { ruleId: 'ssrf.internal-host', message: 'URL to a loopback, private or link-local host', paranoia: 1, severity: 'critical' },
  scheme: { ruleId: 'ssrf.protocol-smuggling-scheme', message: 'URL scheme that talks raw protocols (gopher, dict, ...)', paranoia: 1, severity: 'critical' },
  parserTrick: { ruleId: 'ssrf.url-parser-confusion', message: 'URL built to be read differently by two parsers', paranoia: 1, severity: 'critical' },
  rebinding: { ruleId: 'ssrf.dns-rebinding-host', message: 'Wildcard-DNS or rebinding service that resolves to a chosen address', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

/** Metadata endpoints of AWS, GCP, Azure, DigitalOcean, Hetzner, Oracle, Alibaba, ECS, EKS. */
const METADATA_ANYWHERE = /(?:^|[^\d.])(?:169\.254\.169\.254|169\.254\.170\.2|100\.100\.100\.200|192\.0\.0\.192)(?![\d])|\[?fd00:ec2::254\]?|metadata\.google\.internal|\bmetadata\.azure\.com|\/computemetadata\/v1|\/latest\/meta-data\b|\/latest\/user-data\b|\/metadata\/v1\/|\/metadata\/instance\b|\/opc\/v[12]\/instance/i;

/** Raw-protocol schemes; `jar:` fetches nested URLs; `netdoc:` is Java's file reader. */
const SMUGGLING_SCHEME = /(?:^|[^\w+.-])(?:gopher|dict|ldap|ldaps|tftp|sftp|jar|netdoc|rmi|iiop|corba|fastcgi|redis)s?:(?:\/\/|[a-z]+:\/\/)/i;

/** Host names that mean this machine or its private network. */
const INTERNAL_NAME = /^(?:localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|instance-data|metadata|rancher-metadata|kubernetes(?:\.default(?:\.svc)?)?|(?:[\w-]+\.)+(?:localhost|internal|local|intranet|corp|home\.arpa|cluster\.local|svc))\.?$/;

/** Services whose names resolve to any address spelled in them, or rebind between two. */
const REBINDING = /(?:^|\.)(?:nip\.io|xip\.io|sslip\.io|localtest\.me|lvh\.me|vcap\.me|lacolhost\.com|readme\.localtest\.me|1u\.ms|rbndr\.us|r3dir\.me|traefik\.me|localh\.st|fbi\.com|spoofed\.burpcollaborator\.net)$/;

/** `scheme://` or `scheme:\\` or `http:host` after a boundary. */
const URL_START = /(?:^|[^\w+.-])((?:https?|ftps?|wss?|gopher|dict|file|sftp|tftp|ldaps?|jar:[a-z]+)):(\/\/|\\\\|\/\\|\\\/|\/(?!\/)|(?=[\w[]))/gi;

/** Parses one IPv4 number part as inet_aton does: `0x` hex, leading-0 octal, else decimal. */
function parsePart(part: string): number | null {
  if (/^0x[0-9a-f]*$/i.test(part)) {
    // Long hex strings: lenient parsers keep the low 32 bits.
    const hex = part.slice(2);
    return hex === '' ? 0 : parseInt(hex.length > 8 ? hex.slice(-8) : hex, 16);
  }
  if (/^0[0-7]*$/.test(part)) return part.length > 12 ? null : parseInt(part, 8);
  if (/^(?:0o|o|q)[0-7]+$/i.test(part)) return parseInt(part.replace(/^(?:0o|o|q)/i, ''), 8);
  if (/^\d+$/.test(part)) return part.length > 12 ? null : Number(part);
  return null;
}

/** The 32-bit address a host string names, or null if it is not numeric. */
export function parseIpv4Host(host: string): number | null {
  const parts = host.split('.');
  if (parts.length > 4 || parts.some((p) => p === '')) return null;
  const nums: number[] = [];
  for (const p of parts) {
    const n = parsePart(p);
    if (n === null) return null;
    nums.push(n);
  }
  const last = nums[nums.length - 1];
  const head = nums.slice(0, -1);
  if (head.some((n) => n > 255)) return null;
  const lastBits = 8 * (5 - nums.length);
  if (last >= 2 ** lastBits && nums.length > 1) return null;
  let addr = 0;
  for (let i = 0; i < head.length; i++) addr += head[i] * 2 ** (24 - 8 * i);
  return addr + (nums.length === 1 ? last % 2 ** 32 : last);
}

function isInternalIpv4(a: number): boolean {
  const o1 = Math.floor(a / 2 ** 24);
  const o2 = Math.floor(a / 2 ** 16) % 256;
  return o1 === 0 || o1 === 127 || o1 === 10 || (o1 === 172 && o2 >= 16 && o2 <= 31) || (o1 === 192 && o2 === 168) ||
    (o1 === 169 && o2 === 254) || (o1 === 100 && o2 >= 64 && o2 <= 127) || (o1 === 192 && o2 === 0 && Math.floor(a / 256) % 256 === 0) ||
    (o1 === 198 && (o2 === 18 || o2 === 19));
}

function isMetadataIpv4(a: number): boolean {
  return a === 0xa9fea9fe || a === 0xa9feaa02 || a === 0x646464c8 || a === 0xc00000c0;
}

/** IPv6 literal (brackets removed): loopback, unspecified, unique-local, link-local, or mapped IPv4. */
function classifyIpv6(host: string): 'metadata' | 'internal' | null {
  const h = host.toLowerCase().replace(/%.*$/, '');
  if (!/^[0-9a-f:.]+$/.test(h) || !h.includes(':')) return null;
  const mapped = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(h);
  if (mapped !== null) {
    const a = parseIpv4Host(mapped[1]);
    if (a !== null) return isMetadataIpv4(a) ? 'metadata' : isInternalIpv4(a) ? 'internal' : null;
  }
  if (h === 'fd00:ec2::254') return 'metadata';
  const groups = expandIpv6(h);
  if (groups === null) return null;
  if (groups.slice(0, 7).every((g) => g === 0) && (groups[7] === 0 || groups[7] === 1)) return 'internal';
  if (groups.slice(0, 5).every((g) => g === 0) && (groups[5] === 0xffff || groups[5] === 0)) {
    const a = groups[6] * 65536 + groups[7];
    return isMetadataIpv4(a) ? 'metadata' : isInternalIpv4(a) ? 'internal' : null;
  }
  if ((groups[0] & 0xfe00) === 0xfc00 || (groups[0] & 0xffc0) === 0xfe80) return 'internal';
  return null;
}

function expandIpv6(h: string): number[] | null {
  const halves = h.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  if (halves.length === 1 && head.length !== 8) return null;
  const fill = 8 - head.length - tail.length;
  if (fill < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  const out = all.map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  return out.some(Number.isNaN) ? null : out;
}

/** Folds full-width, circled and other compatibility characters (`①②⑦`, `ⓔⓧ`) to ASCII. */
function foldHost(host: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(host) ? host.normalize('NFKC').replace(/[\u3002\uff0e\uff61]/g, '.') : host;
}

/** The authority of a URL as lenient parsers read it; also reports parser-confusion tricks. */
function readAuthority(rest: string, out: Set<RuleKey>): string {
  // The authority ends at the first `/`, `?` or `#` (and `\`, which WHATWG reads as `/`).
  const end = rest.search(/[/?#\\\s\0]/);
  let authority = end === -1 ? rest : rest.slice(0, end);
  const after = end === -1 ? '' : rest.slice(end, end + 200);
  // `http://a.example\@10.0.0.1/`, `http://a#@b/`: one parser stops at `\`/`#`, another reads userinfo.
  if (/^[\\#?][^/\s]*@/.test(after) && /@/.test(after.split('/')[0] ?? '')) out.add('parserTrick');
  const at = authority.lastIndexOf('@');
  if (at !== -1) {
    const userinfo = authority.slice(0, at);
    // Several `@`, or `&@`/`#@` (`http://1.1.1.1&@2.2.2.2#@3.3.3.3/`).
    if (userinfo.includes('@') || /[&#]$/.test(userinfo)) out.add('parserTrick');
    authority = authority.slice(at + 1);
  }
  return authority;
}

function splitHostPort(authority: string): string {
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    return close === -1 ? authority.slice(1) : authority.slice(1, close);
  }
  const colon = authority.lastIndexOf(':');
  return colon === -1 ? authority : authority.slice(0, colon);
}

function classifyHost(rawHost: string, out: Set<RuleKey>): void {
  const folded = foldHost(rawHost);
  // `http://ⓔⓧⓐⓜⓟⓛⓔ.ⓒⓞⓜ`: a host that only becomes ASCII after folding is built to slip past filters.
  if (folded !== rawHost && /^[\x21-\x7e]+$/.test(folded)) out.add('parserTrick');
  const host = folded.toLowerCase().replace(/\.$/, '');
  if (host === '') return;
  if (host.includes(':')) {
    const kind = classifyIpv6(host);
    if (kind !== null) out.add(kind === 'metadata' ? 'metadata' : 'internal');
    return;
  }
  const a = parseIpv4Host(host);
  if (a !== null) {
    if (isMetadataIpv4(a)) out.add('metadata');
    else if (isInternalIpv4(a)) out.add('internal');
    return;
  }
  if (INTERNAL_NAME.test(host)) {
    out.add(host.startsWith('metadata') || host === 'instance-data' ? 'metadata' : 'internal');
    return;
  }
  if (REBINDING.test(host)) {
    out.add('rebinding');
    return;
  }
  // `app.10.0.0.5.example.com`-style names or `example.com.127.0.0.1`: an address in the labels.
  const embedded = /(?:^|\.)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:\.|$)/.exec(host);
  if (embedded !== null) {
    const e = parseIpv4Host(embedded[1]);
    if (e !== null && (isInternalIpv4(e) || isMetadataIpv4(e))) out.add(host.endsWith(embedded[1]) ? 'internal' : 'rebinding');
  }
}

function checkUrls(value: string, out: Set<RuleKey>): void {
  URL_START.lastIndex = 0;
  let m: RegExpExecArray | null;
  let count = 0;
  while ((m = URL_START.exec(value)) !== null && count++ < 16) {
    const scheme = m[1].toLowerCase();
    if (scheme === 'file') continue; // the path-traversal detector's (file:// wrappers)
    const start = m.index + m[0].length;
    // `http:/\host`, `http:\\host`: the separators are noise to lenient parsers.
    const rest = value.slice(start, start + 512).replace(/^[/\\]+/, '');
    if (m[2] === '' && !/^[\w[]/.test(rest)) continue;
    const authority = readAuthority(rest, out);
    classifyHost(splitHostPort(authority), out);
  }
}

function mayContainUrl(value: string): boolean {
  return value.includes(':');
}

export function detectSsrf(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  const found = new Set<RuleKey>();
  if (METADATA_ANYWHERE.test(value)) found.add('metadata');
  if (mayContainUrl(value)) {
    if (SMUGGLING_SCHEME.test(value)) found.add('scheme');
    checkUrls(value, found);
  }
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
