import { AnchorLink } from '../../components';
// Orders: status and customer-email filters, keyset pages from the server.
import { useState } from 'react';
import { Group, Select, Table, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { Data, DateText, EmptyRow, ErrorAlert, Loading, Money, PageTitle, Pager, ScrollTable, StatusBadge, useCursorPager } from '../../components';
import type { OrderSummary } from './orders-api';

export const ORDER_STATUSES = ['pending_payment', 'on_hold', 'paid', 'fulfilling', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded'];

export default function Orders() {
  const { t } = useTranslation();
  const session = useSession('store');
  const [status, setStatus] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [debounced] = useDebouncedValue(email.trim(), 300);
  const pager = useCursorPager();
  const validEmail = /^[^@\s]+@[^@\s]+$/.test(debounced) ? debounced : undefined;
  const q = useQuery({
    queryKey: ['store', session?.tenant, 'orders', status, validEmail, pager.cursor],
    queryFn: () => storeApi<Page<OrderSummary>>('GET', '/orders', { query: { status, email: validEmail, cursor: pager.cursor, limit: 20 } }),
  });
  return (
    <>
      <PageTitle>{t('orders.title')}</PageTitle>
      <Group mb="sm" align="end">
        <Select
          label={t('common.status')}
          data={[{ value: '', label: t('common.all') }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          value={status ?? ''}
          onChange={(v) => {
            setStatus(v || null);
            pager.reset();
          }}
          allowDeselect={false}
          w={200}
        />
        <TextInput
          label={t('orders.emailFilter')}
          type="email"
          value={email}
          onChange={(e) => {
            setEmail(e.currentTarget.value);
            pager.reset();
          }}
          w={260}
        />
      </Group>
      <ErrorAlert error={q.error} />
      {q.isPending ? (
        <Loading />
      ) : (
        q.data && (
          <>
            <ScrollTable label={t('orders.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('orders.number')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('orders.payment')}</Table.Th>
                  <Table.Th>{t('orders.customer')}</Table.Th>
                  <Table.Th>{t('common.total')}</Table.Th>
                  <Table.Th>{t('orders.placed')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {q.data.items.map((o) => (
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
                      <StatusBadge status={o.paymentStatus} />
                    </Table.Td>
                    <Table.Td>
                      <Data>{o.email}</Data>
                    </Table.Td>
                    <Table.Td>
                      <Money amount={o.total} currency={o.currency} />
                    </Table.Td>
                    <Table.Td>
                      <DateText value={o.placedAt} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {q.data.items.length === 0 && <EmptyRow cols={6} />}
              </Table.Tbody>
            </ScrollTable>
            <Pager pager={pager} nextCursor={q.data.nextCursor} />
          </>
        )
      )}
    </>
  );
}
