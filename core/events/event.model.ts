import { TenantModel, registerTenantModel } from '../db/model.js';

/** One domain event waiting in (or relayed from) the transactional outbox. */
export class OutboxEvent extends TenantModel {
  static override tableName = 'outbox';
  static override jsonAttributes = ['payload'];
  static override timestamps = false;
  id!: string;
  type!: string;
  payload!: Record<string, unknown>;
  requestId!: string | null;
  actor!: string | null;
  createdAt!: string;
  relayedAt!: string | null;
}
registerTenantModel(OutboxEvent);

/** A subscriber's receipt for an event (or any once-only key): the row makes a retry a no-op. */
export class HandledEvent extends TenantModel {
  static override tableName = 'handled_events';
  static override idColumn = ['subscriber', 'event_id'];
  static override generateId = false;
  static override timestamps = false;
  subscriber!: string;
  eventId!: string;
  handledAt!: string;
}
registerTenantModel(HandledEvent);
