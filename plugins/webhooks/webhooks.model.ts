import { TenantModel } from '@bazaar/sdk';

/** A URL of the tenant's that receives the events it lists. */
export class WebhookEndpoint extends TenantModel {
  static override tableName = 'webhooks_endpoints';
  static override jsonAttributes = ['events'];
  id!: string;
  url!: string;
  description!: string | null;
  events!: string[];
  secret!: string;
  status!: 'active' | 'disabled';
  disabledReason!: string | null;
  firstFailureAt!: string | null;
  lastSuccessAt!: string | null;
  lastFailureAt!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

/** One event for one endpoint: the exact body sent, and where its retries stand. */
export class WebhookDelivery extends TenantModel {
  static override tableName = 'webhooks_deliveries';
  id!: string;
  endpointId!: string;
  eventId!: string;
  eventType!: string;
  body!: string;
  status!: 'pending' | 'succeeded' | 'failed';
  attempts!: number;
  nextAttemptAt!: string | null;
  lockExpiresAt!: string | null;
  lastStatus!: number | null;
  createdAt!: string;
  updatedAt!: string;
}

/** One HTTP request of a delivery: what came back and how long it took. */
export class WebhookAttempt extends TenantModel {
  static override tableName = 'webhooks_attempts';
  static override timestamps = false;
  id!: string;
  deliveryId!: string;
  number!: number;
  trigger!: 'auto' | 'replay';
  statusCode!: number | null;
  durationMs!: number;
  error!: string | null;
  responseExcerpt!: string | null;
  createdAt!: string;
}
