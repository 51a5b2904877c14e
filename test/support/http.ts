// A small HTTP client for tests: JSON in, JSON out, headers as a person would send them.
import { baseUrl } from './runtime.js';

export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ReqOpts {
  tenant?: string;
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string | Buffer;
  contentType?: string;
}

export async function call<T = any>(method: string, path: string, opts: ReqOpts = {}): Promise<Res<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.tenant) headers['x-tenant'] = opts.tenant;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | Buffer | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${await baseUrl()}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const get = <T = any>(path: string, opts?: ReqOpts) => call<T>('GET', path, opts);
export const post = <T = any>(path: string, body?: unknown, opts: ReqOpts = {}) => call<T>('POST', path, { ...opts, body });
export const patch = <T = any>(path: string, body?: unknown, opts: ReqOpts = {}) => call<T>('PATCH', path, { ...opts, body });
export const del = <T = any>(path: string, opts?: ReqOpts) => call<T>('DELETE', path, opts);
