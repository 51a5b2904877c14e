// One customer: their record, what their orders come to (counted by the API), the addresses
// they used, and their orders a page at a time (for roles that may read orders).
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { Data, DateText, ErrorAlert, Loading, Money, PageTitle, Pager, useCursorPager } from '../../components';
import type { OrderSummary } from './orders-api';
import { OrdersTable } from './OrdersTable';
import type { Customer } from './Customers';
import { WidgetZone } from '../../widgets';

interface Address {
  name?: string;
  company?: string;
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  phone?: string;
}

interface Summary {
  orders: number;
  spent: { currency: string; amount: number }[];
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  addresses: { kind: 'shipping' | 'billing'; address: Address; lastUsedAt: string }[];
}

function AddressBlock({ a }: { a: Address }) {
  const lines = [a.name, a.company, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), [a.region, a.country].filter(Boolean).join(', '), a.phone].filter((l) => l && l.trim());
  return (
    <Data>
      {lines.map((l, i) => (
        <div key={i}>{l}</div>
      ))}
    </Data>
  );
}

function CustomerOrders({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const session = useSession('store');
  const pager = useCursorPager();
  const q = useQuery({
    queryKey: ['store', session?.tenant, 'customer', customerId, 'orders', pager.cursor],
    queryFn: () => storeApi<Page<OrderSummary>>('GET', '/orders', { query: { customerId, cursor: pager.cursor, limit: 20 } }),
  });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  return (
    <>
      <OrdersTable label={t('customers.orders')} orders={q.data.items} customer={false} />
      <Pager pager={pager} nextCursor={q.data.nextCursor} />
    </>
  );
}

export default function CustomerDetail() {
  const { t } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const { customerId } = useParams({ strict: false }) as { customerId: string };
  const customer = useQuery({ queryKey: ['store', session?.tenant, 'customer', customerId], queryFn: () => storeApi<Customer>('GET', `/customers/${customerId}`) });
  const summary = useQuery({ queryKey: ['store', session?.tenant, 'customer', customerId, 'summary'], queryFn: () => storeApi<Summary>('GET', `/customers/${customerId}/summary`) });
  if (customer.isPending || summary.isPending) return <Loading />;
  if (customer.error || summary.error) return <ErrorAlert error={customer.error ?? summary.error} />;
  const c = customer.data;
  const s = summary.data;
  return (
    <>
      <PageTitle>
        <Data>{c.name}</Data>
      </PageTitle>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} mb="md">
        <Card withBorder>
          <Text size="sm">{t('common.email')}</Text>
          <Text fw={600}>
            <Data>{c.email}</Data>
          </Text>
          <Text size="xs">
            {t('customers.since')} <DateText value={c.createdAt} />
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">{t('customers.orderCount')}</Text>
          <Text fz={24} fw={700} data-testid="customer-orders">
            {s.orders}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">{t('customers.spent')}</Text>
          <Stack gap={0} data-testid="customer-spent">
            {s.spent.length ? s.spent.map((x) => <Text key={x.currency} fw={700}><Money amount={x.amount} currency={x.currency} /></Text>) : <Text fw={700}>0</Text>}
          </Stack>
        </Card>
        <Card withBorder>
          <Text size="sm">{t('customers.lastOrder')}</Text>
          <Text fw={600}>{s.lastOrderAt ? <DateText value={s.lastOrderAt} /> : t('common.none')}</Text>
        </Card>
      </SimpleGrid>
      <WidgetZone zone="customer.details.main" entityId={customerId} />
      <Title order={2} size="h4" mb="sm">
        {t('customers.addresses')}
      </Title>
      {s.addresses.length === 0 ? (
        <Text size="sm" mb="md">
          {t('common.none')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mb="md">
          {s.addresses.map((a, i) => (
            <Card withBorder key={i} data-testid="customer-address">
              <Group justify="space-between" mb={4}>
                <Text size="sm" fw={600}>
                  {t(`customers.${a.kind}`)}
                </Text>
                <Text size="xs">
                  <DateText value={a.lastUsedAt} />
                </Text>
              </Group>
              <AddressBlock a={a.address} />
            </Card>
          ))}
        </SimpleGrid>
      )}
      {allows(me.data?.permissions ?? [], 'orders:read') && (
        <>
          <Title order={2} size="h4" mb="sm">
            {t('customers.orders')}
          </Title>
          <CustomerOrders customerId={customerId} />
        </>
      )}
      <WidgetZone zone="customer.details.side" entityId={customerId} />
    </>
  );
}
