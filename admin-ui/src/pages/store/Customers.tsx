import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { DateText, PageTitle, Data } from '../../components';
import { ServerTable } from '../../list';

interface Customer {
  id: string;
  email: string;
  name: string;
  locale?: string | null;
  createdAt: string;
}

export default function Customers() {
  const { t } = useTranslation();
  const session = useSession('store');
  return (
    <>
      <PageTitle>{t('customers.title')}</PageTitle>
      <ServerTable<Customer>
        label={t('customers.title')}
        queryKey={['store', session?.tenant, 'customers']}
        fetchPage={(cursor) => storeApi<Page<Customer>>('GET', '/customers', { query: { cursor, limit: 20 } })}
        columns={[
          { header: t('common.name'), cell: (c) => <Data>{c.name}</Data> },
          { header: t('common.email'), cell: (c) => <Data>{c.email}</Data> },
          { header: t('customers.locale'), cell: (c) => <Data>{c.locale ?? ''}</Data> },
          { header: t('common.created'), cell: (c) => <DateText value={c.createdAt} /> },
        ]}
      />
    </>
  );
}
