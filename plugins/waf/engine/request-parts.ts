import { MAX_VALUE_LENGTH } from './limits.js';
import type { HeaderValue, InspectableRequest } from './types.js';
import { decodePercentOnce } from './url-decode.js';

/**
 * Headers set by proxies on every request (lower-case name); a plain list of addresses (hex
 * digits, dots, colons) in them carries nothing. Comparisons, not a set: no memory reads on the
 * request memo's hot path.
 */
export function isAddressHeader(name: string): boolean {
  return name === 'x-forwarded-for' || name === 'x-real-ip' || name === 'x-client-ip' || name === 'true-client-ip';
}
/** A plain list of addresses: 1 to 32 items of 1 to 45 hex digits, dots and colons, split by commas (spaces or tabs around them). */
export const ADDRESS_LIST = /^[0-9A-Fa-f:.]{1,45}(?:[ \t]*,[ \t]*[0-9A-Fa-f:.]{1,45}){0,31}$/;

const isBlank = (c: number): boolean => c === 32 || c === 9;

/**
 * ADDRESS_LIST.test(v) as a loop over the characters: the request memo asks it on every request,
 * and served a regular expression call costs more than the handful of characters it reads.
 */
export function isAddressList(v: string): boolean {
  const n = v.length;
  let run = 0;
  let commas = 0;
  let i = 0;
  while (i < n) {
    const c = v.charCodeAt(i);
    // 0-9 and ':' (48-58), '.', A-F, a-f
    if ((c >= 48 && c <= 58) || c === 46 || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) {
      if (++run > 45) return false;
      i += 1;
      continue;
    }
    if (run === 0) return false;
    while (i < n && isBlank(v.charCodeAt(i))) i += 1;
    if (i === n || v.charCodeAt(i) !== 44 || ++commas > 31) return false;
    i += 1;
    while (i < n && isBlank(v.charCodeAt(i))) i += 1;
    run = 0;
  }
  return run > 0;
}

/** Node delivers repeated headers as arrays; everything else as a string or undefined. */
export function listHeaderValues(value: HeaderValue): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function readContentType(req: InspectableRequest): string {
  return (listHeaderValues(req.headers['content-type'])[0] ?? '').toLowerCase();
}

export function parseCookieHeader(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/**
 * Parses a raw body the framework did not parse, so its fields are inspected one by one
 * rather than as a single blob; anything unparseable is inspected as text. Bounded.
 */
export function parseRawBody(raw: string, contentType: string): unknown {
  const text = raw.length > MAX_VALUE_LENGTH * 8 ? raw.slice(0, MAX_VALUE_LENGTH * 8) : raw;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (isFormType(contentType)) return parseQueryString(text);
  return text.length > MAX_VALUE_LENGTH ? text.slice(0, MAX_VALUE_LENGTH) : text;
}

export function isFormType(contentType: string): boolean {
  return contentType.startsWith('application/x-www-form-urlencoded');
}

/** Node's querystring stops at 1000 pairs too. */
const MAX_QUERY_PAIRS = 1000;

function decodeComponent(s: string): string {
  const plus = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  return plus.includes('%') ? decodePercentOnce(plus) : plus;
}

/**
 * A query string or form body from its raw bytes, decoded once the lenient way
 * (`decodePercentOnce`): overlong UTF-8 (`%c0%af`) and `%uXXXX` are decoded, a broken escape
 * stays as text. Node's own parser would hand over U+FFFD for every byte that is not valid
 * UTF-8, erasing what a lenient server behind the filter would see; the query and a form body
 * go through this one function, so the same bytes get the same verdict in both. Repeated names
 * become arrays; the object has no prototype (`__proto__` is a name like any other). Bounded.
 */
export function parseQueryString(raw: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  let pairs = 0;
  let start = 0;
  const n = raw.length;
  while (start <= n && pairs < MAX_QUERY_PAIRS) {
    let end = raw.indexOf('&', start);
    if (end === -1) end = n;
    if (end > start) {
      pairs += 1;
      const part = raw.slice(start, end);
      const eq = part.indexOf('=');
      const name = decodeComponent(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
      const prev = out[name];
      out[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    start = end + 1;
  }
  return out;
}
