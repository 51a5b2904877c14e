// Query strings: bounded and parsed in linear time. Koa's own parser asks URLSearchParams for
// getAll(key) once per occurrence of a key, so `?a&a&a...` costs n^2 (7,750 repeats held the
// event loop for a second, /healthz included). Ours walks the pairs once, and a query with more
// than MAX_QUERY_PARAMS pairs is a 400 before anything parses it.
import type Koa from 'koa';
import { InvalidError } from '../errors.js';
import type { State } from './state.js';

export const MAX_QUERY_PARAMS = 256;

/** Pairs in a raw query string, counted without parsing (linear, no allocation per pair). */
export function countQueryParams(raw: string): number {
  if (!raw) return 0;
  let n = 1;
  for (let i = raw.indexOf('&'); i !== -1; i = raw.indexOf('&', i + 1)) n++;
  return n;
}

function tooMany(count: number): InvalidError {
  return new InvalidError('QUERY_TOO_LARGE', `A query string may have at most ${MAX_QUERY_PARAMS} parameters`, {
    errors: [{ in: 'query', pointer: '/', code: 'maxProperties', message: `query has ${count} parameters; at most ${MAX_QUERY_PARAMS} are accepted` }],
  });
}

/** One pass over the pairs: a repeated key becomes an array, in order (what Koa gives). */
export function parseQuery(raw: string): Record<string, string | string[]> {
  const count = countQueryParams(raw);
  if (count > MAX_QUERY_PARAMS) throw tooMany(count);
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!Object.hasOwn(out, key)) {
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      const prev = out[key];
      if (Array.isArray(prev)) prev.push(value);
      else out[key] = [prev, value];
    }
  }
  return out;
}

/** Replaces Koa's `request.query` getter with the linear, bounded one (cached per request). */
export function installQueryParser(app: Koa<State>): void {
  const cache = new WeakMap<object, { raw: string; parsed: Record<string, string | string[]> }>();
  const request = app.request as unknown as Koa.Request;
  // app.request inherits Koa's request object, where the getter and setter live.
  const original = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(request) as object, 'query');
  Object.defineProperty(request, 'query', {
    configurable: true,
    enumerable: true,
    get(this: Koa.Request) {
      const raw = this.querystring;
      const hit = cache.get(this);
      if (hit && hit.raw === raw) return hit.parsed;
      const parsed = parseQuery(raw);
      cache.set(this, { raw, parsed });
      return parsed;
    },
    set: original?.set,
  });
}

/** Refuses an oversized query string before any middleware (a plugin's, the router's) parses it. */
export function boundQuery(): Koa.Middleware<State> {
  return function boundQuery(koa, next) {
    const raw = koa.querystring;
    if (raw.length > MAX_QUERY_PARAMS) {
      const count = countQueryParams(raw);
      if (count > MAX_QUERY_PARAMS) throw tooMany(count);
    }
    return next();
  };
}
