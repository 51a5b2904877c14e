import type { DetectorName, Match, RuleHit, Severity } from './types.js';

const SCORES: Record<Severity, number> = { critical: 5, error: 4, warning: 3, notice: 2 };

export const DEFAULT_POLICY_PARANOIA = 1;
export const DEFAULT_THRESHOLD = 5;

export function scoreForSeverity(severity: Severity): number {
  return SCORES[severity];
}

export function toMatch(detector: DetectorName, hit: RuleHit, location?: string): Match {
  const match: Match = {
    detector,
    ruleId: hit.ruleId,
    paranoia: hit.paranoia,
    score: scoreForSeverity(hit.severity),
    message: hit.message,
  };
  if (location !== undefined) match.location = location;
  return match;
}
