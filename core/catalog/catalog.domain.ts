// The catalog domain as the composition root sees it: its routes (admin and store).
import type { Domain } from '../domain.js';
import { productRoutes, categoryRoutes, searchAdminRoutes } from './catalog.routes.js';
import { inventoryRoutes } from './inventory.routes.js';
import { storeRoutes } from './store.routes.js';

export const catalogDomain: Domain = {
  name: 'catalog',
  routes: [...storeRoutes, ...productRoutes, ...categoryRoutes, ...inventoryRoutes, ...searchAdminRoutes],
};
