// The membership plugin's console pages in a real browser (Debian's Chromium, playwright-core,
// axe on every page): members found by email and paged, a member's ledgers and tier history, a
// manual adjustment with a reason, the tier table applied only after its dry-run preview, and a
// held referral payout approved on the review page. The APIs behind them are tested in
// test/plugins/membership/membership.rules.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { baseUrl } from '../support/runtime.js';
import { call, get, post } from '../support/http.js';
import { makeCustomer, makePlatformAdmin, makeTenant, PASSWORD, type TestTenant } from '../support/factories.js';
import { ensureConsoleBuilt } from '../../admin-ui/build.js';
import { projectRoot } from '../../core/paths.js';
import { scoped } from '../../core/db/model.js';
import { Flag } from '../../plugins/membership/membership.model.js';
import { skipUnlessBrowserTests } from '../support/browser-tests.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(projectRoot, 'test-artifacts', 'admin-ui');
const STEP_MS = 15_000;

describe('membership console pages (Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let shop: TestTenant;
  const contexts: BrowserContext[] = [];
  const members: { id: string; email: string; token: string; memberId: string }[] = [];

  before(async function () {
    skipUnlessBrowserTests(this);
    this.timeout(600_000);
    expect(await ensureConsoleBuilt()).to.be.oneOf(['fresh', 'built']);
    const base = await baseUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    const admin = await makePlatformAdmin();
    const install = await post('/platform/v1/plugins/membership/install', {}, { token: admin.token });
    expect(install.status, install.text).to.be.oneOf([200, 409]);
    shop = await makeTenant();
    const enabled = await post('/admin/v1/plugins/membership/enable', { settings: { rewards: { referralPoints: 30 } } }, { token: shop.ownerToken });
    expect(enabled.status, enabled.text).to.equal(200);
    // 21 members: one more than a page.
    for (let i = 0; i < 21; i++) {
      const c = await makeCustomer(shop);
      const me = await get('/store/v1/membership/me', { tenant: shop.slug, token: c.token });
      expect(me.status, me.text).to.equal(200);
      members.push({ ...c, memberId: me.body.memberId });
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    (globalThis as Record<string, unknown>).__membershipBase = base;
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const name = (this.currentTest.title.match(/[a-z0-9]+/gi) ?? []).slice(0, 6).join('-');
    for (const [i, c] of contexts.entries()) for (const [j, p] of c.pages().entries()) await p.screenshot({ path: path.join(ARTIFACTS, `failed-membership-${name}-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function signedIn(language = 'en', store: TestTenant = shop): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: language, baseURL: (globalThis as Record<string, unknown>).__membershipBase as string, reducedMotion: 'reduce' });
    contexts.push(context);
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
    // Only a first visit's language: a test may switch it afterwards.
    await context.addInitScript((lng) => {
      const storage = (globalThis as any).localStorage;
      if (!storage.getItem('bazaar.console.language')) storage.setItem('bazaar.console.language', lng);
    }, language);
    const page = await context.newPage();
    await page.goto('/admin/sign-in');
    const card = page.getByTestId('sign-in-store');
    await card.getByLabel('Store', { exact: true }).fill(store.slug);
    await card.getByLabel('Email', { exact: true }).fill(store.ownerEmail);
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/admin\/store$/);
    return page;
  }

  async function accessible(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    await page.locator('[role="status"][aria-live="polite"]').waitFor({ state: 'detached' }).catch(() => undefined);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).to.deep.equal([]);
  }

  it('applies a tier table only after its dry-run preview, with typed benefits', async () => {
    const page = await signedIn();
    await page.getByTestId('nav-membership-tiers').click();
    await page.waitForURL(/\/admin\/store\/ext\/membership\/tiers$/);
    await page.getByRole('heading', { name: 'Tiers and benefits', exact: true }).waitFor();
    expect(await page.getByTestId('tiers-save').isDisabled()).to.equal(true);
    await page.getByRole('button', { name: 'Add a tier', exact: true }).click();
    const member = page.getByTestId('tier-row-0');
    await member.getByLabel('Name', { exact: true }).fill('Member');
    await page.getByRole('button', { name: 'Add a tier', exact: true }).click();
    const gold = page.getByTestId('tier-row-1');
    await gold.getByLabel('Name', { exact: true }).fill('Gold');
    await gold.getByLabel('Growth threshold', { exact: true }).fill('500');
    await gold.getByLabel('Member discount (%)', { exact: true }).fill('5');
    await gold.getByLabel('Priority service', { exact: true }).check();
    await page.getByTestId('tiers-preview').click();
    // Every member (growth 0) qualifies for the threshold-0 tier at once.
    await page.getByTestId('tiers-preview-result').getByText('Members moving up at once: 21.', { exact: false }).waitFor();
    // An edit after the preview needs a new preview.
    await gold.getByLabel('Entry reward (points)', { exact: true }).fill('100');
    expect(await page.getByTestId('tiers-save').isDisabled()).to.equal(true);
    await page.getByTestId('tiers-preview').click();
    await page.getByTestId('tiers-preview-result').waitFor();
    await page.getByTestId('tiers-save').click();
    await page.getByTestId('tiers-saved').waitFor();
    await accessible(page, 'membership tiers');
    const tiers = await get('/admin/v1/membership/tiers', { token: shop.ownerToken });
    expect(tiers.body.items.map((t: { name: string; threshold: number; entryRewardPoints: number; benefits: unknown[] }) => [t.name, t.threshold, t.entryRewardPoints, t.benefits])).to.deep.equal([
      ['Member', 0, 0, []],
      ['Gold', 500, 100, [{ type: 'member_price_discount_percent', percent: 5 }, { type: 'priority_service' }]],
    ]);
  });

  it('finds a member by email, pages the list, adjusts points with a reason and shows both ledgers and the tier history', async () => {
    const page = await signedIn();
    await page.getByTestId('nav-membership-members').click();
    await page.getByRole('heading', { name: 'Members', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'Members', exact: true });
    await table.locator('tbody tr').nth(19).waitFor();
    expect(await table.locator('tbody tr').count()).to.equal(20);
    await page.getByRole('button', { name: 'Next page', exact: true }).click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    await table.locator('tbody tr').nth(0).waitFor();
    expect(await table.locator('tbody tr').count()).to.equal(1);

    const target = members[7];
    await page.getByTestId('member-search').fill(target.email.slice(0, -4));
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByTestId(`open-${target.email}`).click();
    const detail = page.getByTestId('member-detail');
    await detail.getByTestId('member-tier').getByText('Member', { exact: true }).waitFor();
    expect(await table.locator('tbody tr').count()).to.equal(1);

    const form = detail.getByTestId('adjust-form');
    await form.getByLabel('Points', { exact: true }).fill('250');
    await form.getByLabel('Growth', { exact: true }).fill('500');
    await form.getByLabel('Reason code', { exact: true }).selectOption('compensation');
    await form.getByLabel('Note (kept in the audit trail)', { exact: true }).fill('late parcel');
    await form.getByRole('button', { name: 'Apply', exact: true }).click();
    await form.getByTestId('adjust-outcome').getByText('Applied', { exact: true }).waitFor();
    // 250 by hand plus Gold's entry reward of 100; growth 500 reaches Gold at once.
    await detail.getByTestId('member-available').getByText('350', { exact: true }).waitFor();
    await detail.getByTestId('member-tier').getByText('Gold', { exact: true }).waitFor();
    const ledger = detail.getByRole('table', { name: 'Points ledger', exact: true });
    await ledger.getByText('ADMIN_ADJUST', { exact: true }).waitFor();
    await ledger.getByText('compensation: late parcel', { exact: true }).waitFor();
    await ledger.getByText('TIER_ENTRY_REWARD', { exact: true }).waitFor();
    await detail.getByRole('table', { name: 'Growth ledger', exact: true }).getByText('+500', { exact: true }).waitFor();
    const history = detail.getByRole('table', { name: 'Tier history', exact: true });
    expect(await history.locator('tbody tr').count()).to.equal(2);
    expect((await history.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ')).to.contain('Up Member Gold Growth 500');
    await accessible(page, 'membership member');
    await page.screenshot({ path: path.join(ARTIFACTS, 'membership-member-desktop.png'), fullPage: true });
    const audit = await call('GET', `/admin/v1/membership/adjustments`, { token: shop.ownerToken });
    expect(audit.body.items[0]).to.include({ memberId: target.memberId, points: 250, growth: 500, reasonCode: 'compensation', note: 'late parcel', status: 'applied' });
  });

  it("puts the member's tier and points into the customer page's widget zone, only where the plugin is on", async () => {
    // members[7] was made Gold with 350 points by the test before.
    const target = members[7];
    const page = await signedIn();
    await page.goto(`/admin/store/customers/${target.id}`);
    const widget = page.locator('[data-zone="customer.details.main"]').getByTestId('membership-widget');
    await widget.getByRole('heading', { name: 'Membership', exact: true }).waitFor();
    await widget.getByTestId('membership-tier').getByText('Gold', { exact: true }).waitFor();
    expect(await widget.getByTestId('membership-available').innerText()).to.equal('350');
    expect(await widget.getByTestId('membership-growth').innerText()).to.equal('500');
    await accessible(page, 'customer page with the membership widget');
    await widget.getByRole('link', { name: 'Open in Members', exact: true }).click();
    await page.waitForURL(/\/admin\/store\/ext\/membership\/members$/);
    // In Japanese the widget speaks Japanese.
    const ja = await signedIn();
    await ja.evaluate(() => (globalThis as any).localStorage.setItem('bazaar.console.language', 'ja'));
    await ja.goto(`/admin/store/customers/${members[3].id}`);
    const jaWidget = ja.getByTestId('membership-widget');
    await jaWidget.getByRole('heading', { name: '会員', exact: true }).waitFor();
    await jaWidget.getByText('利用可能', { exact: true }).waitFor();
    // A store without the plugin: the zone stays empty and nothing asks the membership API.
    const other = await makeTenant();
    const customer = await makeCustomer(other);
    const plain = await signedIn('en', other);
    const asked: string[] = [];
    plain.on('request', (r) => {
      if (r.url().includes('/membership/')) asked.push(r.url());
    });
    await plain.goto(`/admin/store/customers/${customer.id}`);
    await plain.getByTestId('customer-orders').waitFor();
    await plain.waitForLoadState('networkidle');
    expect(await plain.locator('[data-zone]').count()).to.equal(0);
    expect(await plain.getByTestId('membership-widget').count()).to.equal(0);
    expect(asked).to.deep.equal([]);
  });

  it('approves a held referral payout on the review page: the referrer is paid', async () => {
    const [referrer, referee] = [members[0], members[1]];
    await scoped(shop.ctx, Flag).insert({ memberId: referee.memberId, otherMemberId: referrer.memberId, kind: 'referral_shared_contact', via: ['phone', 'address'], points: 30, status: 'open', decidedBy: null, note: null });
    const before = (await get('/store/v1/membership/me', { tenant: shop.slug, token: referrer.token })).body.points.available as number;
    const page = await signedIn();
    await page.getByTestId('nav-membership-review').click();
    await page.getByRole('heading', { name: 'Fraud review', exact: true }).waitFor();
    const row = page.getByTestId(`flag-${referee.memberId}`);
    await row.waitFor();
    await accessible(page, 'membership review');
    await row.getByRole('button', { name: 'Approve', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByLabel('Status', { exact: true }).selectOption('approved');
    await page.getByTestId(`flag-status-${referee.memberId}`).getByText('Approved', { exact: true }).waitFor();
    const after = (await get('/store/v1/membership/me', { tenant: shop.slug, token: referrer.token })).body.points.available as number;
    expect(after - before).to.equal(30);
  });
});
