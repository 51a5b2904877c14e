// The core's domains, in the order their routes are mounted.
import type { Domain } from './domain.js';
import { userRoutes } from './users/user.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { processNotifications } from './notify/notification.jobs.js';
import { catalogDomain } from './catalog/catalog.domain.js';
import { ordersDomain } from './orders/orders.domain.js';

export const coreDomains: Domain[] = [
  { name: 'users', routes: userRoutes },
  { name: 'audit', routes: auditRoutes },
  { name: 'notify', routes: [], startWorkers: processNotifications },
  catalogDomain,
  ordersDomain,
];
