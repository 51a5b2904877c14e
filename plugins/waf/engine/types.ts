/** Names of the detectors; also used in policy exclusions. */
export type DetectorName =
  | 'sqli'
  | 'xss'
  | 'lfi'
  | 'rce'
  | 'ssti'
  | 'xxe'
  | 'ssrf'
  | 'nosql'
  | 'crlf'
  | 'ldap'
  | 'php'
  | 'java'
  | 'nodejs'
  | 'session'
  | 'scanner'
  | 'protocol';

export type ParanoiaLevel = 1 | 2 | 3 | 4;

/** CRS-style anomaly severities. */
export type Severity = 'critical' | 'error' | 'warning' | 'notice';

export interface Match {
  detector: DetectorName;
  /** Stable identifier of the rule that fired, e.g. `sqli.union-select`. */
  ruleId: string;
  /** Lowest paranoia level at which the rule is active. */
  paranoia: ParanoiaLevel;
  /** Anomaly score contributed (critical 5, error 4, warning 3, notice 2). */
  score: number;
  /** Where it fired: `query.q`, `body.items[0].name`, `header.user-agent`, `key:query.q`... */
  location?: string;
  /** Short human description of the rule. */
  message?: string;
  /** Redacted, truncated excerpt of the inspected value (only from inspectRequest). */
  excerpt?: string;
}

export interface InspectValueOptions {
  /** Rules above this paranoia level are skipped (default 1). */
  paranoia?: ParanoiaLevel;
  /** Only run these detectors (default: all value detectors). */
  detectors?: readonly DetectorName[];
  /** Copied onto each match. */
  location?: string;
}

export type HeaderValue = string | string[] | undefined;

export interface InspectableRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /**
   * The request target as received (`/products?limit=20`), when path and query were parsed from
   * it: then it stands for both in the memo of clean requests (one piece instead of one per name
   * and value). Never inspected itself.
   */
  url?: string;
  headers: Record<string, HeaderValue>;
  cookies?: Record<string, string>;
  /** Parsed JSON or form object. */
  body?: unknown;
  rawBody?: string;
}

export interface PolicyExclusion {
  /** Exact path, or a prefix ending in `*` (e.g. `/api/products/*`). */
  path: string;
  /** Parameter locations to skip, e.g. `body.description`, `query.q`; omit for all. */
  params?: string[];
  /** Detectors to skip; omit for all. */
  detectors?: string[];
}

export interface Policy {
  paranoia: ParanoiaLevel;
  /** Block when the summed anomaly score reaches this value. */
  threshold: number;
  exclusions: PolicyExclusion[];
}

export interface InspectResult {
  score: number;
  matches: Match[];
  blocked: boolean;
}

/** A rule hit before it is bound to a location. */
export interface RuleHit {
  ruleId: string;
  paranoia: ParanoiaLevel;
  severity: Severity;
  message: string;
}
