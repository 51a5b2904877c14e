// The normalized tracking status (requirement 27) and its mapping from each carrier's or
// aggregator's own status set (spec §2.6). The mapping is lossy, so the raw status and sub-status
// are always kept next to the normalized one.

export const TRACKING_STATUSES = [
  'unknown', 'info_received', 'in_transit', 'out_for_delivery', 'available_for_pickup', 'attempt_failed', 'delivered', 'exception', 'returned', 'expired', 'canceled',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export const TRACKING_SOURCES = ['aftership', 'easypost', 'shippo', '17track', 'trackingmore', 'cainiao'] as const;
export type TrackingSource = (typeof TRACKING_SOURCES)[number];

/** Polling stops here; `delivered` may still move on to `returned` or `exception` by webhook. */
export const FINAL_STATUSES: ReadonlySet<TrackingStatus> = new Set(['delivered', 'returned', 'canceled', 'expired']);

/** Main statuses per source, exactly as each spells them. */
export const STATUS_MAP: Readonly<Record<TrackingSource, Readonly<Record<string, TrackingStatus>>>> = {
  // AfterShip `tag` (9 values); subtags such as `Exception_004` map through their main tag.
  aftership: {
    Pending: 'unknown', InfoReceived: 'info_received', InTransit: 'in_transit', OutForDelivery: 'out_for_delivery', AvailableForPickup: 'available_for_pickup',
    AttemptFail: 'attempt_failed', Delivered: 'delivered', Exception: 'exception', Expired: 'expired',
  },
  // EasyPost Tracker `status` (10 values). No top-level "failed attempt": `failure` is an exception (lossy, as the spec says).
  easypost: {
    unknown: 'unknown', pre_transit: 'info_received', in_transit: 'in_transit', out_for_delivery: 'out_for_delivery', available_for_pickup: 'available_for_pickup',
    delivered: 'delivered', return_to_sender: 'returned', failure: 'exception', cancelled: 'canceled', error: 'exception',
  },
  // Shippo `tracking_status` (6 values); out for delivery and pickup arrive as TRANSIT.
  shippo: { UNKNOWN: 'unknown', PRE_TRANSIT: 'info_received', TRANSIT: 'in_transit', DELIVERED: 'delivered', RETURNED: 'returned', FAILURE: 'exception' },
  // 17TRACK main status (9 values); sub-statuses such as `InTransit_CustomsProcessing` map through their main status.
  '17track': {
    NotFound: 'unknown', InfoReceived: 'info_received', InTransit: 'in_transit', OutForDelivery: 'out_for_delivery', AvailableForPickup: 'available_for_pickup',
    DeliveryFailure: 'attempt_failed', Delivered: 'delivered', Exception: 'exception', Expired: 'expired',
  },
  // TrackingMore `delivery_status`.
  trackingmore: {
    pending: 'unknown', notfound: 'unknown', inforeceived: 'info_received', transit: 'in_transit', pickup: 'out_for_delivery', undelivered: 'attempt_failed',
    delivered: 'delivered', exception: 'exception', expired: 'expired',
  },
  // Cainiao-style trace `action`s (the adapter's fake speaks these; not verified against a real account).
  cainiao: {
    CREATE: 'info_received', GOT: 'in_transit', ACCEPT: 'in_transit', DEPARTURE: 'in_transit', ARRIVAL: 'in_transit', TRANSPORT: 'in_transit', CC_HO: 'in_transit',
    DELIVERING: 'out_for_delivery', STA_INBOUND: 'available_for_pickup', FAILED: 'attempt_failed', SIGN: 'delivered', REJECT: 'exception', TMS_RETURN: 'returned', CANCEL: 'canceled',
  },
};

/** Sub-statuses that say more than their main status. */
export const SUB_STATUS_MAP: Readonly<Partial<Record<TrackingSource, Readonly<Record<string, TrackingStatus>>>>> = {
  trackingmore: { notfound001: 'info_received', exception008: 'canceled' },
};

/** The normalized status of a carrier's raw status (and sub-status); `unknown` for anything unmapped. */
export function normalizeStatus(source: TrackingSource, raw: string, sub?: string | null): TrackingStatus {
  const subHit = sub ? SUB_STATUS_MAP[source]?.[sub] : undefined;
  if (subHit) return subHit;
  const table = STATUS_MAP[source];
  if (Object.hasOwn(table, raw)) return table[raw];
  // AfterShip subtags (`Delivered_001`) and 17TRACK sub-statuses (`InTransit_PickedUp`) given as the status.
  const main = raw.split('_')[0];
  if ((source === 'aftership' || source === '17track') && Object.hasOwn(table, main)) return table[main];
  return 'unknown';
}

export interface StatusEvent {
  status: TrackingStatus;
  /** ISO time the carrier gives the event. */
  at: string;
}

/** May a parcel at `from` move to `to`? Never back from `delivered` except to `returned` or `exception`; `unknown` never overrides a known status. */
export function mayMove(from: TrackingStatus, to: TrackingStatus): boolean {
  if (to === 'unknown' && from !== 'unknown') return false;
  if (from === 'delivered') return to === 'delivered' || to === 'returned' || to === 'exception';
  if (from === 'returned' || from === 'canceled') return to === from;
  return true;
}

/**
 * The status a set of events leads to, whatever order they arrived in: the events in the
 * carrier's time order (equal times in the order of TRACKING_STATUSES), each taken only when
 * mayMove() allows it from the status so far.
 */
export function foldStatus(events: readonly StatusEvent[], start: TrackingStatus = 'unknown'): TrackingStatus {
  const rank = (s: TrackingStatus) => TRACKING_STATUSES.indexOf(s);
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a.status) - rank(b.status));
  let cur = start;
  for (const e of sorted) if (mayMove(cur, e.status)) cur = e.status;
  return cur;
}
