import { AnchorLink } from '../../components';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { DateText, Money, PageTitle, StatusBadge, Data } from '../../components';
import { ServerTable } from '../../list';

interface Return {
  id: string;
  orderId: string;
  status: string;
  reason: string;
  currency: string;
  refundAmount: number;
  requestedAt: string;
}

export default function Returns() {
  const { t } = useTranslation();
  const session = useSession('store');
  return (
    <>
      <PageTitle>{t('returns.title')}</PageTitle>
      <ServerTable<Return>
        label={t('returns.title')}
        queryKey={['store', session?.tenant, 'returns']}
        fetchPage={(cursor) => storeApi<Page<Return>>('GET', '/returns', { query: { cursor, limit: 20 } })}
        columns={[
          { header: t('returns.order'), cell: (r) => <AnchorLink to="/store/orders/$orderId" params={{ orderId: r.orderId }}>{t('common.details')}</AnchorLink> },
          { header: t('common.status'), cell: (r) => <StatusBadge status={r.status} /> },
          { header: t('orders.reasonLabel'), cell: (r) => <Data>{r.reason}</Data> },
          { header: t('common.amount'), cell: (r) => <Money amount={r.refundAmount} currency={r.currency} /> },
          { header: t('common.created'), cell: (r) => <DateText value={r.requestedAt} /> },
        ]}
      />
    </>
  );
}
