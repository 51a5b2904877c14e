// Admin API for inventory: stock per variant and location, adjustments and counts, movements.
import { route, created, type RouteSpec } from '../http/route.js';
import { idParams, id } from '../http/schemas.js';
import { requireTenant } from '../context.js';
import { InvalidError } from '../errors.js';
import * as inventory from './inventory.service.js';
import type { StockLocation } from './catalog.model.js';
import * as s from './catalog.schemas.js';

const tags = ['admin: inventory'];
const read = 'inventory:read';
const write = 'inventory:write';

const toLocation = (l: StockLocation) => ({ id: l.id, code: l.code, name: l.name, isDefault: Boolean(l.isDefault), createdAt: l.createdAt, updatedAt: l.updatedAt });
const movementsQuery = { type: 'object', additionalProperties: false, properties: { ...s.pageQuery, locationId: id } } as const;

export const inventoryRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/variants/:id/stock', summary: 'On hand, reserved and available units of a variant, in total and per location', tags, access: 'staff', permission: read,
    params: idParams, responses: { 200: s.stockOut },
    errors: { 404: ['VARIANT_NOT_FOUND'] },
    handler: ({ ctx, params }) => inventory.variantStock(requireTenant(ctx), params.id),
  }),
  route({
    method: 'POST', path: '/admin/v1/variants/:id/stock/adjustments', summary: 'Change on-hand units by delta, or set them from a count (onHand); recorded as a movement', tags, access: 'staff', permission: write,
    params: idParams, body: s.adjustmentIn, responses: { 201: s.levelOut },
    errors: { 400: ['STOCK_LIMIT'], 404: ['VARIANT_NOT_FOUND'], 409: ['INSUFFICIENT_STOCK'] },
    handler: async ({ ctx, params, body }) => {
      const tctx = requireTenant(ctx);
      if ((body.delta === undefined) === (body.onHand === undefined)) {
        throw new InvalidError('VALIDATION_FAILED', 'Give either delta or onHand', { errors: [{ in: 'body', pointer: '/delta', code: 'oneOf', message: 'body needs exactly one of delta (a change) and onHand (a count)' }] });
      }
      if (body.onHand !== undefined) return created(await inventory.countStock(tctx, params.id, { onHand: body.onHand, note: body.note, locationId: body.locationId }));
      return created(await inventory.adjustStock(tctx, params.id, { delta: body.delta, reason: body.reason, note: body.note, locationId: body.locationId }));
    },
  }),
  route({
    method: 'GET', path: '/admin/v1/variants/:id/stock/movements', summary: "A variant's stock movements, newest first: each with its reason, who, and the level after it", tags, access: 'staff', permission: read,
    params: idParams, query: movementsQuery, responses: { 200: s.page(s.movementOut) },
    errors: { 404: ['VARIANT_NOT_FOUND'] },
    handler: ({ ctx, params, query }) => inventory.listMovements(requireTenant(ctx), { ...query, variantId: params.id }),
  }),
  route({
    method: 'GET', path: '/admin/v1/stock/movements', summary: "The store's stock movements, newest first", tags, access: 'staff', permission: read,
    query: movementsQuery, responses: { 200: s.page(s.movementOut) },
    handler: ({ ctx, query }) => inventory.listMovements(requireTenant(ctx), query),
  }),
  route({
    method: 'GET', path: '/admin/v1/stock-locations', summary: 'Stock locations (warehouses, shops)', tags, access: 'staff', permission: read,
    responses: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: s.locationOut } } } },
    handler: async ({ ctx }) => {
      const tctx = requireTenant(ctx);
      await inventory.defaultLocation(tctx);
      return { items: (await inventory.listLocations(tctx)).map(toLocation) };
    },
  }),
  route({
    method: 'POST', path: '/admin/v1/stock-locations', summary: 'Add a stock location', tags, access: 'staff', permission: write,
    body: s.locationIn, responses: { 201: s.locationOut },
    errors: { 409: ['LOCATION_CODE_TAKEN'] },
    handler: async ({ ctx, body }) => created(toLocation(await inventory.createLocation(requireTenant(ctx), body))),
  }),
  route({
    method: 'PATCH', path: '/admin/v1/stock-locations/:id', summary: 'Rename a location or make it the default', tags, access: 'staff', permission: write,
    params: idParams, body: s.locationPatch, responses: { 200: s.locationOut },
    errors: { 404: ['LOCATION_NOT_FOUND'] },
    handler: async ({ ctx, params, body }) => toLocation(await inventory.updateLocation(requireTenant(ctx), params.id, body)),
  }),
];
