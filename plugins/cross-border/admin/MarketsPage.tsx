// The store's markets (GET /admin/v1/cross-border/markets): countries, currency, tax display,
// duties, rate mode, adjustment and rounding. Changes go through the Admin API (audited).
import { Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, useSession, PageTitle, Data, ScrollTable, ErrorAlert, Loading, EmptyRow } from '@bazaar/console';

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
  dutiesMode: string;
  fxMode: string;
  manualRate: string | null;
  adjustmentPct: string | null;
  rounding: { mode: string; step: string; ending: string } | null;
}

const TEXT = {
  en: { title: 'Markets', code: 'Code', name: 'Name', countries: 'Countries', currency: 'Currency', tax: 'Prices', incl: 'with tax', excl: 'before tax', duties: 'Duties', rate: 'Rate', automatic: 'automatic', manual: 'manual', adjustment: 'Adjustment', rounding: 'Rounding', isDefault: 'default' },
  'zh-CN': { title: '市场', code: '代码', name: '名称', countries: '国家', currency: '币种', tax: '价格', incl: '含税', excl: '不含税', duties: '关税', rate: '汇率', automatic: '自动', manual: '手动', adjustment: '调价', rounding: '取整', isDefault: '默认' },
};

export default function MarketsPage() {
  const { i18n } = useTranslation();
  const text = i18n.language === 'zh-CN' ? TEXT['zh-CN'] : TEXT.en;
  const session = useSession('store');
  const markets = useQuery({ queryKey: ['store', session?.tenant, 'cross-border-markets'], queryFn: () => storeApi<{ items: Market[] }>('GET', '/cross-border/markets') });
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      {markets.isPending ? (
        <Loading />
      ) : markets.error ? (
        <ErrorAlert error={markets.error} />
      ) : (
        <ScrollTable label={text.title}>
          <Table.Thead>
            <Table.Tr>
              {[text.code, text.name, text.countries, text.currency, text.tax, text.duties, text.rate, text.adjustment, text.rounding].map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {markets.data.items.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td><Data>{m.isDefault ? `${m.code} (${text.isDefault})` : m.code}</Data></Table.Td>
                <Table.Td>{m.name}</Table.Td>
                <Table.Td><Data>{m.countries.join(', ')}</Data></Table.Td>
                <Table.Td><Data>{m.currency}</Data></Table.Td>
                <Table.Td>{`${m.pricesIncludeTax ? text.incl : text.excl}${m.taxRateBp === null ? '' : ` ${m.taxRateBp / 100}%`}`}</Table.Td>
                <Table.Td><Data>{m.dutiesMode}</Data></Table.Td>
                <Table.Td><Data>{m.fxMode === 'manual' ? `${text.manual} ${m.manualRate ?? ''}` : text.automatic}</Data></Table.Td>
                <Table.Td><Data>{m.adjustmentPct ? `${m.adjustmentPct}%` : ''}</Data></Table.Td>
                <Table.Td><Data>{m.rounding ? `${m.rounding.mode} ${m.rounding.ending} / ${m.rounding.step}` : ''}</Data></Table.Td>
              </Table.Tr>
            ))}
            {markets.data.items.length === 0 && <EmptyRow cols={9} />}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}
