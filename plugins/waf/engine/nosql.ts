import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * NoSQL (MongoDB-style) injection. Query operators arrive in three shapes: in a parameter name
 * (`password[$ne]=x`, which qs-style parsers turn into `{password: {$ne: 'x'}}`), as a JSON key
 * (`{"$gt": ""}`), and as the whole key of a parsed body. Server-side JavaScript (`$where`,
 * `mapReduce`) is injected by breaking out of a string and writing JavaScript: comparisons with
 * `==`, `this.field`, `db.collection.method(...)`, `return` statements.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  operatorName: { ruleId: 'nosql.operator-in-name', message: 'Query operator in a parameter name ([$ne], [$regex])', paranoia: 1, severity: 'critical' },
  operatorKey: { ruleId: 'nosql.operator-key', message: 'Query operator as an object key ($gt, $where, $or)', paranoia: 1, severity: 'critical' },
  javascript: { ruleId: 'nosql.server-side-javascript', message: 'Server-side JavaScript in a query ($where, mapReduce, db.*)', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

const OPERATORS = 'ne|eq|gt|gte|lt|lte|in|nin|regex|options|where|exists|type|expr|or|and|not|nor|elemmatch|all|size|mod|text|search|jsonschema|function|accumulator|lookup|comment|set|unset|inc|push|pull|rename|natural|slice|match|group|merge|out';
/** `name[$ne]`, `name[ $gt ]`, `[$nin][]`. */
const OPERATOR_NAME = new RegExp(String.raw`\[\s*\$(?:${OPERATORS})\s*\]`, 'i');
/** `{"$gt": ...`, `{$ne: 1}`, `, $where: '...'`, a key that is the operator itself. */
const OPERATOR_KEY = new RegExp(String.raw`(?:^|[{,\[(\s])\s*(["']?)\$(?:${OPERATORS})\1\s*:|^\s*\$(?:${OPERATORS})\s*$`, 'i');
/** JavaScript that only a query evaluator runs. */
const JS_IN_QUERY = /\bdb\s*\.\s*[\w$]+\s*\.\s*(?:find|findone|insert|insertone|insertmany|update|updateone|updatemany|remove|delete\w*|drop|mapreduce|aggregate|count|save|getcollection)\s*\(|\bthis\s*\.\s*[\w$]+\s*\.\s*(?:match|test|search|startswith|indexof)\s*\(|\bdb\s*\.\s*(?:getcollection|getsiblingdb|eval|runcommand|dropdatabase)\s*\(|\bsleep\s*\(\s*\d+\s*\)\s*;|\bwhile\s*\(\s*\w+\s*-\s*\w+\s*<\s*\d+|new\s+date\s*\(\s*\)\s*;\s*do\s*\{/i;
/** `' || 'a'=='a`, `|| 1==1`, `';return 'a'=='a' && ''=='`, `0;return true`: JavaScript comparison or return after a break-out. */
const JS_TAUTOLOGY = /(?:\|\||&&)\s*(['"]?)([\w]*)\1\s*===?\s*(['"]?)\2(?:\3|$)(?![\w])|(?:^|['";])\s*;?\s*return\s+(?:true\b|1\b|['"][^'"]*['"]\s*===?|\w+\s*===?)/i;

function mayContainNosql(value: string): boolean {
  return value.includes('$') || value.includes('==') || value.includes('db.') || value.includes('this.') || value.includes('return') || value.includes('while');
}

export function detectNosql(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainNosql(value)) return [];
  const found = new Set<RuleKey>();
  if (value.includes('$')) {
    if (value.includes('[') && OPERATOR_NAME.test(value)) found.add('operatorName');
    if (OPERATOR_KEY.test(value)) found.add('operatorKey');
  }
  if (JS_IN_QUERY.test(value) || (value.includes('=') || value.includes('return')) && JS_TAUTOLOGY.test(value)) found.add('javascript');
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
