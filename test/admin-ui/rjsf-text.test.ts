// Without a browser: @rjsf's built-in English (every TranslatableString) and the validation
// messages of schema forms have a text in each of the console's languages, with rjsf's %1, %2 …
// parameters kept; the translator and the error transform answer in the language asked.
import path from 'node:path';
import { expect } from 'chai';
import i18next from 'i18next';
import { projectRoot } from '../../core/paths.js';

type Tree = { [k: string]: Tree | string };
// @rjsf/utils is loaded by a name this tsconfig does not follow: its types bring React's and the
// DOM's, which would change the DOM types other tests' page callbacks are checked against.
type TranslatableString = string;
interface RJSFValidationError { name?: string; property?: string; message?: string; params?: unknown; stack: string }
const RJSF_UTILS: string = '@rjsf/utils';
const rjsfStrings = async () => ((await import(RJSF_UTILS)) as { TranslatableString: Record<string, string> }).TranslatableString;
const LANGS = ['en', 'zh-CN', 'ja'] as const;

// Loaded by path: the console's sources are checked by admin-ui's own tsconfig, not this one.
const src = (...p: string[]) => path.join(projectRoot, 'admin-ui', 'src', ...p);
const locale = async (l: string) => ((await import(src('locales', `${l}.ts`))) as { default: Tree & { rjsf: { strings: Record<string, string>; errors: Record<string, string> } } }).default;
type Translate = (key: TranslatableString, params?: string[]) => string;
const rjsfText = () => import(src('rjsf-text.ts')) as Promise<{
  rjsfTranslator: (t: unknown) => Translate;
  localizeErrors: (t: unknown) => (errors: RJSFValidationError[]) => RJSFValidationError[];
  ERROR_KEYWORDS: readonly string[];
}>;

const params = (s: string) => (s.match(/%\d/g) ?? []).sort();
const vars = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();

async function tFor(lng: string) {
  const i = i18next.createInstance();
  const resources: Record<string, { translation: Tree }> = {};
  for (const l of LANGS) resources[l] = { translation: await locale(l) };
  await i.init({ resources, lng, fallbackLng: false, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

describe('schema forms speak the console’s language (rjsf)', () => {
  it('has every TranslatableString in en (as rjsf’s own English), zh-CN and ja, keeping the parameters', async () => {
    const TranslatableString = await rjsfStrings();
    const members = Object.entries(TranslatableString);
    expect(members.length).to.be.greaterThan(30);
    const en = (await locale('en')).rjsf.strings;
    const problems: string[] = [];
    for (const [name, english] of members) if (en[name] !== english) problems.push(`en ${name}: ${en[name]} is not rjsf's "${english}"`);
    for (const l of ['zh-CN', 'ja']) {
      const theirs = (await locale(l)).rjsf.strings;
      for (const [name, english] of members) {
        if (!theirs[name]) problems.push(`${l} lacks ${name}`);
        else if (params(theirs[name]).join() !== params(english).join()) problems.push(`${l} ${name}: parameters ${params(theirs[name])} not ${params(english)}`);
        else if (/[A-Za-z]{3,}/.test(theirs[name].replace(/\$ref/g, ''))) problems.push(`${l} ${name}: English left in "${theirs[name]}"`);
      }
      for (const name of Object.keys(theirs)) if (!(name in TranslatableString)) problems.push(`${l} has ${name}, rjsf does not`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('has a message for every validation keyword and the fallback in each language', async () => {
    const { ERROR_KEYWORDS } = await rjsfText();
    const en = (await locale('en')).rjsf.errors;
    const problems: string[] = [];
    for (const l of LANGS) {
      const theirs = (await locale(l)).rjsf.errors;
      for (const k of [...ERROR_KEYWORDS, 'invalid']) {
        if (!theirs[k]) problems.push(`${l} lacks ${k}`);
        else if (vars(theirs[k]).join() !== vars(en[k] ?? '').join()) problems.push(`${l} ${k}: ${vars(theirs[k])} not ${vars(en[k] ?? '')}`);
      }
      expect(Object.keys(theirs).sort(), l).to.deep.equal([...ERROR_KEYWORDS, 'invalid'].sort());
    }
    expect(problems).to.deep.equal([]);
  });

  it('translates rjsf’s strings with their parameters, and errors by keyword with their limit', async () => {
    const { rjsfTranslator, localizeErrors } = await rjsfText();
    const TranslatableString = await rjsfStrings();
    const zh = rjsfTranslator(await tFor('zh-CN'));
    expect(zh(TranslatableString.AddItemButton)).to.equal('添加一项');
    expect(zh(TranslatableString.MoveUpButton)).to.equal('上移');
    expect(zh(TranslatableString.TitleOptionPrefix, ['运费', '2'])).to.equal('运费 的选项 2');
    const ja = rjsfTranslator(await tFor('ja'));
    expect(ja(TranslatableString.OptionPrefix, ['3'])).to.equal('選択肢 3');
    const en = rjsfTranslator(await tFor('en'));
    expect(en(TranslatableString.KeyLabel, ['Name'])).to.equal('Name Key');

    const errors: RJSFValidationError[] = [
      { name: 'required', property: '.code', message: "must have required property 'code'", params: { missingProperty: 'code' }, stack: '' },
      { name: 'minLength', property: '.name', message: 'must NOT have fewer than 2 characters', params: { limit: 2 }, stack: '' },
      { name: 'maximum', property: '.fee', message: 'must be <= 100', params: { limit: 100, comparison: '<=' }, stack: '' },
      { name: 'someCustomKeyword', property: '.x', message: 'must pass', params: {}, stack: '' },
    ];
    const out = localizeErrors(await tFor('zh-CN'))(errors);
    expect(out.map((e) => e.message)).to.deep.equal(['必填', '至少 2 个字符', '不能大于 100', '无效']);
    expect(out.map((e) => e.property)).to.deep.equal(['.code', '.name', '.fee', '.x']);
    expect(out.map((e) => e.stack)).to.deep.equal(out.map((e) => e.message));
  });
});
