// Without a browser: every translation key the console's sources ask for exists in each of its
// languages, so a new user never sees a raw key ("signIn.open") or an English fallback.
// - core: the i18next keys passed to t(...) in admin-ui/src and plugins/*/admin (string literals,
//   both branches of a conditional, and a template's fixed prefix naming a section) are in en,
//   zh-CN and ja; zh-CN and ja have no key en lacks.
// - plugins: a console page's own table (`const TEXT = { en, 'zh-CN', ja }`, its languages as
//   object literals or consts of the same file) has the three languages with en's keys, and every
//   `text.a.b` the plugin's admin files read is in en.
// The sources are read with the TypeScript parser, not run (they import the browser's modules).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths.js';

const LANGS = ['en', 'zh-CN', 'ja'] as const;
type Tree = { [k: string]: Tree | string };

// Loaded by path: the console's sources are checked by admin-ui's own tsconfig, not this one.
const locales = async (): Promise<Record<(typeof LANGS)[number], Tree>> => {
  const out = {} as Record<(typeof LANGS)[number], Tree>;
  for (const l of LANGS) out[l] = ((await import(path.join(projectRoot, 'admin-ui', 'src', 'locales', `${l}.ts`))) as { default: Tree }).default;
  return out;
};

function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

const parse = (file: string) => ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
const rel = (file: string) => path.relative(projectRoot, file);

function walk(node: ts.Node, visit: (n: ts.Node) => void) {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

const lookup = (tree: Tree, key: string): Tree | string | undefined => key.split('.').reduce<Tree | string | undefined>((at, k) => (at && typeof at === 'object' ? at[k] : undefined), tree);

const leaves = (tree: Tree, prefix = ''): string[] => Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : leaves(v, `${prefix}${k}.`)));

/** What a t(...) call's first argument may be: literal keys, and sections a template starts with. */
function keysOf(arg: ts.Expression): { keys: string[]; sections: string[] } {
  if (ts.isStringLiteralLike(arg)) return { keys: [arg.text], sections: [] };
  if (ts.isConditionalExpression(arg)) {
    const a = keysOf(arg.whenTrue);
    const b = keysOf(arg.whenFalse);
    return { keys: [...a.keys, ...b.keys], sections: [...a.sections, ...b.sections] };
  }
  if (ts.isParenthesizedExpression(arg)) return keysOf(arg.expression);
  if (ts.isTemplateExpression(arg) && arg.head.text.endsWith('.')) return { keys: [], sections: [arg.head.text.slice(0, -1)] };
  return { keys: [], sections: [] };
}

/** Keys the console's sources ask i18next for, with where. */
function usedKeys(): { keys: Map<string, string[]>; sections: Map<string, string[]> } {
  const keys = new Map<string, string[]>();
  const sections = new Map<string, string[]>();
  const note = (m: Map<string, string[]>, k: string, at: string) => m.set(k, [...(m.get(k) ?? []), at]);
  const files = [...sources(path.join(projectRoot, 'admin-ui', 'src')), ...fs.readdirSync(path.join(projectRoot, 'plugins')).flatMap((p) => sources(path.join(projectRoot, 'plugins', p, 'admin')))];
  for (const file of files) {
    const sf = parse(file);
    walk(sf, (n) => {
      const at = `${rel(file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      if (ts.isCallExpression(n) && n.arguments.length > 0) {
        const callee = n.expression;
        const isT = (ts.isIdentifier(callee) && callee.text === 't') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
        if (!isT) return;
        const found = keysOf(n.arguments[0]);
        for (const k of found.keys) note(keys, k, at);
        for (const s of found.sections) note(sections, s, at);
      }
      // Navigation items name their label's key (`label: 'nav.products'`, or a template on nav.).
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && n.name.text === 'label' && rel(file) === path.join('admin-ui', 'src', 'nav.ts')) {
        const found = keysOf(n.initializer);
        for (const k of found.keys) note(keys, k, at);
        for (const s of found.sections) note(sections, s, at);
      }
    });
  }
  return { keys, sections };
}

/** A console text table as a tree: object literals, or consts of the same file holding one. */
function treeOf(expr: ts.Expression, consts: Map<string, ts.Expression>): Tree | string | undefined {
  if (ts.isStringLiteralLike(expr)) return expr.text;
  if (ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isParenthesizedExpression(expr)) return treeOf(expr.expression, consts);
  if (ts.isIdentifier(expr)) {
    const init = consts.get(expr.text);
    return init ? treeOf(init, consts) : undefined;
  }
  if (ts.isObjectLiteralExpression(expr)) {
    const out: Tree = {};
    for (const p of expr.properties) {
      if (ts.isSpreadAssignment(p)) {
        const spread = treeOf(p.expression, consts);
        if (spread && typeof spread === 'object') Object.assign(out, spread);
        continue;
      }
      if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
      const name = ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name) ? p.name.text : undefined;
      if (!name) continue;
      const v = ts.isPropertyAssignment(p) ? treeOf(p.initializer, consts) : treeOf(p.name, consts);
      // Anything else (a template, a function) counts as a leaf.
      out[name] = v ?? '';
    }
    return out;
  }
  return '';
}

interface PluginTable {
  file: string;
  langs: Record<string, Tree>;
}

/** The `const TEXT = {...}` tables in a plugin's admin files. */
function pluginTables(plugin: string): PluginTable[] {
  const out: PluginTable[] = [];
  for (const file of sources(path.join(projectRoot, 'plugins', plugin, 'admin'))) {
    const sf = parse(file);
    const consts = new Map<string, ts.Expression>();
    walk(sf, (n) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
    });
    const table = consts.get('TEXT');
    if (!table) continue;
    const tree = treeOf(table, consts);
    if (tree && typeof tree === 'object') out.push({ file: rel(file), langs: tree as Record<string, Tree> });
  }
  return out;
}

/** `text` is a string parameter of an enclosing function (`(text: string) => text.trim()`), not a table. */
function isStringParam(id: ts.Identifier): boolean {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const p = n.parameters.find((q) => ts.isIdentifier(q.name) && q.name.text === 'text');
    if (p) return p.type?.kind === ts.SyntaxKind.StringKeyword;
  }
  return false;
}

/** `text.a.b` reads in a plugin's admin files (the variable is called text wherever a table is used). */
function textReads(plugin: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of sources(path.join(projectRoot, 'plugins', plugin, 'admin'))) {
    const sf = parse(file);
    walk(sf, (n) => {
      if (!ts.isPropertyAccessExpression(n) || ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) return;
      // The outermost a.b.c of a chain starting at `text`.
      const parts: string[] = [];
      let e: ts.Expression = n;
      while (ts.isPropertyAccessExpression(e)) {
        parts.unshift(e.name.text);
        e = e.expression;
      }
      if (!ts.isIdentifier(e) || e.text !== 'text' || isStringParam(e)) return;
      const at = `${rel(file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      const key = parts.join('.');
      out.set(key, [...(out.get(key) ?? []), at]);
    });
  }
  return out;
}

const consolePlugins = () => fs.readdirSync(path.join(projectRoot, 'plugins')).filter((p) => fs.existsSync(path.join(projectRoot, 'plugins', p, 'admin')));

describe('console translation keys', () => {
  it('finds the keys the sources use (the scan itself works)', () => {
    const { keys, sections } = usedKeys();
    expect(keys.size).to.be.greaterThan(200);
    expect([...keys.keys()]).to.include.members(['signIn.open', 'signIn.store', 'signIn.platform', 'nav.tenants', 'common.save']);
    expect([...sections.keys()]).to.include.members(['status', 'nav']);
    expect(pluginTables('logistics').map((t) => t.file)).to.have.length.greaterThan(0);
    expect([...textReads('logistics').keys()]).to.include('zones');
  });

  it('has every key the console asks for in en, zh-CN and ja', async () => {
    const all = await locales();
    const { keys, sections } = usedKeys();
    const missing: string[] = [];
    for (const [k, at] of keys) for (const l of LANGS) if (typeof lookup(all[l], k) !== 'string') missing.push(`${l}: ${k} (${at[0]})`);
    for (const [s, at] of sections) for (const l of LANGS) if (typeof lookup(all[l], s) !== 'object') missing.push(`${l}: section ${s} (${at[0]})`);
    expect(missing).to.deep.equal([]);
  });

  it('has no key in zh-CN or ja that en lacks, and none of en’s left out', async () => {
    const all = await locales();
    const en = new Set(leaves(all.en));
    for (const l of ['zh-CN', 'ja'] as const) {
      const theirs = new Set(leaves(all[l]));
      expect([...theirs].filter((k) => !en.has(k)), `${l} keys en lacks`).to.deep.equal([]);
      expect([...en].filter((k) => !theirs.has(k)), `en keys ${l} lacks`).to.deep.equal([]);
      expect(leaves(all[l]).filter((k) => lookup(all[l], k) === ''), `${l} empty texts`).to.deep.equal([]);
    }
  });

  it('has each plugin page table in en, zh-CN and ja with the same keys, and every text.* a page reads', () => {
    const problems: string[] = [];
    for (const plugin of consolePlugins()) {
      const tables = pluginTables(plugin);
      for (const t of tables) {
        const en = t.langs.en;
        if (!en) {
          problems.push(`${t.file}: no en`);
          continue;
        }
        const enKeys = new Set(leaves(en));
        for (const l of ['zh-CN', 'ja']) {
          const theirs = t.langs[l];
          if (!theirs) {
            problems.push(`${t.file}: no ${l}`);
            continue;
          }
          const keys = new Set(leaves(theirs));
          for (const k of enKeys) if (!keys.has(k)) problems.push(`${t.file}: ${l} lacks ${k}`);
          for (const k of keys) if (!enKeys.has(k)) problems.push(`${t.file}: ${l} has ${k}, en does not`);
        }
      }
      // Reads of text.*: in a file with its own table against that table, elsewhere against the plugin's text.ts.
      const byFile = new Map(tables.map((t) => [t.file, t.langs.en]));
      const shared = byFile.get(path.join('plugins', plugin, 'admin', 'text.ts'));
      for (const [key, ats] of textReads(plugin)) {
        for (const at of ats) {
          const file = at.slice(0, at.lastIndexOf(':'));
          const en = byFile.get(file) ?? shared;
          if (!en) continue;
          // text.a.b.length or a method on a text: its first parts must name a text.
          const parts = key.split('.');
          let found = false;
          for (let i = parts.length; i > 0 && !found; i--) if (typeof lookup(en, parts.slice(0, i).join('.')) === 'string' || (i === parts.length && lookup(en, key) !== undefined)) found = true;
          if (!found) problems.push(`${at}: text.${key} is not in en`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });
});
