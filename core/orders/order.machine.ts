// The order's state machine. Status says where the goods are; payment_status (next to it)
// says where the money is. A move not in this table is refused with 409 ORDER_STATE_CONFLICT
// naming the current state; every move is a conditional update on the state it was read in,
// so two staff clicking at once cannot both win.
//
//   pending_payment ─paid─> paid ─> fulfilling ─> shipped ─> delivered ─> completed
//         │  (cash on delivery may ship before it is paid)                     │
//         ├──> on_hold ──release──> (back where it was)                        │
//         └──> cancelled <── paid, fulfilling, on_hold        refunded <───────┘ (and from paid on)
import { ConflictError } from '../errors.js';
import type { OrderStatus } from './order.types.js';

export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  pending_payment: ['paid', 'on_hold', 'cancelled', 'fulfilling', 'shipped'],
  on_hold: ['pending_payment', 'paid', 'fulfilling', 'cancelled'],
  paid: ['fulfilling', 'shipped', 'on_hold', 'cancelled', 'refunded'],
  fulfilling: ['shipped', 'on_hold', 'cancelled', 'refunded'],
  shipped: ['delivered', 'refunded'],
  delivered: ['completed', 'refunded'],
  completed: ['refunded'],
  cancelled: [],
  refunded: [],
});

export function stateConflict(current: string, action: string): ConflictError {
  return new ConflictError('ORDER_STATE_CONFLICT', `The order is ${current}; it cannot be ${action}`, {
    params: { currentState: current, action },
    extra: { currentState: current, action },
  });
}

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertCanMove(from: OrderStatus, to: OrderStatus, action: string = to): void {
  if (!canMove(from, to)) throw stateConflict(from, action);
}
