// The dashboard's chart (recharts through @mantine/charts): a lazy chunk of its own.
import { AreaChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { useTranslation } from 'react-i18next';
import { formatMoney, minorDigits } from '../../components';

export default function SalesChart({ data, currency }: { data: { day: string; total: number }[]; currency: string }) {
  const { t, i18n } = useTranslation();
  const scale = 10 ** minorDigits(currency);
  const rows = data.map((d) => ({ day: d.day.slice(5), total: d.total / scale }));
  return (
    <div role="img" aria-label={t('dashboard.sales')} translate="no">
      <AreaChart
        h={220}
        data={rows}
        dataKey="day"
        series={[{ name: 'total', label: currency, color: 'indigo.8' }]}
        curveType="monotone"
        valueFormatter={(v) => formatMoney(Math.round(v * scale), currency, i18n.language)}
        withDots={false}
      />
    </div>
  );
}
