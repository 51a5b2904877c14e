// The catalog domain as the composition root sees it: its routes (admin and store) and the
// product import worker.
import type { Domain } from '../domain.js';
import { productRoutes, categoryRoutes, searchAdminRoutes } from './catalog.routes.js';
import { inventoryRoutes } from './inventory.routes.js';
import { storeRoutes } from './store.routes.js';
import { processImports } from './import/import.job.js';

export const catalogDomain: Domain = {
  name: 'catalog',
  routes: [...storeRoutes, ...productRoutes, ...categoryRoutes, ...inventoryRoutes, ...searchAdminRoutes],
  startWorkers: (kernel) => processImports(kernel),
};
