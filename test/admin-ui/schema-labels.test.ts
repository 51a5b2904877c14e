// Without a browser: a schema form labels its fields at every depth from the page's words by
// path, then the schema's title, then the name made readable; enum values, oneOf options and
// descriptions too; outside English the API's untranslated descriptions are left out.
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../core/paths.js';

type Ui = Record<string, any>;
// Loaded by path: the console's sources are checked by admin-ui's own tsconfig, not this one.
const load = () => import(path.join(projectRoot, 'admin-ui', 'src', 'schema-labels.ts')) as Promise<{
  humanise: (name: string) => string;
  labelFor: (path: string, schema: unknown, text: Record<string, string>) => string;
  labelledUiSchema: (schema: unknown, text: Record<string, string>, opts: { none: string }) => Ui;
  displaySchema: <T>(schema: T) => T;
  fieldNames: (errors: { pointer?: string }[], labels?: Record<string, string>, base?: string, byName?: (name: string) => string | undefined) => string[];
}>;

const hhmm = { type: 'string', pattern: '^\\d\\d:\\d\\d$' };
const calendar = {
  type: 'object', required: ['name', 'windows'],
  properties: {
    name: { type: 'string', description: 'Shown to shoppers' },
    days: { type: 'array', uniqueItems: true, items: { enum: ['mon', 'tue'] } },
    windows: { type: 'array', items: { type: 'object', properties: { start: hhmm, end: { ...hhmm, title: 'Window end' }, capacity: { type: 'integer', description: 'Orders per date' } } } },
    cutoff: { oneOf: [{ type: 'null' }, { type: 'object', properties: { time: hhmm, daysBefore: { type: 'integer' } } }], description: 'When a date closes' },
    zone: { type: 'object', properties: { areas: { type: 'array', items: { type: 'object', properties: { postalRules: { type: 'array', items: { type: 'object', properties: { mode: { enum: ['include', 'exclude'] } } } } } } } } },
  },
};
const text = {
  name: '名称', windows: '时段', 'windows.start': '开始', 'windows.capacity': '容量', 'windows.capacity#': '每天可接单数',
  days: '星期', 'days=mon': '周一', cutoff: '截单', 'cutoff.time': '时间', 'cutoff|1': '设定截单时间',
  'zone.areas.postalRules.mode': '方式', 'zone.areas.postalRules.mode=exclude': '排除',
};

describe('schema form labels by path', () => {
  it("names a problem's fields in the page's words (an array item's field by its field's path), else by the API's name, once each", async () => {
    const { fieldNames } = await load();
    const errors = [{ pointer: '/name' }, { pointer: '/windows/0/capacity' }, { pointer: '/windows/1/capacity' }, { pointer: '/country' }, {}];
    expect(fieldNames(errors, text)).to.deep.equal(['名称', '容量', 'country']);
    expect(fieldNames(errors)).to.deep.equal(['name', 'windows.0.capacity', 'windows.1.capacity', 'country']);
  });

  it("names a plugin's refused settings by the form's paths, read from where the settings sit in the request", async () => {
    const { fieldNames } = await load();
    const missing = [{ pointer: '/settings/shipFrom/line1' }, { pointer: '/settings/shipFrom/city' }, { pointer: '/settings' }, { pointer: '/settingsx' }];
    expect(fieldNames(missing, { 'shipFrom.line1': '地址第一行', 'shipFrom.city': '城市' }, '/settings')).to.deep.equal(['地址第一行', '城市', 'settingsx']);
  });

  it("names a field the page has no word for by the console's word for its own name (fields.*), before the API's path", async () => {
    const { fieldNames } = await load();
    const common: Record<string, string> = { email: '邮箱', sku: 'SKU', name: '名称' };
    const errors = [{ pointer: '/owner/email' }, { pointer: '/variants/1/sku' }, { pointer: '/translations/zh-CN/name' }, { pointer: '/windows/0' }, { pointer: '/unheard' }];
    expect(fieldNames(errors, { 'owner.email': '店主邮箱' }, '', (n) => common[n])).to.deep.equal(['店主邮箱', 'SKU', '名称', 'windows.0', 'unheard']);
    expect(fieldNames(errors, {}, '', (n) => common[n])).to.deep.equal(['邮箱', 'SKU', '名称', 'windows.0', 'unheard']);
  });

  it('makes a name readable', async () => {
    const { humanise } = await load();
    expect(humanise('postalRules')).to.equal('Postal rules');
    expect(humanise('leadMinutes')).to.equal('Lead minutes');
    expect(humanise('max_km')).to.equal('Max km');
    expect(humanise('line1')).to.equal('Line1');
  });

  it('labels nested fields from the page’s words, then the schema’s title, then the readable name', async () => {
    const { labelledUiSchema, labelFor } = await load();
    const ui = labelledUiSchema(calendar, text, { none: '无' });
    expect(ui.name['ui:title']).to.equal('名称');
    expect(ui.windows['ui:title']).to.equal('时段');
    // An item's ui comes from a function of its index: titled by the field's label and number.
    const item = ui.windows.items({}, 1);
    expect(item['ui:title']).to.equal('时段 2');
    expect(item.start['ui:title']).to.equal('开始');
    expect(item.end['ui:title']).to.equal('Window end');
    expect(item.capacity['ui:title']).to.equal('容量');
    expect(item.capacity['ui:description']).to.equal('每天可接单数');
    expect(ui.zone['ui:title']).to.equal('Zone');
    const rule = ui.zone.areas.items({}, 0).postalRules.items({}, 0);
    expect(rule['ui:title']).to.equal('Postal rules 1');
    expect(rule.mode['ui:title']).to.equal('方式');
    expect(rule.mode['ui:enumNames']).to.deep.equal(['include', '排除']);
    expect(ui.days.items['ui:enumNames']).to.deep.equal(['周一', 'tue']);
    expect(ui.days['ui:widget']).to.equal('checkboxes');
    expect(ui.windows['ui:widget']).to.equal(undefined);
    expect(labelFor('windows.end', { title: 'Window end' }, {})).to.equal('Window end');
    expect(labelFor('windows.end', {}, { 'windows.end': '结束' })).to.equal('结束');
  });

  it('titles oneOf options and labels each option’s fields (rjsf reads an option’s ui alone)', async () => {
    const { labelledUiSchema } = await load();
    const ui = labelledUiSchema(calendar, text, { none: '无' });
    expect(ui.cutoff['ui:title']).to.equal('截单');
    expect(ui.cutoff.oneOf.map((o: Ui) => o['ui:title'])).to.deep.equal(['无', '设定截单时间']);
    expect(ui.cutoff.oneOf[1].time['ui:title']).to.equal('时间');
    expect(ui.cutoff.oneOf[1].daysBefore['ui:title']).to.equal('Days before');
  });

  it('leaves the schema’s descriptions out (not a property called description), without changing the schema', async () => {
    const { displaySchema } = await load();
    const schema = { ...calendar, properties: { ...calendar.properties, description: { type: 'string', description: 'x' } } };
    const before = JSON.stringify(schema);
    const shown = displaySchema(schema) as any;
    expect(JSON.stringify(shown)).to.not.include('"description":"');
    expect(shown.properties.description).to.deep.equal({ type: 'string' });
    expect(shown.properties.cutoff.oneOf[1].properties.time).to.deep.equal(hhmm);
    expect(JSON.stringify(schema)).to.equal(before);
  });
});
