// The sweep covers onboarding's routes, which are the platform's and belong to no store: one
// applicant's token against another applicant's application, on every applicant route, must
// answer 404 and show nothing of it; on the victim store's routes and the reviewers' it is a 401.
// Its store-side routes (/admin/v1/onboarding/..., a store's own scorecard and change requests)
// join the main sweep: onboarding acts for both the victim's and the attacker's store (each has an
// application naming it, not activated, so the catalog gates stay out of the other fixtures' way),
// the victim's rows carry the marker, and the attacker's owner must reach those routes (verify).
import crypto from 'node:crypto';
import { expect } from 'chai';
import { addSweepFixture } from '../../support/sweep.js';
import { makePlatformAdmin } from '../../support/factories.js';
import { call, post } from '../../support/http.js';
import { runtime } from '../../support/runtime.js';
import { newId } from '../../../core/db/ids.js';
import type { TestTenant } from '../../support/factories.js';

const MARKER = 'victim-onboarding-marker';

/** An applicant made in the database with a session token (the main runtime logs no mail to read a confirmation from). */
async function applicantWithToken(email: string): Promise<string> {
  const rt = await runtime();
  const db = rt.kernel.pool.control;
  const id = newId();
  const now = new Date();
  await db('onboarding_applicants').insert({ id, email, name: email, password_hash: 'scrypt$x$y', email_confirmed_at: now, created_at: now, updated_at: now });
  const token = `bza_${crypto.randomBytes(32).toString('base64url')}`;
  await db('onboarding_tokens').insert({ token_hash: crypto.createHash('sha256').update(token).digest('hex'), applicant_id: id, kind: 'session', expires_at: new Date(Date.now() + 3600_000), used_at: null, created_at: now });
  return token;
}

let attackerToken = '';
let ids = { changeId: '', restrictionId: '' };
let attacker: TestTenant | undefined;

addSweepFixture({
  name: 'onboarding',
  async seed(victimStore, attackerStore) {
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/onboarding/install', {}, { token: admin.token });
    if (installed.status !== 200) throw new Error(`onboarding install failed: ${installed.text}`);
    const victim = await applicantWithToken(`victim-${newId()}@apply.test`);
    attackerToken = await applicantWithToken(`attacker-${newId()}@apply.test`);
    const made = await post('/platform/v1/onboarding/applicant/applications', { category: 'cn-general', storeName: MARKER, storeSlug: `sweep-${Date.now().toString(36)}`, data: { company: { legalName: MARKER } } }, { token: victim });
    if (made.status !== 201) throw new Error(`onboarding application failed: ${made.text}`);
    // The victim's store, its products at the quality gate and its scorecard carry the marker too.
    const rt = await runtime();
    // The victim's application opened the victim's store: its store-side rows are the victim store's.
    const storeId = victimStore.tenant.id;
    const now = new Date();
    await rt.kernel.pool.control('onboarding_applications').where('id', made.body.id).update({ store_id: storeId, store_status: 'open' });
    await rt.kernel.pool.control('onboarding_product_reviews').insert({ id: newId(), store_id: storeId, product_id: newId(), status: 'rejected', reasons: JSON.stringify(['OTHER']), note: MARKER, auto: false, reviewer_id: null, proposed_at: now, decided_at: now });
    await rt.kernel.pool.control('onboarding_scorecards').insert({ id: newId(), store_id: storeId, day: now.toISOString().slice(0, 10), window_days: 30, orders: 1, cancelled_by_seller: 0, shipped: 0, shipped_late: 0, valid_tracking: 0, returned: 0, rates: JSON.stringify({ marker: MARKER }), breaches: JSON.stringify([MARKER]), computed_at: now });
    // Its change requests, order feedback, penalties and restrictions (with an appeal) too.
    const changeId = newId();
    const restrictionId = newId();
    await rt.kernel.pool.control('onboarding_product_changes').insert({ id: changeId, store_id: storeId, product_id: newId(), status: 'pending', pending_key: storeId, revision: 1, actions: JSON.stringify([{ patch: { translations: { en: { name: MARKER } } }, at: now.toISOString() }]), reasons: JSON.stringify([]), note: MARKER, auto: false, assignee_id: null, reviewer_id: null, proposed_at: now, sla_due_at: now, decided_at: null });
    await rt.kernel.pool.control('onboarding_order_feedback').insert({ id: newId(), store_id: storeId, order_id: newId(), kind: 'claim', rating: null, reference: MARKER, recorded_by: null, occurred_at: now });
    await rt.kernel.pool.control('onboarding_penalties').insert({ id: newId(), store_id: storeId, week: '2026-11-30', quarter: '2026-Q4', metric: MARKER.slice(0, 30), points: 1, created_at: now });
    await rt.kernel.pool.control('onboarding_restrictions').insert({ id: restrictionId, store_id: storeId, quarter: '2026-Q4', level: 3, kind: 'no_campaigns', starts_at: now, ends_at: new Date(now.getTime() + 86_400_000), lifted_at: null, lift_reason: null, appeal_status: 'pending', appeal_text: MARKER, appealed_at: now, appeal_decided_by: null, appeal_decided_at: null, appeal_note: null });
    await rt.kernel.pool.control('onboarding_deposits').insert({ id: newId(), application_id: made.body.id, store_id: storeId, type: 'paid', amount: 4242, currency: 'CNY', reference: MARKER, created_by: 'sweep', created_at: now, violation_id: null });
    await rt.kernel.pool.control('onboarding_scorecards').insert({ id: newId(), store_id: storeId, day: now.toISOString().slice(0, 10), window_days: 90, orders: 1, cancelled_by_seller: 0, shipped: 0, shipped_late: 0, valid_tracking: 0, returned: 0, rates: JSON.stringify({ marker: MARKER }), breaches: JSON.stringify([MARKER]), computed_at: now });
    // The attacker's store was opened by onboarding too, so the store-side routes answer its owner.
    attacker = attackerStore;
    const theirs = await post('/platform/v1/onboarding/applicant/applications', { category: 'cn-general', storeName: 'attacker store', storeSlug: `sweep-a-${Date.now().toString(36)}` }, { token: attackerToken });
    if (theirs.status !== 201) throw new Error(`onboarding application failed: ${theirs.text}`);
    await rt.kernel.pool.control('onboarding_applications').where('id', theirs.body.id).update({ store_id: attackerStore.tenant.id, store_status: 'open' });
    ids = { changeId, restrictionId };
    return { ids: { onboardingApplication: made.body.id, changes: changeId }, secrets: [MARKER, changeId, restrictionId] };
  },
  async verify(victim, seed) {
    const rt = await runtime();
    const appId = seed.ids.onboardingApplication;
    const problems: string[] = [];
    // Signing out ends the attacker's session: that route goes last.
    const routes = rt.routes.filter((r) => r.path.startsWith('/platform/v1/onboarding/')).sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
    for (const spec of routes) {
      const url = spec.path.replace(':id', appId).replace(':storeId', newId()).replace(':docId', newId()).replace(':requirementId', 'trademark').replace(':adminId', newId()).replace(':category', 'cn-general').replace(':changeId', ids.changeId).replace(':restrictionId', ids.restrictionId);
      const res = await call(spec.method, url, { token: attackerToken, body: spec.method === 'GET' || spec.method === 'DELETE' ? undefined : {} });
      const mine = spec.path.startsWith('/platform/v1/onboarding/applicant/');
      if (res.status >= 500) problems.push(`${spec.method} ${spec.path}: ${res.status}`);
      if (mine && spec.path.includes(':id') && ![400, 404].includes(res.status)) problems.push(`${spec.method} ${spec.path}: ${res.status}, expected 404`);
      if (!mine && res.status !== 401) problems.push(`${spec.method} ${spec.path}: ${res.status} for an applicant, expected 401`);
      if (res.text.includes(MARKER)) problems.push(`${spec.method} ${spec.path}: leaked the victim's application`);
    }
    for (const path of ['/admin/v1/store', '/admin/v1/staff', '/platform/v1/tenants']) {
      const res = await call('GET', path, { tenant: victim.slug, token: attackerToken });
      if (res.status !== 401) problems.push(`GET ${path}: ${res.status} for an applicant, expected 401`);
    }
    // The store-side routes answered the attacker's owner (the sweep reached them, not a gate's
    // 404) with the attacker's own data; the victim's owner sees the marker there.
    for (const path of ['/admin/v1/onboarding/scorecard', '/admin/v1/onboarding/changes']) {
      const theirs = await call('GET', path, { tenant: attacker!.slug, token: attacker!.ownerToken });
      if (theirs.status !== 200) problems.push(`GET ${path}: ${theirs.status} for the attacker's owner, expected 200 (onboarding acts for that store)`);
      if (theirs.text.includes(MARKER)) problems.push(`GET ${path}: leaked the victim store's rows`);
      const own = await call('GET', path, { tenant: victim.slug, token: victim.ownerToken });
      if (!own.text.includes(MARKER)) problems.push(`GET ${path}: the victim's owner does not see its own rows (${own.status})`);
    }
    expect(problems).to.deep.equal([]);
    expect((await rt.kernel.pool.control('onboarding_product_changes').where('id', ids.changeId).first()).status, 'the victim change is still pending').to.equal('pending');
    const row = await rt.kernel.pool.control('onboarding_applications').where('id', appId).first();
    expect(row.store_name, 'victim application still there').to.equal(MARKER);
  },
});
