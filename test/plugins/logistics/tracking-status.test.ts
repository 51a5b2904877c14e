// Requirement 27: the normalized tracking status, table-driven over every source value of spec
// §2.6, and the order-independent fold of requirement 28.
import { expect } from 'chai';
import { foldStatus, mayMove, normalizeStatus, STATUS_MAP, TRACKING_STATUSES, type TrackingSource, type TrackingStatus } from '../../../plugins/logistics/tracking/status.js';

// Written out from the spec's table, not derived from STATUS_MAP, so a wrong entry there fails here.
const CASES: [TrackingSource, string, string | null, TrackingStatus][] = [
  ['aftership', 'Pending', null, 'unknown'], ['aftership', 'InfoReceived', null, 'info_received'], ['aftership', 'InTransit', null, 'in_transit'],
  ['aftership', 'OutForDelivery', null, 'out_for_delivery'], ['aftership', 'AvailableForPickup', null, 'available_for_pickup'], ['aftership', 'AttemptFail', null, 'attempt_failed'],
  ['aftership', 'Delivered', null, 'delivered'], ['aftership', 'Exception', null, 'exception'], ['aftership', 'Expired', null, 'expired'],
  ['aftership', 'Exception_004', null, 'exception'], ['aftership', 'Delivered_001', null, 'delivered'],
  ['easypost', 'unknown', null, 'unknown'], ['easypost', 'pre_transit', null, 'info_received'], ['easypost', 'in_transit', null, 'in_transit'], ['easypost', 'in_transit', 'arrived_at_facility', 'in_transit'],
  ['easypost', 'out_for_delivery', null, 'out_for_delivery'], ['easypost', 'available_for_pickup', null, 'available_for_pickup'], ['easypost', 'delivered', null, 'delivered'],
  ['easypost', 'return_to_sender', null, 'returned'], ['easypost', 'failure', null, 'exception'], ['easypost', 'cancelled', null, 'canceled'], ['easypost', 'error', null, 'exception'],
  ['shippo', 'UNKNOWN', null, 'unknown'], ['shippo', 'PRE_TRANSIT', null, 'info_received'], ['shippo', 'TRANSIT', null, 'in_transit'],
  ['shippo', 'DELIVERED', null, 'delivered'], ['shippo', 'RETURNED', null, 'returned'], ['shippo', 'FAILURE', null, 'exception'],
  ['17track', 'NotFound', null, 'unknown'], ['17track', 'InfoReceived', null, 'info_received'], ['17track', 'InTransit', null, 'in_transit'],
  ['17track', 'OutForDelivery', null, 'out_for_delivery'], ['17track', 'AvailableForPickup', null, 'available_for_pickup'], ['17track', 'DeliveryFailure', null, 'attempt_failed'],
  ['17track', 'Delivered', null, 'delivered'], ['17track', 'Exception', null, 'exception'], ['17track', 'Expired', null, 'expired'],
  ['17track', 'InTransit_CustomsProcessing', null, 'in_transit'], ['17track', 'NotFound_InvalidCode', null, 'unknown'],
  ['trackingmore', 'pending', null, 'unknown'], ['trackingmore', 'notfound', null, 'unknown'], ['trackingmore', 'notfound', 'notfound001', 'info_received'],
  ['trackingmore', 'inforeceived', null, 'info_received'], ['trackingmore', 'transit', null, 'in_transit'], ['trackingmore', 'pickup', null, 'out_for_delivery'],
  ['trackingmore', 'undelivered', null, 'attempt_failed'], ['trackingmore', 'delivered', null, 'delivered'], ['trackingmore', 'exception', null, 'exception'],
  ['trackingmore', 'exception', 'exception008', 'canceled'], ['trackingmore', 'expired', null, 'expired'],
  ['cainiao', 'CREATE', null, 'info_received'], ['cainiao', 'GOT', null, 'in_transit'], ['cainiao', 'ACCEPT', null, 'in_transit'], ['cainiao', 'DEPARTURE', null, 'in_transit'],
  ['cainiao', 'ARRIVAL', null, 'in_transit'], ['cainiao', 'TRANSPORT', null, 'in_transit'], ['cainiao', 'CC_HO', null, 'in_transit'], ['cainiao', 'DELIVERING', null, 'out_for_delivery'],
  ['cainiao', 'STA_INBOUND', null, 'available_for_pickup'], ['cainiao', 'FAILED', null, 'attempt_failed'], ['cainiao', 'SIGN', null, 'delivered'], ['cainiao', 'REJECT', null, 'exception'],
  ['cainiao', 'TMS_RETURN', null, 'returned'], ['cainiao', 'CANCEL', null, 'canceled'],
];

describe('logistics tracking status (requirement 27)', () => {
  for (const [source, raw, sub, want] of CASES) {
    it(`${source} ${raw}${sub ? `/${sub}` : ''} -> ${want}`, () => expect(normalizeStatus(source, raw, sub)).to.equal(want));
  }

  it('covers every source value of the map, and every normalized status is reachable', () => {
    for (const [source, table] of Object.entries(STATUS_MAP)) {
      for (const raw of Object.keys(table)) expect(CASES.some(([s, r, sub]) => s === source && r === raw && !sub), `${source} ${raw} has a case`).to.equal(true);
    }
    const reached = new Set(CASES.map((c) => c[3]));
    expect(TRACKING_STATUSES.filter((s) => !reached.has(s))).to.deep.equal([]);
  });

  it('keeps anything unmapped as unknown, case-sensitively, and ignores prototype keys', () => {
    expect(normalizeStatus('easypost', 'Delivered')).to.equal('unknown');
    expect(normalizeStatus('shippo', 'toString')).to.equal('unknown');
    expect(normalizeStatus('cainiao', 'SOMETHING_NEW')).to.equal('unknown');
  });
});

describe('logistics tracking fold (requirement 28)', () => {
  const ev = (status: TrackingStatus, day: number) => ({ status, at: `2026-12-0${day}T10:00:00Z` });

  it('ends in the same final status whatever order the events arrive in', () => {
    const stream = [ev('info_received', 1), ev('in_transit', 2), ev('out_for_delivery', 3), ev('delivered', 4)];
    const orders = [stream, [...stream].reverse(), [stream[3], stream[0], stream[2], stream[1]], [stream[1], stream[3], stream[0], stream[2]]];
    for (const o of orders) expect(foldStatus(o)).to.equal('delivered');
  });

  it('never goes back from delivered except to returned or exception', () => {
    // A late scan stamped after delivery (a carrier's replayed in_transit) does not undo delivery.
    expect(foldStatus([ev('delivered', 3), ev('in_transit', 4), ev('out_for_delivery', 5)])).to.equal('delivered');
    expect(foldStatus([ev('in_transit', 1), ev('delivered', 3), ev('returned', 5)])).to.equal('returned');
    expect(foldStatus([ev('delivered', 3), ev('exception', 4)])).to.equal('exception');
    expect(mayMove('delivered', 'in_transit')).to.equal(false);
    expect(mayMove('in_transit', 'unknown')).to.equal(false);
  });
});

describe('logistics texts', () => {
  it('the plugin error titles and the timeline texts of tracking exist in en, zh-CN and ja alike', async () => {
    const fs = await import('node:fs');
    const read = (p: string) => JSON.parse(fs.readFileSync(new URL(p, import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
    const keys = (lng: string) => Object.keys(read(`../../../plugins/logistics/locales/${lng}.json`).errors).sort();
    expect(keys('zh-CN')).to.deep.equal(keys('en'));
    expect(keys('ja')).to.deep.equal(keys('en'));
    // Every code the plugin throws has a title.
    const path = await import('node:path');
    const dir = new URL('../../../plugins/logistics/', import.meta.url);
    const thrown = new Set<string>();
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (!f.endsWith('.ts') || f.startsWith('migrations')) continue;
      const src = fs.readFileSync(new URL(f.split(path.sep).join('/'), dir), 'utf8');
      for (const m of src.matchAll(/(?:Error|AppError)\((?:\d+, )?'([A-Z][A-Z0-9_]+)'/g)) thrown.add(m[1]);
    }
    expect(thrown.size, 'found the thrown codes').to.be.above(20);
    expect([...thrown].filter((c) => !keys('en').includes(c) && !['VALIDATION_FAILED', 'ORDER_NOT_FOUND', 'SHIPPING_OPTION_UNAVAILABLE'].includes(c))).to.deep.equal([]);
    const timeline = (lng: string) => Object.keys(read(`../../../locales/${lng}/orders.json`).timeline).filter((k) => k.startsWith('tracking_')).sort();
    expect(timeline('en')).to.have.length(TRACKING_STATUSES.length + 2);
    for (const s of TRACKING_STATUSES) expect(timeline('en')).to.include(`tracking_${s}`);
    expect(timeline('zh-CN')).to.deep.equal(timeline('en'));
    expect(timeline('ja')).to.deep.equal(timeline('en'));
  });
});
