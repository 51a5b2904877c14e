import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * Java deserialization and polymorphic-typing attacks. Serialized Java objects start with the
 * stream magic `AC ED 00 05` (`rO0AB` in base64, `aced0005` in hex); Jackson default typing and
 * fastjson read a class name from the document (`["com.sun...TemplatesImpl", {...}]`,
 * `{"@type": "..."}`), SnakeYAML from a `!!` tag; JDBC URLs run scripts at connect time
 * (`jdbc:h2:...;INIT=RUNSCRIPT FROM`). OGNL, EL, SpEL and JNDI lookups are the template
 * detector's (`ssti.*`).
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  serialized: { ruleId: 'java.serialized-object', message: 'Java serialization stream (rO0AB / aced0005)', paranoia: 1, severity: 'critical' },
  polymorphic: { ruleId: 'java.polymorphic-type', message: 'Class name chosen by the document (Jackson, fastjson, SnakeYAML)', paranoia: 1, severity: 'critical' },
  jdbc: { ruleId: 'java.jdbc-url-script', message: 'JDBC URL that runs code when connecting', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

const SERIALIZED = /(?:^|[^a-z0-9+/])rO0AB[A-Za-z0-9+/]{4}|(?:^|[^0-9a-f])aced0005[0-9a-f]{4}|\\xac\\xed\\x00\\x05/i;
const PACKAGE = String.raw`(?:java|javax|jdk|sun|com\.sun|org\.apache|org\.springframework|org\.codehaus|org\.hibernate|org\.jboss|org\.mozilla|org\.python|org\.slf4j|org\.h2|ch\.qos|com\.mchange|com\.zaxxer|com\.alibaba|com\.mysql|oracle|bsh|groovy|clojure|net\.sf|weblogic|com\.ibm)\.[\w$]+(?:\.[\w$]+)+`;
/** `["pkg.Class", {` / `["pkg.Class", "..."]`, `"@type": "pkg.Class"`, `!!pkg.Class`. */
const POLYMORPHIC = new RegExp(String.raw`\[\s*["']${PACKAGE}["']\s*,\s*[{\["]|["']@(?:type|class|c)["']\s*:\s*["'][\w$]+(?:\.[\w$]+)+["']|!!${PACKAGE}`, 'i');
const JDBC = /\bjdbc:[a-z0-9]+:[^\s]*?[;?&](?:init|runscript|allowloadlocalinfile|autodeserialize|queryinterceptors|statementinterceptors|socketfactory|allowurlinlocalinfile)\s*=/i;

function mayContainJava(value: string): boolean {
  return value.includes('rO0') || value.includes('ed0005') || value.includes('\\xed') || value.includes('"') || value.includes("'") || value.includes('!!') || value.includes('jdbc:');
}

export function detectJavaInjection(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainJava(value)) return [];
  const found = new Set<RuleKey>();
  if (SERIALIZED.test(value)) found.add('serialized');
  if (value.includes('.') && POLYMORPHIC.test(value)) found.add('polymorphic');
  if (value.includes('jdbc:') && JDBC.test(value)) found.add('jdbc');
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
