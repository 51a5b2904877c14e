import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Session fixation: the attacker makes the victim's browser carry a session id the attacker
 * knows, then waits for the victim to sign in with it. Two ways reach a browser through a
 * request: a value that writes a cookie when the page reflects it (`<meta http-equiv="Set-Cookie"
 * ...>`, `document.cookie="sid=...;domain=..."`), and a link that hands the id to the server as
 * a parameter (`?PHPSESSID=...`, `;jsessionid=...`) from another site or from nowhere (the Core
 * Rule Set's 943100-943120). Bazaar keeps no session id in a URL, so a parameter named after a
 * framework's session cookie only arrives from such a link. (A `Set-Cookie:` header written by a
 * line break is the CRLF detector's.)
 */

type Rule = RuleHit;

const R = {
  metaCookie: { ruleId: 'session.meta-set-cookie', message: 'HTML meta element that sets a cookie', paranoia: 1, severity: 'critical' },
  cookieWrite: { ruleId: 'session.cookie-write', message: 'Script writing a cookie with its domain, path or expiry', paranoia: 1, severity: 'critical' },
  idParameter: { ruleId: 'session.id-parameter', message: 'Session id of a web framework as a parameter, from another site or with no referrer', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

const META_SET_COOKIE = /\bhttp-equiv\W+set-cookie\b/i;
const COOKIE_WRITE = /\.\s*cookie\b[^;]{0,200}?;\W*?(?:expires|domain|path|max-age)\W*?=/i;

/**
 * Session cookie names of frameworks that accept them from the URL. Generic names (`session_id`,
 * `sid`) are left out: payment providers send them back on return URLs (Stripe's `session_id`).
 */
const SESSION_ID_NAME = /^(?:jsessionid|aspsessionid\w*|asp\.net_sessionid|phpsessid|phpsession|weblogicsession|jservsession|jwsession|cfid|cftoken|cfsid|connect\.sid|laravel_session|ci_session|_session_id|koa[.:]sess|oscsid|zenid|___sid)$/i;
/** `;jsessionid=...` in the path (servlet URL rewriting). */
const PATH_SESSION_ID = /;\s*(?:jsessionid|phpsessid|aspsessionid\w*|sid)=/i;

export function detectSessionFixation(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!value.includes('cookie') && !value.includes('Cookie') && !value.includes('COOKIE')) return [];
  const found: Rule[] = [];
  if (META_SET_COOKIE.test(value)) found.push(R.metaCookie);
  if (COOKIE_WRITE.test(value)) found.push(R.cookieWrite);
  return found.filter((r) => r.paranoia <= paranoia).map((r) => ({ ...r }));
}

/** The host part of a Referer, lower-cased; '' when there is none or it does not parse. */
function refererHost(referer: string | undefined): string {
  if (referer === undefined || referer.trim() === '') return '';
  try {
    return new URL(referer.trim()).host.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * A framework's session id as a query or form parameter name (or `;jsessionid=` in the path),
 * when the request comes from another site or from no page at all. From the shop's own pages it
 * is left alone (an old bookmark followed inside the shop).
 */
export function hasSessionIdParameter(names: readonly string[], path: string): boolean {
  return names.some((n) => n.length <= 40 && SESSION_ID_NAME.test(n)) || (path.includes(';') && PATH_SESSION_ID.test(path));
}

/** Given `hasSessionIdParameter`: whether the request came from elsewhere (its verdict depends on Host and Referer). */
export function detectSessionIdParameter(host: string | undefined, referer: string | undefined, paranoia: ParanoiaLevel): RuleHit[] {
  if (R.idParameter.paranoia > paranoia) return [];
  const from = refererHost(referer);
  const own = (host ?? '').trim().toLowerCase();
  if (from !== '' && own !== '' && from === own) return [];
  const key: RuleKey = 'idParameter';
  return [{ ...R[key] }];
}
