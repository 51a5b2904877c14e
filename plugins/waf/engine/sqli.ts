import { analyzeSqlTokens, type SqlFacts } from './sql-grammar.js';
import { CATALOG_NAMES, AMBIGUOUS_CATALOGS, DANGEROUS_FUNCTIONS, SQL_FUNCTIONS } from './sql-keywords.js';
import { findStringEnd, tokenizeSql, type SqlToken } from './sql-tokenizer.js';
import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * SQL injection detection by grammar, not by keyword spotting.
 *
 * A value can land in a query in three places: as a bare number/identifier, inside a
 * single-quoted string or inside a double-quoted string. For each place the value is lexed
 * as the database would lex it (for the quoted places the text up to the first quote is the
 * application's string) and parsed by a permissive SQL grammar. An injection is a value that
 * (a) forms valid SQL in that place and (b) does something data never does: combine a
 * comparison with OR/AND, UNION another SELECT, stack a statement, call timing/file
 * functions, read system catalogs, or break out of a string and keep going with operators.
 * English that happens to contain SQL words ("Select Comfort mattress", "O'Reilly",
 * "don't -- stop") fails (a) or (b).
 */

const RULES = {
  union: { ruleId: 'sqli.union-select', message: 'UNION SELECT appended to a value' },
  stacked: { ruleId: 'sqli.stacked-query', message: 'Stacked SQL statement' },
  statement: { ruleId: 'sqli.statement', message: 'Complete SQL statement as a value' },
  dangerous: { ruleId: 'sqli.dangerous-function', message: 'Time-delay, file or error-based SQL function' },
  catalog: { ruleId: 'sqli.system-catalog', message: 'System catalog access' },
  systemVariable: { ruleId: 'sqli.system-variable', message: 'SQL system variable' },
  outfile: { ruleId: 'sqli.outfile', message: 'SELECT INTO OUTFILE/DUMPFILE' },
  tautology: { ruleId: 'sqli.tautology', message: 'Boolean condition appended with OR/AND' },
  breakout: { ruleId: 'sqli.quote-breakout', message: 'String breakout followed by SQL operators' },
  clause: { ruleId: 'sqli.clause-injection', message: 'ORDER BY / GROUP BY / HAVING / LIMIT injected after a value' },
  commentTruncation: { ruleId: 'sqli.comment-truncation', message: 'String closed and rest of query commented out' },
  commentedExpression: { ruleId: 'sqli.commented-expression', message: 'SQL condition followed by a comment' },
  fragment: { ruleId: 'sqli.tautology-fragment', message: 'Literal tautology such as OR 1=1' },
  arithmeticComment: { ruleId: 'sqli.arithmetic-comment', message: 'SQL expression followed by a comment' },
  quotedComment: { ruleId: 'sqli.quoted-comment', message: 'Quote followed by a SQL comment' },
  conditional: { ruleId: 'sqli.conditional', message: 'Conditional SQL built-in (CASE/IF/ELT) with a comparison' },
  fingerprint: { ruleId: 'sqli.fingerprint-function', message: 'Database fingerprinting call such as version()' },
  subquery: { ruleId: 'sqli.subquery', message: 'Sub-select in a value' },
  executableComment: { ruleId: 'sqli.mysql-executable-comment', message: 'MySQL executable comment' },
  logEvasion: { ruleId: 'sqli.log-evasion', message: 'sp_password log-evasion comment' },
  weakBreakout: { ruleId: 'sqli.weak-breakout', message: 'Double-quote breakout followed by an operator' },
} as const;

type RuleKey = keyof typeof RULES;

const PL2_RULES = new Set<RuleKey>(['arithmeticComment', 'quotedComment', 'weakBreakout']);

function hit(key: RuleKey): RuleHit {
  const r = RULES[key];
  const pl2 = PL2_RULES.has(key);
  return { ruleId: r.ruleId, message: r.message, paranoia: pl2 ? 2 : 1, severity: pl2 ? 'warning' : 'critical' };
}

/** Characters without which no injection is possible; values made only of others skip the parser. */
function mayContainSql(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // space ' " ( ) ; = < > - # / * @ | & ! ^ % + ~ , tab/newline, backtick
    if (c === 32 || c === 39 || c === 34 || c === 40 || c === 41 || c === 59 || c === 61 || c === 60 || c === 62 ||
        c === 45 || c === 35 || c === 47 || c === 42 || c === 64 || c === 124 || c === 38 || c === 33 || c === 94 ||
        c === 37 || c === 43 || c === 126 || c === 44 || (c >= 9 && c <= 13) || c === 96 || c === 0xa0) return true;
  }
  return false;
}

interface Context {
  tokens: SqlToken[];
  quoted: boolean;
  quoteChar: number;
  /** Text of the application's string the value started in (quoted contexts). */
  opening: string;
}

function buildContexts(value: string): Context[] {
  const contexts: Context[] = [{ tokens: tokenizeSql(value), quoted: false, quoteChar: 0, opening: '' }];
  for (const quote of [39, 34]) {
    if (value.indexOf(String.fromCharCode(quote)) === -1) continue;
    const close = findStringEnd(value, 0, quote);
    if (close === -1) continue;
    const opening: SqlToken = { type: 'str', text: String.fromCharCode(quote), start: 0, end: close + 1, closed: true, flag: false };
    contexts.push({ tokens: [opening, ...tokenizeSql(value, close + 1)], quoted: true, quoteChar: quote, opening: value.slice(0, close) });
  }
  return contexts;
}

const IDENTIFIER_LIKE = /^[\w.@$-]{1,40}$/;

/** Facts that stand on their own, whether or not the rest of the stream parsed. */
function judgeStrong(f: SqlFacts, out: Set<RuleKey>): void {
  if (f.union) out.add('union');
  if (f.stacked) out.add('stacked');
  if (f.dangerous) out.add('dangerous');
  if (f.catalog) out.add('catalog');
  if (f.systemVariable) out.add('systemVariable');
  if (f.outfile) out.add('outfile');
  if (f.literalTautology) out.add('tautology');
}

function hasOperandAfterOpening(tokens: readonly SqlToken[]): boolean {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'num' || t.type === 'str' || t.type === 'var') return true;
  }
  return false;
}

function judgeParsed(f: SqlFacts, ctx: Context, out: Set<RuleKey>): void {
  const breakout = ctx.quoted || f.parenBreakout;
  const singleQuoted = ctx.quoted && ctx.tokens[0].end > 0 && ctx.quoteChar === 39;
  judgeStrong(f, out);
  if (f.statement) out.add('statement');
  if (f.strongTautology) out.add('tautology');
  if (f.weakTautology && (f.endsInComment || f.parenBreakout || singleQuoted)) out.add('tautology');
  if (f.weakTautology && ctx.quoted && !singleQuoted) out.add('weakBreakout');
  if (f.conditional || (f.knownFunction && f.comparison)) out.add('conditional');
  if (f.fingerprint) out.add('fingerprint');
  if (f.subquery) out.add('subquery');
  const properEnd = f.endsInOpenString || f.endsInComment;
  if (ctx.quoted && f.operators > 0 && properEnd && hasOperandAfterOpening(ctx.tokens)) {
    out.add(singleQuoted ? 'breakout' : 'weakBreakout');
  }
  if (f.clause && (breakout || ctx.tokens[0]?.type === 'num')) out.add('clause');
  if (!ctx.quoted && f.endsInComment && (f.comparison || f.knownFunction)) out.add('commentedExpression');
  if (ctx.quoted && f.endsInComment && f.operators === 0 && ctx.tokens.length === 2) {
    // `admin'--`: the classic login bypass closes a one-word string and comments out the rest.
    out.add(singleQuoted && IDENTIFIER_LIKE.test(ctx.opening) ? 'commentTruncation' : 'quotedComment');
  }
  if (!ctx.quoted && f.endsInComment && f.operators > 0) out.add('arithmeticComment');
}

const UNION_ITEM_WORDS = new Set(['NULL', 'TOP', 'DISTINCT', 'ALL', 'FIRST', 'CONCAT', 'CHAR']);
/** Words after which a literal comparison can only be a condition. */
const FRAGMENT_ANCHORS = new Set(['WHERE', 'HAVING', 'WHEN']);

const COMPARISON_OPS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '<=>', 'LIKE', 'RLIKE', 'REGEXP']);
const LOGIC_OPS = new Set(['OR', 'AND', 'XOR', '||', '&&']);

function isLogicToken(tok: SqlToken | undefined): boolean {
  return tok !== undefined && ((tok.type === 'word' && !tok.flag) || tok.type === 'op') && LOGIC_OPS.has(tok.text);
}

function isComparisonToken(tok: SqlToken | undefined): boolean {
  return tok !== undefined && ((tok.type === 'word' && !tok.flag) || tok.type === 'op') && COMPARISON_OPS.has(tok.text);
}

function isLiteral(tok: SqlToken | undefined): boolean {
  return tok !== undefined && (tok.type === 'num' || (tok.type === 'str' && tok.closed));
}

function skipOpeners(code: readonly SqlToken[], k: number): number {
  while (k < code.length && (code[k].type === 'lp' || (code[k].type === 'op' && (code[k].text === '-' || code[k].text === '!' || code[k].text === '+')))) k += 1;
  return k;
}

/**
 * Token-level evidence for streams the grammar rejects (fuzzed or truncated payloads):
 * constructs that have no business in data regardless of what surrounds them.
 */
function judgeUnparsed(code: readonly SqlToken[], out: Set<RuleKey>): void {
  for (let i = 0; i < code.length; i++) {
    const tok = code[i];
    if (tok.type === 'word' && !tok.flag) {
      const w = tok.text;
      if (w === 'UNION') {
        let k = i + 1;
        if (code[k]?.text === 'ALL' || code[k]?.text === 'DISTINCT') k += 1;
        while (code[k]?.type === 'lp') k += 1;
        const sel = code[k];
        const item = code[k + 1];
        if (sel?.type === 'word' && sel.text === 'SELECT' && (item === undefined ||
            item.type === 'num' || item.type === 'str' || item.type === 'var' || item.type === 'lp' ||
            (item.type === 'op' && (item.text === '*' || item.text === '-')) ||
            (item.type === 'word' && (UNION_ITEM_WORDS.has(item.text) || SQL_FUNCTIONS.has(item.text) || code[k + 2]?.type === 'comma' || code[k + 2]?.text === 'FROM')))) {
          out.add('union');
        } else if ((sel?.type === 'num' || sel?.text === 'NULL') && code[k + 1]?.type === 'comma') {
          // `UNION 1,2,3`: column-count probing with the SELECT mangled or filtered out.
          out.add('union');
        }
      } else if (DANGEROUS_FUNCTIONS.has(w) && code[i + 1]?.type === 'lp') {
        out.add('dangerous');
      } else if (w === 'WAITFOR' && (code[i + 1]?.text === 'DELAY' || code[i + 1]?.text === 'TIME') && code[i + 2]?.type === 'str') {
        out.add('dangerous');
      } else if (w === 'INTO' && (code[i + 1]?.text === 'OUTFILE' || code[i + 1]?.text === 'DUMPFILE')) {
        out.add('outfile');
      } else if (CATALOG_NAMES.has(w) && (!AMBIGUOUS_CATALOGS.has(w) || code[i + 1]?.type === 'dot')) {
        out.add('catalog');
      }
    } else if (tok.type === 'var' && tok.flag) {
      out.add('systemVariable');
    }
    if (isLogicToken(tok) || (tok.type === 'word' && !tok.flag && FRAGMENT_ANCHORS.has(tok.text))) {
      const a = skipOpeners(code, i + 1);
      if (isLiteral(code[a]) && isComparisonToken(code[a + 1])) {
        const b = skipOpeners(code, a + 2);
        if (isLiteral(code[b]) || (code[b - 1]?.type === 'lp' && code[b]?.text === 'SELECT')) out.add('fragment');
      }
    }
  }
}

function analyzeContexts(value: string, out: Set<RuleKey>): void {
  for (const ctx of buildContexts(value)) {
    const facts = analyzeSqlTokens(ctx.tokens, ctx.quoted);
    if (facts.parsed) {
      judgeParsed(facts, ctx, out);
    } else {
      // Facts gathered before the parse failed are still facts about a valid prefix.
      judgeStrong(facts, out);
      judgeUnparsed(ctx.tokens.filter((t) => t.type !== 'comment'), out);
    }
  }
}

const EXECUTABLE_COMMENT = /\/\*!\d{0,5}\s*[a-z(@'"0-9-]/i;
const LOG_EVASION = /(?:--|#|\/\*)[^\n]*\bsp_password\b/i;

/** Token-free evidence: constructs that only SQL has. */
function judgeRaw(value: string, out: Set<RuleKey>): void {
  if (value.includes('/*!') && EXECUTABLE_COMMENT.test(value)) out.add('executableComment');
  if (LOG_EVASION.test(value)) out.add('logEvasion');
}

/** `UN/**\/ION`: some filters strip comments before the database sees the query. */
function stripInlineComments(value: string): string {
  return value.replace(/\/\*(?!!)[\s\S]*?\*\//g, '');
}

export function detectSqli(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  if (!mayContainSql(value)) return [];
  const found = new Set<RuleKey>();
  judgeRaw(value, found);
  analyzeContexts(value, found);
  if (found.size === 0 && value.includes('/*')) {
    const stripped = stripInlineComments(value);
    if (stripped !== value) analyzeContexts(stripped, found);
  }
  const hits: RuleHit[] = [];
  for (const key of found) {
    const h = hit(key);
    if (h.paranoia <= paranoia) hits.push(h);
  }
  return hits;
}
