import { email, id, password, timestamp, locale } from '../http/schemas.js';
import { ROLES } from './roles.js';

export const staffOut = {
  type: 'object',
  required: ['id', 'email', 'name', 'role', 'status', 'createdAt'],
  properties: { id, email: { type: 'string' }, name: { type: 'string' }, role: { enum: [...ROLES] }, status: { enum: ['active', 'disabled'] }, createdAt: timestamp, updatedAt: timestamp },
} as const;

export const customerOut = {
  type: 'object',
  required: ['id', 'email', 'name', 'createdAt'],
  properties: { id, email: { type: 'string' }, name: { type: 'string' }, locale: { type: ['string', 'null'] }, createdAt: timestamp, updatedAt: timestamp },
} as const;

export const loginBody = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: { email: { type: 'string', minLength: 1, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const staffLoginBody = {
  ...loginBody,
  properties: { ...loginBody.properties, tenant: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$', description: 'Store slug, when neither the Host nor X-Tenant names it' } },
} as const;

export const signupBody = {
  type: 'object',
  required: ['email', 'password', 'name'],
  additionalProperties: false,
  properties: { email, password, name: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export const passwordChangeBody = {
  type: 'object',
  required: ['currentPassword', 'newPassword'],
  additionalProperties: false,
  properties: { currentPassword: { type: 'string', minLength: 1, maxLength: 200 }, newPassword: password },
} as const;

export const resetRequestBody = {
  type: 'object',
  required: ['email'],
  additionalProperties: false,
  properties: { email: { type: 'string', minLength: 1, maxLength: 254 }, tenant: staffLoginBody.properties.tenant },
} as const;

export const resetConfirmBody = {
  type: 'object',
  required: ['token', 'password'],
  additionalProperties: false,
  properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, password },
} as const;

export const meCustomerPatch = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, locale },
} as const;

export const staffCreateBody = {
  type: 'object',
  required: ['email', 'name', 'role'],
  additionalProperties: false,
  properties: { email, name: { type: 'string', minLength: 1, maxLength: 200 }, role: { enum: [...ROLES] }, password },
} as const;

export const staffPatchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, role: { enum: [...ROLES] }, status: { enum: ['active', 'disabled'] } },
} as const;

export const apiKeyOut = {
  type: 'object',
  required: ['id', 'name', 'prefix', 'scopes', 'createdAt'],
  properties: {
    id,
    name: { type: 'string' },
    prefix: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    expiresAt: { type: ['string', 'null'] },
    lastUsedAt: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'] },
    createdAt: timestamp,
    createdBy: { type: ['string', 'null'] },
    updatedAt: timestamp,
  },
} as const;

export const apiKeyCreateBody = {
  type: 'object',
  required: ['name', 'scopes'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    scopes: { type: 'array', minItems: 1, maxItems: 50, uniqueItems: true, items: { type: 'string', pattern: '^([a-z][a-z0-9-]*|\\*):(read|write|\\*)$' } },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const platformAdminOut = {
  type: 'object',
  required: ['id', 'email', 'name', 'createdAt'],
  properties: { id: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string' } },
} as const;

export const platformAdminCreateBody = {
  type: 'object',
  required: ['email', 'name', 'password'],
  additionalProperties: false,
  properties: { email, name: { type: 'string', minLength: 1, maxLength: 200 }, password },
} as const;
