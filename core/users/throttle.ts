// Failed logins are counted per account and per client address in the shared cache (Redis in
// production, so every web process sees the same counts). Past the limit the answer is a 429
// with Retry-After, whether or not the password would have been right.
import type { Kernel } from '../kernel.js';
import { TooManyRequestsError } from '../errors.js';

/** An address may fail for a few accounts before it is stopped too. */
const IP_FACTOR = 4;

function keys(scope: string, email: string, ip: string) {
  return { account: `login:acct:${scope}:${email}`, ip: `login:ip:${ip}` };
}

export async function assertLoginAllowed(kernel: Kernel, scope: string, email: string, ip: string): Promise<void> {
  const { loginMaxFailures: max } = kernel.config;
  const k = keys(scope, email, ip);
  const [account, address] = await Promise.all([kernel.cache.peek(k.account), kernel.cache.peek(k.ip)]);
  if (account.count >= max) throw new TooManyRequestsError(account.ttlSeconds, 'LOGIN_THROTTLED');
  if (address.count >= max * IP_FACTOR) throw new TooManyRequestsError(address.ttlSeconds, 'LOGIN_THROTTLED');
}

export async function recordLoginFailure(kernel: Kernel, scope: string, email: string, ip: string): Promise<void> {
  const k = keys(scope, email, ip);
  const window = kernel.config.loginWindowSeconds;
  await Promise.all([kernel.cache.incr(k.account, window), kernel.cache.incr(k.ip, window)]);
}

export async function clearLoginFailures(kernel: Kernel, scope: string, email: string): Promise<void> {
  await kernel.cache.del(keys(scope, email, '').account);
}
