// ONB-4: the authorization chain back to the trademark owner, beneficial owners at 25%, the
// quality-report flag of a category. ONB-13: documents are PII, read by reviewers holding
// merchant:pii:read only, each read audited.
import { expect } from 'chai';
import type { TestKit } from '@bazaar/sdk/testing';
import { ruleProblems, type ChecklistItem } from '../../../plugins/onboarding/checklist.js';
import type { Requirement } from '../../../plugins/onboarding/onboarding.model.js';
import { COMPLETE_DATA, applicant, onboardingKit, readyApplication, reviewer, upload } from './helpers.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';
const NOW = new Date('2026-12-06T00:00:00Z');
const chain: Requirement = { id: 'brand_chain', kind: 'computed', required: true, label: 'chain', fields: ['/brand/owner'], rule: 'authorization_chain', minValidDays: 365 };
const ubos: Requirement = { id: 'ubos', kind: 'computed', required: true, label: 'ubos', fields: ['/company/ubos/0/name'], rule: 'ubo_threshold' };

describe('onboarding rules', function () {
  this.timeout(120_000);

  it('checks the authorization chain link by link, back to the trademark owner, each valid a year', () => {
    const data = (authorizations: unknown[], owner = 'Brand Owner Ltd') => ({ company: { legalName: 'Shop Co' }, brand: { owner, authorizations } });
    const link = (from: string, to: string, validUntil = '2028-12-31') => ({ from, to, validUntil });
    expect(ruleProblems(chain, data([], 'shop co'), NOW), 'the company owns the mark').to.deep.equal([]);
    expect(ruleProblems(chain, data([]), NOW)).to.deep.equal(['chain:missing']);
    expect(ruleProblems(chain, data([link('Brand Owner Ltd', 'Distributor'), link('Distributor', 'Shop Co')]), NOW)).to.deep.equal([]);
    expect(ruleProblems(chain, data([link('Someone Else', 'Shop Co')]), NOW)).to.deep.equal(['chain:start']);
    expect(ruleProblems(chain, data([link('Brand Owner Ltd', 'Distributor'), link('Agent', 'Shop Co')]), NOW)).to.deep.equal(['chain:break:1']);
    expect(ruleProblems(chain, data([link('Brand Owner Ltd', 'Distributor')]), NOW)).to.deep.equal(['chain:end']);
    expect(ruleProblems(chain, data([link('Brand Owner Ltd', 'Shop Co', '2027-06-01')]), NOW)).to.deep.equal(['chain:valid_days:0']);
  });

  it('checks beneficial owners: at least one, those at 25% or more with a country, no more than 100%', () => {
    const data = (list: unknown[]) => ({ company: { ubos: list } });
    expect(ruleProblems(ubos, data([]), NOW)).to.deep.equal(['ubos:none']);
    expect(ruleProblems(ubos, data([{ name: 'A', sharePercent: 60, country: 'DE' }, { name: 'B', sharePercent: 10 }]), NOW)).to.deep.equal([]);
    expect(ruleProblems(ubos, data([{ name: 'A', sharePercent: 30 }]), NOW)).to.deep.equal(['ubos:country:0']);
    expect(ruleProblems(ubos, data([{ name: 'A', sharePercent: 60, country: 'DE' }, { name: 'B', sharePercent: 50, country: 'FR' }]), NOW)).to.deep.equal(['ubos:total_over_100']);
  });

  describe('over HTTP', () => {
    let kit: TestKit;
    let me: { email: string; token: string };
    let rev: string;
    before(async () => {
      kit = await onboardingKit();
      me = await applicant(kit);
      rev = await reviewer(kit);
    });
    after(async () => {
      await kit?.close();
    });

    it('a broken authorization chain blocks the submit, naming the item and the problem', async () => {
      const id = await readyApplication(kit, me.token);
      const broken = { ...COMPLETE_DATA, brand: { ...COMPLETE_DATA.brand, owner: 'Sample Brand Holding', authorizations: [{ from: 'Sample Brand Holding', to: 'A Distributor', validUntil: '2030-01-01' }] } };
      const res = await kit.patch(`${A}/applications/${id}`, { data: broken }, { token: me.token });
      const item = res.body.checklist.find((i: ChecklistItem) => i.id === 'brand_chain');
      expect(item).to.include({ status: 'incomplete' });
      expect(item.problems).to.deep.equal(['chain:end']);
      const submit = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
      expect(submit.status).to.equal(422);
      expect(submit.body.blocking).to.deep.equal(['brand_chain']);
      const fixed = { ...broken, brand: { ...broken.brand, authorizations: [...broken.brand.authorizations, { from: 'A Distributor', to: COMPLETE_DATA.company.legalName, validUntil: '2030-01-01' }] } };
      await kit.patch(`${A}/applications/${id}`, { data: fixed }, { token: me.token });
      expect((await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token })).status).to.equal(200);
    });

    it('a category flagged requiresQualityReport asks for the report even when its template does not list it', async () => {
      const tpls = await kit.get(`${R}/templates`, { token: rev });
      const general = tpls.body.items.find((t: { category: string }) => t.category === 'cn-general');
      expect((await kit.put(`${R}/templates/cn-toys`, { name: 'Toys', requirements: general.requirements, requiresQualityReport: true }, { token: rev })).status).to.equal(200);
      const id = await readyApplication(kit, me.token, { category: 'cn-toys' });
      const submit = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
      expect(submit.body.blocking).to.deep.equal(['quality_report']);
      expect((await upload(kit, me.token, id, 'quality_report')).status).to.equal(201);
      expect((await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token })).status).to.equal(200);
    });

    it('a reviewer without merchant:pii:read cannot open documents; with it, every read is audited', async () => {
      const id = await readyApplication(kit, me.token);
      const doc = (await kit.get(`${A}/applications/${id}`, { token: me.token })).body.documents.find((d: { requirementId: string }) => d.requirementId === 'legal_rep_id');
      const admin = (await kit.kernel.pool.control('platform_admins').first()) as { id: string };
      await kit.put(`${R}/reviewers/${admin.id}`, { permissions: ['onboarding:review'] }, { token: rev });
      const denied = await kit.get(`${R}/applications/${id}/documents/${doc.id}/content`, { token: rev });
      expect(denied.status).to.equal(403);
      expect(denied.body.permission).to.equal('merchant:pii:read');
      await kit.put(`${R}/reviewers/${admin.id}`, { permissions: ['onboarding:review', 'merchant:pii:read'] }, { token: rev });
      const read = await fetch(`${kit.baseUrl}${R}/applications/${id}/documents/${doc.id}/content`, { headers: { authorization: `Bearer ${rev}` } });
      expect(read.status).to.equal(200);
      expect(await kit.kernel.pool.control('audit_log').where({ action: 'onboarding.document.viewed', target_id: doc.id })).to.have.length(1);
    });
  });
});
