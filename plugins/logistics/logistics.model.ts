import { TenantModel } from '@bazaar/sdk';
import type { ZoneArea } from './zones.js';
import type { Calculator, Eligibility, SubtotalBasis } from './calculators.js';
import type { SlotWindow, Weekday } from './slots/calendar.js';

/** Where methods apply: a set of areas (country, region, postal rules). */
export class LogisticsZone extends TenantModel {
  static override tableName = 'logistics_zones';
  static override jsonAttributes = ['areas'];
  id!: string;
  name!: string;
  areas!: ZoneArea[];
  createdAt!: string;
  updatedAt!: string;
}

/** A shipping method: one zone, eligibility checks and one calculator (or a carrier's live rate). */
export class LogisticsMethod extends TenantModel {
  static override tableName = 'logistics_methods';
  static override jsonAttributes = ['labels', 'eligibility', 'calculator'];
  id!: string;
  zoneId!: string;
  code!: string;
  label!: string;
  labels!: Record<string, string>;
  currency!: string;
  eligibility!: Eligibility;
  calculator!: Calculator;
  subtotalBasis!: SubtotalBasis;
  taxIncluded!: boolean;
  taxRateBp!: number | null;
  minDays!: number | null;
  maxDays!: number | null;
  active!: boolean;
  position!: number;
  createdAt!: string;
  updatedAt!: string;
}

/** A customer's shipping groups (wholesale, vip), for methods limited to groups. */
export class LogisticsCustomerGroup extends TenantModel {
  static override tableName = 'logistics_customer_groups';
  id!: string;
  customerId!: string;
  groupName!: string;
  createdAt!: string;
  updatedAt!: string;
}

/** One purchase attempt of a fulfilment's label (`attempt` grows only after a void). */
export class LogisticsLabel extends TenantModel {
  static override tableName = 'logistics_labels';
  id!: string;
  fulfilmentId!: string;
  orderId!: string;
  attempt!: number;
  idempotencyKey!: string;
  state!: 'buying' | 'bought' | 'failed' | 'voided';
  carrierKind!: 'easypost' | 'cainiao';
  service!: string;
  carrier!: string | null;
  trackingNumber!: string | null;
  trackingUrl!: string | null;
  labelUrl!: string | null;
  externalId!: string | null;
  amount!: number | null;
  currency!: string | null;
  shipmentId!: string | null;
  error!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/** The tracking of one core shipment: its normalized status and the carrier's raw one. */
export class LogisticsTracking extends TenantModel {
  static override tableName = 'logistics_trackings';
  id!: string;
  shipmentId!: string;
  orderId!: string;
  labelId!: string | null;
  source!: 'easypost' | 'cainiao' | 'pickup';
  carrier!: string;
  trackingNumber!: string;
  status!: string;
  rawStatus!: string | null;
  rawDetail!: string | null;
  lastEventAt!: string | null;
  lastChangeAt!: string;
  nextPollAt!: string | null;
  polls!: number;
  createdAt!: string;
  updatedAt!: string;
}

export class LogisticsTrackingEvent extends TenantModel {
  static override tableName = 'logistics_tracking_events';
  id!: string;
  trackingId!: string;
  dedupeKey!: string;
  status!: string;
  rawStatus!: string;
  rawDetail!: string | null;
  occurredAt!: string;
  message!: string | null;
  location!: string | null;
  via!: 'webhook' | 'poll' | 'staff';
  createdAt!: string;
  updatedAt!: string;
}

/** A stock location offered to shoppers as a pickup point. */
export class LogisticsPickupPoint extends TenantModel {
  static override tableName = 'logistics_pickup_points';
  static override jsonAttributes = ['address', 'hours', 'coordinates'];
  id!: string;
  locationId!: string;
  code!: string;
  name!: string;
  address!: Record<string, string>;
  hours!: { day: string; open: string; close: string }[];
  instructions!: string | null;
  fee!: number;
  currency!: string;
  coordinates!: { lat: number; lng: number } | null;
  calendarId!: string | null;
  active!: boolean;
  createdAt!: string;
  updatedAt!: string;
}

/** An order waiting at (or collected from) a pickup point. */
export class LogisticsPickup extends TenantModel {
  static override tableName = 'logistics_pickups';
  id!: string;
  orderId!: string;
  pickupPointId!: string;
  shipmentId!: string;
  code!: string;
  state!: 'ready' | 'picked_up';
  failedTries!: number;
  readyAt!: string;
  pickedUpAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/** Local delivery around a location: a postcode list, or distance bands from an origin point; its own fee and slots. */
export class LogisticsLocalArea extends TenantModel {
  static override tableName = 'logistics_local_areas';
  static override jsonAttributes = ['postalCodes', 'slots', 'origin', 'bands'];
  id!: string;
  code!: string;
  name!: string;
  locationId!: string | null;
  country!: string;
  postalCodes!: string[];
  fee!: number;
  currency!: string;
  freeOver!: number | null;
  slots!: { id: string; label: string }[];
  origin!: { lat: number; lng: number } | null;
  /** By distance: [{ maxKm, fee }] ascending; an address beyond the last band is not served. */
  bands!: { maxKm: number; fee: number }[] | null;
  calendarId!: string | null;
  active!: boolean;
  createdAt!: string;
  updatedAt!: string;
}

/** A remembered geocode of one address (found or not), per store and geocoder. */
export class LogisticsGeocode extends TenantModel {
  static override tableName = 'logistics_geocodes';
  id!: string;
  addressKey!: string;
  geocoder!: string;
  found!: boolean;
  lat!: number | null;
  lng!: number | null;
  expiresAt!: string;
  createdAt!: string;
  updatedAt!: string;
}

/** When a location delivers or hands over: weekdays, windows with capacity, lead time, cutoff. */
export class LogisticsSlotCalendar extends TenantModel {
  static override tableName = 'logistics_slot_calendars';
  static override jsonAttributes = ['days', 'windows', 'cutoff', 'closedDates'];
  id!: string;
  code!: string;
  name!: string;
  timezone!: string;
  days!: Weekday[];
  windows!: SlotWindow[];
  leadMinutes!: number;
  cutoff!: { time: string; daysBefore: number } | null;
  horizonDays!: number;
  closedDates!: string[];
  active!: boolean;
  createdAt!: string;
  updatedAt!: string;
}

/** Orders booked into one dated window of a calendar. */
export class LogisticsSlotUsage extends TenantModel {
  static override tableName = 'logistics_slot_usage';
  id!: string;
  calendarId!: string;
  slotDate!: string;
  windowStart!: string;
  booked!: number;
  createdAt!: string;
  updatedAt!: string;
}

/** The slot an order holds (`held`), until it is cancelled (`released`). */
export class LogisticsSlotReservation extends TenantModel {
  static override tableName = 'logistics_slot_reservations';
  id!: string;
  orderId!: string;
  calendarId!: string;
  slotDate!: string;
  windowStart!: string;
  optionId!: string;
  state!: 'held' | 'released';
  createdAt!: string;
  updatedAt!: string;
}
