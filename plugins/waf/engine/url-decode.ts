/**
 * Percent-decoding the way a lenient server stack does it: `%XX` bytes are decoded as UTF-8
 * but overlong forms (`%c0%af` for `/`) are accepted instead of rejected, `%uXXXX` (IIS) is
 * honoured, and anything malformed is kept verbatim so decoding never throws.
 */

function parseHexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

function isContinuation(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

/** Decodes bytes as UTF-8, accepting overlong encodings; stray bytes map to Latin-1. */
export function decodeLenientUtf8(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
    } else if (b >= 0xc0 && b < 0xe0 && isContinuation(bytes[i + 1])) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f));
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0 && isContinuation(bytes[i + 1]) && isContinuation(bytes[i + 2])) {
      out += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f));
      i += 3;
    } else if (
      b >= 0xf0 && b < 0xf8 &&
      isContinuation(bytes[i + 1]) && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3])
    ) {
      const cp = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      out += cp <= 0x10ffff ? String.fromCodePoint(cp) : String.fromCharCode(b);
      i += cp <= 0x10ffff ? 4 : 1;
    } else {
      out += String.fromCharCode(b);
      i += 1;
    }
  }
  return out;
}

/** True when the string holds at least one decodable `%XX` or `%uXXXX` sequence. */
export function hasPercentEscape(input: string): boolean {
  let idx = input.indexOf('%');
  while (idx !== -1 && idx + 2 < input.length + 1) {
    const a = input.charCodeAt(idx + 1);
    if (parseHexDigit(a) >= 0 && parseHexDigit(input.charCodeAt(idx + 2)) >= 0) return true;
    if ((a === 117 || a === 85) && isHex4(input, idx + 2)) return true;
    idx = input.indexOf('%', idx + 1);
  }
  return false;
}

function isHex4(input: string, at: number): boolean {
  if (at + 4 > input.length) return false;
  for (let k = at; k < at + 4; k++) if (parseHexDigit(input.charCodeAt(k)) < 0) return false;
  return true;
}

/** One round of percent-decoding. */
export function decodePercentOnce(input: string): string {
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += decodeLenientUtf8(bytes);
      bytes = [];
    }
  };
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === 37 /* % */) {
      const h1 = i + 2 < n + 1 ? parseHexDigit(input.charCodeAt(i + 1)) : -1;
      const h2 = h1 >= 0 ? parseHexDigit(input.charCodeAt(i + 2)) : -1;
      if (h1 >= 0 && h2 >= 0) {
        bytes.push(h1 * 16 + h2);
        i += 3;
        continue;
      }
      const u = input.charCodeAt(i + 1);
      if ((u === 117 || u === 85) && isHex4(input, i + 2)) {
        flush();
        out += String.fromCharCode(parseInt(input.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
    }
    flush();
    out += input[i];
    i += 1;
  }
  flush();
  return out;
}
