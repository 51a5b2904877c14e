// Bounds on amounts and quantities, chosen so that every total the API can form fits both a
// JavaScript safe integer (2^53 - 1 ≈ 9.007e15) and the BIGINT money columns:
//   a cart holds at most MAX_CART_LINES (100) lines of at most MAX_LINE_QUANTITY (9,999) units,
//   so its subtotal is at most 100 × 9,999 × MAX_UNIT_AMOUNT ≈ 2.0e15; shipping and each
//   adjustment are at most 1e12; tax is at most 100% (10,000 bp): the largest total is about
//   4.0e15, under 2^53 with room to spare.
// Stock levels stay within a signed 32-bit INTEGER column: MAX_STOCK_LEVEL units a location.

/** The largest price of one unit, in minor units (20,000,000.00 in a 2-decimal currency). */
export const MAX_UNIT_AMOUNT = 2_000_000_000;
/** The largest on-hand count of one variant at one location (and the largest single change). */
export const MAX_STOCK_LEVEL = 1_000_000_000;
