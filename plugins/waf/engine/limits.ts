/**
 * Work bounds. An attacker controls input size, so every loop in the engine is capped by
 * one of these instead of by the input.
 */
export const MAX_VALUE_LENGTH = 8 * 1024;
export const MAX_URL_DECODE_ROUNDS = 3;
export const MAX_ENTITY_DECODE_ROUNDS = 2;
export const MAX_VARIANTS = 8;
export const MAX_SQL_TOKENS = 2048;
export const MAX_HTML_TOKENS = 2048;
export const MAX_PARSE_DEPTH = 64;

export const MAX_BODY_DEPTH = 12;
export const MAX_VALUES_PER_REQUEST = 1024;
export const MAX_KEY_LENGTH = 256;
export const MAX_HEADER_VALUE_LENGTH = 8 * 1024;
