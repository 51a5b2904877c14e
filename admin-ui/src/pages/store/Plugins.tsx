// The store's plugins: on/off, version, and a link to each one's settings form.
import { useState } from 'react';
import { Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { AnchorLink, ErrorAlert, Loading, PageTitle, StatusBadge } from '../../components';
import { useTenantPlugins, type TenantPlugin } from '../../plugin-pages';
import { PluginTable } from '../../plugin-table';

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
        <PluginTable<TenantPlugin>
          label={t('plugins.title')}
          items={q.data.items}
          name={(p) => (
            <AnchorLink to="/store/plugins/$name" params={{ name: p.name }} translate="no" id={`plugin-${p.name}-name`}>
              {p.name}
            </AnchorLink>
          )}
          columns={[
            { header: t('common.status'), cell: (p) => <StatusBadge status={p.enabled ? 'enabled' : 'disabled'} /> },
            {
              header: t('common.actions'),
              cell: (p) =>
                canWrite && (
                  <Button size="compact-sm" variant={p.enabled ? 'default' : 'filled'} onClick={() => void toggle(p)} aria-describedby={`plugin-${p.name}-name`}>
                    {t(p.enabled ? 'plugins.disable' : 'plugins.enable')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </>
  );
}
