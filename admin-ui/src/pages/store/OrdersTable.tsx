// The order rows every list of orders shows (dashboard, orders, a customer's page): number
// linking to the order, status, optionally payment and customer, total and when placed.
import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AnchorLink, Data, DateText, EmptyRow, Money, ScrollTable, StatusBadge } from '../../components';
import type { OrderSummary } from './orders-api';

export function OrdersTable({ label, orders, payment = true, customer = true }: { label: string; orders: OrderSummary[]; payment?: boolean; customer?: boolean }) {
  const { t } = useTranslation();
  const cols = 4 + Number(payment) + Number(customer);
  return (
    <ScrollTable label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('orders.number')}</Table.Th>
          <Table.Th>{t('common.status')}</Table.Th>
          {payment && <Table.Th>{t('orders.payment')}</Table.Th>}
          {customer && <Table.Th>{t('orders.customer')}</Table.Th>}
          <Table.Th>{t('common.total')}</Table.Th>
          <Table.Th>{t('orders.placed')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {orders.map((o) => (
          <Table.Tr key={o.id}>
            <Table.Td>
              <AnchorLink to="/store/orders/$orderId" params={{ orderId: o.id }}>
                #{o.number}
              </AnchorLink>
            </Table.Td>
            <Table.Td>
              <StatusBadge status={o.status} />
            </Table.Td>
            {payment && (
              <Table.Td>
                <StatusBadge status={o.paymentStatus} />
              </Table.Td>
            )}
            {customer && (
              <Table.Td>
                <Data>{o.email}</Data>
              </Table.Td>
            )}
            <Table.Td>
              <Money amount={o.total} currency={o.currency} />
            </Table.Td>
            <Table.Td>
              <DateText value={o.placedAt} />
            </Table.Td>
          </Table.Tr>
        ))}
        {orders.length === 0 && <EmptyRow cols={cols} />}
      </Table.Tbody>
    </ScrollTable>
  );
}
