/**
 * Undoes the backslash escapes that JavaScript, JSON and many template languages share:
 * `\uXXXX`, `\u{X...}`, `\xXX`, three-digit octal and JSON's `\/` and `\"`. Attackers use
 * these to hide `<script>` from filters while the value is still decoded before a sink.
 */

function parseHexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function readHex(input: string, at: number, count: number): number {
  if (at + count > input.length) return -1;
  let v = 0;
  for (let k = at; k < at + count; k++) {
    const h = parseHexDigit(input.charCodeAt(k));
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

export function hasBackslashEscape(input: string): boolean {
  let idx = input.indexOf('\\');
  while (idx !== -1) {
    const c = input.charCodeAt(idx + 1);
    if (c === 117 || c === 120 || (c >= 48 && c <= 55) || c === 47 || c === 34) return true;
    idx = input.indexOf('\\', idx + 1);
  }
  return false;
}

export function unescapeBackslashes(input: string): string {
  let idx = input.indexOf('\\');
  if (idx === -1) return input;
  let out = '';
  let last = 0;
  while (idx !== -1) {
    const kind = input.charCodeAt(idx + 1);
    let text: string | null = null;
    let consumed = 0;
    if (kind === 117 /* u */) {
      if (input.charCodeAt(idx + 2) === 123 /* { */) {
        const close = input.indexOf('}', idx + 3);
        if (close !== -1 && close - idx <= 10) {
          const cp = readHex(input, idx + 3, close - idx - 3);
          if (cp >= 0 && cp <= 0x10ffff) {
            text = String.fromCodePoint(cp);
            consumed = close + 1 - idx;
          }
        }
      } else {
        const cu = readHex(input, idx + 2, 4);
        if (cu >= 0) {
          text = String.fromCharCode(cu);
          consumed = 6;
        }
      }
    } else if (kind === 120 /* x */) {
      const b = readHex(input, idx + 2, 2);
      if (b >= 0) {
        text = String.fromCharCode(b);
        consumed = 4;
      }
    } else if (kind === 47 || kind === 34) {
      text = String.fromCharCode(kind);
      consumed = 2;
    } else if (kind >= 48 && kind <= 55) {
      let k = idx + 1;
      let v = 0;
      while (k < input.length && k < idx + 4) {
        const c = input.charCodeAt(k);
        if (c < 48 || c > 55) break;
        v = v * 8 + (c - 48);
        k += 1;
      }
      // Three-digit octal, or a lone `\0` (how payload lists spell NUL); `\1` alone is a regex backreference.
      if (k === idx + 4 && v < 256) {
        text = String.fromCharCode(v);
        consumed = 4;
      } else if (kind === 48 && k === idx + 2) {
        text = '\u0000';
        consumed = 2;
      }
    }
    if (text !== null) {
      out += input.slice(last, idx) + text;
      last = idx + consumed;
      idx = input.indexOf('\\', last);
    } else {
      idx = input.indexOf('\\', idx + 2);
    }
  }
  return out + input.slice(last);
}
