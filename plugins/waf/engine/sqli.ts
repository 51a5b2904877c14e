import { analyzeSqlTokens, type SqlFacts } from './sql-grammar.js';
import { AMBIGUOUS_CATALOGS, CATALOG_NAMES, DANGEROUS_FUNCTIONS, KEYWORD_FUNCTIONS, SQL_FUNCTIONS, STATEMENT_WORDS } from './sql-keywords.js';
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
  constantCondition: { ruleId: 'sqli.constant-condition', message: 'Comparison between two literals' },
  numberComparison: { ruleId: 'sqli.number-comparison', message: 'A value that is only numbers compared (123<456)' },
  parenthesizedComment: { ruleId: 'sqli.parenthesized-comment', message: 'Parenthesised SQL expression followed by a comment' },
  unionProbe: { ruleId: 'sqli.union-probe', message: 'Truncated UNION after a value' },
  columnProbe: { ruleId: 'sqli.column-probe', message: 'ORDER BY / GROUP BY column numbers with the rest commented out' },
  intoVariable: { ruleId: 'sqli.into-variable', message: 'Query result stored into user variables' },
  terminatedSelect: { ruleId: 'sqli.terminated-select', message: 'SELECT statement that reads a table or calls a function, ended by ; or a comment' },
} as const;

type RuleKey = keyof typeof RULES;

const PL2_RULES = new Set<RuleKey>(['arithmeticComment', 'quotedComment', 'weakBreakout', 'numberComparison']);

/**
 * A value that is numbers and comparison operators only (`123<456`, `11=1`, `5 < 6`): everyday
 * text (a range, a note, a formula) and, alone, no injection: with no quote, logic operator,
 * comment or keyword it cannot close the application's query or add a condition to it. It counts
 * at paranoia 2; with any of those around it, the comparison is `constantCondition` as before.
 */
function onlyNumbersCompared(tokens: readonly SqlToken[]): boolean {
  let numbers = 0;
  for (const t of tokens) {
    if (t.type === 'num') numbers++;
    else if (!(t.type === 'op' && COMPARISON_OPS.has(t.text))) return false;
  }
  return numbers >= 2;
}

function toRuleHit(key: RuleKey): RuleHit {
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

/**
 * Facts that stand on their own, whether or not the rest of the stream parsed. For a stream
 * that failed to parse only a constant condition (`or 1=1`) counts as a tautology; a
 * comparison with a column ("x < 10 and y > 20 cm") is too common in prose.
 */
function judgeStrong(f: SqlFacts, out: Set<RuleKey>, parsed: boolean): void {
  if (f.union) out.add('union');
  if (f.stacked) out.add('stacked');
  if (f.dangerous) out.add('dangerous');
  if (f.catalog) out.add('catalog');
  if (f.systemVariable) out.add('systemVariable');
  if (f.outfile) out.add('outfile');
  if (parsed ? f.literalTautology : f.constantTautology) out.add('tautology');
}

function hasOperandAfterOpening(tokens: readonly SqlToken[]): boolean {
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'num' || t.type === 'str' || t.type === 'var') return true;
  }
  return false;
}

/**
 * Double quotes are everyday punctuation (inches, search phrases), so a double-quote breakout
 * only counts when the text before the quote looks like a single data token, as in `1" OR "1`.
 */
function isTrustedBreakout(ctx: Context): boolean {
  if (!ctx.quoted) return false;
  if (ctx.quoteChar === 39) return true;
  return ctx.opening.length > 0 && IDENTIFIER_LIKE.test(ctx.opening);
}

function findFirstValueToken(tokens: readonly SqlToken[]): SqlToken | undefined {
  for (const t of tokens) if (t.type !== 'comment' && !(t.type === 'op' && (t.text === '-' || t.text === '+'))) return t;
  return undefined;
}

function judgeParsed(f: SqlFacts, ctx: Context, out: Set<RuleKey>): void {
  const breakout = ctx.quoted || f.parenBreakout || f.startsAsContinuation;
  const singleQuoted = isTrustedBreakout(ctx);
  judgeStrong(f, out, true);
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
  if (f.clause && (breakout || findFirstValueToken(ctx.tokens)?.type === 'num')) out.add('clause');
  if (f.constantComparison) out.add(!ctx.quoted && onlyNumbersCompared(ctx.tokens) ? 'numberComparison' : 'constantCondition');
  if (!ctx.quoted && f.startsWithParen && f.endsInComment && hasOperandAfterOpening([ctx.tokens[0], ...ctx.tokens])) {
    out.add('parenthesizedComment');
  }
  if (!ctx.quoted && f.endsInComment && (f.comparison || f.knownFunction)) out.add('commentedExpression');
  if (ctx.quoted && f.endsInComment && f.operators === 0 && ctx.tokens.slice(1, -1).every((t) => t.type === 'rp')) {
    // `admin'--`: the classic login bypass closes a one-word string and comments out the rest.
    // Double quotes end measurements (`7" #2`), so there the login must look like a name.
    const loginLike = IDENTIFIER_LIKE.test(ctx.opening) && (ctx.quoteChar === 39 ? /[a-z]/i : /[a-z]{3}/i).test(ctx.opening);
    out.add(loginLike ? 'commentTruncation' : 'quotedComment');
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

/** `sleep(5)`, `benchmark(1e7, md5(1))`, `extractvalue(rand(), concat(...))` but not `sleep(8 hours)`. */
function isSimpleArgument(code: readonly SqlToken[], k: number): boolean {
  const arg = code[k];
  if (arg === undefined) return true;
  if (arg.type === 'word' && code[k + 1]?.type === 'lp') return true;
  if (arg.type !== 'num' && arg.type !== 'str' && arg.type !== 'var' && arg.type !== 'lp') return false;
  const next = code[k + 1];
  return next === undefined || next.type === 'rp' || next.type === 'comma' || next.type === 'op' || arg.type === 'lp';
}

/** Index just past a literal or built-in call operand (and any closing parens), or -1. */
function skipOperand(code: readonly SqlToken[], k: number): number {
  const tok = code[k];
  if (tok === undefined) return -1;
  let end: number;
  if (isLiteral(tok)) {
    end = k + 1;
  } else if (tok.type === 'word' && !tok.flag && SQL_FUNCTIONS.has(tok.text) && code[k + 1]?.type === 'lp') {
    let depth = 0;
    end = -1;
    for (let j = k + 1; j < code.length && j < k + 256; j++) {
      if (code[j].type === 'lp') depth += 1;
      else if (code[j].type === 'rp' && --depth === 0) {
        end = j + 1;
        break;
      }
    }
    if (end === -1) return -1;
  } else {
    return -1;
  }
  while (code[end]?.type === 'rp') end += 1;
  return end;
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
      if (w === 'UNION' && i > 0 && (code[i - 1].type === 'num' || code[i - 1].type === 'rp') &&
          (i + 1 === code.length || (i + 2 === code.length && (code[i + 1].text === 'ALL' || code[i + 1].text === 'DISTINCT')))) {
        out.add('unionProbe');
      } else if (w.startsWith('XP_') && w.length > 3) {
        out.add('dangerous');
      } else if (w === 'UNION') {
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
      } else if (DANGEROUS_FUNCTIONS.has(w) && code[i + 1]?.type === 'lp' && isSimpleArgument(code, i + 2)) {
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
    } else if (tok.type === 'lp' && code[i + 1]?.text === 'SELECT' && code[i + 1].type === 'word') {
      // `(SELECT TOP 1 ...`, `(SELECT 1 ...`: a sub-select, even if the rest is mangled.
      const item = code[i + 2];
      if (item !== undefined && (item.type === 'num' || item.type === 'var' || (item.type === 'op' && item.text === '*') ||
          (item.type === 'word' && (item.text === 'TOP' || (SQL_FUNCTIONS.has(item.text) && code[i + 3]?.type === 'lp'))))) {
        out.add('subquery');
      }
    }
    if (isLogicToken(tok) || (tok.type === 'word' && !tok.flag && FRAGMENT_ANCHORS.has(tok.text))) {
      const a = skipOpeners(code, i + 1);
      const afterLeft = skipOperand(code, a);
      if (afterLeft !== -1 && isComparisonToken(code[afterLeft])) {
        const b = skipOpeners(code, afterLeft + 1);
        if (skipOperand(code, b) !== -1 || (code[b - 1]?.type === 'lp' && code[b]?.text === 'SELECT')) out.add('fragment');
      }
      // `AND SELECT TOP 1 ...`, `OR SELECT password FROM ...`
      const sel = code[a];
      const item = code[a + 1];
      if (sel?.type === 'word' && sel.text === 'SELECT' && item !== undefined &&
          (item.type === 'num' || item.type === 'var' || (item.type === 'word' && (item.text === 'TOP' || SQL_FUNCTIONS.has(item.text) || code[a + 2]?.text === 'FROM')))) {
        out.add('fragment');
      }
    }
  }
}

/** Words that can contribute to some rule; LIKE, AS, IN, ON... only ever do so next to these. */
const SIGNAL_WORDS = new Set([
  'UNION', 'SELECT', 'OR', 'AND', 'XOR', 'ORDER', 'GROUP', 'HAVING', 'LIMIT', 'WHERE', 'INTO', 'WAITFOR', 'EXEC',
  'EXECUTE', 'DECLARE', 'DROP', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'ALTER', 'TRUNCATE', 'SHUTDOWN', 'CASE',
  'PROCEDURE', 'DIV', 'MOD', 'RLIKE', 'REGEXP', 'BETWEEN', 'SOUNDS', 'GRANT', 'REVOKE', 'OUTFILE', 'DUMPFILE',
]);
const SIGNAL_OPS = new Set(['=', '<', '>', '!', '|', '&', '^', '~', '<=', '>=', '<>', '!=', '<=>', ':=', '||', '&&', '<<', '>>', '!<', '!>']);

/**
 * Cheap screen before parsing: a stream none of whose tokens can take part in any rule (a
 * User-Agent, a sentence with "like" in it) cannot be an injection, so the grammar is skipped.
 */
function hasSqlSignal(tokens: readonly SqlToken[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'str':
      case 'var':
      case 'comment':
        return true;
      case 'op':
        if (SIGNAL_OPS.has(t.text)) return true;
        break;
      case 'semi': {
        const next = tokens[i + 1];
        if (next !== undefined && next.type === 'word' && STATEMENT_WORDS.has(next.text)) return true;
        break;
      }
      case 'word':
        if (t.flag) break;
        if (SIGNAL_WORDS.has(t.text) || CATALOG_NAMES.has(t.text)) return true;
        if (tokens[i + 1]?.type === 'lp' && (SQL_FUNCTIONS.has(t.text) || DANGEROUS_FUNCTIONS.has(t.text) || KEYWORD_FUNCTIONS.has(t.text) || t.text.includes('_'))) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

const isWordToken = (t: SqlToken | undefined, word: string): boolean => t !== undefined && t.type === 'word' && !t.flag && t.text === word;

/** Index just past `num (, num)* [,]` from k, or -1. */
function skipNumberList(code: readonly SqlToken[], k: number): number {
  if (code[k]?.type !== 'num') return -1;
  k += 1;
  while (code[k]?.type === 'comma' && code[k + 1]?.type === 'num') k += 2;
  if (code[k]?.type === 'comma') k += 1;
  return k;
}

/**
 * Shapes of a whole value that only an injection has, judged on the tokens: the value ends the
 * application's query with a comment after
 * - column-count probing, `ORDER BY 10#`, `1' GROUP BY 1,2,--` (a clause of bare column numbers);
 * - `LIMIT 1,1 INTO @a,@b--` (the result stored into user variables);
 * - `'--`, `'); --` (a string closed, nothing else, the rest commented out);
 * and `SELECT ... FROM t;`, `SELECT f();`, `SELECT SCHEMA_NAME()`: a SELECT that reads a table or
 * calls a function, standing alone and ended by `;` or a comment (or a single built-in call).
 */
function judgeShapes(ctx: Context, value: string, parsed: boolean, out: Set<RuleKey>): void {
  const tokens = ctx.tokens;
  const endsInComment = tokens.length > 0 && tokens[tokens.length - 1].type === 'comment';
  const code = tokens.filter((t) => t.type !== 'comment');
  const start = ctx.quoted ? 1 : 0;
  if (endsInComment) {
    let k = start;
    while (code[k]?.type === 'rp') k += 1;
    if ((isWordToken(code[k], 'ORDER') || isWordToken(code[k], 'GROUP')) && isWordToken(code[k + 1], 'BY') && skipNumberList(code, k + 2) === code.length) out.add('columnProbe');
    // `@a`, or a bare `@` (MySQL takes `@` alone as a variable named '').
    const isUserVar = (t: SqlToken | undefined): boolean => t !== undefined && ((t.type === 'var' && !t.flag) || (t.type === 'other' && t.text === '@'));
    for (let i = start; i < code.length; i++) {
      if (!isWordToken(code[i], 'INTO') || !isUserVar(code[i + 1])) continue;
      let j = i + 2;
      while (code[j]?.type === 'comma' && isUserVar(code[j + 1])) j += 2;
      if (j === code.length) out.add('intoVariable');
    }
    // A double quote also opens a measurement or a name (`"#2 MOM"`): there the comment must be empty.
    const comment = tokens[tokens.length - 1];
    const bareComment = ctx.quoteChar === 39 || /^\s*(?:--|#|\/\*)\s*(?:\*\/)?\s*$/.test(value.slice(comment.start));
    if (ctx.quoted && ctx.opening.trim() === '' && bareComment && code.slice(1).every((t) => t.type === 'rp' || t.type === 'semi')) out.add('commentTruncation');
  }
  if (!ctx.quoted && parsed && isWordToken(code[0], 'SELECT')) {
    const last = tokens[tokens.length - 1];
    const terminated = last.type === 'comment' || last.type === 'semi';
    const reads = code.some((t, i) => isWordToken(t, 'FROM') || (t.type === 'word' && !t.flag && code[i + 1]?.type === 'lp') || (t.type === 'op' && t.text === '*' && i === 1));
    // `SELECT SCHEMA_NAME()`, `SELECT SERVERPROPERTY('edition')`: one call of literals, nothing more.
    const call = code.length >= 4 && code[1].type === 'word' && !code[1].flag && code[2].type === 'lp' && code[code.length - 1].type === 'rp' &&
      (code[1].text.includes('_') || SQL_FUNCTIONS.has(code[1].text) || code.length === 4) &&
      code.slice(3, -1).every((t) => t.type === 'str' || t.type === 'num' || t.type === 'comma');
    if ((terminated && reads) || call) out.add('terminatedSelect');
  }
}

function analyzeContexts(value: string, out: Set<RuleKey>): void {
  for (const ctx of buildContexts(value)) {
    if (!hasSqlSignal(ctx.tokens)) continue;
    const facts = analyzeSqlTokens(ctx.tokens, ctx.quoted);
    judgeShapes(ctx, value, facts.parsed, out);
    if (facts.parsed) {
      judgeParsed(facts, ctx, out);
    } else {
      // Facts gathered before the parse failed are still facts about a valid prefix.
      judgeStrong(facts, out, false);
      judgeUnparsed(ctx.tokens.filter((t) => t.type !== 'comment'), out);
    }
  }
}

const EXECUTABLE_COMMENT = /\/\*!\d{0,5}\s*[a-z(@'"0-9-]/i;
const LOG_EVASION = /(?:--|#|\/\*)[^\n]*\bsp_password\b/i;

/** Token-free evidence: constructs that only SQL has. */
function judgeRaw(value: string, out: Set<RuleKey>): void {
  if (value.includes('/*!') && EXECUTABLE_COMMENT.test(value)) out.add('executableComment');
  if (value.includes('sp_password') && LOG_EVASION.test(value)) out.add('logEvasion');
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
  // `'+UNION+SELECT`: form encoding that reached us undecoded; `+` is a space to the server.
  if (found.size === 0 && value.includes('+') && !/\s/.test(value)) analyzeContexts(value.replace(/\+/g, ' '), found);
  const hits: RuleHit[] = [];
  for (const key of found) {
    const h = toRuleHit(key);
    if (h.paranoia <= paranoia) hits.push(h);
  }
  return hits;
}
