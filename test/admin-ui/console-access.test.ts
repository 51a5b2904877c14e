// Without a browser: the console's three string tables hold the same keys (UI-6), and each
// seeded role sees exactly its fixture of navigation, every item of which it may open (UI-1).
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths.js';
import { permissionsFor, ROLES } from '../../core/users/roles.js';

// Loaded by path: the console's sources are checked by admin-ui's own tsconfig, not this one.
const load = (file: string) => import(path.join(projectRoot, 'admin-ui', 'src', file)) as Promise<any>;

type Tree = { [k: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out[prefix + k] = v;
    else Object.assign(out, flatten(v, `${prefix}${k}.`));
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('the review countdown in each language (UI-8)', () => {
  it('says days and hours, or hours and minutes, in the language’s own units', async () => {
    const { formatSpan } = (await import(path.join(projectRoot, 'plugins', 'onboarding', 'admin', 'span.ts'))) as { formatSpan: (ms: number, lng: string) => string };
    const span = 2 * 86_400_000 + 3 * 3_600_000 + 5 * 60_000;
    expect(formatSpan(span, 'en')).to.equal('2d 3h');
    expect(formatSpan(span, 'zh-CN')).to.equal('2天3小时');
    expect(formatSpan(span, 'ja')).to.equal('2 日 3 時間');
    expect(formatSpan(-(45 * 60_000), 'en')).to.equal('0h 45m');
    expect(formatSpan(45 * 60_000, 'zh-CN')).to.equal('0小时45分钟');
    expect(formatSpan(45 * 60_000, 'ja')).to.equal('0 時間 45 分');
  });
});

describe('the pseudo-locale en-XA (UI-6)', () => {
  it('makes every English string of the console accented, longer and bracketed, placeholders kept', async () => {
    const { pseudoTable, PSEUDO } = await load('pseudo.ts');
    const en = flatten((await load('locales/en.ts')).default);
    const pseudo = flatten(pseudoTable((await load('locales/en.ts')).default));
    expect(PSEUDO).to.equal('en-XA');
    expect(Object.keys(pseudo)).to.deep.equal(Object.keys(en));
    for (const [key, text] of Object.entries(en)) {
      const p = pseudo[key];
      const outside = p.replace(/\{\{\w+\}\}/g, '');
      expect(outside, key).not.to.match(/[A-Za-z]/);
      expect(placeholders(p), key).to.deep.equal(placeholders(text));
      expect(p.length, key).to.be.at.least(Math.floor(text.length * 1.3));
      expect(p, key).to.match(/^\[.*\]$/s);
    }
  });
});

describe('console strings (en, zh-CN, ja)', () => {
  let tables: Record<string, Record<string, string>>;
  before(async () => {
    tables = {
      en: flatten((await load('locales/en.ts')).default),
      'zh-CN': flatten((await load('locales/zh-CN.ts')).default),
      ja: flatten((await load('locales/ja.ts')).default),
    };
  });

  it('has the same keys in the three languages', () => {
    const keys = Object.keys(tables.en).sort();
    expect(keys.length).to.be.greaterThan(200);
    expect(Object.keys(tables['zh-CN']).sort()).to.deep.equal(keys);
    expect(Object.keys(tables.ja).sort()).to.deep.equal(keys);
  });

  it('keeps every placeholder, and no string is empty or left in English', () => {
    const problems: string[] = [];
    for (const lang of ['zh-CN', 'ja']) {
      for (const [key, en] of Object.entries(tables.en)) {
        const text = tables[lang][key];
        if (!text.trim()) problems.push(`${lang} ${key}: empty`);
        if (placeholders(text).join() !== placeholders(en).join()) problems.push(`${lang} ${key}: placeholders ${placeholders(text)} vs ${placeholders(en)}`);
        // The product's name is the one word every language keeps.
        if (key !== 'app.name' && !/[\u3040-\u30ff\u3400-\u9fff]/.test(text)) problems.push(`${lang} ${key}: "${text}" has no Chinese or Japanese`);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});

describe('console navigation per role (UI-1)', () => {
  let nav: any;
  let perms: any;
  before(async () => {
    nav = await load('nav.ts');
    perms = await load('perms.ts');
  });

  const FIXTURE: Record<string, string[]> = {
    owner: ['dashboard', 'products', 'orders', 'returns', 'customers', 'staff', 'apiKeys', 'plugins', 'audit', 'settings'],
    admin: ['dashboard', 'products', 'orders', 'returns', 'customers', 'staff', 'apiKeys', 'plugins', 'audit', 'settings'],
    staff: ['dashboard', 'products', 'orders', 'returns', 'customers', 'plugins', 'settings'],
    viewer: ['dashboard', 'products', 'orders', 'returns', 'customers', 'staff', 'apiKeys', 'plugins', 'audit', 'settings'],
  };

  it('shows each seeded role its fixture, with the permissions the API grants it', () => {
    expect(Object.keys(FIXTURE)).to.deep.equal([...ROLES]);
    for (const role of ROLES) {
      const user = { permissions: [...permissionsFor(role)], role };
      const visible = nav.storeNav.filter((i: unknown) => perms.canOpen(user, i)).map((i: { key: string }) => i.key);
      expect(visible, role).to.deep.equal(FIXTURE[role]);
    }
  });

  it('leads no visible item to a page its role may not open', () => {
    for (const role of ROLES) {
      const user = { permissions: [...permissionsFor(role)], role };
      for (const item of nav.storeNav.filter((i: unknown) => perms.canOpen(user, i))) {
        const pagePath = item.to === '/store' ? '/' : item.to.replace(/^\/store\//, '');
        expect(nav.storePages[pagePath], `${item.key} names a page`).to.be.an('object');
        expect(perms.canOpen(user, nav.storePages[pagePath]), `${role} opens ${item.key}`).to.equal(true);
      }
    }
  });

  it('takes any-of, all-of and a predicate together', () => {
    const user = { permissions: ['orders:read', 'catalog:*'], role: 'staff' };
    expect(perms.canOpen(user, { permission: ['customers:read', 'orders:read'] })).to.equal(true);
    expect(perms.canOpen(user, { permission: ['customers:read', 'staff:read'] })).to.equal(false);
    expect(perms.canOpen(user, { allOf: ['orders:read', 'catalog:write'] })).to.equal(true);
    expect(perms.canOpen(user, { allOf: ['orders:read', 'orders:write'] })).to.equal(false);
    expect(perms.canOpen(user, { permission: 'orders:read', isVisible: (u: { role?: string }) => u.role === 'owner' })).to.equal(false);
    expect(perms.canOpen({ ...user, role: 'owner' }, { permission: 'orders:read', isVisible: (u: { role?: string }) => u.role === 'owner' })).to.equal(true);
  });
});
