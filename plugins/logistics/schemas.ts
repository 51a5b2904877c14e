// JSON Schemas of the Admin API: every input bounded (sizes, amounts, depths).
import { id, timestamp } from '@bazaar/sdk';

const amount = { type: 'integer', minimum: 0, maximum: 10_000_000_000, description: 'Minor units of the method currency' } as const;
const quantity = { type: 'number', minimum: 0, maximum: 1_000_000_000_000 } as const;
const weightUnit = { enum: ['g', 'kg', 'lb', 'oz'] } as const;
const postal = { type: 'string', minLength: 1, maxLength: 12, pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*\\*?$' } as const;

export const country = { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' } as const;
export const region = { type: 'string', pattern: '^([A-Z]{2}-)?[A-Z0-9]{1,3}$', description: 'ISO 3166-2 subdivision (US-CA or CA)' } as const;

export const area = {
  type: 'object', required: ['country'], additionalProperties: false,
  properties: {
    country, region,
    postalRules: {
      type: 'array', maxItems: 200,
      items: { type: 'object', required: ['start', 'mode'], additionalProperties: false, properties: { start: postal, end: postal, mode: { enum: ['include', 'exclude'] } } },
    },
  },
} as const;

export const zoneBody = {
  type: 'object', required: ['name', 'areas'], additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, areas: { type: 'array', minItems: 1, maxItems: 100, items: area } },
} as const;

export const zoneOut = {
  type: 'object', required: ['id', 'name', 'areas', 'createdAt', 'updatedAt'],
  properties: { id, name: { type: 'string' }, areas: { type: 'array', items: { type: 'object' } }, createdAt: timestamp, updatedAt: timestamp },
} as const;

const bracket = { type: 'object', required: ['min', 'amount'], additionalProperties: false, properties: { min: quantity, max: quantity, amount } } as const;
const brackets = { type: 'array', maxItems: 50, items: bracket } as const;
const above = {
  oneOf: [
    { type: 'object', required: ['mode'], additionalProperties: false, properties: { mode: { const: 'reject' } } },
    { type: 'object', required: ['mode', 'amount'], additionalProperties: false, properties: { mode: { const: 'per_unit' }, amount } },
  ],
} as const;

export const calculator = {
  type: 'object', required: ['type'],
  properties: { type: { enum: ['flat', 'per_item', 'weight', 'order_value', 'dimensional', 'carrier'] } },
  oneOf: [
    { type: 'object', required: ['type', 'amount'], additionalProperties: false, properties: { type: { const: 'flat' }, amount } },
    { type: 'object', required: ['type', 'amount'], additionalProperties: false, properties: { type: { const: 'per_item' }, amount, base: amount } },
    { type: 'object', required: ['type', 'unit', 'brackets'], additionalProperties: false, properties: { type: { const: 'weight' }, unit: weightUnit, brackets, above } },
    { type: 'object', required: ['type', 'brackets'], additionalProperties: false, properties: { type: { const: 'order_value' }, brackets, freeOver: amount } },
    {
      type: 'object', required: ['type', 'weightUnit', 'dimensionUnit', 'divisor', 'brackets'], additionalProperties: false,
      properties: { type: { const: 'dimensional' }, weightUnit: { enum: ['kg', 'lb'] }, dimensionUnit: { enum: ['cm', 'in'] }, divisor: { type: 'integer', minimum: 1, maximum: 100_000, description: '5000 or 6000 (cm/kg); 139 or 166 (in/lb)' }, brackets, above },
    },
    {
      type: 'object', required: ['type', 'carrier'], additionalProperties: false,
      properties: { type: { const: 'carrier' }, carrier: { enum: ['easypost', 'cainiao'] }, services: { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 } }, markup: amount },
    },
  ],
} as const;

const ids = { type: 'array', maxItems: 500, uniqueItems: true, items: id } as const;
const group = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } as const;

export const eligibility = {
  type: 'object', additionalProperties: false,
  properties: {
    weight: { type: 'object', required: ['unit'], additionalProperties: false, properties: { unit: weightUnit, min: quantity, max: quantity } },
    subtotal: { type: 'object', additionalProperties: false, properties: { min: amount, max: amount } },
    excludedProductIds: ids,
    excludedCategoryIds: ids,
    customerGroups: { type: 'array', maxItems: 50, uniqueItems: true, items: group },
  },
} as const;

const days = { type: ['integer', 'null'], minimum: 0, maximum: 365 } as const;

export const methodBody = {
  type: 'object', required: ['zoneId', 'code', 'label', 'currency', 'calculator'], additionalProperties: false,
  properties: {
    zoneId: id,
    code: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'The option id the cart shows (standard, express)' },
    label: { type: 'string', minLength: 1, maxLength: 200 },
    labels: { type: 'object', maxProperties: 30, propertyNames: { pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }, additionalProperties: { type: 'string', minLength: 1, maxLength: 200 } },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    eligibility, calculator,
    subtotalBasis: { enum: ['after_discounts', 'before_discounts'], description: "Which subtotal the free-over threshold, order-value brackets and subtotal check compare: after the order's discounts (default) or before them" },
    taxIncluded: { type: 'boolean' },
    taxRateBp: { type: ['integer', 'null'], minimum: 0, maximum: 10_000 },
    minDays: days, maxDays: days,
    active: { type: 'boolean' },
    position: { type: 'integer', minimum: 0, maximum: 10_000 },
  },
} as const;

export const methodOut = {
  type: 'object', required: ['id', 'zoneId', 'code', 'label', 'currency', 'eligibility', 'calculator', 'taxIncluded', 'active'],
  properties: {
    id, zoneId: id, code: { type: 'string' }, label: { type: 'string' }, labels: { type: 'object' }, currency: { type: 'string' }, eligibility: { type: 'object' }, calculator: { type: 'object' }, subtotalBasis: { enum: ['after_discounts', 'before_discounts'] },
    taxIncluded: { type: 'boolean' }, taxRateBp: { type: ['integer', 'null'] }, minDays: { type: ['integer', 'null'] }, maxDays: { type: ['integer', 'null'] }, active: { type: 'boolean' }, position: { type: 'integer' },
    createdAt: timestamp, updatedAt: timestamp,
  },
} as const;

export const groupsBody = { type: 'object', required: ['groups'], additionalProperties: false, properties: { groups: { type: 'array', maxItems: 50, uniqueItems: true, items: group } } } as const;
export const groupsOut = { type: 'object', required: ['customerId', 'groups'], properties: { customerId: id, groups: { type: 'array', items: { type: 'string' } } } } as const;

export const matchQuery = {
  type: 'object', required: ['country'], additionalProperties: false,
  properties: { country, region, postalCode: { type: 'string', maxLength: 20 } },
} as const;

export const items = (item: Record<string, unknown>) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } }) as const;

// Labels, tracking, pickup in store, local delivery
const weightIn = { type: 'object', required: ['value', 'unit'], additionalProperties: false, properties: { value: { type: 'number', exclusiveMinimum: 0, maximum: 100_000 }, unit: weightUnit } } as const;
const length = { type: 'number', exclusiveMinimum: 0, maximum: 10_000 } as const;
export const buyBody = {
  type: 'object', additionalProperties: false,
  properties: {
    carrier: { enum: ['easypost', 'cainiao'] },
    service: { type: 'string', minLength: 1, maxLength: 100 },
    parcel: {
      type: 'object', required: ['weight'], additionalProperties: false,
      properties: { weight: weightIn, dimensions: { type: 'object', required: ['length', 'width', 'height', 'unit'], additionalProperties: false, properties: { length, width: length, height: length, unit: { enum: ['cm', 'in'] } } } },
    },
    ship: { type: 'boolean', description: 'Hand the parcel over at once (the core shipment with this tracking number)' },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;
export const labelOut = {
  type: 'object', required: ['id', 'fulfilmentId', 'orderId', 'attempt', 'state', 'carrierKind', 'service'],
  properties: {
    id, fulfilmentId: id, orderId: id, attempt: { type: 'integer' }, state: { enum: ['buying', 'bought', 'failed', 'voided'] }, carrierKind: { type: 'string' }, carrier: nullableString, service: { type: 'string' },
    trackingNumber: nullableString, trackingUrl: nullableString, labelUrl: nullableString, amount: { type: ['integer', 'null'] }, currency: nullableString, shipmentId: nullableString, error: nullableString,
    createdAt: timestamp, updatedAt: timestamp,
  },
} as const;

export const trackingEventOut = { type: 'object', properties: { status: { type: 'string' }, rawStatus: { type: 'string' }, rawDetail: nullableString, at: { type: 'string' }, message: nullableString, location: nullableString } } as const;
export const trackingOut = {
  type: 'object', required: ['shipmentId', 'carrier', 'trackingNumber', 'status', 'events'],
  properties: {
    shipmentId: id, carrier: { type: 'string' }, trackingNumber: { type: 'string' }, status: { type: 'string' }, rawStatus: nullableString, rawDetail: nullableString, lastEventAt: nullableString,
    events: { type: 'array', items: trackingEventOut, description: 'The first events in carrier time (at most 50); the rest through .../shipments/:id/events with eventsNextCursor' },
    eventsNextCursor: { type: ['string', 'null'] },
  },
} as const;

const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;
const hours = { type: 'array', maxItems: 21, items: { type: 'object', required: ['day', 'open', 'close'], additionalProperties: false, properties: { day: { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] }, open: hhmm, close: hhmm } } } as const;
const code = { type: 'string', pattern: '^[a-z0-9][a-z0-9_]{0,40}$', description: 'Part of the option id (pickup-<code>, local-<code>-<slot>)' } as const;
const short = (n: number) => ({ type: 'string', minLength: 1, maxLength: n }) as const;
const pointAddress = {
  type: 'object', required: ['line1', 'city', 'postalCode', 'country'], additionalProperties: false,
  properties: { line1: short(200), line2: { type: 'string', maxLength: 200 }, city: short(100), region: { type: 'string', maxLength: 100 }, postalCode: short(20), country, phone: { type: 'string', maxLength: 40 } },
} as const;

export const point = {
  type: 'object', required: ['lat', 'lng'], additionalProperties: false, description: 'WGS 84 degrees',
  properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lng: { type: 'number', minimum: -180, maximum: 180 } },
} as const;
const nullablePoint = { oneOf: [point, { type: 'null' }] } as const;
const calendarRef = { oneOf: [id, { type: 'null' }], description: 'A slot calendar: the cart offers its dated slots with room left' } as const;

export const pickupPointBody = {
  type: 'object', required: ['locationId', 'code', 'name', 'address', 'hours', 'currency'], additionalProperties: false,
  properties: {
    locationId: id, code, name: short(200), address: pointAddress, hours, instructions: { type: ['string', 'null'], maxLength: 500 }, fee: amount, currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    coordinates: nullablePoint, calendarId: calendarRef, active: { type: 'boolean' },
  },
} as const;
export const pickupPointOut = {
  type: 'object', required: ['id', 'locationId', 'code', 'name', 'address', 'hours', 'fee', 'currency', 'active'],
  properties: { id, locationId: id, code: { type: 'string' }, name: { type: 'string' }, address: { type: 'object' }, hours: { type: 'array' }, instructions: nullableString, fee: { type: 'integer' }, currency: { type: 'string' }, coordinates: { type: ['object', 'null'] }, calendarId: nullableString, distanceKm: { type: 'number', description: 'From the point asked for (store list with near=)' }, active: { type: 'boolean' }, createdAt: timestamp, updatedAt: timestamp },
} as const;

const postcodeRule = { type: 'string', minLength: 1, maxLength: 12, pattern: '^[A-Za-z0-9][A-Za-z0-9 -]*\\*?$' } as const;
export const localAreaBody = {
  type: 'object', required: ['code', 'name', 'country', 'currency'], additionalProperties: false,
  properties: {
    code, name: short(200), locationId: { oneOf: [id, { type: 'null' }] }, country,
    postalCodes: { type: 'array', maxItems: 2000, uniqueItems: true, items: postcodeRule, description: 'Where it delivers by postcode (exact or prefix*); with bands, also a filter' },
    origin: { ...nullablePoint, description: 'The point distances are measured from (the store or depot); needed with bands' },
    bands: {
      type: ['array', 'null'], maxItems: 20, description: 'Delivery by distance: the fee of the first band the address falls in; beyond the last, not offered',
      items: { type: 'object', required: ['maxKm', 'fee'], additionalProperties: false, properties: { maxKm: { type: 'number', exclusiveMinimum: 0, maximum: 1000 }, fee: amount } },
    },
    fee: amount, currency: { type: 'string', pattern: '^[A-Z]{3}$' }, freeOver: { oneOf: [amount, { type: 'null' }] },
    slots: { type: 'array', maxItems: 50, description: 'Undated slot labels (9-12), when there is no calendar', items: { type: 'object', required: ['id', 'label'], additionalProperties: false, properties: { id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_]{0,30}$' }, label: short(100) } } },
    calendarId: calendarRef,
    active: { type: 'boolean' },
  },
} as const;
export const localAreaOut = {
  type: 'object', required: ['id', 'code', 'name', 'country', 'postalCodes', 'fee', 'currency', 'slots', 'active'],
  properties: { id, code: { type: 'string' }, name: { type: 'string' }, locationId: nullableString, country: { type: 'string' }, postalCodes: { type: 'array' }, origin: { type: ['object', 'null'] }, bands: { type: ['array', 'null'] }, fee: { type: 'integer' }, currency: { type: 'string' }, freeOver: { type: ['integer', 'null'] }, slots: { type: 'array' }, calendarId: nullableString, active: { type: 'boolean' }, createdAt: timestamp, updatedAt: timestamp },
} as const;

export const pickupOut = {
  type: 'object', required: ['orderId', 'state', 'readyAt', 'point'],
  properties: { orderId: id, state: { enum: ['ready', 'picked_up'] }, readyAt: timestamp, pickedUpAt: { oneOf: [timestamp, { type: 'null' }] }, code: { type: 'string' }, point: { type: ['object', 'null'] } },
} as const;
export const collectBody = { type: 'object', required: ['code'], additionalProperties: false, properties: { code: { type: 'string', pattern: '^[0-9]{6}$' } } } as const;
const slotOut = {
  type: 'object', required: ['date', 'start', 'end', 'state'],
  properties: { date: { type: 'string' }, start: { type: 'string' }, end: nullableString, timezone: nullableString, state: { enum: ['held', 'released'] } },
} as const;
export const orderTrackingOut = { type: 'object', required: ['items', 'nextCursor', 'pickup', 'slot'], properties: { items: { type: 'array', items: trackingOut }, nextCursor: { type: ['string', 'null'] }, pickup: { oneOf: [pickupOut, { type: 'null' }] }, slot: { oneOf: [slotOut, { type: 'null' }] } } } as const;

// Slot calendars
const day = { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' } as const;
export const calendarBody = {
  type: 'object', required: ['code', 'name', 'timezone', 'days', 'windows'], additionalProperties: false,
  properties: {
    code, name: short(200),
    timezone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA timezone of the windows (Europe/Paris)' },
    days: { type: 'array', minItems: 1, maxItems: 7, uniqueItems: true, items: day },
    windows: {
      type: 'array', minItems: 1, maxItems: 24,
      items: { type: 'object', required: ['start', 'end', 'capacity'], additionalProperties: false, properties: { start: hhmm, end: hhmm, capacity: { type: 'integer', minimum: 1, maximum: 100_000, description: 'Orders the window takes per date' } } },
    },
    leadMinutes: { type: 'integer', minimum: 0, maximum: 20_160, description: 'A window must start at least this long after the order (default 60)' },
    cutoff: {
      oneOf: [{ type: 'null' }, { type: 'object', required: ['time', 'daysBefore'], additionalProperties: false, properties: { time: hhmm, daysBefore: { type: 'integer', minimum: 0, maximum: 14 } } }],
      description: "A date's windows close at this local time, daysBefore days earlier",
    },
    horizonDays: { type: 'integer', minimum: 1, maximum: 60, description: 'Days ahead offered, today included (default 7)' },
    closedDates: { type: 'array', maxItems: 366, uniqueItems: true, items: isoDate },
    active: { type: 'boolean' },
  },
} as const;
export const calendarOut = {
  type: 'object', required: ['id', 'code', 'name', 'timezone', 'days', 'windows', 'leadMinutes', 'horizonDays', 'closedDates', 'active'],
  properties: {
    id, code: { type: 'string' }, name: { type: 'string' }, timezone: { type: 'string' }, days: { type: 'array' }, windows: { type: 'array' }, leadMinutes: { type: 'integer' }, cutoff: { type: ['object', 'null'] },
    horizonDays: { type: 'integer' }, closedDates: { type: 'array' }, active: { type: 'boolean' }, createdAt: timestamp, updatedAt: timestamp,
  },
} as const;
export const slotsOut = {
  type: 'object', required: ['items'],
  properties: {
    items: {
      type: 'array',
      items: { type: 'object', required: ['date', 'start', 'end', 'startsAt', 'endsAt', 'capacity', 'booked', 'remaining'], properties: { date: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, startsAt: timestamp, endsAt: timestamp, capacity: { type: 'integer' }, booked: { type: 'integer' }, remaining: { type: 'integer' } } },
    },
  },
} as const;
