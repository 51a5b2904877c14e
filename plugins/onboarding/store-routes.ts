// The store's own side of onboarding (`/admin/v1/onboarding/...`, the store console): its
// scorecard with its penalty points, restrictions and appeals, and its change requests, which it
// may cancel while they wait. Onboarding is a platform plugin: the host serves these routes only
// to stores it opened (api.actsFor), to staff holding onboarding:read / onboarding:write (owner
// and admin; a viewer reads), with ctx.db the control database; every row is read through
// scopedTo(), which filters on the signed-in store's `store_id`, so no id of another store answers.
import type { Ctx, PluginRoute } from '@bazaar/sdk';
import { ConflictError, NotFoundError, pageByIdDesc, recordAudit, route, scopedTo } from '@bazaar/sdk';
import { Application, Penalty, ProductChange, Restriction, Scorecard } from './onboarding.model.js';
import { quarterOf, weekOf } from './scorecard.rules.js';
import type { AfterOpeningOptions } from './after-opening.js';
import type { Changes } from './changes.js';
import type { Penalties } from './penalties.js';

const tags = ['admin: onboarding (store)'];
const idParam = { type: 'string', pattern: '^[0-9a-f-]{36}$' };
const STATUSES = ['pending', 'confirmed', 'declined', 'canceled'] as const;

const cardOut = {
  type: ['object', 'null'], required: ['day', 'windowDays', 'orders', 'rates', 'breaches'],
  properties: { day: { type: 'string' }, windowDays: { type: 'integer' }, orders: { type: 'integer' }, rates: { type: 'object' }, breaches: { type: 'array', items: { type: 'string' } }, computedAt: { type: 'string' } },
};
const restrictionOut = {
  type: 'object', required: ['id', 'level', 'kind', 'startsAt', 'endsAt', 'active', 'appeal'],
  properties: { id: { type: 'string' }, level: { type: 'integer' }, kind: { enum: ['no_campaigns', 'deboost', 'no_new_listings'] }, startsAt: { type: 'string' }, endsAt: { type: 'string' }, active: { type: 'boolean' }, liftedAt: { type: ['string', 'null'] }, liftReason: { type: ['string', 'null'] }, appeal: { type: 'object', required: ['status', 'dueAt'], properties: { status: { enum: ['pending', 'upheld', 'overturned', null] }, dueAt: { type: 'string' } } } },
};
const scorecardOut = {
  type: 'object', additionalProperties: false, required: ['storeId', 'thresholds', 'days30', 'days90', 'quarter', 'points', 'tiers', 'penalties', 'restrictions', 'active'],
  properties: {
    storeId: { type: 'string' }, thresholds: { type: 'object' }, days30: cardOut, days90: cardOut,
    quarter: { type: 'string' }, points: { type: 'integer' }, tiers: { type: 'array', items: { type: 'integer' } }, appealDays: { type: 'integer' },
    penalties: { type: 'array', items: { type: 'object', required: ['week', 'metric', 'points'], properties: { week: { type: 'string' }, metric: { type: 'string' }, points: { type: 'integer' }, voided: { type: 'boolean' } } } },
    restrictions: { type: 'array', items: restrictionOut },
    active: { type: 'array', items: { type: 'string' } },
  },
};
const changeOut = {
  type: 'object', required: ['id', 'productId', 'status', 'actions', 'patch', 'reasons', 'proposedAt', 'slaDueAt'],
  properties: { id: { type: 'string' }, productId: { type: 'string' }, status: { enum: [...STATUSES] }, actions: { type: 'array' }, patch: { type: 'object' }, reasons: { type: 'array', items: { type: 'string' } }, note: { type: ['string', 'null'] }, auto: { type: 'boolean' }, proposedAt: { type: 'string' }, slaDueAt: { type: 'string' }, breached: { type: 'boolean' }, decidedAt: { type: ['string', 'null'] } },
};

export interface StoreSideDeps {
  options: Pick<AfterOpeningOptions, 'scorecard'>;
  changes: Changes;
  penalties: Penalties;
}

/** Whether onboarding acts for the store: it opened it (an approval provisioned it). ctx.db is the control database. */
export async function opened(ctx: Ctx & { tenant: { id: string } }): Promise<boolean> {
  return Boolean(await Application.query(ctx.db).where('store_id', ctx.tenant.id).select('id').first());
}

export function storeRoutes(deps: StoreSideDeps): PluginRoute[] {
  const { changes, penalties } = deps;
  // A change as its store sees it: no reviewer ids (the platform's business).
  const changeView = (r: ProductChange) => changes.view(r, { reviewer: false });

  return [
    route({
      method: 'GET', path: '/scorecard', summary: "The store's own scorecard: the latest 30- and 90-day cards (metrics, breaches), its penalty points this quarter, its restrictions and their appeals", tags, access: 'staff',
      responses: { 200: scorecardOut },
      async handler({ ctx }) {
        const storeId = ctx.tenant!.id;
        const cards = await scopedTo(ctx, Scorecard).orderBy('day', 'desc').limit(2);
        const card = (days: number) => {
          const c = cards.find((x) => x.windowDays === days);
          return c ? { day: c.day, windowDays: c.windowDays, orders: c.orders, rates: c.rates, breaches: c.breaches, computedAt: c.computedAt } : null;
        };
        const now = new Date();
        const quarter = quarterOf(weekOf(now));
        const points = await scopedTo(ctx, Penalty).where('quarter', quarter).orderBy('week').orderBy('metric');
        const restrictions = await scopedTo(ctx, Restriction).orderBy('starts_at', 'desc').orderBy('level', 'desc').limit(50);
        const views = restrictions.map((r) => {
          const { storeId: _s, appeal, ...v } = penalties.restrictionView(r, now.getTime());
          // The reviewer who decided an appeal is the platform's business; the decision and its note are the store's.
          return { ...v, appeal: { status: appeal.status, text: appeal.text, appealedAt: appeal.appealedAt, decidedAt: appeal.decidedAt, note: appeal.note, dueAt: appeal.dueAt } };
        });
        return {
          storeId, thresholds: deps.options.scorecard, days30: card(30), days90: card(90),
          quarter, points: points.filter((p) => !p.voidedAt).reduce((sum, p) => sum + Number(p.points), 0), tiers: penalties.tiers, appealDays: penalties.appealDays,
          penalties: points.map((p) => ({ week: p.week, metric: p.metric, points: Number(p.points), voided: Boolean(p.voidedAt) })),
          restrictions: views,
          active: [...new Set(views.filter((r) => r.active).map((r) => r.kind))],
        };
      },
    }),
    route({
      method: 'GET', path: '/changes', summary: "The store's own change requests to live products, newest first, a page at a time; `status` filters (all by default)", tags, access: 'staff',
      query: { type: 'object', additionalProperties: false, properties: { status: { enum: [...STATUSES, 'all'], default: 'all' }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, cursor: { type: 'string', minLength: 1, maxLength: 200 } } },
      responses: { 200: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: changeOut }, nextCursor: { type: ['string', 'null'] } } } },
      errors: { 400: ['INVALID_CURSOR'] },
      async handler({ ctx, query }) {
        const q = scopedTo(ctx, ProductChange);
        if (query.status !== 'all') q.where('status', query.status);
        const page = await pageByIdDesc(q, 'id', query.limit, query.cursor);
        return { items: page.items.map(changeView), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'POST', path: '/changes/:id/cancel', summary: 'Withdraw a change request of the store that is still waiting for review (409 once decided or cancelled); audited', tags, access: 'staff',
      params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: idParam } },
      responses: { 200: changeOut },
      errors: { 404: ['CHANGE_NOT_FOUND'], 409: ['CHANGE_ALREADY_DECIDED'] },
      async handler({ ctx, params }) {
        const find = async () => {
          const row = await scopedTo(ctx, ProductChange).findById(params.id);
          if (!row) throw new NotFoundError('CHANGE_NOT_FOUND', 'No such change request');
          return row;
        };
        const row = await find();
        const decided = (r: ProductChange) => new ConflictError('CHANGE_ALREADY_DECIDED', `The change is ${r.status} already`, { extra: { changeStatus: r.status, decidedAt: r.decidedAt } });
        if (row.status !== 'pending') throw decided(row);
        const n = await scopedTo(ctx, ProductChange).patch({ status: 'canceled', pendingKey: null, decidedAt: new Date().toISOString() }).where('id', row.id).where('status', 'pending');
        if (n !== 1) throw decided(await find());
        await recordAudit(ctx, { action: 'onboarding.change.canceled', targetType: 'product', targetId: row.productId, tenantId: row.storeId, after: { changeId: row.id, by: 'store' } });
        return changeView(await find());
      },
    }),
  ];
}
