// One store: its facts, suspend/resume (with confirmation), closing it for good (a reason and its
// address name typed to confirm; the API refuses while it has open orders or returns), and which
// plugins it may use.
import { useState } from 'react';
import { Alert, Button, Card, Group, Modal, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { platformApi } from '../../api';
import { Data, DateText, ErrorAlert, Loading, PageTitle, ScrollTable, StatusBadge, EmptyRow } from '../../components';
import type { Tenant } from './Tenants';

interface Allowance {
  name: string;
  installed: boolean;
  allowed: boolean;
  allowedBy: 'platform' | 'default';
  enabled: boolean;
}

export default function TenantDetail() {
  const { t } = useTranslation();
  const { tenantId } = useParams({ strict: false }) as { tenantId: string };
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['platform', 'tenant', tenantId], queryFn: () => platformApi<Tenant>('GET', `/tenants/${tenantId}`) });
  const plugins = useQuery({ queryKey: ['platform', 'tenant', tenantId, 'plugins'], queryFn: () => platformApi<{ items: Allowance[] }>('GET', `/tenants/${tenantId}/plugins`) });
  const [confirming, setConfirming] = useState<null | 'suspend' | 'terminate'>(null);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      setConfirming(null);
      await qc.invalidateQueries({ queryKey: ['platform'] });
    } catch (err) {
      setError(err);
    }
  };
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const x = q.data;
  const fact = (label: string, value: React.ReactNode) => (
    <div>
      <Text size="xs">{label}</Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </div>
  );
  return (
    <>
      <PageTitle
        actions={
          x.status !== 'terminated' && (
            <>
              {x.status === 'active' ? (
                <Button color="red.9" variant="outline" onClick={() => { setError(null); setReason(''); setConfirming('suspend'); }}>
                  {t('tenants.suspend')}
                </Button>
              ) : (
                <Button onClick={() => void run(() => platformApi('POST', `/tenants/${x.id}/resume`, { body: {} }))}>{t('tenants.resume')}</Button>
              )}
              <Button color="red.9" onClick={() => { setError(null); setReason(''); setTyped(''); setConfirming('terminate'); }}>
                {t('tenants.terminate')}
              </Button>
            </>
          )
        }
      >
        <Data>{x.name}</Data>
      </PageTitle>
      {!confirming && <ErrorAlert error={error} />}
      {x.status === 'terminated' && (
        <Alert color="gray" variant="light" mb="md" data-testid="tenant-terminated">
          {t('tenants.terminatedNote')}
        </Alert>
      )}
      <Card withBorder mb="md">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          {fact(t('common.status'), <StatusBadge status={x.status} />)}
          {fact(t('tenants.slug'), <Data>{x.slug}</Data>)}
          {fact(t('tenants.placement'), <Data>{x.placement}</Data>)}
          {fact(t('settings.currencies'), <Data>{x.currencies.join(', ')}</Data>)}
          {fact(t('settings.defaultLocale'), <Data>{x.defaultLocale}</Data>)}
          {fact(t('common.created'), <DateText value={x.createdAt} />)}
        </SimpleGrid>
      </Card>
      <Title order={2} size="h4" mb="sm">
        {t('tenants.plugins')}
      </Title>
      {plugins.isPending ? (
        <Loading />
      ) : plugins.error ? (
        <ErrorAlert error={plugins.error} />
      ) : (
        <ScrollTable label={t('tenants.plugins')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('common.name')}</Table.Th>
              <Table.Th>{t('plugins.allowed')}</Table.Th>
              <Table.Th>{t('common.status')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plugins.data.items.map((p) => (
              <Table.Tr key={p.name}>
                <Table.Td>
                  <Data>{p.name}</Data>
                </Table.Td>
                <Table.Td>{p.allowed ? t('common.yes') : t('common.no')}</Table.Td>
                <Table.Td>
                  <StatusBadge status={p.enabled ? 'enabled' : 'disabled'} />
                </Table.Td>
                <Table.Td>
                  <Button size="compact-sm" variant="default" aria-label={`${t(p.allowed ? 'tenants.deny' : 'tenants.allow')} ${p.name}`} onClick={() => void run(() => platformApi('PUT', `/tenants/${x.id}/plugins/${p.name}`, { body: { allowed: !p.allowed } }))}>
                    {t(p.allowed ? 'tenants.deny' : 'tenants.allow')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
            {plugins.data.items.length === 0 && <EmptyRow cols={4} />}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Modal opened={confirming === 'terminate'} onClose={() => setConfirming(null)} title={t('tenants.terminate')}>
        <Stack>
          <Text size="sm">{t('tenants.terminateConfirm')}</Text>
          <TextInput label={t('tenants.terminateReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} required data-autofocus />
          <TextInput label={t('tenants.terminateSlug', { slug: x.slug })} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} autoComplete="off" required />
          <ErrorAlert error={error} />
          <Group>
            <Button color="red.9" disabled={!reason.trim() || typed.trim() !== x.slug} onClick={() => void run(() => platformApi('POST', `/tenants/${x.id}/terminate`, { body: { reason: reason.trim() } }))}>
              {t('tenants.terminate')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={confirming === 'suspend'} onClose={() => setConfirming(null)} title={t('tenants.suspend')}>
        <Stack>
          <Text size="sm">{t('tenants.suspendConfirm')}</Text>
          <TextInput label={t('orders.reasonLabel')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <ErrorAlert error={error} />
          <Group>
            <Button color="red.9" onClick={() => void run(() => platformApi('POST', `/tenants/${x.id}/suspend`, { body: reason.trim() ? { reason: reason.trim() } : {} }))}>
              {t('common.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
