// Exchange rates: the store's source and its health (GET /admin/v1/cross-border/rates/status),
// a fetch now (POST /rates/fetch), and the history, newest first (GET /rates).
import { useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
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
  en: { title: 'Exchange rates', source: 'Source', asOf: 'Rates of', fetched: 'Last fetch', error: 'Last error', stale: 'The rates are older than the allowed age: prices keep the last good rate.', fetch: 'Fetch now', pair: 'Pair', rate: 'Rate', history: 'History', at: 'Fetched' },
  'zh-CN': { title: '汇率', source: '来源', asOf: '汇率日期', fetched: '最近获取', error: '最近错误', stale: '汇率已超过允许的时长：价格沿用最后一次有效汇率。', fetch: '立即获取', pair: '货币对', rate: '汇率', history: '历史', at: '获取时间' },
};

export default function RatesPage() {
  const { i18n } = useTranslation();
  const text = i18n.language === 'zh-CN' ? TEXT['zh-CN'] : TEXT.en;
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
