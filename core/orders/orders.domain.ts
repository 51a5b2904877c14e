// The orders domain as the composition root sees it: its routes, and the built-in providers it
// registers at boot (offline payment, flat-rate shipping) so a store sells before any plugin,
// and the worker that applies payment gateways' stored webhook notifications.
import type { Domain } from '../domain.js';
import { cartRoutes } from './cart.routes.js';
import { adminOrderRoutes, storeOrderRoutes } from './order.routes.js';
import { consoleRoutes } from './console.routes.js';
import { offlinePaymentProvider } from './offline.payment.js';
import { flatRateShippingProvider } from './flat-rate.shipping.js';
import { processWebhooks } from './payment.webhooks.js';
import './payment.reconcile.js'; // registers the payments:reconcile plugin service
import './plugin.services.js'; // registers the orders:read plugin service
import './shipments.plugin-service.js'; // registers the shipments:write plugin service

export const ordersDomain: Domain = {
  name: 'orders',
  routes: [...cartRoutes, ...storeOrderRoutes, ...adminOrderRoutes, ...consoleRoutes],
  init(kernel) {
    kernel.extensions.addProvider('payment', offlinePaymentProvider);
    kernel.extensions.addProvider('shipping', flatRateShippingProvider);
  },
  // Payment gateways' stored notifications, applied from the queue (and re-queued by a scan).
  startWorkers: (kernel) => processWebhooks(kernel),
};
