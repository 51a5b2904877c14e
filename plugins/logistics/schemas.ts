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
    id, zoneId: id, code: { type: 'string' }, label: { type: 'string' }, labels: { type: 'object' }, currency: { type: 'string' }, eligibility: { type: 'object' }, calculator: { type: 'object' },
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
