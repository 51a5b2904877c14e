/**
 * Detection engine of the Bazaar request filter: pure functions, no I/O.
 *
 * - `inspectRequest(req, policy)` scores a whole request (CRS-style anomaly scoring);
 *   `recallClean(req, paranoia)` says whether it was found clean before (without judging it).
 * - `inspectValue(value, opts)` runs the value detectors on one string.
 * - `ip-lists` resolves client addresses behind proxies and matches CIDR allow/deny lists.
 * - `redact` makes excerpts safe to log.
 */
export type {
  DetectorName,
  HeaderValue,
  InspectableRequest,
  InspectResult,
  InspectValueOptions,
  Match,
  ParanoiaLevel,
  Policy,
  PolicyExclusion,
  RuleHit,
  Severity,
} from './types.js';
export { inspectRequest, type InspectOptions } from './inspect-request.js';
export { configureValueCache, inspectValue, VALUE_DETECTORS } from './inspect-value.js';
export { configureRequestCache, recallClean } from './request-memo.js';
export { DEFAULT_POLICY_PARANOIA, DEFAULT_THRESHOLD, scoreForSeverity } from './severity.js';
export { expandVariants, truncateValue } from './decode.js';
export { decodePercentOnce, decodeLenientUtf8 } from './url-decode.js';
export { parseQueryString } from './request-parts.js';
export { decodeHtmlEntities } from './html-entities.js';
export { unescapeBackslashes } from './js-unescape.js';
export { detectSqli } from './sqli.js';
export { detectXss } from './xss.js';
export { detectPathTraversal } from './path-traversal.js';
export { detectCommandInjection } from './command-injection.js';
export { detectTemplateInjection } from './template-injection.js';
export { detectXxe } from './xxe.js';
export { detectSsrf } from './ssrf.js';
export { detectNosql } from './nosql.js';
export { detectNodeInjection } from './nodejs.js';
export { detectCrlf } from './crlf.js';
export { detectLdapInjection } from './ldap.js';
export { detectPhpInjection } from './php.js';
export { detectJavaInjection } from './java.js';
export { detectScannerAgent, detectScannerHeaders } from './scanner-agents.js';
export { detectProtocolAnomalies, type ProtocolInput } from './protocol-anomalies.js';
export { findExcludedDetectors, findExclusionsForPath, matchesParam, matchesPath } from './exclusions.js';
export {
  clientAddress,
  decideIpAccess,
  isInCidrList,
  normalizeAddress,
  parseAddress,
  parseCidrList,
  plainIPv4,
  type CidrList,
  type IpDecision,
} from './ip-lists.js';
export { extractFieldName, isLuhnValid, isSensitiveField, redactExcerpt, redactValue } from './redact.js';
export * as limits from './limits.js';

import type { Policy } from './types.js';

/** Paranoia 1, threshold 5, no exclusions. */
export function createDefaultPolicy(): Policy {
  return { paranoia: 1, threshold: 5, exclusions: [] };
}
