// Customers, newest first, a page at a time; a name opens the customer's page.
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { AnchorLink, DateText, PageTitle, Data } from '../../components';
import { ServerTable } from '../../list';

export interface Customer {
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
          {
            header: t('common.name'),
            cell: (c) => (
              <AnchorLink to="/store/customers/$customerId" params={{ customerId: c.id }} translate="no">
                {c.name}
              </AnchorLink>
            ),
          },
          { header: t('common.email'), cell: (c) => <Data>{c.email}</Data> },
          { header: t('customers.locale'), cell: (c) => <Data>{c.locale ?? ''}</Data> },
          { header: t('common.created'), cell: (c) => <DateText value={c.createdAt} /> },
        ]}
      />
    </>
  );
}
