/**
 * Character-level normalisations that some component between the WAF and the sink applies
 * and an attacker can therefore rely on: NUL bytes vanish (C strings, IE's HTML parser),
 * full-width forms fold to ASCII (NFKC in frameworks and databases), UTF-7 and "high-bit"
 * charsets turn harmless-looking bytes into `<` and `>`.
 */

const FULLWIDTH_START = 0xff01;
const FULLWIDTH_END = 0xff5e;
const FULLWIDTH_OFFSET = 0xfee0;

/** Look-alikes that Windows "best fit" code-page conversion and NFKC turn into path syntax. */
const BEST_FIT: Readonly<Record<number, string>> = {
  0x2215: '/', 0x2044: '/', 0x29f8: '/', 0x2216: '\\', 0xfe68: '\\', 0x29f9: '\\', 0x2024: '.', 0xfe52: '.', 0x2025: '..',
  0x02bc: "'", 0x2032: "'", 0xfe64: '<', 0xfe65: '>', 0x2039: '<', 0x203a: '>',
};

export function needsCharNormalization(input: string): boolean {
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0) return true;
    if (c < 0x2b0) continue;
    if ((c >= FULLWIDTH_START && c <= FULLWIDTH_END) || BEST_FIT[c] !== undefined) return true;
  }
  return false;
}

export function normalizeChars(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0) continue;
    if (c >= FULLWIDTH_START && c <= FULLWIDTH_END) out += String.fromCharCode(c - FULLWIDTH_OFFSET);
    else out += BEST_FIT[c] ?? input[i];
  }
  return out;
}

/** A UTF-7 shift sequence whose first character is `<` or `>` (`+ADw-`, `+ADwAIQ-` for `<!`). */
const UTF7_SHIFT_MARKUP = /\+AD[w4]/i;
const UTF7_RUN = /\+([A-Za-z0-9+/]*)-?/g;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function hasUtf7Markup(input: string): boolean {
  return input.indexOf('+') !== -1 && UTF7_SHIFT_MARKUP.test(input);
}

/** One shift run's modified base64 as UTF-16 code units (RFC 2152); leftover bits are dropped. */
function decodeUtf7Run(run: string): string {
  let out = '';
  let bits = 0;
  let count = 0;
  for (let i = 0; i < run.length; i++) {
    bits = ((bits << 6) | BASE64.indexOf(run[i])) & 0xffffff;
    count += 6;
    if (count >= 16) {
      count -= 16;
      out += String.fromCharCode((bits >> count) & 0xffff);
    }
  }
  return out;
}

/**
 * Decodes UTF-7 (RFC 2152) the way a parser told `encoding="UTF-7"` does: `+ADw-` is `<`,
 * `+ADwAIQ-` is `<!`, `+-` is `+`. Only asked for when a shift sequence spells `<` or `>`.
 */
export function decodeUtf7Markup(input: string): string {
  return input.replace(UTF7_RUN, (_m, run: string) => (run === '' ? '+' : decodeUtf7Run(run)));
}

/** `¼script¾` is `<script>` once the top bit is dropped (US-ASCII served as 8-bit). */
export function hasHighBitMarkup(input: string): boolean {
  return input.indexOf('\u00bc') !== -1 && input.indexOf('\u00be') !== -1;
}

export function stripHighBit(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    out += c >= 0xa0 && c <= 0xff ? String.fromCharCode(c & 0x7f) : input[i];
  }
  return out;
}

/**
 * Text in UTF-16 handed over as 8-bit bytes (a body sent in UTF-16 and read as UTF-8): ASCII
 * characters alternate with NULs. At least 8 characters, at least a third of them NUL, and nearly
 * every NUL on the same side of its pair; a NUL injected into text (`*))\0`) is none of these.
 */
export function isUtf16Bytes(input: string): boolean {
  const n = Math.min(input.length, 512);
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (input.charCodeAt(i) !== 0) continue;
    if (i % 2 === 0) even += 1;
    else odd += 1;
  }
  const nuls = even + odd;
  return nuls * 3 >= n && Math.max(even, odd) >= nuls * 0.9;
}

/** UTF-16 read as bytes, decoded: the NULs dropped and the byte-order mark (or what UTF-8 made of it) with them. */
export function decodeUtf16Bytes(input: string): string {
  return input.replaceAll('\u0000', '').replace(/^[\ufeff\ufffd\u00fe\u00ff]+/, '');
}
