import { MAX_SQL_TOKENS } from './limits.js';

export type SqlTokenType =
  | 'num' | 'str' | 'word' | 'var' | 'op' | 'lp' | 'rp' | 'comma' | 'semi' | 'dot' | 'comment' | 'other';

export interface SqlToken {
  type: SqlTokenType;
  /** Upper-cased text for words and variables, the operator text for `op`, the quote for `str`. */
  text: string;
  start: number;
  end: number;
  /** Strings: the closing quote was present. Comments: ran to the end of the input. */
  closed: boolean;
  /** Words: quoted (backticks/brackets), so never a keyword. Vars: `@@` system variable. */
  flag: boolean;
}

const GLUED_KEYWORDS = new Set([
  'UNION', 'FROM', 'AND', 'OR', 'XOR', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'WHERE', 'SELECT', 'LIKE', 'DIV', 'INTO',
]);

const THREE_CHAR_OPS = new Set(['<=>']);
const TWO_CHAR_OPS = new Set(['<<', '>>', '<=', '>=', '<>', '!=', ':=', '||', '&&', '::', '!<', '!>', '->']);
const ONE_CHAR_OPS = new Set(['=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!']);

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 0x80 && !isSpace(c) && !isSymbolLike(c));
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || isDigit(c) || c === 36;
}

/** Non-ASCII punctuation that must not glue words together (typographic quotes, dashes). */
function isSymbolLike(c: number): boolean {
  return (c >= 0x2000 && c <= 0x206f) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xff0f) || c === 0xa0;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function makeToken(type: SqlTokenType, start: number, end: number, text = '', closed = true, flag = false): SqlToken {
  return { type, text, start, end, closed, flag };
}

/**
 * End index (exclusive) of a string body that starts at `from`, closed by `quote`. Doubled
 * quotes and backslash escapes stay inside the string (MySQL semantics). Returns -1 when the
 * string runs to the end of the input.
 */
export function findStringEnd(s: string, from: number, quote: number): number {
  let i = from;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (s.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i += 1;
  }
  return -1;
}

/**
 * Lexes SQL the way a lenient database front-end would, starting at `from`. Comments are
 * kept as tokens so the grammar can tell a comment that swallows the rest of the query from
 * one used as whitespace; MySQL `/*!...*\/` bodies are lexed as code because MySQL runs them.
 */
export function tokenizeSql(s: string, from = 0): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = s.length;
  let i = from;
  let inExecutableComment = false;
  while (i < n && tokens.length < MAX_SQL_TOKENS) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    const next = i + 1 < n ? s.charCodeAt(i + 1) : -1;

    if (c === 39 || c === 34) {
      const close = findStringEnd(s, i + 1, c);
      const end = close === -1 ? n : close + 1;
      tokens.push(makeToken('str', i, end, s[i], close !== -1));
      i = end;
      continue;
    }
    if (c === 96 /* ` */) {
      const close = s.indexOf('`', i + 1);
      const end = close === -1 ? n : close + 1;
      tokens.push(makeToken('word', i, end, s.slice(i + 1, close === -1 ? n : close).toUpperCase(), close !== -1, true));
      i = end;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      i = lexNumberOrWord(s, i, tokens);
      continue;
    }
    if (isWordStart(c) || c === 36 /* $ */) {
      if (c === 36 && next === 36) {
        const close = s.indexOf('$$', i + 2);
        const end = close === -1 ? n : close + 2;
        tokens.push(makeToken('str', i, end, '', close !== -1));
        i = end;
        continue;
      }
      let j = i + 1;
      while (j < n && isWordPart(s.charCodeAt(j))) j += 1;
      const word = s.slice(i, j);
      const q = s.charCodeAt(j);
      // Prefixed literals: N'..' E'..' X'..' B'..' Q'..'
      if (j - i === 1 && (q === 39 || q === 34) && /[nexbqNEXBQ]/.test(word)) {
        const close = findStringEnd(s, j + 1, q);
        const end = close === -1 ? n : close + 1;
        const isBits = /[xbXB]/.test(word);
        tokens.push(makeToken(isBits ? 'num' : 'str', i, end, '', close !== -1));
        i = end;
        continue;
      }
      tokens.push(makeToken('word', i, j, word.toUpperCase()));
      i = j;
      continue;
    }
    if (c === 64 /* @ */) {
      const system = next === 64;
      let j = i + (system ? 2 : 1);
      const q = s.charCodeAt(j);
      if (q === 39 || q === 34 || q === 96) {
        const close = s.indexOf(String.fromCharCode(q), j + 1);
        j = close === -1 ? n : close + 1;
      } else {
        while (j < n && (isWordPart(s.charCodeAt(j)) || s.charCodeAt(j) === 46)) j += 1;
      }
      if (j === i + 1) {
        tokens.push(makeToken('other', i, i + 1, '@'));
        i += 1;
        continue;
      }
      tokens.push(makeToken('var', i, j, s.slice(i, j).toUpperCase(), true, system));
      i = j;
      continue;
    }
    if (c === 45 /* - */ && next === 45) {
      i = lexLineComment(s, i, tokens);
      continue;
    }
    if (c === 35 /* # */) {
      i = lexLineComment(s, i, tokens);
      continue;
    }
    if (c === 47 /* / */ && next === 42 /* * */) {
      if (s.charCodeAt(i + 2) === 33 /* ! */) {
        i += 3;
        while (i < n && isDigit(s.charCodeAt(i)) && i < n) i += 1;
        inExecutableComment = true;
        continue;
      }
      const close = s.indexOf('*/', i + 2);
      const end = close === -1 ? n : close + 2;
      tokens.push(makeToken('comment', i, end, '/*', close === -1));
      i = end;
      continue;
    }
    if (c === 42 && next === 47 && inExecutableComment) {
      inExecutableComment = false;
      i += 2;
      continue;
    }
    if (c === 40) { tokens.push(makeToken('lp', i, i + 1)); i += 1; continue; }
    if (c === 41) { tokens.push(makeToken('rp', i, i + 1)); i += 1; continue; }
    if (c === 44) { tokens.push(makeToken('comma', i, i + 1)); i += 1; continue; }
    if (c === 59) { tokens.push(makeToken('semi', i, i + 1)); i += 1; continue; }
    if (c === 46) { tokens.push(makeToken('dot', i, i + 1)); i += 1; continue; }
    if (c === 92 /* \ */ && next === 78 /* N */) {
      tokens.push(makeToken('num', i, i + 2));
      i += 2;
      continue;
    }
    const three = s.slice(i, i + 3);
    if (THREE_CHAR_OPS.has(three)) {
      tokens.push(makeToken('op', i, i + 3, three));
      i += 3;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push(makeToken('op', i, i + 2, two));
      i += 2;
      continue;
    }
    const one = s[i];
    if (ONE_CHAR_OPS.has(one)) {
      tokens.push(makeToken('op', i, i + 1, one));
      i += 1;
      continue;
    }
    tokens.push(makeToken('other', i, i + 1, one));
    i += 1;
  }
  return tokens;
}

function lexLineComment(s: string, i: number, tokens: SqlToken[]): number {
  const nl = s.indexOf('\n', i);
  const end = nl === -1 ? s.length : nl;
  tokens.push(makeToken('comment', i, end, s[i] === '#' ? '#' : '--', nl === -1));
  return nl === -1 ? s.length : nl + 1;
}

/** Numbers; `1abc` is an identifier in MySQL, so a digit run glued to letters becomes a word. */
function lexNumberOrWord(s: string, i: number, tokens: SqlToken[]): number {
  const n = s.length;
  const start = i;
  if (s.charCodeAt(i) === 48 && (s[i + 1] === 'x' || s[i + 1] === 'X') && isHexDigit(s.charCodeAt(i + 2))) {
    let j = i + 2;
    while (j < n && isHexDigit(s.charCodeAt(j))) j += 1;
    if (!(j < n && isWordPart(s.charCodeAt(j)))) {
      tokens.push(makeToken('num', start, j));
      return j;
    }
  }
  let j = i;
  while (j < n && isDigit(s.charCodeAt(j))) j += 1;
  let fractional = false;
  if (s.charCodeAt(j) === 46) {
    fractional = true;
    j += 1;
    while (j < n && isDigit(s.charCodeAt(j))) j += 1;
  }
  const e = s.charCodeAt(j);
  if ((e === 101 || e === 69) && j > start) {
    let k = j + 1;
    if (s.charCodeAt(k) === 43 || s.charCodeAt(k) === 45) k += 1;
    if (isDigit(s.charCodeAt(k))) {
      while (k < n && isDigit(s.charCodeAt(k))) k += 1;
      fractional = true;
      j = k;
    }
  }
  if (!fractional && j < n && isWordPart(s.charCodeAt(j))) {
    let k = j;
    while (k < n && isWordPart(s.charCodeAt(k))) k += 1;
    const tail = s.slice(j, k).toUpperCase();
    // MySQL reads `1union`/`1from` as a number followed by a keyword (a classic filter bypass).
    if (GLUED_KEYWORDS.has(tail)) {
      tokens.push(makeToken('num', start, j));
      tokens.push(makeToken('word', j, k, tail));
      return k;
    }
    tokens.push(makeToken('word', start, k, s.slice(start, k).toUpperCase()));
    return k;
  }
  tokens.push(makeToken('num', start, j));
  return j;
}
