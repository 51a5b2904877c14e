// The platform's audit trail, newest first, filtered by store and action.
import { useState } from 'react';
import { Group, TextInput, Code } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { platformApi, type Page } from '../../api';
import { Data, DateText, PageTitle, useCursorPager } from '../../components';
import { ServerTable } from '../../list';

interface Entry {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId: string | null;
  requestId: string | null;
  createdAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function Audit() {
  const { t } = useTranslation();
  const [action, setAction] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [a] = useDebouncedValue(action.trim(), 300);
  const [tid] = useDebouncedValue(tenantId.trim(), 300);
  const pager = useCursorPager();
  const validTenant = UUID.test(tid) ? tid : undefined;
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Group mb="sm" align="end">
        <TextInput label={t('audit.action')} value={action} onChange={(e) => { setAction(e.currentTarget.value); pager.reset(); }} w={220} />
        <TextInput label={`${t('audit.tenant')} (${t('common.id')})`} value={tenantId} onChange={(e) => { setTenantId(e.currentTarget.value); pager.reset(); }} w={320} error={tid && !validTenant ? t('forms.invalid') : undefined} />
      </Group>
      <ServerTable<Entry>
        label={t('audit.title')}
        pager={pager}
        queryKey={['platform', 'audit', a, validTenant]}
        fetchPage={(cursor) => platformApi<Page<Entry>>('GET', '/audit', { query: { cursor, limit: 20, action: a || undefined, tenantId: validTenant } })}
        columns={[
          { header: t('audit.at'), cell: (e) => <DateText value={e.createdAt} /> },
          { header: t('audit.action'), cell: (e) => <Code translate="no">{e.action}</Code> },
          { header: t('audit.actor'), cell: (e) => <Data>{`${e.actorType}${e.actorId ? ' ' + e.actorId.slice(0, 8) : ''}`}</Data> },
          { header: t('audit.entity'), cell: (e) => <Data>{`${e.targetType}${e.targetId ? ' ' + e.targetId.slice(0, 8) : ''}`}</Data> },
          { header: t('audit.tenant'), cell: (e) => <Data>{e.tenantId?.slice(0, 8) ?? ''}</Data> },
        ]}
      />
    </>
  );
}
