// ONB-9 beyond the publish gate: an edit of a live product in a store onboarding opened becomes a
// change request (the core's catalog.beforeEdit hook; PATCH answers 202) while shoppers keep seeing
// the published version; later edits add ordered actions; a confirm applies them together, a
// decline carries codes the merchant sees; a store earns automatic confirmation, still audited.
import { expect } from 'chai';
import type { TestKit } from '@bazaar/sdk/testing';
import { liveProduct, onboardingKit, openStore, reviewer } from './helpers.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';

describe('onboarding change requests (ONB-9)', function () {
  this.timeout(180_000);
  let kit: TestKit;
  let rev: string;
  let s: Awaited<ReturnType<typeof openStore>>;
  const db = () => kit.kernel.pool.control;
  const name = async (productId: string) => (await kit.get(`/store/v1/products/${productId}`, { tenant: s.slug })).body.translations?.en?.name ?? (await kit.get(`/admin/v1/products/${productId}`, { token: s.owner })).body.translations.en.name;

  before(async () => {
    kit = await onboardingKit({ autoApproveAfter: 100, autoConfirmAfter: 2 });
    rev = await reviewer(kit);
    s = await openStore(kit, rev);
  });
  after(async () => {
    await kit?.close();
  });

  it('holds an edit of a live product; the published version stays; edits add actions; one confirm applies them all; a second decision is 409 naming the first', async () => {
    const id = await liveProduct(kit, rev, s, 'Green tea');
    const first = await kit.patch(`/admin/v1/products/${id}`, { translations: { en: { name: 'Green tea, spring pick' } } }, { token: s.owner });
    expect(first.status, first.text).to.equal(202);
    expect(first.body.held).to.have.length(1);
    expect(first.body.held[0]).to.include({ source: 'onboarding', code: 'CHANGE_PENDING_REVIEW' });
    const changeId = first.body.held[0].changeId as string;
    const second = await kit.patch(`/admin/v1/products/${id}`, { translations: { en: { description: 'Picked in April' } }, attributes: { origin: 'Hangzhou' } }, { token: s.owner });
    expect(second.status).to.equal(202);
    expect(second.body.held[0].changeId).to.equal(changeId);

    const live = await kit.get(`/admin/v1/products/${id}`, { token: s.owner });
    expect(live.body.translations.en.name).to.equal('Green tea');
    expect(live.body.attributes).to.deep.equal({});
    const shop = await kit.get('/store/v1/products', { tenant: s.slug });
    expect(JSON.stringify(shop.body.items)).to.include('Green tea').and.not.include('spring pick');

    const queue = await kit.get(`${R}/changes?storeId=${s.storeId}`, { token: rev });
    const change = queue.body.items.find((c: { id: string }) => c.id === changeId);
    expect(change).to.include({ status: 'pending', productId: id, breached: false });
    expect(change.actions).to.have.length(2);
    expect(change.patch).to.deep.equal({ translations: { en: { name: 'Green tea, spring pick', description: 'Picked in April' } }, attributes: { origin: 'Hangzhou' } });
    expect(Date.parse(change.slaDueAt)).to.be.greaterThan(Date.now());
    const took = await kit.post(`${R}/changes/${changeId}/assign`, {}, { token: rev });
    const me = (await db()('platform_admins').first()).id as string;
    expect(took.body.assigneeId).to.equal(me);

    const [a, b] = await Promise.all([kit.post(`${R}/changes/${changeId}/confirm`, {}, { token: rev }), kit.post(`${R}/changes/${changeId}/confirm`, {}, { token: rev })]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const lost = a.status === 409 ? a : b;
    expect(lost.body.code).to.equal('CHANGE_ALREADY_DECIDED');
    expect(lost.body.decidedBy).to.equal(me);
    const applied = await kit.get(`/admin/v1/products/${id}`, { token: s.owner });
    expect(applied.body.translations.en).to.include({ name: 'Green tea, spring pick', description: 'Picked in April' });
    expect(applied.body.attributes).to.deep.equal({ origin: 'Hangzhou' });
    expect(await name(id)).to.equal('Green tea, spring pick');
    expect(await db()('audit_log').where({ action: 'onboarding.change.confirmed', target_id: id })).to.have.length(1);

    // Taking it off sale is not content: it goes through at once.
    expect((await kit.patch(`/admin/v1/products/${id}`, { status: 'draft' }, { token: s.owner })).status).to.equal(200);
    // A draft's edits are the merchant's own business until it is published again.
    expect((await kit.patch(`/admin/v1/products/${id}`, { attributes: { origin: 'Anji' } }, { token: s.owner })).status).to.equal(200);
  });

  it('a decline keeps the live product and shows the merchant its codes; the merchant may cancel a waiting change', async () => {
    const id = await liveProduct(kit, rev, s, 'Oolong');
    const held = await kit.patch(`/admin/v1/products/${id}`, { translations: { en: { name: 'Best oolong in the world' } } }, { token: s.owner });
    const changeId = held.body.held[0].changeId as string;
    const noCode = await kit.post(`${R}/changes/${changeId}/decline`, { reasons: [] }, { token: rev });
    expect(noCode.status).to.equal(400);
    const declined = await kit.post(`${R}/changes/${changeId}/decline`, { reasons: ['DESCRIPTION_MISLEADING'], note: 'No superlatives' }, { token: rev });
    expect(declined.status, declined.text).to.equal(200);
    expect(declined.body).to.include({ status: 'declined', note: 'No superlatives' });
    expect((await kit.get(`/admin/v1/products/${id}`, { token: s.owner })).body.translations.en.name).to.equal('Oolong');
    const mine = await kit.get(`${A}/applications/${s.id}/changes`, { token: s.applicant.token });
    const seen = mine.body.items.find((c: { id: string }) => c.id === changeId);
    expect(seen).to.include({ status: 'declined', note: 'No superlatives' });
    expect(seen.reasons).to.deep.equal(['DESCRIPTION_MISLEADING']);
    expect(seen).not.to.have.property('reviewerId');
    expect((await kit.post(`${R}/changes/${changeId}/confirm`, {}, { token: rev })).status).to.equal(409);

    const again = await kit.patch(`/admin/v1/products/${id}`, { images: [{ url: 'https://img.example.com/oolong.jpg' }] }, { token: s.owner });
    const otherId = again.body.held[0].changeId as string;
    expect(otherId).not.to.equal(changeId);
    const cancelled = await kit.post(`${A}/applications/${s.id}/changes/${otherId}/cancel`, {}, { token: s.applicant.token });
    expect(cancelled.status, cancelled.text).to.equal(200);
    expect(cancelled.body.status).to.equal('canceled');
    expect((await kit.post(`${A}/applications/${s.id}/changes/${otherId}/cancel`, {}, { token: s.applicant.token })).status).to.equal(409);
    expect((await kit.get(`/admin/v1/products/${id}`, { token: s.owner })).body.images).to.deep.equal([]);
  });

  it('holds what a live product sells (a new price, new options, a new variant) in the same change; stock counts, a SKU and an unchanged price go through at once', async () => {
    const st = await openStore(kit, rev); // a store of its own: the confirmation below would count toward another's policy
    const id = await liveProduct(kit, rev, st, 'Jasmine');
    const product = (await kit.get(`/admin/v1/products/${id}`, { token: st.owner })).body;
    const v = product.variants[0];
    const usd = (x: { prices: { currency: string; amount: number }[] }) => x.prices.find((p) => p.currency === 'USD')!.amount;
    const shopPrice = async () => JSON.stringify((await kit.get(`/store/v1/products/${id}?currency=USD`, { tenant: st.slug })).body);

    const price = await kit.put(`/admin/v1/variants/${v.id}/prices/USD`, { amount: 150 }, { token: st.owner });
    expect(price.status, price.text).to.equal(202);
    expect(price.body).to.include({ variantId: v.id });
    expect(price.body.held[0]).to.include({ source: 'onboarding', code: 'CHANGE_PENDING_REVIEW' });
    const changeId = price.body.held[0].changeId as string;
    expect(usd((await kit.get(`/admin/v1/variants/${v.id}`, { token: st.owner })).body)).to.equal(1500);
    expect(await shopPrice()).to.include('1500').and.not.include('"amount":150,');
    const same = await kit.put(`/admin/v1/variants/${v.id}/prices/USD`, { amount: 1500 }, { token: st.owner });
    expect(same.status, 'the price it has already').to.equal(200);

    const options = await kit.patch(`/admin/v1/variants/${v.id}`, { options: { size: 'L' } }, { token: st.owner });
    expect(options.status, options.text).to.equal(202);
    expect(options.body.held[0].changeId).to.equal(changeId);
    const badSku = await kit.post(`/admin/v1/products/${id}/variants`, { sku: v.sku, prices: [{ currency: 'USD', amount: 900 }] }, { token: st.owner });
    expect(badSku.status, 'checked before it is held').to.equal(409);
    expect(badSku.body.code).to.equal('SKU_TAKEN');
    const added = await kit.post(`/admin/v1/products/${id}/variants`, { sku: `XL-${v.sku}`, options: { size: 'XL' }, prices: [{ currency: 'USD', amount: 1900 }], stock: 5 }, { token: st.owner });
    expect(added.status, added.text).to.equal(202);
    expect(added.body).to.include({ productId: id });
    expect(added.body.held[0].changeId).to.equal(changeId);
    expect((await kit.get(`/admin/v1/products/${id}`, { token: st.owner })).body.variants).to.have.length(1);

    // Operational: stock counts and the SKU alone are the merchant's to change at once.
    const stock = await kit.post(`/admin/v1/variants/${v.id}/stock/adjustments`, { delta: 7, reason: 'received' }, { token: st.owner });
    expect(stock.status, stock.text).to.equal(201);
    const sku = await kit.patch(`/admin/v1/variants/${v.id}`, { sku: `${v.sku}-B` }, { token: st.owner });
    expect(sku.status, sku.text).to.equal(200);
    expect(sku.body.sku).to.equal(`${v.sku}-B`);

    const change = (await kit.get(`${R}/changes/${changeId}`, { token: rev })).body;
    expect(change.patch.variants.map((a: { type: string }) => a.type)).to.deep.equal(['price_set', 'variant_update', 'variant_add']);
    expect(change.patch.variants[0]).to.include({ variantId: v.id, currency: 'USD', amount: 150, previousAmount: 1500 });
    const ok = await kit.post(`${R}/changes/${changeId}/confirm`, {}, { token: rev });
    expect(ok.status, ok.text).to.equal(200);
    const after = (await kit.get(`/admin/v1/products/${id}`, { token: st.owner })).body;
    expect(after.variants).to.have.length(2);
    const first = after.variants.find((x: { id: string }) => x.id === v.id);
    expect(usd(first)).to.equal(150);
    expect(first.options).to.deep.equal({ size: 'L' });
    const xl = after.variants.find((x: { id: string }) => x.id !== v.id);
    expect(xl).to.include({ sku: `XL-${v.sku}` });
    expect(usd(xl)).to.equal(1900);
    expect(await shopPrice()).to.include('"amount":150');
    expect(await db()('audit_log').where({ action: 'onboarding.change.confirmed', target_id: id })).to.have.length(1);

    // A draft's prices are the merchant's own business.
    expect((await kit.patch(`/admin/v1/products/${id}`, { status: 'draft' }, { token: st.owner })).status).to.equal(200);
    expect((await kit.put(`/admin/v1/variants/${v.id}/prices/USD`, { amount: 100 }, { token: st.owner })).status).to.equal(200);
  });

  it('automatic confirmation is switched on only once earned; auto-confirmed edits apply at once and are audited; stores not opened here are not held', async () => {
    const policy = await kit.get(`${R}/stores/${s.storeId}/changes-policy`, { token: rev });
    expect(policy.body).to.include({ autoConfirm: false, confirmedInARow: 0, eligible: false });
    const early = await kit.put(`${R}/stores/${s.storeId}/changes-policy`, { autoConfirm: true }, { token: rev });
    expect(early.status).to.equal(409);
    expect(early.body.code).to.equal('AUTO_CONFIRM_NOT_EARNED');
    const id = await liveProduct(kit, rev, s, 'Pu-erh');
    for (const n of ['Pu-erh 2019', 'Pu-erh 2020']) {
      const held = await kit.patch(`/admin/v1/products/${id}`, { translations: { en: { name: n } } }, { token: s.owner });
      expect((await kit.post(`${R}/changes/${held.body.held[0].changeId}/confirm`, {}, { token: rev })).status).to.equal(200);
    }
    const on = await kit.put(`${R}/stores/${s.storeId}/changes-policy`, { autoConfirm: true }, { token: rev });
    expect(on.status, on.text).to.equal(200);
    expect(on.body).to.include({ autoConfirm: true, confirmedInARow: 2, eligible: true });
    const now = await kit.patch(`/admin/v1/products/${id}`, { translations: { en: { name: 'Pu-erh 2021' } } }, { token: s.owner });
    expect(now.status, now.text).to.equal(200);
    expect(now.body.translations.en.name).to.equal('Pu-erh 2021');
    expect(await db()('audit_log').where({ action: 'onboarding.change.auto_confirmed', target_id: id })).to.have.length(1);
    const auto = await kit.get(`${R}/changes?storeId=${s.storeId}&status=confirmed`, { token: rev });
    expect(auto.body.items.filter((c: { auto: boolean }) => c.auto)).to.have.length(1);

    const other = await kit.tenant();
    const made = await kit.post('/admin/v1/products', { status: 'active', translations: { en: { name: 'Free' } }, variants: [{ sku: 'FREE-1', prices: [{ currency: 'USD', amount: 100 }] }] }, { token: other.ownerToken });
    expect(made.status).to.equal(201);
    expect((await kit.patch(`/admin/v1/products/${made.body.id}`, { translations: { en: { name: 'Free 2' } } }, { token: other.ownerToken })).status).to.equal(200);
  });
});
