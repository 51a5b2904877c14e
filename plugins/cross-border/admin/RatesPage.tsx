// Exchange rates: the store's source and its health (GET /admin/v1/cross-border/rates/status),
// a fetch now (POST /rates/fetch), a manual rate (POST /rates: what markets use when the store's
// source is manual), and the history, newest first (GET /rates), a page at a time.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Paper, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, useSession, ServerTable, PageTitle, DateText, Data, ErrorAlert, Loading, type Page } from '@bazaar/console';

interface Rate {
  id: string;
  source: string;
  base: string;
  quote: string;
  rate: string;
  asOf: string;
  fetchedAt?: string;
}
interface Status {
  source: string;
  stale: boolean;
  lastFetchAt: string | null;
  lastOkAt: string | null;
  lastAsOf: string | null;
  lastError: string | null;
  maxRateAgeHours: number;
}

const TEXT = {
  en: { title: 'Exchange rates', source: 'Source', asOf: 'Rates of', fetched: 'Last fetch', error: 'Last error', stale: 'The rates are older than the allowed age: prices keep the last good rate.', fetch: 'Fetch now', pair: 'Pair', rate: 'Rate', history: 'History', at: 'Fetched', manual: 'Manual rate', base: 'From', quote: 'To', date: 'Date (empty: today)', add: 'Add rate', added: 'Rate added' },
  'zh-CN': { title: '汇率', source: '来源', asOf: '汇率日期', fetched: '最近获取', error: '最近错误', stale: '汇率已超过允许的时长：价格沿用最后一次有效汇率。', fetch: '立即获取', pair: '货币对', rate: '汇率', history: '历史', at: '获取时间', manual: '手动汇率', base: '源币种', quote: '目标币种', date: '日期（留空：今天）', add: '添加汇率', added: '已添加汇率' },
  ja: { title: '為替レート', source: 'ソース', asOf: 'レートの日付', fetched: '最終取得', error: '最新のエラー', stale: 'レートが許容期間を過ぎています：価格は最後の有効なレートのままです。', fetch: '今すぐ取得', pair: '通貨ペア', rate: 'レート', history: '履歴', at: '取得日時', manual: '手動レート', base: '元の通貨', quote: '換算先の通貨', date: '日付（空欄：今日）', add: 'レートを追加', added: 'レートを追加しました' },
};

/** A rate typed by staff (units of `quote` per one `base`): the API validates it and names a bad field. */
function ManualRate({ text, onAdded }: { text: (typeof TEXT)['en']; onAdded: () => Promise<void> }) {
  const [base, setBase] = useState('');
  const [quote, setQuote] = useState('');
  const [rate, setRate] = useState('');
  const [asOf, setAsOf] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setDone(false);
    try {
      await storeApi('POST', '/cross-border/rates', { body: { base: base.trim().toUpperCase(), quote: quote.trim().toUpperCase(), rate: rate.trim(), ...(asOf.trim() ? { asOf: asOf.trim() } : {}) } });
      setRate('');
      setDone(true);
      await onAdded();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Paper withBorder p="md" mb="md" component="form" onSubmit={(e: FormEvent) => void submit(e)} data-testid="manual-rate-form" aria-label={text.manual}>
      <Title order={2} size="h4" mb="sm">
        {text.manual}
      </Title>
      <ErrorAlert error={error} />
      {done && <Alert color="green" mb="sm" role="status">{text.added}</Alert>}
      <Group align="flex-end" gap="sm">
        <TextInput label={text.base} value={base} onChange={(e) => setBase(e.currentTarget.value)} maxLength={3} w={90} />
        <TextInput label={text.quote} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} maxLength={3} w={90} />
        <TextInput label={text.rate} value={rate} onChange={(e) => setRate(e.currentTarget.value)} w={140} />
        <TextInput label={text.date} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} placeholder="2026-12-07" w={180} />
        <Button type="submit">{text.add}</Button>
      </Group>
    </Paper>
  );
}

export default function RatesPage() {
  const { i18n } = useTranslation();
  const text = i18n.language === 'zh-CN' ? TEXT['zh-CN'] : i18n.language === 'ja' ? TEXT.ja : TEXT.en;
  const session = useSession('store');
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const status = useQuery({ queryKey: ['store', session?.tenant, 'cross-border-rate-status'], queryFn: () => storeApi<Status>('GET', '/cross-border/rates/status') });
  const fetchNow = async () => {
    setError(null);
    setBusy(true);
    try {
      await storeApi('POST', '/cross-border/rates/fetch', { body: {} });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'cross-border-rate-status'] });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'cross-border-rates'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      <ErrorAlert error={error} />
      {status.isPending ? (
        <Loading />
      ) : status.error ? (
        <ErrorAlert error={status.error} />
      ) : (
        <>
          {status.data.stale && <Alert color="orange" mb="sm">{text.stale}</Alert>}
          <Group mb="sm" gap="xl">
            <Text>{text.source}: <Data>{status.data.source}</Data></Text>
            <Text>{text.asOf}: <Data>{status.data.lastAsOf ?? '-'}</Data></Text>
            <Text>{text.fetched}: {status.data.lastFetchAt ? <DateText value={status.data.lastFetchAt} /> : '-'}</Text>
            {status.data.lastError && <Text>{text.error}: <Data>{status.data.lastError}</Data></Text>}
            <Button size="compact-sm" variant="default" loading={busy} onClick={() => void fetchNow()}>{text.fetch}</Button>
          </Group>
        </>
      )}
      <ManualRate
        text={text}
        onAdded={async () => {
          await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'cross-border-rates'] });
          await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'cross-border-rate-status'] });
        }}
      />
      <ServerTable<Rate>
        label={text.history}
        queryKey={['store', session?.tenant, 'cross-border-rates']}
        fetchPage={(cursor) => storeApi<Page<Rate>>('GET', '/cross-border/rates', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.asOf, cell: (r) => <Data>{r.asOf}</Data> },
          { header: text.source, cell: (r) => <Data>{r.source}</Data> },
          { header: text.pair, cell: (r) => <Data>{`${r.base} → ${r.quote}`}</Data> },
          { header: text.rate, cell: (r) => <Data>{r.rate}</Data> },
          { header: text.at, cell: (r) => <DateText value={r.fetchedAt} /> },
        ]}
      />
    </>
  );
}
