// Admin API under /admin/v1/logistics: zones, methods, customer groups, and which zone takes an address.
import { route, created, noContent, idParams, id, NotFoundError, type PluginRoute, type TenantCtx, type CustomerService } from '@bazaar/sdk';
import * as svc from './rates.service.js';
import { groupsBody, groupsOut, items, matchQuery, methodBody, methodOut, zoneBody, zoneOut } from './schemas.js';
import { LogisticsMethod, LogisticsZone } from './logistics.model.js';
import { scoped } from '@bazaar/sdk';

const tags = ['admin: logistics'];
const t = (ctx: unknown) => ctx as TenantCtx;
const customerParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } } as const;

export function rateRoutes(customers: CustomerService): PluginRoute[] {
  const requireCustomer = async (ctx: TenantCtx, id: string) => {
    if (!(await customers.get(ctx, id))) throw new NotFoundError('CUSTOMER_NOT_FOUND', 'No such customer');
  };
  return [
    route({
      method: 'GET', path: '/zones', summary: 'Shipping zones of this store', tags, access: 'staff',
      responses: { 200: items(zoneOut) },
      handler: async ({ ctx }) => ({ items: (await scoped(t(ctx), LogisticsZone).orderBy('name')).map(svc.zoneView) }),
    }),
    route({
      method: 'POST', path: '/zones', summary: 'Add a zone (refused when it overlaps another at the same level)', tags, access: 'staff',
      body: zoneBody, responses: { 201: zoneOut },
      handler: async ({ ctx, body }) => {
        const z = await svc.createZone(t(ctx), body as svc.ZoneInput);
        return created(z, `/admin/v1/logistics/zones/${z.id}`);
      },
    }),
    route({
      method: 'GET', path: '/zones/match', summary: 'The zone that takes an address (most specific wins)', tags, access: 'staff',
      query: matchQuery,
      responses: { 200: { type: 'object', required: ['zone', 'level'], properties: { zone: { oneOf: [zoneOut, { type: 'null' }] }, level: { enum: ['country', 'region', 'postal', null] } } } },
      handler: ({ ctx, query }) => svc.matchAddress(t(ctx), query as { country: string; region?: string; postalCode?: string }),
    }),
    route({
      method: 'GET', path: '/zones/:id', summary: 'One zone', tags, access: 'staff',
      params: idParams, responses: { 200: zoneOut },
      handler: async ({ ctx, params }) => svc.zoneView(await svc.getZone(t(ctx), params.id)),
    }),
    route({
      method: 'PUT', path: '/zones/:id', summary: 'Replace a zone', tags, access: 'staff',
      params: idParams, body: zoneBody, responses: { 200: zoneOut },
      handler: ({ ctx, params, body }) => svc.updateZone(t(ctx), params.id, body as svc.ZoneInput),
    }),
    route({
      method: 'DELETE', path: '/zones/:id', summary: 'Delete a zone no method uses', tags, access: 'staff',
      params: idParams, responses: { 204: {} },
      handler: async ({ ctx, params }) => {
        await svc.deleteZone(t(ctx), params.id);
        return noContent();
      },
    }),
    route({
      method: 'GET', path: '/methods', summary: 'Shipping methods of this store', tags, access: 'staff',
      responses: { 200: items(methodOut) },
      handler: async ({ ctx }) => ({ items: (await scoped(t(ctx), LogisticsMethod).orderBy([{ column: 'position' }, { column: 'code' }])).map(svc.methodView) }),
    }),
    route({
      method: 'POST', path: '/methods', summary: 'Add a method: a zone, eligibility checks and one calculator', tags, access: 'staff',
      body: methodBody, responses: { 201: methodOut },
      handler: async ({ ctx, body }) => {
        const m = await svc.createMethod(t(ctx), body as svc.MethodInput);
        return created(m, `/admin/v1/logistics/methods/${m.id}`);
      },
    }),
    route({
      method: 'GET', path: '/methods/:id', summary: 'One method', tags, access: 'staff',
      params: idParams, responses: { 200: methodOut },
      handler: async ({ ctx, params }) => svc.methodView(await svc.getMethod(t(ctx), params.id)),
    }),
    route({
      method: 'PUT', path: '/methods/:id', summary: 'Replace a method', tags, access: 'staff',
      params: idParams, body: methodBody, responses: { 200: methodOut },
      handler: ({ ctx, params, body }) => svc.updateMethod(t(ctx), params.id, body as svc.MethodInput),
    }),
    route({
      method: 'DELETE', path: '/methods/:id', summary: 'Delete a method', tags, access: 'staff',
      params: idParams, responses: { 204: {} },
      handler: async ({ ctx, params }) => {
        await svc.deleteMethod(t(ctx), params.id);
        return noContent();
      },
    }),
    route({
      method: 'GET', path: '/customers/:id/groups', summary: "A customer's shipping groups", tags, access: 'staff',
      params: customerParams, responses: { 200: groupsOut },
      handler: async ({ ctx, params }) => {
        await requireCustomer(t(ctx), params.id);
        return { customerId: params.id, groups: await svc.customerGroups(t(ctx), params.id) };
      },
    }),
    route({
      method: 'PUT', path: '/customers/:id/groups', summary: "Set a customer's shipping groups", tags, access: 'staff',
      params: customerParams, body: groupsBody, responses: { 200: groupsOut },
      handler: async ({ ctx, params, body }) => {
        await requireCustomer(t(ctx), params.id);
        return { customerId: params.id, groups: await svc.setCustomerGroups(t(ctx), params.id, body.groups) };
      },
    }),
  ];
}
