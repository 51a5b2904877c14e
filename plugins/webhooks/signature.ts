// Deliveries are signed the way receivers expect from Stripe-like senders: HMAC-SHA256 with the
// endpoint's secret over `${timestamp}.${body}`, sent as `Bazaar-Signature: v1=<hex>` with the
// unix timestamp in `Bazaar-Timestamp`. A receiver checks both, and refuses old timestamps.
import crypto from 'node:crypto';

export function newSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver runs: true when the signature matches and the timestamp is recent. */
export function verify(secret: string, header: { timestamp: string | undefined; signature: string | undefined }, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const ts = Number(header.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds || !header.signature) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const given = Buffer.from(header.signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
