// API keys: create with scopes (the secret is shown once), revoke.
import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, Stack, TextInput, MultiSelect } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { DateText, ErrorAlert, PageTitle, Data } from '../../components';
import { ServerTable } from '../../list';

interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  revokedAt?: string | null;
  lastUsedAt?: string | null;
  createdAt: string;
}
const SCOPES = ['*:read', 'catalog:read', 'catalog:write', 'inventory:read', 'inventory:write', 'orders:read', 'orders:write', 'customers:read', 'returns:read', 'returns:write', 'store:read', 'plugins:read'];

export default function ApiKeys() {
  const { t } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'api-keys:write');
  const qc = useQueryClient();
  const [opened, dialog] = useDisclosure();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['*:read']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'api-keys'] });
  const create = async () => {
    setError(null);
    try {
      const res = await storeApi<{ key?: string; token?: string; secret?: string }>('POST', '/api-keys', { body: { name: name.trim(), scopes } });
      setSecret(res.key ?? res.token ?? res.secret ?? null);
      setName('');
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (k: ApiKey) => {
    setError(null);
    try {
      await storeApi('DELETE', `/api-keys/${k.id}`);
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle actions={canWrite && <Button onClick={dialog.open}>{t('apiKeys.create')}</Button>}>{t('apiKeys.title')}</PageTitle>
      <ErrorAlert error={error} />
      <ServerTable<ApiKey>
        label={t('apiKeys.title')}
        queryKey={['store', session?.tenant, 'api-keys']}
        fetchPage={(cursor) => storeApi<Page<ApiKey>>('GET', '/api-keys', { query: { cursor, limit: 20 } })}
        columns={[
          { header: t('apiKeys.name'), cell: (k) => <Data>{k.name}</Data> },
          { header: t('apiKeys.prefix'), cell: (k) => <Code translate="no">{k.prefix}…</Code> },
          { header: t('plugins.permissions'), cell: (k) => <Data>{k.scopes.join(', ')}</Data> },
          { header: t('common.created'), cell: (k) => <DateText value={k.createdAt} /> },
          { header: t('common.actions'), cell: (k) => (canWrite && !k.revokedAt ? <Button size="compact-xs" variant="outline" color="red.9" onClick={() => void revoke(k)} aria-label={`${t('apiKeys.revoke')} ${k.name}`}>{t('apiKeys.revoke')}</Button> : null) },
        ]}
      />
      <Modal opened={opened} onClose={() => { dialog.close(); setSecret(null); }} title={t('apiKeys.create')}>
        <Stack>
          {secret ? (
            <Alert color="teal" variant="light" title={t('apiKeys.created')}>
              <Code block translate="no">{secret}</Code>
            </Alert>
          ) : (
            <>
              <TextInput label={t('apiKeys.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
              <MultiSelect label={t('plugins.permissions')} data={SCOPES} value={scopes} onChange={setScopes} />
              <ErrorAlert error={error} />
              <Group>
                <Button onClick={() => void create()} disabled={!name.trim() || scopes.length === 0}>
                  {t('common.create')}
                </Button>
              </Group>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}
