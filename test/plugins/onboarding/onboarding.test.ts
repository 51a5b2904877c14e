// Merchant onboarding over HTTP: sign up and confirm, apply, upload, submit with a missing item,
// needs-info with codes, resubmit keeping accepted items, approve, store provisioned pending,
// owner invited, contract accepted, store activated, owner signs in.
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import type { TestKit } from '@bazaar/sdk/testing';
import { CN_DOCS, COMPLETE_DATA, PDF, PNG, applicant, mailTo, onboardingKit, readyApplication, reviewer, upload } from './helpers.js';

const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';

describe('onboarding plugin', function () {
  this.timeout(120_000);
  let kit: TestKit & { storageDir: string };
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

  describe('applicants', () => {
    it('cannot sign in before confirming the email, and a used confirmation token is refused', async () => {
      const email = 'unconfirmed@apply.test';
      expect((await kit.post(`${A}/signup`, { email, password: 'a long enough password', name: 'X' })).status).to.equal(201);
      const again = await kit.post(`${A}/signup`, { email, password: 'a long enough password', name: 'X' });
      expect(again.status).to.equal(409);
      expect(again.body.errors[0].pointer).to.equal('/email');
      const early = await kit.post(`${A}/login`, { email, password: 'a long enough password' });
      expect(early.status).to.equal(403);
      expect(early.body.code).to.equal('EMAIL_NOT_CONFIRMED');
      const token = /bza_[A-Za-z0-9_-]{43}/.exec((await mailTo(kit, email)).text)![0];
      expect((await kit.post(`${A}/confirm`, { token })).status).to.equal(200);
      expect((await kit.post(`${A}/confirm`, { token })).body.code).to.equal('CONFIRM_TOKEN_INVALID');
      const login = await kit.post(`${A}/login`, { email, password: 'a long enough password' });
      expect(login.status).to.equal(200);
      expect(login.body.token).to.match(/^bza_/);
    });

    it("an applicant's token is refused on every store, admin and other platform route", async () => {
      const shop = await kit.tenant();
      const tries = [
        await kit.get('/store/v1/products', { tenant: shop.slug, token: me.token }),
        await kit.get('/admin/v1/store', { tenant: shop.slug, token: me.token }),
        await kit.get('/admin/v1/me', { token: me.token }),
        await kit.get('/platform/v1/tenants', { token: me.token }),
        await kit.get(`${R}/applications`, { token: me.token }),
      ];
      expect(tries.map((r) => r.status)).to.deep.equal([401, 401, 401, 401, 401]);
      expect((await kit.get(`${A}/applications`, { token: me.token })).status).to.equal(200);
      expect((await kit.get(`${A}/applications`)).status).to.equal(401);
    });

    it("one applicant cannot see or touch another's application", async () => {
      const other = await applicant(kit);
      const id = await readyApplication(kit, me.token, { skip: CN_DOCS.map(([r]) => r) });
      const theirs = [
        await kit.get(`${A}/applications/${id}`, { token: other.token }),
        await kit.patch(`${A}/applications/${id}`, { storeName: 'Mine now' }, { token: other.token }),
        await kit.post(`${A}/applications/${id}/submit`, {}, { token: other.token }),
        await kit.post(`${A}/applications/${id}/withdraw`, {}, { token: other.token }),
        await upload(kit, other.token, id, 'business_licence'),
      ];
      expect(theirs.map((r) => r.status)).to.deep.equal([404, 404, 404, 404, 404]);
      expect((await kit.get(`${A}/applications`, { token: other.token })).body.items).to.deep.equal([]);
    });
  });

  describe('documents', () => {
    let id: string;
    before(async () => {
      id = await readyApplication(kit, me.token, { skip: CN_DOCS.map(([r]) => r) });
    });

    it('refuses a file whose name says PDF but whose bytes are not, naming what it found', async () => {
      const res = await upload(kit, me.token, id, 'business_licence', PNG, { filename: 'licence.pdf' });
      expect(res.status).to.equal(400);
      expect(res.body.code).to.equal('DOCUMENT_CONTENT_MISMATCH');
      expect(res.body.detected).to.equal('png');
      const text = await upload(kit, me.token, id, 'business_licence', Buffer.from('hello, not a pdf at all'));
      expect(text.body.code).to.equal('DOCUMENT_CONTENT_MISMATCH');
    });

    it('refuses a file over the limit with 413, a format the item does not take, an expired one, and an unknown item', async () => {
      const big = await upload(kit, me.token, id, 'business_licence', Buffer.concat([PDF, Buffer.alloc(70 * 1024, 32)]));
      expect(big.status).to.equal(413);
      expect(big.body.code).to.equal('DOCUMENT_TOO_LARGE');
      const exe = await upload(kit, me.token, id, 'business_licence', PDF, { filename: 'licence.exe' });
      expect(exe.status).to.equal(400);
      expect(exe.body.errors[0].pointer).to.equal('/filename');
      const expired = await upload(kit, me.token, id, 'business_licence', PDF, { expiresAt: '2020-01-01T00:00:00Z' });
      expect(expired.body.code).to.equal('DOCUMENT_EXPIRED');
      const undated = await upload(kit, me.token, id, 'business_licence', PDF, { expiresAt: null });
      expect(undated.body.errors[0].pointer).to.equal('/expiresAt');
      const unknown = await upload(kit, me.token, id, 'nope', PDF);
      expect(unknown.body.code).to.equal('UNKNOWN_REQUIREMENT');
      const type = await upload(kit, me.token, id, 'business_licence', PDF, { type: 'text/plain' });
      expect(type.status).to.equal(415);
    });

    it('keeps the bytes encrypted on disk in a directory per applicant, and gives them back', async () => {
      const ok = await upload(kit, me.token, id, 'bank_licence', PNG, { filename: 'bank.png', type: 'image/png' });
      expect(ok.status).to.equal(201);
      const files = fs.readdirSync(kit.storageDir, { recursive: true }).map(String).filter((f) => f.endsWith(ok.body.id));
      expect(files).to.have.length(1);
      const onDisk = fs.readFileSync(path.join(kit.storageDir, files[0]));
      expect(onDisk.includes(PNG.subarray(0, 8))).to.equal(false);
      const back = await fetch(`${kit.baseUrl}${A}/applications/${id}/documents/${ok.body.id}/content`, { headers: { authorization: `Bearer ${me.token}` } });
      expect(back.status).to.equal(200);
      expect(Buffer.from(await back.arrayBuffer()).equals(PNG)).to.equal(true);
    });
  });

  describe('the whole path', () => {
    it('submit with a missing item -> 422 naming it; needs-info with codes; resubmit keeps accepted items; approve opens the store', async () => {
      const slug = `flagship-${Date.now().toString(36)}`;
      const id = await readyApplication(kit, me.token, { slug, skip: ['trademark'] });

      const missing = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
      expect(missing.status).to.equal(422);
      expect(missing.body.code).to.equal('CHECKLIST_INCOMPLETE');
      expect(missing.body.blocking).to.deep.equal(['trademark']);
      expect(missing.body.errors[0].pointer).to.equal('/trademark');

      expect((await upload(kit, me.token, id, 'trademark')).status).to.equal(201);
      const submitted = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
      expect(submitted.status).to.equal(200);
      expect(submitted.body.status).to.equal('submitted');
      expect(Date.parse(submitted.body.slaDueAt)).to.be.greaterThan(Date.parse(submitted.body.submittedAt));

      const queue = await kit.get(`${R}/applications`, { token: rev });
      expect(queue.body.items.map((a: { id: string }) => a.id)).to.include(id);
      expect((await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev })).body.status).to.equal('in_review');

      // The reviewer sees the bank number masked, unmasked only on asking (audited).
      const masked = await kit.get(`${R}/applications/${id}`, { token: rev });
      expect(masked.body.data.bank.accountNumber).to.equal('****3445');
      expect(masked.text).not.to.include('6222020200112233445');
      const clear = await kit.get(`${R}/applications/${id}?unmask=true`, { token: rev });
      expect(clear.body.data.bank.accountNumber).to.equal('6222020200112233445');
      const audit = await kit.kernel.pool.control('audit_log').where({ action: 'onboarding.pii.read', target_id: id });
      expect(audit).to.have.length(1);
      const row = (await kit.kernel.pool.control('onboarding_applications').where('id', id).first()) as { data: string | object };
      expect(JSON.stringify(row.data)).not.to.include('6222020200112233445');

      expect((await kit.post(`${R}/applications/${id}/items/business_licence`, { decision: 'accept' }, { token: rev })).status).to.equal(200);
      const info = await kit.post(`${R}/applications/${id}/request-info`, { reasons: [{ code: 'AUTH_CHAIN_INCOMPLETE', requirementId: 'brand_authorization' }], externalNote: 'The chain stops at the distributor', internalNote: 'second-level letter missing' }, { token: rev });
      expect(info.status).to.equal(200);
      expect(info.body.status).to.equal('needs_info');

      // The applicant sees exactly what to fix, and not the team's note.
      const mine = await kit.get(`${A}/applications/${id}`, { token: me.token });
      const items = Object.fromEntries(mine.body.checklist.map((i: { id: string }) => [i.id, i]));
      expect(items.brand_authorization).to.include({ status: 'rejected' });
      expect(items.brand_authorization.reasons).to.deep.equal(['AUTH_CHAIN_INCOMPLETE']);
      expect(items.business_licence.status).to.equal('accepted');
      expect(mine.body.decisions.at(-1).externalNote).to.equal('The chain stops at the distributor');
      expect(mine.text).not.to.include('second-level letter missing');

      const unchanged = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
      expect(unchanged.status).to.equal(422);
      expect(unchanged.body.blocking).to.deep.equal(['brand_authorization']);
      const lockedAccepted = await upload(kit, me.token, id, 'business_licence');
      expect(lockedAccepted.status).to.equal(409);
      expect(lockedAccepted.body.code).to.equal('ITEM_ACCEPTED');

      expect((await upload(kit, me.token, id, 'brand_authorization')).status).to.equal(201);
      const resubmitted = await kit.post(`${A}/applications/${id}/submit`, {}, { token: me.token });
      expect(resubmitted.body.status).to.equal('submitted');
      expect(resubmitted.body.checklist.find((i: { id: string }) => i.id === 'business_licence').status).to.equal('accepted');

      await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
      const [first, second] = await Promise.all([kit.post(`${R}/applications/${id}/approve`, { externalNote: 'Welcome' }, { token: rev }), kit.post(`${R}/applications/${id}/approve`, {}, { token: rev })]);
      expect([first.status, second.status].sort()).to.deep.equal([200, 409]);
      const approved = first.status === 200 ? first.body : second.body;
      expect(approved.status).to.equal('approved');
      expect(approved.storeId).to.be.a('string');

      // The store exists, pending: it answers TENANT_PENDING until activation.
      const pending = await kit.get('/store/v1/store', { tenant: slug });
      expect(pending.status).to.equal(403);
      expect(pending.body.code).to.equal('TENANT_PENDING');
      const invite = await mailTo(kit, me.email);
      const reset = /bzt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/.exec(invite.text)![0];
      expect((await kit.post('/admin/v1/auth/password-reset/confirm', { token: reset, password: 'owner password 123' })).status).to.equal(204);

      const accepted = await kit.post(`${A}/applications/${id}/accept-contract`, {}, { token: me.token });
      expect(accepted.status).to.equal(200);
      expect(accepted.body.activatedAt).to.be.a('string');
      const open = await kit.get('/store/v1/store', { tenant: slug });
      expect(open.status).to.equal(200);
      expect(open.body.name).to.equal('Sample Flagship');
      const owner = await kit.post('/admin/v1/auth/login', { tenant: slug, email: me.email, password: 'owner password 123' });
      expect(owner.status).to.equal(200);

      const decisions = await kit.kernel.pool.control('audit_log').where('target_id', id).select('action');
      expect(decisions.map((d: { action: string }) => d.action)).to.include.members(['onboarding.application.submit', 'onboarding.application.request-info', 'onboarding.application.approve', 'onboarding.store.activated']);
    });

    it('a category with a deposit opens only once the deposit ledger covers it', async () => {
      const who = await applicant(kit);
      const slug = `food-${Date.now().toString(36)}`;
      const id = await readyApplication(kit, who.token, { slug, category: 'cn-food' });
      for (const req of ['category_licence', 'quality_report']) expect((await upload(kit, who.token, id, req)).status).to.equal(201);
      expect((await kit.post(`${A}/applications/${id}/submit`, {}, { token: who.token })).status).to.equal(200);
      await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
      expect((await kit.post(`${R}/applications/${id}/approve`, {}, { token: rev })).status).to.equal(200);
      const accepted = await kit.post(`${A}/applications/${id}/accept-contract`, {}, { token: who.token });
      expect(accepted.body.activatedAt).to.equal(null);
      const wrong = await kit.post(`${R}/applications/${id}/deposits`, { type: 'paid', amount: 100, currency: 'USD' }, { token: rev });
      expect(wrong.body.errors[0].pointer).to.equal('/currency');
      const part = await kit.post(`${R}/applications/${id}/deposits`, { type: 'paid', amount: 2_000_000, currency: 'CNY' }, { token: rev });
      expect(part.body.balance).to.equal(2_000_000);
      expect((await kit.get('/store/v1/store', { tenant: slug })).status).to.equal(403);
      const rest = await kit.post(`${R}/applications/${id}/deposits`, { type: 'paid', amount: 3_000_000, currency: 'CNY', reference: 'bank-ref-2' }, { token: rev });
      expect(rest.body.balance).to.equal(5_000_000);
      expect((await kit.get('/store/v1/store', { tenant: slug })).status).to.equal(200);
    });

    it('approve with blocking items is 422 unless overridden with a reason (audited)', async () => {
      const who = await applicant(kit);
      const id = await readyApplication(kit, who.token);
      await kit.post(`${A}/applications/${id}/submit`, {}, { token: who.token });
      await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
      await kit.post(`${R}/applications/${id}/items/trademark`, { decision: 'reject', reasons: ['TRADEMARK_INVALID'] }, { token: rev });
      const blocked = await kit.post(`${R}/applications/${id}/approve`, {}, { token: rev });
      expect(blocked.status).to.equal(422);
      expect(blocked.body.blocking).to.deep.equal(['trademark']);
      const noReason = await kit.post(`${R}/applications/${id}/approve`, { override: true }, { token: rev });
      expect(noReason.body.errors[0].pointer).to.equal('/overrideReason');
      const forced = await kit.post(`${R}/applications/${id}/approve`, { override: true, overrideReason: 'renewal receipt checked by phone' }, { token: rev });
      expect(forced.status).to.equal(200);
      const audit = (await kit.kernel.pool.control('audit_log').where({ target_id: id, action: 'onboarding.application.approve' }).first()) as { after: string | Record<string, unknown> };
      expect(JSON.stringify(audit.after)).to.include('renewal receipt checked by phone');
    });

    it('a rejection carries coded reasons tied to items; reopen goes back to draft', async () => {
      const who = await applicant(kit);
      const id = await readyApplication(kit, who.token);
      await kit.post(`${A}/applications/${id}/submit`, {}, { token: who.token });
      await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
      const none = await kit.post(`${R}/applications/${id}/reject`, { reasons: [], externalNote: 'x' }, { token: rev });
      expect(none.status).to.equal(400);
      expect(none.body.errors[0].pointer).to.equal('/reasons');
      const bad = await kit.post(`${R}/applications/${id}/reject`, { reasons: [{ code: 'NOT_A_CODE', requirementId: 'trademark' }], externalNote: 'x' }, { token: rev });
      expect(bad.status).to.equal(400);
      const rejected = await kit.post(`${R}/applications/${id}/reject`, { reasons: [{ code: 'SANCTIONS_HIT', requirementId: 'company_profile' }], externalNote: 'We cannot work with this company', internalNote: 'list match' }, { token: rev });
      expect(rejected.body.status).to.equal('rejected');
      const reopened = await kit.post(`${A}/applications/${id}/reopen`, {}, { token: who.token });
      expect(reopened.body.status).to.equal('draft');
      expect(reopened.body.checklist.find((i: { id: string }) => i.id === 'company_profile')).to.include({ status: 'rejected' });
    });

    it('reviewer routes need the onboarding grant', async () => {
      const kit2 = kit;
      const admin = await kit2.kernel.pool.control('platform_admins').first();
      await kit2.put(`${R}/reviewers/${admin.id}`, { permissions: [] }, { token: rev });
      const denied = await kit2.get(`${R}/applications`, { token: rev });
      expect(denied.status).to.equal(403);
      expect(denied.body.code).to.equal('PERMISSION_DENIED');
      await kit2.put(`${R}/reviewers/${admin.id}`, { permissions: ['onboarding:review'] }, { token: rev });
      const some = (await kit2.get(`${R}/applications`, { token: rev })).body.items[0];
      if (some) expect((await kit2.get(`${R}/applications/${some.id}?unmask=true`, { token: rev })).status).to.equal(403);
      expect((await kit2.get(`${R}/applications`, { token: rev })).status).to.equal(200);
      await kit2.put(`${R}/reviewers/${admin.id}`, { permissions: ['onboarding:review', 'merchant:pii:read'] }, { token: rev });
    });

    it('data of an accepted item stays; a change to a refused one sends it back to review', async () => {
      const who = await applicant(kit);
      const id = await readyApplication(kit, who.token);
      await kit.post(`${A}/applications/${id}/submit`, {}, { token: who.token });
      await kit.post(`${R}/applications/${id}/start-review`, {}, { token: rev });
      await kit.post(`${R}/applications/${id}/items/company_profile`, { decision: 'accept' }, { token: rev });
      await kit.post(`${R}/applications/${id}/request-info`, { reasons: [{ code: 'BANK_UNVERIFIED', requirementId: 'bank_account' }], externalNote: 'Bank name does not match' }, { token: rev });
      const renamed = await kit.patch(`${A}/applications/${id}`, { data: { ...COMPLETE_DATA, company: { ...COMPLETE_DATA.company, legalName: 'Other Co' } } }, { token: who.token });
      expect(renamed.status).to.equal(409);
      expect(renamed.body.code).to.equal('ITEM_ACCEPTED');
      const fixed = await kit.patch(`${A}/applications/${id}`, { data: { ...COMPLETE_DATA, bank: { ...COMPLETE_DATA.bank, bankName: 'Bank of China' } } }, { token: who.token });
      expect(fixed.status).to.equal(200);
      expect(fixed.body.checklist.find((i: { id: string }) => i.id === 'bank_account').status).to.equal('complete');
      expect(fixed.body.data.bank.accountNumber).to.equal('****3445');
      expect((await kit.post(`${A}/applications/${id}/submit`, {}, { token: who.token })).body.status).to.equal('submitted');
    });
  });
});
