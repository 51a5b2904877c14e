import { AnchorLink } from '../../components';
// The day's orders and revenue, the latest orders, and daily sales over 30 days (the chart is
// its own chunk, loaded with this page only).
import { lazy, Suspense } from 'react';
import { Card, Group, SimpleGrid, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../layout/Shell';
import { ErrorAlert, Loading, Money, PageTitle, StatusBadge, DateText, EmptyRow, ScrollTable, formatMoney } from '../../components';
import { ordersSince, type OrderSummary } from './orders-api';

const SalesChart = lazy(() => import('./SalesChart'));

const dayKey = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const counted = (o: OrderSummary) => o.status !== 'cancelled';

export function salesByDay(orders: OrderSummary[], currency: string, days = 30): { day: string; total: number }[] {
  const out = new Map<string, number>();
  const now = new Date();
  for (let i = days - 1; i >= 0; i--) out.set(dayKey(new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)), 0);
  for (const o of orders) {
    const k = dayKey(new Date(o.placedAt));
    if (o.currency === currency && counted(o) && out.has(k)) out.set(k, out.get(k)! + o.total);
  }
  return [...out].map(([day, total]) => ({ day, total }));
}

export default function Dashboard() {
  const { t, i18n } = useTranslation();
  const session = useSession('store');
  const from = new Date();
  from.setHours(0, 0, 0, 0);
  from.setDate(from.getDate() - 29);
  const q = useQuery({ queryKey: ['store', session?.tenant, 'dashboard'], queryFn: () => ordersSince(from) });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const orders = q.data.items;
  const today = dayKey(new Date());
  const todays = orders.filter((o) => dayKey(new Date(o.placedAt)) === today);
  const revenue = new Map<string, number>();
  for (const o of todays.filter(counted)) revenue.set(o.currency, (revenue.get(o.currency) ?? 0) + o.total);
  const byCurrency = new Map<string, number>();
  for (const o of orders) byCurrency.set(o.currency, (byCurrency.get(o.currency) ?? 0) + 1);
  const mainCurrency = [...byCurrency].sort((a, b) => b[1] - a[1])[0]?.[0];
  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
        <Card withBorder>
          <Text size="sm">{t('dashboard.ordersToday')}</Text>
          <Text fz={28} fw={700} data-testid="orders-today">
            {todays.length}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">{t('dashboard.revenueToday')}</Text>
          <Text fz={28} fw={700} data-testid="revenue-today" translate="no">
            {revenue.size ? [...revenue].map(([c, a]) => formatMoney(a, c, i18n.language)).join(' · ') : '0'}
          </Text>
        </Card>
      </SimpleGrid>
      <Card withBorder mb="md">
        <Title order={2} size="h4" mb="sm">
          {t('dashboard.sales')}
        </Title>
        {mainCurrency ? (
          <Suspense fallback={<Loading />}>
            <SalesChart data={salesByDay(orders, mainCurrency)} currency={mainCurrency} />
          </Suspense>
        ) : (
          <Text size="sm">{t('dashboard.noSales')}</Text>
        )}
        {!q.data.complete && <Text size="xs">{t('dashboard.basis', { n: orders.length })}</Text>}
      </Card>
      <Title order={2} size="h4" mb="sm">
        {t('dashboard.recent')}
      </Title>
      <ScrollTable label={t('dashboard.recent')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('orders.number')}</Table.Th>
            <Table.Th>{t('common.status')}</Table.Th>
            <Table.Th>{t('common.total')}</Table.Th>
            <Table.Th>{t('orders.placed')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {orders.slice(0, 5).map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                <AnchorLink to="/store/orders/$orderId" params={{ orderId: o.id }}>
                  #{o.number}
                </AnchorLink>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={o.status} />
              </Table.Td>
              <Table.Td>
                <Money amount={o.total} currency={o.currency} />
              </Table.Td>
              <Table.Td>
                <DateText value={o.placedAt} />
              </Table.Td>
            </Table.Tr>
          ))}
          {orders.length === 0 && <EmptyRow cols={4} />}
        </Table.Tbody>
      </ScrollTable>
      <Group />
    </>
  );
}
