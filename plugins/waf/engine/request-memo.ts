import { MAX_HEADER_VALUE_LENGTH } from './limits.js';
import { ADDRESS_HEADERS, ADDRESS_LIST } from './request-parts.js';
import type { InspectableRequest, ParanoiaLevel } from './types.js';

/**
 * Whole requests found clean, per paranoia level. A storefront sees the same request again and
 * again (the same list page, from the same browsers, through the same proxy); judging it again
 * costs far more than recognising it. The key holds every input inspectRequest reads, so a
 * remembered request is one whose every part was judged and found clean; the one thing left
 * out is a proxy's plain address list (X-Forwarded-For and kin), which the engine never
 * inspects: it only checks that header for length and control characters, and a plain address
 * list within the length bound has neither. Requests with a body or given cookies are not
 * remembered, nor very large ones. Two generations: an attacker sending unique requests only
 * turns them over.
 */
const MAX_KEY = 2048;
export const REQUEST_CACHE_SIZE = 4096;
let limit = REQUEST_CACHE_SIZE;
const young: Array<Set<string>> = [new Set(), new Set(), new Set(), new Set(), new Set()];
const old: Array<Set<string>> = [new Set(), new Set(), new Set(), new Set(), new Set()];

/** Sets how many requests are remembered per paranoia level (0: none). */
export function configureRequestCache(size: number): void {
  limit = Math.max(0, Math.floor(size));
  for (const s of young) s.clear();
  for (const s of old) s.clear();
}

/**
 * An injective text form of the request (every piece length-prefixed), or undefined when it is
 * not to be remembered.
 */
export function requestKey(req: InspectableRequest): string | undefined {
  if (limit === 0 || req.body !== undefined || req.rawBody !== undefined || req.cookies !== undefined) return undefined;
  let key = `${req.method.length}:${req.method}${req.path.length}:${req.path}?`;
  for (const name in req.query) {
    const v = req.query[name];
    if (typeof v !== 'string') return undefined;
    key += `${name.length}:${name}${v.length}:${v}`;
  }
  key += '#';
  for (const name in req.headers) {
    const v = req.headers[name];
    if (v === undefined) key += `${name.length}:${name}u`;
    else if (typeof v !== 'string') return undefined;
    else if (ADDRESS_HEADERS.has(name) && v.length <= MAX_HEADER_VALUE_LENGTH && ADDRESS_LIST.test(v)) key += `${name.length}:${name}a`;
    else key += `${name.length}:${name}s${v.length}:${v}`;
    if (key.length > MAX_KEY) return undefined;
  }
  return key.length > MAX_KEY ? undefined : key;
}

export function isKnownClean(key: string, paranoia: ParanoiaLevel): boolean {
  return young[paranoia].has(key) || old[paranoia].has(key);
}

export function rememberClean(key: string, paranoia: ParanoiaLevel): void {
  let y = young[paranoia];
  if (y.size >= limit / 2) {
    old[paranoia] = y;
    y = young[paranoia] = new Set();
  }
  y.add(key);
}
