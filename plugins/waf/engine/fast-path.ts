/**
 * Most request values are single tokens ("red", "42", "price_asc", "Übergröße"). Such values
 * cannot carry markup, SQL syntax, shell metacharacters or encodings, so the expensive
 * detectors are skipped for them; only the checks that work on plain words still run.
 */
export function isInertValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95) continue;
    // A single hyphen is everyday (slugs, dates); `--` opens a SQL comment.
    if (c === 45 && value.charCodeAt(i + 1) !== 45) continue;
    if (c >= 0xc0 && !isSuspiciousNonAscii(c)) continue;
    return false;
  }
  return true;
}

/** Non-ASCII code points that normalise to, or are treated as, ASCII syntax somewhere. */
function isSuspiciousNonAscii(c: number): boolean {
  return (c >= 0x2000 && c <= 0x206f) || (c >= 0xfe00 && c <= 0xffef) || c === 0x02bc || c === 0x02b9 || c === 0x3000;
}
