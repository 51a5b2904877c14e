// Turns the bearer token or API key into an actor. A token that is present but wrong is a
// 401 even on a public route: silently treating it as anonymous hides bugs in clients.
import type Koa from 'koa';
import type { Kernel } from '../kernel.js';
import { ANONYMOUS } from '../context.js';
import { UnauthorizedError } from '../errors.js';
import { resolveActor } from '../users/auth.service.js';
import { principalKindOf, resolvePrincipal } from '../users/principals.js';
import { bearerToken } from './tenancy.js';
import type { State } from './state.js';

export function authenticateMiddleware(kernel: Kernel): Koa.Middleware<State> {
  return function authenticate(koa, next) {
    const token = bearerToken(koa);
    // /metrics checks its own bearer token (METRICS_TOKEN), which is no user's.
    if (!token || koa.path === '/metrics') {
      koa.state.actor = ANONYMOUS;
      return next();
    }
    const principal = principalKindOf(kernel, token);
    if (principal) {
      // A plugin's own token kind: good on that plugin's platform paths only, a 401 anywhere else.
      return resolvePrincipal(kernel, principal, token, koa.path).then((actor) => {
        if (!actor) throw new UnauthorizedError('INVALID_TOKEN', 'The token is invalid or expired');
        koa.state.actor = actor;
        return next();
      });
    }
    return resolveActor(kernel, koa.state.tenant, token).then((actor) => {
      koa.state.actor = actor;
      return next();
    });
  };
}
