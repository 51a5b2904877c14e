import { findExcludedDetectors, findExclusionsForPath } from './exclusions.js';
import { inspectValue, VALUE_DETECTORS } from './inspect-value.js';
import { MAX_BODY_DEPTH, MAX_KEY_LENGTH, MAX_VALUE_LENGTH, MAX_VALUES_PER_REQUEST } from './limits.js';
import { detectProtocolAnomalies } from './protocol-anomalies.js';
import { redactExcerpt } from './redact.js';
import { isAddressHeader, isAddressList, isFormType, listHeaderValues, parseCookieHeader, parseRawBody, readContentType } from './request-parts.js';
import { isKnownClean, rememberClean } from './request-memo.js';
import { detectScannerAgent, detectScannerHeaders } from './scanner-agents.js';
import { detectSessionIdParameter, hasSessionIdParameter } from './session-fixation.js';
import { toMatch } from './severity.js';
import type { DetectorName, InspectableRequest, InspectResult, Match, Policy, PolicyExclusion, RuleHit } from './types.js';
import { decodePercentOnce } from './url-decode.js';

/** Headers whose values reach application logic and are inspected like parameters. */
const VALUE_HEADERS = new Set([
  'user-agent', 'referer', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'x-original-url', 'x-rewrite-url',
  'x-http-method-override', 'x-client-ip', 'true-client-ip', 'forwarded', 'from', 'via',
]);
/** Custom headers not worth inspecting (infrastructure ids) or never to be touched (credentials). */
const SKIPPED_CUSTOM_HEADER = /^x-(?:request-id|correlation-id|amzn-trace-id|cloud-trace-context|b3-|datadog-|forwarded-(?:proto|port)|requested-with)|token|auth|key|secret|signature|session|cookie|csrf|xsrf/;
/** Content-Type and Accept feed framework parsers; OGNL and template payloads hide there. */
const EXPRESSION_HEADERS = new Set(['content-type', 'accept']);
const EXPRESSION_DETECTORS: readonly DetectorName[] = ['ssti', 'rce', 'java'];
/** Every other header: only lookups and expressions (log4shell). */
const LOOKUP_DETECTORS: readonly DetectorName[] = ['ssti'];
// Detector lists are constants: the value memo keys on the list's identity.
const PLAIN_PATH_DETECTORS: readonly DetectorName[] = ['lfi'];
const PATH_DETECTORS: readonly DetectorName[] = ['lfi', 'rce', 'xss', 'ssti'];
const SEGMENT_DETECTORS: readonly DetectorName[] = ['sqli'];
const RAW_JSON_DETECTORS: readonly DetectorName[] = ['java'];

/** Route-like paths (`/products/red-shoes-42`) can only carry traversal. */
const PLAIN_PATH = /^[\w/.\-~]*$/;

const ALL_VALUE_DETECTORS: readonly DetectorName[] = VALUE_DETECTORS.map(([name]) => name);
/** The browser sets Referer to the page it came from (`http://localhost:3000/` in development); the server never fetches it. */
const REFERER_DETECTORS: readonly DetectorName[] = ALL_VALUE_DETECTORS.filter((d) => d !== 'ssrf');

/** Accumulates matches for one request, applying exclusions and per-location de-duplication. */
class RequestScan {
  readonly matches: Match[] = [];
  private readonly seen = new Set<string>();
  private budget = MAX_VALUES_PER_REQUEST;

  constructor(private readonly policy: Policy, private readonly exclusions: readonly PolicyExclusion[]) {}

  get paranoia(): Policy['paranoia'] {
    return this.policy.paranoia;
  }

  private resolveDetectors(location: string, base: readonly DetectorName[]): readonly DetectorName[] | null {
    const excluded = findExcludedDetectors(this.exclusions, location);
    if (excluded === 'all') return null;
    if (excluded === null) return base;
    const remaining = base.filter((d) => !excluded.has(d));
    return remaining.length === 0 ? null : remaining;
  }

  private addMatch(match: Match, value: string | undefined): void {
    const key = match.ruleId + '\u0000' + (match.location ?? '');
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (value !== undefined) match.excerpt = redactExcerpt(value, match.location);
    this.matches.push(match);
  }

  inspectAt(value: string, location: string, detectors: readonly DetectorName[] = ALL_VALUE_DETECTORS): void {
    if (value.length === 0 || this.budget <= 0) return;
    this.budget -= 1;
    const active = this.resolveDetectors(location, detectors);
    if (active === null) return;
    for (const m of inspectValue(value, { paranoia: this.policy.paranoia, detectors: active, location })) this.addMatch(m, value);
  }

  inspectKey(name: string, location: string): void {
    this.inspectAt(name.length > MAX_KEY_LENGTH ? name.slice(0, MAX_KEY_LENGTH) : name, 'key:' + location);
  }

  addHits(detector: DetectorName, hits: readonly RuleHit[], location: string, value?: string): void {
    if (hits.length === 0 || this.resolveDetectors(location, [detector]) === null) return;
    for (const h of hits) if (h.paranoia <= this.policy.paranoia) this.addMatch(toMatch(detector, h, location), value);
  }

  /**
   * Walks parsed data (JSON, form fields, nested query objects) breadth-first. Depth and the
   * number of inspected values are bounded, so a huge or deeply nested body costs a fixed amount.
   */
  walk(root: unknown, base: string): void {
    const queue: Array<[unknown, string, number]> = [[root, base, 0]];
    for (let head = 0; head < queue.length && this.budget > 0; head++) {
      const [node, location, depth] = queue[head];
      if (typeof node === 'string') {
        this.inspectAt(node, location);
      } else if (depth < MAX_BODY_DEPTH && Array.isArray(node)) {
        const n = Math.min(node.length, this.budget);
        for (let i = 0; i < n; i++) queue.push([node[i], `${location}[${i}]`, depth + 1]);
      } else if (depth < MAX_BODY_DEPTH && node !== null && typeof node === 'object') {
        let n = 0;
        for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
          if (n++ >= this.budget) break;
          const child = `${location}.${k}`;
          this.inspectKey(k, child);
          queue.push([v, child, depth + 1]);
        }
      }
    }
  }

  computeScore(): number {
    let total = 0;
    for (const m of this.matches) total += m.score;
    return total;
  }
}

function inspectPath(path: string, scan: RequestScan): void {
  // The router sees the decoded path; traversal there reads files just as a parameter would.
  const bounded = path.length > MAX_VALUE_LENGTH ? path.slice(0, MAX_VALUE_LENGTH) : path;
  const decoded = bounded.includes('%') ? decodePercentOnce(bounded) : bounded;
  if (PLAIN_PATH.test(decoded)) {
    scan.inspectAt(decoded, 'path', PLAIN_PATH_DETECTORS);
    return;
  }
  scan.inspectAt(decoded, 'path', PATH_DETECTORS);
  // REST ids sit in segments (`/orders/1' OR '1'='1`); SQL is judged segment by segment.
  for (const segment of decoded.split('/')) if (segment !== '') scan.inspectAt(segment, 'path', SEGMENT_DETECTORS);
}

function readCookies(req: InspectableRequest): Record<string, string> {
  if (req.cookies !== undefined) return req.cookies;
  const header = listHeaderValues(req.headers['cookie']).join(';');
  return header === '' ? {} : parseCookieHeader(header);
}

function inspectHeaders(req: InspectableRequest, scan: RequestScan): void {
  const names = Object.keys(req.headers);
  for (const name of names) {
    const lower = name.toLowerCase();
    const values = listHeaderValues(req.headers[name]);
    if (VALUE_HEADERS.has(lower) || (lower.startsWith('x-') && !SKIPPED_CUSTOM_HEADER.test(lower))) {
      const addresses = isAddressHeader(lower);
      const detectors = lower === 'referer' ? REFERER_DETECTORS : ALL_VALUE_DETECTORS;
      for (const v of values) if (!(addresses && isAddressList(v))) scan.inspectAt(v, `header.${lower}`, detectors);
    } else if (EXPRESSION_HEADERS.has(lower)) {
      for (const v of values) scan.inspectAt(v, `header.${lower}`, EXPRESSION_DETECTORS);
    } else {
      // log4j logs any header: a `${jndi:...}` lookup is judged wherever it arrives (excerpts of
      // credential headers are redacted).
      for (const v of values) if (v.includes('${')) scan.inspectAt(v, `header.${lower}`, LOOKUP_DETECTORS);
    }
  }
  const ua = listHeaderValues(req.headers['user-agent'])[0];
  scan.addHits('scanner', detectScannerAgent(ua, scan.paranoia), 'header.user-agent', ua);
  scan.addHits('scanner', detectScannerHeaders(names.map((n) => n.toLowerCase())), 'request');
}

function hasContent(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'string') return body.length > 0;
  return typeof body !== 'object' || Object.keys(body as object).length > 0;
}

/** The answer for a request known clean: shared, so frozen. */
const CLEAN: InspectResult = Object.freeze({ score: 0, matches: Object.freeze([]) as unknown as InspectResult['matches'], blocked: false });

export interface InspectOptions {
  /** Kept with the request if it is found clean, and given back by `recallClean` (engine index). */
  note?: unknown;
  /** The caller has just asked `recallClean` for this request and got nothing: do not ask again. */
  notRecalled?: boolean;
}

/**
 * Inspects a whole request: path, query (names and values), cookies, selected headers and the
 * body (parsed object, or the raw body parsed here), plus request-level protocol and scanner
 * checks. Matches are summed CRS-style into an anomaly score compared with the threshold.
 */
export function inspectRequest(req: InspectableRequest, policy: Policy, options: InspectOptions = {}): InspectResult {
  // A request seen before, whole, and found clean at this paranoia is clean again, whatever the
  // exclusions: only requests found clean with none applying are remembered (below), and an
  // exclusion only ever takes detectors away.
  if (!options.notRecalled && isKnownClean(req, policy.paranoia)) return policy.threshold > 0 ? CLEAN : { score: 0, matches: [], blocked: true };
  const exclusions = findExclusionsForPath(policy, req.path);
  const memo = exclusions.length === 0;
  const scan = new RequestScan(policy, exclusions);

  inspectPath(req.path, scan);

  for (const [name, raw] of Object.entries(req.query)) {
    const location = `query.${name}`;
    scan.inspectKey(name, location);
    if (typeof raw === 'string') scan.inspectAt(raw, location);
    else scan.walk(raw, location);
  }

  for (const [name, v] of Object.entries(readCookies(req))) {
    const location = `cookie.${name}`;
    scan.inspectKey(name, location);
    scan.inspectAt(v, location);
  }

  inspectHeaders(req, scan);

  let body = req.body;
  const hasRaw = req.rawBody !== undefined && req.rawBody.length > 0;
  // A form body is read from its bytes like the query (the body parser's decoding differs from
  // the query parser's): the same value gets the same verdict in either.
  if (hasRaw && (body === undefined || isFormType(readContentType(req)))) body = parseRawBody(req.rawBody!, readContentType(req));
  if (body !== undefined) scan.walk(body, 'body');
  // Jackson and fastjson take a class name from the document's shape (`["pkg.Class", {...}]`),
  // which the walk over parsed values no longer shows: the raw JSON text is judged for that.
  if (hasRaw && typeof body === 'object' && body !== null && readContentType(req).includes('json')) scan.inspectAt(req.rawBody!.slice(0, MAX_VALUE_LENGTH), 'body', RAW_JSON_DETECTORS);

  // A framework's session id handed over as a parameter name by a link from elsewhere.
  const names = Object.keys(req.query);
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) names.push(...Object.keys(body as object));
  // Its verdict reads the Host value, which the memo of clean requests stands in for by its kind:
  // such a request is never remembered.
  const sessionId = hasSessionIdParameter(names, req.path);
  if (sessionId) scan.addHits('session', detectSessionIdParameter(listHeaderValues(req.headers['host'])[0], listHeaderValues(req.headers['referer'])[0], policy.paranoia), 'request');

  const protocol = { method: req.method, headers: req.headers, rawBody: req.rawBody, hasBody: hasContent(body) };
  scan.addHits('protocol', detectProtocolAnomalies(protocol, policy.paranoia), 'request');

  if (memo && !sessionId && scan.matches.length === 0) rememberClean(req, policy.paranoia, options.note);
  const score = scan.computeScore();
  return { score, matches: scan.matches, blocked: score >= policy.threshold };
}
