// Every plugin the platform has loaded: installed or not, and to whom it is available.
import { useState } from 'react';
import { Button } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi } from '../../api';
import { Data, ErrorAlert, Loading, PageTitle } from '../../components';
import { PluginTable } from '../../plugin-table';

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
        <PluginTable<PlatformPlugin>
          label={t('nav.catalogue')}
          items={q.data.items}
          version={(p) => p.installedVersion ?? p.version}
          columns={[
            { header: t('plugins.scope'), cell: (p) => <Data>{p.scope}</Data> },
            {
              header: t('plugins.installed'),
              cell: (p) =>
                p.installed ? (
                  t('common.yes')
                ) : (
                  <Button size="compact-sm" onClick={() => void install(p)} aria-label={`${t('plugins.install')} ${p.name}`}>
                    {t('plugins.install')}
                  </Button>
                ),
            },
            { header: t('plugins.availableTo'), cell: (p) => <Data>{p.availableTo ?? ''}</Data> },
          ]}
        />
      )}
    </>
  );
}
