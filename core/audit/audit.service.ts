// The audit trail of admin acts: written next to the change (recordAudit) or, for an admin
// route whose service wrote nothing, by the router from the request (recordRouteAudit); read by
// platform admins (every entry) and by a store's staff (that store's entries), filtered, and
// exported as CSV.
import type { Ctx } from '../context.js';
import { pageByIdDesc } from '../http/pagination.js';
import { AuditEntry } from './audit.model.js';

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Why, as the admin gave it (a hold, a cancel, a refund, a rejection). */
  reason?: string | null;
}

/**
 * Requests the router watches (by request id, since services derive ctxs of their own, e.g. in a
 * transaction): true once the handler wrote its own entry, and the router then adds none.
 */
const watched = new Map<string, boolean>();

export function watchAudit(requestId: string): void {
  watched.set(requestId, false);
}

/** Ends the watch; whether the request wrote an entry of its own. */
export function endAuditWatch(requestId: string): boolean {
  const wrote = watched.get(requestId) === true;
  watched.delete(requestId);
  return wrote;
}

/**
 * Writes one entry to the control database's trail. A caller in a transaction on that database
 * writes it in that transaction: the entry stands or falls with the change it records, and on
 * SQLite (one connection) a write around the transaction would wait for itself.
 */
export async function recordAudit(ctx: Ctx, input: AuditInput): Promise<void> {
  const actor = ctx.actor;
  if (watched.has(ctx.requestId)) watched.set(ctx.requestId, true);
  const control = ctx.kernel.pool.control;
  const db = ctx.db && ctx.db.client.config === control.client.config ? ctx.db : control;
  await AuditEntry.query(db).insert({
    actorType: actor.type,
    actorId: 'id' in actor ? actor.id : actor.type === 'system' ? actor.name : null,
    action: String(input.action).slice(0, 64),
    targetType: String(input.targetType).slice(0, 32),
    targetId: input.targetId === null || input.targetId === undefined ? null : String(input.targetId).slice(0, 64),
    tenantId: input.tenantId ?? null,
    before: (input.before ?? null) as never,
    after: (input.after ?? null) as never,
    reason: input.reason ? input.reason.slice(0, 500) : null,
    requestId: ctx.requestId,
  });
}

/** Keys whose values never reach the trail: passwords, secrets, tokens, keys. */
const SECRET_KEY = /pass|secret|token|key|cert|private|credential|signature|cvc|card/i;
const MAX_AFTER_CHARS = 8_000;
const MAX_BEFORE_CHARS = 16_000;

/** The request body as the trail keeps it: secrets replaced, plugin settings by name only, bounded in size. */
export function redactForAudit(value: unknown, path: string, depth = 0): unknown {
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactForAudit(v, path, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      // A plugin's settings may hold secrets under any name its schema picks.
      if (SECRET_KEY.test(k) || (k === 'settings' && /\/plugins\//.test(path))) out[k] = v === null || v === undefined ? v : v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).map((n) => [n, '[redacted]'])) : '[redacted]';
      else out[k] = redactForAudit(v, path, depth + 1);
    }
    return out;
  }
  return value;
}

export interface RouteAuditInput {
  method: string;
  /** The route's declared path, e.g. `/admin/v1/orders/:id/hold`. */
  path: string;
  params: Record<string, string>;
  body: unknown;
  /** The answer's body: a created entity's id is taken from it. */
  result: unknown;
  /** The entity as its GET route showed it before the change (undefined: none). */
  before?: unknown;
}

/**
 * An entry for a state-changing admin request: the action is the method and the route path
 * under its version (`POST /orders/:id/hold`), the entity the path's first segment and its id,
 * `before` the entity as its GET route showed it (redacted), `after` what was asked (redacted),
 * `reason` a `reason` the body gave.
 */
export async function recordRouteAudit(ctx: Ctx, input: RouteAuditInput): Promise<void> {
  const rest = input.path.replace(/^\/(admin|platform)\/v\d+/, '');
  const segments = rest.split('/').filter(Boolean);
  const firstParam = segments.find((s) => s.startsWith(':'));
  const result = input.result as { id?: unknown } | undefined;
  const targetId = firstParam ? input.params[firstParam.slice(1)] : typeof result?.id === 'string' ? result.id : null;
  const body = input.body as { reason?: unknown } | undefined;
  let after = input.body === undefined ? null : redactForAudit(input.body, input.path);
  if (after !== null && JSON.stringify(after).length > MAX_AFTER_CHARS) after = { truncated: true };
  let before = input.before === undefined ? null : redactForAudit(input.before, input.path);
  if (before !== null && JSON.stringify(before).length > MAX_BEFORE_CHARS) before = { truncated: true };
  await recordAudit(ctx, {
    action: `${input.method} ${rest}`,
    targetType: segments[0] ?? 'admin',
    targetId: targetId ?? null,
    tenantId: ctx.tenant?.id ?? null,
    before,
    after,
    reason: typeof body?.reason === 'string' ? body.reason : null,
  });
}

export interface AuditFilter {
  tenantId?: string;
  /** Exact, or a prefix ending in `*` (`tenant.*`, `POST /orders*`). */
  action?: string;
  actorType?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  requestId?: string;
  /** ISO date-times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

function filtered(ctx: Ctx, f: AuditFilter) {
  const q = AuditEntry.query(ctx.kernel.pool.control);
  if (f.tenantId) q.where('tenant_id', f.tenantId);
  if (f.action) {
    if (f.action.endsWith('*')) q.where('action', 'like', `${f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    else q.where('action', f.action);
  }
  if (f.actorType) q.where('actor_type', f.actorType);
  if (f.actorId) q.where('actor_id', f.actorId);
  if (f.targetType) q.where('target_type', f.targetType);
  if (f.targetId) q.where('target_id', f.targetId);
  if (f.requestId) q.where('request_id', f.requestId);
  if (f.from) q.where('created_at', '>=', new Date(f.from));
  if (f.to) q.where('created_at', '<', new Date(f.to));
  return q;
}

export async function listAudit(ctx: Ctx, opts: AuditFilter & { limit: number; cursor?: string }) {
  return pageByIdDesc(filtered(ctx, opts), 'id', opts.limit, opts.cursor);
}

export const AUDIT_EXPORT_MAX_ROWS = 10_000;
const CSV_COLUMNS = ['createdAt', 'actorType', 'actorId', 'action', 'targetType', 'targetId', 'tenantId', 'reason', 'requestId', 'before', 'after'] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  // A cell a spreadsheet would run as a formula is kept as text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The filtered entries as CSV, newest first, at most AUDIT_EXPORT_MAX_ROWS; `truncated` says whether more matched. */
export async function exportAudit(ctx: Ctx, f: AuditFilter): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const rows = await filtered(ctx, f).orderBy('id', 'desc').limit(AUDIT_EXPORT_MAX_ROWS + 1);
  const kept = rows.slice(0, AUDIT_EXPORT_MAX_ROWS);
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of kept) lines.push(CSV_COLUMNS.map((c) => csvCell((r as unknown as Record<string, unknown>)[c])).join(','));
  return { csv: lines.join('\r\n') + '\r\n', rows: kept.length, truncated: rows.length > AUDIT_EXPORT_MAX_ROWS };
}
