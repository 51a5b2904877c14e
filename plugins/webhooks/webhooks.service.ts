// Endpoints, deliveries and attempts. A delivery is created in the subscriber's transaction (so
// each event reaches each endpoint once), then sent by a job: signed, timed, logged, retried on
// the configured schedule. An endpoint that keeps failing past `disableAfterMs` is disabled and
// the store's owners are told.
import type { DomainEvent, NotificationService, PluginApi, PluginJob, TenantCtx } from '@bazaar/sdk';
import { ConflictError, InvalidError, NotFoundError, isSealed, openSecret, pageByIdDesc, scoped, sealSecret, withTransaction } from '@bazaar/sdk';

/**
 * An endpoint's signing secret is sealed at rest (AES-256-GCM, the same key and rotation as
 * write-only plugin settings: BAZAAR_SECRETS_KEY); one stored before sealing reads as it was and
 * is sealed when rotated.
 */
const secretOf = (e: { secret: string }) => (isSealed(e.secret) ? openSecret(e.secret) : e.secret);
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './webhooks.model.js';
import { newSecret, sign } from './signature.js';
import { post, refuseUrl } from './outbound.js';

export interface WebhookOptions {
  /** Delay before each retry after a failed attempt, in ms; its length is the number of retries. */
  retrySchedule: number[];
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterMs: number;
  timeoutMs: number;
  /** How often stores are swept for deliveries whose job was lost (Redis down, a restart). */
  sweepMs: number;
  /** Allow loopback and private targets (development, tests). */
  allowPrivateTargets: boolean;
}

export interface Deps {
  api: PluginApi<string>;
  options: WebhookOptions;
  notifications: NotificationService;
  deliverJob: () => PluginJob<{ deliveryId: string }>;
}

const SELF_EVENTS = 'webhooks.';

export function matches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

function endpointView(e: WebhookEndpoint) {
  return {
    id: e.id, url: e.url, description: e.description, events: e.events, status: e.status, disabledReason: e.disabledReason,
    firstFailureAt: e.firstFailureAt, lastSuccessAt: e.lastSuccessAt, lastFailureAt: e.lastFailureAt, createdAt: e.createdAt, updatedAt: e.updatedAt,
  };
}

function deliveryView(d: WebhookDelivery) {
  return { id: d.id, endpointId: d.endpointId, eventId: d.eventId, eventType: d.eventType, status: d.status, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt, lastStatus: d.lastStatus, createdAt: d.createdAt, updatedAt: d.updatedAt };
}

function attemptView(a: WebhookAttempt) {
  return { id: a.id, number: a.number, trigger: a.trigger, statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, responseExcerpt: a.responseExcerpt, createdAt: a.createdAt };
}

export function webhooksService(deps: Deps) {
  const { options } = deps;

  function checkUrl(url: string): void {
    const why = refuseUrl(url, options.allowPrivateTargets);
    if (why) throw new InvalidError('WEBHOOK_URL_FORBIDDEN', `The endpoint URL ${why}`, { errors: [{ in: 'body', pointer: '/url', code: 'forbidden', message: `body.url ${why}` }] });
  }

  async function endpoint(ctx: TenantCtx, id: string): Promise<WebhookEndpoint> {
    const e = await scoped(ctx, WebhookEndpoint).findById(id);
    if (!e) throw new NotFoundError('WEBHOOK_ENDPOINT_NOT_FOUND', 'No such webhook endpoint');
    return e;
  }

  async function delivery(ctx: TenantCtx, id: string): Promise<WebhookDelivery> {
    const d = await scoped(ctx, WebhookDelivery).findById(id);
    if (!d) throw new NotFoundError('WEBHOOK_DELIVERY_NOT_FOUND', 'No such webhook delivery');
    return d;
  }

  /** Sends one attempt now and records it; returns whether the endpoint answered 2xx. */
  async function attempt(ctx: TenantCtx, d: WebhookDelivery, e: WebhookEndpoint, trigger: 'auto' | 'replay'): Promise<WebhookAttempt> {
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await post(e.url, d.body, {
      'content-type': 'application/json',
      'user-agent': 'Bazaar-Webhooks/1',
      'bazaar-webhook-id': d.id,
      'bazaar-event-id': d.eventId,
      'bazaar-event-type': d.eventType,
      'bazaar-timestamp': String(timestamp),
      'bazaar-signature': sign(secretOf(e), timestamp, d.body),
    }, { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivateTargets });
    const row = await scoped(ctx, WebhookAttempt).insert({
      deliveryId: d.id, number: d.attempts + 1, trigger, statusCode: result.status, durationMs: result.durationMs,
      error: result.error, responseExcerpt: result.excerpt, createdAt: new Date().toISOString(),
    });
    return row;
  }

  const ok = (a: WebhookAttempt) => a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300;

  async function markEndpoint(ctx: TenantCtx, e: WebhookEndpoint, success: boolean): Promise<void> {
    const now = new Date();
    if (success) {
      await scoped(ctx, WebhookEndpoint).patch({ firstFailureAt: null, lastSuccessAt: now.toISOString() }).where('id', e.id);
      return;
    }
    const firstFailureAt = e.firstFailureAt ?? now.toISOString();
    const longFailing = now.getTime() - new Date(firstFailureAt).getTime() >= options.disableAfterMs;
    if (!longFailing || e.status !== 'active') {
      await scoped(ctx, WebhookEndpoint).patch({ firstFailureAt, lastFailureAt: now.toISOString() }).where('id', e.id);
      return;
    }
    const reason = `failing since ${firstFailureAt}`;
    const changed = await scoped(ctx, WebhookEndpoint).patch({ firstFailureAt, lastFailureAt: now.toISOString(), status: 'disabled', disabledReason: reason }).where('id', e.id).where('status', 'active');
    if (!changed) return;
    await deps.api.emit(ctx, 'webhooks.endpointDisabled', { endpointId: e.id, url: e.url, firstFailureAt });
    const vars = { url: e.url, since: firstFailureAt, store: ctx.tenant.name };
    await deps.notifications.notifyOwners(ctx, { subject: deps.api.t(ctx, 'endpointDisabled.subject', vars), text: deps.api.t(ctx, 'endpointDisabled.text', vars) });
    ctx.log.warn({ endpointId: e.id, firstFailureAt }, 'webhook endpoint disabled after failing for too long; owners told');
  }

  return {
    async listEndpoints(ctx: TenantCtx) {
      return { items: (await scoped(ctx, WebhookEndpoint).orderBy('id', 'desc')).map(endpointView) };
    },

    async getEndpoint(ctx: TenantCtx, id: string) {
      return endpointView(await endpoint(ctx, id));
    },

    /** The secret is returned here and on rotation only. */
    async createEndpoint(ctx: TenantCtx, input: { url: string; events: string[]; description?: string }) {
      checkUrl(input.url);
      const secret = newSecret();
      const e = await scoped(ctx, WebhookEndpoint).insert({ url: input.url, events: [...new Set(input.events)], description: input.description ?? null, secret: sealSecret(secret), status: 'active', disabledReason: null, firstFailureAt: null, lastSuccessAt: null, lastFailureAt: null });
      return { endpoint: endpointView(e), secret };
    },

    async updateEndpoint(ctx: TenantCtx, id: string, patch: { url?: string; events?: string[]; description?: string | null; status?: 'active' | 'disabled' }) {
      const before = await endpoint(ctx, id);
      if (patch.url) checkUrl(patch.url);
      const changes: Partial<WebhookEndpoint> = { ...patch };
      if (patch.events) changes.events = [...new Set(patch.events)];
      // Re-enabling starts the failure clock afresh.
      if (patch.status === 'active' && before.status !== 'active') Object.assign(changes, { disabledReason: null, firstFailureAt: null });
      if (patch.status === 'disabled' && before.status !== 'disabled') changes.disabledReason = 'disabled by staff';
      await scoped(ctx, WebhookEndpoint).patch(changes).where('id', id);
      return endpointView(await endpoint(ctx, id));
    },

    async deleteEndpoint(ctx: TenantCtx, id: string) {
      await endpoint(ctx, id);
      await withTransaction(ctx, async (trx) => {
        const ids = (await scoped(trx, WebhookDelivery).where('endpoint_id', id).select('id')).map((d) => d.id);
        for (let i = 0; i < ids.length; i += 500) await scoped(trx, WebhookAttempt).delete().whereIn('delivery_id', ids.slice(i, i + 500));
        await scoped(trx, WebhookDelivery).delete().where('endpoint_id', id);
        await scoped(trx, WebhookEndpoint).delete().where('id', id);
      });
    },

    async rotateSecret(ctx: TenantCtx, id: string) {
      await endpoint(ctx, id);
      const secret = newSecret();
      await scoped(ctx, WebhookEndpoint).patch({ secret: sealSecret(secret) }).where('id', id);
      return { endpoint: endpointView(await endpoint(ctx, id)), secret };
    },

    async listDeliveries(ctx: TenantCtx, q: { limit: number; cursor?: string; endpointId?: string; status?: string; eventType?: string }) {
      const query = scoped(ctx, WebhookDelivery);
      if (q.endpointId) query.where('endpoint_id', q.endpointId);
      if (q.status) query.where('status', q.status);
      if (q.eventType) query.where('event_type', q.eventType);
      const page = await pageByIdDesc(query, 'id', q.limit, q.cursor);
      return { items: page.items.map(deliveryView), nextCursor: page.nextCursor };
    },

    async getDelivery(ctx: TenantCtx, id: string) {
      const d = await delivery(ctx, id);
      const attempts = await scoped(ctx, WebhookAttempt).where('delivery_id', id).orderBy('id');
      return { ...deliveryView(d), body: d.body, attemptLog: attempts.map(attemptView) };
    },

    /** Subscriber: one pending delivery per matching active endpoint, then a job each after commit. */
    async fanOut(ctx: TenantCtx, event: DomainEvent<string, Record<string, unknown>>) {
      if (event.type.startsWith(SELF_EVENTS)) return;
      const endpoints = (await scoped(ctx, WebhookEndpoint).where('status', 'active')).filter((e) => matches(e.events, event.type));
      if (!endpoints.length) return;
      const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, store: ctx.tenant.slug, data: event.payload });
      for (const e of endpoints) {
        const d = await scoped(ctx, WebhookDelivery).insert({ endpointId: e.id, eventId: event.id, eventType: event.type, body, status: 'pending', attempts: 0, nextAttemptAt: new Date().toISOString(), lockExpiresAt: null, lastStatus: null });
        await deps.deliverJob().enqueue(ctx, { deliveryId: d.id }, { jobId: `${d.id}:0` });
      }
    },

    /** Job: claims a due delivery, sends it, and records the outcome and the next try. */
    async deliver(ctx: TenantCtx, deliveryId: string) {
      const now = new Date();
      const claimed = await scoped(ctx, WebhookDelivery)
        .patch({ lockExpiresAt: new Date(now.getTime() + options.timeoutMs + 30_000).toISOString() })
        .where('id', deliveryId)
        .where('status', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((b) => b.whereNull('lock_expires_at').orWhere('lock_expires_at', '<', now));
      if (!claimed) return;
      const d = await delivery(ctx, deliveryId);
      const e = await scoped(ctx, WebhookEndpoint).findById(d.endpointId);
      if (!e || e.status !== 'active') {
        // Held while the endpoint is off; re-enabling it lets the sweep send it.
        await scoped(ctx, WebhookDelivery).patch({ lockExpiresAt: null }).where('id', d.id);
        return;
      }
      const a = await attempt(ctx, d, e, 'auto');
      const attempts = d.attempts + 1;
      const retryIn = options.retrySchedule[attempts - 1];
      const status = ok(a) ? 'succeeded' : retryIn === undefined ? 'failed' : 'pending';
      const nextAttemptAt = status === 'pending' ? new Date(Date.now() + retryIn).toISOString() : null;
      await scoped(ctx, WebhookDelivery).patch({ status, attempts, lastStatus: a.statusCode, nextAttemptAt, lockExpiresAt: null }).where('id', d.id);
      await markEndpoint(ctx, e, ok(a));
      if (status === 'pending') await deps.deliverJob().enqueue(ctx, { deliveryId: d.id }, { delayMs: retryIn, jobId: `${d.id}:${attempts}` });
    },

    /** Staff: send a delivery again now, whatever its state; the answer is the attempt. */
    async replay(ctx: TenantCtx, id: string) {
      const d = await delivery(ctx, id);
      const e = await scoped(ctx, WebhookEndpoint).findById(d.endpointId);
      if (!e) throw new NotFoundError('WEBHOOK_ENDPOINT_NOT_FOUND', 'The endpoint of this delivery is gone');
      if (e.status !== 'active') throw new ConflictError('WEBHOOK_ENDPOINT_DISABLED', 'The endpoint is disabled; enable it before replaying', { extra: { endpointId: e.id } });
      const a = await attempt(ctx, d, e, 'replay');
      await scoped(ctx, WebhookDelivery)
        .patch(ok(a) ? { status: 'succeeded', attempts: d.attempts + 1, lastStatus: a.statusCode, nextAttemptAt: null } : { attempts: d.attempts + 1, lastStatus: a.statusCode })
        .where('id', d.id);
      if (ok(a)) await markEndpoint(ctx, e, true);
      return { delivery: deliveryView(await delivery(ctx, id)), attempt: attemptView(a) };
    },

    /** Schedule: due deliveries whose job never came (Redis down, a restart) are queued again. */
    async sweep(ctx: TenantCtx) {
      const now = new Date();
      const due = await scoped(ctx, WebhookDelivery)
        .where('status', 'pending')
        .where('next_attempt_at', '<=', new Date(now.getTime() - 1000))
        .where((b) => b.whereNull('lock_expires_at').orWhere('lock_expires_at', '<', now))
        .orderBy('next_attempt_at')
        .limit(200);
      const active = new Set((await scoped(ctx, WebhookEndpoint).where('status', 'active').select('id')).map((e) => e.id));
      for (const d of due) if (active.has(d.endpointId)) await deps.deliverJob().enqueue(ctx, { deliveryId: d.id }, { jobId: `${d.id}:${d.attempts}:sweep:${now.getTime()}` });
      return due.length;
    },
  };
}

export type WebhooksService = ReturnType<typeof webhooksService>;
