// Which rate-limit class a request falls in. Classes are about what an abuser gains: guessing
// passwords (login), testing stolen cards (checkout), scraping or loading the search index
// (search); everything else shares the generous default.
import type { RouteClass } from './waf.settings.js';

const LOGIN = /^\/(?:store|admin)\/v1\/auth\/(?:login|signup|password-reset(?:\/confirm)?)\/?$/;
const CHECKOUT = /^\/store\/v1\/(?:carts\/[^/]+\/checkout|me\/cart\/checkout|orders|checkout)\/?$/;
const SEARCH = /^\/store\/v1\/search(?:\/suggest)?\/?$/;
const PRODUCT_LIST = /^\/store\/v1\/products\/?$/;

export function routeClassOf(method: string, path: string, query: Record<string, unknown>): RouteClass {
  if (method === 'POST' && LOGIN.test(path)) return 'login';
  if (method === 'POST' && CHECKOUT.test(path)) return 'checkout';
  if (SEARCH.test(path)) return 'search';
  if (PRODUCT_LIST.test(path) && query.q !== undefined) return 'search';
  return 'default';
}
