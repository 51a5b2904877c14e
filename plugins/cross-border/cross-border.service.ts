// Markets, rates and conversions of one store. Rates and markets are read per request from
// memory (a per-store book reloaded at most every `bookTtlMs`, and at once after a change made
// through this process), never from the database on the request's path.
import { ConflictError, InvalidError, decodeCursor, encodeCursor, NotFoundError, scoped, isUniqueViolation, withTransaction, type PluginApi, type TenantCtx, type NotificationService, type PluginMetrics, type PriceConversion, type LockedConversion, type MarketTerms } from '@bazaar/sdk';
import { Market, Rate, SourceState } from './cross-border.model.js';
import { converter, divideToDecimal, parseDecimal, ruleInMinor, taxShift, type RoundingMode, type RoundingRule } from './pricing.js';
import { fetchRates, type NormalizedRate, type SourceName, type SourceOptions } from './sources.js';

export interface CrossBorderOptions extends SourceOptions {
  fetchEveryMs: number;
  bookTtlMs: number;
}

export interface CrossBorderSettings {
  rateSource: SourceName;
  maxRateAgeHours: number;
  countryHeader: string;
  languages: string[];
  roundingMode: RoundingMode;
}


interface Book {
  loadedAt: number;
  /** source -> "BASE>QUOTE" -> the newest rate. */
  rates: Map<string, Map<string, { rate: string; asOf: string }>>;
  markets: Market[];
}

export interface MarketInput {
  code: string;
  name: string;
  countries: string[];
  currency: string;
  languages?: string[];
  isDefault?: boolean;
  pricesIncludeTax?: boolean;
  taxRateBp?: number | null;
  dutiesMode?: 'DDP' | 'DAP';
  dutyRates?: Record<string, string>;
  dutyThreshold?: number | null;
  fxMode?: 'automatic' | 'manual';
  manualRate?: string | null;
  adjustmentPct?: string | null;
  rounding?: RoundingRule | null;
}

/** The market each request was put in by the middleware, by request id (dropped when the request ends). */
export const requestMarkets = new Map<string, Market>();
/** Requests whose market the shopper chose explicitly (?market=, X-Bazaar-Market, the cookie): the shipping address does not override it. */
export const explicitMarkets = new Set<string>();

/** What a lock keeps to rebuild a conversion: the rate and the market's terms at the time. */
interface LockData {
  rate: string;
  adjustmentPct: string | null;
  rounding: RoundingRule | null;
  tax: { num: number; den: number } | null;
  roundingMode?: RoundingMode;
}

/** EU member states and the UK: consumer prices are shown with VAT (spec §3.5). */
const SHOWS_TAX = new Set(['AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'GB']);

/** A market's default tax display (requirement 36): with tax when all its countries are EU or UK, else without (US). */
export function showsTaxByDefault(countries: string[]): boolean {
  return countries.length > 0 && countries.every((c) => SHOWS_TAX.has(c));
}

export function crossBorderService(deps: { api: PluginApi; options: CrossBorderOptions; notifications: NotificationService; metrics: PluginMetrics }) {
  const { api, options, notifications, metrics } = deps;
  const books = new Map<string, Promise<Book>>();
  const loaded = new Map<string, number>();

  async function loadBook(ctx: TenantCtx): Promise<Book> {
    const markets = await scoped(ctx, Market).orderBy('code');
    const rates = new Map<string, Map<string, { rate: string; asOf: string }>>();
    // The newest day of each source only: a source that stops answering keeps its last good day.
    const newest = (await scoped(ctx, Rate).select('source').max('as_of as asOf').groupBy('source')) as unknown as { source: string; asOf: string }[];
    for (const { source, asOf } of newest) {
      const rows = await scoped(ctx, Rate).where({ source, as_of: asOf });
      const bySource = new Map<string, { rate: string; asOf: string }>();
      for (const r of rows) bySource.set(`${r.base}>${r.quote}`, { rate: r.rate, asOf: r.asOf });
      rates.set(source, bySource);
    }
    return { loadedAt: Date.now(), rates, markets };
  }

  function book(ctx: TenantCtx): Promise<Book> {
    const id = ctx.tenant.id;
    const at = loaded.get(id);
    let found = books.get(id);
    if (!found || at === undefined || Date.now() - at > options.bookTtlMs) {
      found = loadBook(ctx);
      books.set(id, found);
      loaded.set(id, Date.now());
      found.catch(() => books.delete(id));
    }
    return found;
  }

  function forget(ctx: TenantCtx): void {
    books.delete(ctx.tenant.id);
    loaded.delete(ctx.tenant.id);
  }

  /** A rate from one source: direct, inverse, or across the source's base (USD->JPY = EUR->JPY / EUR->USD). */
  function sourceRate(rates: Map<string, { rate: string; asOf: string }> | undefined, from: string, to: string): { rate: string; asOf: string } | null {
    if (!rates) return null;
    const direct = rates.get(`${from}>${to}`);
    if (direct) return direct;
    const inverse = rates.get(`${to}>${from}`);
    if (inverse) return { rate: divideToDecimal({ num: 1n, den: 1n }, parseDecimal(inverse.rate)), asOf: inverse.asOf };
    for (const [pair, toLeg] of rates) {
      const [base, quote] = pair.split('>');
      if (quote !== to) continue;
      const fromLeg = rates.get(`${base}>${from}`);
      if (fromLeg) return { rate: divideToDecimal(parseDecimal(toLeg.rate), parseDecimal(fromLeg.rate)), asOf: fromLeg.asOf < toLeg.asOf ? fromLeg.asOf : toLeg.asOf };
    }
    return null;
  }

  /** The market that prices `to` for this request: the request's own, else the default, else the first in that currency. */
  function marketFor(ctx: TenantCtx, b: Book, to: string): Market | undefined {
    const mine = requestMarkets.get(ctx.requestId);
    if (mine && mine.currency === to && b.markets.some((m) => m.id === mine.id)) return b.markets.find((m) => m.id === mine.id);
    return b.markets.find((m) => m.currency === to && m.isDefault) ?? b.markets.find((m) => m.currency === to);
  }

  async function conversion(ctx: TenantCtx, from: string, to: string, opts: { market?: string | null } = {}): Promise<PriceConversion | null> {
    const b = await book(ctx);
    const settings = await api.settings<CrossBorderSettings>(ctx);
    const named = opts.market ? b.markets.find((m) => m.code === opts.market && m.currency === to) : undefined;
    if (from === to) {
      // The store's own currency: only the market the cart or the request is in (the default one
      // when nothing chose), never another market that happens to share the currency.
      const mine = requestMarkets.get(ctx.requestId);
      return ownCurrency(ctx, named ?? (mine && mine.currency === to ? b.markets.find((m) => m.id === mine.id) : undefined), to, settings);
    }
    const market = named ?? marketFor(ctx, b, to);
    let found: { rate: string; asOf: string | null; source: string } | null = null;
    if (market?.fxMode === 'manual' && market.manualRate) found = { rate: market.manualRate, asOf: String(market.updatedAt).slice(0, 10), source: 'manual' };
    else {
      const r = sourceRate(b.rates.get(settings.rateSource), from, to);
      if (r) found = { ...r, source: settings.rateSource };
    }
    if (!found) return null;
    const data: LockData = { rate: found.rate, adjustmentPct: market?.adjustmentPct ?? null, rounding: market?.rounding ?? null, tax: taxShift(ctx.tenant, market ? { pricesIncludeTax: Boolean(market.pricesIncludeTax), taxRateBp: market.taxRateBp ?? null } : undefined), roundingMode: settings.roundingMode ?? 'halfEven' };
    const convert = converter({ from, to, ...data });
    return {
      from, to, rate: found.rate, source: found.source, asOf: found.asOf,
      key: [found.source, found.rate, found.asOf, market?.id ?? '-', market ? String(market.updatedAt) : '-', ctx.tenant.taxMode, ctx.tenant.taxRateBp, data.roundingMode].join('|'),
      market: market?.code ?? null,
      lock: data as unknown as Record<string, unknown>,
      convert,
    };
  }

  /**
   * A market in the store's own currency whose tax display differs from how the store entered its
   * prices (requirement 36): the store's prices shifted to the market's display, nothing else
   * (no rate, adjustment or rounding rule: those are for other currencies). Null: shown as entered.
   */
  function ownCurrency(ctx: TenantCtx, market: Market | undefined, currency: string, settings: CrossBorderSettings): PriceConversion | null {
    if (!market) return null;
    const tax = taxShift(ctx.tenant, { pricesIncludeTax: Boolean(market.pricesIncludeTax), taxRateBp: market.taxRateBp ?? null });
    if (!tax) return null;
    const roundingMode = settings.roundingMode ?? 'halfEven';
    return {
      from: currency, to: currency, rate: '1', source: null, asOf: null, market: market.code,
      key: ['own', market.id, String(market.updatedAt), ctx.tenant.taxMode, ctx.tenant.taxRateBp, roundingMode].join('|'),
      convert: converter({ from: currency, to: currency, rate: '1', tax, roundingMode }),
    };
  }

  /** A conversion a cart locked, rebuilt from the terms it kept (nothing read again). */
  function restore(_ctx: TenantCtx, lock: LockedConversion): PriceConversion | null {
    const d = lock.data as unknown as LockData | null;
    if (!d || typeof d.rate !== 'string' || d.rate !== lock.rate) return null;
    return {
      from: lock.from, to: lock.to, rate: lock.rate, source: lock.source, asOf: lock.asOf, market: lock.market, lock: lock.data ?? undefined,
      key: `lock|${lock.rate}|${lock.lockedAt}`,
      convert: converter({ from: lock.from, to: lock.to, rate: d.rate, adjustmentPct: d.adjustmentPct, rounding: d.rounding, tax: d.tax, roundingMode: d.roundingMode }),
    };
  }

  /** A cart's market terms: from its shipping address's country (unless the request chose explicitly), its code, or the request's. */
  async function marketTerms(ctx: TenantCtx, q: { code?: string | null; country?: string | null; currency: string }): Promise<MarketTerms | null> {
    const b = await book(ctx);
    let m: Market | undefined;
    if (q.country) {
      const mine = requestMarkets.get(ctx.requestId);
      m = mine && explicitMarkets.has(ctx.requestId)
        ? b.markets.find((x) => x.id === mine.id)
        : b.markets.find((x) => x.countries.includes(q.country!) && ctx.tenant.currencies.includes(x.currency));
    } else {
      if (q.code) m = b.markets.find((x) => x.code === q.code && x.currency === q.currency);
      m ??= marketFor(ctx, b, q.currency);
    }
    if (!m) return null;
    return { code: m.code, currency: m.currency, taxMode: m.pricesIncludeTax ? 'inclusive' : 'exclusive', taxRateBp: m.taxRateBp === null || m.taxRateBp === undefined ? null : Number(m.taxRateBp) };
  }

  async function rate(ctx: TenantCtx, from: string, to: string): Promise<string | null> {
    if (from === to) return '1';
    const b = await book(ctx);
    const settings = await api.settings<CrossBorderSettings>(ctx);
    return sourceRate(b.rates.get(settings.rateSource), from, to)?.rate ?? null;
  }

  // --- markets -----------------------------------------------------------------------------

  function checkMarket(ctx: TenantCtx, m: MarketInput): void {
    const errors: { in: 'body'; pointer: string; code: string; message: string }[] = [];
    if (!ctx.tenant.currencies.includes(m.currency)) errors.push({ in: 'body', pointer: '/currency', code: 'CURRENCY_NOT_ENABLED', message: `body.currency must be one of the store's currencies (${ctx.tenant.currencies.join(', ')})` });
    if ((m.fxMode ?? 'automatic') === 'manual') {
      if (!m.manualRate || /^0+(\.0+)?$/.test(m.manualRate)) errors.push({ in: 'body', pointer: '/manualRate', code: 'required', message: 'body.manualRate must be a rate above zero when fxMode is manual' });
    }
    if (m.rounding) {
      try {
        ruleInMinor(m.rounding, m.currency);
      } catch (err) {
        errors.push({ in: 'body', pointer: '/rounding', code: 'rounding', message: `body.rounding: ${(err as Error).message}` });
      }
    }
    if (errors.length) throw new InvalidError('VALIDATION_FAILED', errors[0].message, { errors });
  }

  function row(m: MarketInput) {
    return {
      code: m.code, name: m.name, countries: m.countries, currency: m.currency, languages: m.languages ?? [], isDefault: m.isDefault ?? false,
      pricesIncludeTax: m.pricesIncludeTax ?? showsTaxByDefault(m.countries), taxRateBp: m.taxRateBp ?? null, dutiesMode: m.dutiesMode ?? 'DAP', dutyRates: m.dutyRates ?? {}, dutyThreshold: m.dutyThreshold ?? null,
      fxMode: m.fxMode ?? 'automatic', manualRate: m.fxMode === 'manual' ? (m.manualRate ?? null) : null, adjustmentPct: m.adjustmentPct ?? null, rounding: m.rounding ?? null,
    };
  }

  function view(m: Market) {
    return {
      id: m.id, code: m.code, name: m.name, countries: m.countries, currency: m.currency, languages: m.languages, isDefault: Boolean(m.isDefault),
      pricesIncludeTax: Boolean(m.pricesIncludeTax), taxRateBp: m.taxRateBp === null || m.taxRateBp === undefined ? null : Number(m.taxRateBp), dutiesMode: m.dutiesMode, dutyRates: m.dutyRates, dutyThreshold: m.dutyThreshold === null ? null : Number(m.dutyThreshold),
      fxMode: m.fxMode, manualRate: m.manualRate, adjustmentPct: m.adjustmentPct, rounding: m.rounding, createdAt: m.createdAt, updatedAt: m.updatedAt,
    };
  }

  async function saveMarket(ctx: TenantCtx, input: MarketInput, id?: string): Promise<Market> {
    checkMarket(ctx, input);
    try {
      const saved = await withTransaction(ctx, async (trx) => {
        if (input.isDefault) await scoped(trx, Market).patch({ isDefault: false }).where('is_default', true);
        if (id) {
          const n = await scoped(trx, Market).patch(row(input)).where('id', id);
          if (n !== 1) throw new NotFoundError('MARKET_NOT_FOUND', 'No such market');
          return (await scoped(trx, Market).findById(id))!;
        }
        const made = (await scoped(trx, Market).insert(row(input))) as unknown as Market;
        return (await scoped(trx, Market).findById(made.id))!;
      });
      forget(ctx);
      return saved;
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('MARKET_CODE_TAKEN', 'Another market has this code', { errors: [{ in: 'body', pointer: '/code', code: 'unique', message: 'body.code is already used by another market' }] });
      throw err;
    }
  }

  async function getMarket(ctx: TenantCtx, id: string): Promise<Market> {
    const m = await scoped(ctx, Market).findById(id);
    if (!m) throw new NotFoundError('MARKET_NOT_FOUND', 'No such market');
    return m;
  }

  /** Markets by code, keyset on the code (unique per store). */
  async function pageMarkets(ctx: TenantCtx, limit: number, cursor: string | undefined): Promise<{ items: Market[]; nextCursor: string | null }> {
    const after = decodeCursor(cursor, 1);
    const q = scoped(ctx, Market).orderBy('code').limit(limit + 1);
    if (after) q.where('code', '>', String(after[0]));
    const rows = await q;
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].code]) : null };
  }

  async function deleteMarket(ctx: TenantCtx, id: string): Promise<void> {
    const n = await scoped(ctx, Market).delete().where('id', id);
    if (n !== 1) throw new NotFoundError('MARKET_NOT_FOUND', 'No such market');
    forget(ctx);
  }

  // --- rates -------------------------------------------------------------------------------

  async function storeRates(ctx: TenantCtx, rows: NormalizedRate[]): Promise<number> {
    const fetchedAt = new Date().toISOString();
    let added = 0;
    await withTransaction(ctx, async (trx) => {
      for (const r of rows) {
        const existing = await scoped(trx, Rate).where({ source: r.source, base: r.base, quote: r.quote, as_of: r.asOf }).first();
        if (existing) {
          if (existing.rate !== r.rate) await scoped(trx, Rate).patch({ rate: r.rate, fetchedAt }).where('id', existing.id);
          continue;
        }
        await scoped(trx, Rate).insert({ ...r, fetchedAt });
        added++;
      }
    });
    forget(ctx);
    return added;
  }

  async function state(ctx: TenantCtx, source: string): Promise<SourceState> {
    const found = await scoped(ctx, SourceState).where('source', source).first();
    if (found) return found;
    try {
      await scoped(ctx, SourceState).insert({ source, lastFetchAt: null, lastOkAt: null, lastAsOf: null, lastError: null, staleAlertedAt: null });
      return (await scoped(ctx, SourceState).where('source', source).first())!;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return (await scoped(ctx, SourceState).where('source', source).first())!;
    }
  }

  /** The newest date of a source's rates, as a time: ECB dates are published around 16:00 CET (15:00 UTC). */
  function asOfTime(asOf: string): number {
    return /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? Date.parse(`${asOf}T15:00:00Z`) : Date.parse(asOf);
  }

  /**
   * Fetches the store's source (the scheduled job, or staff asking), keeps the rows, then checks
   * staleness: a newest rate older than maxRateAgeHours alerts the owners once; prices keep the
   * last good rate meanwhile (the book reads the newest day there is).
   */
  async function refresh(ctx: TenantCtx, now = Date.now()): Promise<{ source: string; fetched: number; added: number; error: string | null; stale: boolean; asOf: string | null }> {
    const settings = await api.settings<CrossBorderSettings>(ctx);
    const source = settings.rateSource;
    const st = await state(ctx, source);
    let fetched = 0;
    let added = 0;
    let error: string | null = null;
    if (source !== 'manual') {
      try {
        const rows = await fetchRates(source, options);
        fetched = rows.length;
        added = await storeRates(ctx, rows);
      } catch (err) {
        error = String((err as Error).message ?? err).slice(0, 300);
        ctx.log.warn({ err, source }, 'cross-border: rate source failed; prices keep the last good rate');
        metrics.count(ctx, 'rate_fetch_failures', { source });
      }
    }
    const newest = (await scoped(ctx, Rate).where('source', source).max('as_of as asOf').first()) as unknown as { asOf: string | null } | undefined;
    const asOf = newest?.asOf ?? null;
    const stale = asOf !== null && now - asOfTime(asOf) > settings.maxRateAgeHours * 3_600_000;
    const patch: Partial<SourceState> = { lastFetchAt: new Date(now).toISOString(), lastError: error, lastAsOf: asOf };
    if (!error && source !== 'manual') patch.lastOkAt = new Date(now).toISOString();
    if (stale && !st.staleAlertedAt) {
      patch.staleAlertedAt = new Date(now).toISOString();
      metrics.count(ctx, 'stale_alerts', { source });
      ctx.log.warn({ source, asOf }, 'cross-border: rates are stale; prices are frozen at the last good rate');
      await notifications.notifyOwners(ctx, {
        subject: api.t(ctx, 'staleRates.subject', { source }),
        text: api.t(ctx, 'staleRates.text', { source, asOf, hours: settings.maxRateAgeHours }),
      });
    }
    if (!stale && st.staleAlertedAt) patch.staleAlertedAt = null;
    await scoped(ctx, SourceState).patch(patch).where('id', st.id);
    return { source, fetched, added, error, stale, asOf };
  }

  async function sourceStatus(ctx: TenantCtx) {
    const settings = await api.settings<CrossBorderSettings>(ctx);
    const st = await scoped(ctx, SourceState).where('source', settings.rateSource).first();
    return {
      source: settings.rateSource,
      lastFetchAt: st?.lastFetchAt ?? null, lastOkAt: st?.lastOkAt ?? null, lastAsOf: st?.lastAsOf ?? null, lastError: st?.lastError ?? null,
      stale: Boolean(st?.staleAlertedAt), staleSince: st?.staleAlertedAt ?? null, maxRateAgeHours: settings.maxRateAgeHours,
    };
  }

  async function addManualRate(ctx: TenantCtx, input: { base: string; quote: string; rate: string; asOf?: string }): Promise<Rate> {
    if (input.base === input.quote) throw new InvalidError('VALIDATION_FAILED', 'base and quote must differ', { errors: [{ in: 'body', pointer: '/quote', code: 'distinct', message: 'body.quote must differ from body.base' }] });
    const asOf = input.asOf ?? new Date().toISOString().slice(0, 10);
    await storeRates(ctx, [{ source: 'manual', base: input.base, quote: input.quote, rate: input.rate, asOf }]);
    return (await scoped(ctx, Rate).where({ source: 'manual', base: input.base, quote: input.quote, as_of: asOf }).first())!;
  }

  return {
    book, forget, conversion, restore, marketTerms, rate, marketFor,
    markets: { save: saveMarket, get: getMarket, delete: deleteMarket, view, page: pageMarkets },
    rates: { refresh, status: sourceStatus, addManual: addManualRate, store: storeRates },
  };
}

export type CrossBorderService = ReturnType<typeof crossBorderService>;
