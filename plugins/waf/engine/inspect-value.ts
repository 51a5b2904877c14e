import { detectCommandInjection } from './command-injection.js';
import { expandVariants } from './decode.js';
import { isInertValue } from './fast-path.js';
import { configureRequestCache, REQUEST_CACHE_SIZE } from './request-memo.js';
import { detectPathTraversal } from './path-traversal.js';
import { toMatch } from './severity.js';
import { detectSqli } from './sqli.js';
import { detectTemplateInjection } from './template-injection.js';
import type { DetectorName, InspectValueOptions, Match, ParanoiaLevel, RuleHit } from './types.js';
import { detectXss } from './xss.js';
import { detectXxe } from './xxe.js';
import { detectSsrf } from './ssrf.js';
import { detectNosql } from './nosql.js';
import { detectNodeInjection } from './nodejs.js';
import { detectCrlf } from './crlf.js';
import { detectLdapInjection } from './ldap.js';
import { detectPhpInjection } from './php.js';
import { detectJavaInjection } from './java.js';
import { detectSessionFixation } from './session-fixation.js';

type ValueDetector = (value: string, paranoia: ParanoiaLevel) => RuleHit[];

/** Detectors that judge a single value; scanner and protocol checks need the whole request. */
export const VALUE_DETECTORS: ReadonlyArray<readonly [DetectorName, ValueDetector]> = [
  ['sqli', detectSqli],
  ['xss', detectXss],
  ['lfi', detectPathTraversal],
  ['rce', detectCommandInjection],
  ['ssti', detectTemplateInjection],
  ['xxe', detectXxe],
  ['ssrf', detectSsrf],
  ['nosql', detectNosql],
  ['nodejs', detectNodeInjection],
  ['crlf', detectCrlf],
  ['ldap', detectLdapInjection],
  ['php', detectPhpInjection],
  ['java', detectJavaInjection],
  ['session', detectSessionFixation],
];

/** On an inert value only these can fire (sensitive file names, bare recon commands, a `__proto__` key, a serialized Java object). */
const INERT_DETECTORS = new Set<DetectorName>(['lfi', 'rce', 'nodejs', 'java']);

type DetectorHit = readonly [DetectorName, RuleHit];

/**
 * Results are memoised per (value, paranoia, detectors): User-Agent, Accept and Referer
 * strings and common parameter values repeat across nearly every request. Each (paranoia,
 * detectors) pair has a two-generation cache keyed by the value itself: lookups build no key
 * string, a hit in the young generation costs one Map read, and when it fills the old one is
 * dropped whole. An attacker sending unique values only turns generations over.
 */
interface Memo {
  young: Map<string, readonly DetectorHit[]>;
  old: Map<string, readonly DetectorHit[]>;
}
const ALL_DETECTORS_KEY = '*';
const memos: Array<Map<string, Memo>> = [new Map(), new Map(), new Map(), new Map(), new Map()];
const detectorKeys = new WeakMap<readonly DetectorName[], string>();
let cacheLimit = 2048;
const MAX_CACHED_VALUE = 1024;
const MAX_UNCACHED_TOKEN = 64;

/**
 * Sets the memo size (0 disables it, e.g. to measure cold performance). It empties the memo of
 * whole clean requests too, and 0 turns that off as well.
 */
export function configureValueCache(size: number): void {
  cacheLimit = Math.max(0, Math.floor(size));
  for (const m of memos) m.clear();
  recent.length = 0;
  configureRequestCache(cacheLimit === 0 ? 0 : REQUEST_CACHE_SIZE);
}

function detect(value: string, paranoia: ParanoiaLevel, wanted: readonly DetectorName[] | undefined): readonly DetectorHit[] {
  const hits: DetectorHit[] = [];
  const inert = isInertValue(value);
  const variants = inert ? [value] : expandVariants(value);
  for (const [name, run] of VALUE_DETECTORS) {
    if (wanted !== undefined && !wanted.includes(name)) continue;
    if (inert && !INERT_DETECTORS.has(name)) continue;
    const seen = new Set<string>();
    for (const variant of variants) {
      for (const hit of run(variant, paranoia)) {
        if (seen.has(hit.ruleId)) continue;
        seen.add(hit.ruleId);
        hits.push([name, hit]);
      }
    }
  }
  return hits;
}

/** The last few (paranoia, detector list) pairs by identity: cheaper than the WeakMap on every value. */
const recent: { paranoia: ParanoiaLevel; wanted: readonly DetectorName[] | undefined; memo: Memo }[] = [];

function memoFor(paranoia: ParanoiaLevel, wanted: readonly DetectorName[] | undefined): Memo {
  for (const r of recent) if (r.wanted === wanted && r.paranoia === paranoia) return r.memo;
  const memo = lookupMemo(paranoia, wanted);
  if (recent.length >= 8) recent.pop();
  recent.unshift({ paranoia, wanted, memo });
  return memo;
}

function lookupMemo(paranoia: ParanoiaLevel, wanted: readonly DetectorName[] | undefined): Memo {
  let key = ALL_DETECTORS_KEY;
  if (wanted !== undefined) {
    const known = detectorKeys.get(wanted);
    if (known === undefined) {
      key = wanted.join(',');
      detectorKeys.set(wanted, key);
    } else {
      key = known;
    }
  }
  const byDetectors = memos[paranoia];
  let memo = byDetectors.get(key);
  if (memo === undefined) {
    // Detector lists come from policies; a few dozen at most, but never let them pile up.
    if (byDetectors.size >= 64) byDetectors.clear();
    memo = { young: new Map(), old: new Map() };
    byDetectors.set(key, memo);
  }
  return memo;
}

function remember(memo: Memo, value: string, hits: readonly DetectorHit[]): void {
  if (memo.young.size >= cacheLimit / 2) {
    memo.old = memo.young;
    memo.young = new Map();
  }
  memo.young.set(value, hits);
}

function detectCached(value: string, paranoia: ParanoiaLevel, wanted: readonly DetectorName[] | undefined): readonly DetectorHit[] {
  if (cacheLimit === 0 || value.length > MAX_CACHED_VALUE) return detect(value, paranoia, wanted);
  // Short single tokens (ids, numbers, addresses) are cheaper to judge than to remember, and
  // too many and too varied to cache without churning it.
  if (value.length <= MAX_UNCACHED_TOKEN && isInertValue(value)) return detect(value, paranoia, wanted);
  const memo = memoFor(paranoia, wanted);
  let hits = memo.young.get(value);
  if (hits !== undefined) return hits;
  hits = memo.old.get(value);
  if (hits === undefined) hits = detect(value, paranoia, wanted);
  remember(memo, value, hits);
  return hits;
}

/**
 * Runs the value detectors over every decoded form of `value`. Each rule is reported once
 * per value even if several decoded forms trigger it.
 */
export function inspectValue(value: string, opts: InspectValueOptions = {}): Match[] {
  if (value.length === 0) return [];
  const hits = detectCached(value, opts.paranoia ?? 1, opts.detectors);
  return hits.length === 0 ? [] : hits.map(([name, hit]) => toMatch(name, hit, opts.location));
}
