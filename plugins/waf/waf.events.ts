// The audit trail: every block, alert, denied address and rate-limit trip of a store, stored in
// its own rows (redacted: the engine's excerpts never hold a password or card number) and
// listed for its staff. A flood cannot fill the table: past `maxEventsPerMinute` per client
// address the filter still acts and counts, but stores nothing more for that minute.
import { NotFoundError, newId, pageByIdDesc, scoped, type PluginCache, type TenantCtx } from '@bazaar/sdk';
import { redactExcerpt, type InspectResult } from './engine/index.js';
import { WafEvent } from './waf.model.js';
import type { RouteClass } from './waf.settings.js';

export type WafAction = WafEvent['action'];
export const ACTIONS: readonly WafAction[] = ['block', 'alert', 'deny', 'rate_limit'];

export interface EventInput {
  action: WafAction;
  clientIp: string;
  method: string;
  path: string;
  routeClass: RouteClass;
  result?: InspectResult;
  userAgent?: string;
  requestId?: string;
}

export interface EventFilter {
  limit: number;
  cursor?: string;
  action?: WafAction;
  detector?: string;
  ip?: string;
  from?: string;
  to?: string;
}

const MAX_MATCHES = 20;

function eventView(e: WafEvent) {
  return {
    id: e.id,
    createdAt: e.createdAt,
    action: e.action,
    clientIp: e.clientIp,
    method: e.method,
    path: e.path,
    routeClass: e.routeClass,
    detectors: e.detectors.split(',').filter(Boolean),
    ruleIds: e.ruleIds,
    score: e.score,
    excerpt: e.excerpt,
    userAgent: e.userAgent,
    requestId: e.requestId,
  };
}

/** The detectors of a result, strongest first (the first names the metric's `detector`). */
export function detectorsOf(result: InspectResult | undefined): string[] {
  if (!result) return [];
  const byScore = new Map<string, number>();
  for (const m of result.matches) byScore.set(m.detector, (byScore.get(m.detector) ?? 0) + m.score);
  return [...byScore.entries()].sort((a, b) => b[1] - a[1]).map(([d]) => d);
}

export function wafEvents(deps: { cache: PluginCache; maxPerMinute: () => number }) {
  return {
    /** Stores the event unless this address is over its per-minute budget; the id is the answer's either way. */
    async record(ctx: TenantCtx, id: string, e: EventInput): Promise<boolean> {
      // Without the counter (cache down) the event is stored: losing the audit trail is worse.
      const budget = await deps.cache.incr(ctx, `events:${e.clientIp}`, 60).catch(() => ({ count: 0 }));
      if (budget.count > deps.maxPerMinute()) return false;
      const matches = (e.result?.matches ?? []).slice(0, MAX_MATCHES);
      const top = matches.find((m) => m.excerpt);
      await scoped(ctx, WafEvent).insert({
        id,
        action: e.action,
        clientIp: e.clientIp.slice(0, 45),
        method: e.method.slice(0, 16),
        path: redactExcerpt(e.path, 'path', 500),
        routeClass: e.routeClass,
        detectors: `,${detectorsOf(e.result).join(',')},`,
        ruleIds: [...new Set(matches.map((m) => m.ruleId))],
        score: e.result?.score ?? 0,
        excerpt: top ? `${top.location ?? ''}: ${top.excerpt}`.slice(0, 300) : null,
        matches: matches.map((m) => ({ detector: m.detector, ruleId: m.ruleId, score: m.score, location: m.location ?? null, excerpt: m.excerpt ?? null })),
        userAgent: e.userAgent ? redactExcerpt(e.userAgent, 'header.user-agent', 300) : null,
        requestId: e.requestId?.slice(0, 64) ?? null,
        createdAt: new Date().toISOString(),
      } as never);
      return true;
    },

    async list(ctx: TenantCtx, f: EventFilter) {
      const query = scoped(ctx, WafEvent);
      if (f.action) query.where('action', f.action);
      if (f.detector) query.where('detectors', 'like', `%,${f.detector},%`);
      if (f.ip) query.where('client_ip', f.ip);
      if (f.from) query.where('created_at', '>=', new Date(f.from));
      if (f.to) query.where('created_at', '<', new Date(f.to));
      const page = await pageByIdDesc(query, 'id', f.limit, f.cursor);
      return { items: page.items.map(eventView), nextCursor: page.nextCursor };
    },

    async get(ctx: TenantCtx, id: string) {
      const e = await scoped(ctx, WafEvent).findById(id);
      if (!e) throw new NotFoundError('WAF_EVENT_NOT_FOUND', 'No such request-filter event');
      return { ...eventView(e), matches: e.matches };
    },

    /** Retention: rows older than `days` go. */
    async prune(ctx: TenantCtx, days: number): Promise<number> {
      return scoped(ctx, WafEvent).where('created_at', '<', new Date(Date.now() - days * 86_400_000)).delete();
    },

    newId,
  };
}

export type WafEvents = ReturnType<typeof wafEvents>;
