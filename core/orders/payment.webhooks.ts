// Payment gateways' webhooks, durably (payments.md REQ 13): the route has the provider verify the
// notification over its raw bytes and read it (no side effect), stores the raw notification once
// per (tenant, provider, notification id), queues its processing and answers the gateway at once
// in its format. The queue (bull on Redis, the in-process queue on the embedded default) applies
// the actions with retries; a notification stored but not applied (the process died after the
// answer, the queue lost the job) is found by the worker's scan and queued again. Applying is
// idempotent (each action once per id, a row lock per payment), so a second run changes nothing.
import crypto from 'node:crypto';
import type { Kernel } from '../kernel.js';
import { createSystemCtx, requireTenant, type TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { newId } from '../db/ids.js';
import { NotFoundError, assertWritable, isUniqueViolation } from '../errors.js';
import { Payment, PaymentWebhookInbox } from './order.model.js';
import type { WebhookAction } from './payment.provider.js';
import { applyProviderEvent } from './payment.service.js';

export const WEBHOOK_QUEUE = 'payments.webhook';
const ATTEMPTS = 8;
/** A stored notification not applied this long after it arrived is queued again by the scan. */
export const REQUEUE_AFTER_MS = 60_000;
const KEPT_HEADERS = /^(content-type|stripe-signature|wechatpay-|user-agent$|request-id$)/;

export interface WebhookAnswer {
  status: number;
  body?: string;
  contentType?: string;
}

export interface WebhookJob {
  tenantId: string;
  requestId?: string;
  inboxId: string;
}

/** The route's part: verify, store once, queue, answer. Nothing is applied here. */
export async function receiveWebhook(ctx: TenantCtx, providerId: string, headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<WebhookAnswer | null> {
  const provider = await ctx.kernel.extensions.provider(ctx, 'payment', providerId);
  if (!provider?.parseWebhook) throw new NotFoundError('WEBHOOK_NOT_SUPPORTED', 'This payment provider takes no webhooks here');
  const outcome = await provider.parseWebhook(ctx, { data: { headers, rawBody }, context: { tenantId: ctx.tenant.id } });
  if (outcome.response && outcome.response.status >= 400) return outcome.response;
  if (!outcome.actions.length) return outcome.response ?? null;
  const notificationId = (outcome.notificationId ?? `sha256:${crypto.createHash('sha256').update(rawBody).digest('hex')}`).slice(0, 191);
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (KEPT_HEADERS.test(k) && v !== undefined) kept[k] = (Array.isArray(v) ? v.join(', ') : v).slice(0, 1000);
  const id = newId();
  try {
    await scoped(ctx, PaymentWebhookInbox).insert({
      id, provider: providerId, notificationId, headers: kept, rawBody, actions: outcome.actions as unknown[], attempts: 0, lastError: null, receivedAt: new Date().toISOString(), processedAt: null,
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A repeat of a stored notification: answered the same; if the first is still not applied, the scan sees to it.
    ctx.log.info({ provider: providerId, notificationId }, 'payment webhook: a notification already stored');
    return outcome.response ?? null;
  }
  await queueWebhook(ctx, id, id);
  return outcome.response ?? null;
}

async function queueWebhook(ctx: TenantCtx, inboxId: string, jobId: string): Promise<void> {
  try {
    await ctx.kernel.queue.add(WEBHOOK_QUEUE, { tenantId: ctx.tenant.id, requestId: ctx.requestId, inboxId } satisfies WebhookJob, { jobId, attempts: ATTEMPTS, backoffMs: 1000 });
  } catch (err) {
    // Stored: the worker's scan queues it once the queue is back.
    ctx.log.warn({ err, inboxId }, 'payment webhook stored but not queued now; the worker scan will');
  }
}

/** The queue's part: apply each action of one stored notification, then mark it applied. Throws to be retried. */
export async function processWebhook(ctx: TenantCtx, inboxId: string): Promise<'applied' | 'done before' | 'missing'> {
  const row = await scoped(ctx, PaymentWebhookInbox).findById(inboxId);
  if (!row) return 'missing';
  if (row.processedAt) return 'done before';
  try {
    const provider = await ctx.kernel.extensions.provider(ctx, 'payment', row.provider);
    for (const stored of row.actions as WebhookAction[]) {
      // A notification that names the payment only by the gateway's reference (a Stripe charge).
      const byRef = !stored.paymentId && stored.reference ? await scoped(ctx, Payment).where({ provider: row.provider, reference: stored.reference }).first() : undefined;
      const action = byRef ? { ...stored, paymentId: byRef.id } : stored;
      if (action.paymentId && action.action !== 'not_supported' && provider?.admitAction && !(await provider.admitAction(ctx, { ...action, paymentId: action.paymentId }))) continue;
      await applyProviderEvent(ctx, row.provider, action);
    }
  } catch (err) {
    await scoped(ctx, PaymentWebhookInbox).patch({ attempts: row.attempts + 1, lastError: String((err as Error)?.message ?? err).slice(0, 300) }).where('id', inboxId);
    throw err;
  }
  await scoped(ctx, PaymentWebhookInbox).patch({ attempts: row.attempts + 1, lastError: null, processedAt: new Date().toISOString() }).where('id', inboxId);
  return 'applied';
}

/** Queues again what was stored but not applied `olderThanMs` after it arrived (every tenant). */
export async function requeueWebhooks(kernel: Kernel, olderThanMs = REQUEUE_AFTER_MS, now = Date.now()): Promise<number> {
  let queued = 0;
  for (const db of kernel.pool.all()) {
    const rows = (await db('payment_webhook_inbox').select('tenant_id', 'id').whereNull('processed_at').where('received_at', '<=', new Date(now - olderThanMs)).orderBy('received_at').limit(500)) as { tenant_id: string; id: string }[];
    for (const row of rows) {
      const tenant = await kernel.tenants.byId(row.tenant_id);
      // A store being moved is read-only: its notifications wait for the scan after the move.
      if (!tenant || tenant.movingTo) continue;
      const ctx = requireTenant(createSystemCtx(kernel, tenant, { actor: { type: 'system', name: 'payment-webhooks' } }));
      // A fresh job id per scan period: the first job may be over (failed for good) in the queue's eyes.
      await queueWebhook(ctx, row.id, `${row.id}:${Math.floor(now / olderThanMs)}`);
      queued++;
    }
  }
  return queued;
}

/**
 * One queued job: applies a stored notification of its store. A store being moved between
 * databases (`bazaar tenant:move`) is read-only: TenantMovingError, nothing written (not even the
 * attempt count), and the queue retries it; the scan queues it again after the move if the
 * retries ran out first.
 */
export async function runWebhookJob(kernel: Kernel, job: WebhookJob): Promise<'applied' | 'done before' | 'missing' | 'skipped'> {
  const tenant = await kernel.tenants.byId(job.tenantId);
  if (!tenant) return 'skipped';
  assertWritable(tenant);
  const ctx = requireTenant(createSystemCtx(kernel, tenant, { requestId: job.requestId, actor: { type: 'system', name: 'payment-webhooks' } }));
  return processWebhook(ctx, job.inboxId);
}

/** Worker side: consume the webhook queue, and scan for notifications not applied now and then. */
export function processWebhooks(kernel: Kernel, scanEveryMs = 30_000): void {
  kernel.queue.process(WEBHOOK_QUEUE, 2, async (data) => {
    await runWebhookJob(kernel, data as unknown as WebhookJob);
  });
  const scan = () => requeueWebhooks(kernel).catch((err: Error) => kernel.log.debug({ err: err.message }, 'payment webhook scan failed'));
  setInterval(scan, scanEveryMs).unref();
}
