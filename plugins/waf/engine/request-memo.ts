import { MAX_HEADER_VALUE_LENGTH } from './limits.js';
import { ADDRESS_HEADERS, ADDRESS_LIST } from './request-parts.js';
import type { InspectableRequest, ParanoiaLevel } from './types.js';

/**
 * Whole requests found clean, per paranoia level. A storefront sees the same request again and
 * again (the same list page, from the same browsers, through the same proxy); judging it again
 * costs far more than recognising it.
 *
 * A request is remembered as its pieces, in order: method, path, each query name and value,
 * then each header name and value. That sequence holds every input inspectRequest reads, so a
 * remembered request is one whose every part was judged and found clean. The one thing left out
 * is a proxy's plain address list (X-Forwarded-For and kin), which the engine never inspects:
 * it only checks that header for length and control characters, and a plain address list within
 * the length bound has neither. Requests with a body or given cookies are not remembered, nor
 * very large ones.
 *
 * Lookups build nothing: a hash of the pieces (FNV-1a over lengths and characters) finds the
 * candidate, and the pieces are compared exactly, so a hash collision costs a miss, never a
 * verdict. Two generations: an attacker sending unique requests only turns them over.
 */
type Piece = string | symbol;
const QUERY_END = Symbol('query end');
const NO_VALUE = Symbol('header without value');
const ADDRESSES = Symbol('plain address list');

const MAX_CHARS = 2048;
const MAX_PIECES = 96;
export const REQUEST_CACHE_SIZE = 4096;
let limit = REQUEST_CACHE_SIZE;

interface Generations {
  young: Map<number, readonly Piece[]>;
  old: Map<number, readonly Piece[]>;
}
const memos: Generations[] = [0, 1, 2, 3, 4].map(() => ({ young: new Map(), old: new Map() }));

let hashMask = -1;

/**
 * Sets how many requests are remembered per paranoia level (0: none). `hashBits` below 32 makes
 * hashes collide on purpose (tests: a collision must cost a miss, never a verdict).
 */
export function configureRequestCache(size: number, hashBits = 32): void {
  limit = Math.max(0, Math.floor(size));
  hashMask = hashBits >= 32 ? -1 : (1 << Math.max(0, hashBits)) - 1;
  for (const m of memos) {
    m.young.clear();
    m.old.clear();
  }
}

/** The header's piece: its value, ADDRESSES, NO_VALUE, or null when the request is not to be remembered. */
function headerPiece(name: string, v: string | string[] | undefined): Piece | null {
  if (v === undefined) return NO_VALUE;
  if (typeof v !== 'string') return null;
  return ADDRESS_HEADERS.has(name) && v.length <= MAX_HEADER_VALUE_LENGTH && ADDRESS_LIST.test(v) ? ADDRESSES : v;
}

function mix(h: number, s: Piece): number {
  if (typeof s !== 'string') return Math.imul(h ^ (s === QUERY_END ? 0x51 : s === NO_VALUE ? 0x52 : 0x53), 0x01000193);
  h = Math.imul(h ^ s.length, 0x01000193);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** The request's hash, or undefined when it is not to be remembered. */
export function requestHash(req: InspectableRequest): number | undefined {
  if (limit === 0 || req.body !== undefined || req.rawBody !== undefined || req.cookies !== undefined) return undefined;
  let h = mix(mix(0x811c9dc5, req.method), req.path);
  let chars = req.method.length + req.path.length;
  let pieces = 2;
  for (const name in req.query) {
    const v = req.query[name];
    if (typeof v !== 'string') return undefined;
    h = mix(mix(h, name), v);
    chars += name.length + v.length;
    pieces += 2;
  }
  h = mix(h, QUERY_END);
  for (const name in req.headers) {
    const v = headerPiece(name, req.headers[name]);
    if (v === null) return undefined;
    h = mix(mix(h, name), v);
    chars += name.length + (typeof v === 'string' ? v.length : 0);
    pieces += 2;
  }
  return chars > MAX_CHARS || pieces > MAX_PIECES ? undefined : h & hashMask;
}

/** The request's pieces (what is remembered); only for a request requestHash() accepted. */
export function requestPieces(req: InspectableRequest): Piece[] {
  const out: Piece[] = [req.method, req.path];
  for (const name in req.query) out.push(name, req.query[name] as string);
  out.push(QUERY_END);
  for (const name in req.headers) out.push(name, headerPiece(name, req.headers[name])!);
  return out;
}

function isSame(req: InspectableRequest, e: readonly Piece[]): boolean {
  if (e[0] !== req.method || e[1] !== req.path) return false;
  let i = 2;
  for (const name in req.query) {
    if (e[i] !== name || e[i + 1] !== req.query[name]) return false;
    i += 2;
  }
  if (e[i++] !== QUERY_END) return false;
  for (const name in req.headers) {
    if (e[i] !== name || e[i + 1] !== headerPiece(name, req.headers[name])) return false;
    i += 2;
  }
  return i === e.length;
}

export function isKnownClean(req: InspectableRequest, hash: number, paranoia: ParanoiaLevel): boolean {
  const m = memos[paranoia];
  const e = m.young.get(hash) ?? m.old.get(hash);
  return e !== undefined && isSame(req, e);
}

export function rememberClean(req: InspectableRequest, hash: number, paranoia: ParanoiaLevel): void {
  const m = memos[paranoia];
  if (m.young.size >= limit / 2) {
    m.old = m.young;
    m.young = new Map();
  }
  // A colliding request takes the slot: the one it had is only forgotten.
  m.young.set(hash, requestPieces(req));
}
