// The request filter: first middleware after the store is known. In order: the client address
// (X-Forwarded-For only from trusted proxies), the allow and deny lists, the rate limit of the
// route class, then inspection by the engine. It never fails a request by accident: anything
// unexpected is logged, counted, and that request goes through unfiltered (fail open).
import { AppError, TooManyRequestsError, newId, requireTenant } from '../../core/public.js';
import type { Ctx, HttpContext, PluginMetrics, PluginMiddleware, TenantCtx } from '../../core/public.js';
import { clientAddress, decideIpAccess, inspectRequest, parseCidrList, type CidrList, type InspectableRequest, type InspectResult } from './engine/index.js';
import { compileSettings, type CompiledSettings, type WafOptions, type WafSettings } from './waf.settings.js';
import { routeClassOf } from './waf.route-class.js';
import { RateLimiter, type RateDecision } from './waf.rate-limit.js';
import { detectorsOf, type EventInput, type WafAction, type WafEvents } from './waf.events.js';

export interface FilterDeps {
  options: WafOptions;
  settings(ctx: TenantCtx): Promise<WafSettings>;
  events: WafEvents;
  limiter: RateLimiter;
  metrics: PluginMetrics;
}

/** Lowest order of all: the filter runs before every other plugin's middleware. */
export const FILTER_ORDER = -1_000_000;
const LOG_EVERY_MS = 10_000;
/**
 * Compiled settings are kept this long per store: reading and checking them costs more than
 * inspecting a plain request. A change made through this process applies at once (the filter
 * sees the settings request go by); other processes take up to this long, on top of the host's
 * own few seconds.
 */
export const SETTINGS_TTL_MS = 1_000;
/** undefined: the request goes on; an error: the answer. A promise only when I/O was needed. */
type Verdict = AppError | undefined | Promise<AppError | undefined>;

const OWN_ADMIN = /^\/admin\/v1\/plugins\/waf(?:\/|$)/;

export function blockedError(eventId: string): AppError {
  // The answer names no rule: an attacker learns nothing to tune a payload against.
  return new AppError(403, 'REQUEST_BLOCKED', 'The request was refused by the store’s request filter. Quote the event id when asking for help.', { extra: { eventId } });
}

function toInspectable(http: HttpContext): InspectableRequest {
  const request = http.request as { body?: unknown; rawBody?: string };
  return {
    method: http.method,
    path: http.path,
    query: http.query as InspectableRequest['query'],
    headers: http.headers,
    body: request.body,
    rawBody: typeof request.rawBody === 'string' ? request.rawBody : undefined,
  };
}

/**
 * The client address, remembered per peer and X-Forwarded-For value: a shopper's requests
 * repeat them, and parsing addresses costs more than a map lookup. Two generations, so a flood
 * of new values only turns them over.
 */
function clientResolver(trusted: CidrList): (remote: string | undefined, forwarded: string | string[] | undefined) => string {
  const MEMO = 4096;
  let young = new Map<string, { remote: string | undefined; ip: string }>();
  let old = new Map<string, { remote: string | undefined; ip: string }>();
  return (remote, forwarded) => {
    const key = typeof forwarded === 'string' ? forwarded : forwarded === undefined ? '' : undefined;
    if (key === undefined || remote === undefined) return clientAddress(remote, forwarded, trusted) ?? 'unknown';
    let hit = young.get(key);
    if (hit !== undefined && hit.remote === remote) return hit.ip;
    hit = old.get(key);
    if (hit === undefined || hit.remote !== remote) hit = { remote, ip: clientAddress(remote, forwarded, trusted) ?? 'unknown' };
    if (young.size >= MEMO) {
      old = young;
      young = new Map();
    }
    young.set(key, hit);
    return hit.ip;
  };
}

export function filterMiddleware(deps: FilterDeps): PluginMiddleware {
  const trusted = parseCidrList(deps.options.trustedProxies);
  const resolveClient = clientResolver(trusted);
  const lastLogged = new Map<string, number>();
  const compiled = new Map<string, { until: number; cfg: CompiledSettings }>();

  /** The compiled settings of the store if this process has them fresh; else undefined. */
  function cachedSettings(ctx: TenantCtx): CompiledSettings | undefined {
    const hit = compiled.get(ctx.tenant.id);
    return hit !== undefined && hit.until > Date.now() ? hit.cfg : undefined;
  }

  async function loadSettings(ctx: TenantCtx): Promise<CompiledSettings> {
    const cfg = compileSettings(await deps.settings(ctx));
    if (compiled.size >= 10_000) compiled.clear();
    compiled.set(ctx.tenant.id, { until: Date.now() + SETTINGS_TTL_MS, cfg });
    return cfg;
  }

  /** Fail open, loudly but not a log line per request while Redis is away. */
  function failOpen(ctx: Ctx, stage: string, err: unknown): undefined {
    deps.metrics.count(ctx, 'failopen_total', { stage });
    const now = Date.now();
    if ((lastLogged.get(stage) ?? 0) + LOG_EVERY_MS > now) return undefined;
    lastLogged.set(stage, now);
    ctx.log.error({ plugin: 'waf', stage, err }, 'request filter failed; the request went through unfiltered');
    return undefined;
  }

  function count(ctx: Ctx, action: WafAction, detector: string): void {
    deps.metrics.count(ctx, 'requests_total', { action, detector });
  }

  async function store(ctx: TenantCtx, id: string, event: EventInput): Promise<void> {
    try {
      await deps.events.record(ctx, id, event);
    } catch (err) {
      ctx.log.error({ plugin: 'waf', eventId: id, err }, 'could not store a request-filter event');
    }
  }

  async function deny(ctx: TenantCtx, event: EventInput): Promise<AppError> {
    const id = newId();
    count(ctx, 'deny', 'ip');
    await store(ctx, id, event);
    return blockedError(id);
  }

  async function rateLimited(ctx: TenantCtx, decision: Extract<RateDecision, { limited: true }>, event: EventInput): Promise<AppError> {
    count(ctx, 'rate_limit', 'rate');
    // One event per client and window: the trip, not every refused request after it.
    if (decision.first) {
      const id = newId();
      ctx.log.warn({ plugin: 'waf', eventId: id, ip: event.clientIp, routeClass: event.routeClass }, 'rate limit reached');
      await store(ctx, id, { ...event, action: 'rate_limit' });
    }
    return new TooManyRequestsError(decision.retryAfter, 'RATE_LIMITED');
  }

  async function flagged(ctx: TenantCtx, cfg: CompiledSettings, result: InspectResult, event: EventInput): Promise<AppError | undefined> {
    const action: WafAction = cfg.mode === 'block' ? 'block' : 'alert';
    const id = newId();
    count(ctx, action, detectorsOf(result)[0] ?? 'none');
    ctx.log.warn({ plugin: 'waf', eventId: id, action, ip: event.clientIp, score: result.score, rules: result.matches.map((m) => m.ruleId) }, action === 'block' ? 'request blocked' : 'request flagged (monitor mode)');
    const stored = store(ctx, id, { ...event, action, result });
    if (action === 'alert') return undefined; // the shopper does not wait for the audit row
    await stored;
    return blockedError(id);
  }

  function inspect(ctx: TenantCtx, cfg: CompiledSettings, http: HttpContext, event: EventInput): Verdict {
    let result: InspectResult;
    try {
      result = inspectRequest(toInspectable(http), cfg.policy);
    } catch (err) {
      return failOpen(ctx, 'inspection', err);
    }
    return result.blocked ? flagged(ctx, cfg, result, event) : undefined;
  }

  function afterRateLimit(ctx: TenantCtx, cfg: CompiledSettings, http: HttpContext, event: EventInput, decision: RateDecision): Verdict {
    return decision.limited ? rateLimited(ctx, decision, event) : inspect(ctx, cfg, http, event);
  }

  /**
   * What to do with the request: undefined lets it through. An ordinary request is judged
   * without a single await (settings and counters at hand); promises only where I/O is needed.
   */
  function judgeWith(ctx: TenantCtx, cfg: CompiledSettings, http: HttpContext): Verdict {
    let event: EventInput;
    try {
      const clientIp = resolveClient(http.req.socket.remoteAddress, http.headers['x-forwarded-for']);
      event = { action: 'deny', clientIp, method: http.method, path: http.path, routeClass: 'default', userAgent: http.headers['user-agent'], requestId: ctx.requestId };
      const access = cfg.lists ? decideIpAccess(clientIp, cfg.lists) : 'none';
      if (access === 'allow') return undefined;
      if (access === 'deny') return deny(ctx, event);
      event.routeClass = routeClassOf(http.method, http.path, http.query);
    } catch (err) {
      return failOpen(ctx, 'setup', err);
    }
    if (!cfg.rateLimits.enabled) return inspect(ctx, cfg, http, event);
    let decision: RateDecision | Promise<RateDecision>;
    try {
      decision = deps.limiter.hit(ctx, event.routeClass, event.clientIp, cfg.rateLimits[event.routeClass]);
    } catch (err) {
      failOpen(ctx, 'rate_limit', err);
      return inspect(ctx, cfg, http, event);
    }
    if (!(decision instanceof Promise)) return afterRateLimit(ctx, cfg, http, event, decision);
    return decision.then(
      (d) => afterRateLimit(ctx, cfg, http, event, d),
      (err) => {
        failOpen(ctx, 'rate_limit', err);
        return inspect(ctx, cfg, http, event);
      },
    );
  }

  function judge(ctx: Ctx, http: HttpContext): Verdict {
    try {
      const tctx = requireTenant(ctx);
      const cfg = cachedSettings(tctx);
      if (cfg !== undefined) return judgeWith(tctx, cfg, http);
      return loadSettings(tctx).then(
        (loaded) => judgeWith(tctx, loaded, http),
        (err) => failOpen(ctx, 'setup', err),
      );
    } catch (err) {
      return failOpen(ctx, 'setup', err);
    }
  }

  return {
    name: 'filter',
    position: 'afterTenant',
    order: FILTER_ORDER,
    async handle(ctx, http, next) {
      let refusal = judge(ctx, http);
      if (refusal instanceof Promise) refusal = await refusal;
      if (refusal) throw refusal;
      if (http.method === 'GET' || !OWN_ADMIN.test(http.path)) return next();
      try {
        await next();
      } finally {
        // Settings changed, or the filter switched off: forget what this process compiled.
        if (ctx.tenant) compiled.delete(ctx.tenant.id);
      }
    },
  };
}
