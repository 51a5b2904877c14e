import { currencySchema } from '../core/money/currencies.js';
import { email, id, password, timestamp, locale } from '../core/http/schemas.js';

export const slug = { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$', description: 'lowercase letters, digits and dashes; used as {slug}.<base domain>' } as const;
const domain = { type: 'string', maxLength: 253, pattern: '^(?=.{1,253}$)([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$' } as const;
const currencies = { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: currencySchema } as const;
const taxMode = { enum: ['inclusive', 'exclusive'] } as const;
const taxRateBp = { type: 'integer', minimum: 0, maximum: 10000, description: 'basis points: 2000 = 20%' } as const;
const taxRounding = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  description: 'How tax is rounded to the currency’s minor unit: per line then summed (default) or once on the taxable total; half-even (default) or half-up',
  properties: { per: { enum: ['line', 'total'] }, mode: { enum: ['halfEven', 'halfUp'] } },
} as const;

export const tenantOut = {
  type: 'object',
  required: ['id', 'slug', 'name', 'status', 'defaultLocale', 'defaultCurrency', 'currencies', 'placement', 'domains', 'createdAt'],
  properties: {
    id,
    slug: { type: 'string' },
    name: { type: 'string' },
    status: { enum: ['active', 'suspended', 'pending', 'terminated'] },
    defaultLocale: { type: 'string' },
    defaultCurrency: { type: 'string' },
    currencies: { type: 'array', items: { type: 'string' } },
    placement: { type: 'string' },
    taxMode,
    taxRateBp: { type: 'integer' },
    taxRounding,
    settings: { type: 'object' },
    domains: { type: 'array', items: { type: 'string' } },
    createdAt: timestamp,
    updatedAt: timestamp,
  },
} as const;

export const storeOut = {
  type: 'object',
  required: ['slug', 'name', 'defaultLocale', 'defaultCurrency', 'currencies'],
  properties: { slug: { type: 'string' }, name: { type: 'string' }, defaultLocale: { type: 'string' }, defaultCurrency: { type: 'string' }, currencies: { type: 'array', items: { type: 'string' } }, taxMode, taxRateBp: { type: 'integer' }, taxRounding, locales: { type: 'array', items: { type: 'string' } } },
} as const;

export const tenantCreateBody = {
  type: 'object',
  required: ['slug', 'name', 'owner'],
  additionalProperties: false,
  properties: {
    slug,
    name: { type: 'string', minLength: 1, maxLength: 200 },
    defaultLocale: locale,
    defaultCurrency: currencySchema,
    currencies,
    domains: { type: 'array', maxItems: 20, uniqueItems: true, items: domain },
    placement: { type: 'string', pattern: '^[a-z0-9_-]{1,63}$' },
    taxMode,
    taxRateBp,
    taxRounding,
    owner: {
      type: 'object',
      required: ['email', 'name'],
      additionalProperties: false,
      properties: { email, name: { type: 'string', minLength: 1, maxLength: 200 }, password },
    },
  },
} as const;

export const tenantPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    defaultLocale: locale,
    defaultCurrency: currencySchema,
    currencies,
    domains: tenantCreateBody.properties.domains,
    taxMode,
    taxRateBp,
    taxRounding,
  },
} as const;

export const storePatchBody = {
  ...tenantPatchBody,
  properties: { ...tenantPatchBody.properties },
} as const;
delete (storePatchBody.properties as Record<string, unknown>).domains;
