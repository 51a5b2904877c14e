// JSON Schemas of the cart, checkout, order and return routes: they validate input, check
// output in tests and document the API.
import { email, id, pageQuery, timestamp } from '../http/schemas.js';
import { currencySchema } from '../money/currencies.js';
import { ORDER_STATUSES, PAYMENT_STATUSES, RETURN_REASONS, RETURN_STATUSES } from './order.types.js';

const str = (max: number, min = 1) => ({ type: 'string', minLength: min, maxLength: max }) as const;
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const nstr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const amount = { type: 'integer', minimum: 1, maximum: 1e15, description: 'minor units of the order currency' } as const;
const quantity = { type: 'integer', minimum: 1, maximum: 9999 } as const;

export const address = {
  type: 'object',
  required: ['name', 'line1', 'city', 'postalCode', 'country'],
  additionalProperties: false,
  properties: {
    name: str(200),
    company: str(200, 0),
    line1: str(300),
    line2: str(300, 0),
    city: str(100),
    region: str(100, 0),
    postalCode: str(20),
    country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' },
    phone: { type: 'string', pattern: '^[0-9+() .-]{3,32}$' },
    coordinates: {
      type: 'object', required: ['lat', 'lng'], additionalProperties: false, description: 'WGS 84 degrees, when the shopper or a map picker gives them (local delivery by distance)',
      properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lng: { type: 'number', minimum: -180, maximum: 180 } },
    },
  },
} as const;

const addressOut = { type: ['object', 'null'] } as const;
const providerRef = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.:-]{0,63}$' } as const;

const checkoutDetails = {
  email,
  currency: currencySchema,
  shippingAddress: nullable(address),
  billingAddress: nullable(address),
  shippingMethod: nullable({ type: 'object', required: ['provider', 'option'], additionalProperties: false, properties: { provider: providerRef, option: providerRef } }),
  paymentMethod: nullable({ type: 'object', required: ['provider', 'method'], additionalProperties: false, properties: { provider: providerRef, method: providerRef } }),
} as const;

/** Who pays, when the method needs to know (WeChat Pay JSAPI: the payer's openid for the store's app). Not stored on the cart. */
const payer = { type: 'object', additionalProperties: false, minProperties: 1, properties: { openid: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } } } as const;
export const paymentChoiceBody = { type: 'object', required: ['provider', 'method'], additionalProperties: false, properties: { provider: providerRef, method: providerRef, payer } } as const;
export const cartCreateBody = { type: 'object', additionalProperties: false, properties: { currency: currencySchema } } as const;
export const cartDetailsBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: checkoutDetails } as const;
export const checkoutBody = {
  type: 'object', additionalProperties: false,
  properties: {
    ...checkoutDetails,
    paymentMethod: nullable({ type: 'object', required: ['provider', 'method'], additionalProperties: false, properties: { provider: providerRef, method: providerRef, payer } }),
    expectedTotal: { type: 'integer', minimum: 0, maximum: 1e16, description: 'the total the shopper was shown (minor units of the cart currency); when the price worked out now differs, nothing is placed and the answer is 409 TOTAL_CHANGED with both' },
  },
} as const;
export const lineBody = { type: 'object', required: ['variantId', 'quantity'], additionalProperties: false, properties: { variantId: id, quantity } } as const;
export const lineQuantityBody = { type: 'object', required: ['quantity'], additionalProperties: false, properties: { quantity } } as const;
export const mergeBody = { type: 'object', required: ['cartId', 'token'], additionalProperties: false, properties: { cartId: id, token: str(100) } } as const;
export const cartLineParams = { type: 'object', required: ['id', 'lineId'], additionalProperties: false, properties: { id, lineId: id } } as const;
export const providerParams = { type: 'object', required: ['provider'], additionalProperties: false, properties: { provider: providerRef } } as const;

export const reasonBody = (required: boolean) =>
  ({ type: 'object', additionalProperties: false, ...(required ? { required: ['reason'] } : {}), properties: { reason: str(500) } }) as const;
export const emptyBody = { type: 'object', additionalProperties: false, properties: {} } as const;
export const releaseBody = { type: 'object', additionalProperties: false, properties: { note: str(500) } } as const;
export const noteBody = { type: 'object', required: ['message'], additionalProperties: false, properties: { message: str(1000) } } as const;
export const confirmPaymentBody = { type: 'object', additionalProperties: false, properties: { amount, note: str(500) } } as const;
const lineQuantities = { type: 'array', minItems: 1, maxItems: 100, items: { type: 'object', required: ['lineId', 'quantity'], additionalProperties: false, properties: { lineId: id, quantity } } } as const;
export const fulfilmentBody = { type: 'object', additionalProperties: false, properties: { lines: lineQuantities } } as const;
export const shipmentBody = {
  type: 'object',
  required: ['carrier', 'trackingNumber'],
  additionalProperties: false,
  properties: { carrier: str(64), trackingNumber: { type: 'string', pattern: '^[A-Za-z0-9 ._/-]{1,100}$' }, trackingUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 500 }, fulfilmentId: id },
} as const;
export const refundBody = { type: 'object', required: ['amount'], additionalProperties: false, properties: { amount, reason: str(500) } } as const;
export const returnBody = {
  type: 'object',
  required: ['lines', 'reason'],
  additionalProperties: false,
  properties: { lines: lineQuantities, reason: { enum: [...RETURN_REASONS] }, note: str(1000) },
} as const;
export const returnNoteBody = { type: 'object', additionalProperties: false, properties: { note: str(1000) } } as const;
export const receiveBody = { type: 'object', additionalProperties: false, properties: { restock: { type: 'boolean' }, note: str(1000) } } as const;
export const returnRefundBody = { type: 'object', additionalProperties: false, properties: { amount, reason: str(500) } } as const;

export const orderListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...pageQuery,
    status: { enum: [...ORDER_STATUSES] },
    customerId: id,
    email,
    placedFrom: { type: 'string', format: 'date-time' },
    placedTo: { type: 'string', format: 'date-time' },
  },
} as const;
export const myOrdersQuery = { type: 'object', additionalProperties: false, properties: { ...pageQuery } } as const;
export const returnListQuery = { type: 'object', additionalProperties: false, properties: { ...pageQuery, status: { enum: [...RETURN_STATUSES] }, orderId: id } } as const;

const moneyMap = { type: 'object', maxProperties: 50, propertyNames: { pattern: '^[A-Z]{3}$' }, additionalProperties: { type: 'integer', minimum: 0, maximum: 1e12 } } as const;
const flatRate = {
  type: 'object',
  required: ['enabled', 'label', 'amounts', 'freeAbove', 'countries'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    label: str(100),
    amounts: moneyMap,
    freeAbove: moneyMap,
    countries: { type: 'array', maxItems: 250, uniqueItems: true, items: { type: 'string', pattern: '^[A-Z]{2}$' } },
    minDays: { type: 'integer', minimum: 0, maximum: 365 },
    maxDays: { type: 'integer', minimum: 0, maximum: 365 },
  },
} as const;
const offlineMethod = { type: 'object', required: ['enabled', 'instructions'], additionalProperties: false, properties: { enabled: { type: 'boolean' }, instructions: str(2000, 0) } } as const;
const settingsProperties = {
  shipping: { type: 'object', required: ['flatRate'], additionalProperties: false, properties: { flatRate } },
  payment: { type: 'object', required: ['offline'], additionalProperties: false, properties: { offline: { type: 'object', required: ['bankTransfer', 'cashOnDelivery'], additionalProperties: false, properties: { bankTransfer: offlineMethod, cashOnDelivery: offlineMethod } } } },
} as const;
export const checkoutSettingsBody = { type: 'object', additionalProperties: false, minProperties: 1, properties: settingsProperties } as const;
export const checkoutSettingsOut = { type: 'object', required: ['shipping', 'payment'], properties: settingsProperties } as const;

// --- output ---------------------------------------------------------------------------

const adjustmentOut = { type: 'object', required: ['source', 'label', 'amount'], properties: { source: { type: 'string' }, code: { type: 'string' }, label: { type: 'string' }, amount: int } } as const;
const totalsOut = {
  type: 'object',
  required: ['subtotal', 'adjustments', 'shipping', 'tax', 'total'],
  properties: { subtotal: int, adjustments: int, shipping: int, tax: int, total: int, paid: int, refunded: int, taxMode: { enum: ['inclusive', 'exclusive'] }, taxRateBp: int },
} as const;

export const cartOut = {
  type: 'object',
  required: ['id', 'status', 'currency', 'lines', 'totals', 'adjustments', 'shippingMethod', 'paymentMethod', 'version'],
  properties: {
    id,
    status: { enum: ['open', 'ordered', 'merged'] },
    currency: { type: 'string' },
    customerId: nstr,
    email: nstr,
    shippingAddress: addressOut,
    billingAddress: addressOut,
    shippingMethod: { type: ['object', 'null'], properties: { provider: { type: 'string' }, option: { type: 'string' }, label: { type: 'string' }, amount: int } },
    shippingIssue: nstr,
    paymentMethod: { type: ['object', 'null'], properties: { provider: { type: 'string' }, method: { type: 'string' } } },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'variantId', 'quantity', 'unitAmount', 'subtotal', 'available', 'issue'],
        properties: {
          id, variantId: id, productId: nstr, sku: nstr, title: nstr, options: { type: 'object' }, quantity: int,
          unitAmount: { type: ['integer', 'null'] }, subtotal: int, available: int, issue: { enum: [null, 'unavailable', 'no_price', 'insufficient_stock'] },
        },
      },
    },
    adjustments: { type: 'array', items: adjustmentOut },
    totals: totalsOut,
    market: { ...nstr, description: 'the market the cart is priced in (cross-border plugin)' },
    rateLock: {
      type: ['object', 'null'], description: 'the exchange rate locked when checkout began; null before, or in the store currency',
      properties: { rate: { type: 'string' }, source: nstr, asOf: nstr, lockedAt: { type: 'string' } },
    },
    orderId: nstr,
    mergedInto: nstr,
    version: int,
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export const cartCreatedOut = { type: 'object', required: ['cart', 'token'], properties: { cart: cartOut, token: { type: ['string', 'null'], description: 'send as X-Cart-Token; shown once, null for a signed-in customer' } } } as const;

export const shippingOptionsOut = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object', required: ['provider', 'id', 'label', 'amount'], properties: { provider: { type: 'string' }, id: { type: 'string' }, label: { type: 'string' }, carrier: { type: 'string' }, minDays: int, maxDays: int, amount: int } } } },
} as const;
export const paymentMethodsOut = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: { type: 'object', required: ['provider', 'id', 'label'], properties: { provider: { type: 'string' }, id: { type: 'string' }, label: { type: 'string' }, description: { type: 'string' } } } } },
} as const;

export const returnOut = {
  type: 'object',
  required: ['id', 'orderId', 'status', 'reason', 'lines', 'refundAmount', 'currency', 'requestedAt'],
  properties: {
    id, orderId: id, status: { enum: [...RETURN_STATUSES] }, reason: { type: 'string' }, note: nstr, response: nstr,
    lines: { type: 'array', items: { type: 'object', required: ['lineId', 'quantity'], properties: { lineId: id, quantity: int } } },
    currency: { type: 'string' }, refundAmount: int, restocked: { type: 'boolean' },
    requestedAt: timestamp, approvedAt: nstr, rejectedAt: nstr, receivedAt: nstr, refundedAt: nstr,
  },
} as const;

export const orderLineOut = {
  type: 'object',
  required: ['id', 'variantId', 'sku', 'title', 'quantity', 'unitAmount', 'subtotal', 'adjustment', 'tax', 'total'],
  properties: {
    id, variantId: id, productId: id, sku: { type: 'string' }, title: { type: 'string' }, options: { type: 'object' }, quantity: int,
    unitAmount: int, subtotal: int, adjustment: int, tax: int, total: int, fulfilledQuantity: int, shippedQuantity: int, returnedQuantity: int,
  },
} as const;

/** The staff order: `lines=none` leaves the lines out (a console pages them from /lines). */
export const orderDetailQuery = { type: 'object', additionalProperties: false, properties: { lines: { enum: ['all', 'none'], default: 'all' } } } as const;

const orderProperties = {
  id, number: int, status: { enum: [...ORDER_STATUSES] }, paymentStatus: { enum: [...PAYMENT_STATUSES] }, email: { type: 'string' }, customerId: nstr,
  currency: { type: 'string' }, baseCurrency: { type: 'string' }, exchangeRate: nstr, exchangeRateSource: nstr, exchangeRateAsOf: nstr, taxMode: { enum: ['inclusive', 'exclusive'] }, taxRateBp: int,
  totals: totalsOut,
  adjustments: { type: 'array', items: adjustmentOut },
  shippingAddress: { type: 'object' },
  billingAddress: { type: 'object' },
  shippingMethod: { type: 'object', required: ['provider', 'option', 'label', 'amount'], properties: { provider: { type: 'string' }, option: { type: 'string' }, label: { type: 'string' }, amount: int } },
  payment: { type: ['object', 'null'], properties: { provider: { type: 'string' }, method: { type: 'string' }, status: { type: 'string' }, action: { type: ['object', 'null'] } } },
  lines: { type: 'array', description: 'Every line (empty with lines=none on the staff API; see lineStats and /lines)', items: orderLineOut },
  shipments: {
    type: 'array',
    items: { type: 'object', required: ['id', 'carrier', 'trackingNumber', 'status', 'shippedAt'], properties: { id, fulfilmentId: id, carrier: { type: 'string' }, trackingNumber: { type: 'string' }, trackingUrl: nstr, status: { type: 'string' }, shippedAt: timestamp, deliveredAt: nstr } },
  },
  returns: { type: 'array', items: returnOut },
  refunds: { type: 'array', items: { type: 'object', required: ['id', 'amount', 'status'], properties: { id, returnId: nstr, amount: int, currency: { type: 'string' }, status: { type: 'string' }, reason: nstr, createdAt: timestamp } } },
  timeline: { type: 'array', items: { type: 'object', required: ['kind', 'at'], properties: { kind: { type: 'string' }, from: nstr, to: nstr, message: nstr, at: timestamp, actor: { type: 'object' }, data: { type: ['object', 'null'] } } } },
  placedAt: timestamp, paidAt: nstr, cancelledAt: nstr, completedAt: nstr, updatedAt: timestamp,
} as const;

const orderRequired = ['id', 'number', 'status', 'paymentStatus', 'currency', 'totals', 'lines', 'shipments', 'returns', 'refunds', 'timeline', 'placedAt'];

export const orderOut = { type: 'object', required: orderRequired, properties: orderProperties } as const;
export const staffOrderOut = {
  type: 'object',
  required: [...orderRequired, 'payments', 'fulfilments'],
  properties: {
    ...orderProperties,
    cartId: id, locale: { type: 'string' }, heldFrom: nstr, holdReason: nstr,
    lineStats: { type: 'object', required: ['count', 'units', 'unfulfilledUnits', 'unshippedUnits'], properties: { count: int, units: int, unfulfilledUnits: int, unshippedUnits: int } },
    payments: { type: 'array', items: { type: 'object', required: ['id', 'provider', 'status', 'amount'], properties: { id, provider: { type: 'string' }, method: { type: 'string' }, status: { type: 'string' }, amount: int, authorizedAmount: int, capturedAmount: int, refundedAmount: int } } },
    fulfilments: { type: 'array', items: { type: 'object', required: ['id', 'status', 'lines'], properties: { id, status: { type: 'string' }, lines: { type: 'array' }, createdAt: timestamp } } },
  },
} as const;

export const orderSummaryOut = {
  type: 'object',
  required: ['id', 'number', 'status', 'paymentStatus', 'currency', 'total', 'placedAt'],
  properties: { id, number: int, status: { enum: [...ORDER_STATUSES] }, paymentStatus: { enum: [...PAYMENT_STATUSES] }, customerId: nstr, email: { type: 'string' }, currency: { type: 'string' }, total: int, placedAt: timestamp, updatedAt: timestamp },
} as const;

export const checkoutOut = {
  type: 'object',
  required: ['order', 'orderToken'],
  properties: { order: orderOut, orderToken: { type: 'string', description: 'send as X-Order-Token to follow the order without signing in; shown once' } },
} as const;

export const shipmentOut = {
  type: 'object',
  required: ['id', 'carrier', 'trackingNumber', 'status'],
  properties: { id, orderId: id, fulfilmentId: id, carrier: { type: 'string' }, trackingNumber: { type: 'string' }, trackingUrl: nstr, status: { type: 'string' }, shippedAt: timestamp },
} as const;
export const fulfilmentOut = { type: 'object', required: ['id', 'status'], properties: { id, orderId: id, status: { type: 'string' } } } as const;
export const refundOut = { type: 'object', required: ['id', 'amount', 'status'], properties: { id, orderId: id, returnId: nstr, amount: int, currency: { type: 'string' }, status: { type: 'string' }, reason: nstr, createdAt: timestamp } } as const;
