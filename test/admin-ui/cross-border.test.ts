// The cross-border plugin's console pages in a real browser (Debian's Chromium, playwright-core):
// staff create a market through the form (a refused one shows the API's problem naming the
// field), change it, delete it, and enter a manual rate; every step is checked through the API.
// Screenshots at desktop and phone width go to test-artifacts/admin-ui/ (not committed).
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { baseUrl } from '../support/runtime.js';
import { get, post } from '../support/http.js';
import { makePlatformAdmin, makeTenant, PASSWORD, type TestTenant } from '../support/factories.js';
import { ensureConsoleBuilt } from '../../admin-ui/build.js';
import { projectRoot } from '../../core/paths.js';
import { skipUnlessBrowserTests } from '../support/browser-tests.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(projectRoot, 'test-artifacts', 'admin-ui');
const STEP_MS = 15_000;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

interface MarketView {
  code: string;
  name: string;
  currency: string;
  countries: string[];
  fxMode: string;
  manualRate: string | null;
  adjustmentPct: string | null;
  pricesIncludeTax: boolean;
  taxRateBp: number | null;
  rounding: unknown;
}

describe('cross-border console pages (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shop: TestTenant;

  const markets = async (): Promise<MarketView[]> => {
    const res = await get('/admin/v1/cross-border/markets', { token: shop.ownerToken });
    expect(res.status, res.text).to.equal(200);
    return res.body.items;
  };

  async function settled() {
    await page.waitForLoadState('networkidle');
    await page.locator('[role="status"][aria-live="polite"]').waitFor({ state: 'detached' }).catch(() => undefined);
  }

  async function accessible(name: string) {
    await settled();
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).to.deep.equal([]);
  }

  async function shoot(name: string) {
    await settled();
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
  }

  before(async function () {
    skipUnlessBrowserTests(this);
    this.timeout(300_000);
    expect(await ensureConsoleBuilt()).to.be.oneOf(['fresh', 'built']);
    const base = await baseUrl();
    const admin = await makePlatformAdmin();
    const installed = await post('/platform/v1/plugins/cross-border/install', {}, { token: admin.token });
    expect(installed.status, installed.text).to.equal(200);
    shop = await makeTenant({ currencies: ['USD', 'EUR'] });
    // Manual rates: nothing is fetched from outside.
    const on = await post('/admin/v1/plugins/cross-border/enable', { settings: { rateSource: 'manual' } }, { token: shop.ownerToken });
    expect(on.status, on.text).to.equal(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en', baseURL: base, reducedMotion: 'reduce' });
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
    await context.addInitScript(() => (globalThis as any).localStorage.setItem('bazaar.console.language', 'en'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    page = await context.newPage();
    await page.goto('/admin/sign-in');
    const card = page.getByTestId('sign-in-store');
    await card.getByLabel('Store', { exact: true }).fill(shop.slug);
    await card.getByLabel('Email', { exact: true }).fill(shop.ownerEmail);
    await card.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await card.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/admin\/store$/);
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || !page) return;
    const name = (this.currentTest.title.match(/[a-z0-9]+/gi) ?? []).slice(0, 6).join('-');
    await page.screenshot({ path: path.join(ARTIFACTS, `failed-cross-border-${name}.png`), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
  });

  it('creates a market through the form, showing the API’s refusal of a manual market without a rate', async () => {
    await page.getByTestId('nav-cross-border-markets').click();
    await page.waitForURL(/\/admin\/store\/ext\/cross-border\/markets$/);
    await page.getByRole('heading', { name: 'Markets', exact: true }).waitFor();
    await page.getByRole('button', { name: 'New market', exact: true }).click();
    const form = page.getByTestId('market-form');
    await form.getByLabel('Code', { exact: true }).fill('eu');
    await form.getByLabel('Name', { exact: true }).fill('Europe');
    await form.getByLabel('Currency', { exact: true }).fill('eur');
    await form.getByLabel('Countries', { exact: true }).fill('DE, fr');
    await form.getByLabel('Languages', { exact: true }).fill('de, en');
    await form.getByLabel('Rate', { exact: true }).selectOption('manual');
    await form.getByRole('button', { name: 'Save market', exact: true }).click();
    // The API refuses it and the problem names the field; nothing was stored.
    await form.getByTestId('problem').getByText('manualRate', { exact: false }).first().waitFor();
    expect(await markets()).to.deep.equal([]);
    await accessible('cross-border market form');
    await form.getByLabel('Manual rate', { exact: true }).fill('0.92');
    await form.getByLabel('Rounding', { exact: true }).selectOption('up');
    await form.getByRole('button', { name: 'Save market', exact: true }).click();
    await page.getByTestId('market-eu').waitFor();
    await form.waitFor({ state: 'detached' });
    const [eu] = await markets();
    // Countries and currency upper-cased; an EU market shows prices with tax by default.
    expect(eu).to.deep.include({ code: 'eu', name: 'Europe', currency: 'EUR', countries: ['DE', 'FR'], fxMode: 'manual', manualRate: '0.92', pricesIncludeTax: true, taxRateBp: null, rounding: { mode: 'up', step: '1', ending: '0.99' } });
    await accessible('cross-border markets');
    await shoot('cross-border-markets');
  });

  it('changes a market through the same form and deletes it after a confirmation', async () => {
    await page.getByTestId('market-eu').getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByTestId('market-form');
    expect(await form.getByLabel('Manual rate', { exact: true }).inputValue()).to.equal('0.92');
    await form.getByLabel('Name', { exact: true }).fill('Euro area');
    await form.getByLabel('Price adjustment (%)', { exact: true }).fill('5');
    await form.getByLabel('Tax rate (%)', { exact: true }).fill('19');
    await form.getByLabel('Prices', { exact: true }).selectOption('excl');
    await form.getByRole('button', { name: 'Save market', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('market-eu').waitFor();
    await page.getByRole('cell', { name: 'Euro area', exact: true }).waitFor();
    expect((await markets())[0]).to.deep.include({ name: 'Euro area', adjustmentPct: '5', taxRateBp: 1900, pricesIncludeTax: false, manualRate: '0.92' });
    const row = page.getByTestId('market-eu');
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    expect(await markets()).to.have.length(1); // one click alone deletes nothing
    await row.getByRole('button', { name: 'Delete for good', exact: true }).click();
    await page.getByTestId('market-eu').waitFor({ state: 'detached' });
    expect(await markets()).to.deep.equal([]);
  });

  it('enters a manual rate and shows it in the history', async () => {
    await page.getByTestId('nav-cross-border-rates').click();
    await page.waitForURL(/\/admin\/store\/ext\/cross-border\/rates$/);
    const form = page.getByTestId('manual-rate-form');
    await form.getByLabel('From', { exact: true }).fill('usd');
    await form.getByLabel('To', { exact: true }).fill('EUR');
    await form.getByLabel('Rate', { exact: true }).fill('0.9134');
    await form.getByRole('button', { name: 'Add rate', exact: true }).click();
    await form.getByText('Rate added', { exact: true }).waitFor();
    await page.getByRole('cell', { name: '0.9134', exact: true }).waitFor();
    const rates = await get('/admin/v1/cross-border/rates', { token: shop.ownerToken });
    expect(rates.body.items.map((r: { base: string; quote: string; rate: string; source: string }) => [r.source, r.base, r.quote, r.rate])).to.deep.equal([['manual', 'USD', 'EUR', '0.9134']]);
    // A bad rate: the API's problem shows, naming the field.
    await form.getByLabel('Rate', { exact: true }).fill('abc');
    await form.getByRole('button', { name: 'Add rate', exact: true }).click();
    await form.getByTestId('problem').getByText('rate', { exact: false }).first().waitFor();
    await accessible('cross-border rates');
    await shoot('cross-border-rates');
  });
});
