// Opaque bearer tokens. Only their SHA-256 is stored. A tenant token carries its tenant's id
// in clear, so the request finds its tenant (and the right database) before any lookup; the
// secret part is what proves it.
import crypto from 'node:crypto';

export type TokenKind = 'platform' | 'session' | 'apiKey';

const PREFIX: Record<TokenKind, string> = { platform: 'bzp', session: 'bzt', apiKey: 'bzk' };

export interface ParsedToken {
  kind: TokenKind;
  tenantId: string | null;
  hash: string;
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function secret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function issueToken(kind: TokenKind, tenantId: string | null): { token: string; hash: string } {
  const token = tenantId ? `${PREFIX[kind]}_${tenantId.replace(/-/g, '')}_${secret()}` : `${PREFIX[kind]}_${secret()}`;
  return { token, hash: hashToken(token) };
}

export function parseToken(token: string): ParsedToken | null {
  const platform = /^bzp_[A-Za-z0-9_-]{43}$/.exec(token);
  if (platform) return { kind: 'platform', tenantId: null, hash: hashToken(token) };
  const m = /^(bzt|bzk)_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/.exec(token);
  if (!m) return null;
  const hex = m[2];
  const tenantId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { kind: m[1] === 'bzt' ? 'session' : 'apiKey', tenantId, hash: hashToken(token) };
}

/** A short, non-secret prefix to recognise an API key in lists. */
export function displayPrefix(token: string): string {
  return token.slice(0, 12);
}
