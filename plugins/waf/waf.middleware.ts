// The request filter: first middleware after the store is known. In order: the client address
// (X-Forwarded-For only from trusted proxies), the allow and deny lists, the rate limit of the
// route class, then inspection by the engine. It never fails a request by accident: anything
// unexpected is logged, counted, and that request goes through unfiltered (fail open).
import { AppError, TooManyRequestsError, newId, requireTenant } from '@bazaar/sdk';
import type { Ctx, HttpContext, PluginMetrics, PluginMiddleware, Tenant, TenantCtx } from '@bazaar/sdk';
import { clientAddress, decideIpAccess, inspectRequest, parseCidrList, parseQueryString, recallClean, type InspectableRequest, type InspectResult } from './engine/index.js';
import { compileSettings, type CompiledSettings, type RouteClass, type WafOptions, type WafSettings } from './waf.settings.js';
import { routeClassOf } from './waf.route-class.js';
import { NOT_LIMITED, RateLimiter, type RateDecision, type StoreSlots } from './waf.rate-limit.js';
import { detectorsOf, type EventInput, type WafAction, type WafEvents } from './waf.events.js';

export interface FilterDeps {
  options: WafOptions;
  events: WafEvents;
  limiter: RateLimiter;
  metrics: PluginMetrics;
}

/** Lowest order of all: the filter runs before every other plugin's middleware. */
export const FILTER_ORDER = -1_000_000;
const LOG_EVERY_MS = 10_000;
/** undefined: the request goes on; an error: the answer. A promise only when I/O was needed. */
type Verdict = AppError | undefined | Promise<AppError | undefined>;

export function blockedError(eventId: string): AppError {
  // The answer names no rule: an attacker learns nothing to tune a payload against.
  return new AppError(403, 'REQUEST_BLOCKED', 'The request was refused by the store’s request filter. Quote the event id when asking for help.', { extra: { eventId } });
}

type Query = InspectableRequest['query'];
const NO_QUERY: Query = Object.freeze({});
const QUERY_MEMO_ENTRIES = 1000;
const QUERY_MEMO_LENGTH = 512;
/**
 * Parsed query strings by their text. The filter parses the raw bytes itself (`parseQueryString`:
 * Koa's parser turns bytes that are not valid UTF-8 into U+FFFD, hiding `%c0%af` and the like);
 * storefront traffic repeats a few (`limit=20`), so it keeps them. Frozen: every request that
 * shares one only reads it.
 */
const queries = new Map<string, Query>();

function queryOf(http: HttpContext): Query {
  const raw = http.querystring;
  if (raw === '') return NO_QUERY;
  if (raw.length > QUERY_MEMO_LENGTH) return parseQueryString(raw);
  let query = queries.get(raw);
  if (query === undefined) {
    query = parseQueryString(raw);
    for (const value of Object.values(query)) if (Array.isArray(value)) Object.freeze(value);
    Object.freeze(query);
    if (queries.size >= QUERY_MEMO_ENTRIES) queries.clear();
    queries.set(raw, query);
  }
  return query;
}

/**
 * The engine's view of the request. Path and query start empty: a request found clean before
 * needs neither (judgeWith fills them in when it has to be judged); its target stands for both.
 */
function toInspectable(http: HttpContext): InspectableRequest {
  const request = http.request as { body?: unknown; rawBody?: string };
  const req = http.req;
  return {
    method: req.method ?? 'GET',
    path: '',
    query: NO_QUERY,
    // Koa's path and query are parsed from it: it stands for both in the engine's memo.
    url: req.url,
    headers: req.headers,
    body: request.body,
    rawBody: typeof request.rawBody === 'string' ? request.rawBody : undefined,
  };
}

/**
 * What this process keeps per store: its compiled settings and its place in the rate limiter,
 * made by the plugin host from the store's settings and kept with its plugin row (`prepare`).
 * With `failure` instead: they could not be compiled (the store's requests go through
 * unfiltered, counted and logged as a fail-open).
 */
type StoreState = ReadyStore | { cfg?: undefined; failure: unknown };
type ReadyStore = { cfg: CompiledSettings; slots: StoreSlots; failure?: undefined };

export function filterMiddleware(deps: FilterDeps): PluginMiddleware<StoreState> {
  const trusted = parseCidrList(deps.options.trustedProxies);
  const lastLogged = new Map<string, number>();

  /** Fail open, loudly but not a log line per request while Redis is away. */
  function failOpen(ctx: Ctx, stage: string, err: unknown): undefined {
    deps.metrics.count(ctx, 'failopen_total', { stage });
    const now = Date.now();
    if ((lastLogged.get(stage) ?? 0) + LOG_EVERY_MS > now) return undefined;
    lastLogged.set(stage, now);
    ctx.log.error({ plugin: 'waf', stage, err }, 'request filter failed; the request went through unfiltered');
    return undefined;
  }
  deps.limiter.onReportError = (ctx, err) => failOpen(ctx, 'rate_limit', err);

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

  /** The audit row's request part; built only when there is something to record. */
  function eventOf(ctx: TenantCtx, http: HttpContext, action: WafAction, clientIp: string, routeClass: RouteClass): EventInput {
    return { action, clientIp, method: http.method, path: http.path, routeClass, userAgent: http.headers['user-agent'], requestId: ctx.requestId };
  }

  async function deny(ctx: TenantCtx, http: HttpContext, clientIp: string): Promise<AppError> {
    const id = newId();
    count(ctx, 'deny', 'ip');
    await store(ctx, id, eventOf(ctx, http, 'deny', clientIp, 'default'));
    return blockedError(id);
  }

  async function rateLimited(ctx: TenantCtx, http: HttpContext, decision: Extract<RateDecision, { limited: true }>, clientIp: string, routeClass: RouteClass): Promise<AppError> {
    count(ctx, 'rate_limit', 'rate');
    // One event per client and window: the trip, not every refused request after it.
    if (decision.first) {
      const id = newId();
      ctx.log.warn({ plugin: 'waf', eventId: id, ip: clientIp, routeClass }, 'rate limit reached');
      await store(ctx, id, eventOf(ctx, http, 'rate_limit', clientIp, routeClass));
    }
    return new TooManyRequestsError(decision.retryAfter, 'RATE_LIMITED');
  }

  async function flagged(ctx: TenantCtx, http: HttpContext, cfg: CompiledSettings, result: InspectResult, clientIp: string, routeClass: RouteClass): Promise<AppError | undefined> {
    const action: WafAction = cfg.mode === 'block' ? 'block' : 'alert';
    const id = newId();
    count(ctx, action, detectorsOf(result)[0] ?? 'none');
    ctx.log.warn({ plugin: 'waf', eventId: id, action, ip: clientIp, score: result.score, rules: result.matches.map((m) => m.ruleId) }, action === 'block' ? 'request blocked' : 'request flagged (monitor mode)');
    const stored = store(ctx, id, { ...eventOf(ctx, http, action, clientIp, routeClass), result });
    if (action === 'alert') return undefined; // the shopper does not wait for the audit row
    await stored;
    return blockedError(id);
  }

  /** `recalled`: the memo of clean requests was asked for this one already (and had nothing). */
  function inspect(ctx: TenantCtx, cfg: CompiledSettings, http: HttpContext, request: InspectableRequest, clientIp: string, routeClass: RouteClass, recalled: boolean): Verdict {
    let result: InspectResult;
    try {
      // Found clean, it is remembered with its route class (judgeWith reads it back).
      result = inspectRequest(request, cfg.policy, { note: routeClass, notRecalled: recalled });
    } catch (err) {
      return failOpen(ctx, 'inspection', err);
    }
    return result.blocked ? flagged(ctx, http, cfg, result, clientIp, routeClass) : undefined;
  }

  /** After the rate limit: a request found clean before goes on; any other is judged. */
  function afterRateLimit(ctx: TenantCtx, cfg: CompiledSettings, http: HttpContext, request: InspectableRequest, clientIp: string, routeClass: RouteClass, known: unknown, decision: RateDecision): Verdict {
    if (decision.limited) return rateLimited(ctx, http, decision, clientIp, routeClass);
    return known !== undefined ? undefined : inspect(ctx, cfg, http, request, clientIp, routeClass, cfg.policy.threshold > 0);
  }

  /**
   * What to do with the request: undefined lets it through. An ordinary request is judged
   * without a single await (settings and counters at hand) and without an object of its own
   * (the audit row is built only for a refusal or an alert); promises only where I/O is needed.
   */
  function judgeWith(ctx: TenantCtx, store: ReadyStore, http: HttpContext): Verdict {
    const cfg = store.cfg;
    let clientIp: string;
    let routeClass: RouteClass;
    let request: InspectableRequest;
    /** The note of a request found clean before (its route class), else undefined. */
    let known: unknown;
    try {
      const req = http.req;
      clientIp = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted) ?? 'unknown';
      const access = cfg.lists ? decideIpAccess(clientIp, cfg.lists) : 'none';
      if (access === 'allow') return undefined;
      if (access === 'deny') return deny(ctx, http, clientIp);
      request = toInspectable(http);
      // With a threshold of 0 even a clean request is refused: the engine answers that itself.
      known = cfg.policy.threshold > 0 ? recallClean(request, cfg.policy.paranoia) : undefined;
      if (typeof known === 'string') routeClass = known as RouteClass;
      else {
        // Koa's getters parse on every call: read once.
        request.path = http.path;
        request.query = queryOf(http);
        routeClass = routeClassOf(request.method, request.path, request.query);
      }
    } catch (err) {
      return failOpen(ctx, 'setup', err);
    }
    if (!cfg.rateLimits.enabled) return afterRateLimit(ctx, cfg, http, request, clientIp, routeClass, known, NOT_LIMITED);
    let decision: RateDecision | Promise<RateDecision>;
    try {
      decision = deps.limiter.hitAt(store.slots, ctx, routeClass, clientIp, cfg.rateLimits[routeClass]);
    } catch (err) {
      failOpen(ctx, 'rate_limit', err);
      return afterRateLimit(ctx, cfg, http, request, clientIp, routeClass, known, NOT_LIMITED);
    }
    if (!(decision instanceof Promise)) return afterRateLimit(ctx, cfg, http, request, clientIp, routeClass, known, decision);
    return decision.then(
      (d) => afterRateLimit(ctx, cfg, http, request, clientIp, routeClass, known, d),
      (err) => {
        failOpen(ctx, 'rate_limit', err);
        return afterRateLimit(ctx, cfg, http, request, clientIp, routeClass, known, NOT_LIMITED);
      },
    );
  }

  function judge(ctx: Ctx, store: StoreState, http: HttpContext): Verdict {
    if (store.cfg === undefined) return failOpen(ctx, 'setup', store.failure);
    let tctx: TenantCtx;
    try {
      tctx = requireTenant(ctx);
    } catch (err) {
      return failOpen(ctx, 'setup', err);
    }
    return judgeWith(tctx, store, http);
  }

  return {
    name: 'filter',
    position: 'afterTenant',
    order: FILTER_ORDER,
    // Once per store and settings (the host keeps it with the store's plugin row; a change of
    // settings through this process is seen at once, through another within the host's 5 s).
    prepare(settings: Record<string, unknown>, tenant: Tenant): StoreState {
      try {
        return { cfg: compileSettings(settings as unknown as WafSettings), slots: deps.limiter.storeOf(tenant.id) };
      } catch (failure) {
        return { failure };
      }
    },
    // Not async: a request let through goes straight on, without another promise around it.
    handle(ctx, http, next, store) {
      const verdict = judge(ctx, store, http);
      if (verdict === undefined) return next();
      if (!(verdict instanceof Promise)) return Promise.reject(verdict);
      return verdict.then((refusal) => {
        if (refusal) throw refusal;
        return next();
      });
    },
  };
}
