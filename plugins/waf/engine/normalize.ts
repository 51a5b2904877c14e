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

const UTF7_MARKUP: Readonly<Record<string, string>> = {
  '+adw-': '<', '+ad4-': '>', '+aci-': '"', '+acc-': "'", '+ad0-': '=', '+acg-': '(', '+ack-': ')',
};
const UTF7_PATTERN = /\+a[cd][0-9a-z]-/gi;

export function hasUtf7Markup(input: string): boolean {
  return input.indexOf('+') !== -1 && /\+ad[w4]-/i.test(input);
}

/** Decodes the UTF-7 shift sequences that spell markup characters. */
export function decodeUtf7Markup(input: string): string {
  return input.replace(UTF7_PATTERN, (m) => UTF7_MARKUP[m.toLowerCase()] ?? m);
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
