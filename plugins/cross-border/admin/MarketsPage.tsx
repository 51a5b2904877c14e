// The store's markets, a page at a time (GET /admin/v1/cross-border/markets), with a form to
// create, change (PUT, the whole market) and delete them. Every change goes through the Admin
// API, which validates it (a 400 names the field, shown here) and audits it.
import { useState, type FormEvent } from 'react';
import { Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, useSession, ServerTable, PageTitle, Data, ErrorAlert, type Page } from '@bazaar/console';

interface Market {
  id: string;
  code: string;
  name: string;
  countries: string[];
  currency: string;
  languages: string[];
  isDefault: boolean;
  pricesIncludeTax: boolean;
  taxRateBp: number | null;
  dutiesMode: 'DDP' | 'DAP';
  dutyRates?: Record<string, string>;
  dutyThreshold?: number | null;
  fxMode: 'automatic' | 'manual';
  manualRate: string | null;
  adjustmentPct: string | null;
  rounding: { mode: 'up' | 'nearest'; step: string; ending: string } | null;
}

const TEXT = {
  en: {
    title: 'Markets', create: 'New market', edit: 'Edit', remove: 'Delete', confirm: 'Delete for good', save: 'Save market', cancel: 'Cancel', editing: 'Market',
    code: 'Code', name: 'Name', countries: 'Countries', countriesHint: 'Two-letter codes, comma separated: DE, FR', currency: 'Currency', languages: 'Languages', languagesHint: 'Comma separated: de, en',
    isDefault: 'Default market', tax: 'Prices', taxAuto: 'As usual in its countries (EU and UK with tax)', incl: 'with tax', excl: 'before tax', taxRate: 'Tax rate (%)', taxRateHint: 'Empty: the store’s rate',
    duties: 'Duties', ddp: 'DDP: the shop pays, a duties line at checkout', dap: 'DAP: the buyer pays on delivery', dutyRates: 'Duty rates (%)', dutyRatesHint: 'Per country, * for the rest: GB=4, *=10', dutyThreshold: 'No duties below (minor units)',
    rate: 'Rate', automatic: 'automatic', manual: 'manual', manualRate: 'Manual rate', adjustment: 'Price adjustment (%)', rounding: 'Rounding', none: 'none', roundUp: 'up to the ending', roundNearest: 'to the nearest ending', step: 'Step', ending: 'Ending', isDefaultTag: 'default',
  },
  'zh-CN': {
    title: '市场', create: '新建市场', edit: '编辑', remove: '删除', confirm: '确认删除', save: '保存市场', cancel: '取消', editing: '市场',
    code: '代码', name: '名称', countries: '国家', countriesHint: '两位国家代码，以逗号分隔：DE, FR', currency: '币种', languages: '语言', languagesHint: '以逗号分隔：de, en',
    isDefault: '默认市场', tax: '价格', taxAuto: '按所在国家惯例（欧盟与英国含税）', incl: '含税', excl: '不含税', taxRate: '税率（%）', taxRateHint: '留空：使用店铺税率',
    duties: '关税', ddp: 'DDP：商家承担，结账时显示关税行', dap: 'DAP：买家收货时支付', dutyRates: '关税税率（%）', dutyRatesHint: '按国家设置，* 表示其他：GB=4, *=10', dutyThreshold: '免征关税额度（最小货币单位）',
    rate: '汇率', automatic: '自动', manual: '手动', manualRate: '手动汇率', adjustment: '调价（%）', rounding: '取整', none: '无', roundUp: '向上取到尾数', roundNearest: '取最接近的尾数', step: '步长', ending: '尾数', isDefaultTag: '默认',
  },
  ja: {
    title: 'マーケット', create: '新しいマーケット', edit: '編集', remove: '削除', confirm: '削除を確定', save: 'マーケットを保存', cancel: 'キャンセル', editing: 'マーケット',
    code: 'コード', name: '名前', countries: '国', countriesHint: '2 文字の国コードをカンマ区切りで：DE, FR', currency: '通貨', languages: '言語', languagesHint: 'カンマ区切り：de, en',
    isDefault: '既定のマーケット', tax: '価格', taxAuto: '国の慣習どおり（EU と英国は税込）', incl: '税込', excl: '税抜', taxRate: '税率（%）', taxRateHint: '空欄：ストアの税率',
    duties: '関税', ddp: 'DDP：ショップ負担、チェックアウトに関税の行', dap: 'DAP：購入者が配達時に支払う', dutyRates: '関税率（%）', dutyRatesHint: '国ごと、その他は *：GB=4, *=10', dutyThreshold: 'この額未満は関税なし（最小単位）',
    rate: 'レート', automatic: '自動', manual: '手動', manualRate: '手動レート', adjustment: '価格調整（%）', rounding: '端数処理', none: 'なし', roundUp: '末尾まで切り上げ', roundNearest: '最も近い末尾へ', step: '刻み', ending: '末尾', isDefaultTag: '既定',
  },
};

type Text = (typeof TEXT)['en'];

interface Draft {
  code: string;
  name: string;
  countries: string;
  currency: string;
  languages: string;
  isDefault: boolean;
  tax: 'auto' | 'incl' | 'excl';
  taxRate: string;
  dutiesMode: 'DDP' | 'DAP';
  dutyRates: string;
  dutyThreshold: string;
  fxMode: 'automatic' | 'manual';
  manualRate: string;
  adjustmentPct: string;
  roundingMode: '' | 'up' | 'nearest';
  step: string;
  ending: string;
}

const EMPTY: Draft = { code: '', name: '', countries: '', currency: '', languages: '', isDefault: false, tax: 'auto', taxRate: '', dutiesMode: 'DAP', dutyRates: '', dutyThreshold: '', fxMode: 'automatic', manualRate: '', adjustmentPct: '', roundingMode: '', step: '1', ending: '0.99' };

function draftOf(m: Market): Draft {
  return {
    code: m.code, name: m.name, countries: m.countries.join(', '), currency: m.currency, languages: m.languages.join(', '), isDefault: m.isDefault,
    tax: m.pricesIncludeTax ? 'incl' : 'excl', taxRate: m.taxRateBp === null ? '' : String(m.taxRateBp / 100), dutiesMode: m.dutiesMode,
    dutyRates: Object.entries(m.dutyRates ?? {}).map(([k, v]) => `${k}=${v}`).join(', '), dutyThreshold: m.dutyThreshold === null || m.dutyThreshold === undefined ? '' : String(m.dutyThreshold),
    fxMode: m.fxMode, manualRate: m.manualRate ?? '', adjustmentPct: m.adjustmentPct ?? '', roundingMode: m.rounding?.mode ?? '', step: m.rounding?.step ?? '1', ending: m.rounding?.ending ?? '0.99',
  };
}

const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** A percentage typed as "19" or "7.5" in basis points; anything else is sent as typed, for the API to name. */
function basisPoints(text: string): unknown {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : text;
}

/** The request body: the whole market (PUT replaces it). Unparsable input goes as typed so the API's 400 names the field. */
function bodyOf(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {
    code: d.code.trim(), name: d.name.trim(), countries: list(d.countries).map((c) => c.toUpperCase()), currency: d.currency.trim().toUpperCase(), languages: list(d.languages),
    isDefault: d.isDefault, taxRateBp: d.taxRate.trim() ? basisPoints(d.taxRate) : null, dutiesMode: d.dutiesMode, fxMode: d.fxMode,
    adjustmentPct: d.adjustmentPct.trim() || null, rounding: d.roundingMode ? { mode: d.roundingMode, step: d.step.trim(), ending: d.ending.trim() } : null,
  };
  if (d.tax !== 'auto') body.pricesIncludeTax = d.tax === 'incl';
  if (d.fxMode === 'manual') body.manualRate = d.manualRate.trim();
  if (d.dutyRates.trim()) body.dutyRates = Object.fromEntries(list(d.dutyRates).map((pair) => pair.split('=').map((s) => s.trim())));
  body.dutyThreshold = d.dutyThreshold.trim() ? (/^\d+$/.test(d.dutyThreshold.trim()) ? Number(d.dutyThreshold.trim()) : d.dutyThreshold) : null;
  return body;
}

function MarketForm({ text, initial, editing, onDone }: { text: Text; initial: Draft; editing: Market | null; onDone: () => void }) {
  const [d, setD] = useState<Draft>(initial);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K) => (v: Draft[K]) => setD((old) => ({ ...old, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (editing) await storeApi('PUT', `/cross-border/markets/${editing.id}`, { body: bodyOf(d) });
      else await storeApi('POST', '/cross-border/markets', { body: bodyOf(d) });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" mb="md" component="form" onSubmit={(e: FormEvent) => void submit(e)} data-testid="market-form" aria-label={text.editing}>
      <Title order={2} size="h4" mb="sm">
        {editing ? `${text.editing} ${editing.code}` : text.create}
      </Title>
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
        <TextInput label={text.code} value={d.code} onChange={(e) => set('code')(e.currentTarget.value)} />
        <TextInput label={text.name} value={d.name} onChange={(e) => set('name')(e.currentTarget.value)} />
        <TextInput label={text.currency} value={d.currency} onChange={(e) => set('currency')(e.currentTarget.value)} maxLength={3} />
        <TextInput label={text.countries} description={text.countriesHint} value={d.countries} onChange={(e) => set('countries')(e.currentTarget.value)} />
        <TextInput label={text.languages} description={text.languagesHint} value={d.languages} onChange={(e) => set('languages')(e.currentTarget.value)} />
        <NativeSelect label={text.tax} value={d.tax} onChange={(e) => set('tax')(e.currentTarget.value as Draft['tax'])} data={[{ value: 'auto', label: text.taxAuto }, { value: 'incl', label: text.incl }, { value: 'excl', label: text.excl }]} />
        <TextInput label={text.taxRate} description={text.taxRateHint} value={d.taxRate} onChange={(e) => set('taxRate')(e.currentTarget.value)} />
        <NativeSelect label={text.duties} value={d.dutiesMode} onChange={(e) => set('dutiesMode')(e.currentTarget.value as Draft['dutiesMode'])} data={[{ value: 'DAP', label: text.dap }, { value: 'DDP', label: text.ddp }]} />
        {d.dutiesMode === 'DDP' && <TextInput label={text.dutyRates} description={text.dutyRatesHint} value={d.dutyRates} onChange={(e) => set('dutyRates')(e.currentTarget.value)} />}
        {d.dutiesMode === 'DDP' && <TextInput label={text.dutyThreshold} value={d.dutyThreshold} onChange={(e) => set('dutyThreshold')(e.currentTarget.value)} />}
        <NativeSelect label={text.rate} value={d.fxMode} onChange={(e) => set('fxMode')(e.currentTarget.value as Draft['fxMode'])} data={[{ value: 'automatic', label: text.automatic }, { value: 'manual', label: text.manual }]} />
        {d.fxMode === 'manual' && <TextInput label={text.manualRate} value={d.manualRate} onChange={(e) => set('manualRate')(e.currentTarget.value)} />}
        <TextInput label={text.adjustment} value={d.adjustmentPct} onChange={(e) => set('adjustmentPct')(e.currentTarget.value)} />
        <NativeSelect label={text.rounding} value={d.roundingMode} onChange={(e) => set('roundingMode')(e.currentTarget.value as Draft['roundingMode'])} data={[{ value: '', label: text.none }, { value: 'up', label: text.roundUp }, { value: 'nearest', label: text.roundNearest }]} />
        {d.roundingMode && <TextInput label={text.step} value={d.step} onChange={(e) => set('step')(e.currentTarget.value)} />}
        {d.roundingMode && <TextInput label={text.ending} value={d.ending} onChange={(e) => set('ending')(e.currentTarget.value)} />}
      </SimpleGrid>
      <Checkbox mt="sm" label={text.isDefault} checked={d.isDefault} onChange={(e) => set('isDefault')(e.currentTarget.checked)} />
      <Group mt="md" gap="xs">
        <Button type="submit" loading={busy}>
          {text.save}
        </Button>
        <Button variant="default" onClick={onDone}>
          {text.cancel}
        </Button>
      </Group>
    </Paper>
  );
}

export default function MarketsPage() {
  const { i18n } = useTranslation();
  const text: Text = i18n.language === 'zh-CN' ? TEXT['zh-CN'] : i18n.language === 'ja' ? TEXT.ja : TEXT.en;
  const session = useSession('store');
  const qc = useQueryClient();
  const key = ['store', session?.tenant, 'cross-border-markets'];
  // null: no form; 'new': creating; a market: changing it.
  const [form, setForm] = useState<null | 'new' | Market>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const done = () => {
    setForm(null);
    void qc.invalidateQueries({ queryKey: key });
  };
  const remove = async (m: Market) => {
    setError(null);
    try {
      await storeApi('DELETE', `/cross-border/markets/${m.id}`);
      setConfirming(null);
      await qc.invalidateQueries({ queryKey: key });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle actions={form === null ? <Button onClick={() => setForm('new')}>{text.create}</Button> : undefined}>{text.title}</PageTitle>
      <ErrorAlert error={error} />
      {form !== null && <MarketForm key={form === 'new' ? 'new' : form.id} text={text} initial={form === 'new' ? EMPTY : draftOf(form)} editing={form === 'new' ? null : form} onDone={done} />}
      <ServerTable<Market>
        label={text.title}
        queryKey={key}
        fetchPage={(cursor) => storeApi<Page<Market>>('GET', '/cross-border/markets', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.code, cell: (m) => <Data>{m.isDefault ? `${m.code} (${text.isDefaultTag})` : m.code}</Data> },
          { header: text.name, cell: (m) => m.name },
          { header: text.countries, cell: (m) => <Data>{m.countries.join(', ')}</Data> },
          { header: text.currency, cell: (m) => <Data>{m.currency}</Data> },
          { header: text.tax, cell: (m) => `${m.pricesIncludeTax ? text.incl : text.excl}${m.taxRateBp === null ? '' : ` ${m.taxRateBp / 100}%`}` },
          { header: text.duties, cell: (m) => <Data>{m.dutiesMode}</Data> },
          { header: text.rate, cell: (m) => (m.fxMode === 'manual' ? <>{text.manual} <Data>{m.manualRate ?? ''}</Data></> : text.automatic) },
          { header: text.adjustment, cell: (m) => <Data>{m.adjustmentPct ? `${m.adjustmentPct}%` : ''}</Data> },
          { header: text.rounding, cell: (m) => <Data>{m.rounding ? `${m.rounding.mode} ${m.rounding.ending} / ${m.rounding.step}` : ''}</Data> },
          {
            header: '',
            cell: (m) => (
              <Group gap={4} wrap="nowrap" data-testid={`market-${m.code}`}>
                <Button size="compact-xs" variant="default" onClick={() => setForm(m)}>
                  {text.edit}
                </Button>
                {confirming === m.id ? (
                  <Button size="compact-xs" color="red" onClick={() => void remove(m)}>
                    {text.confirm}
                  </Button>
                ) : (
                  <Button size="compact-xs" variant="default" color="red" onClick={() => setConfirming(m.id)}>
                    {text.remove}
                  </Button>
                )}
              </Group>
            ),
          },
        ]}
      />
    </>
  );
}
