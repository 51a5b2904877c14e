// ONB-1: every (status, action) pair of the application machine over HTTP: the allowed ones move
// the status, every other answers 409 and changes nothing. ONB-6: review deadlines in business
// days, breaches flagged in the queue and counted on /metrics; approvals that lapse.
import { expect } from 'chai';
import type { TestKit } from '@bazaar/sdk/testing';
import { STATUSES, TRANSITIONS, addBusinessDays, type Action } from '../../../plugins/onboarding/checklist.js';
import { applicant, onboardingKit, readyApplication, reviewer } from './helpers.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';
const BODIES: Partial<Record<Action, unknown>> = {
  'request-info': { reasons: [{ code: 'DOC_ILLEGIBLE', requirementId: 'trademark' }], externalNote: 'Scan again' },
  reject: { reasons: [{ code: 'DUPLICATE_MERCHANT', requirementId: 'company_profile' }], externalNote: 'Already a merchant' },
};
const APPLICANT_ACTIONS: Action[] = ['submit', 'withdraw', 'reopen'];

describe('onboarding application machine', function () {
  this.timeout(120_000);
  let kit: TestKit;
  let me: { token: string };
  let rev: string;

  before(async () => {
    kit = await onboardingKit({ sweepMs: 1000, reviewBusinessDays: 3 });
    me = await applicant(kit);
    rev = await reviewer(kit);
  });
  after(async () => {
    await kit?.close();
  });

  const db = () => kit.kernel.pool.control;
  const call = (id: string, action: Action) =>
    APPLICANT_ACTIONS.includes(action) ? kit.post(`${A}/applications/${id}/${action}`, BODIES[action] ?? {}, { token: me.token }) : kit.post(`${R}/applications/${id}/${action}`, BODIES[action] ?? {}, { token: rev });

  it('answers every (status, action) pair: allowed ones move, the rest are 409 and change nothing', async () => {
    const id = await readyApplication(kit, me.token);
    const actions = Object.keys(TRANSITIONS) as Action[];
    const seen: string[] = [];
    for (const from of STATUSES) {
      for (const action of actions) {
        if (from === 'in_review' && action === 'approve') continue; // last: it opens a store
        await db()('onboarding_items').where('application_id', id).delete();
        await db()('onboarding_applications').where('id', id).update({ status: from });
        const res = await call(id, action);
        const allowed = TRANSITIONS[action].from.includes(from);
        const after = (await db()('onboarding_applications').where('id', id).first()).status;
        if (allowed) {
          expect(res.status, `${from} -${action}-> (${res.text})`).to.equal(200);
          expect(after, `${from} -${action}->`).to.equal(TRANSITIONS[action].to);
        } else {
          expect(res.status, `${from} -${action}-> (${res.text})`).to.equal(409);
          expect(res.body.code).to.equal('INVALID_TRANSITION');
          expect(after, `${from} -${action}-> leaves the status`).to.equal(from);
        }
        seen.push(`${from}:${action}`);
      }
    }
    await db()('onboarding_items').where('application_id', id).delete();
    await db()('onboarding_applications').where('id', id).update({ status: 'in_review' });
    const approved = await call(id, 'approve');
    expect(approved.status).to.equal(200);
    expect(approved.body.status).to.equal('approved');
    expect(seen.length + 1).to.equal(STATUSES.length * actions.length);
  });

  it('the status is never written directly', async () => {
    const id = await readyApplication(kit, me.token);
    const res = await kit.patch(`${A}/applications/${id}`, { status: 'approved' }, { token: me.token });
    expect(res.status).to.equal(400);
    expect((await db()('onboarding_applications').where('id', id).first()).status).to.equal('draft');
  });

  it('counts business days, skipping weekends', () => {
    expect(addBusinessDays(new Date('2026-12-04T10:00:00Z'), 3).toISOString()).to.equal('2026-12-09T10:00:00.000Z'); // Fri -> Wed
    expect(addBusinessDays(new Date('2026-12-07T10:00:00Z'), 3).toISOString()).to.equal('2026-12-10T10:00:00.000Z'); // Mon -> Thu
    expect(addBusinessDays(new Date('2026-12-05T10:00:00Z'), 1).toISOString()).to.equal('2026-12-07T10:00:00.000Z'); // Sat -> Mon
  });

  it('flags an application breached once N business days have passed, in the queue and on /metrics', async () => {
    const id = await readyApplication(kit, me.token);
    const submitted = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
    expect(Date.parse(submitted.body.slaDueAt)).to.equal(addBusinessDays(new Date(submitted.body.submittedAt), 3).getTime());
    let queue = await kit.get(`${R}/applications`, { token: rev });
    expect(queue.body.items.find((a: { id: string }) => a.id === id).breached).to.equal(false);
    // Travel: it was submitted a week ago (five business days), its deadline three business days later.
    const submittedAt = new Date(Date.now() - 7 * 86_400_000);
    expect(addBusinessDays(submittedAt, 3).getTime()).to.be.lessThan(Date.now());
    await db()('onboarding_applications').where('id', id).update({ submitted_at: submittedAt, sla_due_at: addBusinessDays(submittedAt, 3) });
    await kit.waitFor(async () => (await db()('onboarding_applications').where('id', id).first()).sla_breached_at, { what: 'the breach sweep' });
    queue = await kit.get(`${R}/applications?breached=true`, { token: rev });
    expect(queue.body.items[0]).to.include({ id, breached: true });
    const metrics = await kit.get('/metrics');
    expect(metrics.text).to.match(/bazaar_plugin_onboarding_review_sla_breaches_total\{[^}]*category="cn-general"[^}]*\} 1/);
  });

  it('an approval not activated within the deadline lapses to rejected with ACTIVATION_EXPIRED', async () => {
    const id = await readyApplication(kit, me.token);
    await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
    await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
    const approved = await kit.post(`${R}/applications/${id}/approve`, {}, { token: rev });
    expect(approved.status).to.equal(200);
    await db()('onboarding_applications').where('id', id).update({ activation_due_at: new Date(Date.now() - 1000) });
    await kit.waitFor(async () => (await db()('onboarding_applications').where('id', id).first()).status === 'rejected', { what: 'the lapse sweep' });
    const mine = await kit.get(`${A}/applications/${id}`, { token: me.token });
    expect(mine.body.decisions.at(-1).reasons).to.deep.equal([{ code: 'ACTIVATION_EXPIRED', requirementId: 'activation' }]);
    const late = await kit.post(`${A}/applications/${id}/accept-contract`, {}, { token: me.token });
    expect(late.status).to.equal(409);
  });
});
