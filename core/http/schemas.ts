// Schema pieces shared by many routes.
export const id = { type: 'string', format: 'uuid' } as const;
export const idParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } } as const;
export const email = { type: 'string', format: 'email', maxLength: 254 } as const;
export const password = { type: 'string', minLength: 10, maxLength: 200, description: 'At least 10 characters' } as const;
export const timestamp = { type: 'string', format: 'date-time' } as const;
export const currency = { type: 'string', pattern: '^[A-Z]{3}$' } as const;
export const locale = { type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' } as const;

/** Cursor pagination: `limit` and an opaque `cursor` from the previous page's `nextCursor`. */
export const pageQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  cursor: { type: 'string', maxLength: 200 },
} as const;

export function page(item: Record<string, unknown>) {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  } as const;
}

export const session = {
  type: 'object',
  required: ['token', 'expiresAt'],
  properties: { token: { type: 'string' }, expiresAt: timestamp, id },
} as const;
