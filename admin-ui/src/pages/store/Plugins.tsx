import { AnchorLink } from '../../components';
// The store's plugins: on/off, version, and a link to each one's settings form.
import { useState } from 'react';
import { Button, Table } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { Data, EmptyRow, ErrorAlert, Loading, PageTitle, ScrollTable, StatusBadge } from '../../components';
import { useTenantPlugins, type TenantPlugin } from '../../plugin-pages';

export default function Plugins() {
  const { t } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'plugins:write');
  const qc = useQueryClient();
  const q = useTenantPlugins();
  const [error, setError] = useState<unknown>(null);
  const toggle = async (p: TenantPlugin) => {
    setError(null);
    try {
      await storeApi('POST', `/plugins/${p.name}/${p.enabled ? 'disable' : 'enable'}`, { body: {} });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle>{t('plugins.title')}</PageTitle>
      <ErrorAlert error={error} />
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} />
      ) : (
        <ScrollTable label={t('plugins.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('plugins.version')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((p) => (
              <Table.Tr key={p.name} data-testid={`plugin-${p.name}`}>
                <Table.Td>
                  <AnchorLink to="/store/plugins/$name" params={{ name: p.name }} translate="no" id={`plugin-${p.name}-name`}>
                    {p.name}
                  </AnchorLink>
                  {p.description && (
                    <div>
                      <Data>{p.description}</Data>
                    </div>
                  )}
                </Table.Td>
                <Table.Td>
                  <Data>{p.version}</Data>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={p.enabled ? 'enabled' : 'disabled'} />
                </Table.Td>
                <Table.Td>
                  {canWrite && (
                    <Button size="compact-sm" variant={p.enabled ? 'default' : 'filled'} onClick={() => void toggle(p)} aria-describedby={`plugin-${p.name}-name`}>
                      {t(p.enabled ? 'plugins.disable' : 'plugins.enable')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
            {q.data.items.length === 0 && <EmptyRow cols={4} />}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}
