// The one way the console calls the API: same origin, a bearer token per console, JSON in and
// out, and the caller's language as Accept-Language. Errors arrive as problem+json and are
// thrown as ApiError with the title already in the user's language.
import i18n from './i18n';
import { getSession, setSession, type Scope } from './session';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  code?: string;
  detail?: string;
  requestId?: string;
  errors?: { in?: string; pointer?: string; message: string; code?: string }[];
}

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CallOptions {
  body?: unknown;
  /** A body sent as it is: text, or a file (streamed by the browser, not read into memory first). */
  raw?: { text: string | Blob; type: string };
  query?: Record<string, string | number | undefined | null>;
  /** Sign in and reset calls have no session yet. */
  anonymous?: boolean;
  /** Send an Idempotency-Key, so a retried click cannot charge or create twice. */
  idempotent?: boolean;
}

export function newKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

export async function api<T>(scope: Scope, method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': i18n.language };
  const session = opts.anonymous ? null : getSession(scope);
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (opts.idempotent) headers['idempotency-key'] = newKey();
  let body: string | Blob | undefined;
  if (opts.raw) {
    body = opts.raw.text;
    headers['content-type'] = opts.raw.type;
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const search = qs.toString();
  const url = search ? `${path}?${search}` : path;
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body });
  } catch {
    throw new ApiError({ title: i18n.t('common.error'), status: 0 });
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const problem = (data && typeof data === 'object' ? data : { title: i18n.t('common.error'), status: res.status }) as Problem;
    if (res.status === 401 && session) setSession(scope, null);
    throw new ApiError(problem);
  }
  return data as T;
}

export const storeApi = <T>(method: string, path: string, opts?: CallOptions) => api<T>('store', method, `/admin/v1${path}`, opts);
export const platformApi = <T>(method: string, path: string, opts?: CallOptions) => api<T>('platform', method, `/platform/v1${path}`, opts);

/** A file the API answers (an export): fetched with the console's token, then saved by the browser. */
export async function download(scope: Scope, path: string, query: CallOptions['query'], fallbackName: string): Promise<void> {
  const session = getSession(scope);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const res = await fetch(qs.toString() ? `${path}?${qs}` : path, { headers: { 'accept-language': i18n.language, ...(session ? { authorization: `Bearer ${session.token}` } : {}) } });
  if (!res.ok) {
    const text = await res.text();
    throw new ApiError(text ? (JSON.parse(text) as Problem) : { title: i18n.t('common.error'), status: res.status });
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
