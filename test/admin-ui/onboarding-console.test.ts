// The onboarding plugin's console pages in Chromium: the applicant's public page (sign up, confirm,
// apply, upload, submit, see the refused item with its reason, fix and submit again) and the
// reviewers' change queue (UI-8: SLA countdown, assignee, `a`/`r` keys, "already decided by").
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { baseUrl, runtime } from '../support/runtime.js';
import { call, get, post } from '../support/http.js';
import { newId } from '../../core/db/ids.js';
import { makePlatformAdmin, makeTenant, PASSWORD, unique } from '../support/factories.js';
import { ensureConsoleBuilt } from '../../admin-ui/build.js';
import { projectRoot } from '../../core/paths.js';
import { skipUnlessBrowserTests } from '../support/browser-tests.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(projectRoot, 'test-artifacts', 'admin-ui');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const FUTURE = new Date(Date.now() + 3 * 365 * 86_400_000).toISOString();
const A = '/platform/v1/onboarding/applicant';
const R = '/platform/v1/onboarding';

describe('onboarding console pages (Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let base: string;
  let admin: { id: string; email: string; token: string };
  const contexts: BrowserContext[] = [];

  before(async function () {
    skipUnlessBrowserTests(this);
    this.timeout(300_000);
    expect(await ensureConsoleBuilt()).to.be.oneOf(['fresh', 'built']);
    base = await baseUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/onboarding/install', {}, { token: admin.token });
    expect(installed.status, installed.text).to.be.oneOf([200, 409]);
    const rt = await runtime();
    const me = (await rt.kernel.pool.control('platform_admins').where('email', admin.email).first()) as { id: string };
    expect((await call('PUT', `/platform/v1/onboarding/reviewers/${me.id}`, { body: { permissions: ['onboarding:review'] }, token: admin.token })).status).to.equal(200);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const name = (this.currentTest.title.match(/[a-z0-9]+/gi) ?? []).slice(0, 6).join('-');
    for (const [i, c] of contexts.entries()) for (const [j, p] of c.pages().entries()) await p.screenshot({ path: path.join(ARTIFACTS, `failed-onb-${name}-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function newPage(language = 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: language, baseURL: base, reducedMotion: 'reduce' });
    contexts.push(context);
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(15_000);
    await context.addInitScript((lang) => (globalThis as any).localStorage.setItem('bazaar.console.language', lang), language);
    return context.newPage();
  }

  async function accessible(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).to.deep.equal([]);
  }

  async function signInPlatform(page: Page) {
    await page.goto('/admin/sign-in?scope=platform');
    const card = page.getByTestId('sign-in-platform');
    await card.getByLabel('Email', { exact: true }).fill(admin.email);
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/admin\/platform$/);
  }

  async function uploadApi(token: string, appId: string, requirement: string) {
    const q = new URLSearchParams({ requirement, filename: `${requirement}.pdf`, expiresAt: FUTURE });
    const res = await fetch(`${base}${A}/applications/${appId}/documents?${q}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' }, body: PDF });
    expect(res.status, await res.clone().text()).to.equal(201);
  }

  it('lets an applicant sign up, confirm, apply, upload, see a refused item with its reason, fix it and submit again', async () => {
    const rt = await runtime();
    const db = rt.kernel.pool.control;
    const email = `${unique('apply')}@apply.test`;
    const slug = unique('apply');
    const page = await newPage();
    await page.goto('/admin/ext/onboarding/apply');
    const account = page.getByTestId('applicant-account');
    await account.getByLabel('Your name', { exact: false }).fill('Li Lei');
    await account.getByLabel('Email', { exact: false }).fill(email);
    await account.getByRole('textbox', { name: 'Password' }).fill('a long enough password');
    await accessible(page, 'applicant sign-up');
    await account.getByRole('button', { name: 'Sign up', exact: true }).last().click();
    await account.getByLabel('Token from the email', { exact: false }).waitFor();
    // The shared runtime's mail is not readable here: a confirmation token is put where the mailed one would be.
    const applicant = (await db('onboarding_applicants').where('email', email).first()) as { id: string };
    const confirm = `bza_${crypto.randomBytes(32).toString('base64url')}`;
    await db('onboarding_tokens').insert({ token_hash: crypto.createHash('sha256').update(confirm).digest('hex'), applicant_id: applicant.id, kind: 'confirm', expires_at: new Date(Date.now() + 3600_000), used_at: null, created_at: new Date() });
    await account.getByLabel('Token from the email', { exact: false }).fill(confirm);
    await account.getByRole('button', { name: 'Confirm email', exact: true }).last().click();

    await page.getByLabel('Store name', { exact: false }).fill('Console Tea House');
    await page.getByLabel('Store address (slug)', { exact: false }).fill(slug);
    await page.getByRole('button', { name: 'Start an application', exact: true }).click();
    const app = page.getByTestId('my-application');
    await app.getByLabel('Legal name', { exact: true }).fill('杭州示例贸易有限公司');
    await app.getByLabel('Registration number', { exact: true }).fill('91330100MA27XXXX1X');
    await app.getByTestId('save').click();
    await app.getByText('Saved', { exact: true }).waitFor();
    await app.getByLabel('For item', { exact: true }).selectOption('business_licence');
    await app.locator('input[type="file"]').setInputFiles({ name: 'licence.pdf', mimeType: 'application/pdf', buffer: PDF });
    await app.getByLabel('Valid until', { exact: true }).fill('2030-01-01');
    await app.getByTestId('upload').click();
    await app.getByText('business_licence: licence.pdf', { exact: false }).waitFor();
    await app.getByTestId('submit').click();
    await app.getByRole('alert').getByText('Some required items are incomplete', { exact: false }).first().waitFor();
    await accessible(page, 'applicant application');

    // The rest filled in through the API, submitted; a reviewer asks for a better licence scan.
    const session = `bza_${crypto.randomBytes(32).toString('base64url')}`;
    await db('onboarding_tokens').insert({ token_hash: crypto.createHash('sha256').update(session).digest('hex'), applicant_id: applicant.id, kind: 'session', expires_at: new Date(Date.now() + 3600_000), used_at: null, created_at: new Date() });
    const mine = await get(`${A}/applications`, { token: session });
    const appId = mine.body.items[0].id as string;
    const data = {
      company: { legalName: '杭州示例贸易有限公司', registrationNumber: '91330100MA27XXXX1X', registeredAddress: '杭州市西湖区文三路 1 号', country: 'CN' },
      brand: { name: 'Sample', trademarkNumber: '12345678', trademarkType: 'R', owner: '杭州示例贸易有限公司' },
      bank: { holderName: '杭州示例贸易有限公司', bankName: 'ICBC', accountNumber: '6222020200112233445' },
      legalRepresentative: { name: '李雷', idNumber: '110101199003071234' },
    };
    expect((await call('PATCH', `${A}/applications/${appId}`, { body: { data }, token: session })).status).to.equal(200);
    for (const [req, n] of [['legal_rep_id', 2], ['bank_licence', 1], ['trademark', 1], ['brand_authorization', 1]] as const) for (let i = 0; i < n; i++) await uploadApi(session, appId, req);
    expect((await post(`${A}/applications/${appId}/attestations`, { requirementId: 'terms' }, { token: session })).status).to.equal(200);
    expect((await post(`${A}/applications/${appId}/submit`, {}, { token: session })).status).to.equal(200);
    expect((await post(`${R}/applications/${appId}/start-review`, {}, { token: admin.token })).status).to.equal(200);
    const asked = await post(`${R}/applications/${appId}/request-info`, { reasons: [{ code: 'DOC_ILLEGIBLE', requirementId: 'business_licence' }], externalNote: 'The seal is not readable' }, { token: admin.token });
    expect(asked.status, asked.text).to.equal(200);

    await page.reload();
    await page.getByTestId(`my-application-${slug}`).getByRole('button', { name: 'Open', exact: true }).click();
    const refused = page.getByTestId('refused-business_licence');
    await refused.getByText('DOC_ILLEGIBLE', { exact: false }).waitFor();
    await page.getByText('The seal is not readable', { exact: false }).first().waitFor();
    await app.getByLabel('For item', { exact: true }).selectOption('business_licence');
    await app.locator('input[type="file"]').setInputFiles({ name: 'licence-clear.pdf', mimeType: 'application/pdf', buffer: PDF });
    await app.getByLabel('Valid until', { exact: true }).fill('2030-01-01');
    await app.getByTestId('upload').click();
    await app.getByText('licence-clear.pdf', { exact: false }).waitFor();
    await app.getByRole('button', { name: 'Submit again', exact: true }).click();
    await app.getByText('submitted', { exact: false }).first().waitFor();
    const after = await get(`${A}/applications/${appId}`, { token: session });
    expect(after.body.status).to.equal('submitted');
    expect(after.body.documents.map((d: { filename: string }) => d.filename)).to.include('licence-clear.pdf');
  });

  it('shows an approved applicant what keeps the store from opening: accepts the contract, follows the deposit ledger and the payout account; the store opens once the deposit is in', async () => {
    const rt = await runtime();
    const db = rt.kernel.pool.control;
    const email = `${unique('open')}@apply.test`;
    const applicantId = newId();
    const now = new Date();
    await db('onboarding_applicants').insert({ id: applicantId, email, name: 'Han Meimei', password_hash: 'scrypt$x$y', email_confirmed_at: now, created_at: now, updated_at: now });
    const session = `bza_${crypto.randomBytes(32).toString('base64url')}`;
    await db('onboarding_tokens').insert({ token_hash: crypto.createHash('sha256').update(session).digest('hex'), applicant_id: applicantId, kind: 'session', expires_at: new Date(Date.now() + 3600_000), used_at: null, created_at: now });
    const slug = unique('food');
    const data = {
      company: { legalName: '杭州示例食品有限公司', registrationNumber: '91330100MA27XXXX2X', registeredAddress: '杭州市西湖区文三路 2 号', country: 'CN' },
      brand: { name: 'Sample Food', trademarkNumber: '87654321', trademarkType: 'R', owner: '杭州示例食品有限公司' },
      bank: { holderName: '杭州示例食品有限公司', bankName: 'ICBC', accountNumber: '6222020200112233446' },
      legalRepresentative: { name: '韩梅梅', idNumber: '110101199003071235' },
    };
    const made = await post(`${A}/applications`, { category: 'cn-food', storeName: 'Console Food Store', storeSlug: slug, data }, { token: session });
    expect(made.status, made.text).to.equal(201);
    const appId = made.body.id as string;
    for (const item of made.body.checklist.filter((i: { kind: string }) => i.kind === 'verified')) for (let n = 0; n < (item.id === 'legal_rep_id' ? 2 : 1); n++) await uploadApi(session, appId, item.id);
    for (const item of made.body.checklist.filter((i: { kind: string }) => i.kind === 'attested')) expect((await post(`${A}/applications/${appId}/attestations`, { requirementId: item.id }, { token: session })).status).to.equal(200);
    const submitted = await post(`${A}/applications/${appId}/submit`, {}, { token: session });
    expect(submitted.status, submitted.text).to.equal(200);
    expect((await post(`${R}/applications/${appId}/start-review`, {}, { token: admin.token })).status).to.equal(200);
    const approved = await post(`${R}/applications/${appId}/approve`, {}, { token: admin.token });
    expect(approved.status, approved.text).to.equal(200);
    const paid = await post(`${R}/applications/${appId}/deposits`, { type: 'paid', amount: 2_000_000, currency: 'CNY', reference: 'BANK-TX-20000' }, { token: admin.token });
    expect(paid.status, paid.text).to.equal(201);

    const page = await newPage();
    await page.context().addInitScript((t) => (globalThis as any).sessionStorage.setItem('bazaar.onboarding.applicant', t), session);
    await page.goto('/admin/ext/onboarding/apply');
    await page.getByTestId(`my-application-${slug}`).getByRole('button', { name: 'Open', exact: true }).click();
    const opening = page.getByTestId('opening');
    await opening.getByRole('heading', { name: 'Open your store', exact: true }).waitFor();
    const needed = opening.getByTestId('still-needed');
    await needed.getByText('accept the contract', { exact: false }).waitFor();
    expect(await needed.textContent()).to.include('the deposit').and.not.include('payout');
    expect(await opening.getByTestId('deposit-balance').textContent()).to.match(/20,000\.00/);
    expect(await opening.getByTestId('deposit').textContent()).to.match(/50,000\.00/);
    const row = opening.getByTestId('deposit-paid');
    await row.getByText('BANK-TX-20000', { exact: true }).waitFor();
    expect(await row.textContent()).to.include('Paid');
    expect(await opening.getByTestId('payout').textContent()).to.include('Not required for this category.');
    await accessible(page, 'applicant opening');

    await opening.getByTestId('accept-contract').click();
    await opening.getByTestId('contract').getByText('Accepted on', { exact: false }).waitFor();
    await page.waitForFunction(() => !(globalThis as any).document.querySelector('[data-testid="still-needed"]')?.textContent?.includes('accept the contract'));
    expect(await opening.getByTestId('still-needed').textContent()).to.include('the deposit');
    expect((await get(`${A}/applications/${appId}`, { token: session })).body.activatedAt).to.equal(null);

    expect((await post(`${R}/applications/${appId}/deposits`, { type: 'paid', amount: 3_000_000, currency: 'CNY', reference: 'BANK-TX-30000' }, { token: admin.token })).status).to.equal(201);
    const opened = await get(`${A}/applications/${appId}`, { token: session });
    expect(opened.body.activatedAt, 'the top-up activates it (or the sweep does)').to.be.a('string');
    await page.reload();
    await page.getByTestId(`my-application-${slug}`).getByRole('button', { name: 'Open', exact: true }).click();
    await opening.getByTestId('store-open').getByText('Your store is open.', { exact: true }).waitFor();
    // The ledger is its own request: wait for its second payment before counting.
    await opening.getByTestId('deposit-paid').nth(1).waitFor();
    expect(await opening.getByTestId('deposit-paid').count()).to.equal(2);

    const ja = await newPage('ja');
    await ja.context().addInitScript((t) => (globalThis as any).sessionStorage.setItem('bazaar.onboarding.applicant', t), session);
    await ja.goto('/admin/ext/onboarding/apply');
    await ja.getByTestId(`my-application-${slug}`).getByRole('button', { name: '開く', exact: true }).click();
    const jaOpening = ja.getByTestId('opening');
    await jaOpening.getByRole('heading', { name: 'ストアを開く', exact: true }).waitFor();
    await jaOpening.getByRole('heading', { name: '保証金', exact: true }).waitFor();
    await jaOpening.getByText('ストアは開店しています。', { exact: true }).waitFor();
    expect(await jaOpening.getByText('Open your store', { exact: true }).count()).to.equal(0);
  });

  it('tells a merchant in the store console that a live product\'s new price went to the platform\'s review (and shows the old price meanwhile)', async () => {
    const rt = await runtime();
    const db = rt.kernel.pool.control;
    const shop = await makeTenant();
    // A store onboarding opened: an application of it, approved and activated.
    const applicantId = newId();
    const now = new Date();
    await db('onboarding_applicants').insert({ id: applicantId, email: `${unique('held')}@apply.test`, name: 'Wang Fang', password_hash: 'scrypt$x$y', email_confirmed_at: now, created_at: now, updated_at: now });
    const session = `bza_${crypto.randomBytes(32).toString('base64url')}`;
    await db('onboarding_tokens').insert({ token_hash: crypto.createHash('sha256').update(session).digest('hex'), applicant_id: applicantId, kind: 'session', expires_at: new Date(Date.now() + 3600_000), used_at: null, created_at: now });
    const made = await post(`${A}/applications`, { category: 'cn-general', storeName: 'Held Tea', storeSlug: unique('held') }, { token: session });
    expect(made.status, made.text).to.equal(201);
    await db('onboarding_applications').where('id', made.body.id).update({ status: 'approved', store_id: shop.tenant.id, activated_at: now, store_status: 'open', contract_accepted_at: now });
    const sku = unique('HT');
    const product = await post('/admin/v1/products', { status: 'draft', translations: { en: { name: 'Tieguanyin' } }, variants: [{ sku, prices: [{ currency: 'USD', amount: 900 }], stock: 5 }] }, { token: shop.ownerToken });
    expect(product.status, product.text).to.equal(201);
    const productId = product.body.id as string;
    expect((await call('PATCH', `/admin/v1/products/${productId}`, { body: { status: 'active' }, token: shop.ownerToken })).status).to.equal(409);
    const queue = await get(`${R}/products?storeId=${shop.tenant.id}`, { token: admin.token });
    const review = queue.body.items.find((p: { productId: string }) => p.productId === productId);
    expect((await post(`${R}/products/${review.id}/approve`, {}, { token: admin.token })).status).to.equal(200);

    const page = await newPage();
    await page.goto('/admin/sign-in');
    const card = page.getByTestId('sign-in-store');
    await card.getByLabel('Store', { exact: true }).fill(shop.slug);
    await card.getByLabel('Email', { exact: true }).fill(shop.ownerEmail);
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/admin\/store$/);
    await page.goto(`/admin/store/products/${productId}`);
    await page.getByRole('button', { name: `Edit Price in USD ${sku}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Price in USD', { exact: true }).fill('12');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('held-for-review').getByText('Sent for the platform\'s review', { exact: false }).waitFor();
    expect(await page.getByText('Saved', { exact: true }).count()).to.equal(0);
    const variant = (await get(`/admin/v1/products/${productId}`, { token: shop.ownerToken })).body.variants[0];
    expect(variant.prices.find((p: { currency: string }) => p.currency === 'USD').amount).to.equal(900);
    const changes = await get(`${R}/changes?storeId=${shop.tenant.id}`, { token: admin.token });
    expect(changes.body.items[0].patch.variants[0]).to.include({ type: 'price_set', amount: 1200, previousAmount: 900 });
    await accessible(page, 'product editor with a held change');
  });

  it('speaks Japanese on the applicant page when the console language is ja', async () => {
    const page = await newPage('ja');
    await page.goto('/admin/ext/onboarding/apply');
    await page.getByRole('heading', { level: 1, name: '出店申請' }).waitFor();
    const account = page.getByTestId('applicant-account');
    await account.getByLabel('メールアドレス', { exact: false }).waitFor();
    expect(await account.getByRole('button', { name: '新規登録', exact: true }).count()).to.be.greaterThan(0);
    expect(await page.getByRole('heading', { name: 'Apply to sell' }).count()).to.equal(0);
  });

  it('shows the change queue with SLA countdown and assignee; `a` confirms; a change decided meanwhile says by whom', async () => {
    const rt = await runtime();
    const db = rt.kernel.pool.control;
    const shop = await makeTenant();
    const made = await post('/admin/v1/products', { status: 'active', translations: { en: { name: 'Longjing' } }, variants: [{ sku: unique('LJ'), prices: [{ currency: 'USD', amount: 900 }] }] }, { token: shop.ownerToken });
    expect(made.status, made.text).to.equal(201);
    const productId = made.body.id as string;
    const change = (name: string) => {
      const now = new Date();
      return { id: newId(), store_id: shop.tenant.id, product_id: productId, status: 'pending', pending_key: newId(), revision: 1, actions: JSON.stringify([{ patch: { translations: { en: { name } } }, at: now.toISOString() }]), reasons: '[]', note: null, auto: false, assignee_id: null, reviewer_id: null, proposed_at: now, sla_due_at: new Date(Date.now() + 2 * 86_400_000 + 3600_000), decided_at: null };
    };
    const first = change('Longjing, first flush');
    await db('onboarding_product_changes').insert(first);

    const page = await newPage();
    await signInPlatform(page);
    await page.getByTestId('nav-onboarding-changes').click();
    await page.waitForURL(/\/admin\/platform\/ext\/onboarding\/changes$/);
    const row = page.getByTestId(`change-${productId}`);
    await row.getByTestId('sla').getByText(/^2d \dh left$/).waitFor();
    // The countdown's units are the language's own (Intl), in Chinese and Japanese too.
    const language = page.getByTestId('language-switch').getByRole('combobox');
    await language.selectOption('zh-CN');
    await row.getByTestId('sla').getByText(/^剩余 2天\d+小时$/).waitFor();
    await language.selectOption('ja');
    await row.getByTestId('sla').getByText(/^残り 2 日 \d+ 時間$/).waitFor();
    await language.selectOption('en');
    await row.getByTestId('sla').getByText(/^2d \dh left$/).waitFor();
    await row.getByTestId('assignee').getByText('nobody', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Open', exact: true }).click();
    const detail = page.getByTestId('change-detail');
    await detail.getByText('Longjing, first flush', { exact: false }).waitFor();
    await detail.getByTestId('take').click();
    await detail.getByTestId('assignee').getByText(admin.email, { exact: true }).waitFor();
    await accessible(page, 'onboarding changes');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('a');
    await detail.getByText('confirmed', { exact: false }).first().waitFor();
    const applied = await get(`/admin/v1/products/${productId}`, { token: shop.ownerToken });
    expect(applied.body.translations.en.name).to.equal('Longjing, first flush');

    const second = change('Longjing, best in the world');
    await db('onboarding_product_changes').insert(second);
    await page.reload();
    await page.getByTestId(`change-${productId}`).getByRole('button', { name: 'Open', exact: true }).click();
    await detail.getByText('best in the world', { exact: false }).waitFor();
    // Another reviewer (here the same admin through the API) declines it meanwhile.
    expect((await post(`${R}/changes/${second.id}/decline`, { reasons: ['DESCRIPTION_MISLEADING'] }, { token: admin.token })).status).to.equal(200);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('r');
    await page.getByTestId('decided-by').getByText(`Already decided by ${admin.email}`, { exact: false }).waitFor();
    expect((await get(`/admin/v1/products/${productId}`, { token: shop.ownerToken })).body.translations.en.name).to.equal('Longjing, first flush');
  });
});
