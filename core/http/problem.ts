// Every error leaves as RFC 9457 problem+json with a stable code and a title in the caller's
// language. A 4xx says what was wrong; a 5xx says only that something failed, and the request id.
import type Koa from 'koa';
import { AppError, transientDatabaseError, type FieldError } from '../errors.js';
import type { State } from './state.js';
import { fieldParams } from './validation.js';
import { DEFAULT_LOCALE } from '../i18n.js';

type T = (key: string, opts?: Record<string, unknown>) => string;

/**
 * The detail in the request's language: the error's detail key, else a key for its code, else
 * the English the service wrote (English requests always get that).
 */
function detailOf(t: T, locale: string, err: AppError): string {
  if (locale === DEFAULT_LOCALE) return err.message;
  const key = `validation:detail.${err.detailKey ?? err.code}`;
  const text = t(key, { ...err.params, defaultValue: '' });
  return text && text !== key ? text : err.message;
}

/**
 * A field message in the request's language: `<where>.<path> <what>`, the what from
 * `validation:field.<code>` with the values the check named (ajv's params), or from
 * `validation:fieldStatic.<code>` for errors that name none; else the English as written.
 */
function fieldOf(t: T, locale: string, e: FieldError): FieldError {
  if (locale === DEFAULT_LOCALE) return e;
  const params = fieldParams.get(e);
  const key = params && Object.keys(params).length ? `validation:field.${e.code}` : `validation:fieldStatic.${e.code}`;
  const what = t(key, { ...params, defaultValue: '' });
  if (!what || what === key) return e;
  return { ...e, message: `${e.in}${e.pointer === '/' ? '' : e.pointer.replace(/\//g, '.')} ${what}` };
}

const TYPE_BASE = 'https://bazaar.dev/problems/';

function kebab(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}

/** Errors from koa, the body parser and the router carry a status; give them our codes. */
function fromHttpError(err: { status?: number; statusCode?: number; type?: string; message?: string; code?: string }): AppError | null {
  // A body that claims a compression it does not have fails inside zlib, before any status is set.
  if (typeof err.code === 'string' && err.code.startsWith('Z_')) return new AppError(400, 'MALFORMED_BODY', 'The request body does not match its Content-Encoding');
  const status = err.status ?? err.statusCode;
  if (!status || status >= 500) return null;
  if (status === 413) return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than allowed');
  if (status === 415) return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be JSON (application/json)');
  if (status === 400 && (err.type === 'entity.parse.failed' || /JSON|parse/i.test(err.message ?? ''))) {
    return new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  }
  if (status === 400 && err.type === 'encoding.unsupported') return new AppError(415, 'UNSUPPORTED_ENCODING', 'Unsupported content encoding');
  return new AppError(status, status === 400 ? 'BAD_REQUEST' : `HTTP_${status}`, err.message ?? 'Bad request');
}

export function problemMiddleware(): Koa.Middleware<State> {
  return async function problem(koa, next) {
    try {
      await next();
      if (koa.status === 404 && koa.body === undefined) {
        throw new AppError(404, 'ROUTE_NOT_FOUND', `No route for ${koa.method} ${koa.path}`);
      }
      if (koa.status === 405 && !koa.body) {
        throw new AppError(405, 'METHOD_NOT_ALLOWED', `${koa.method} is not allowed here`, { headers: { Allow: String(koa.response.get('Allow')) } });
      }
      if (koa.status === 501 && !koa.body) {
        throw new AppError(501, 'METHOD_NOT_IMPLEMENTED', `${koa.method} is not a method this server implements`, { headers: { Allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' } });
      }
      // Any other error status that left without a body (a plugin's `koa.status = 4xx`) leaves as a problem too.
      if (koa.status >= 400 && (koa.body === undefined || koa.body === null)) {
        throw new AppError(koa.status, `HTTP_${koa.status}`, koa.message || 'Error');
      }
    } catch (caught) {
      let err = caught instanceof AppError ? caught : (transientDatabaseError(caught) ?? fromHttpError(caught as never));
      // A 500 is a bug whatever threw it: its message stays in the log.
      if (err && err.status === 500) {
        koa.state.error = err;
        err = null;
      }
      const t = koa.state.t ?? ((k: string, o?: { defaultValue?: string }) => o?.defaultValue ?? k);
      const requestId = koa.state.requestId;
      if (!err) {
        koa.state.error ??= caught as Error;
        koa.status = 500;
        koa.type = 'application/problem+json';
        koa.body = { type: `${TYPE_BASE}internal`, title: t('errors:INTERNAL', { defaultValue: 'Something went wrong' }), status: 500, code: 'INTERNAL', requestId };
        return;
      }
      if (err.status >= 500) koa.state.error = err;
      for (const [k, v] of Object.entries(err.headers ?? {})) koa.set(k, v);
      koa.status = err.status;
      koa.type = 'application/problem+json';
      // The standard members win over a same-named extra (an extra `status` would hide the HTTP status).
      koa.body = {
        ...(err.status < 500 ? err.extra : {}),
        type: `${TYPE_BASE}${kebab(err.code)}`,
        title: t(`errors:${err.key}`, { ...err.params, defaultValue: err.message }),
        status: err.status,
        code: err.code,
        detail: err.status < 500 ? detailOf(t as T, koa.state.locale, err) : undefined,
        instance: koa.path,
        requestId,
        ...(err.errors ? { errors: err.errors.map((e) => fieldOf(t as T, koa.state.locale, e)) } : {}),
      };
    }
  };
}
