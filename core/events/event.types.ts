// The shapes of domain events and their subscribers. Domains declare their events' payloads by
// augmenting EventMap, so emitters and subscribers agree at compile time:
//
//   declare module '../events/event.types.js' { interface EventMap { 'order.placed': { orderId: string } } }
import type { TenantCtx } from '../context.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EventMap {}

/** The payload of an event type: declared in EventMap, else any JSON object. */
export type EventPayload<T extends string> = T extends keyof EventMap ? EventMap[T] : Record<string, unknown>;

export interface DomainEvent<T extends string = string, P = EventPayload<T>> {
  id: string;
  type: T;
  tenantId: string;
  payload: P;
  requestId: string | null;
  /** Who caused it: `staff:<id>`, `customer:<id>`, `system:<name>`, ... */
  actor: string | null;
  createdAt: string;
}

/** A subscriber sees the events its patterns match; for a pattern (`order.*`, `*`) the payload is untyped. */
export type EventFor<E extends string> = E extends keyof EventMap ? DomainEvent<E> : DomainEvent<string, Record<string, unknown>>;

export interface SubscriberSpec<E extends string = string> {
  /** Unique and stable: it keys the handled-events record, so renaming it replays history. */
  name: string;
  /** Exact types (`order.placed`), a whole domain (`order.*`) or everything (`*`). */
  events: readonly E[];
  /**
   * Runs inside a transaction (ctx.db) that also records the event as handled: write through
   * ctx.db only, and the effect happens once however often the job is retried.
   */
  handle(ctx: TenantCtx, event: EventFor<E>): Promise<void>;
  /** Tries before giving up (default 8). */
  attempts?: number;
  /** First retry delay in ms, doubling each time (default 1000). */
  backoffMs?: number;
}

export interface Subscriber extends SubscriberSpec {
  /** `core` or the plugin that registered it: a plugin's subscriber runs only where it is enabled. */
  source: string;
}

/** `domain.pastTense`: `order.placed`, `merchant.approved`, `webhooks.endpointDisabled`. */
export const EVENT_TYPE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-zA-Z0-9]*)+$/;

const IRREGULAR_PAST = new Set(['paid', 'sent', 'held', 'made', 'built', 'sold', 'bought', 'set', 'reset', 'put', 'cut', 'split', 'kept', 'left', 'lost', 'found', 'won', 'began', 'begun', 'run', 'read', 'spent', 'taken', 'given', 'written', 'chosen', 'frozen', 'withdrawn', 'undone', 'done', 'shut', 'quit', 'rebuilt', 'resent', 'overpaid', 'underpaid', 'prepaid', 'repaid']);

/** The last word of the last segment names what happened, in the past tense. */
export function isEventType(type: string): boolean {
  if (!EVENT_TYPE.test(type) || type.length > 100) return false;
  const last = type.slice(type.lastIndexOf('.') + 1);
  const word = (last.match(/[A-Z]?[a-z0-9]+$/)?.[0] ?? last).toLowerCase();
  return word.endsWith('ed') || IRREGULAR_PAST.has(word);
}

export function matchesEvent(patterns: readonly string[], type: string): boolean {
  for (const p of patterns) {
    if (p === '*' || p === type) return true;
    if (p.endsWith('.*') && type.startsWith(p.slice(0, -1))) return true;
  }
  return false;
}
