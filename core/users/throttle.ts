// Sign-in attempts are counted per account, per client address at one store, and per client
// address across the platform, in the shared cache (Redis in production, so every web process
// sees the same counts). An attempt is counted atomically BEFORE the password is checked, so
// guesses sent at once cannot all slip in between a read and a later write: only the first
// `max` of them reach the password check, the rest get a 429 with Retry-After, whether or not
// the password would have been right. A successful sign-in takes its own attempt back.
import type { Kernel } from '../kernel.js';
import { TooManyRequestsError } from '../errors.js';

/** An address may fail for a few accounts of one store before it is stopped there too. */
export const IP_FACTOR = 4;
/** ...and for more across every store and the platform before it is stopped everywhere. */
export const GLOBAL_IP_FACTOR = 20;

/**
 * `scope` is `<tenantId>:<subject>` or `platform`; the store part keys the per-address count,
 * so failures at store A never lock a sign-in at store B (below the global ceiling).
 */
export function loginKeys(scope: string, email: string, ip: string) {
  const store = scope.split(':')[0];
  return { account: `login:acct:${scope}:${email}`, storeIp: `login:ip:${store}:${ip}`, ip: `login:ip:*:${ip}` };
}

export interface LoginAttempt {
  readonly keys: ReturnType<typeof loginKeys>;
}

/** Counts the attempt, then refuses it if it is past any limit. */
export async function beginLoginAttempt(kernel: Kernel, scope: string, email: string, ip: string): Promise<LoginAttempt> {
  const { loginMaxFailures: max, loginWindowSeconds: window } = kernel.config;
  const keys = loginKeys(scope, email, ip);
  const [account, storeIp, anyIp] = await kernel.cache.incrMany([
    { key: keys.account, ttlSeconds: window },
    { key: keys.storeIp, ttlSeconds: window },
    { key: keys.ip, ttlSeconds: window },
  ]);
  const over = [
    account.count > max ? account : null,
    storeIp.count > max * IP_FACTOR ? storeIp : null,
    anyIp.count > max * GLOBAL_IP_FACTOR ? anyIp : null,
  ].filter((c) => c !== null);
  if (over.length) throw new TooManyRequestsError(Math.max(...over.map((c) => c.ttlSeconds)), 'LOGIN_THROTTLED');
  return { keys };
}

/** A right password: the account starts afresh and the address gets its attempt back. */
export async function loginSucceeded(kernel: Kernel, attempt: LoginAttempt): Promise<void> {
  await kernel.cache.del(attempt.keys.account);
  await kernel.cache.decrMany([attempt.keys.storeIp, attempt.keys.ip]);
}
