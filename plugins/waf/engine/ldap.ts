import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * LDAP and XPath query injection. An LDAP search filter is a parenthesised prefix expression:
 * `(&(uid=ann)(userPassword=*))`. An injected value closes the application's filter and opens
 * another (`*)(|(uid=*`), writes a complete filter, or probes an attribute with a wildcard
 * (`(password=A*)`). XPath injection closes a string and adds a boolean clause, or walks the
 * document with axes and node tests (`count(/child::node())`). Parentheses, `&` and `*` in
 * prose ("(see below)", "Tom & Jerry", "size M*") do not form these shapes.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  breakout: { ruleId: 'ldap.filter-breakout', message: 'LDAP filter closed and a new clause opened', paranoia: 1, severity: 'critical' },
  filter: { ruleId: 'ldap.filter-expression', message: 'Complete LDAP filter expression', paranoia: 1, severity: 'critical' },
  wildcard: { ruleId: 'ldap.attribute-wildcard', message: 'Wildcard probe of a directory attribute', paranoia: 1, severity: 'critical' },
  xpath: { ruleId: 'ldap.xpath-injection', message: 'XPath clause or axis', paranoia: 1, severity: 'critical' },
  escapeProbe: { ruleId: 'ldap.escaped-metacharacter', message: 'Value made only of LDAP-escaped filter metacharacters', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

/**
 * `*)(uid=`, `admin)(|(`, `)(cn=`, `*)(&`, `;)(&`: a closed filter followed by an opened one. A
 * closed filter glued to a new AND, OR or NOT filter (`)(&`, `)(|`, `)(!(`; a filter has no blanks
 * between its parts, prose has "(slim) (& tapered)") is the shape whatever precedes it; `)(cn=`
 * needs a value or a wildcard before it.
 */
const BREAKOUT = /\)+\(+(?:[|&]|!\s*\()|(?:^|[\w*])\s*\)+\s*\(+\s*(?:!|[a-z][\w-]*\s*[~<>]?=)|\*\s*\)\s*[)(*|&]|\*\s*\(\s*\)\s*[|&]|\(\s*\|\|?[\w(]|\(&\(/i;
/** `(&(sn=x)...`, `(|(uid=*)...`, `(!(cn=...`. */
const FILTER = /\(\s*[&|!]\s*\(\s*[\w.;-]+\s*[~<>]?=/;
const ATTRIBUTES = 'cn|uid|sn|ou|dc|mail|objectclass|userpassword|password|passwd|pwd|samaccountname|memberof|member|givenname|displayname|distinguishedname|userprincipalname|telephonenumber|homedirectory|loginshell|gidnumber|uidnumber';
const WILDCARD = new RegExp(String.raw`\(\s*(?:${ATTRIBUTES})\s*[~<>]?=[^()]*\*[^()]*\)`, 'i');
/**
 * `' or '1'='1`, `")) or (("x"))=(("x`, axes, functions over the document root, and a value that
 * is a descendant path with a wildcard or a predicate (`//*`, `//@*`, `//user[name='a']`; a
 * protocol-relative URL `//cdn.example.com/a.png` has neither).
 */
const XPATH = /^\s*\/\/(?:\*|@\*|@?[a-z_][\w-]*\s*\[)|['"]\s*\)+\s*(?:or|and)\s*\(+\s*['"]|\b(?:child|descendant|ancestor|following|preceding|parent|self|attribute|namespace)(?:-or-self|-sibling)?::(?:node\(\)|text\(\)|\*|[a-z])|\b(?:count|name|string-length|substring|local-name)\s*\(\s*\/+(?:[a-z*]|child::|descendant)/i;

/** RFC 4515 escapes of `(`, `)`, `*`, `\\` and NUL, and nothing else: a probe of how the filter is built. */
const ESCAPE_PROBE = /^\s*(?:\\(?:28|29|2a|5c|00)\s*)+$/i;

function mayContainQuery(value: string): boolean {
  return value.includes('(') || value.includes(')') || value.includes('::') || value.includes('\\') || value.includes('//');
}

export function detectLdapInjection(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainQuery(value)) return [];
  const found = new Set<RuleKey>();
  if (BREAKOUT.test(value)) found.add('breakout');
  if (FILTER.test(value)) found.add('filter');
  if (value.includes('*') && WILDCARD.test(value)) found.add('wildcard');
  if (XPATH.test(value)) found.add('xpath');
  if (value.length <= 64 && ESCAPE_PROBE.test(value)) found.add('escapeProbe');
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
