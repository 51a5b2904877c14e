import { isUtf16Bytes } from './normalize.js';
import type { ParanoiaLevel, RuleHit } from './types.js';

/**
 * CRLF injection: a line break in a value that ends up in a response header (a redirect target,
 * a cookie, a file name) or a mail header starts a header of the attacker's choosing, or ends
 * the headers and starts a body. A line break is everyday in a text area, so what is flagged is
 * the grammar that follows it: a response header (`Set-Cookie:`, `Content-Type:`, `Location:
 * http...`, `X-...:`), an HTTP status line, an empty line followed by markup, mail recipients
 * (`Bcc: addr`) and SMTP commands. Node's latin-1 header writer keeps only the low byte of each
 * character, so `嘊嘍` (U+560A U+560D) is a CR LF there and is read as one here.
 *
 * A NUL byte ends a string early wherever C code reads it (an LDAP server's filter parser, file
 * APIs, older PHP): `*))%00`, `../../etc/passwd%00.jpg`. No text a person types holds one, and
 * the Core Rule Set refuses it at paranoia 1 (920270), so a NUL in a value is flagged by itself.
 * Text in UTF-16 read as 8-bit bytes (every other character NUL) is not a NUL injection: the
 * decoder reads it as UTF-16 (`decode.ts`) and the detectors judge what it says.
 */

/** The engine's rule shape (types.ts): one definition for every detector. */
type Rule = RuleHit;

const R = {
  header: { ruleId: 'crlf.header-injection', message: 'Line break followed by a response header', paranoia: 1, severity: 'critical' },
  splitting: { ruleId: 'crlf.response-splitting', message: 'Line breaks that end the headers and start a response body', paranoia: 1, severity: 'critical' },
  mail: { ruleId: 'crlf.mail-header-injection', message: 'Line break followed by a mail recipient header or SMTP command', paranoia: 1, severity: 'critical' },
  splitEscape: { ruleId: 'crlf.split-escape', message: 'Percent escape held apart by a line break that rejoins into CR or LF', paranoia: 1, severity: 'critical' },
  nul: { ruleId: 'crlf.nul-byte', message: 'NUL byte in a value (ends the string early in C-based parsers)', paranoia: 1, severity: 'critical' },
} as const satisfies Record<string, Rule>;

type RuleKey = keyof typeof R;

const BREAK = String.raw`(?:\r\n?|\n)[\t ]*`;
/** Headers that change what the browser does; spelled with or without the hyphen. */
/** A leftover escape (`%\n0aSet-Cookie`) between the break and the name is noise to a lenient decoder. */
const HEADER = new RegExp(BREAK + String.raw`(?:%?0[ad])?(?:set-?cookie2?|content-?(?:type|length|disposition|encoding|security-policy|location)|transfer-?encoding|refresh|x-[\w-]+|access-control-[\w-]+|last-?modified|cache-?control|expires|pragma|www-authenticate|strict-transport-security)\s*:|` +
  BREAK + String.raw`(?:location|link|host|referer)\s*:\s*(?:[a-z][\w+.-]*:)?\/\/`, 'i');
const STATUS_LINE = new RegExp(BREAK + String.raw`HTTP\/\d(?:\.\d)?\s+\d{3}\b`, 'i');
/** An empty line (end of headers) and then markup. */
const BODY_SPLIT = /(?:\r\n|\n|\r)[\t ]*(?:\r\n|\n|\r)\s*<[!a-z/?]/i;
const MAIL = new RegExp(BREAK + String.raw`(?:b?cc|to|reply-to)\s*:\s*[^\s@]+@|` + BREAK + String.raw`(?:mail\s+from|rcpt\s+to)\s*:|(?:^|\r?\n)data\r?\n[\s\S]*\r?\n\.\r?\n`, 'i');

/**
 * `%0%0D%0AD` decoded once is `%0` CR LF `D`: a layer that drops line breaks rejoins `%0D`, and
 * the next decoder writes a CR. Twice in a value (`%0\r\nD%0\r\nA`) it is a CR LF.
 */
const SPLIT_ESCAPE = /(?:%0(?:\r\n?|\n)[ad]|%(?:\r\n?|\n)0[ad])[\s\S]*?(?:%0(?:\r\n?|\n)[ad]|%(?:\r\n?|\n)0[ad])/i;

/** Node writes header strings as latin-1: U+xx0A and U+xx0D become LF and CR. */
function foldLowBytes(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += c > 0xff && (c & 0xff) < 0x80 && ((c & 0xff) === 10 || (c & 0xff) === 13) ? String.fromCharCode(c & 0xff) : value[i];
  }
  return out;
}

function hasBreak(value: string): boolean {
  return value.includes('\n') || value.includes('\r');
}

function hasWideBreak(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff && ((c & 0xff) === 10 || (c & 0xff) === 13)) return true;
  }
  return false;
}

function check(value: string, out: Set<RuleKey>): void {
  if (HEADER.test(value)) out.add('header');
  if (STATUS_LINE.test(value) || BODY_SPLIT.test(value)) out.add('splitting');
  if (MAIL.test(value)) out.add('mail');
  if (value.includes('%') && SPLIT_ESCAPE.test(value)) out.add('splitEscape');
}

export function detectCrlf(value: string, paranoia: ParanoiaLevel): RuleHit[] {
  const found = new Set<RuleKey>();
  if (value.includes('\u0000') && !isUtf16Bytes(value)) found.add('nul');
  if (hasBreak(value)) check(value, found);
  else if (hasWideBreak(value)) {
    // Latin-1 truncation: also brings `<` and `>` out of U+xx3C / U+xx3E (`嘼svg`).
    const folded = foldLowBytes(value);
    check(folded, found);
    // A header right after a folded break is enough: nobody writes U+560A by accident before `content-type:`.
  }
  const hits: RuleHit[] = [];
  for (const key of found) {
    const r = R[key];
    if (r.paranoia <= paranoia) hits.push({ ruleId: r.ruleId, message: r.message, paranoia: r.paranoia, severity: r.severity });
  }
  return hits;
}
