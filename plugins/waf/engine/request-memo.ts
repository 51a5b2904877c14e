import { MAX_HEADER_VALUE_LENGTH } from './limits.js';
import { isAddressHeader, isAddressList } from './request-parts.js';
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
 * The pieces are a path in a tree (below): equal means equal (its maps compare the strings
 * themselves). Two generations bounded by nodes and characters held: an attacker sending unique
 * requests only turns them over; a request found in the old generation moves to the young one.
 */
type Piece = string | symbol;

/**
 * The tree, built for few memory reads: served, the filter's time goes on reads that miss the
 * CPU's caches (bench/RESULTS.md, session 5), and a map lookup costs three or four of them. So
 * the start (method and request target, or method, path and query) is one lookup (GET requests
 * by their target alone), and each header one at most: a node keeps the header name that came
 * next the first time (requests of one kind of client send theirs in one order; others go in a
 * map beside it), a slot keeps the value that came first the same way (compared as text, it
 * spares hashing the request's fresh copy of a User-Agent or Accept seen again and again), and a
 * header's stand-ins (address list, host name, no value) are fields, not map entries. The path
 * from start to end is still exactly the request's pieces, in order.
 */
interface Node {
  /** What the caller noted when a request ending here was found clean (undefined: none did). */
  note: unknown;
  /** The header name most often next here, and where its values lead. */
  name: string | undefined;
  slot: Slot | undefined;
  /** Other header names next here. */
  others: Map<string, Slot> | undefined;
}
interface Slot {
  /** The value that came first here, and where it leads (a header's value mostly repeats: one browser, one Accept). */
  value: string | undefined;
  valueNode: Node | undefined;
  /** Other values. */
  values: Map<string, Node> | undefined;
  addresses: Node | undefined;
  hostName: Node | undefined;
  noValue: Node | undefined;
}
interface Tree {
  /** GET requests given by their request target: the target. */
  gets: Map<string, Node>;
  /** Everything else: the start pieces as JSON. */
  starts: Map<string, Node>;
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
export const PLAIN_HOST = /^(?=[\w.-]*[a-z])[a-z0-9.-]{1,253}(?::\d{1,5})?$/i;

/** PLAIN_HOST.test(v) as a loop over the characters (asked on every request; see isAddressList). */
export function isPlainHost(v: string): boolean {
  const n = v.length;
  let letter = false;
  let i = 0;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) letter = true;
    else if (!((c >= 48 && c <= 57) || c === 46 || c === 45)) break;
  }
  if (i === 0 || i > 253 || !letter) return false;
  if (i === n) return true;
  if (v.charCodeAt(i) !== 58 || n - i - 1 < 1 || n - i - 1 > 5) return false;
  for (let j = i + 1; j < n; j++) {
    const c = v.charCodeAt(j);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Largest request remembered: characters over all its pieces, and pieces. */
const MAX_CHARS = 2048;
const MAX_PIECES = 96;
/** Default bound of one generation: nodes (characters held: 64 per node). */
export const REQUEST_CACHE_SIZE = 16_384;
let maxNodes = REQUEST_CACHE_SIZE;

const emptyTree = (): Tree => ({ gets: new Map(), starts: new Map(), nodes: 0, chars: 0 });
const young: Tree[] = [0, 1, 2, 3, 4].map(emptyTree);
const old: Tree[] = [0, 1, 2, 3, 4].map(emptyTree);

/** Sets how many nodes one generation may hold per paranoia level (0: nothing is remembered). */
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
  if (name === 'host') return isPlainHost(v) ? HOST_NAME : v;
  return isAddressHeader(name) && v.length <= MAX_HEADER_VALUE_LENGTH && isAddressList(v) ? ADDRESSES : v;
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

/** GET requests given by their target start in `gets`, keyed by the target alone. */
function isTargetGet(req: InspectableRequest): req is InspectableRequest & { url: string } {
  return req.url !== undefined && req.method === 'GET';
}

/**
 * The key in `starts` of every other request: JSON of a mode number (0: target, 1: path and
 * query) and the start pieces' strings, so it reads back one way only; null when a query value
 * is not a string (such a request is not remembered).
 */
function startKey(req: InspectableRequest): string | null {
  if (req.url !== undefined) return JSON.stringify([0, req.method, req.url]);
  const parts: (string | number)[] = [1, req.method, req.path];
  for (const name in req.query) {
    const v = req.query[name];
    if (typeof v !== 'string') return null;
    parts.push(name, v);
  }
  return JSON.stringify(parts);
}

/** The node the request's start pieces lead to. */
function startOf(tree: Tree, req: InspectableRequest): Node | undefined {
  if (isTargetGet(req)) return tree.gets.get(req.url);
  const key = startKey(req);
  return key === null ? undefined : tree.starts.get(key);
}

/** Where a header's piece (headerPiece) leads from its slot. */
function childOf(slot: Slot, piece: Piece): Node | undefined {
  if (piece === ADDRESSES) return slot.addresses;
  if (piece === HOST_NAME) return slot.hostName;
  if (piece === NO_VALUE) return slot.noValue;
  // Compared as text, as the map does; spares hashing a value the request brings in a new string.
  if (piece === slot.value) return slot.valueNode;
  return slot.values?.get(piece as string);
}

/** Follows the request's pieces from the start; the node they end at, or undefined. */
function find(tree: Tree, req: InspectableRequest): Node | undefined {
  let node = startOf(tree, req);
  const headers = req.headers;
  for (const name in headers) {
    if (node === undefined) return undefined;
    const slot = node.name === name ? node.slot : node.others?.get(name);
    if (slot === undefined) return undefined;
    const piece = headerPiece(name, headers[name]);
    if (piece === null) return undefined;
    node = childOf(slot, piece);
  }
  return node;
}

/** What the caller noted when this request was found clean at this paranoia (`true` if nothing), or undefined. */
export function recallClean(req: InspectableRequest, paranoia: ParanoiaLevel): unknown {
  if (!isCandidate(req)) return undefined;
  const note = find(young[paranoia], req)?.note;
  if (note !== undefined) return note;
  const older = find(old[paranoia], req)?.note;
  if (older !== undefined) rememberClean(req, paranoia, older);
  return older;
}

export function isKnownClean(req: InspectableRequest, paranoia: ParanoiaLevel): boolean {
  return recallClean(req, paranoia) !== undefined;
}

const newNode = (tree: Tree): Node => {
  tree.nodes += 1;
  return { note: undefined, name: undefined, slot: undefined, others: undefined };
};

/** Remembers the request as found clean, with the caller's note (given back by recallClean). */
export function rememberClean(req: InspectableRequest, paranoia: ParanoiaLevel, note: unknown = true): void {
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
  tree.chars += chars;
  // The start: method and target (or path and query), up to the first header name.
  const end = pieces[1] === TARGET ? 3 : pieces.indexOf(QUERY_END) + 1;
  const starts = isTargetGet(req) ? tree.gets : tree.starts;
  const key = isTargetGet(req) ? req.url : (startKey(req) as string); // not null: requestPieces took every query value
  let node: Node | undefined = starts.get(key);
  if (node === undefined) starts.set(key, (node = newNode(tree)));
  for (let i = end; i < pieces.length; i += 2) {
    const name = pieces[i] as string;
    let slot: Slot | undefined = node.name === name ? node.slot : node.others?.get(name);
    if (slot === undefined) {
      slot = { value: undefined, valueNode: undefined, values: undefined, addresses: undefined, hostName: undefined, noValue: undefined };
      if (node.name === undefined) {
        node.name = name;
        node.slot = slot;
      } else (node.others ??= new Map()).set(name, slot);
    }
    const p = pieces[i + 1];
    let child = childOf(slot, p);
    if (child === undefined) {
      child = newNode(tree);
      if (p === ADDRESSES) slot.addresses = child;
      else if (p === HOST_NAME) slot.hostName = child;
      else if (p === NO_VALUE) slot.noValue = child;
      else if (slot.value === undefined) {
        slot.value = p as string;
        slot.valueNode = child;
      } else (slot.values ??= new Map()).set(p as string, child);
    }
    node = child;
  }
  node.note = note ?? true;
}
