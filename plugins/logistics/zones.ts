// Zones: where a method applies. A zone is a set of areas {country, region?, postalRules?}; an
// address matches the most specific area of any zone (postal > region > country), and a postal
// exclusion makes the area not match, so the address falls through to a broader zone. Two zones
// whose areas could claim the same address at the same level are refused when saved.

export interface PostalRule {
  /** A code (`94105`), the start of a range (`94000` with end `94999`) or a prefix (`941*`). */
  start: string;
  end?: string;
  mode: 'include' | 'exclude';
}

export interface ZoneArea {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** ISO 3166-2 subdivision code, with or without the country (`CA` or `US-CA`). */
  region?: string;
  postalRules?: PostalRule[];
}

export interface ZoneLike {
  id: string;
  name: string;
  areas: ZoneArea[];
}

export interface AddressLike {
  country: string;
  region?: string;
  postalCode?: string;
}

/** 3 postal, 2 region, 1 country. */
export type Specificity = 1 | 2 | 3;

export const normalizePostal = (code: string): string => code.toUpperCase().replace(/[\s-]+/g, '');

/** `US-CA` and `CA` (in the US) are the same region. */
export function normalizeRegion(country: string, region: string | undefined): string | undefined {
  if (!region) return undefined;
  const r = region.trim().toUpperCase();
  return r.startsWith(`${country.toUpperCase()}-`) ? r.slice(country.length + 1) : r;
}

function ruleMatches(rule: PostalRule, code: string): boolean {
  const start = normalizePostal(rule.start);
  if (start.endsWith('*')) return code.startsWith(start.slice(0, -1));
  const end = rule.end === undefined ? start : normalizePostal(rule.end);
  // Ranges compare codes of the same length only: 941 is not between 94000 and 94999.
  return code.length === start.length && code >= start && code <= end;
}

export function areaSpecificity(area: ZoneArea): Specificity {
  if (area.postalRules?.some((r) => r.mode === 'include')) return 3;
  return area.region ? 2 : 1;
}

/** The level at which the area takes this address, or 0 when it does not. */
export function areaMatch(area: ZoneArea, address: AddressLike): Specificity | 0 {
  const country = address.country.toUpperCase();
  if (area.country.toUpperCase() !== country) return 0;
  if (area.region && normalizeRegion(country, area.region) !== normalizeRegion(country, address.region)) return 0;
  const rules = area.postalRules ?? [];
  if (rules.length) {
    const code = normalizePostal(address.postalCode ?? '');
    if (rules.some((r) => r.mode === 'exclude' && ruleMatches(r, code))) return 0;
    const includes = rules.filter((r) => r.mode === 'include');
    if (includes.length && !includes.some((r) => ruleMatches(r, code))) return 0;
  }
  return areaSpecificity(area);
}

/** The zone that takes the address: the most specific match; ties go to the first given (saves refuse them). */
export function matchZone<Z extends ZoneLike>(zones: Z[], address: AddressLike): { zone: Z; specificity: Specificity } | null {
  let best: { zone: Z; specificity: Specificity } | null = null;
  for (const zone of zones) {
    for (const area of zone.areas) {
      const s = areaMatch(area, address);
      if (s && (!best || s > best.specificity)) best = { zone, specificity: s };
    }
  }
  return best;
}

/** Inclusive [lo, hi] key intervals a rule covers, for overlap checks ('\uffff' closes a prefix). */
function interval(rule: PostalRule): { lo: string; hi: string; len: number | null } {
  const start = normalizePostal(rule.start);
  if (start.endsWith('*')) return { lo: start.slice(0, -1), hi: `${start.slice(0, -1)}\uffff`, len: null };
  return { lo: start, hi: rule.end === undefined ? start : normalizePostal(rule.end), len: start.length };
}

function intervalsMeet(a: ReturnType<typeof interval>, b: ReturnType<typeof interval>): boolean {
  if (a.len !== null && b.len !== null && a.len !== b.len) return false;
  if (a.len === null && b.len === null) return a.lo.startsWith(b.lo) || b.lo.startsWith(a.lo);
  return a.lo <= b.hi && b.lo <= a.hi;
}

/**
 * Could one address be taken by both areas at the same level? Conservative: exclusions are not
 * subtracted, so two postal areas whose include ranges meet overlap even if one excludes the
 * common part.
 */
export function areasOverlap(a: ZoneArea, b: ZoneArea): boolean {
  if (a.country.toUpperCase() !== b.country.toUpperCase()) return false;
  const level = areaSpecificity(a);
  if (level !== areaSpecificity(b)) return false;
  const [ra, rb] = [normalizeRegion(a.country, a.region), normalizeRegion(b.country, b.region)];
  if (level === 2) return ra === rb;
  if (level === 1) return true;
  if (ra && rb && ra !== rb) return false;
  const ia = (a.postalRules ?? []).filter((r) => r.mode === 'include').map(interval);
  const ib = (b.postalRules ?? []).filter((r) => r.mode === 'include').map(interval);
  return ia.some((x) => ib.some((y) => intervalsMeet(x, y)));
}

/** The first conflict between a zone being saved and the others: which area of which zone. */
export function findOverlap(candidate: ZoneLike, others: ZoneLike[]): { areaIndex: number; zone: ZoneLike } | null {
  for (const other of others) {
    if (other.id === candidate.id) continue;
    for (let i = 0; i < candidate.areas.length; i++) {
      if (other.areas.some((o) => areasOverlap(candidate.areas[i], o))) return { areaIndex: i, zone: other };
    }
  }
  return null;
}

/** Areas inside one zone that overlap each other are harmless (same zone), so only ranges are checked for sense. */
export function badRange(rule: PostalRule): string | null {
  if (normalizePostal(rule.start).endsWith('*')) return rule.end !== undefined ? 'a prefix (ending in *) takes no end' : null;
  if (rule.end === undefined) return null;
  const [s, e] = [normalizePostal(rule.start), normalizePostal(rule.end)];
  if (s.length !== e.length) return 'start and end must have the same length';
  return s > e ? 'end comes before start' : null;
}
