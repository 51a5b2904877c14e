// Admin API under /admin/v1/logistics: zones, methods, customer groups, and which zone takes an address.
import { route, created, noContent, idParams, id, page, pageQuery, NotFoundError, scoped, type PluginRoute, type TenantCtx, type CustomerService } from '@bazaar/sdk';
import { pageBy, type PageIn } from './paging.js';
import * as svc from './rates.service.js';
import type { ConfigMemo } from './config.js';
import { groupsBody, groupsOut, matchQuery, methodBody, methodOut, zoneBody, zoneOut } from './schemas.js';
import { LogisticsMethod, LogisticsZone } from './logistics.model.js';

const tags = ['admin: logistics'];
const t = (ctx: unknown) => ctx as TenantCtx;
const listQuery = { type: 'object', additionalProperties: false, properties: pageQuery } as const;
const customerParams = { type: 'object', required: ['id'], additionalProperties: false, properties: { id } } as const;

/** The five routes of one admin resource (list, add, one, replace, delete): zones and methods share the shape. */
export function crudRoutes<M, I, V extends { id: string }>(r: {
  path: string;
  noun: { one: string; many: string; add: string; remove: string };
  list: (ctx: TenantCtx, page: PageIn) => Promise<{ items: M[]; nextCursor: string | null }>;
  body: Record<string, unknown>;
  out: Record<string, unknown>;
  view: (row: M) => V;
  get: (ctx: TenantCtx, id: string) => Promise<M>;
  create: (ctx: TenantCtx, input: I) => Promise<V>;
  update: (ctx: TenantCtx, id: string, input: I) => Promise<V>;
  remove: (ctx: TenantCtx, id: string) => Promise<void>;
  /** The problem codes: an unknown id (404), a refused body (400, 409 such as a taken code), a delete refused while in use (409). */
  errors: { notFound: string; invalid?: string[]; conflict?: string[]; inUse?: string[] };
  /** After each write (committed or refused): what remembers these rows forgets them (config.ts). */
  changed?: (ctx: TenantCtx) => Promise<void>;
}): PluginRoute[] {
  const after = <R>(ctx: TenantCtx, write: Promise<R>): Promise<R> => (r.changed ? write.finally(() => r.changed!(ctx)) : write);
  const notFound: Record<number, string[]> = { 404: [r.errors.notFound] };
  const write: Record<number, string[]> = { 400: ['LOGISTICS_INVALID', ...(r.errors.invalid ?? [])] };
  if (r.errors.conflict) write[409] = r.errors.conflict;
  const remove: Record<number, string[]> = { ...notFound };
  if (r.errors.inUse) remove[409] = r.errors.inUse;
  return [
    route({
      method: 'GET', path: r.path, summary: `${r.noun.many}, a page at a time (limit, cursor from nextCursor)`, tags, access: 'staff',
      query: listQuery, responses: { 200: page(r.out) },
      handler: async ({ ctx, query }) => {
        const p = await r.list(t(ctx), query as PageIn);
        return { items: p.items.map(r.view), nextCursor: p.nextCursor };
      },
    }),
    route({
      method: 'POST', path: r.path, summary: r.noun.add, tags, access: 'staff',
      body: r.body, responses: { 201: r.out },
      errors: write,
      handler: async ({ ctx, body }) => {
        const made = await after(t(ctx), r.create(t(ctx), body as I));
        return created(made, `/admin/v1/logistics${r.path}/${made.id}`);
      },
    }),
    route({
      method: 'GET', path: `${r.path}/:id`, summary: r.noun.one, tags, access: 'staff',
      params: idParams, responses: { 200: r.out },
      errors: notFound,
      handler: async ({ ctx, params }) => r.view(await r.get(t(ctx), params.id)),
    }),
    route({
      method: 'PUT', path: `${r.path}/:id`, summary: `Replace ${r.noun.one.toLowerCase()}`, tags, access: 'staff',
      params: idParams, body: r.body, responses: { 200: r.out },
      errors: { ...write, ...notFound },
      handler: ({ ctx, params, body }) => after(t(ctx), r.update(t(ctx), params.id, body as I)),
    }),
    route({
      method: 'DELETE', path: `${r.path}/:id`, summary: r.noun.remove, tags, access: 'staff',
      params: idParams, responses: { 204: {} },
      errors: remove,
      handler: async ({ ctx, params }) => {
        await after(t(ctx), r.remove(t(ctx), params.id));
        return noContent();
      },
    }),
  ];
}

export function rateRoutes(customers: CustomerService, config: ConfigMemo): PluginRoute[] {
  const requireCustomer = async (ctx: TenantCtx, id: string) => {
    if (!(await customers.get(ctx, id))) throw new NotFoundError('CUSTOMER_NOT_FOUND', 'No such customer');
  };
  return [
    // Before /zones/:id, which would take "match" for an id.
    route({
      method: 'GET', path: '/zones/match', summary: 'The zone that takes an address (most specific wins)', tags, access: 'staff',
      query: matchQuery,
      responses: { 200: { type: 'object', required: ['zone', 'level'], properties: { zone: { oneOf: [zoneOut, { type: 'null' }] }, level: { enum: ['country', 'region', 'postal', null] } } } },
      handler: ({ ctx, query }) => svc.matchAddress(t(ctx), query as { country: string; region?: string; postalCode?: string }),
    }),
    ...crudRoutes<LogisticsZone, svc.ZoneInput, ReturnType<typeof svc.zoneView>>({
      path: '/zones', body: zoneBody, out: zoneOut, view: svc.zoneView,
      noun: { one: 'One zone', many: 'Shipping zones of this store', add: 'Add a zone (refused when it overlaps another at the same level)', remove: 'Delete a zone no method uses' },
      list: (ctx, p) => pageBy(scoped(ctx, LogisticsZone), [{ column: 'name', of: (z) => z.name }], p),
      get: svc.getZone, create: svc.createZone, update: svc.updateZone, remove: svc.deleteZone,
      errors: { notFound: 'ZONE_NOT_FOUND', conflict: ['ZONE_NAME_TAKEN', 'ZONE_OVERLAP'], inUse: ['ZONE_IN_USE'] },
      changed: config.changed,
    }),
    ...crudRoutes<LogisticsMethod, svc.MethodInput, ReturnType<typeof svc.methodView>>({
      path: '/methods', body: methodBody, out: methodOut, view: svc.methodView,
      noun: { one: 'One method', many: 'Shipping methods of this store', add: 'Add a method: a zone, eligibility checks and one calculator', remove: 'Delete a method' },
      list: (ctx, p) => pageBy(scoped(ctx, LogisticsMethod), [{ column: 'position', of: (m) => m.position }, { column: 'code', of: (m) => m.code }], p),
      get: svc.getMethod, create: svc.createMethod, update: svc.updateMethod, remove: svc.deleteMethod,
      errors: { notFound: 'METHOD_NOT_FOUND', conflict: ['METHOD_CODE_TAKEN'] },
      changed: config.changed,
    }),
    route({
      method: 'GET', path: '/customers/:id/groups', summary: "A customer's shipping groups", tags, access: 'staff',
      params: customerParams, responses: { 200: groupsOut },
      errors: { 404: ['CUSTOMER_NOT_FOUND'] },
      handler: async ({ ctx, params }) => {
        await requireCustomer(t(ctx), params.id);
        return { customerId: params.id, groups: await svc.customerGroups(t(ctx), params.id) };
      },
    }),
    route({
      method: 'PUT', path: '/customers/:id/groups', summary: "Set a customer's shipping groups", tags, access: 'staff',
      params: customerParams, body: groupsBody, responses: { 200: groupsOut },
      errors: { 404: ['CUSTOMER_NOT_FOUND'] },
      handler: async ({ ctx, params, body }) => {
        await requireCustomer(t(ctx), params.id);
        return { customerId: params.id, groups: await svc.setCustomerGroups(t(ctx), params.id, body.groups) };
      },
    }),
  ];
}
