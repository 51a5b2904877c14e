// The logistics console pages edit what they list (Debian's Chromium, playwright-core, axe):
// a zone, a method and a pickup point are changed through forms rendered from the Admin API's
// own JSON Schema (read from /openapi.json), a zone is added and one removed after a question;
// the API refuses bad input at the field; a viewer (no logistics:write) gets no edit controls;
// stock locations, zones and slot calendars are picked by name from the store's own, and a
// calendar removed while its form is open is refused at its field; each refusal is said once; a
// saved row's oneOf fields open on the option its data is; a plugin's refused settings are named
// in Chinese in the alert; in zh-CN a local delivery area and a slot calendar are created, their
// forms and pages showing no English (nested fields, rjsf's own buttons and weekday choices
// included).
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { baseUrl } from '../support/runtime.js';
import { del, get, post } from '../support/http.js';
import { makePlatformAdmin, makeStaff, makeTenant, PASSWORD, type TestTenant } from '../support/factories.js';
import { ensureConsoleBuilt } from '../../admin-ui/build.js';
import { projectRoot } from '../../core/paths.js';
import { ENGLISH_LEFT } from './english-left.js';
import { skipUnlessBrowserTests } from '../support/browser-tests.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ARTIFACTS = path.join(projectRoot, 'test-artifacts', 'admin-ui');
const STEP_MS = 15_000;

describe('logistics console pages edit zones, methods and pickup points (Chromium)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let base: string;
  let shop: TestTenant;
  let zoneId: string;
  let methodId: string;
  let pointId: string;
  let backRoomId: string;
  const contexts: BrowserContext[] = [];

  before(async function () {
    skipUnlessBrowserTests(this);
    this.timeout(600_000);
    expect(await ensureConsoleBuilt()).to.be.oneOf(['fresh', 'built']);
    base = await baseUrl();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
    const admin = await makePlatformAdmin();
    const install = await post('/platform/v1/plugins/logistics/install', {}, { token: admin.token });
    expect(install.status, install.text).to.be.oneOf([200, 409]);
    shop = await makeTenant();
    const enabled = await post('/admin/v1/plugins/logistics/enable', {}, { token: shop.ownerToken });
    expect(enabled.status, enabled.text).to.equal(200);
    const zone = await post('/admin/v1/logistics/zones', { name: 'Europe', areas: [{ country: 'FR' }] }, { token: shop.ownerToken });
    expect(zone.status, zone.text).to.equal(201);
    zoneId = zone.body.id;
    const method = await post('/admin/v1/logistics/methods', { zoneId, code: 'standard', label: 'Standard', currency: 'USD', calculator: { type: 'flat', amount: 500 } }, { token: shop.ownerToken });
    expect(method.status, method.text).to.equal(201);
    methodId = method.body.id;
    const loc = await post('/admin/v1/stock-locations', { code: 'shop', name: 'Shop' }, { token: shop.ownerToken });
    expect(loc.status, loc.text).to.equal(201);
    const back = await post('/admin/v1/stock-locations', { code: 'back', name: 'Back room' }, { token: shop.ownerToken });
    expect(back.status, back.text).to.equal(201);
    backRoomId = back.body.id;
    const point = await post('/admin/v1/logistics/pickup-points', { locationId: loc.body.id, code: 'front', name: 'Front desk', address: { line1: '1 X St', city: 'SF', postalCode: '94105', country: 'US' }, hours: [], currency: 'USD' }, { token: shop.ownerToken });
    expect(point.status, point.text).to.equal(201);
    pointId = point.body.id;
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    const name = (this.currentTest.title.match(/[a-z0-9]+/gi) ?? []).slice(0, 6).join('-');
    for (const [i, c] of contexts.entries()) for (const [j, p] of c.pages().entries()) await p.screenshot({ path: path.join(ARTIFACTS, `failed-logistics-${name}-${i}-${j}.png`), fullPage: true }).catch(() => undefined);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
  });

  async function signedIn(email = shop.ownerEmail, language = 'en'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en', baseURL: base, reducedMotion: 'reduce' });
    contexts.push(context);
    context.setDefaultTimeout(STEP_MS);
    context.setDefaultNavigationTimeout(STEP_MS);
    await context.addInitScript((lng) => (globalThis as any).localStorage.setItem('bazaar.console.language', lng), language);
    const page = await context.newPage();
    await page.goto('/admin/sign-in');
    const card = page.getByTestId('sign-in-store');
    await card.locator('input[autocomplete="organization"]').fill(shop.slug);
    await card.locator('input[autocomplete="username"]').fill(email);
    await card.locator('input[autocomplete="current-password"]').fill(PASSWORD);
    await card.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin\/store$/);
    return page;
  }

  async function accessible(page: Page, name: string) {
    await page.waitForLoadState('networkidle');
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${name}`).to.deep.equal([]);
  }

  it('renames a zone through its schema form, refuses a bad one at the field, adds a zone and removes it after asking', async () => {
    const page = await signedIn();
    await page.goto('/admin/store/ext/logistics/zones');
    await page.getByRole('button', { name: 'Edit Europe', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const form = dialog.getByTestId('schema-form');
    await form.getByLabel('Name', { exact: false }).first().fill('Western Europe');
    await accessible(page, 'zone form');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Edit Western Europe', exact: true }).waitFor();
    expect((await get(`/admin/v1/logistics/zones/${zoneId}`, { token: shop.ownerToken })).body).to.deep.include({ name: 'Western Europe', areas: [{ country: 'FR' }] });

    // A country that is not ISO 3166: the API says so at the field, nothing changes.
    await page.getByRole('button', { name: 'Edit Western Europe', exact: true }).click();
    await dialog.locator('input[id$="areas_0_country"]').fill('France');
    await dialog.getByTestId('schema-form').getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByTestId('problem').waitFor();
    // Said once, at the field; the alert above names the field instead of saying it again.
    expect(occurrences(await dialog.innerText(), 'must match pattern'), 'the refusal, once').to.equal(1);
    expect(await dialog.getByTestId('problem').innerText()).to.include('Country (ISO code)');
    expect((await get(`/admin/v1/logistics/zones/${zoneId}`, { token: shop.ownerToken })).body.areas).to.deep.equal([{ country: 'FR' }]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // A new zone, then removed after the question.
    await page.getByTestId('logistics-add').click();
    const add = page.getByRole('dialog');
    await add.getByTestId('schema-form').getByLabel('Name', { exact: false }).first().fill('Nordics');
    // The schema asks for at least one area: the form starts with one.
    await add.locator('input[id$="areas_0_country"]').fill('SE');
    await add.getByTestId('schema-form').getByRole('button', { name: 'Save', exact: true }).click();
    await add.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Edit Nordics', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).last().click();
    await page.getByRole('dialog').getByTestId('remove-confirm').click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const zones = (await get('/admin/v1/logistics/zones', { token: shop.ownerToken })).body.items.map((z: { name: string }) => z.name);
    expect(zones).to.deep.equal(['Western Europe']);
  });

  it('changes a method’s label and a pickup point’s name and stock location (picked by name) through their forms', async () => {
    const page = await signedIn();
    await page.goto('/admin/store/ext/logistics/methods');
    await page.getByRole('button', { name: 'Edit standard', exact: true }).click();
    const dialog = page.getByRole('dialog');
    // The zone is shown by its name (a select of the store's zones), not as its id.
    await shownValue(dialog.locator('input[id="root_zoneId"]'), 'Western Europe');
    await dialog.locator('input[id$="root_label"]').fill('Standard (3-5 days)');
    await dialog.getByTestId('schema-form').getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const method = (await get(`/admin/v1/logistics/methods/${methodId}`, { token: shop.ownerToken })).body;
    expect(method).to.deep.include({ label: 'Standard (3-5 days)', code: 'standard', zoneId, calculator: { type: 'flat', amount: 500 } });

    await page.goto('/admin/store/ext/logistics/pickup');
    await page.getByRole('button', { name: 'Edit front', exact: true }).click();
    await dialog.locator('input[id$="root_name"]').fill('Front desk, ground floor');
    // The stock location is picked by name from the store's locations.
    const location = dialog.locator('input[id="root_locationId"]');
    await shownValue(location, 'Shop');
    await location.click();
    await page.getByRole('option', { name: 'Back room', exact: true }).click();
    await accessible(page, 'pickup point form');
    await dialog.getByTestId('schema-form').getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await get(`/admin/v1/logistics/pickup-points/${pointId}`, { token: shop.ownerToken })).body).to.deep.include({ name: 'Front desk, ground floor', code: 'front', locationId: backRoomId });
    await page.screenshot({ path: path.join(ARTIFACTS, 'logistics-pickup-desktop.png'), fullPage: true });

    // Opening hours that close before they open: the API's refusal of the entry (an object, no
    // input of its own) is said once, under the entry, and the alert names the field.
    await page.getByRole('button', { name: 'Edit front', exact: true }).click();
    const form = dialog.getByTestId('schema-form');
    await form.locator('button[id$="root_hours__add"]').or(form.getByRole('button', { name: 'Add Item' }).first()).first().click();
    await form.locator('input[id="root_hours_0_day"]').click();
    await page.getByRole('option', { name: 'Mon', exact: true }).click();
    await form.locator('input[id="root_hours_0_open"]').fill('18:00');
    await form.locator('input[id="root_hours_0_close"]').fill('09:00');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByTestId('problem').waitFor();
    await form.getByTestId('field-errors').getByText('closes before it opens', { exact: true }).waitFor();
    expect(occurrences(await dialog.innerText(), 'closes before it opens'), 'the refusal, once').to.equal(1);
    expect(await dialog.getByTestId('problem').innerText()).to.include('Opening hours');
    await accessible(page, 'pickup point form with a refused entry');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await get(`/admin/v1/logistics/pickup-points/${pointId}`, { token: shop.ownerToken })).body.hours).to.deep.equal([]);
  });

  const occurrences = (text: string, part: string) => text.split(part).length - 1;

  /** A select's shown value once its list has come (it shows nothing while loading). */
  async function shownValue(input: Locator, expected: string): Promise<void> {
    const until = Date.now() + STEP_MS;
    let value = await input.inputValue();
    while (value !== expected && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      value = await input.inputValue();
    }
    expect(value).to.equal(expected);
  }

  /** Latin words left on the page outside user data (see english-left.ts). */
  const englishLeft = async (page: Page) => (await page.evaluate(ENGLISH_LEFT)) as string[];

  it('creates a local delivery area and a slot calendar in zh-CN, with no English left on their pages', async () => {
    const page = await signedIn(shop.ownerEmail, 'zh-CN');
    // The slot calendar first: the area then offers its slots.
    await page.goto('/admin/store/ext/logistics/slots');
    await page.getByRole('heading', { name: '时段日历', exact: true }).first().waitFor();
    await page.getByTestId('logistics-add').click();
    const dialog = page.getByRole('dialog');
    const form = dialog.getByTestId('schema-form');
    await form.waitFor();
    await form.locator('input[id$="root_code"]').fill('evening');
    await form.locator('input[id$="root_name"]').fill('晚间配送');
    await form.locator('input[id$="root_timezone"]').fill('Asia/Shanghai');
    // Weekdays as checkboxes named in Chinese; the windows start with one.
    await form.getByRole('checkbox', { name: '周一', exact: true }).check();
    await form.getByRole('checkbox', { name: '周三', exact: true }).check();
    await form.locator('input[id$="root_windows_0_start"]').fill('18:00');
    await form.locator('input[id$="root_windows_0_end"]').fill('21:00');
    await form.locator('input[id$="root_windows_0_capacity"]').fill('12');
    await form.getByLabel('提前时间（分钟）', { exact: false }).first().waitFor();
    const inForm = (await englishLeft(page)).filter((w) => !['evening', 'Asia', 'Shanghai'].includes(w));
    expect(inForm, 'slot calendar form').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'logistics-calendar-form-zh-CN.png'), fullPage: true });
    await form.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '编辑 evening', exact: true }).waitFor();
    const calendars = (await get('/admin/v1/logistics/slot-calendars', { token: shop.ownerToken })).body.items as { id: string; code: string; name: string; timezone: string; days: string[]; windows: unknown[] }[];
    const calendar = calendars.find((c) => c.code === 'evening');
    expect(calendar).to.deep.include({ name: '晚间配送', timezone: 'Asia/Shanghai', days: ['mon', 'wed'], windows: [{ start: '18:00', end: '21:00', capacity: 12 }] });
    await page.getByRole('table', { name: '时段日历', exact: true }).getByText('周一 周三', { exact: true }).waitFor();
    expect(await englishLeft(page), 'slot calendars page').to.deep.equal([]);

    await page.goto('/admin/store/ext/logistics/pickup');
    await page.getByTestId('logistics-add-area').click();
    const add = page.getByRole('dialog');
    const areaForm = add.getByTestId('schema-form');
    await areaForm.waitFor();
    await areaForm.locator('input[id$="root_code"]').fill('downtown');
    await areaForm.locator('input[id$="root_name"]').fill('市中心');
    await areaForm.locator('input[id$="root_country"]').fill('CN');
    await areaForm.locator('input[id$="root_fee"]').fill('800');
    // A postcode, through rjsf's own add button (in Chinese).
    await areaForm.getByRole('button', { name: '添加一项' }).first().click();
    await areaForm.locator('input[id$="root_postalCodes_0"]').fill('200000');
    // A currency the store does not sell in: the API says so at the field, in Chinese.
    await areaForm.locator('input[id$="root_currency"]').fill('CNY');
    await areaForm.getByRole('button', { name: '保存', exact: true }).click();
    await areaForm.getByText('不是本店的货币', { exact: true }).first().waitFor();
    // The alert above the form names the field in the form's words, not the API's name.
    const alert = await page.getByTestId('problem').last().innerText();
    expect(alert).to.include('币种').and.not.match(/currency/i);
    expect((await englishLeft(page)).filter((w) => w !== 'downtown'), 'local area form').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'logistics-area-form-zh-CN.png'), fullPage: true });
    await areaForm.locator('input[id$="root_currency"]').fill('USD');
    await areaForm.getByRole('button', { name: '保存', exact: true }).click();
    await add.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '编辑 downtown', exact: true }).waitFor();
    const areas = (await get('/admin/v1/logistics/local-areas', { token: shop.ownerToken })).body.items as Record<string, unknown>[];
    expect(areas.find((a) => a.code === 'downtown')).to.deep.include({ name: '市中心', country: 'CN', currency: 'USD', fee: 800, postalCodes: ['200000'] });
    expect(await englishLeft(page), 'pickup and local delivery page').to.deep.equal([]);
    await accessible(page, 'local delivery areas (zh-CN)');

    // The area is changed to offer the calendar, then removed after the question.
    await page.getByRole('button', { name: '编辑 downtown', exact: true }).click();
    const edit = page.getByRole('dialog');
    // The calendar is picked by name from the store's calendars ("none" named in Chinese too), not typed as an id.
    const calendarSelect = edit.locator('input[id="root_calendarId"]');
    await shownValue(calendarSelect, '无');
    await calendarSelect.click();
    await page.getByRole('option', { name: '晚间配送', exact: true }).click();
    expect(await englishLeft(page), 'local area form with its calendar picked').to.deep.equal([]);
    await edit.getByTestId('schema-form').getByRole('button', { name: '保存', exact: true }).click();
    await edit.waitFor({ state: 'hidden' });
    const areaRow = async () => (await get('/admin/v1/logistics/local-areas', { token: shop.ownerToken })).body.items.find((a: { code: string }) => a.code === 'downtown');
    expect((await areaRow()).calendarId).to.equal(calendar!.id);

    // A calendar removed while the form is open: the API refuses its id, said at the field, which still shows its name.
    const morning = await post('/admin/v1/logistics/slot-calendars', { code: 'morning', name: '早间配送', timezone: 'Asia/Shanghai', days: ['tue'], windows: [{ start: '09:00', end: '12:00', capacity: 5 }] }, { token: shop.ownerToken });
    expect(morning.status, morning.text).to.equal(201);
    await page.getByRole('button', { name: '编辑 downtown', exact: true }).click();
    await shownValue(calendarSelect, '晚间配送');
    await calendarSelect.click();
    await page.getByRole('option', { name: '早间配送', exact: true }).click();
    expect((await del(`/admin/v1/logistics/slot-calendars/${morning.body.id}`, { token: shop.ownerToken })).status).to.equal(204);
    await edit.getByTestId('schema-form').getByRole('button', { name: '保存', exact: true }).click();
    await edit.getByTestId('problem').waitFor();
    await shownValue(calendarSelect, '早间配送');
    const describedBy = (await calendarSelect.getAttribute('aria-describedby')) ?? '';
    const atField = await page.evaluate((ids) => ids.split(' ').map((i) => (globalThis as any).document.getElementById(i)?.textContent ?? '').join(' '), describedBy);
    expect(atField, 'the refusal at the calendar field').to.match(/[\u4e00-\u9fff]/);
    expect((await areaRow()).calendarId).to.equal(calendar!.id);
    await page.keyboard.press('Escape');
    await edit.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: '编辑 downtown', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '删除', exact: true }).last().click();
    await page.getByRole('dialog').getByTestId('remove-confirm').click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect((await get('/admin/v1/logistics/local-areas', { token: shop.ownerToken })).body.items.map((a: { code: string }) => a.code)).to.not.include('downtown');

    // A method's form: its calculator's and eligibility's parts are named in Chinese too.
    await page.goto('/admin/store/ext/logistics/methods');
    await page.getByRole('button', { name: /^编辑 / }).first().click();
    await page.getByRole('dialog').getByTestId('schema-form').waitFor();
    expect(await englishLeft(page), 'method form').to.deep.equal([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'logistics-method-form-zh-CN.png'), fullPage: true });
  });

  it('offers the stock locations and slot calendars by name in Japanese', async () => {
    const page = await signedIn(shop.ownerEmail, 'ja');
    await page.goto('/admin/store/ext/logistics/pickup');
    await page.getByRole('button', { name: '編集 front', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const location = dialog.getByRole('combobox', { name: '在庫拠点' });
    await shownValue(location, 'Back room');
    const calendar = dialog.getByRole('combobox', { name: '時間枠カレンダー' });
    await shownValue(calendar, 'なし');
    await calendar.click();
    await page.getByRole('option', { name: '晚间配送', exact: true }).waitFor();
    expect(await page.getByRole('listbox').getByRole('option').allInnerTexts()).to.deep.equal(['なし', '晚间配送']);
    await page.keyboard.press('Escape');
  });

  it('says each refusal of a oneOf field once (a slot calendar’s cutoff)', async () => {
    const made = await post('/admin/v1/logistics/slot-calendars', { code: 'noon', name: 'Noon', timezone: 'UTC', days: ['fri'], windows: [{ start: '12:00', end: '13:00', capacity: 3 }] }, { token: shop.ownerToken });
    expect(made.status, made.text).to.equal(201);
    const page = await signedIn();
    await page.goto('/admin/store/ext/logistics/slots');
    await page.getByRole('button', { name: 'Edit noon', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const form = dialog.getByTestId('schema-form');
    await form.locator('input[id="root_cutoff__oneof_select"]').click();
    await page.getByRole('option', { name: 'Close at a time', exact: true }).click();
    await form.locator('input[id="root_cutoff_time"]').fill('late');
    await form.locator('input[id="root_cutoff_daysBefore"]').fill('1');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByTestId('problem').waitFor();
    // The API refuses the time (its pattern) and the cutoff as a whole (its other option, none):
    // each said once, the cutoff's below the field, not at its choice and again in its option.
    await form.getByTestId('field-errors').getByText('must be null', { exact: true }).waitFor();
    const text = await dialog.innerText();
    expect(occurrences(text, 'must be null'), 'the cutoff’s refusal').to.equal(1);
    expect(occurrences(text, 'must match pattern'), 'the time’s refusal').to.equal(1);
    await accessible(page, 'slot calendar form with a refused cutoff');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect((await get(`/admin/v1/logistics/slot-calendars/${made.body.id}`, { token: shop.ownerToken })).body.cutoff).to.equal(null);
    expect((await del(`/admin/v1/logistics/slot-calendars/${made.body.id}`, { token: shop.ownerToken })).status).to.equal(204);
  });

  it('opens a saved row’s oneOf fields on the option its data is, and saves it unchanged', async () => {
    const cal = await post('/admin/v1/logistics/slot-calendars', { code: 'early', name: 'Early', timezone: 'UTC', days: ['mon'], windows: [{ start: '08:00', end: '09:00', capacity: 3 }], cutoff: { time: '20:00', daysBefore: 1 } }, { token: shop.ownerToken });
    expect(cal.status, cal.text).to.equal(201);
    const calculator = { type: 'per_item', amount: 300, base: 100 };
    const method = await post('/admin/v1/logistics/methods', { zoneId, code: 'by_value', label: 'By value', currency: 'USD', calculator }, { token: shop.ownerToken });
    expect(method.status, method.text).to.equal(201);
    const page = await signedIn();
    const dialog = page.getByRole('dialog');

    // The cutoff (oneOf none / a time): the saved time, not "none" (which would save it away).
    await page.goto('/admin/store/ext/logistics/slots');
    await page.getByRole('button', { name: 'Edit early', exact: true }).click();
    expect(await dialog.locator('input[id="root_cutoff__oneof_select"]').inputValue()).to.equal('Close at a time');
    expect(await dialog.locator('input[id="root_cutoff_time"]').inputValue()).to.equal('20:00');
    await dialog.getByTestId('schema-form').getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await get(`/admin/v1/logistics/slot-calendars/${cal.body.id}`, { token: shop.ownerToken })).body.cutoff).to.deep.equal({ time: '20:00', daysBefore: 1 });

    // The calculator (oneOf by its type): per item, its base kept, not a flat fee (the two have
    // the same amount field, so rjsf's scoring of the fields alone cannot tell them apart).
    await page.goto('/admin/store/ext/logistics/methods');
    await page.getByRole('button', { name: 'Edit by_value', exact: true }).click();
    expect(await dialog.locator('input[id="root_calculator__oneof_select"]').inputValue()).to.equal('Per item');
    expect(await dialog.locator('input[id="root_calculator_base"]').inputValue()).to.equal('100');
    await dialog.getByTestId('schema-form').getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await get(`/admin/v1/logistics/methods/${method.body.id}`, { token: shop.ownerToken })).body.calculator).to.deep.equal(calculator);

    expect((await del(`/admin/v1/logistics/slot-calendars/${cal.body.id}`, { token: shop.ownerToken })).status).to.equal(204);
    expect((await del(`/admin/v1/logistics/methods/${method.body.id}`, { token: shop.ownerToken })).status).to.equal(204);
  });

  it('names the settings the API refuses as missing in Chinese, from the settings form’s labels', async () => {
    const page = await signedIn(shop.ownerEmail, 'zh-CN');
    // The plugin as a newer version would serve it (its schema not the one the console was built
    // with): the browser has no compiled check for it, so the API's refusal is what the user sees.
    await page.route('**/admin/v1/plugins/logistics', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      delete body.settingsSchema.properties.shipFrom.required;
      await route.fulfill({ response: res, json: body });
    });
    await page.goto('/admin/store/plugins/logistics');
    const form = page.getByTestId('settings-form');
    await form.locator('input[id="root_shipFrom_name"]').fill('张三');
    await form.getByRole('button', { name: '保存', exact: true }).click();
    const alert = page.getByTestId('problem');
    await alert.waitFor();
    const said = await alert.innerText();
    expect(said).to.include('地址第一行').and.include('城市').and.include('邮编').and.include('国家（ISO 代码）');
    expect(said).to.not.match(/settings|line1|city|postal|country/i);
    expect((await get('/admin/v1/plugins/logistics', { token: shop.ownerToken })).body.settings?.shipFrom).to.equal(undefined);
  });

  it('shows a viewer the lists without edit controls', async () => {
    const viewer = await makeStaff(shop, 'viewer');
    const page = await signedIn(viewer.email);
    await page.goto('/admin/store/ext/logistics/zones');
    await page.getByRole('table', { name: 'Shipping zones', exact: true }).getByText('Western Europe', { exact: true }).waitFor();
    expect(await page.getByTestId('logistics-add').count()).to.equal(0);
    expect(await page.getByRole('button', { name: /^Edit / }).count()).to.equal(0);
  });
});
