import type { TFunction } from 'i18next';
import type { Actor, Ctx, Tenant } from '../context.js';

/** What the middleware chain learns about a request, in koa's ctx.state. */
export interface State {
  requestId: string;
  startedAt: bigint;
  t?: TFunction;
  locale: string;
  /** A currency chosen before the route (a market plugin's middleware); X-Currency still wins. */
  currency?: string;
  /** Content fallbacks between the asked language and the store default (a market plugin's). */
  fallbackLocales?: string[];
  tenant: Tenant | null;
  /** Where the tenant came from: a signed token claim is checked by auth. */
  tenantSource?: 'host' | 'header' | 'token' | 'body' | 'path';
  actor: Actor;
  ctx?: Ctx;
  error?: Error;
  routeName?: string;
}
