// Step-up before spending points (LOY-10): a redemption above the store's threshold, or within
// N hours of a password change or reset, needs a one-time code mailed to the customer. The code
// lives in the cache as a hash for ten minutes, is good once, and dies after five wrong tries;
// at most five codes an hour per customer.
import crypto from 'node:crypto';
import { ForbiddenError, TooManyRequestsError, type PluginCache, type TenantCtx, type CustomerService } from '@bazaar/sdk';
import { clock } from './clock.js';
import type { MembershipSettings } from './settings.js';

export const STEP_UP_MINUTES = 10;
const MAX_TRIES = 5;
const MAX_SENT_PER_HOUR = 5;

export type StepUpReason = 'threshold' | 'recent_credential_change';

const hash = (code: string) => crypto.createHash('sha256').update(code).digest('hex');
const codeKey = (customerId: string) => `stepup:code:${customerId}`;

/** Why this redemption needs a step-up, or null. */
export async function stepUpReason(ctx: TenantCtx, s: MembershipSettings, customers: CustomerService, customerId: string, points: number): Promise<StepUpReason | null> {
  if (s.redeem.stepUpAbovePoints > 0 && points > s.redeem.stepUpAbovePoints) return 'threshold';
  const hours = s.redeem.stepUpAfterCredentialChangeHours;
  if (hours > 0) {
    const changed = (await customers.get(ctx, customerId))?.credentialsChangedAt;
    if (changed && clock.now().getTime() - Date.parse(changed) < hours * 3_600_000) return 'recent_credential_change';
  }
  return null;
}

/** Makes a code for the customer (the previous one dies) and answers it, for the caller to mail. */
export async function issueStepUp(ctx: TenantCtx, cache: PluginCache, customerId: string): Promise<string> {
  const sent = await cache.incr(ctx, `stepup:sent:${customerId}`, 3600);
  if (sent.count > MAX_SENT_PER_HOUR) throw new TooManyRequestsError(Math.max(1, sent.ttlSeconds), 'MEMBERSHIP_STEP_UP_RATE_LIMITED');
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  await cache.set(ctx, codeKey(customerId), { hash: hash(code) }, STEP_UP_MINUTES * 60);
  await cache.del(ctx, `stepup:tries:${customerId}`);
  return code;
}

/** Passes when the code is right (and uses it up); else a 403 saying why. */
export async function checkStepUp(ctx: TenantCtx, cache: PluginCache, customerId: string, reason: StepUpReason, code: string | undefined): Promise<void> {
  if (!code) {
    throw new ForbiddenError('MEMBERSHIP_STEP_UP_REQUIRED', 'Confirm it is you: ask for a code by mail and send it with this request', {
      extra: { reason, stepUp: '/store/v1/membership/step-up' },
      errors: [{ in: 'body', pointer: '/stepUpCode', code: 'required', message: `body.stepUpCode is required (${reason})` }],
    });
  }
  const stored = await cache.get<{ hash: string }>(ctx, codeKey(customerId));
  const tries = await cache.incr(ctx, `stepup:tries:${customerId}`, STEP_UP_MINUTES * 60);
  const ok = stored !== undefined && tries.count <= MAX_TRIES && crypto.timingSafeEqual(Buffer.from(stored.hash), Buffer.from(hash(code)));
  if (!ok) {
    if (tries.count >= MAX_TRIES) await cache.del(ctx, codeKey(customerId));
    throw new ForbiddenError('MEMBERSHIP_STEP_UP_INVALID', 'The code is wrong, used or expired', {
      extra: { reason },
      errors: [{ in: 'body', pointer: '/stepUpCode', code: 'invalid', message: 'body.stepUpCode is wrong, used or expired' }],
    });
  }
  await cache.del(ctx, codeKey(customerId));
  await cache.del(ctx, `stepup:tries:${customerId}`);
}
