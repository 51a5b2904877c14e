// The day's orders and revenue and daily sales over 30 days, as the API counts them in SQL, and
// the latest orders (the chart is its own chunk, loaded with this page only).
import { lazy, Suspense } from 'react';
import { Card, SimpleGrid, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../layout/Shell';
import { ErrorAlert, Loading, PageTitle, formatMoney } from '../../components';
import { latestOrders, salesFigures } from './orders-api';
import { OrdersTable } from './OrdersTable';
import { WidgetZone } from '../../widgets';

const SalesChart = lazy(() => import('./SalesChart'));

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const session = useSession('store');
  const figures = useQuery({ queryKey: ['store', session?.tenant, 'dashboard', 'sales'], queryFn: () => salesFigures(30) });
  const latest = useQuery({ queryKey: ['store', session?.tenant, 'dashboard', 'latest'], queryFn: () => latestOrders(5) });
  if (figures.isPending) return <Loading />;
  if (figures.error) return <ErrorAlert error={figures.error} />;
  const { today, days, currencies } = figures.data;
  const main = currencies[0];
  const revenue = today.revenue.filter((r) => r.amount !== 0);
  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
        <Card withBorder>
          <Text size="sm">{t('dashboard.ordersToday')}</Text>
          <Text fz={28} fw={700} data-testid="orders-today">
            {today.orders}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">{t('dashboard.revenueToday')}</Text>
          <Text fz={28} fw={700} data-testid="revenue-today" translate="no">
            {revenue.length ? revenue.map((r) => formatMoney(r.amount, r.currency, i18n.language)).join(' · ') : '0'}
          </Text>
        </Card>
      </SimpleGrid>
      <WidgetZone zone="dashboard.main" />
      <Card withBorder mb="md">
        <Title order={2} size="h4" mb="sm">
          {t('dashboard.sales')}
        </Title>
        {main ? (
          <Suspense fallback={<Loading />}>
            <SalesChart data={days.map((d) => ({ day: d.day, total: d.revenue.find((r) => r.currency === main)?.amount ?? 0 }))} currency={main} />
          </Suspense>
        ) : (
          <Text size="sm">{t('dashboard.noSales')}</Text>
        )}
      </Card>
      <Title order={2} size="h4" mb="sm">
        {t('dashboard.recent')}
      </Title>
      {latest.error ? <ErrorAlert error={latest.error} /> : latest.isPending ? <Loading /> : <OrdersTable label={t('dashboard.recent')} orders={latest.data.items} payment={false} customer={false} />}
    </>
  );
}
