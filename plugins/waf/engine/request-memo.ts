import { MAX_HEADER_VALUE_LENGTH } from './limits.js';
import { ADDRESS_HEADERS, ADDRESS_LIST } from './request-parts.js';
import type { InspectableRequest, ParanoiaLevel } from './types.js';

/**
 * Whole requests found clean, per paranoia level. A storefront sees the same request again and
 * again (the same list page, from the same browsers, through the same proxy); judging it again
 * costs far more than recognising it.
 *
 * A request is remembered as its pieces, in order: method, path, each query name and value
 * (or, when the caller gives the request target its path and query were parsed from, that one
 * string), then each header name and value. That sequence holds every input inspectRequest reads, so a
 * remembered request is one whose every part was judged and found clean. The one thing left out
 * are a proxy's plain address list (X-Forwarded-For and kin), which the engine never inspects:
 * it only checks that header for length and control characters, and a plain address list within
 * the length bound has neither; and a plain host name in Host, which the engine only checks for
 * being empty, repeated, an IP address, overlong or holding control characters: a name of
 * letters, digits, dots and hyphens (with at least one letter, and an optional port) is none of
 * these. So the stores of one deployment share one path through the tree instead of one each.
 * Requests with a body or given cookies are not remembered, nor very large ones.
 *
 * The pieces are a path in a tree of maps, one map lookup a piece: no key is built, and equal
 * means equal (the maps compare the strings themselves). Two generations bounded by pieces and
 * characters held: an attacker sending unique requests only turns them over; a request found
 * in the old generation moves to the young one.
 */
type Piece = string | symbol;
type Node = Map<Piece, Node>;
interface Tree {
  root: Node;
  nodes: number;
  chars: number;
}

const QUERY_END = Symbol('query end');
/** Marks the request target piece (a string piece in that place is a path). */
const TARGET = Symbol('request target');
const NO_VALUE = Symbol('header without value');
const ADDRESSES = Symbol('plain address list');
const HOST_NAME = Symbol('plain host name');
/** A host name (at least one letter: never an IP address) and an optional port; nothing the engine flags. */
const PLAIN_HOST = /^(?=[\w.-]*[a-z])[a-z0-9.-]{1,253}(?::\d{1,5})?$/i;
const CLEAN = Symbol('clean');
const LEAF: Node = new Map();

/** Largest request remembered: characters over all its pieces, and pieces. */
const MAX_CHARS = 2048;
const MAX_PIECES = 96;
/** Default bound of one generation: map nodes (characters held: 64 per node). */
export const REQUEST_CACHE_SIZE = 16_384;
let maxNodes = REQUEST_CACHE_SIZE;

const emptyTree = (): Tree => ({ root: new Map(), nodes: 0, chars: 0 });
const young: Tree[] = [0, 1, 2, 3, 4].map(emptyTree);
const old: Tree[] = [0, 1, 2, 3, 4].map(emptyTree);

/** Sets how many map nodes one generation may hold per paranoia level (0: nothing is remembered). */
export function configureRequestCache(nodes: number): void {
  maxNodes = Math.max(0, Math.floor(nodes));
  for (let p = 0; p < young.length; p++) {
    young[p] = emptyTree();
    old[p] = emptyTree();
  }
}

/** The header's piece: its value, ADDRESSES, HOST_NAME, NO_VALUE, or null when the request is not to be remembered. */
function headerPiece(name: string, v: string | string[] | undefined): Piece | null {
  if (v === undefined) return NO_VALUE;
  if (typeof v !== 'string') return null;
  if (name === 'host') return PLAIN_HOST.test(v) ? HOST_NAME : v;
  return ADDRESS_HEADERS.has(name) && v.length <= MAX_HEADER_VALUE_LENGTH && ADDRESS_LIST.test(v) ? ADDRESSES : v;
}

function isCandidate(req: InspectableRequest): boolean {
  return maxNodes > 0 && req.body === undefined && req.rawBody === undefined && req.cookies === undefined;
}

/** The request's pieces, or null when it is not to be remembered. */
export function requestPieces(req: InspectableRequest): Piece[] | null {
  if (!isCandidate(req)) return null;
  const out: Piece[] = [req.method];
  if (req.url !== undefined) {
    out.push(TARGET, req.url);
  } else {
    out.push(req.path);
    for (const name in req.query) {
      const v = req.query[name];
      if (typeof v !== 'string') return null;
      out.push(name, v);
    }
    out.push(QUERY_END);
  }
  for (const name in req.headers) {
    const v = headerPiece(name, req.headers[name]);
    if (v === null) return null;
    out.push(name, v);
  }
  return out;
}

/** Follows the request's pieces from the root; the node they end at, or undefined. */
function find(tree: Tree, req: InspectableRequest): Node | undefined {
  let node = tree.root.get(req.method);
  if (req.url !== undefined) {
    node = node?.get(TARGET)?.get(req.url);
  } else {
    node = node?.get(req.path);
    for (const name in req.query) {
      if (node === undefined) return undefined;
      const v = req.query[name];
      if (typeof v !== 'string') return undefined;
      node = node.get(name)?.get(v);
    }
    node = node?.get(QUERY_END);
  }
  for (const name in req.headers) {
    if (node === undefined) return undefined;
    const v = headerPiece(name, req.headers[name]);
    if (v === null) return undefined;
    node = node.get(name)?.get(v);
  }
  return node;
}

export function isKnownClean(req: InspectableRequest, paranoia: ParanoiaLevel): boolean {
  if (!isCandidate(req)) return false;
  if (find(young[paranoia], req)?.has(CLEAN)) return true;
  if (!find(old[paranoia], req)?.has(CLEAN)) return false;
  rememberClean(req, paranoia);
  return true;
}

export function rememberClean(req: InspectableRequest, paranoia: ParanoiaLevel): void {
  const pieces = requestPieces(req);
  if (pieces === null || pieces.length > MAX_PIECES) return;
  let chars = 0;
  for (const p of pieces) if (typeof p === 'string') chars += p.length;
  if (chars > MAX_CHARS) return;
  let tree = young[paranoia];
  if (tree.nodes + pieces.length > maxNodes || tree.chars + chars > maxNodes * 64) {
    old[paranoia] = tree;
    tree = young[paranoia] = emptyTree();
  }
  let node = tree.root;
  for (const p of pieces) {
    let child = node.get(p);
    if (child === undefined) {
      child = new Map();
      node.set(p, child);
      tree.nodes += 1;
      if (typeof p === 'string') tree.chars += p.length;
    }
    node = child;
  }
  node.set(CLEAN, LEAF);
}
