// Orders: status and customer-email filters, keyset pages from the server.
import { useState } from 'react';
import { Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { ErrorAlert, Loading, PageTitle, Pager, useCursorPager } from '../../components';
import type { OrderSummary } from './orders-api';
import { OrdersTable } from './OrdersTable';

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
            <OrdersTable label={t('orders.title')} orders={q.data.items} />
            <Pager pager={pager} nextCursor={q.data.nextCursor} />
          </>
        )
      )}
    </>
  );
}
