import { TenantModel } from '@bazaar/sdk';

/** One request the filter stopped or flagged: who, what, which rules, and a redacted excerpt. */
export class WafEvent extends TenantModel {
  static override tableName = 'waf_events';
  static override timestamps = false;
  static override jsonAttributes = ['ruleIds', 'matches'];
  id!: string;
  /** block (refused by inspection), alert (monitor mode), deny (IP deny list), rate_limit (429). */
  action!: 'block' | 'alert' | 'deny' | 'rate_limit';
  clientIp!: string;
  method!: string;
  path!: string;
  routeClass!: string;
  /** Detector names wrapped in commas (`,sqli,xss,`) so one LIKE filters on both databases. */
  detectors!: string;
  ruleIds!: string[];
  score!: number;
  excerpt!: string | null;
  matches!: { detector: string; ruleId: string; score: number; location: string | null; excerpt: string | null }[];
  userAgent!: string | null;
  requestId!: string | null;
  createdAt!: string;
}
