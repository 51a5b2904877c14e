// Onboarding's store-console pages in Chromium: the owner of a store onboarding opened finds its
// own seller scorecard (30/90-day metrics with breaches, penalty points, a restriction and its
// appeal) and its change requests (filtered, paged on the server), withdraws one that waits, and
// sees the API's problem when one was decided meanwhile; the same in Chinese (and Japanese). A store onboarding
// did not open has no such pages.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { baseUrl, runtime } from '../support/runtime.js';
import { post } from '../support/http.js';
import { newId } from '../../core/db/ids.js';
import { makePlatformAdmin, makeTenant, PASSWORD, unique, type TestTenant } from '../support/factories.js';
import { ensureConsoleBuilt } from '../../admin-ui/build.js';
import { projectRoot } from '../../core/paths.js';
import { quarterOf, weekOf } from '../../plugins/onboarding/scorecard.rules.js';
import { skipUnlessBrowserTests } from '../support/browser-tests.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(projectRoot, 'test-artifacts', 'admin-ui');

describe("onboarding's store-console pages (Chromium)", function () {
  this.timeout(180_000);
  let browser: Browser;
  let base: string;
  let shop: TestTenant;
  const changes: Record<string, string> = {};
  const productOf: Record<string, string> = {};
  const contexts: BrowserContext[] = [];

  before(async function () {
    skipUnlessBrowserTests(this);
    this.timeout(300_000);
    expect(await ensureConsoleBuilt()).to.be.oneOf(['fresh', 'built']);
    base = await baseUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/onboarding/install', {}, { token: admin.token });
    expect(installed.status, installed.text).to.be.oneOf([200, 409]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    // A store onboarding opened: an application of it, approved and activated.
    const rt = await runtime();
    const db = rt.kernel.pool.control;
    shop = await makeTenant();
    const now = new Date();
    const applicantId = newId();
    await db('onboarding_applicants').insert({ id: applicantId, email: `${unique('own')}@apply.test`, name: 'Zhou Min', password_hash: 'scrypt$x$y', email_confirmed_at: now, created_at: now, updated_at: now });
    const session = `bza_${crypto.randomBytes(32).toString('base64url')}`;
    await db('onboarding_tokens').insert({ token_hash: crypto.createHash('sha256').update(session).digest('hex'), applicant_id: applicantId, kind: 'session', expires_at: new Date(Date.now() + 3600_000), used_at: null, created_at: now });
    const made = await post('/platform/v1/onboarding/applicant/applications', { category: 'cn-general', storeName: 'Own Tea', storeSlug: unique('own') }, { token: session });
    expect(made.status, made.text).to.equal(201);
    await db('onboarding_applications').where('id', made.body.id).update({ status: 'approved', store_id: shop.tenant.id, activated_at: now, store_status: 'open', contract_accepted_at: now });

    // Its cards (the 30-day one breaches the cancellation rate), two points this quarter and a restriction it appealed.
    const day = now.toISOString().slice(0, 10);
    const card = (windowDays: number, cancelRate: number, breaches: string[]) => ({ id: newId(), store_id: shop.tenant.id, day, window_days: windowDays, orders: 40, cancelled_by_seller: 2, shipped: 38, shipped_late: 1, valid_tracking: 37, returned: 1, defective: 0, ratings: 0, rating_sum: 0, rates: JSON.stringify({ odr: 0, cancelRate, lateShipmentRate: 2.63, validTrackingRate: 97.37, returnRate: 2.5, averageRating: null }), breaches: JSON.stringify(breaches), computed_at: now });
    await db('onboarding_scorecards').insert([card(30, 5, ['cancelRate']), card(90, 1.5, [])]);
    const week = weekOf(now);
    await db('onboarding_penalties').insert([0, 1].map((i) => ({ id: newId(), store_id: shop.tenant.id, week, quarter: quarterOf(week), metric: i ? 'returnRate' : 'cancelRate', points: 1, created_at: now })));
    await db('onboarding_restrictions').insert({ id: newId(), store_id: shop.tenant.id, quarter: quarterOf(week), level: 3, kind: 'no_campaigns', starts_at: now, ends_at: new Date(now.getTime() + 28 * 86_400_000), lifted_at: null, lift_reason: null, appeal_status: 'pending', appeal_text: 'Our courier lost a day', appealed_at: now, appeal_decided_by: null, appeal_decided_at: null, appeal_note: null });

    // Its change requests: three waiting, one declined with a reason (ids in time order: newest last).
    const change = (name: string, status: string, extra: Record<string, unknown> = {}) => {
      const productId = newId();
      const id = newId();
      changes[name] = id;
      productOf[name] = productId;
      return { id, store_id: shop.tenant.id, product_id: productId, status, pending_key: status === 'pending' ? productId : null, revision: 1, actions: JSON.stringify([{ patch: { translations: { en: { name } } }, at: now.toISOString() }]), reasons: '[]', note: null, auto: false, assignee_id: null, reviewer_id: null, proposed_at: now, sla_due_at: new Date(Date.now() + 3 * 86_400_000), decided_at: null, ...extra };
    };
    for (const row of [change('declined', 'declined', { reasons: JSON.stringify(['DESCRIPTION_MISLEADING']), note: 'No superlatives', decided_at: now }), change('first', 'pending'), change('second', 'pending'), change('raced', 'pending')]) {
      await db('onboarding_product_changes').insert(row);
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const name = (this.currentTest.title.match(/[a-z0-9]+/gi) ?? []).slice(0, 6).join('-');
    for (const [i, c] of contexts.entries()) for (const [j, p] of c.pages().entries()) await p.screenshot({ path: path.join(ARTIFACTS, `failed-onb-store-${name}-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
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

  async function signInStore(page: Page, t: TestTenant) {
    await page.goto('/admin/sign-in');
    const card = page.getByTestId('sign-in-store');
    await card.getByLabel('Store', { exact: true }).fill(t.slug);
    await card.getByLabel('Email', { exact: true }).fill(t.ownerEmail);
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/admin\/store$/);
    await page.getByTestId('nav-products').or(page.getByTestId('nav-dashboard')).first().waitFor();
  }

  const status = async (id: string) => ((await (await runtime()).kernel.pool.control('onboarding_product_changes').where('id', id).first()) as { status: string }).status;

  it('shows the owner its scorecard, withdraws a waiting change, and shows the problem when a change was decided meanwhile (en)', async () => {
    const page = await newPage();
    await signInStore(page, shop);
    await page.getByTestId('nav-onboarding-scorecard').click();
    await page.waitForURL(/\/admin\/store\/ext\/onboarding\/scorecard$/);
    await page.getByRole('heading', { name: 'Seller scorecard', level: 1 }).waitFor();
    const cancelRow = page.getByTestId('metric-cancelRate');
    await cancelRow.getByTestId('breach-30-cancelRate').getByText('Breached', { exact: true }).waitFor();
    expect(await cancelRow.textContent()).to.include('Cancellation rate (before shipment)').and.include('5%').and.include('1.5%').and.include('at most 2.5%');
    expect(await page.getByTestId('breach-90-cancelRate').count()).to.equal(0);
    expect(await page.getByTestId('metric-validTrackingRate').textContent()).to.include('at least 95%');
    expect(await page.getByTestId('points').textContent()).to.match(/^2 points in \d{4}-Q\d\. Restrictions start at 3 \/ 6 \/ 9 points\.$/);
    const restriction = page.getByTestId('restriction-no_campaigns');
    expect(await restriction.textContent()).to.include('No campaigns').and.include('In force').and.include('Appeal under review');
    await accessible(page, 'store scorecard');

    await page.getByTestId('nav-onboarding-change-requests').click();
    await page.waitForURL(/\/admin\/store\/ext\/onboarding\/change-requests$/);
    await page.getByTestId(`change-status-${changes.declined}`).getByText('Declined', { exact: true }).waitFor();
    expect(await page.getByRole('row').filter({ has: page.getByTestId(`change-status-${changes.declined}`) }).textContent()).to.include('DESCRIPTION_MISLEADING').and.include('No superlatives');
    const filter = page.getByLabel('Status', { exact: true });
    await filter.selectOption({ label: 'Waiting for review' });
    await page.getByTestId(`change-status-${changes.declined}`).waitFor({ state: 'detached' });
    await page.getByTestId(`cancel-${changes.first}`).waitFor();
    await accessible(page, 'store change requests');
    const first = page.getByRole('button', { name: `Withdraw the change to product ${productOf.first.slice(-8)}`, exact: true });
    await first.click();
    await page.getByRole('status').getByText('The change was withdrawn.', { exact: true }).waitFor();
    await page.getByTestId(`cancel-${changes.first}`).waitFor({ state: 'detached' });
    expect(await status(changes.first)).to.equal('canceled');
    await filter.selectOption({ label: 'All' });
    await page.getByTestId(`change-status-${changes.first}`).getByText('Withdrawn', { exact: true }).waitFor();

    // Decided by a reviewer while the page showed it waiting: the API's 409 shows, nothing changes.
    await (await runtime()).kernel.pool.control('onboarding_product_changes').where('id', changes.raced).update({ status: 'confirmed', pending_key: null, decided_at: new Date() });
    await page.getByTestId(`cancel-${changes.raced}`).click();
    await page.getByTestId('problem').getByText('The change was already decided', { exact: false }).waitFor();
    await page.getByTestId(`change-status-${changes.raced}`).getByText('Confirmed', { exact: true }).waitFor();
    expect(await status(changes.raced)).to.equal('confirmed');
  });

  it('shows the same pages in Chinese and withdraws a change there (zh-CN)', async () => {
    const page = await newPage();
    await signInStore(page, shop);
    await page.getByTestId('language-switch').getByRole('combobox').selectOption('zh-CN');
    await page.getByTestId('nav-onboarding-scorecard').getByText('店铺绩效', { exact: true }).click();
    await page.getByRole('heading', { name: '店铺绩效', level: 1 }).waitFor();
    await page.getByTestId('breach-30-cancelRate').getByText('未达标', { exact: true }).waitFor();
    expect(await page.getByTestId('metric-cancelRate').textContent()).to.include('发货前取消率').and.include('不高于 2.5%');
    expect(await page.getByTestId('restriction-no_campaigns').textContent()).to.include('禁止参加营销活动').and.include('生效中').and.include('申诉审核中');
    expect(await page.getByText('Seller scorecard', { exact: true }).count()).to.equal(0);

    await page.getByTestId('nav-onboarding-change-requests').getByText('商品变更申请', { exact: true }).click();
    await page.getByRole('heading', { name: '商品变更申请', level: 1 }).waitFor();
    await page.getByLabel('状态', { exact: true }).selectOption({ label: '待审核' });
    const second = page.getByRole('button', { name: `撤回商品 ${productOf.second.slice(-8)} 的变更申请`, exact: true });
    await second.click();
    await page.getByRole('status').getByText('变更申请已撤回。', { exact: true }).waitFor();
    expect(await status(changes.second)).to.equal('canceled');
    await page.getByLabel('状态', { exact: true }).selectOption({ label: '已撤回' });
    await page.getByTestId(`change-status-${changes.second}`).getByText('已撤回', { exact: true }).waitFor();
    await accessible(page, 'store change requests (zh-CN)');

    // And in Japanese, the console's third language.
    await page.getByTestId('language-switch').getByRole('combobox').selectOption('ja');
    await page.getByRole('heading', { name: '商品変更の申請', level: 1 }).waitFor();
    await page.getByTestId('nav-onboarding-scorecard').getByText('スコアカード', { exact: true }).click();
    await page.getByRole('heading', { name: 'ストアのスコアカード', level: 1 }).waitFor();
    await page.getByTestId('breach-30-cancelRate').getByText('基準未達', { exact: true }).waitFor();
    expect(await page.getByTestId('restriction-no_campaigns').textContent()).to.include('キャンペーン参加不可').and.include('審査中');
  });

  it('has no onboarding pages in a store onboarding did not open', async () => {
    const other = await makeTenant();
    const page = await newPage();
    await signInStore(page, other);
    expect(await page.getByTestId('nav-onboarding-scorecard').count()).to.equal(0);
    await page.goto('/admin/store/ext/onboarding/scorecard');
    await page.getByText('This page does not exist.', { exact: true }).waitFor();
  });
});
