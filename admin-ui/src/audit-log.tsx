// The audit trail, in both consoles: filters (action or its prefix, actor, entity, time, and the
// store on the platform side), a detail of each entry (reason, request id, what was asked and
// the state before and after), and a CSV export of what the filters select.
import { useState } from 'react';
import { Button, Code, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { api, download, type Page } from './api';
import { Data, DateText, ErrorAlert, PageTitle, useCursorPager } from './components';
import { ServerTable } from './list';
import { useSession } from './layout/Shell';
import type { Scope } from './session';

export interface AuditEntry {
  id: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId: string | null;
  createdAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTOR_TYPES = ['staff', 'apiKey', 'platform', 'system'];

/** A date input's day as the start of that day in the browser's zone (ISO), or undefined. */
function dayStart(value: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function AuditLog({ scope }: { scope: Scope }) {
  const { t } = useTranslation();
  const session = useSession(scope);
  const [action, setAction] = useState('');
  const [actorType, setActorType] = useState('');
  const [actorId, setActorId] = useState('');
  const [targetId, setTargetId] = useState('');
  const [tenantId, setTenantId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const [debounced] = useDebouncedValue({ action: action.trim(), actorId: actorId.trim(), targetId: targetId.trim(), tenantId: tenantId.trim() }, 300);
  const pager = useCursorPager();
  const reset = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    pager.reset();
  };
  const tenantOk = !debounced.tenantId || UUID.test(debounced.tenantId);
  const filters = {
    action: debounced.action || undefined,
    actorType: actorType || undefined,
    actorId: debounced.actorId || undefined,
    targetId: debounced.targetId || undefined,
    tenantId: scope === 'platform' && tenantOk ? debounced.tenantId || undefined : undefined,
    from: dayStart(from),
    to: dayStart(to, 1),
  };
  const base = scope === 'store' ? '/admin/v1/audit' : '/platform/v1/audit';
  const exportCsv = async () => {
    setExportError(null);
    setExporting(true);
    try {
      await download(scope, `${base}/export`, filters, 'audit.csv');
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      <PageTitle
        actions={
          <Button size="xs" variant="default" onClick={() => void exportCsv()} loading={exporting} data-testid="audit-export">
            {t('audit.export')}
          </Button>
        }
      >
        {t('audit.title')}
      </PageTitle>
      <ErrorAlert error={exportError} />
      <Group mb="sm" align="end" wrap="wrap" data-testid="audit-filters">
        <TextInput label={t('audit.action')} description={t('audit.actionHint')} value={action} onChange={(e) => reset(setAction)(e.currentTarget.value)} w={220} />
        <NativeSelect label={t('audit.actorType')} value={actorType} onChange={(e) => reset(setActorType)(e.currentTarget.value)} data={[{ value: '', label: t('common.all') }, ...ACTOR_TYPES.map((a) => ({ value: a, label: t(`audit.actors.${a}`) }))]} w={160} />
        <TextInput label={t('audit.actorId')} value={actorId} onChange={(e) => reset(setActorId)(e.currentTarget.value)} w={200} />
        <TextInput label={t('audit.targetId')} value={targetId} onChange={(e) => reset(setTargetId)(e.currentTarget.value)} w={200} />
        {scope === 'platform' && <TextInput label={`${t('audit.tenant')} (${t('common.id')})`} value={tenantId} onChange={(e) => reset(setTenantId)(e.currentTarget.value)} w={300} error={tenantOk ? undefined : t('forms.invalid')} />}
        <TextInput type="date" label={t('audit.from')} value={from} onChange={(e) => reset(setFrom)(e.currentTarget.value)} w={160} />
        <TextInput type="date" label={t('audit.to')} value={to} onChange={(e) => reset(setTo)(e.currentTarget.value)} w={160} />
      </Group>
      <ServerTable<AuditEntry>
        label={t('audit.title')}
        pager={pager}
        queryKey={[scope, scope === 'store' ? session?.tenant : session?.email, 'audit', filters]}
        fetchPage={(cursor) => api<Page<AuditEntry>>(scope, 'GET', base, { query: { cursor, limit: 25, ...filters } })}
        columns={[
          { header: t('audit.at'), cell: (e) => <DateText value={e.createdAt} /> },
          { header: t('audit.action'), cell: (e) => <Code translate="no">{e.action}</Code> },
          { header: t('audit.actor'), cell: (e) => <Data>{`${e.actorType}${e.actorId ? ' ' + e.actorId.slice(0, 8) : ''}`}</Data> },
          { header: t('audit.entity'), cell: (e) => <Data>{`${e.targetType}${e.targetId ? ' ' + e.targetId.slice(0, 8) : ''}`}</Data> },
          ...(scope === 'platform' ? [{ header: t('audit.tenant'), cell: (e: AuditEntry) => <Data>{e.tenantId?.slice(0, 8) ?? ''}</Data> }] : []),
          { header: t('audit.reason'), cell: (e) => <Data>{e.reason ?? ''}</Data> },
          {
            header: t('common.details'),
            cell: (e) => (
              <Button size="compact-xs" variant="subtle" onClick={() => setOpen(e)} data-testid={`audit-${e.id}`}>
                {t('common.details')}
              </Button>
            ),
          },
        ]}
      />
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={t('audit.entry')} size="lg">
        {open && (
          <Stack gap="xs" data-testid="audit-entry">
            <Text size="sm">
              {t('audit.at')}: <DateText value={open.createdAt} />
            </Text>
            <Text size="sm">
              {t('audit.action')}: <Data>{open.action}</Data>
            </Text>
            <Text size="sm">
              {t('audit.actor')}: <Data>{`${open.actorType} ${open.actorId ?? ''}`}</Data>
            </Text>
            <Text size="sm">
              {t('audit.entity')}: <Data>{`${open.targetType} ${open.targetId ?? ''}`}</Data>
            </Text>
            <Text size="sm">
              {t('audit.reason')}: <Data>{open.reason ?? ''}</Data>
            </Text>
            <Text size="sm">
              {t('audit.requestId')}: <Data>{open.requestId ?? ''}</Data>
            </Text>
            <Text size="sm" fw={600}>
              {t('audit.before')}
            </Text>
            {/* A long state scrolls in its box; the box takes the focus so a keyboard can scroll it. */}
            <Code block translate="no" tabIndex={0} aria-label={t('audit.before')} mah={320} style={{ overflow: 'auto' }} data-testid="audit-before">{JSON.stringify(open.before ?? null, null, 2)}</Code>
            <Text size="sm" fw={600}>
              {t('audit.after')}
            </Text>
            <Code block translate="no" tabIndex={0} aria-label={t('audit.after')} mah={320} style={{ overflow: 'auto' }} data-testid="audit-after">{JSON.stringify(open.after ?? null, null, 2)}</Code>
          </Stack>
        )}
      </Modal>
    </>
  );
}
