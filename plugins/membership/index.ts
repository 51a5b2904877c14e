// Membership: growth that lifts members through tiers with typed benefits, points earned on
// paid orders (pending through the return window) and spent as part of a payment, a daily
// check-in. Two append-only ledgers keyed per (member, business event, line) make every order
// event safe to replay; a nightly job checks the cached balances against them.
import { definePlugin, scoped, withTransaction, type TenantCtx, type AdjustmentInput, type AdjustmentProposal, type ShippingHookInput, type TenderInput } from '@bazaar/sdk';
import { Hold, Lot, Member, MODELS } from './membership.model.js';
import { clock } from './clock.js';
import { settingsSchema, type MembershipSettings } from './settings.js';
import { memberRow, reconcile } from './ledger.js';
import { benefit, evaluateTerms, tierOf } from './tiers.js';
import { pointsTender, onCancelled, onCompleted, onPaid, onPlaced, onRefund, releaseStaleHolds, settle, type OrdersDeps } from './orders.js';
import { birthdayGifts, runExpiry, sendNotices } from './expiry.js';
import { adminRoutes, storeRoutes } from './routes.js';

export { clock } from './clock.js';

const HOUR = 3_600_000;

export default definePlugin({
  name: 'membership',
  version: '0.1.0',
  core: '^0.1.0',
  description: 'Tiers, growth value, points earned on orders and spent at checkout, daily check-in',
  permissions: ['events:order', 'events:refund', 'orders:read', 'customers:read', 'notifications:send', 'cache:use', 'metrics:write', 'audit:write'],
  settingsSchema,
  models: MODELS,
  migrations: new URL('./migrations', import.meta.url),
  locales: new URL('./locales', import.meta.url),
  register(api) {
    const settings = (ctx: TenantCtx) => api.settings<MembershipSettings>(ctx);
    const orders = api.use('orders:read');
    const metrics = api.use('metrics:write');
    const deps: OrdersDeps = { orders, settings };


    // Expiry, notices before it, the end of tier terms, birthday gifts: each idempotent for the day.
    const daily = async (ctx: TenantCtx) => {
      const s = await settings(ctx);
      const expired = await withTransaction(ctx, (trx) => runExpiry(trx, s));
      const notices = await sendNotices(ctx, s, api as never, api.use('customers:read'), api.use('notifications:send'));
      const terms = await withTransaction(ctx, (trx) => evaluateTerms(trx, s));
      const birthdays = await withTransaction(ctx, (trx) => birthdayGifts(trx, s));
      return { expired, notices, terms, birthdays };
    };
    const customers = api.use('customers:read');
    const mail = api.use('notifications:send');
    const mailStepUp = async (ctx: TenantCtx, customerId: string, code: string, minutes: number) => {
      const customer = await customers.get(ctx, customerId);
      if (!customer) return null;
      await mail.sendMail(ctx, { to: customer.email, subject: api.t(ctx, 'stepUp.subject'), text: api.t(ctx, 'stepUp.text', { code, minutes }) });
      const [user, domain] = customer.email.split('@');
      return `${user.slice(0, 1)}***@${domain}`;
    };
    // Pending lots whose window has passed become available; holds on carts that never became an order go back.
    const hourly = async (ctx: TenantCtx) => {
      const s = await settings(ctx);
      const due = (await scoped(ctx, Lot).distinct('member_id').where('state', 'pending').whereNotNull('available_at').where('available_at', '<=', clock.now()).limit(1000)) as unknown as { memberId: string }[];
      for (const { memberId } of due) await withTransaction(ctx, (trx) => settle(trx, s, orders, memberId));
      const released = await withTransaction(ctx, (trx) => releaseStaleHolds(trx, s));
      return { members: due.length, released };
    };
    const routeDeps = { settings, cache: api.use('cache:use'), orders, audit: api.use('audit:write'), customers, mailStepUp, daily, hourly };
    api.routes.store(...storeRoutes(routeDeps));
    api.routes.admin(...adminRoutes(routeDeps));

    api.subscribe({ name: 'placed', events: ['order.placed'], handle: (ctx, e) => onPlaced(ctx, deps, e.payload.orderId) });
    api.subscribe({ name: 'paid', events: ['order.paid'], handle: (ctx, e) => onPaid(ctx, deps, e.payload.orderId) });
    api.subscribe({ name: 'completed', events: ['order.completed'], handle: (ctx, e) => onCompleted(ctx, deps, e.payload.orderId) });
    api.subscribe({ name: 'cancelled', events: ['order.cancelled'], handle: (ctx, e) => onCancelled(ctx, deps, e.payload.orderId) });
    // order.refunded (LOY-11) comes only once everything paid went back; a partial refund (one
    // returned line) is only a refund.issued. Both reverse towards the same targets, so the last
    // refund's two events together reverse it once.
    api.subscribe({ name: 'refunded', events: ['refund.issued'], handle: (ctx, e) => onRefund(ctx, deps, e.payload) });
    api.subscribe({
      name: 'order-refunded', events: ['order.refunded'],
      handle: (ctx, e) => onRefund(ctx, deps, { refundId: `order:${e.payload.orderId}`, orderId: e.payload.orderId, returnId: null, refundedAmount: e.payload.refundedAmount }),
    });

    // Tier benefits at checkout, as adjustments the core sums and shows on the order: the member
    // price on the merchandise (before shipping is priced, so a shipping method's free-over
    // threshold sees the discounted subtotal), then free shipping once shipping is priced, from
    // the tier's threshold compared with the same subtotal after discounts (logistics requirement 24).
    const tierOfCustomer = async (ctx: TenantCtx, customerId: string | null) => {
      if (!customerId) return null;
      const member = await scoped(ctx, Member).where('customer_id', customerId).first();
      return member ? tierOf(ctx, memberRow(member)) : null;
    };
    api.hook('checkout.adjustments', async (ctx, snap: AdjustmentInput): Promise<AdjustmentProposal[]> => {
      const tier = await tierOfCustomer(ctx, snap.customerId);
      const discount = benefit(tier, 'member_price_discount_percent');
      if (!tier || !discount) return [];
      const amount = Math.floor((snap.subtotal * discount.percent) / 100);
      return amount > 0 ? [{ label: api.t(ctx, 'memberDiscount', { tier: tier.name, percent: discount.percent }), amount: -amount, code: `tier:${tier.rank}:discount` }] : [];
    }, { budgetMs: 1000 });
    api.hook('checkout.shipping', async (ctx, snap: ShippingHookInput): Promise<AdjustmentProposal[]> => {
      if (!snap.shipping || snap.shipping.amount <= 0 || snap.currency !== ctx.tenant.defaultCurrency) return [];
      const tier = await tierOfCustomer(ctx, snap.customerId);
      const free = benefit(tier, 'free_shipping_threshold');
      if (!tier || !free || snap.discountedSubtotal < free.amount) return [];
      return [{ label: api.t(ctx, 'freeShipping', { tier: tier.name }), amount: -snap.shipping.amount, code: `tier:${tier.rank}:shipping` }];
    }, { budgetMs: 1000 });

    // Points as part of the payment: a tender, worked out after every discount (coupons included).
    api.hook('checkout.tenders', async (ctx, input: TenderInput): Promise<AdjustmentProposal[]> => {
      if (!input.customerId) return [];
      const member = await scoped(ctx, Member).where('customer_id', input.customerId).first();
      if (!member) return [];
      const hold = await scoped(ctx, Hold).where({ member_id: member.id, cart_id: input.cartId, status: 'held' }).first();
      if (!hold) return [];
      const s = await settings(ctx);
      const r = pointsTender(input, s, Number(hold.points));
      return r.points > 0 ? [{ label: api.t(ctx, 'pointsPayment', { points: r.points }), amount: -r.value, code: `points:${r.points}` }] : [];
    }, { budgetMs: 1000 });

    api.scheduleForTenants('settle', HOUR, async (ctx) => {
      await hourly(ctx);
    });
    api.scheduleForTenants('daily', 24 * HOUR, async (ctx) => {
      await daily(ctx);
    });
    // The nightly reconciliation: a mismatch is logged as an error, counted, mailed to the owners, and fails the run.
    api.scheduleForTenants('reconcile', 24 * HOUR, async (ctx) => {
      const result = await reconcile(ctx);
      if (!result.mismatches.length) return;
      metrics.count(ctx, 'reconcile_mismatches', {}, result.mismatches.length);
      ctx.log.error({ mismatches: result.mismatches.slice(0, 20) }, 'membership: balances do not match the ledgers');
      await api.use('notifications:send').notifyOwners(ctx, { subject: api.t(ctx, 'reconcileFailed.subject'), text: api.t(ctx, 'reconcileFailed.text', { count: result.mismatches.length }) });
      throw new Error(`membership reconciliation: ${result.mismatches.length} mismatches`);
    });
  },
});
