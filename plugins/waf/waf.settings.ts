// Per-store settings and platform options of the request filter: their JSON Schemas (the host
// validates settings on every write, options at boot) and the compiled form the filter uses on
// every request, memoised so a request pays for a lookup, not for parsing lists.
import { parseCidrList, type CidrList, type DetectorName, type ParanoiaLevel, type Policy } from './engine/index.js';

export type Mode = 'block' | 'monitor';
export type RouteClass = 'login' | 'checkout' | 'search' | 'default';
export const ROUTE_CLASSES: readonly RouteClass[] = ['login', 'checkout', 'search', 'default'];
export const DETECTORS: readonly DetectorName[] = ['sqli', 'xss', 'lfi', 'rce', 'ssti', 'xxe', 'ssrf', 'nosql', 'crlf', 'ldap', 'php', 'java', 'nodejs', 'session', 'scanner', 'protocol'];

export interface ClassLimit {
  /** Requests per window from one client address; 0 = not limited. */
  limit: number;
  windowSeconds: number;
}

export interface WafSettings {
  mode: Mode;
  paranoia: ParanoiaLevel;
  threshold: number;
  exclusions: { path: string; params?: string[]; detectors?: DetectorName[] }[];
  rateLimits: { enabled: boolean } & Record<RouteClass, ClassLimit>;
  ipAllow: string[];
  ipDeny: string[];
}

export interface WafOptions {
  trustedProxies: string[];
  maxEventsPerMinute: number;
  retentionDays: number;
}

// Strict address syntax (the lists are parsed again with ipaddr.js; this refuses typos on write).
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4 = `${OCTET}(\\.${OCTET}){3}`;
const H = '[0-9A-Fa-f]{1,4}';
const LS32 = `(${H}:${H}|${IPV4})`;
const IPV6 = [
  `(${H}:){6}${LS32}`,
  `::(${H}:){5}${LS32}`,
  `(${H})?::(${H}:){4}${LS32}`,
  `((${H}:){0,1}${H})?::(${H}:){3}${LS32}`,
  `((${H}:){0,2}${H})?::(${H}:){2}${LS32}`,
  `((${H}:){0,3}${H})?::${H}:${LS32}`,
  `((${H}:){0,4}${H})?::${LS32}`,
  `((${H}:){0,5}${H})?::${H}`,
  `((${H}:){0,6}${H})?::`,
].join('|');
export const CIDR_PATTERN = `^((${IPV4})(/(3[0-2]|[12]?[0-9]))?|(${IPV6})(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$`;

const cidrList = (description: string) =>
  ({ type: 'array', maxItems: 1000, uniqueItems: true, default: [], description, items: { type: 'string', maxLength: 64, pattern: CIDR_PATTERN } }) as const;

const classLimit = (limit: number, what: string) =>
  ({
    type: 'object',
    additionalProperties: false,
    default: {},
    description: what,
    properties: {
      limit: { type: 'integer', minimum: 0, maximum: 1_000_000, default: limit, description: 'requests per window from one client address; 0 = no limit' },
      windowSeconds: { type: 'integer', minimum: 1, maximum: 86_400, default: 60 },
    },
  }) as const;

/** Rich-text fields staff legitimately fill with HTML: product descriptions, and catalog imports. */
export const DEFAULT_EXCLUSIONS: WafSettings['exclusions'] = [
  { path: '/admin/v1/products*', params: ['body.translations.*.description'], detectors: ['xss'] },
  { path: '/admin/v1/products/import', params: ['body'], detectors: ['xss'] },
];

export const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: { enum: ['block', 'monitor'], default: 'block', description: 'block: refuse with 403; monitor: let the request through and record an alert' },
    paranoia: { type: 'integer', minimum: 1, maximum: 4, default: 1, description: 'higher levels add stricter rules (and more false positives)' },
    threshold: { type: 'integer', minimum: 1, maximum: 1000, default: 5, description: 'anomaly score at which a request is blocked (one critical rule scores 5)' },
    exclusions: {
      type: 'array',
      maxItems: 100,
      default: DEFAULT_EXCLUSIONS,
      description: 'fields that legitimately carry HTML or code: a path (exact, or a prefix ending in *), optional parameter locations and detectors',
      items: {
        type: 'object',
        required: ['path'],
        additionalProperties: false,
        properties: {
          path: { type: 'string', minLength: 1, maxLength: 300, pattern: '^/', description: '/admin/v1/products* or /store/v1/carts/*/checkout' },
          params: {
            type: 'array', minItems: 1, maxItems: 50,
            items: { type: 'string', minLength: 1, maxLength: 200, pattern: '^(path|query|body|cookie|header)([.[].*)?$', description: 'body.description, query.q, body.items[*].note, header.referer' },
          },
          detectors: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: DETECTORS } },
        },
      },
    },
    rateLimits: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'per client address, per store and per route class',
      properties: {
        enabled: { type: 'boolean', default: true },
        login: classLimit(10, 'sign-in, sign-up and password reset'),
        checkout: classLimit(30, 'placing an order'),
        search: classLimit(300, 'product search and suggestions'),
        default: classLimit(1200, 'every other request'),
      },
    },
    ipAllow: cidrList('addresses (CIDR, IPv4 or IPv6) that skip the filter and the rate limits; an allow beats a deny'),
    ipDeny: cidrList('addresses (CIDR, IPv4 or IPv6) refused with 403 before anything is inspected'),
  },
} as const;

export const optionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    trustedProxies: {
      type: 'array', maxItems: 200, default: [],
      description: 'load balancers and proxies (CIDR) whose X-Forwarded-For is believed; the client is the first address from the right that is not one of them',
      items: { type: 'string', maxLength: 64, pattern: CIDR_PATTERN },
    },
    maxEventsPerMinute: { type: 'integer', minimum: 1, maximum: 100_000, default: 120, description: 'events stored per client address and store per minute; past it, blocks are counted in /metrics only' },
    retentionDays: { type: 'integer', minimum: 1, maximum: 3650, default: 90, description: 'events older than this are deleted' },
  },
} as const;

/** What a request is judged against: settings parsed once. */
export interface CompiledSettings {
  mode: Mode;
  policy: Policy;
  rateLimits: WafSettings['rateLimits'];
  lists: { allow: CidrList; deny: CidrList } | null;
}

const memo = new Map<string, CompiledSettings>();

/** Settings arrive as a fresh copy on every request; equal settings share one compiled form. */
export function compileSettings(s: WafSettings): CompiledSettings {
  const key = JSON.stringify(s);
  let out = memo.get(key);
  if (out === undefined) {
    const allow = parseCidrList(s.ipAllow ?? []);
    const deny = parseCidrList(s.ipDeny ?? []);
    out = {
      mode: s.mode ?? 'block',
      policy: { paranoia: s.paranoia ?? 1, threshold: s.threshold ?? 5, exclusions: s.exclusions ?? DEFAULT_EXCLUSIONS },
      rateLimits: s.rateLimits,
      lists: allow.v4.length + allow.v6.length + deny.v4.length + deny.v6.length > 0 ? { allow, deny } : null,
    };
    if (memo.size >= 1000) memo.clear();
    memo.set(key, out);
  }
  return out;
}
