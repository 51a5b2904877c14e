import type { Policy, PolicyExclusion } from './types.js';

/**
 * Policy exclusions: a path pattern (exact, `prefix*`, or `*` wildcards within segments)
 * plus optional parameter locations and detectors. A location such as `body.items[0].name`
 * is covered by `body.items` (a parent), `body.items[*].name` or `body.*` patterns.
 */

const compiled = { path: new Map<string, RegExp>(), param: new Map<string, RegExp>() };

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function compilePattern(pattern: string, kind: 'path' | 'param'): RegExp {
  const cache = compiled[kind];
  let re = cache.get(pattern);
  if (re === undefined) {
    if (kind === 'path') {
      const trailing = pattern.endsWith('*');
      const body = (trailing ? pattern.slice(0, -1) : pattern).split('*').map(escapeRegExp).join('[^/]*');
      re = new RegExp('^' + body + (trailing ? '' : '/?$'));
    } else {
      const body = pattern.split('*').map(escapeRegExp).join('[^.\\[\\]]*');
      // A parameter pattern also covers everything nested below it.
      re = new RegExp('^' + body + '(?:$|[.[])');
    }
    if (cache.size > 1024) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

export function matchesPath(pattern: string, path: string): boolean {
  return pattern === path || compilePattern(pattern, 'path').test(path);
}

export function matchesParam(pattern: string, location: string): boolean {
  return pattern === location || compilePattern(pattern, 'param').test(location);
}

const NONE: readonly PolicyExclusion[] = Object.freeze([]);
/** Per policy: one pattern that any of its exclusions' paths matches (most requests match none). */
const anyPath = new WeakMap<Policy, { exclusions: Policy['exclusions']; any: RegExp }>();

function anyPathOf(policy: Policy): RegExp {
  let hit = anyPath.get(policy);
  if (hit === undefined || hit.exclusions !== policy.exclusions) {
    hit = { exclusions: policy.exclusions, any: new RegExp(policy.exclusions.map((e) => `(?:${compilePattern(e.path, 'path').source})`).join('|')) };
    anyPath.set(policy, hit);
  }
  return hit.any;
}

/** Exclusions whose path matches the request path (a shared, frozen empty list when none does). */
export function findExclusionsForPath(policy: Policy, path: string): readonly PolicyExclusion[] {
  if (policy.exclusions.length === 0 || !anyPathOf(policy).test(path)) return NONE;
  return policy.exclusions.filter((e) => matchesPath(e.path, path));
}

/**
 * Detectors excluded at a location: `'all'`, a set of names, or null when nothing is
 * excluded. Key locations (`key:query.q`) follow the exclusions of their parameter.
 */
export function findExcludedDetectors(exclusions: readonly PolicyExclusion[], location: string): 'all' | Set<string> | null {
  if (exclusions.length === 0) return null;
  const target = location.startsWith('key:') ? location.slice(4) : location;
  let names: Set<string> | null = null;
  for (const e of exclusions) {
    if (e.params !== undefined && !e.params.some((p) => matchesParam(p, target))) continue;
    if (e.detectors === undefined) return 'all';
    names ??= new Set();
    for (const d of e.detectors) names.add(d);
  }
  return names;
}
