// Read routes the store console's pages need beyond the order and customer lists: the dashboard's
// figures and a customer's order summary with the addresses they used.
import { route, type RouteSpec } from '../http/route.js';
import { idParams } from '../http/schemas.js';
import { requireTenant } from '../context.js';
import { salesFigures } from './dashboard.service.js';
import { customerSummary } from './customer-summary.service.js';

const money = { type: 'array', items: { type: 'object', required: ['currency', 'amount'], properties: { currency: { type: 'string' }, amount: { type: 'integer' } } } } as const;
const dayOut = { type: 'object', required: ['day', 'orders', 'revenue'], properties: { day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, orders: { type: 'integer' }, revenue: money } } as const;

export const consoleRoutes: RouteSpec[] = [
  route({
    method: 'GET', path: '/admin/v1/dashboard/sales', summary: "Orders placed and their value per currency for each of the last `days` days of the caller's calendar (`tzOffset`: minutes east of UTC); value leaves out cancelled orders", tags: ['admin: orders'], access: 'staff', permission: 'orders:read',
    query: {
      type: 'object', additionalProperties: false,
      properties: { days: { type: 'integer', minimum: 1, maximum: 90, default: 30 }, tzOffset: { type: 'integer', minimum: -840, maximum: 840, default: 0 } },
    },
    responses: {
      200: {
        type: 'object', required: ['tzOffset', 'from', 'to', 'today', 'days', 'currencies'],
        properties: { tzOffset: { type: 'integer' }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, today: dayOut, days: { type: 'array', items: dayOut }, currencies: { type: 'array', items: { type: 'string' } } },
      },
    },
    handler: ({ ctx, query }) => salesFigures(requireTenant(ctx), { days: query.days, tzOffset: query.tzOffset }),
  }),
  route({
    method: 'GET', path: '/admin/v1/customers/:id/summary', summary: "A customer's orders in figures (count, value per currency, first and last) and the addresses used on the latest orders", tags: ['admin: customers'], access: 'staff', permission: 'customers:read',
    params: idParams,
    responses: {
      200: {
        type: 'object', required: ['customerId', 'orders', 'spent', 'firstOrderAt', 'lastOrderAt', 'addresses'],
        properties: {
          customerId: { type: 'string' }, orders: { type: 'integer' }, spent: money, firstOrderAt: { type: ['string', 'null'] }, lastOrderAt: { type: ['string', 'null'] },
          addresses: { type: 'array', maxItems: 10, items: { type: 'object', required: ['kind', 'address', 'lastUsedAt'], properties: { kind: { enum: ['shipping', 'billing'] }, address: { type: 'object' }, lastUsedAt: { type: 'string' } } } },
        },
      },
    },
    errors: { 404: ['CUSTOMER_NOT_FOUND'] },
    handler: ({ ctx, params }) => customerSummary(requireTenant(ctx), params.id),
  }),
];
