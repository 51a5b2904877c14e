import { MAX_HTML_TOKENS } from './limits.js';

export type HtmlTokenType =
  | 'text' | 'tag-open' | 'tag-close' | 'attr-name' | 'attr-value' | 'tag-end' | 'comment' | 'doctype' | 'cdata';

export interface HtmlToken {
  type: HtmlTokenType;
  /** Lower-cased name for tags and attributes (NULs removed); raw text otherwise. */
  value: string;
  start: number;
}

/**
 * Where the value lands in the page. Besides plain markup, a value is often echoed inside an
 * attribute, quoted or not, and then the attack starts by closing that attribute.
 */
export type HtmlContext = 'data' | 'attr-unquoted' | 'attr-single' | 'attr-double' | 'attr-backtick';

type State =
  | 'data' | 'tag-open' | 'end-tag-open' | 'tag-name' | 'before-attr-name' | 'attr-name' | 'after-attr-name'
  | 'before-attr-value' | 'attr-value-quoted' | 'attr-value-unquoted' | 'after-attr-value' | 'self-closing' | 'eof';

function isHtmlSpace(c: number): boolean {
  // NUL, \v and \r are skipped like whitespace by old IE, which attackers still target.
  return c === 32 || c === 9 || c === 10 || c === 11 || c === 12 || c === 13 || c === 0;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function normalizeName(raw: string): string {
  return raw.replace(/\0/g, '').toLowerCase();
}

/**
 * A compact HTML5-style tokenizer (after the WHATWG state machine, as libinjection does) that
 * only tracks what matters for script execution: tag names, attribute names and values,
 * comments and doctypes. It never builds a tree and never backtracks, so work is linear.
 */
export function tokenizeHtml(s: string, context: HtmlContext): HtmlToken[] {
  const tokens: HtmlToken[] = [];
  const n = s.length;
  let i = 0;
  let state: State;
  let quote = 0;
  let closing = false;
  switch (context) {
    case 'data': state = 'data'; break;
    // An unquoted value ends at the first space, after which the attacker writes attributes.
    case 'attr-unquoted': state = 'before-attr-name'; break;
    case 'attr-single': state = 'attr-value-quoted'; quote = 39; break;
    case 'attr-double': state = 'attr-value-quoted'; quote = 34; break;
    case 'attr-backtick': state = 'attr-value-quoted'; quote = 96; break;
  }
  const push = (type: HtmlTokenType, value: string, start: number): void => {
    tokens.push({ type, value, start });
  };

  while (state !== 'eof' && tokens.length < MAX_HTML_TOKENS) {
    switch (state) {
      case 'data': {
        const lt = s.indexOf('<', i);
        if (lt === -1) {
          if (i < n) push('text', s.slice(i), i);
          state = 'eof';
        } else {
          if (lt > i) push('text', s.slice(i, lt), i);
          i = lt + 1;
          state = 'tag-open';
        }
        break;
      }
      case 'tag-open': {
        if (i >= n) {
          state = 'eof';
          break;
        }
        const c = s.charCodeAt(i);
        if (c === 33 /* ! */) {
          i = readMarkupDeclaration(s, i + 1, push);
          state = 'data';
        } else if (c === 47 /* / */) {
          i += 1;
          state = 'end-tag-open';
        } else if (c === 63 /* ? */) {
          i = readBogusComment(s, i + 1, '>', push);
          state = 'data';
        } else if (c === 37 /* % */) {
          i = readBogusComment(s, i + 1, '%>', push);
          state = 'data';
        } else if (isAsciiLetter(c) || c === 0) {
          closing = false;
          state = 'tag-name';
        } else {
          push('text', '<', i - 1);
          state = 'data';
        }
        break;
      }
      case 'end-tag-open': {
        if (i >= n) {
          state = 'eof';
          break;
        }
        const c = s.charCodeAt(i);
        if (c === 62) {
          i += 1;
          state = 'data';
        } else if (isAsciiLetter(c)) {
          closing = true;
          state = 'tag-name';
        } else {
          i = readBogusComment(s, i, '>', push);
          state = 'data';
        }
        break;
      }
      case 'tag-name': {
        const start = i;
        while (i < n) {
          const c = s.charCodeAt(i);
          if ((isHtmlSpace(c) && c !== 0) || c === 47 || c === 62) break;
          i += 1;
        }
        push(closing ? 'tag-close' : 'tag-open', normalizeName(s.slice(start, i)), start);
        state = 'before-attr-name';
        break;
      }
      case 'before-attr-name': {
        while (i < n && isHtmlSpace(s.charCodeAt(i))) i += 1;
        if (i >= n) {
          state = 'eof';
        } else if (s.charCodeAt(i) === 47) {
          i += 1;
          state = 'self-closing';
        } else if (s.charCodeAt(i) === 62) {
          push('tag-end', '>', i);
          i += 1;
          state = 'data';
        } else {
          state = 'attr-name';
        }
        break;
      }
      case 'attr-name': {
        const start = i;
        i += 1; // the first character may be `=` per the spec
        while (i < n) {
          const c = s.charCodeAt(i);
          if (isHtmlSpace(c) || c === 47 || c === 61 || c === 62) break;
          i += 1;
        }
        push('attr-name', normalizeName(s.slice(start, i)), start);
        state = 'after-attr-name';
        break;
      }
      case 'after-attr-name': {
        while (i < n && isHtmlSpace(s.charCodeAt(i))) i += 1;
        if (i >= n) state = 'eof';
        else if (s.charCodeAt(i) === 61) {
          i += 1;
          state = 'before-attr-value';
        } else if (s.charCodeAt(i) === 47) {
          i += 1;
          state = 'self-closing';
        } else if (s.charCodeAt(i) === 62) {
          push('tag-end', '>', i);
          i += 1;
          state = 'data';
        } else {
          state = 'attr-name';
        }
        break;
      }
      case 'before-attr-value': {
        while (i < n && isHtmlSpace(s.charCodeAt(i))) i += 1;
        if (i >= n) {
          push('attr-value', '', i);
          state = 'eof';
          break;
        }
        const c = s.charCodeAt(i);
        if (c === 34 || c === 39 || c === 96) {
          quote = c;
          i += 1;
          state = 'attr-value-quoted';
        } else {
          state = 'attr-value-unquoted';
        }
        break;
      }
      case 'attr-value-quoted': {
        const close = s.indexOf(String.fromCharCode(quote), i);
        const end = close === -1 ? n : close;
        push('attr-value', s.slice(i, end), i);
        i = close === -1 ? n : close + 1;
        state = close === -1 ? 'eof' : 'after-attr-value';
        break;
      }
      case 'attr-value-unquoted': {
        const start = i;
        while (i < n) {
          const c = s.charCodeAt(i);
          if ((isHtmlSpace(c) && c !== 0) || c === 62) break;
          i += 1;
        }
        push('attr-value', s.slice(start, i), start);
        state = 'before-attr-name';
        break;
      }
      case 'after-attr-value': {
        if (i >= n) state = 'eof';
        else if (s.charCodeAt(i) === 62) {
          push('tag-end', '>', i);
          i += 1;
          state = 'data';
        } else if (s.charCodeAt(i) === 47) {
          i += 1;
          state = 'self-closing';
        } else {
          state = 'before-attr-name';
        }
        break;
      }
      case 'self-closing': {
        if (i < n && s.charCodeAt(i) === 62) {
          push('tag-end', '/>', i);
          i += 1;
          state = 'data';
        } else {
          state = 'before-attr-name';
        }
        break;
      }
      default:
        state = 'eof';
    }
  }
  return tokens;
}

type Push = (type: HtmlTokenType, value: string, start: number) => void;

/** After `<!`: comments, doctype, CDATA, or a bogus comment. Returns the resume index. */
function readMarkupDeclaration(s: string, i: number, push: Push): number {
  if (s.startsWith('--', i)) {
    const body = i + 2;
    let end = s.indexOf('-->', body);
    let skip = 3;
    const bang = s.indexOf('--!>', body);
    if (bang !== -1 && (end === -1 || bang < end)) {
      end = bang;
      skip = 4;
    }
    if (end === -1) {
      push('comment', s.slice(body), body);
      return s.length;
    }
    push('comment', s.slice(body, end), body);
    return end + skip;
  }
  const head = s.slice(i, i + 7).toUpperCase();
  if (head === 'DOCTYPE') {
    const end = s.indexOf('>', i);
    push('doctype', s.slice(i, end === -1 ? s.length : end), i);
    return end === -1 ? s.length : end + 1;
  }
  if (s.startsWith('[CDATA[', i)) {
    const end = s.indexOf(']]>', i);
    push('cdata', s.slice(i + 7, end === -1 ? s.length : end), i);
    return end === -1 ? s.length : end + 3;
  }
  return readBogusComment(s, i, '>', push);
}

function readBogusComment(s: string, i: number, terminator: string, push: Push): number {
  const end = s.indexOf(terminator, i);
  push('comment', s.slice(i, end === -1 ? s.length : end), i);
  return end === -1 ? s.length : end + terminator.length;
}
