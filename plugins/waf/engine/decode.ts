import { decodeHtmlEntities, hasEntity } from './html-entities.js';
import { hasBackslashEscape, unescapeBackslashes } from './js-unescape.js';
import {
  MAX_ENTITY_DECODE_ROUNDS,
  MAX_URL_DECODE_ROUNDS,
  MAX_VALUE_LENGTH,
  MAX_VARIANTS,
} from './limits.js';
import {
  decodeUtf16Bytes,
  decodeUtf7Markup,
  hasHighBitMarkup,
  hasUtf7Markup,
  isUtf16Bytes,
  needsCharNormalization,
  normalizeChars,
  stripHighBit,
} from './normalize.js';
import { decodePercentOnce, hasPercentEscape } from './url-decode.js';

/** Only the first MAX_VALUE_LENGTH characters of a value are inspected. */
export function truncateValue(value: string): string {
  return value.length > MAX_VALUE_LENGTH ? value.slice(0, MAX_VALUE_LENGTH) : value;
}

function pushUnique(list: string[], candidate: string): void {
  if (list.length < MAX_VARIANTS && !list.includes(candidate)) list.push(candidate);
}

/**
 * Every form of a value that some layer of the application could end up seeing: the value
 * itself, then cumulatively percent-decoded (double/triple encoding, `%u`, overlong UTF-8),
 * entity-decoded, backslash-unescaped and character-normalised. Detectors run on each form,
 * so an attack hidden by any mix of these encodings is seen in its decoded shape, while
 * the work stays bounded by the round and variant caps.
 */
export function expandVariants(value: string): string[] {
  const variants = [truncateValue(value)];
  let current = variants[0];
  // A body sent in UTF-16 reaches the application as bytes: read it as UTF-16 first.
  if (current.includes('\u0000') && isUtf16Bytes(current)) {
    current = decodeUtf16Bytes(current);
    pushUnique(variants, current);
  }

  if (hasPercentEscape(current)) {
    for (let round = 0; round < MAX_URL_DECODE_ROUNDS; round++) {
      const next = decodePercentOnce(current);
      if (next === current) break;
      current = next;
      pushUnique(variants, current);
      if (!hasPercentEscape(current)) break;
    }
  }
  if (hasEntity(current)) {
    for (let round = 0; round < MAX_ENTITY_DECODE_ROUNDS; round++) {
      const next = decodeHtmlEntities(current);
      if (next === current) break;
      current = next;
      pushUnique(variants, current);
      if (!hasEntity(current)) break;
    }
  }
  if (hasBackslashEscape(current)) {
    current = unescapeBackslashes(current);
    pushUnique(variants, current);
    // JS escapes frequently wrap entities or percent-escapes (`\u0026lt;`).
    if (hasEntity(current)) {
      current = decodeHtmlEntities(current);
      pushUnique(variants, current);
    }
  }
  if (needsCharNormalization(current)) {
    current = normalizeChars(current);
    pushUnique(variants, current);
  }
  if (hasUtf7Markup(current)) pushUnique(variants, decodeUtf7Markup(current));
  if (hasHighBitMarkup(current)) pushUnique(variants, stripHighBit(current));
  return variants;
}
