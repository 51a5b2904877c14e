import { MAX_PARSE_DEPTH } from './limits.js';
import {
  AMBIGUOUS_CATALOGS,
  CATALOG_NAMES,
  DANGEROUS_FUNCTIONS,
  KEYWORD_FUNCTIONS,
  LIKE_WORDS,
  LITERAL_WORDS,
  NILADIC_WORDS,
  RESERVED,
  SQL_FUNCTIONS,
  STATEMENT_WORDS,
  TYPE_WORDS,
} from './sql-keywords.js';
import type { SqlToken } from './sql-tokenizer.js';

/**
 * What a token stream does when it is spliced into a query. The grammar below only records
 * facts; `sqli.ts` decides which combinations amount to an injection.
 */
export interface SqlFacts {
  /** The whole stream is a valid continuation of a WHERE-clause value. */
  parsed: boolean;
  union: boolean;
  stacked: boolean;
  /** The value is itself a complete, plausible statement (`DROP TABLE x`). */
  statement: boolean;
  dangerous: boolean;
  catalog: boolean;
  systemVariable: boolean;
  outfile: boolean;
  /** OR/AND/XOR whose right side is a comparison, a built-in call or a subquery. */
  strongTautology: boolean;
  /** OR/AND/XOR whose right side is a bare literal (`or 1`). */
  weakTautology: boolean;
  /** Strong tautology whose comparison involves a literal or a built-in call (`or y>5`). */
  literalTautology: boolean;
  /** Tautology whose comparison has literals or built-ins on both sides (`or 1=1`, `and 'a'='a'`). */
  constantTautology: boolean;
  /** CASE, or IF/IIF/ELT-style conditional built-in. */
  conditional: boolean;
  /** Zero-argument fingerprinting call: version(), database(), user()... */
  fingerprint: boolean;
  /** A comparison between two literals (`1=1`, `'a'='a'`): a condition data never carries. */
  constantComparison: boolean;
  /** The stream began with a parenthesis (a parenthesised expression or subquery probe). */
  startsWithParen: boolean;
  /** The stream began with an operator or separator that continues the application's query. */
  startsAsContinuation: boolean;
  /** ORDER BY / GROUP BY / HAVING / LIMIT / WHERE / PROCEDURE after the value. */
  clause: boolean;
  knownFunction: boolean;
  subquery: boolean;
  comparison: boolean;
  /** Count of operators and operator-keywords applied. */
  operators: number;
  endsInComment: boolean;
  endsInOpenString: boolean;
  /** A `)` closed a parenthesis opened by the application's query. */
  parenBreakout: boolean;
}

export function createEmptyFacts(): SqlFacts {
  return {
    parsed: false, union: false, stacked: false, statement: false, dangerous: false, catalog: false,
    systemVariable: false, outfile: false, strongTautology: false, weakTautology: false, literalTautology: false,
    constantTautology: false, conditional: false, fingerprint: false, constantComparison: false, startsWithParen: false,
    startsAsContinuation: false, clause: false,
    knownFunction: false, subquery: false, comparison: false, operators: 0, endsInComment: false,
    endsInOpenString: false, parenBreakout: false,
  };
}

/** Shape of a parsed operand, enough to judge what a logic operator is combined with. */
interface Operand {
  literal: boolean;
  comparison: boolean;
  call: boolean;
  subquery: boolean;
  /** Contains a comparison one side of which is a literal or a built-in call. */
  litCmp: boolean;
  /** A single literal token, possibly parenthesised or negated. */
  atom?: boolean;
  /** Contains a comparison with literals or built-in calls on both sides. */
  constCmp?: boolean;
}

const LITERAL: Operand = { literal: true, comparison: false, call: false, subquery: false, litCmp: false };
const ATOM: Operand = { ...LITERAL, atom: true };
const PLAIN: Operand = { literal: false, comparison: false, call: false, subquery: false, litCmp: false };
const CALL: Operand = { literal: false, comparison: false, call: true, subquery: false, litCmp: false };
const SUBQUERY: Operand = { literal: false, comparison: false, call: false, subquery: true, litCmp: false };

function mergeOperands(a: Operand, b: Operand, comparison: boolean): Operand {
  return {
    literal: false,
    comparison: comparison || a.comparison || b.comparison,
    call: a.call || b.call,
    subquery: a.subquery || b.subquery,
    litCmp: a.litCmp || b.litCmp || (comparison && (a.literal || b.literal || a.call || b.call || a.subquery || b.subquery)),
    constCmp: a.constCmp === true || b.constCmp === true ||
      (comparison && (a.literal || a.call || a.subquery) && (b.literal || b.call || b.subquery)),
  };
}

const CONDITIONAL_FUNCTIONS = new Set(['IF', 'IIF', 'ELT', 'MAKE_SET', 'NULLIF', 'IFNULL', 'DECODE', 'CHOOSE', 'COALESCE', 'NVL', 'NVL2']);
const FINGERPRINT_FUNCTIONS = new Set([
  'VERSION', 'DATABASE', 'SCHEMA', 'USER', 'CURRENT_USER', 'SYSTEM_USER', 'SESSION_USER', 'DB_NAME', 'SUSER_NAME',
  'SUSER_SNAME', 'USER_NAME', 'SQLITE_VERSION', 'CURRENT_DATABASE', 'HOST_NAME', 'CONNECTION_ID', 'CURRENT_SCHEMA',
  'LAST_INSERT_ID', 'ROW_COUNT', 'FOUND_ROWS',
]);

type BinaryKind = 'logic' | 'cmp' | 'arith' | 'like' | 'in' | 'between' | 'is' | 'not' | 'collate' | 'cast' | 'sounds' | 'similar' | 'assign';

interface BinaryOp {
  kind: BinaryKind;
  prec: number;
}

const OP_TABLE: Readonly<Record<string, BinaryOp>> = {
  '||': { kind: 'logic', prec: 1 }, '&&': { kind: 'logic', prec: 2 },
  '=': { kind: 'cmp', prec: 4 }, '<=>': { kind: 'cmp', prec: 4 }, '<>': { kind: 'cmp', prec: 4 },
  '!=': { kind: 'cmp', prec: 4 }, '<': { kind: 'cmp', prec: 4 }, '>': { kind: 'cmp', prec: 4 },
  '<=': { kind: 'cmp', prec: 4 }, '>=': { kind: 'cmp', prec: 4 }, '!<': { kind: 'cmp', prec: 4 },
  '!>': { kind: 'cmp', prec: 4 }, ':=': { kind: 'assign', prec: 0 },
  '|': { kind: 'arith', prec: 5 }, '&': { kind: 'arith', prec: 6 }, '<<': { kind: 'arith', prec: 7 },
  '>>': { kind: 'arith', prec: 7 }, '+': { kind: 'arith', prec: 8 }, '-': { kind: 'arith', prec: 8 },
  '*': { kind: 'arith', prec: 9 }, '/': { kind: 'arith', prec: 9 }, '%': { kind: 'arith', prec: 9 },
  '^': { kind: 'arith', prec: 10 }, '::': { kind: 'cast', prec: 12 }, '->': { kind: 'arith', prec: 12 },
};

const WORD_OPS: Readonly<Record<string, BinaryOp>> = {
  OR: { kind: 'logic', prec: 1 }, XOR: { kind: 'logic', prec: 1 }, AND: { kind: 'logic', prec: 2 },
  IS: { kind: 'is', prec: 4 }, IN: { kind: 'in', prec: 4 }, BETWEEN: { kind: 'between', prec: 4 },
  SOUNDS: { kind: 'sounds', prec: 4 }, SIMILAR: { kind: 'similar', prec: 4 }, NOT: { kind: 'not', prec: 4 },
  LIKE: { kind: 'like', prec: 4 }, RLIKE: { kind: 'like', prec: 4 }, REGEXP: { kind: 'like', prec: 4 },
  GLOB: { kind: 'like', prec: 4 }, ILIKE: { kind: 'like', prec: 4 },
  DIV: { kind: 'arith', prec: 9 }, MOD: { kind: 'arith', prec: 9 }, COLLATE: { kind: 'collate', prec: 12 },
};

const PREC_AND = 2;
const PREC_NOT = 3;
const PREC_COMPARE = 4;
const PREC_UNARY = 11;

const JOIN_WORDS = new Set(['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'NATURAL', 'STRAIGHT_JOIN']);
const SELECT_MODIFIERS = new Set([
  'ALL', 'DISTINCT', 'DISTINCTROW', 'HIGH_PRIORITY', 'STRAIGHT_JOIN', 'SQL_SMALL_RESULT', 'SQL_BIG_RESULT',
  'SQL_BUFFER_RESULT', 'SQL_NO_CACHE', 'SQL_CACHE', 'SQL_CALC_FOUND_ROWS',
]);
const DROP_OBJECTS = new Set([
  'TABLE', 'DATABASE', 'USER', 'PROCEDURE', 'FUNCTION', 'VIEW', 'INDEX', 'TRIGGER', 'SCHEMA', 'LOGIN', 'ROLE', 'TEMPORARY',
]);
/** Statements that, standing alone as a value, are unmistakably SQL rather than English. */
const STRICT_STATEMENTS = new Set([
  'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'DROP', 'CREATE', 'ALTER', 'TRUNCATE', 'EXEC', 'EXECUTE', 'DECLARE',
  'WAITFOR', 'SHUTDOWN', 'GRANT', 'REVOKE', 'LOAD', 'ATTACH', 'BACKUP', 'RESTORE', 'UNION', 'IF', 'WHILE',
]);
const SHOW_OBJECTS = new Set(['DATABASES', 'TABLES', 'COLUMNS', 'GRANTS', 'VARIABLES', 'PROCESSLIST', 'SCHEMAS', 'STATUS', 'CREATE', 'FULL', 'USERS']);

/** Parse failure; thrown to unwind quickly from deep recursion. */
class ParseError extends Error {}

const FAIL = new ParseError('sql parse failure');

/**
 * A permissive recursive-descent grammar for "what could follow the start of a value inside
 * a WHERE clause": expressions, calls, subqueries, trailing clauses, UNION and stacked
 * statements, across common dialects. It answers whether the whole stream is valid SQL in
 * that position and collects the facts the decision needs.
 */
class SqlGrammar {
  private pos = 0;
  private depth = 0;

  /** Quote character of the string the application opened, '' for the bare context. */
  private readonly contextQuote: string;

  private readonly endsWithComment: boolean;

  constructor(private readonly t: readonly SqlToken[], private readonly facts: SqlFacts, startsWithOperand: boolean) {
    this.contextQuote = startsWithOperand ? t[0]?.text ?? '' : '';
    this.endsWithComment = facts.endsInComment;
  }

  /** Parses tokens as the continuation of a value; the first token may be a context-opened string. */
  run(startsWithOperand: boolean): boolean {
    try {
      this.facts.startsWithParen = this.isType(0, 'lp');
      if (startsWithOperand) {
        this.pos = 1;
        this.parseExpressionTail(LITERAL, 0);
      } else if (this.isType(0, 'semi') || this.isType(0, 'rp') || (this.findBinaryOp()?.kind === 'logic')) {
        // `) OR (...`, `; DROP ...`, `AND 1=1`: the value continues the application's own expression.
        this.facts.startsAsContinuation = true;
        this.parseExpressionTail(PLAIN, 0);
      } else if (this.isWord(0, 'SELECT')) {
        this.pos += 1;
        if (this.parseSelectBody()) this.facts.statement = true;
      } else if (this.peekWord(0) !== '' && STATEMENT_WORDS.has(this.peekWord(0)) && !this.isFunctionCallAt(0)) {
        if (!this.parseStatementStart(true)) return false;
        this.facts.statement = true;
        return true;
      } else {
        this.parseExpression(0);
      }
      this.parseTrailer();
      return this.pos >= this.t.length;
    } catch (err) {
      if (err instanceof ParseError) return false;
      throw err;
    }
  }

  // ---- token helpers -------------------------------------------------------------------

  private peek(k = 0): SqlToken | undefined {
    return this.t[this.pos + k];
  }

  private isAtEnd(): boolean {
    return this.pos >= this.t.length;
  }

  /** Upper-cased keyword at offset, or '' when the token is not an unquoted word. */
  private peekWord(k: number): string {
    const tok = this.t[this.pos + k];
    return tok !== undefined && tok.type === 'word' && !tok.flag ? tok.text : '';
  }

  private isWord(k: number, word: string): boolean {
    return this.peekWord(k) === word;
  }

  private isType(k: number, type: SqlToken['type']): boolean {
    return this.t[this.pos + k]?.type === type;
  }

  private isOp(k: number, text: string): boolean {
    const tok = this.t[this.pos + k];
    return tok !== undefined && tok.type === 'op' && tok.text === text;
  }

  private expectWord(word: string): void {
    if (!this.isWord(0, word)) throw FAIL;
    this.pos += 1;
  }

  private acceptWord(word: string): boolean {
    if (this.isWord(0, word)) {
      this.pos += 1;
      return true;
    }
    return false;
  }

  private enter(): void {
    this.depth += 1;
    if (this.depth > MAX_PARSE_DEPTH) throw FAIL;
  }

  private leave(): void {
    this.depth -= 1;
  }

  private isFunctionCallAt(k: number): boolean {
    const w = this.peekWord(k);
    return w !== '' && this.isType(k + 1, 'lp') && (!RESERVED.has(w) || KEYWORD_FUNCTIONS.has(w));
  }

  /** `)` at end of input, or input ending inside parentheses: the application closes them. */
  private closeParen(): void {
    if (this.isType(0, 'rp')) {
      this.pos += 1;
      return;
    }
    if (!this.isAtEnd()) throw FAIL;
  }

  // ---- expressions ---------------------------------------------------------------------

  private parseExpression(minPrec: number): Operand {
    this.enter();
    const left = this.parseUnary();
    const result = this.parseExpressionTail(left, minPrec);
    this.leave();
    return result;
  }

  private findBinaryOp(): BinaryOp | undefined {
    const tok = this.peek();
    if (tok === undefined) return undefined;
    if (tok.type === 'op') return OP_TABLE[tok.text];
    if (tok.type === 'word' && !tok.flag) {
      const op = WORD_OPS[tok.text];
      if (op !== undefined && op.kind === 'not') {
        const next = this.peekWord(1);
        return next === 'IN' || next === 'BETWEEN' || LIKE_WORDS.has(next) || next === 'SIMILAR' ? op : undefined;
      }
      return op;
    }
    return undefined;
  }

  private parseExpressionTail(first: Operand, minPrec: number): Operand {
    let left = first;
    for (;;) {
      const op = this.findBinaryOp();
      if (op === undefined || op.prec < minPrec) return left;
      this.pos += 1;
      this.facts.operators += 1;
      switch (op.kind) {
        case 'logic': {
          const right = this.parseExpression(op.prec + 1);
          if (right.comparison || right.call || right.subquery) this.facts.strongTautology = true;
          else if (right.literal) this.facts.weakTautology = true;
          if (right.litCmp || right.call || right.subquery) this.facts.literalTautology = true;
          if (right.constCmp === true || (right.call && right.comparison)) this.facts.constantTautology = true;
          left = mergeOperands(left, right, false);
          break;
        }
        case 'cmp':
        case 'assign': {
          if (this.peekWord(0) === 'ANY' || this.peekWord(0) === 'SOME' || this.peekWord(0) === 'ALL') this.pos += 1;
          const right = this.parseExpression(op.prec + 1);
          this.facts.comparison = true;
          if (left.atom === true && right.atom === true) this.facts.constantComparison = true;
          left = mergeOperands(left, right, true);
          break;
        }
        case 'not':
          // NOT LIKE / NOT IN / NOT BETWEEN: the loop re-dispatches on the operator after NOT.
          continue;
        case 'like':
        case 'similar':
        case 'sounds': {
          if (op.kind === 'similar') this.expectWord('TO');
          if (op.kind === 'sounds') this.expectWord('LIKE');
          const right = this.parseExpression(PREC_COMPARE + 1);
          if (this.acceptWord('ESCAPE')) this.parseExpression(PREC_COMPARE + 1);
          this.facts.comparison = true;
          left = mergeOperands(left, right, true);
          break;
        }
        case 'in':
          left = mergeOperands(left, this.parseInList(), true);
          this.facts.comparison = true;
          break;
        case 'between': {
          const low = this.parseExpression(PREC_AND + 1);
          this.expectWord('AND');
          this.parseExpression(PREC_AND + 1);
          this.facts.comparison = true;
          left = mergeOperands(left, low, true);
          break;
        }
        case 'is':
          this.acceptWord('NOT');
          if (this.acceptWord('DISTINCT')) {
            this.expectWord('FROM');
            this.parseExpression(PREC_COMPARE + 1);
          } else {
            const w = this.peekWord(0);
            // `\N` lexes as a number: MySQL's NULL shorthand.
            if (w !== 'NULL' && w !== 'TRUE' && w !== 'FALSE' && w !== 'UNKNOWN' && !this.isType(0, 'num')) throw FAIL;
            this.pos += 1;
          }
          this.facts.comparison = true;
          left = mergeOperands(left, LITERAL, true);
          break;
        case 'collate':
          if (!this.isType(0, 'word') && !this.isType(0, 'str')) throw FAIL;
          this.pos += 1;
          break;
        case 'cast':
          this.parseTypeName();
          break;
        case 'arith': {
          const right = this.parseExpression(op.prec + 1);
          left = { ...mergeOperands(left, right, false), literal: left.literal && right.literal };
          break;
        }
      }
    }
  }

  private parseInList(): Operand {
    if (this.isType(0, 'lp')) {
      this.pos += 1;
      let result = LITERAL;
      if (this.isWord(0, 'SELECT')) {
        this.pos += 1;
        result = this.parseSubqueryBody() ? SUBQUERY : PLAIN;
      } else if (!this.isType(0, 'rp')) {
        result = this.parseExpression(0);
        while (this.isType(0, 'comma')) {
          this.pos += 1;
          this.parseExpression(0);
        }
      }
      this.closeParen();
      return result;
    }
    // MATCH ... AGAINST ('x' IN BOOLEAN MODE) and POSITION('a' IN 'b')
    if (this.isWord(0, 'BOOLEAN') || this.isWord(0, 'NATURAL')) {
      while (!this.isAtEnd() && !this.isType(0, 'rp')) this.pos += 1;
      return LITERAL;
    }
    return this.parsePrimary();
  }

  /** A sub-select; only counted as one when it reads like real SQL rather than prose. */
  private parseSubqueryBody(): boolean {
    const convincing = this.parseSelectBody(true);
    if (convincing) this.facts.subquery = true;
    return convincing;
  }

  private parseUnary(): Operand {
    const tok = this.peek();
    if (tok === undefined) throw FAIL;
    if (tok.type === 'op' && (tok.text === '-' || tok.text === '+' || tok.text === '~' || tok.text === '!')) {
      this.pos += 1;
      this.facts.operators += 1;
      this.enter();
      const inner = this.parseUnary();
      this.leave();
      return inner;
    }
    if (tok.type === 'word' && !tok.flag) {
      switch (tok.text) {
        case 'NOT': {
          this.pos += 1;
          this.facts.operators += 1;
          return this.parseExpression(PREC_NOT);
        }
        case 'BINARY':
          if (!this.isType(1, 'lp')) {
            this.pos += 1;
            return this.parseUnary();
          }
          break;
        case 'EXISTS':
          this.pos += 1;
          if (!this.isType(0, 'lp')) throw FAIL;
          return this.parsePrimary();
        case 'INTERVAL':
          this.pos += 1;
          this.parseExpression(PREC_UNARY);
          if (this.peekWord(0) === '') throw FAIL;
          this.pos += 1;
          return PLAIN;
        case 'DISTINCT':
          this.pos += 1;
          return this.parseUnary();
        default:
          break;
      }
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Operand {
    const tok = this.peek();
    if (tok === undefined) throw FAIL;
    switch (tok.type) {
      case 'num':
        this.pos += 1;
        return ATOM;
      case 'str':
        this.pos += 1;
        if (!tok.closed && tok.text === this.contextQuote) this.facts.endsInOpenString = true;
        return ATOM;
      case 'var':
        this.pos += 1;
        if (tok.flag) this.facts.systemVariable = true;
        return LITERAL;
      case 'lp':
        return this.parseParenthesized();
      case 'word':
        return this.parseWordOperand(tok);
      default:
        throw FAIL;
    }
  }

  private parseParenthesized(): Operand {
    this.pos += 1;
    this.enter();
    let result: Operand;
    if (this.isWord(0, 'SELECT') || (this.isWord(0, 'WITH') && this.isType(1, 'word'))) {
      this.pos += 1;
      result = this.parseSubqueryBody() ? SUBQUERY : PLAIN;
    } else if (this.isAtEnd()) {
      throw FAIL;
    } else {
      result = this.parseExpression(0);
      while (this.isType(0, 'comma')) {
        this.pos += 1;
        this.parseExpression(0);
      }
    }
    this.closeParen();
    this.leave();
    return result;
  }

  private parseWordOperand(tok: SqlToken): Operand {
    const w = tok.flag ? '' : tok.text;
    if (w === 'CASE') return this.parseCase();
    if (LITERAL_WORDS.has(w)) {
      this.pos += 1;
      return LITERAL;
    }
    if (this.isType(1, 'lp') && (w === '' || !RESERVED.has(w) || KEYWORD_FUNCTIONS.has(w))) {
      this.pos += 1;
      return this.parseCall(tok.text);
    }
    if (NILADIC_WORDS.has(w)) {
      // USER is also an everyday word, so only the unambiguous forms count as SQL.
      this.pos += 1;
      if (w === 'USER') return PLAIN;
      this.facts.knownFunction = true;
      return LITERAL;
    }
    if (w !== '' && RESERVED.has(w)) throw FAIL;
    return this.parseQualifiedName();
  }

  /** `a`, `a.b`, `db..table`, `t.*`, or a dotted function such as `dbms_pipe.receive_message(`. */
  private parseQualifiedName(): Operand {
    const first = this.peek() as SqlToken;
    this.pos += 1;
    let name = first.text;
    let dotted = false;
    while (this.isType(0, 'dot')) {
      dotted = true;
      this.pos += 1;
      if (this.isType(0, 'dot')) continue;
      if (this.isType(0, 'word')) {
        name += '.' + (this.peek() as SqlToken).text;
        this.pos += 1;
      } else if (this.isOp(0, '*')) {
        this.pos += 1;
        return PLAIN;
      } else {
        throw FAIL;
      }
    }
    this.noteCatalog(first.text, dotted);
    if (this.isType(0, 'lp')) return this.parseCall(name);
    return PLAIN;
  }

  private noteCatalog(firstSegment: string, dotted: boolean): void {
    if (CATALOG_NAMES.has(firstSegment) && (dotted || !AMBIGUOUS_CATALOGS.has(firstSegment))) this.facts.catalog = true;
  }

  private parseCall(name: string): Operand {
    // Current token is `(`.
    this.pos += 1;
    this.enter();
    const fingerprint = FINGERPRINT_FUNCTIONS.has(name) && this.isType(0, 'rp');
    const comparisonsBefore = this.facts.comparison;
    this.facts.comparison = false;
    const head = name.split('.')[0];
    const last = name.slice(name.lastIndexOf('.') + 1);
    const known = SQL_FUNCTIONS.has(name) || SQL_FUNCTIONS.has(head) || SQL_FUNCTIONS.has(last) ||
      DANGEROUS_FUNCTIONS.has(head) || DANGEROUS_FUNCTIONS.has(last) || last.startsWith('XP_') || last.startsWith('SP_');
    const dangerous = DANGEROUS_FUNCTIONS.has(name) || DANGEROUS_FUNCTIONS.has(head) || DANGEROUS_FUNCTIONS.has(last) || last.startsWith('XP_');
    if (!this.isType(0, 'rp')) {
      for (;;) {
        this.parseArgument();
        if (this.isType(0, 'comma')) {
          this.pos += 1;
          continue;
        }
        break;
      }
    }
    this.closeParen();
    this.leave();
    // Only a call whose arguments parsed counts: "sleep(8 hours)" is prose.
    if (known) this.facts.knownFunction = true;
    if (dangerous) this.facts.dangerous = true;
    if (fingerprint) this.facts.fingerprint = true;
    if (this.facts.comparison && CONDITIONAL_FUNCTIONS.has(name)) this.facts.conditional = true;
    this.facts.comparison = this.facts.comparison || comparisonsBefore;
    if (this.isWord(0, 'AGAINST') && this.isType(1, 'lp')) {
      this.pos += 1;
      this.parseCall('AGAINST');
    }
    if (this.isWord(0, 'OVER') && this.isType(1, 'lp')) {
      this.pos += 1;
      this.parseCall('OVER');
    }
    return known ? CALL : PLAIN;
  }

  /** One function argument, including the keyword-glued forms (CAST(x AS t), SUBSTRING(x FROM 1)). */
  private parseArgument(): void {
    const lead = this.peekWord(0);
    if (lead === 'DISTINCT' || lead === 'ALL' || lead === 'LEADING' || lead === 'TRAILING' || lead === 'BOTH') this.pos += 1;
    if (this.isOp(0, '*')) {
      this.pos += 1;
      return;
    }
    if (this.isWord(0, 'SELECT')) {
      this.pos += 1;
      this.parseSubqueryBody();
      return;
    }
    if (TYPE_WORDS.has(this.peekWord(0)) && !this.isType(1, 'lp') && !this.isType(1, 'op')) {
      this.parseTypeName();
      return;
    }
    if (!(this.isWord(0, 'FROM') && (lead === 'LEADING' || lead === 'TRAILING' || lead === 'BOTH'))) this.parseExpression(0);
    for (;;) {
      const glue = this.peekWord(0);
      if (glue === 'AS') {
        this.pos += 1;
        this.parseTypeName();
      } else if (glue === 'USING') {
        this.pos += 1;
        if (!this.isType(0, 'word')) throw FAIL;
        this.pos += 1;
      } else if (glue === 'FROM' || glue === 'FOR' || glue === 'SEPARATOR') {
        this.pos += 1;
        this.parseExpression(0);
      } else if (glue === 'ORDER') {
        this.pos += 1;
        this.expectWord('BY');
        this.parseOrderList();
      } else {
        return;
      }
    }
  }

  private parseTypeName(): void {
    if (!this.isType(0, 'word')) throw FAIL;
    this.pos += 1;
    while (TYPE_WORDS.has(this.peekWord(0))) this.pos += 1;
    if (this.isType(0, 'lp')) {
      this.pos += 1;
      while (this.isType(0, 'num') || this.isType(0, 'comma') || this.isWord(0, 'MAX')) this.pos += 1;
      this.closeParen();
    }
  }

  private parseCase(): Operand {
    this.pos += 1;
    this.enter();
    this.facts.knownFunction = true;
    if (!this.isWord(0, 'WHEN')) this.parseExpression(0);
    let arms = 0;
    while (this.acceptWord('WHEN')) {
      this.parseExpression(0);
      this.expectWord('THEN');
      this.parseExpression(0);
      arms += 1;
    }
    if (arms === 0) throw FAIL;
    if (this.acceptWord('ELSE')) this.parseExpression(0);
    if (!this.isAtEnd()) this.expectWord('END');
    this.leave();
    this.facts.conditional = true;
    return CALL;
  }

  // ---- SELECT --------------------------------------------------------------------------

  /**
   * Everything after SELECT, including trailing clauses and UNIONs. Returns whether it reads
   * like a real query (FROM with non-trivial items, a built-in call, a variable) rather than
   * prose such as "select a colour".
   */
  private parseSelectBody(nested = false): boolean {
    this.enter();
    const start = this.pos;
    const knownBefore = this.facts.knownFunction;
    this.facts.knownFunction = false;
    while (SELECT_MODIFIERS.has(this.peekWord(0))) this.pos += 1;
    if (this.acceptWord('TOP') || this.acceptWord('FIRST') || this.acceptWord('SKIP')) {
      if (this.isType(0, 'lp')) this.parseParenthesized();
      else if (this.isType(0, 'num')) this.pos += 1;
      else throw FAIL;
      this.acceptWord('PERCENT');
    }
    if (this.isAtEnd()) {
      this.leave();
      return true;
    }
    const firstItem = this.peek() as SqlToken;
    this.parseSelectItem();
    let items = 1;
    while (this.isType(0, 'comma')) {
      this.pos += 1;
      this.parseSelectItem();
      items += 1;
    }
    const simpleItem = firstItem.type === 'num' || firstItem.type === 'str' || firstItem.type === 'var' ||
      (firstItem.type === 'op' && firstItem.text === '*') || firstItem.type === 'lp';
    let convincing = this.facts.knownFunction || this.t.slice(start, this.pos).some((tok) => tok.type === 'var');
    this.facts.knownFunction = this.facts.knownFunction || knownBefore;
    this.parseIntoClause();
    if (nested && simpleItem) convincing = true;
    if (this.acceptWord('FROM')) {
      if (simpleItem || items > 1 || this.facts.knownFunction || nested) convincing = true;
      this.parseTableReference();
      for (;;) {
        if (this.isType(0, 'comma')) {
          this.pos += 1;
          this.parseTableReference();
        } else if (JOIN_WORDS.has(this.peekWord(0))) {
          while (JOIN_WORDS.has(this.peekWord(0)) && !this.isWord(0, 'JOIN')) this.pos += 1;
          this.acceptWord('JOIN');
          this.parseTableReference();
          if (this.acceptWord('ON')) this.parseExpression(0);
          else if (this.acceptWord('USING')) this.parseParenthesized();
        } else {
          break;
        }
      }
    }
    if (this.acceptWord('WHERE')) {
      // A dangling WHERE: the application's own condition follows the injected text.
      if (!this.isAtEnd() && this.parseExpression(0).comparison) convincing = true;
    }
    if (this.parseQueryClauses()) convincing = true;
    this.leave();
    return convincing || this.facts.union;
  }

  private parseSelectItem(): void {
    if (this.isOp(0, '*')) {
      this.pos += 1;
      return;
    }
    this.parseExpression(0);
    this.parseOptionalAlias();
  }

  private parseOptionalAlias(): void {
    if (this.acceptWord('AS')) {
      if (!this.isType(0, 'word') && !this.isType(0, 'str')) throw FAIL;
      this.pos += 1;
      return;
    }
    const tok = this.peek();
    if (tok !== undefined && tok.type === 'word' && (tok.flag || !RESERVED.has(tok.text)) && !JOIN_WORDS.has(tok.text)) this.pos += 1;
  }

  private parseTableReference(): void {
    if (this.isType(0, 'lp')) {
      this.parseParenthesized();
    } else if (this.isType(0, 'word')) {
      const w = this.peekWord(0);
      if (w !== '' && RESERVED.has(w)) throw FAIL;
      this.parseQualifiedName();
      if (w === 'INFORMATION_SCHEMA' || w.startsWith('SYS') || w.startsWith('PG_') || w.startsWith('SQLITE_') || w.startsWith('ALL_')) {
        this.noteCatalog(w, true);
      }
    } else {
      throw FAIL;
    }
    this.parseOptionalAlias();
  }

  private parseIntoClause(): void {
    if (!this.isWord(0, 'INTO')) return;
    this.pos += 1;
    if (this.acceptWord('OUTFILE') || this.acceptWord('DUMPFILE')) {
      this.facts.outfile = true;
      if (this.isType(0, 'lp')) this.parseParenthesized();
      else if (this.isType(0, 'str')) this.parsePrimary();
      else throw FAIL;
      // FIELDS TERMINATED BY ... LINES ...: options are free-form words and strings.
      while (this.isType(0, 'word') && !RESERVED.has(this.peekWord(0))) {
        this.pos += 1;
        while (this.isWord(0, 'BY') || this.isType(0, 'str') || this.isType(0, 'num')) this.pos += 1;
      }
      return;
    }
    this.parseExpression(0);
    while (this.isType(0, 'comma')) {
      this.pos += 1;
      this.parseExpression(0);
    }
  }

  /** GROUP BY, HAVING, ORDER BY, LIMIT, PROCEDURE, INTO, FOR UPDATE, UNION, in any order. */
  private parseQueryClauses(): boolean {
    let any = false;
    for (;;) {
      const w = this.peekWord(0);
      if ((w === 'GROUP' || w === 'ORDER') && this.isWord(1, 'BY')) {
        this.pos += 2;
        this.parseOrderList();
        if (this.isWord(0, 'WITH') && this.isWord(1, 'ROLLUP')) this.pos += 2;
      } else if (w === 'HAVING' || w === 'WHERE') {
        this.pos += 1;
        // "... having fun": a condition without a comparison is valid but proves nothing.
        if (!this.parseExpression(0).comparison) {
          any = true;
          continue;
        }
      } else if (w === 'LIMIT') {
        this.pos += 1;
        if (!this.isType(0, 'num')) throw FAIL;
        this.pos += 1;
        if (this.isType(0, 'comma') || this.isWord(0, 'OFFSET')) {
          this.pos += 1;
          if (!this.isType(0, 'num')) throw FAIL;
          this.pos += 1;
        }
      } else if (w === 'OFFSET') {
        this.pos += 1;
        this.parseExpression(PREC_UNARY);
        if (!this.acceptWord('ROWS')) this.acceptWord('ROW');
      } else if (w === 'FETCH') {
        this.pos += 1;
        while (!this.isAtEnd() && !this.isWord(0, 'ONLY')) this.pos += 1;
        this.acceptWord('ONLY');
      } else if (w === 'PROCEDURE') {
        this.pos += 1;
        this.facts.dangerous = true;
        if (!this.isType(0, 'word')) throw FAIL;
        this.parseQualifiedName();
      } else if (w === 'INTO') {
        this.parseIntoClause();
      } else if (w === 'FOR' && this.isWord(1, 'UPDATE')) {
        this.pos += 2;
      } else if (w === 'LOCK' && this.isWord(1, 'IN')) {
        this.pos += 2;
        while (this.peekWord(0) === 'SHARE' || this.peekWord(0) === 'MODE') this.pos += 1;
      } else if (w === 'UNION' || w === 'INTERSECT' || w === 'EXCEPT' || w === 'MINUS') {
        this.parseUnionTail();
      } else {
        return any;
      }
      any = true;
      this.facts.clause = true;
    }
  }

  private parseUnionTail(): void {
    this.pos += 1;
    if (this.isWord(0, 'ALL') || this.isWord(0, 'DISTINCT')) this.pos += 1;
    let parens = 0;
    while (this.isType(0, 'lp')) {
      this.pos += 1;
      parens += 1;
    }
    if (!this.isWord(0, 'SELECT') && !this.isWord(0, 'VALUES')) throw FAIL;
    this.facts.union = true;
    this.pos += 1;
    if (this.isAtEnd()) return;
    this.parseSelectBody();
    for (let k = 0; k < parens; k++) this.closeParen();
    this.parseQueryClauses();
  }

  private parseOrderList(): void {
    this.parseExpression(0);
    if (this.isWord(0, 'ASC') || this.isWord(0, 'DESC')) this.pos += 1;
    while (this.isType(0, 'comma')) {
      this.pos += 1;
      this.parseExpression(0);
      if (this.isWord(0, 'ASC') || this.isWord(0, 'DESC')) this.pos += 1;
    }
  }

  // ---- after the value -----------------------------------------------------------------

  /** What may follow the injected value: closing parentheses, clauses, stacked statements. */
  private parseTrailer(): void {
    for (;;) {
      if (this.isType(0, 'rp')) {
        this.pos += 1;
        this.facts.parenBreakout = true;
        this.parseExpressionTail(PLAIN, 0);
        continue;
      }
      if (this.isWord(0, 'AS') && this.facts.parenBreakout && this.isType(1, 'word')) {
        this.pos += 2;
        continue;
      }
      // The value may sit in a list (IN, VALUES, ORDER BY, a select list).
      if (this.isType(0, 'comma') && this.peek(1) !== undefined) {
        this.pos += 1;
        this.parseExpression(0);
        continue;
      }
      if (this.parseQueryClauses()) continue;
      break;
    }
    // MSSQL runs consecutive statements without a separator.
    if (!this.isAtEnd() && !this.isType(0, 'semi') && this.peekWord(0) !== '' && this.parseStatementStart()) {
      this.facts.stacked = true;
      return;
    }
    while (this.isType(0, 'semi')) {
      this.pos += 1;
      if (this.isAtEnd()) return;
      if (this.isType(0, 'semi')) continue;
      if (this.parseStatementStart()) {
        this.facts.stacked = true;
        return;
      }
      if (this.isFunctionCallAt(0)) {
        const name = this.peekWord(0);
        if (SQL_FUNCTIONS.has(name) || DANGEROUS_FUNCTIONS.has(name)) {
          this.pos += 1;
          this.parseCall(name);
          this.parseExpressionTail(PLAIN, 0);
          this.facts.stacked = true;
          continue;
        }
      }
      throw FAIL;
    }
  }

  /**
   * Whether a plausible statement starts here. Each statement word must be followed by what
   * the statement requires, so English ("drop earrings", "set of 4", "show me") is not
   * mistaken for a stacked query. On success the rest of the statement is consumed.
   */
  private parseStatementStart(strict = false): boolean {
    const w = this.peekWord(0);
    if (strict && !STRICT_STATEMENTS.has(w)) return false;
    const n1 = this.peekWord(1);
    const t1 = this.peek(1);
    let ok: boolean;
    switch (w) {
      case 'SELECT': {
        const save = this.pos;
        const before = { ...this.facts };
        try {
          this.pos += 1;
          const first = this.t[this.pos];
          const literalItem = first !== undefined && (first.type === 'num' || first.type === 'var' || first.type === 'str' || (first.type === 'op' && first.text === '*'));
          ok = this.parseSelectBody() || literalItem;
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          ok = false;
        }
        if (!ok) {
          this.pos = save;
          Object.assign(this.facts, before);
          return false;
        }
        this.skipStatement();
        return true;
      }
      case 'INSERT': case 'REPLACE': ok = n1 === 'INTO' && (!strict || this.hasLaterWord('VALUES') || this.hasLaterWord('SELECT')); break;
      case 'UPDATE': ok = t1?.type === 'word' && (this.isWord(2, 'SET') || this.isType(2, 'dot')) && (!strict || this.hasLaterOp('=')); break;
      case 'DELETE': {
        let k = 1;
        while (this.peekWord(k) === 'QUICK' || this.peekWord(k) === 'LOW_PRIORITY' || this.peekWord(k) === 'IGNORE') k += 1;
        ok = this.peekWord(k) === 'FROM' && (!strict || this.hasLaterWord('WHERE'));
        break;
      }
      case 'DROP': case 'CREATE': case 'ALTER':
        ok = (DROP_OBJECTS.has(n1) || (w === 'CREATE' && n1 === 'OR')) && (!strict || this.isTerminatedDdl());
        break;
      case 'TRUNCATE': ok = n1 === 'TABLE' && (!strict || this.isTerminatedDdl()); break;
      case 'EXEC': case 'EXECUTE':
        ok = t1 !== undefined && (t1.type === 'lp' || t1.type === 'var' || t1.type === 'str' || n1 === 'AS' || n1 === 'IMMEDIATE' ||
          (t1.type === 'word' && /^(XP_|SP_|MASTER|DBO|SYS)/.test(t1.text)));
        break;
      case 'DECLARE': ok = t1?.type === 'var'; break;
      case 'SET': ok = t1?.type === 'var' || (t1?.type === 'word' && (this.isOp(2, '=') || this.isOp(2, ':='))); break;
      case 'WAITFOR': ok = n1 === 'DELAY' || n1 === 'TIME'; if (ok) this.facts.dangerous = true; break;
      case 'SHUTDOWN': ok = t1 === undefined || n1 === 'WITH' || t1.type === 'semi'; break;
      case 'GRANT': case 'REVOKE': ok = t1?.type === 'word' && this.t.slice(this.pos + 2).some((tok) => tok.type === 'word' && (tok.text === 'ON' || tok.text === 'TO')); break;
      case 'BEGIN': ok = n1 === 'TRAN' || n1 === 'TRANSACTION' || n1 === 'TRY' || t1 === undefined || t1.type === 'semi' || (n1 !== '' && STATEMENT_WORDS.has(n1)); break;
      case 'IF': case 'WHILE': ok = this.parseConditionalStatement(); if (ok) return true; break;
      case 'USE': ok = t1?.type === 'word' && (this.peek(2) === undefined || this.isType(2, 'semi') || this.peekWord(2) !== '' && STATEMENT_WORDS.has(this.peekWord(2))); break;
      case 'CALL': ok = t1?.type === 'word' && (this.isType(2, 'lp') || this.isType(2, 'dot')); break;
      case 'LOAD': ok = n1 === 'DATA' || n1 === 'XML'; break;
      case 'COPY': ok = t1?.type === 'word' && (this.isWord(2, 'FROM') || this.isWord(2, 'TO')) && (this.isType(3, 'str') || this.peekWord(3) === 'PROGRAM' || this.peekWord(3) === 'STDOUT'); break;
      case 'ATTACH': ok = n1 === 'DATABASE'; break;
      case 'PRAGMA': ok = t1?.type === 'word'; break;
      case 'SHOW': ok = SHOW_OBJECTS.has(n1); break;
      case 'RENAME': ok = n1 === 'TABLE' || n1 === 'USER'; break;
      case 'BACKUP': case 'RESTORE': ok = n1 === 'DATABASE' || n1 === 'LOG'; break;
      case 'DBCC': ok = t1?.type === 'word'; break;
      case 'PREPARE': ok = t1?.type === 'word' && this.isWord(2, 'FROM'); break;
      case 'DEALLOCATE': ok = n1 === 'PREPARE'; break;
      case 'PRINT': ok = t1 !== undefined && (t1.type === 'str' || t1.type === 'var' || t1.type === 'num'); break;
      case 'RAISERROR': ok = t1?.type === 'lp'; break;
      case 'RECONFIGURE': ok = t1 === undefined || t1.type === 'semi' || n1 === 'WITH'; break;
      case 'GOTO': ok = t1?.type === 'word' && (this.peek(2) === undefined || this.isType(2, 'semi') || STATEMENT_WORDS.has(this.peekWord(2))); break;
      case 'DO': ok = t1 !== undefined && (t1.type === 'lp' || t1.type === 'num' || this.isFunctionCallAt(1)); break;
      case 'UNION': {
        ok = n1 === 'SELECT' || ((n1 === 'ALL' || n1 === 'DISTINCT') && this.isWord(2, 'SELECT'));
        if (ok && strict) {
          // Standing alone, "Union select brand" is a product; the select list must read as SQL.
          const save = this.pos;
          const before = { ...this.facts };
          try {
            this.pos += n1 === 'SELECT' ? 2 : 3;
            ok = this.parseSelectBody();
          } catch (err) {
            if (!(err instanceof ParseError)) throw err;
            ok = false;
          }
          this.pos = save;
          Object.assign(this.facts, before);
        }
        if (ok) this.facts.union = true;
        break;
      }
      case 'WITH': ok = t1?.type === 'word' && this.isWord(2, 'AS') && this.isType(3, 'lp'); break;
      default: ok = false;
    }
    if (ok) this.skipStatement();
    return ok;
  }

  /**
   * "Drop table lamp" is a product; `DROP TABLE users;` is not. A DDL statement standing alone
   * must carry something only SQL has: a terminator, a comment, IF EXISTS or a qualified name.
   */
  private isTerminatedDdl(): boolean {
    for (let k = this.pos + 2; k < this.t.length; k++) {
      const tok = this.t[k];
      if (tok.type === 'semi' || tok.type === 'dot' || tok.type === 'lp' || tok.type === 'str') return true;
      if (tok.type === 'word' && (tok.text === 'IF' || tok.text === 'EXISTS' || tok.text === 'CASCADE')) return true;
    }
    return this.endsWithComment;
  }

  private hasLaterWord(word: string): boolean {
    for (let k = this.pos + 1; k < this.t.length; k++) {
      const tok = this.t[k];
      if (tok.type === 'semi') return false;
      if (tok.type === 'word' && !tok.flag && tok.text === word) return true;
    }
    return false;
  }

  private hasLaterOp(text: string): boolean {
    for (let k = this.pos + 1; k < this.t.length; k++) {
      const tok = this.t[k];
      if (tok.type === 'semi') return false;
      if (tok.type === 'op' && tok.text === text) return true;
    }
    return false;
  }

  private parseConditionalStatement(): boolean {
    const save = this.pos;
    const before = { ...this.facts };
    try {
      this.pos += 1;
      this.parseExpression(0);
      const next = this.peekWord(0);
      if (next !== '' && (STATEMENT_WORDS.has(next) || next === 'BEGIN') && this.parseStatementStart()) return true;
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
    }
    this.pos = save;
    Object.assign(this.facts, before);
    return false;
  }

  /** Consumes the rest of a stacked statement up to the next `;`, noting dangerous calls. */
  private skipStatement(): void {
    while (!this.isAtEnd() && !this.isType(0, 'semi')) {
      const tok = this.peek() as SqlToken;
      if (tok.type === 'word' && !tok.flag) {
        if (DANGEROUS_FUNCTIONS.has(tok.text) || tok.text.startsWith('XP_')) this.facts.dangerous = true;
        if (tok.text === 'WAITFOR' && (this.isWord(1, 'DELAY') || this.isWord(1, 'TIME'))) this.facts.dangerous = true;
        this.noteCatalog(tok.text, this.isType(1, 'dot'));
      }
      if (tok.type === 'str' && !tok.closed && tok.text === this.contextQuote) this.facts.endsInOpenString = true;
      this.pos += 1;
    }
    while (this.isType(0, 'semi')) {
      this.pos += 1;
      if (!this.isAtEnd() && this.peekWord(0) !== '' && STATEMENT_WORDS.has(this.peekWord(0))) {
        if (!this.parseStatementStart()) this.skipStatement();
      }
    }
  }
}

/**
 * Analyses a token stream (comments included) as the continuation of a value in a query.
 * `startsWithOperand` is true when the first token is the string the application opened.
 */
export function analyzeSqlTokens(tokens: readonly SqlToken[], startsWithOperand: boolean): SqlFacts {
  const facts = createEmptyFacts();
  const code: SqlToken[] = [];
  for (const tok of tokens) if (tok.type !== 'comment') code.push(tok);
  const last = tokens[tokens.length - 1];
  // A line comment always swallows what the application appends; a block comment only if unterminated.
  facts.endsInComment = last !== undefined && last.type === 'comment' && (last.text !== '/*' || last.closed);
  facts.parsed = new SqlGrammar(code, facts, startsWithOperand).run(startsWithOperand);
  return facts;
}
