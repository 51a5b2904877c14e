// Token kinds that platform plugins add for principals of their own (merchant onboarding's
// applicants): a prefix of their own (`bza_...`), good only on the plugin's own platform paths,
// resolved by the plugin from the token's hash. Anywhere else such a token is a 401, so an
// applicant never reaches a store, the admin surface or another platform route.
import crypto from 'node:crypto';
import type { Kernel } from '../kernel.js';
import type { Actor } from '../context.js';
import { hashToken } from './tokens.js';

export interface PrincipalKind {
  plugin: string;
  kind: string;
  /** Three letters, `bz` and one more; not one of the core's (bzp, bzt, bzk). */
  prefix: string;
  /** `/platform/v1/<plugin>/`: the only paths where the token counts. */
  pathPrefix: string;
  /** The principal's id for a stored token hash, or undefined (unknown, expired, revoked). */
  resolve(kernel: Kernel, tokenHash: string): Promise<string | undefined>;
}

export const CORE_PREFIXES = new Set(['bzp', 'bzt', 'bzk']);
const registries = new WeakMap<Kernel, Map<string, PrincipalKind>>();

export function registerPrincipalKind(kernel: Kernel, kind: PrincipalKind): void {
  let reg = registries.get(kernel);
  if (!reg) registries.set(kernel, (reg = new Map()));
  reg.set(kind.prefix, kind);
}

export function principalKindOf(kernel: Kernel, token: string): PrincipalKind | undefined {
  const reg = registries.get(kernel);
  if (!reg || token[3] !== '_') return undefined;
  return reg.get(token.slice(0, 3));
}

const SECRET = /^[a-z]{3}_[A-Za-z0-9_-]{43}$/;

export function issuePrincipalToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

/** The actor for a plugin principal's token on `path`; undefined when it is not good there. */
export async function resolvePrincipal(kernel: Kernel, kind: PrincipalKind, token: string, path: string): Promise<Actor | undefined> {
  if (!SECRET.test(token) || !path.startsWith(kind.pathPrefix)) return undefined;
  const id = await kind.resolve(kernel, hashToken(token));
  return id ? { type: 'principal', plugin: kind.plugin, kind: kind.kind, id } : undefined;
}
