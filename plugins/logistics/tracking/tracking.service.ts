// Tracking ingestion (requirement 28): carrier events from signed webhooks and from polling land
// in one table, deduplicated on (carrier, tracking number, event time, code); the shipment's
// status is the fold of all its events in the carrier's time order (so arrival order does not
// matter, and delivered only ever gives way to returned or exception). A change is reported to
// the core once (timeline entry the shopper sees, `shipment.updated`, delivery of the shipment
// and of the order). Polling backs off after 48 h without change, stops on a final status, and
// a parcel without any information 30 days after it was handed over is `expired`.
import crypto from 'node:crypto';
import { isUniqueViolation, scoped, withTransaction, type ShipmentWriteService, type TenantCtx } from '@bazaar/sdk';
import { LogisticsTracking, LogisticsTrackingEvent } from '../logistics.model.js';
import type { TrackingUpdate } from '../carriers/types.js';
import type { CarriersService } from '../carriers.service.js';
import { FINAL_STATUSES, foldStatus, normalizeStatus, type TrackingSource, type TrackingStatus } from './status.js';
import { pageBy, timeKey, type PageIn } from '../paging.js';

/** Events shown with each shipment of an order's tracking (the first page; the rest through the events route). */
export const EVENTS_IN_VIEW = 50;

export const trackingClock = {
  offsetMs: 0,
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  },
};

export interface PollOptions {
  /** Between polls of a parcel that is moving. */
  pollEveryMs: number;
  /** Between polls once nothing changed for `backoffAfterMs`. */
  slowPollEveryMs: number;
  backoffAfterMs: number;
  /** No information this long after handover: `expired`, polling stops. */
  expireAfterMs: number;
}

export const DEFAULT_POLL: PollOptions = { pollEveryMs: 4 * 3_600_000, slowPollEveryMs: 12 * 3_600_000, backoffAfterMs: 48 * 3_600_000, expireAfterMs: 30 * 86_400_000 };

export function dedupeKey(source: string, trackingNumber: string, u: { at: string; rawStatus: string; rawDetail: string | null }): string {
  const at = new Date(u.at).toISOString();
  return crypto.createHash('sha256').update([source, trackingNumber, at, u.rawStatus, u.rawDetail ?? ''].join('\u0000')).digest('hex');
}

export const eventView = (e: LogisticsTrackingEvent) => ({ status: e.status, rawStatus: e.rawStatus, rawDetail: e.rawDetail, at: e.occurredAt, message: e.message, location: e.location });

export function trackingView(t: LogisticsTracking, events: LogisticsTrackingEvent[]) {
  return {
    shipmentId: t.shipmentId, carrier: t.carrier, trackingNumber: t.trackingNumber, status: t.status, rawStatus: t.rawStatus, rawDetail: t.rawDetail, lastEventAt: t.lastEventAt,
    events: events.map(eventView),
  };
}

export function trackingService(shipments: ShipmentWriteService, carriers: CarriersService, poll: PollOptions) {
  async function start(ctx: TenantCtx, s: { shipmentId: string; orderId: string; labelId: string | null; source: 'easypost' | 'cainiao' | 'pickup'; carrier: string; trackingNumber: string }): Promise<LogisticsTracking> {
    const now = trackingClock.now();
    try {
      await scoped(ctx, LogisticsTracking).insert({
        ...s, status: 'unknown', rawStatus: null, rawDetail: null, lastEventAt: null, lastChangeAt: now.toISOString(), polls: 0,
        nextPollAt: s.source === 'pickup' ? null : new Date(now.getTime() + poll.pollEveryMs).toISOString(),
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    return (await scoped(ctx, LogisticsTracking).where('shipment_id', s.shipmentId).first())!;
  }

  /** Stores new events (duplicates are dropped), refolds the status and reports a change once. Returns the status. */
  async function ingest(ctx: TenantCtx, t: LogisticsTracking, updates: TrackingUpdate[], via: 'webhook' | 'poll'): Promise<TrackingStatus> {
    const source = t.source as TrackingSource;
    for (const u of updates) {
      if (!u.rawStatus || Number.isNaN(Date.parse(u.at))) continue;
      try {
        await scoped(ctx, LogisticsTrackingEvent).insert({
          trackingId: t.id, dedupeKey: dedupeKey(source, t.trackingNumber, u), status: normalizeStatus(source, u.rawStatus, u.rawDetail), rawStatus: u.rawStatus.slice(0, 64),
          rawDetail: u.rawDetail?.slice(0, 64) ?? null, occurredAt: new Date(u.at).toISOString(), message: u.message?.slice(0, 500) ?? null, location: u.location?.slice(0, 200) ?? null, via,
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // seen before (a webhook retried, or the poll saw it too)
      }
    }
    const events = await scoped(ctx, LogisticsTrackingEvent).where('tracking_id', t.id);
    if (!events.length) return t.status as TrackingStatus; // nothing usable yet (an expired parcel stays expired)
    const status = foldStatus(events.map((e) => ({ status: e.status as TrackingStatus, at: e.occurredAt })));
    if (status === t.status) return status;
    // The event that set the status (the latest of that status), for the raw status and the message.
    const latest = events.filter((e) => e.status === status).sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt))[0];
    const lastEventAt = events.reduce((m, e) => (Date.parse(e.occurredAt) > Date.parse(m) ? e.occurredAt : m), events[0].occurredAt);
    // Compare-and-set: of a webhook and a poll reporting the same change at once, one reports it,
    // in the same transaction as the core's update (both or neither).
    await withTransaction(ctx, async (trx) => {
      const n = await scoped(trx, LogisticsTracking).patch({
        status, rawStatus: latest?.rawStatus ?? null, rawDetail: latest?.rawDetail ?? null, lastEventAt, lastChangeAt: trackingClock.now().toISOString(),
        ...(FINAL_STATUSES.has(status) ? { nextPollAt: null } : {}),
      }).where({ id: t.id, status: t.status });
      if (n === 1) await shipments.update(trx, t.shipmentId, { status, message: latest?.message ?? null, at: latest?.occurredAt ?? lastEventAt });
    });
    return status;
  }

  /** One poll of one parcel at its carrier, then when to ask next. */
  async function pollOne(ctx: TenantCtx, trackingId: string): Promise<void> {
    const t = await scoped(ctx, LogisticsTracking).findById(trackingId);
    if (!t || t.source === 'pickup' || !t.nextPollAt || FINAL_STATUSES.has(t.status as TrackingStatus)) return;
    const now = trackingClock.now();
    const adapter = await carriers.adapter(ctx, t.source);
    let status = t.status as TrackingStatus;
    if (adapter) {
      try {
        status = await ingest(ctx, t, await adapter.track({ trackingNumber: t.trackingNumber, carrier: t.carrier, externalId: t.trackingNumber }), 'poll');
      } catch (err) {
        ctx.log.warn({ err: err instanceof Error ? err.message : String(err), trackingId }, 'tracking poll failed; trying again later');
      }
    }
    const fresh = (await scoped(ctx, LogisticsTracking).findById(trackingId))!;
    const hasNews = Boolean(fresh.lastEventAt);
    if (!hasNews && now.getTime() - Date.parse(fresh.createdAt) >= poll.expireAfterMs) {
      await withTransaction(ctx, async (trx) => {
        const n = await scoped(trx, LogisticsTracking).patch({ status: 'expired', nextPollAt: null, lastChangeAt: now.toISOString() }).where({ id: t.id, status: fresh.status });
        if (n === 1) await shipments.update(trx, t.shipmentId, { status: 'expired', message: null, at: now.toISOString() });
      });
      return;
    }
    if (FINAL_STATUSES.has(status)) return;
    const quiet = now.getTime() - Date.parse(fresh.lastChangeAt) >= poll.backoffAfterMs;
    await scoped(ctx, LogisticsTracking).patch({ polls: fresh.polls + 1, nextPollAt: new Date(now.getTime() + (quiet ? poll.slowPollEveryMs : poll.pollEveryMs)).toISOString() }).where('id', t.id);
  }

  /** Parcels due a poll (at most `limit` per run). */
  async function due(ctx: TenantCtx, limit = 200): Promise<LogisticsTracking[]> {
    return scoped(ctx, LogisticsTracking).whereNotNull('next_poll_at').where('next_poll_at', '<=', trackingClock.now()).orderBy('next_poll_at').limit(limit);
  }

  async function byNumber(ctx: TenantCtx, source: TrackingSource, trackingNumber: string): Promise<LogisticsTracking | undefined> {
    return scoped(ctx, LogisticsTracking).where({ source, tracking_number: trackingNumber }).first();
  }

  /** One shipment's events in the carrier's time order, a page at a time. */
  async function eventsOf(ctx: TenantCtx, trackingId: string, page: PageIn) {
    return pageBy(scoped(ctx, LogisticsTrackingEvent).where('tracking_id', trackingId), [{ column: 'occurred_at', of: (e) => e.occurredAt, toDb: timeKey }, { column: 'id', of: (e) => e.id }], page);
  }

  /** An order's tracked shipments a page at a time (oldest first), each with the first page of its events. */
  async function ofOrder(ctx: TenantCtx, orderId: string, page: PageIn) {
    const p = await pageBy(scoped(ctx, LogisticsTracking).where('order_id', orderId), [{ column: 'id', of: (t) => t.id }], page);
    const items = [];
    for (const t of p.items) {
      const events = await eventsOf(ctx, t.id, { limit: EVENTS_IN_VIEW });
      items.push({ ...trackingView(t, events.items), eventsNextCursor: events.nextCursor });
    }
    return { items, nextCursor: p.nextCursor };
  }

  async function ofShipment(ctx: TenantCtx, shipmentId: string): Promise<LogisticsTracking | undefined> {
    return scoped(ctx, LogisticsTracking).where('shipment_id', shipmentId).first();
  }

  return { start, ingest, pollOne, due, byNumber, ofOrder, ofShipment, eventsOf };
}

export type TrackingService = ReturnType<typeof trackingService>;
