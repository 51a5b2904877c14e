import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../core/paths.js';
import { inspectRequest, inspectValue } from '../../../plugins/waf/engine/index.js';
import type { DetectorName, InspectableRequest, InspectResult, ParanoiaLevel, Policy } from '../../../plugins/waf/engine/index.js';

/** Where the shared development corpora live: `shared/waf` beside the repository (as CI lays it out). */
export const SHARED_DIR = process.env.WAF_SHARED_DIR ?? join(projectRoot, '..', 'shared', 'waf');

/**
 * The corpus file, or — outside CI, on a checkout without the shared material — a skip that says
 * why. In CI a missing corpus fails: the figures must be measured there.
 */
export function findSharedFile(name: string, test?: Mocha.Context): string {
  const path = join(SHARED_DIR, name);
  if (existsSync(path)) return path;
  const reason = `${path} is missing: the WAF corpus lives in shared/waf beside the repository (or set WAF_SHARED_DIR)`;
  if (process.env.CI || !test) throw new Error(reason);
  console.warn(`skipped: ${reason}`);
  return test.skip();
}

export function makePolicy(paranoia: ParanoiaLevel = 1, threshold = 5, exclusions: Policy['exclusions'] = []): Policy {
  return { paranoia, threshold, exclusions };
}

export const BROWSER_HEADERS: Record<string, string> = {
  host: 'shop.example.com',
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br',
  connection: 'keep-alive',
};

export function buildSearchRequest(value: string, extra: Partial<InspectableRequest> = {}): InspectableRequest {
  return { method: 'GET', path: '/search', query: { q: value }, headers: { ...BROWSER_HEADERS }, ...extra };
}

/** The value sent as a query parameter of an ordinary storefront request. */
export function inspectAsQuery(value: string, paranoia: ParanoiaLevel = 1): InspectResult {
  return inspectRequest(buildSearchRequest(value), makePolicy(paranoia));
}

export function isBlocked(value: string, paranoia: ParanoiaLevel = 1): boolean {
  return inspectAsQuery(value, paranoia).blocked;
}

/** Rule ids a single detector reports for a value (after decoding). */
export function listRules(value: string, detector: DetectorName, paranoia: ParanoiaLevel = 1): string[] {
  return inspectValue(value, { paranoia, detectors: [detector] }).map((m) => m.ruleId);
}

/** Values that should be blocked, returned when they are not (for readable assertion messages). */
export function findMissed(values: readonly string[], paranoia: ParanoiaLevel = 1): string[] {
  return values.filter((v) => !isBlocked(v, paranoia));
}

/** Values that should pass, returned when they are blocked, with the rules that fired. */
export function findWronglyBlocked(values: readonly string[], paranoia: ParanoiaLevel = 1): string[] {
  const out: string[] = [];
  for (const v of values) {
    const r = inspectAsQuery(v, paranoia);
    if (r.blocked) out.push(`${JSON.stringify(v)} <- ${r.matches.map((m) => m.ruleId).join(', ')}`);
  }
  return out;
}
