/**
 * HTML character-reference decoding as browsers apply it inside markup: named references
 * (case-insensitively, since attackers rely on legacy `&LT;`), decimal and hex references
 * with or without the trailing semicolon and with any number of leading zeros.
 */

const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0',
  colon: ':', semi: ';', sol: '/', bsol: '\\', lpar: '(', rpar: ')',
  lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}',
  comma: ',', period: '.', excl: '!', quest: '?', num: '#', dollar: '$', percnt: '%',
  ast: '*', midast: '*', plus: '+', equals: '=', lowbar: '_', grave: '`', hat: '^',
  vert: '|', verbar: '|', commat: '@', tab: '\t', newline: '\n', hyphen: '\u2010',
  copy: '\u00a9', reg: '\u00ae', hellip: '\u2026', mdash: '\u2014', ndash: '\u2013',
  lsquo: '\u2018', rsquo: '\u2019', ldquo: '\u201c', rdquo: '\u201d', laquo: '\u00ab', raquo: '\u00bb',
};

/** Names browsers still accept without the semicolon. */
const LEGACY_NO_SEMICOLON = new Set(['lt', 'gt', 'amp', 'quot', 'nbsp', 'copy', 'reg']);

const MAX_NAME = 12;
const MAX_CODE_POINT = 0x10ffff;

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function convertCodePoint(cp: number): string {
  if (cp === 0) return '\u0000';
  if (cp > MAX_CODE_POINT || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}

/** Decodes one reference starting at `at` (which holds `&`); returns [text, consumed] or null. */
function decodeReferenceAt(input: string, at: number): [string, number] | null {
  const n = input.length;
  let i = at + 1;
  if (input.charCodeAt(i) === 35 /* # */) {
    i += 1;
    const hex = input.charCodeAt(i) === 120 || input.charCodeAt(i) === 88;
    if (hex) i += 1;
    const start = i;
    let cp = 0;
    while (i < n && (hex ? isHexDigit(input.charCodeAt(i)) : isDigit(input.charCodeAt(i)))) {
      if (cp <= MAX_CODE_POINT) cp = cp * (hex ? 16 : 10) + parseInt(input[i], 16);
      i += 1;
    }
    if (i === start) return null;
    if (input.charCodeAt(i) === 59 /* ; */) i += 1;
    return [convertCodePoint(cp), i - at];
  }
  const start = i;
  while (i < n && i - start < MAX_NAME && isAlnum(input.charCodeAt(i))) i += 1;
  if (i === start) return null;
  const name = input.slice(start, i).toLowerCase();
  if (input.charCodeAt(i) === 59) {
    const text = NAMED[name];
    if (text !== undefined) return [text, i + 1 - at];
  }
  // Without `;` browsers match the longest legacy prefix, e.g. `&ltscript`.
  for (let len = Math.min(name.length, 4); len >= 2; len--) {
    const prefix = name.slice(0, len);
    if (LEGACY_NO_SEMICOLON.has(prefix)) return [NAMED[prefix], 1 + len];
  }
  return null;
}

export function hasEntity(input: string): boolean {
  let idx = input.indexOf('&');
  while (idx !== -1) {
    const c = input.charCodeAt(idx + 1);
    if (c === 35 || isAlnum(c)) return true;
    idx = input.indexOf('&', idx + 1);
  }
  return false;
}

export function decodeHtmlEntities(input: string): string {
  let idx = input.indexOf('&');
  if (idx === -1) return input;
  let out = '';
  let last = 0;
  while (idx !== -1) {
    const decoded = decodeReferenceAt(input, idx);
    if (decoded !== null) {
      out += input.slice(last, idx) + decoded[0];
      last = idx + decoded[1];
      idx = input.indexOf('&', last);
    } else {
      idx = input.indexOf('&', idx + 1);
    }
  }
  return out + input.slice(last);
}

/**
 * The character entity names of HTML 4 (Latin-1, symbols and Greek, special) and XML's `apos`:
 * the names text written for the web refers to. Compared without case.
 */
const TEXT_ENTITY_NAMES = new Set(`nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn
sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest agrave aacute acirc atilde auml aring aelig
ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml times oslash ugrave uacute
ucirc uuml yacute thorn szlig divide yuml fnof alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron
pi rho sigmaf sigma tau upsilon phi chi psi omega thetasym upsih piv bull hellip prime oline frasl weierp image real trade
alefsym larr uarr rarr darr harr crarr forall part exist empty nabla isin notin ni prod sum minus lowast radic prop infin ang and
or cap cup int there4 sim cong asymp ne equiv le ge sub sup nsub sube supe oplus otimes perp sdot lceil rceil lfloor rfloor lang
rang loz spades clubs hearts diams quot amp lt gt apos oelig scaron circ tilde ensp emsp thinsp zwnj zwj lrm rlm ndash mdash lsquo
rsquo sbquo ldquo rdquo bdquo dagger permil lsaquo rsaquo euro`.split(/\s+/));

/** Whether `&name;` names a character (HTML 4, XML's five, or one this decoder knows) rather than an entity a DTD declares. */
export function isTextEntityName(name: string): boolean {
  const lower = name.toLowerCase();
  return TEXT_ENTITY_NAMES.has(lower) || Object.prototype.hasOwnProperty.call(NAMED, lower);
}
