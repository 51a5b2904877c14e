// route(): a route is declared once with its schemas; they validate input, check output in
// tests and generate the OpenAPI document. Handlers get a ctx and validated input, and return
// a body or a reply().
import type Koa from 'koa';
import type { Ctx } from '../context.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type JsonSchema = Record<string, unknown>;

/**
 * Who may call:
 * - `public`: anyone (a store route still needs its tenant);
 * - `customer`: a signed-in customer of this store;
 * - `staff`: a staff session or an API key of this tenant, holding `permission`;
 * - `platform`: a platform admin;
 * - `principal`: a platform plugin's own principal (its token kind, on its paths only).
 */
export type Access = 'public' | 'customer' | 'staff' | 'platform' | 'principal';

export interface RouteInput<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  ctx: Ctx;
  params: P;
  query: Q;
  body: B;
  headers: Koa.Context['headers'];
  /** The unparsed body, for signature checks (webhooks). */
  rawBody: string | undefined;
  ip: string;
  koa: Koa.Context;
}

export interface RouteSpec<P = any, Q = any, B = any> {
  method: Method;
  path: string;
  summary: string;
  tags?: string[];
  access: Access;
  /** Needed by staff and API keys, e.g. `catalog:write`. */
  permission?: string;
  /** A store route that needs no tenant (rare; health-like). */
  noTenant?: boolean;
  params?: JsonSchema;
  query?: JsonSchema;
  body?: JsonSchema;
  /** Status -> schema of the body (null for no body). */
  responses: Record<number, JsonSchema | null>;
  /**
   * The route's own problem answers, by status: `{ 409: ['INSUFFICIENT_STOCK'] }`. The OpenAPI
   * document adds them to those every route of its kind can give (openapi.ts: input, sign-in,
   * permission, tenant, idempotency), so generated clients know each answer.
   */
  errors?: Record<number, string[]>;
  /**
   * Extension points the route calls whose servers may add problem codes of their own:
   * `provider:shipping` (checkout asks the chosen shipping provider to reserve), `hook:<name>`.
   * Their declared codes (kernel.extensions.problemsAt) join the route's `errors`.
   */
  errorsFrom?: string[];
  /** Honours an Idempotency-Key header: a replay returns the first answer. */
  idempotent?: boolean;
  /**
   * Rebuilds the answer of an idempotent request whose work committed (recordIdempotentOutcome)
   * but whose process died before answering; without it, such a retry runs the handler again.
   */
  resume?(input: { ctx: Ctx; params: P; outcome: unknown }): Promise<unknown>;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
    readonly type?: string,
  ) {}
}

/**
 * A JSON body serialised once. Cached reads hand the same bytes to every request instead of
 * stringifying the same object again; made from cached text, it is parsed only if asked.
 */
export class JsonBody {
  private text?: string;
  private bytes?: Buffer;
  private parsed?: unknown;
  private hasValue: boolean;

  private constructor(value: unknown, text: string | undefined, hasValue: boolean) {
    this.parsed = value;
    this.text = text;
    this.hasValue = hasValue;
  }

  static of(value: unknown): JsonBody {
    return new JsonBody(value, undefined, true);
  }

  static fromJson(text: string): JsonBody {
    return new JsonBody(undefined, text, false);
  }

  get value(): unknown {
    if (!this.hasValue) {
      this.parsed = JSON.parse(this.text!);
      this.hasValue = true;
    }
    return this.parsed;
  }

  get json(): string {
    return (this.text ??= JSON.stringify(this.parsed));
  }

  get buffer(): Buffer {
    return (this.bytes ??= Buffer.from(this.json));
  }
}

export const reply = (status: number, body?: unknown, headers?: Record<string, string>) => new Reply(status, body, headers);
export const created = (body: unknown, location?: string) => new Reply(201, body, location ? { Location: location } : {});
export const accepted = (body?: unknown) => new Reply(202, body);
export const noContent = () => new Reply(204, undefined);
/** A body that is not JSON: plain text for a payment provider's "success", say. */
export const raw = (status: number, body: string | Buffer, type = 'text/plain') => new Reply(status, body, {}, type);

export function route<P = any, Q = any, B = any>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> {
  return spec;
}
