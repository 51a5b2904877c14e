// Languages: the negotiation order, content fallback with Content-Language, two concurrent
// requests each in its own language (titles, details, field messages, the order timeline), and
// every locale file complete with the plural forms its language needs.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { startTestKit, type KitTenant, type TestKit } from '../../../core/plugins/testkit.js';
import crossBorder from '../../../plugins/cross-border/index.js';
import { negotiate } from '../../../plugins/cross-border/languages.js';

describe('cross-border: language negotiation order', () => {
  const enabled = ['en', 'fr', 'zh-CN', 'ja'];
  const base = { marketLanguages: [] as string[], storeDefault: 'en', enabled };
  const cases: [string, Parameters<typeof negotiate>[0], string][] = [
    ['query first', { ...base, query: 'ja', header: 'fr', cookie: 'zh-CN', acceptLanguage: 'fr' }, 'ja'],
    ['then X-Bazaar-Locale', { ...base, header: 'fr', cookie: 'zh-CN', acceptLanguage: 'ja' }, 'fr'],
    ['then the cookie', { ...base, cookie: 'zh-CN', acceptLanguage: 'ja' }, 'zh-CN'],
    ['an unknown cookie is ignored', { ...base, cookie: 'de', acceptLanguage: 'ja' }, 'ja'],
    ['then Accept-Language, by RFC 4647 lookup', { ...base, acceptLanguage: 'de-DE, fr-CA;q=0.8, en;q=0.1' }, 'fr'],
    ['zh-Hans-CN finds zh-CN', { ...base, acceptLanguage: 'zh-Hans-CN' }, 'zh-CN'],
    ['then the market', { ...base, acceptLanguage: 'de', marketLanguages: ['ja'] }, 'ja'],
    ['then the store default', { ...base, marketLanguages: ['de'], storeDefault: 'fr' }, 'fr'],
    ['a default that is not enabled gives the first enabled', { ...base, storeDefault: 'de' }, 'en'],
    ['fr-CA asked explicitly serves fr', { ...base, query: 'fr-CA' }, 'fr'],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => expect(negotiate(input).locale).to.equal(want));
  }
  it('an explicit language the store does not offer is an error naming where it came from', () => {
    expect(negotiate({ ...base, query: 'de' }).error).to.deep.equal({ in: 'query', pointer: '/locale', value: 'de' });
    expect(negotiate({ ...base, header: 'pt-BR' }).error).to.deep.include({ in: 'header', pointer: '/x-bazaar-locale' });
  });
});

describe('cross-border: languages over HTTP', function () {
  this.timeout(60_000);
  let kit: TestKit;
  let shop: KitTenant;
  let productId: string;
  let variantId: string;

  before(async function () {
    // A fresh schema and every migration on MariaDB: minutes on a loaded machine, not a timing claim.
    this.timeout(240_000);
    kit = await startTestKit({ plugin: crossBorder, options: { 'cross-border': { ecbUrl: 'http://127.0.0.1:9/ecb', oxrUrl: 'http://127.0.0.1:9/oxr', bookTtlMs: 0 } } });
    shop = await kit.tenant({ enable: ['cross-border'], settings: { 'cross-border': { rateSource: 'manual', languages: ['en', 'fr', 'fr-CA', 'zh-CN', 'ja'] } } });
    const market = await kit.post('/admin/v1/cross-border/markets', { code: 'ca', name: 'Canada', countries: ['CA'], currency: 'USD', languages: ['ja'] }, { token: shop.ownerToken });
    expect(market.status, market.text).to.equal(201);
    const res = await kit.post('/admin/v1/products', {
      status: 'active', attributes: {}, images: [], categoryIds: [],
      translations: { en: { name: 'Teapot', description: 'A teapot' }, fr: { name: 'Théière', description: 'Une théière' }, ja: { name: '急須', description: '急須です' } },
      variants: [{ sku: 'TEA-1', prices: [{ currency: 'USD', amount: 2500 }], stock: 10 }],
    }, { token: shop.ownerToken });
    expect(res.status, res.text).to.equal(201);
    productId = res.body.id;
    variantId = res.body.variants[0].id;
  });
  after(() => kit?.close());

  const page = (headers: Record<string, string>, query = '') => kit.get(`/store/v1/products/${productId}${query}`, { tenant: shop.slug, headers });

  it('falls back fr-CA -> fr and says so in Content-Language and the locale field', async () => {
    const res = await page({}, '?locale=fr-CA');
    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ name: 'Théière', locale: 'fr' });
    expect(res.headers.get('content-language')).to.equal('fr');
  });

  it("falls back to the market's language before the store default", async () => {
    const res = await page({ 'x-bazaar-locale': 'zh-CN', 'x-bazaar-market': 'ca' });
    expect(res.body).to.include({ name: '急須', locale: 'ja' });
    expect(res.headers.get('content-language')).to.equal('ja');
    const noMarket = await page({ 'x-bazaar-locale': 'zh-CN' });
    expect(noMarket.body).to.include({ name: 'Teapot', locale: 'en' });
  });

  it('the cookie and Accept-Language choose too; an unknown explicit language is a 400 naming the field', async () => {
    expect((await page({ cookie: 'theme=dark; locale=ja' })).body.locale).to.equal('ja');
    expect((await page({ 'accept-language': 'fr-FR,fr;q=0.9' })).body.locale).to.equal('fr');
    const list = await kit.get('/store/v1/products', { tenant: shop.slug, headers: { 'accept-language': 'ja' } });
    expect(list.headers.get('content-language')).to.equal('ja');
    const bad = await kit.get('/store/v1/products?locale=de', { tenant: shop.slug });
    expect(bad.status).to.equal(400);
    expect(bad.body.code).to.equal('LOCALE_NOT_ENABLED');
    expect(bad.body.errors[0]).to.include({ in: 'query', pointer: '/locale' });
    // Any route takes ?locale=, not only the catalog's.
    expect((await kit.get('/store/v1/cross-border/market?locale=ja', { tenant: shop.slug })).body.locale).to.equal('ja');
  });

  it('translations of any entity: one row per language, field-by-field fallback, one slug per type and language (409)', async () => {
    const put = (id: string, locale: string, fields: Record<string, unknown>) => kit.put(`/admin/v1/cross-border/translations/collection/${id}/${locale}`, { fields }, { token: shop.ownerToken });
    expect((await put('c1', 'en', { title: 'Summer', body: 'Hot days', slug: 'summer' })).status).to.equal(200);
    const fr = await put('c1', 'fr', { title: 'Été', slug: 'ete' });
    expect(fr.status, fr.text).to.equal(200);
    expect(fr.body).to.include({ entityType: 'collection', entityId: 'c1', locale: 'fr' });
    // Same slug, same type and language, another entity: 409 naming the field. Another type may use it.
    const taken = await put('c2', 'fr', { title: 'Autre', slug: 'ete' });
    expect(taken.status).to.equal(409);
    expect(taken.body.code).to.equal('TRANSLATION_SLUG_TAKEN');
    expect(taken.body.errors[0].pointer).to.equal('/fields/slug');
    expect((await kit.put('/admin/v1/cross-border/translations/banner/c2/fr', { fields: { slug: 'ete' } }, { token: shop.ownerToken })).status).to.equal(200);
    // Updating its own row keeps its slug.
    expect((await put('c1', 'fr', { title: 'Été !', slug: 'ete' })).status).to.equal(200);

    const read = await kit.get('/store/v1/cross-border/translations/collection/c1?locale=fr-CA', { tenant: shop.slug });
    expect(read.status, read.text).to.equal(200);
    expect(read.body.fields).to.deep.equal({ title: 'Été !', slug: 'ete', body: 'Hot days' });
    expect(read.body.locales).to.deep.equal({ title: 'fr', slug: 'fr', body: 'en' });
    expect(read.body.locale).to.equal('fr');
    expect(read.headers.get('content-language')).to.equal('fr, en');
    const list = await kit.get('/admin/v1/cross-border/translations/collection/c1', { token: shop.ownerToken });
    expect(list.body.items.map((i: { locale: string }) => i.locale)).to.deep.equal(['en', 'fr']);
    const first = await kit.get('/admin/v1/cross-border/translations/collection/c1?limit=1', { token: shop.ownerToken });
    expect(first.body.items.map((i: { locale: string }) => i.locale)).to.deep.equal(['en']);
    const second = await kit.get(`/admin/v1/cross-border/translations/collection/c1?limit=1&cursor=${first.body.nextCursor}`, { token: shop.ownerToken });
    expect(second.body.items.map((i: { locale: string }) => i.locale)).to.deep.equal(['fr']);
    expect(second.body.nextCursor).to.equal(null);
    expect((await kit.del('/admin/v1/cross-border/translations/collection/c1/fr', { token: shop.ownerToken })).status).to.equal(204);
    expect((await kit.get('/store/v1/cross-border/translations/collection/c9', { tenant: shop.slug })).status).to.equal(404);
    const bad = await put('c1', 'en', { title: 5 });
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0].pointer).to.equal('/fields/title');
  });

  it('two concurrent requests in zh-CN and ja each get their own language: titles, details, field messages, the timeline', async () => {
    const bad = (lng: string) => kit.post('/store/v1/carts', { currency: 'usd', extra: 1 }, { tenant: shop.slug, headers: { 'x-bazaar-locale': lng } });
    const [zh, ja] = await Promise.all([bad('zh-CN'), bad('ja')]);
    expect(zh.status).to.equal(400);
    expect(zh.body.title).to.equal('请求内容无效');
    expect(zh.body.detail).to.equal('请求正文无效');
    expect(zh.body.errors.map((e: { message: string }) => e.message)).to.include('body.extra 不是可识别的字段');
    expect(ja.body.title).to.equal('リクエストが正しくありません');
    expect(ja.body.detail).to.equal('リクエスト本文が正しくありません');
    expect(ja.body.errors.map((e: { message: string }) => e.message)).to.include('body.extra は不明な項目です');
    expect(zh.headers.get('content-language')).to.equal(null); // an error before the route: no content
    const en = await kit.post('/store/v1/carts', { currency: 'usd' }, { tenant: shop.slug });
    expect(en.body.detail).to.equal('The request body is not valid');

    // An order placed in English reads in each reader's language.
    const cart = await kit.post('/store/v1/carts', {}, { tenant: shop.slug });
    const h = { 'x-cart-token': cart.body.token };
    await kit.post(`/store/v1/carts/${cart.body.cart.id}/lines`, { variantId, quantity: 1 }, { tenant: shop.slug, headers: h });
    const placed = await kit.post(`/store/v1/carts/${cart.body.cart.id}/checkout`, {
      email: 'ada@example.com', shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US' }, paymentMethod: { provider: 'offline', method: 'bank_transfer' },
    }, { tenant: shop.slug, headers: h });
    expect(placed.status, placed.text).to.equal(201);
    expect(placed.body.order.timeline[0].message).to.equal('Order placed (1 line)');
    const read = (lng: string) => kit.get(`/store/v1/orders/${placed.body.order.id}`, { tenant: shop.slug, headers: { 'x-order-token': placed.body.orderToken, 'x-bazaar-locale': lng } });
    const [zhOrder, jaOrder] = await Promise.all([read('zh-CN'), read('ja')]);
    expect(zhOrder.body.timeline[0].message).to.equal('订单已提交（1 行）');
    expect(jaOrder.body.timeline[0].message).to.equal('注文を受け付けました（1 明細）');
  });
});

describe('locale files', () => {
  const root = process.cwd();
  const folders: { name: string; files: Record<string, string> }[] = [];
  // Core: locales/<lng>/<ns>.json; plugins: plugins/<p>/locales/<lng>.json.
  for (const ns of fs.readdirSync(path.join(root, 'locales/en')).filter((f) => f.endsWith('.json'))) {
    folders.push({ name: `core ${ns}`, files: Object.fromEntries(fs.readdirSync(path.join(root, 'locales')).map((lng) => [lng, path.join(root, 'locales', lng, ns)])) });
  }
  // Every plugin that ships texts, so a new one joins the check by having a locales folder.
  for (const p of fs.readdirSync(path.join(root, 'plugins')).filter((d) => fs.existsSync(path.join(root, 'plugins', d, 'locales')))) {
    const dir = path.join(root, 'plugins', p, 'locales');
    folders.push({ name: `plugin ${p}`, files: Object.fromEntries(fs.readdirSync(dir).map((f) => [f.replace(/\.json$/, ''), path.join(dir, f)])) });
  }
  const PLURAL = /_(zero|one|two|few|many|other)$/;
  function flatten(obj: Record<string, unknown>, prefix = ''): string[] {
    return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? flatten(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
  }

  it('ships en, zh-CN and ja for the core and every plugin with texts', () => {
    expect(folders.map((f) => f.name)).to.include.members(['plugin cross-border', 'plugin logistics', 'plugin membership', 'plugin onboarding', 'plugin payments', 'plugin waf', 'plugin webhooks']);
    for (const f of folders) expect(Object.keys(f.files), f.name).to.include.members(['en', 'zh-CN', 'ja']);
  });

  for (const f of folders) {
    it(`${f.name}: every key in every locale, with every plural form the language needs`, () => {
      const keys = Object.fromEntries(Object.entries(f.files).map(([lng, file]) => [lng, flatten(JSON.parse(fs.readFileSync(file, 'utf8')))]));
      const bases = (list: string[]) => new Set(list.map((k) => k.replace(PLURAL, '')));
      const wanted = bases(keys.en);
      const plural = new Set(keys.en.filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
      for (const [lng, list] of Object.entries(keys)) {
        const have = bases(list);
        expect([...wanted].filter((k) => !have.has(k)), `${f.name} ${lng}: missing keys`).to.deep.equal([]);
        expect([...have].filter((k) => !wanted.has(k)), `${f.name} ${lng}: keys English lacks`).to.deep.equal([]);
        const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
        for (const k of plural) {
          for (const c of categories) expect(list, `${f.name} ${lng}: ${k}_${c}`).to.include(`${k}_${c}`);
        }
      }
    });
  }

  it('a key no locale has is logged once and never shown raw; a default is shown without a log', async () => {
    const { createI18n, fixedT } = await import('../../../core/i18n.js');
    const missing: string[] = [];
    const i18n = await createI18n([], { onMissingKey: (ns, key) => missing.push(`${ns}:${key}`) });
    const ja = fixedT(i18n, 'ja');
    expect(ja('orders:nothing.here')).to.equal('');
    expect(fixedT(i18n, 'en')('orders:nothing.here')).to.equal('');
    expect(ja('orders:nothing.else', { defaultValue: 'As written' })).to.equal('As written');
    // Missing in ja only: English answers, nothing is reported.
    i18n.addResourceBundle('en', 'orders', { onlyEnglish: 'Only in English' }, true, true);
    expect(ja('orders:onlyEnglish')).to.equal('Only in English');
    expect(missing).to.deep.equal(['orders:nothing.here']);
  });

  it('plurals resolve per language with count', async () => {
    const { createI18n, fixedT } = await import('../../../core/i18n.js');
    const i18n = await createI18n();
    expect(fixedT(i18n, 'en')('orders:timeline.placed', { count: 1 })).to.equal('Order placed (1 line)');
    expect(fixedT(i18n, 'en')('orders:timeline.placed', { count: 5 })).to.equal('Order placed (5 lines)');
    expect(fixedT(i18n, 'ja')('orders:timeline.placed', { count: 1 })).to.equal('注文を受け付けました（1 明細）');
    expect(fixedT(i18n, 'zh-CN')('orders:timeline.placed', { count: 5 })).to.equal('订单已提交（5 行）');
  });

  it('a language with more plural forms (Polish: one, few, many) resolves each with count, and the check above asks for all of them', async () => {
    // The platform ships no Polish: this shows the machinery (i18next on Intl.PluralRules) and the
    // completeness check are ready for one (requirement 41 names en, pl and ja).
    // The same library and call as core/i18n.ts (a per-language fixed t), on an instance that knows pl.
    const { default: i18next } = await import('i18next');
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { pl: { orders: { items_one: '{{count}} produkt', items_few: '{{count}} produkty', items_many: '{{count}} produktów', items_other: '{{count}} produktu' } }, en: { orders: { items_one: '{{count}} item', items_other: '{{count}} items' } } }, fallbackLng: 'en', interpolation: { escapeValue: false } });
    const { fixedT } = await import('../../../core/i18n.js');
    const pl = fixedT(i18n, 'pl');
    expect([1, 2, 5, 22, 25].map((count) => pl('orders:items', { count }))).to.deep.equal(['1 produkt', '2 produkty', '5 produktów', '22 produkty', '25 produktów']);
    expect(fixedT(i18n, 'en')('orders:items', { count: 1 })).to.equal('1 item');
    expect(fixedT(i18n, 'en')('orders:items', { count: 5 })).to.equal('5 items');
    expect(new Intl.PluralRules('pl').resolvedOptions().pluralCategories).to.include.members(['one', 'few', 'many', 'other']);
  });
});
