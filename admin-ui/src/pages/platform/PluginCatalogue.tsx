// Every plugin the platform has loaded: installed or not, and to whom it is available.
import { useState } from 'react';
import { Button, Table } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi } from '../../api';
import { Data, EmptyRow, ErrorAlert, Loading, PageTitle, ScrollTable } from '../../components';

interface PlatformPlugin {
  name: string;
  version: string;
  description?: string | null;
  scope: string;
  installed: boolean;
  installedVersion: string | null;
  availableTo: string | null;
}

export default function PluginCatalogue() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['platform', 'plugins'], queryFn: () => platformApi<{ items: PlatformPlugin[] }>('GET', '/plugins') });
  const [error, setError] = useState<unknown>(null);
  const install = async (p: PlatformPlugin) => {
    setError(null);
    try {
      await platformApi('POST', `/plugins/${p.name}/install`, { body: {} });
      await qc.invalidateQueries({ queryKey: ['platform'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle>{t('nav.catalogue')}</PageTitle>
      <ErrorAlert error={error} />
      {q.isPending ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} />
      ) : (
        <ScrollTable label={t('nav.catalogue')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('plugins.version')}</Table.Th>
              <Table.Th>{t('plugins.scope')}</Table.Th>
              <Table.Th>{t('plugins.installed')}</Table.Th>
              <Table.Th>{t('plugins.availableTo')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {q.data.items.map((p) => (
              <Table.Tr key={p.name}>
                <Table.Td>
                  <Data>{p.name}</Data>
                  {p.description && (
                    <div>
                      <Data>{p.description}</Data>
                    </div>
                  )}
                </Table.Td>
                <Table.Td>
                  <Data>{p.installedVersion ?? p.version}</Data>
                </Table.Td>
                <Table.Td>
                  <Data>{p.scope}</Data>
                </Table.Td>
                <Table.Td>
                  {p.installed ? (
                    t('common.yes')
                  ) : (
                    <Button size="compact-sm" onClick={() => void install(p)} aria-label={`${t('plugins.install')} ${p.name}`}>
                      {t('plugins.install')}
                    </Button>
                  )}
                </Table.Td>
                <Table.Td>
                  <Data>{p.availableTo ?? ''}</Data>
                </Table.Td>
              </Table.Tr>
            ))}
            {q.data.items.length === 0 && <EmptyRow cols={5} />}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}
