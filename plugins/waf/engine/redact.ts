/**
 * Excerpts of blocked values go to logs and admin screens, which must never hold a password,
 * a token or a card number. Values of sensitive fields are replaced wholesale; elsewhere
 * card numbers (Luhn-valid 13–19 digit runs, with or without spaces/dashes), bearer tokens,
 * JWTs and long opaque secrets are masked before truncation.
 */

const SENSITIVE_NAME = /pass(?:word|wd|phrase|code)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|auth|session|sess[-_]?id|cookie|credential|card|cc[-_]?(?:num|number|no)|pan\b|cvv|cvc|csc|security[-_]?code|\bpin\b|ssn|iban|otp|mfa|2fa|signature|sig\b|nonce|csrf|xsrf|bearer|jwt/i;

const REDACTED = '[REDACTED]';
const DEFAULT_EXCERPT = 80;

/** True when a field, header or cookie name denotes a credential or payment datum. */
export function isSensitiveField(name: string | undefined): boolean {
  if (name === undefined || name === '') return false;
  return SENSITIVE_NAME.test(name);
}

export function isLuhnValid(digits: string): boolean {
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Digit runs of 13+ digits, allowing single spaces or dashes between groups. */
const DIGIT_RUN = /\d(?:[ -]?\d){12,}/g;
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const BEARER = /\b(bearer|basic|token)\s+[\w.~+/=-]{8,}/gi;
const KEY_VALUE_SECRET = new RegExp(`((?:${SENSITIVE_NAME.source})[\\w-]*\\s*[=:]\\s*)("[^"]*"|'[^']*'|[^\\s&;,]+)`, 'gi');
const OPAQUE = /\b(?=[\w+/-]*\d)(?=[\w+/-]*[a-zA-Z])[\w+/-]{32,}={0,2}/g;

function maskCards(value: string): string {
  return value.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length > 19) {
      // A longer run may still hide a card; mask any Luhn-valid window.
      for (let len = 19; len >= 13; len--) {
        for (let i = 0; i + len <= digits.length; i++) if (isLuhnValid(digits.slice(i, i + len))) return '[CARD]';
      }
      return run;
    }
    return isLuhnValid(digits) ? '[CARD]' : run;
  });
}

/** Masks secrets inside a value; the whole value when `fieldName` is sensitive. */
export function redactValue(value: string, fieldName?: string): string {
  if (isSensitiveField(fieldName)) return REDACTED;
  return maskCards(value)
    .replace(JWT, '[TOKEN]')
    .replace(BEARER, '$1 [TOKEN]')
    .replace(KEY_VALUE_SECRET, `$1${REDACTED}`)
    .replace(OPAQUE, '[TOKEN]');
}

/** Last name in a location such as `body.payment.card_number` or `header.x-api-key`. */
export function extractFieldName(location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const plain = location.startsWith('key:') ? location.slice(4) : location;
  const parts = plain.split(/[.[\]]+/).filter(Boolean);
  // Any sensitive segment counts: `body.card.number` is a card number.
  return parts.find((p) => isSensitiveField(p)) ?? parts[parts.length - 1];
}

/** Log lines must stay one line and free of terminal escapes. */
function replaceControlChars(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += c < 32 || c === 127 ? ' ' : value[i];
  }
  return out;
}

/** A redacted, length-bounded excerpt suitable for logs. */
export function redactExcerpt(value: string, location?: string, maxLength = DEFAULT_EXCERPT): string {
  // Redact before truncating so a cut cannot expose the head of a secret.
  const isKey = location?.startsWith('key:') ?? false;
  const redacted = redactValue(value, isKey ? undefined : extractFieldName(location));
  const flat = replaceControlChars(redacted);
  return flat.length > maxLength ? flat.slice(0, maxLength - 1) + '\u2026' : flat;
}
