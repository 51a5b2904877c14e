// Compile-time checks of the SDK: each `@ts-expect-error` line is a wrong use of the plugin API
// that must not compile (tsc fails on an expected error that does not happen). Compiled by
// `tsc --noEmit` and by test/plugins/sdk-types.test.ts; never run.
import { definePlugin, route, type Ctx, type TenantCtx } from '@bazaar/sdk';
import './fixtures/extension-types.js';

export const wellTyped = definePlugin({
  name: 'typed',
  version: '1.0.0',
  core: '^0.1.0',
  permissions: ['store:read', 'cache:use', 'events:testkit'],
  register(api) {
    const store = api.use('store:read');
    const cache = api.use('cache:use');
    // @ts-expect-error customers:read is not among the declared permissions
    api.use('customers:read');
    // @ts-expect-error not a permission at all
    api.use('orders:everything');

    api.routes.store(
      route({ method: 'GET', path: '/ok', summary: 'ok', access: 'public', responses: { 200: { type: 'object' } }, handler: async ({ ctx }) => store.get(ctx as TenantCtx) }),
      // @ts-expect-error FETCH is not an HTTP method the router knows
      route({ method: 'FETCH', path: '/x', summary: 'x', access: 'public', responses: {}, handler: async () => ({}) }),
      // @ts-expect-error access must be public, customer, staff or platform
      route({ method: 'GET', path: '/y', summary: 'y', access: 'anyone', responses: {}, handler: async () => ({}) }),
    );

    api.middleware({ name: 'ok', position: 'afterTenant', order: -1, handle: async (_ctx, _http, next) => next() });
    // @ts-expect-error positions are afterTenant and afterAuth
    api.middleware({ name: 'bad', position: 'first', handle: async (_ctx, _http, next) => next() });
    api.middleware({ name: 'prepared', position: 'afterTenant', prepare: (settings) => ({ limit: Number(settings.limit) }), handle: async (_ctx, _http, next, p) => (p.limit > 0 ? next() : undefined) });
    // @ts-expect-error handle receives what prepare made (here a number, which has no `limit`)
    api.middleware({ name: 'mismatch', position: 'afterTenant', prepare: () => 1, handle: async (_ctx, _http, next, p) => (p.limit > 0 ? next() : undefined) });

    api.hook('testkit.adjust', async (_ctx, input) => ({ label: 'ok', amount: -input.subtotal }));
    // @ts-expect-error no such hook
    api.hook('testkit.nothing', async () => ({}));
    // @ts-expect-error a hook answers with its declared output
    api.hook('testkit.adjust', async () => ({ label: 1 }));

    api.provide('testkit-rates', { id: 'typed', rate: async () => '1.0' });
    // @ts-expect-error a provider implements its kind's contract
    api.provide('testkit-rates', { id: 'incomplete' });
    // @ts-expect-error no such provider kind
    api.provide('teleport', { id: 'x' });

    api.subscribe({
      name: 'typedPing',
      events: ['testkit.pinged'],
      async handle(ctx, event) {
        const n: number = event.payload.n;
        await cache.incr(ctx, `pings:${n}`, 60);
        // @ts-expect-error the payload of testkit.pinged has no `colour`
        void event.payload.colour;
        await api.emit(ctx, 'testkit.pinged', { n: n + 1 });
        // @ts-expect-error the payload must match the event's declared type
        await api.emit(ctx, 'testkit.pinged', { n: 'one' });
      },
    });

    api.scheduleForTenants('tick', 1000, async (ctx) => {
      await api.settings(ctx);
    });
    api.schedule('platformTick', 1000, async (ctx: Ctx) => {
      // @ts-expect-error settings are per tenant: a platform ctx is not enough
      await api.settings(ctx);
    });
  },
});

// @ts-expect-error a manifest without register() is not a plugin
export const noRegister = definePlugin({ name: 'x', version: '1.0.0', core: '*' });

// @ts-expect-error permissions are known service names or events:<domain>
export const unknownPermission = definePlugin({ name: 'x', version: '1.0.0', core: '*', permissions: ['orders:everything'], register() {} });

// @ts-expect-error scope is tenant or platform
export const badScope = definePlugin({ name: 'x', version: '1.0.0', core: '*', scope: 'global', register() {} });

export const noPermissions = definePlugin({
  name: 'bare',
  version: '1.0.0',
  core: '*',
  register(api) {
    // @ts-expect-error a plugin that declares no permissions can use no service
    api.use('cache:use');
  },
});
