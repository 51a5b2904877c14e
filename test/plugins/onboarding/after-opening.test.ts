// After approval: the payout-account prerequisite (ONB-2), the deposit ledger with its top-up
// deadline and DEPOSIT_SHORTFALL suspension (ONB-8), the product quality gate through the core's
// catalog.beforePublish hook (ONB-9), the scorecard from real orders (ONB-11), and termination,
// refused while orders are open or the deposit unsettled (ONB-2).
import { expect } from 'chai';
import { startTestKit, type TestKit } from '@bazaar/sdk/testing';
import { definePlugin } from '@bazaar/sdk';
import { applicant, mailTo, onboardingKit, readyApplication, reviewer, upload } from './helpers.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';
const ADDRESS = { name: 'Ada Shopper', line1: '1 Market Street', city: 'Springfield', postalCode: '12345', country: 'US' };

interface OpenStore {
  id: string;
  slug: string;
  storeId: string;
  owner: string;
  applicant: { email: string; token: string };
}

describe('onboarding after approval', function () {
  this.timeout(180_000);
  let kit: TestKit;
  let rev: string;
  const db = () => kit.kernel.pool.control;

  before(async () => {
    kit = await onboardingKit({ sweepMs: 1000, autoApproveAfter: 2, topUpDays: 15, scorecard: { minOrders: 1 } });
    rev = await reviewer(kit);
  });
  after(async () => {
    await kit?.close();
  });

  /** Applies, is approved, sets the owner's password from the invitation, accepts the contract. */
  async function approvedStore(category = 'cn-general'): Promise<OpenStore & { view: any }> {
    const who = await applicant(kit);
    const slug = `s-${Math.random().toString(36).slice(2, 10)}`;
    const id = await readyApplication(kit, who.token, { slug, category });
    if (category === 'cn-food') for (const req of ['category_licence', 'quality_report']) expect((await upload(kit, who.token, id, req)).status).to.equal(201);
    expect((await kit.post(`${A}/applications/${id}/submit`, {}, { token: who.token })).status).to.equal(200);
    await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
    const approved = await kit.post(`${R}/applications/${id}/approve`, {}, { token: rev });
    expect(approved.status, approved.text).to.equal(200);
    const reset = /bzt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/.exec((await mailTo(kit, who.email)).text)![0];
    expect((await kit.post('/admin/v1/auth/password-reset/confirm', { token: reset, password: 'owner password 123' })).status).to.equal(204);
    const view = (await kit.post(`${A}/applications/${id}/accept-contract`, {}, { token: who.token })).body;
    return { id, slug, storeId: approved.body.storeId, owner: '', applicant: who, view };
  }

  async function ownerToken(s: OpenStore): Promise<string> {
    const login = await kit.post('/admin/v1/auth/login', { tenant: s.slug, email: s.applicant.email, password: 'owner password 123' });
    expect(login.status, login.text).to.equal(200);
    return login.body.token;
  }

  const product = (status: string, name = `P ${Math.random().toString(36).slice(2, 8)}`) => ({
    status, translations: { en: { name, description: name } }, attributes: {}, images: [], categoryIds: [],
    variants: [{ sku: `SKU-${Math.random().toString(36).slice(2, 10)}`, prices: [{ currency: 'USD', amount: 1500 }], stock: 50 }],
  });

  it('a category that asks for a payout account opens the store only once the account is ACTIVE', async () => {
    const tpls = await kit.get(`${R}/templates`, { token: rev });
    const general = tpls.body.items.find((t: { category: string }) => t.category === 'cn-general');
    const saved = await kit.put(`${R}/templates/cn-payout`, { name: 'General goods, payouts verified', requirements: general.requirements, requiresPayoutAccount: true }, { token: rev });
    expect(saved.status, saved.text).to.equal(200);
    const s = await approvedStore('cn-payout');
    expect(s.view.activatedAt).to.equal(null);
    expect(s.view.payoutAccount).to.deep.equal({ required: true, status: 'none' });
    expect(s.view.store).to.include({ status: 'pending_activation' });
    expect((await kit.get('/store/v1/store', { tenant: s.slug })).body.code).to.equal('TENANT_PENDING');
    const pending = await kit.put(`${R}/applications/${s.id}/payout-account`, { status: 'pending', reference: 'acct_123' }, { token: rev });
    expect(pending.body.activatedAt).to.equal(null);
    const bad = await kit.put(`${R}/applications/${s.id}/payout-account`, { status: 'verified' }, { token: rev });
    expect(bad.status).to.equal(400);
    const active = await kit.put(`${R}/applications/${s.id}/payout-account`, { status: 'active', reference: 'acct_123' }, { token: rev });
    expect(active.body.activatedAt).to.be.a('string');
    expect(active.body.store).to.include({ status: 'open' });
    expect((await kit.get('/store/v1/store', { tenant: s.slug })).status).to.equal(200);
  });

  it('deposit ledger: deductions name a violation; a shortfall starts a 15-day top-up, then DEPOSIT_SHORTFALL suspends; a top-up reopens', async () => {
    const s = await approvedStore('cn-food');
    expect((await kit.post(`${R}/applications/${s.id}/deposits`, { type: 'paid', amount: 5_000_000, currency: 'CNY', reference: 'bank-1' }, { token: rev })).body.balance).to.equal(5_000_000);
    expect((await kit.get('/store/v1/store', { tenant: s.slug })).status).to.equal(200);

    const unnamed = await kit.post(`${R}/applications/${s.id}/deposits`, { type: 'deducted', amount: 1_000_000, currency: 'CNY' }, { token: rev });
    expect(unnamed.status).to.equal(400);
    expect(unnamed.body.errors[0].pointer).to.equal('/violationId');
    const tooMuch = await kit.post(`${R}/applications/${s.id}/deposits`, { type: 'deducted', amount: 6_000_000, currency: 'CNY', violationId: 'V-1' }, { token: rev });
    expect(tooMuch.status).to.equal(422);
    expect(tooMuch.body.code).to.equal('DEPOSIT_INSUFFICIENT');

    const deducted = await kit.post(`${R}/applications/${s.id}/deposits`, { type: 'deducted', amount: 1_000_000, currency: 'CNY', violationId: 'V-1' }, { token: rev });
    expect(deducted.status).to.equal(201);
    expect(deducted.body).to.include({ balance: 4_000_000, violationId: 'V-1' });
    const view = (await kit.get(`${R}/applications/${s.id}`, { token: rev })).body;
    const days = (Date.parse(view.deposit.topUpDueAt) - Date.now()) / 86_400_000;
    expect(days).to.be.within(14.9, 15.01);
    // Mails go through the queue: wait for this one rather than reading the last one so far.
    const notice = await kit.waitFor(() => kit.logs.find((l) => l.mail?.to === s.applicant.email && /top-up/.test(l.mail.subject))?.mail, { what: 'the top-up mail' });
    expect(notice.text).to.include('10000.00 CNY');
    expect((await kit.get('/store/v1/store', { tenant: s.slug })).status).to.equal(200);

    // Travel past the deadline: the sweep suspends the store with DEPOSIT_SHORTFALL.
    await db()('onboarding_applications').where('id', s.id).update({ top_up_due_at: new Date(Date.now() - 1000) });
    await kit.waitFor(async () => (await db()('onboarding_applications').where('id', s.id).first()).store_status === 'suspended', { what: 'the shortfall sweep' });
    // The plugin records the suspension, then the core suspends the store: wait for the store to say so.
    const suspended = await kit.waitFor(async () => {
      const res = await kit.get('/store/v1/store', { tenant: s.slug });
      return res.status === 403 ? res : undefined;
    }, { what: 'the store suspended' });
    expect(suspended.body.code).to.equal('TENANT_SUSPENDED');
    expect((await kit.get(`${R}/applications/${s.id}`, { token: rev })).body.store).to.include({ status: 'suspended', reason: 'DEPOSIT_SHORTFALL' });
    const early = await kit.post(`${R}/applications/${s.id}/store/resume`, {}, { token: rev });
    expect(early.status).to.equal(409);
    expect(early.body.code).to.equal('DEPOSIT_SHORTFALL');

    const topUp = await kit.post(`${R}/applications/${s.id}/deposits`, { type: 'paid', amount: 1_000_000, currency: 'CNY', reference: 'bank-2' }, { token: rev });
    expect(topUp.body.balance).to.equal(5_000_000);
    const reopened = (await kit.get(`${R}/applications/${s.id}`, { token: rev })).body;
    expect(reopened.store).to.include({ status: 'open' });
    expect(reopened.deposit.topUpDueAt).to.equal(null);
    expect((await kit.get('/store/v1/store', { tenant: s.slug })).status).to.equal(200);

    const ledger = await kit.get(`${R}/applications/${s.id}/deposits`, { token: rev });
    expect(ledger.body.items.map((d: { type: string; amount: number }) => `${d.type}:${d.amount}`)).to.deep.equal(['paid:5000000', 'deducted:1000000', 'paid:1000000']);
    const unsettled = await kit.post(`${R}/applications/${s.id}/store/terminate`, { reason: 'VIOLATION' }, { token: rev });
    expect(unsettled.status).to.equal(409);
    expect(unsettled.body.code).to.equal('DEPOSIT_UNSETTLED');
    await kit.post(`${R}/applications/${s.id}/deposits`, { type: 'refunded', amount: 5_000_000, currency: 'CNY', reference: 'refund-1' }, { token: rev });
    const closed = await kit.post(`${R}/applications/${s.id}/store/terminate`, { reason: 'VIOLATION', note: 'repeated food safety violations' }, { token: rev });
    expect(closed.status, closed.text).to.equal(200);
    expect(closed.body.store).to.include({ status: 'terminated', reason: 'VIOLATION' });
    const audit = await db()('audit_log').where({ target_id: s.id }).whereIn('action', ['onboarding.deposit.deducted', 'onboarding.deposit.top_up_due', 'onboarding.store.suspend', 'onboarding.store.resume', 'onboarding.store.terminate']).select('action');
    expect(new Set(audit.map((a: { action: string }) => a.action)).size).to.equal(5);
  });

  describe('a new store: quality gate, scorecard, termination', () => {
    let s: OpenStore;
    let owner: string;
    const ids: string[] = [];

    before(async () => {
      s = await approvedStore();
      owner = await ownerToken(s);
    });

    it('holds a new store\'s products for review; a refusal is coded and seen; an approval publishes', async () => {
      const direct = await kit.post('/admin/v1/products', product('active'), { token: owner });
      expect(direct.status).to.equal(409);
      expect(direct.body.code).to.equal('PUBLISH_VETOED');
      expect(direct.body.reasons).to.deep.equal([{ source: 'onboarding', code: 'REVIEW_REQUIRED', message: direct.body.reasons[0].message }]);
      expect((await kit.get('/admin/v1/products', { token: owner })).body.items).to.have.length(0);

      const draft = await kit.post('/admin/v1/products', product('draft', 'Green tea'), { token: owner });
      expect(draft.status, draft.text).to.equal(201);
      ids.push(draft.body.id);
      const held = await kit.patch(`/admin/v1/products/${draft.body.id}`, { status: 'active' }, { token: owner });
      expect(held.status).to.equal(409);
      expect(held.body.reasons[0].code).to.equal('REVIEW_PENDING');
      expect((await kit.get(`/admin/v1/products/${draft.body.id}`, { token: owner })).body.status).to.equal('draft');
      expect((await kit.get('/store/v1/products', { tenant: s.slug })).body.items).to.have.length(0);

      const queue = await kit.get(`${R}/products?storeId=${s.storeId}`, { token: rev });
      const review = queue.body.items.find((p: { productId: string }) => p.productId === draft.body.id);
      expect(review).to.include({ status: 'proposed', storeId: s.storeId });
      const noReason = await kit.post(`${R}/products/${review.id}/reject`, { reasons: [] }, { token: rev });
      expect(noReason.status).to.equal(400);
      const refused = await kit.post(`${R}/products/${review.id}/reject`, { reasons: ['IMAGES_POOR'], note: 'Show the tea leaves' }, { token: rev });
      expect(refused.body.status).to.equal('rejected');
      const mine = await kit.get(`${A}/applications/${s.id}/products`, { token: s.applicant.token });
      expect(mine.body.items[0]).to.include({ productId: draft.body.id, status: 'rejected', note: 'Show the tea leaves' });
      expect(mine.body.items[0].reasons).to.deep.equal(['IMAGES_POOR']);
      expect(mine.body.items[0]).not.to.have.property('reviewerId');

      const again = await kit.patch(`/admin/v1/products/${draft.body.id}`, { status: 'active' }, { token: owner });
      expect(again.status).to.equal(409);
      expect(again.body.reasons[0].message).to.include('IMAGES_POOR');
      const [first, second] = await Promise.all([kit.post(`${R}/products/${review.id}/approve`, {}, { token: rev }), kit.post(`${R}/products/${review.id}/approve`, {}, { token: rev })]);
      expect([first.status, second.status].sort()).to.deep.equal([200, 409]);
      expect((await kit.get(`/admin/v1/products/${draft.body.id}`, { token: owner })).body.status).to.equal('active');
      const visible = await kit.get('/store/v1/products', { tenant: s.slug });
      expect(visible.body.items.map((p: { id: string }) => p.id)).to.deep.equal([draft.body.id]);
    });

    it('after N approvals in a row the store publishes without review, still audited; other stores are not gated', async () => {
      const second = await kit.post('/admin/v1/products', product('draft'), { token: owner });
      ids.push(second.body.id);
      await kit.patch(`/admin/v1/products/${second.body.id}`, { status: 'active' }, { token: owner });
      let standing = await kit.get(`${R}/stores/${s.storeId}/gate`, { token: rev });
      expect(standing.body).to.include({ approvedInARow: 1, autoApprove: false });
      const review = (await kit.get(`${R}/products?storeId=${s.storeId}`, { token: rev })).body.items.find((p: { productId: string }) => p.productId === second.body.id);
      expect((await kit.post(`${R}/products/${review.id}/approve`, { note: 'fine' }, { token: rev })).status).to.equal(200);
      standing = await kit.get(`${R}/stores/${s.storeId}/gate`, { token: rev });
      expect(standing.body).to.include({ approvedInARow: 2, autoApprove: true });
      const third = await kit.post('/admin/v1/products', product('active'), { token: owner });
      expect(third.status, third.text).to.equal(201);
      const patched = await kit.patch(`/admin/v1/products/${third.body.id}`, { status: 'draft' }, { token: owner });
      expect(patched.status).to.equal(200);
      const republished = await kit.patch(`/admin/v1/products/${third.body.id}`, { status: 'active' }, { token: owner });
      expect(republished.status).to.equal(200);
      const audit = await db()('audit_log').where({ action: 'onboarding.product.auto_approved', target_id: third.body.id });
      expect(audit).to.have.length(1);

      const other = await kit.tenant();
      const free = await kit.post('/admin/v1/products', product('active'), { token: other.ownerToken });
      expect(free.status).to.equal(201);
    });

    it('scores the store from its orders: cancel before shipment, late shipment, valid tracking; breaches seen by reviewers and the merchant', async () => {
      const variant = (await kit.get(`/admin/v1/products/${ids[0]}`, { token: owner })).body.variants[0].id as string;
      const order = async () => {
        const cart = await kit.post('/store/v1/carts', {}, { tenant: s.slug });
        expect(cart.status, cart.text).to.equal(201);
        const headers: Record<string, string> = cart.body.token ? { 'x-cart-token': String(cart.body.token) } : {};
        const line = await kit.request('POST', `/store/v1/carts/${cart.body.cart.id}/lines`, { tenant: s.slug, headers, body: { variantId: variant, quantity: 1 } });
        expect(line.status, line.text).to.equal(200);
        const placed = await kit.request('POST', `/store/v1/carts/${cart.body.cart.id}/checkout`, { tenant: s.slug, headers, body: { email: 'ada@example.com', shippingAddress: ADDRESS, paymentMethod: { provider: 'offline', method: 'bank_transfer' } } });
        expect(placed.status, placed.text).to.equal(201);
        return placed.body.order.id as string;
      };
      const act = async (id: string, action: string, body: unknown = {}) => {
        const res = await kit.post(`/admin/v1/orders/${id}/${action}`, body, { token: owner });
        expect(res.status, `${action}: ${res.text}`).to.be.oneOf([200, 201]);
      };
      const unpaid = await order();
      const onTime = await order();
      const cancelled = await order();
      const late = await order();
      for (const id of [onTime, cancelled, late]) await act(id, 'confirm-payment');
      await act(onTime, 'shipments', { carrier: 'SF', trackingNumber: 'SF1234567890' });
      await act(cancelled, 'cancel', { reason: 'out of stock' });
      await act(late, 'shipments', { carrier: 'SF', trackingNumber: 'XXXXXXXXXX' });
      // The late one left three days after payment.
      const paidAt = (await kit.get(`/admin/v1/orders/${late}`, { token: owner })).body.paidAt as string;
      await kit.kernel.pool.forTenant((await kit.kernel.tenants.byId(s.storeId))!)('shipments').where('order_id', late).update({ shipped_at: new Date(Date.parse(paidAt) + 72 * 3600_000) });

      expect((await kit.post(`${R}/scorecards/compute`, {}, { token: rev })).status).to.equal(200);
      const card = (await kit.get(`${R}/stores/${s.storeId}/scorecard`, { token: rev })).body;
      expect(card.days30).to.include({ orders: 3, cancelledBySeller: 1, shipped: 2, shippedLate: 1, validTracking: 1, returned: 0 });
      expect(card.days30.rates).to.deep.equal({ odr: 0, cancelRate: 33.33, lateShipmentRate: 50, validTrackingRate: 50, returnRate: 0, averageRating: null });
      expect(card.days30.breaches).to.deep.equal(['cancelRate', 'lateShipmentRate', 'validTrackingRate']);
      expect(card.days90.orders).to.equal(3);
      expect(card.thresholds).to.include({ cancelRateMax: 2.5, lateShipmentRateMax: 4, validTrackingRateMin: 95 });
      const merchant = await kit.get(`${A}/applications/${s.id}/scorecard`, { token: s.applicant.token });
      expect(merchant.body.days30.breaches).to.deep.equal(card.days30.breaches);
      const list = await kit.get(`${R}/scorecards/breaches`, { token: rev });
      expect(list.body.items.map((i: { storeId: string }) => i.storeId)).to.include(s.storeId);
      expect((await kit.get('/metrics')).text).to.match(/bazaar_plugin_onboarding_scorecard_breaches_total\{[^}]*metric="cancelRate"[^}]*\} [1-9]/);
      // Computing again the same day replaces the card, it does not add one.
      await kit.post(`${R}/scorecards/compute`, {}, { token: rev });
      expect(await db()('onboarding_scorecards').where({ store_id: s.storeId })).to.have.length(2);

      // ONB-2: no termination while orders are open (unpaid, shipped), by the platform or the seller.
      const refused = await kit.post(`${R}/applications/${s.id}/store/terminate`, { reason: 'OTHER' }, { token: rev });
      expect(refused.status).to.equal(409);
      expect(refused.body.code).to.equal('TENANT_HAS_OPEN_ORDERS');
      expect(refused.body.openOrders).to.equal(3);
      await act(unpaid, 'cancel', {});
      await act(onTime, 'deliver');
      await act(late, 'deliver');
      const closed = await kit.post(`${A}/applications/${s.id}/store/terminate`, {}, { token: s.applicant.token });
      expect(closed.status, closed.text).to.equal(200);
      expect(closed.body.store).to.include({ status: 'terminated', reason: 'SELLER_REQUEST' });
      const gone = await kit.get('/store/v1/store', { tenant: s.slug });
      expect(gone.body.code).to.equal('TENANT_TERMINATED');
      const platform = await kit.platformToken();
      const resume = await kit.post(`/platform/v1/tenants/${s.storeId}/resume`, {}, { token: platform });
      expect(resume.status).to.equal(409);
      expect(resume.body.code).to.equal('TENANT_TERMINATED');
      expect((await kit.post(`${R}/applications/${s.id}/store/resume`, {}, { token: rev })).body.code).to.equal('INVALID_STORE_TRANSITION');
    });
  });
});

describe('catalog.beforePublish fails closed', function () {
  this.timeout(60_000);
  it('a gate handler that throws vetoes the publish with REVIEW_UNAVAILABLE; a draft is still saved', async () => {
    const probe = definePlugin({
      name: 'veto-probe', version: '0.0.1', core: '^0.1.0',
      register(api) {
        api.hook('catalog.beforePublish', () => {
          throw new Error('the review service is down');
        });
      },
    });
    const kit = await startTestKit({ plugin: probe });
    try {
      const shop = await kit.tenant({ enable: ['veto-probe'] });
      const body = (status: string) => ({ status, translations: { en: { name: `P ${status}` } }, variants: [{ sku: `SKU-${status}`, prices: [{ currency: 'USD', amount: 100 }] }] });
      const refused = await kit.post('/admin/v1/products', body('active'), { token: shop.ownerToken });
      expect(refused.status).to.equal(409);
      expect(refused.body.reasons).to.deep.equal([{ source: 'veto-probe', code: 'REVIEW_UNAVAILABLE', message: 'The review could not be checked; try again' }]);
      expect((await kit.post('/admin/v1/products', body('draft'), { token: shop.ownerToken })).status).to.equal(201);
    } finally {
      await kit.close();
    }
  });
});

