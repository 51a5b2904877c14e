// The payment state machine of the spec (payments.md §4 requirement 6): nine states, a table of
// the moves allowed, cumulative amounts. Every gateway answer and webhook event goes through
// transition(): a same-state event is a successful no-op, a move the table does not list (a late
// `authorized` after `captured`, a `failed` after money was taken) is ignored and logged, never
// applied. Amounts only grow and stay within their ceilings (captured <= authorized <= total,
// refunded <= captured). Pure: persisted and serialized per payment by tracker.ts.
import { AppError } from '@bazaar/sdk';

export const PAYMENT_STATES = ['pending', 'requires_action', 'authorized', 'partially_captured', 'captured', 'partially_refunded', 'refunded', 'canceled', 'failed'] as const;
export type GatewayState = (typeof PAYMENT_STATES)[number];

/** From each state, the states it may move to. Terminal: refunded, canceled. */
export const TRANSITIONS: Readonly<Record<GatewayState, readonly GatewayState[]>> = {
  pending: ['requires_action', 'authorized', 'partially_captured', 'captured', 'canceled', 'failed'],
  requires_action: ['authorized', 'partially_captured', 'captured', 'canceled', 'failed'],
  authorized: ['partially_captured', 'captured', 'canceled'],
  partially_captured: ['captured', 'partially_refunded', 'refunded'],
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['refunded'],
  refunded: [],
  canceled: [],
  // A declined attempt: the shopper may try another card on the same payment.
  failed: ['pending', 'requires_action', 'authorized', 'partially_captured', 'captured', 'canceled'],
};

export type GatewayEventType = 'pending' | 'requires_action' | 'authorized' | 'captured' | 'refunded' | 'canceled' | 'failed';

/** What a gateway said; amounts are cumulative (the authorization, all captures, all refunds so far). */
export interface GatewayEvent {
  type: GatewayEventType;
  amount?: number;
}

export interface Snapshot {
  state: GatewayState;
  total: number;
  authorized: number;
  captured: number;
  refunded: number;
}

export interface Transition {
  next: Snapshot;
  /** `moved`: state or amounts changed; `same`: nothing to do (a repeat); `ignored`: a backward or impossible move, not applied. */
  outcome: 'moved' | 'same' | 'ignored';
  reason?: string;
}

export function canMove(from: GatewayState, to: GatewayState): boolean {
  return TRANSITIONS[from].includes(to);
}

const amountOf = (e: GatewayEvent) => (Number.isSafeInteger(e.amount) && e.amount! >= 0 ? e.amount! : null);

export function transition(s: Snapshot, e: GatewayEvent): Transition {
  const next: Snapshot = { ...s };
  const ignored = (reason: string): Transition => ({ next: s, outcome: 'ignored', reason });
  switch (e.type) {
    case 'pending':
    case 'requires_action':
    case 'canceled':
    case 'failed':
      next.state = e.type;
      break;
    case 'authorized': {
      const a = amountOf(e);
      if (a === null || a === 0) return ignored('an authorization needs an amount');
      if (a > s.total) return ignored(`authorized ${a} is above the payment's ${s.total}`);
      next.authorized = Math.max(s.authorized, a);
      next.state = 'authorized';
      break;
    }
    case 'captured': {
      const c = amountOf(e);
      if (c === null || c === 0) return ignored('a capture needs an amount');
      if (c > s.total) return ignored(`captured ${c} is above the payment's ${s.total}`);
      next.captured = Math.max(s.captured, c);
      // Automatic capture comes without a separate authorization: the capture authorizes it.
      next.authorized = Math.max(s.authorized, next.captured);
      next.state = next.captured < next.authorized ? 'partially_captured' : 'captured';
      // A late capture event after refunds began: the money it reports is already counted.
      if ((s.state === 'partially_refunded' || s.state === 'refunded') && next.captured === s.captured) return { next: s, outcome: 'same' };
      break;
    }
    case 'refunded': {
      const r = amountOf(e);
      if (r === null || r === 0) return ignored('a refund needs an amount');
      if (s.captured === 0) return ignored('nothing was captured to refund');
      if (r > s.captured) return ignored(`refunded ${r} is above the ${s.captured} captured`);
      next.refunded = Math.max(s.refunded, r);
      next.state = next.refunded >= s.captured ? 'refunded' : 'partially_refunded';
      break;
    }
  }
  const changed = next.state !== s.state || next.authorized !== s.authorized || next.captured !== s.captured || next.refunded !== s.refunded;
  if (!changed) return { next: s, outcome: 'same' };
  if (next.state !== s.state && !canMove(s.state, next.state)) return ignored(`${s.state} does not move to ${next.state}`);
  return { next, outcome: 'moved' };
}

/** Before asking the gateway to capture `amount` more: the spec's invariants (requirement 7). */
export function checkCapture(s: Snapshot, amount: number): 'capture' | 'noop' {
  if (s.state === 'canceled') throw new AppError(409, 'PAYMENT_CANCELED', 'The payment was cancelled; nothing can be captured', { params: {} });
  if (s.state === 'captured' && s.captured >= s.authorized) return 'noop';
  const room = Math.max(s.authorized, 0) - s.captured;
  if (amount > room) throw new AppError(409, 'CAPTURE_EXCEEDS_AUTHORIZED', `At most ${room} more can be captured`, { params: { room } });
  return 'capture';
}

/** Before asking the gateway to refund `amount` more. */
export function checkRefund(s: Snapshot, amount: number): void {
  const room = s.captured - s.refunded;
  if (amount > room) throw new AppError(409, 'REFUND_EXCEEDS_CAPTURED', `At most ${room} can be refunded`, { params: { room } });
}
