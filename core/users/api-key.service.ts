// API keys for integrations: one tenant, explicit scopes, shown once, stored as a hash.
import type { TenantCtx } from '../context.js';
import { scoped } from '../db/model.js';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors.js';
import { pageByIdDesc } from '../http/pagination.js';
import { ApiKey } from './user.model.js';
import { displayPrefix, issueToken } from './tokens.js';
import { hasPermission } from './roles.js';

export async function createApiKey(ctx: TenantCtx, input: { name: string; scopes: string[]; expiresAt?: string }): Promise<{ key: string; apiKey: ApiKey }> {
  // Nobody hands out more than they hold.
  const granted = ctx.actor.type === 'staff' || ctx.actor.type === 'apiKey' ? ctx.actor.permissions : new Set<string>();
  const excess = input.scopes.filter((s) => !s.includes('*') ? !hasPermission(granted, s) : !granted.has('*') && !granted.has(s));
  if (excess.length) throw new ForbiddenError('SCOPE_EXCEEDS_PERMISSIONS', `You cannot grant scopes you do not hold: ${excess.join(', ')}`, { extra: { scopes: excess } });
  if (input.expiresAt && Date.parse(input.expiresAt) <= Date.now()) {
    throw new InvalidError('VALIDATION_FAILED', 'expiresAt must be in the future', { errors: [{ in: 'body', pointer: '/expiresAt', code: 'past', message: 'body.expiresAt must be in the future' }] });
  }
  const { token, hash } = issueToken('apiKey', ctx.tenant.id);
  const apiKey = await scoped(ctx, ApiKey).insert({
    name: input.name,
    prefix: displayPrefix(token),
    keyHash: hash,
    scopes: input.scopes,
    createdBy: 'id' in ctx.actor ? ctx.actor.id : null,
    expiresAt: input.expiresAt ?? null,
    lastUsedAt: null,
    revokedAt: null,
  });
  return { key: token, apiKey };
}

export async function listApiKeys(ctx: TenantCtx, opts: { limit: number; cursor?: string }) {
  return pageByIdDesc(scoped(ctx, ApiKey), 'id', opts.limit, opts.cursor);
}

export async function revokeApiKey(ctx: TenantCtx, id: string): Promise<void> {
  const key = await scoped(ctx, ApiKey).findById(id);
  if (!key) throw new NotFoundError('API_KEY_NOT_FOUND', 'No such API key');
  if (!key.revokedAt) await scoped(ctx, ApiKey).patch({ revokedAt: new Date().toISOString() }).where('id', id);
}
