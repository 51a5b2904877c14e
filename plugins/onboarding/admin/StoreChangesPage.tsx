// The store's own change requests (GET /admin/v1/onboarding/changes, newest first, a page at a
// time from the server), filtered by status; one waiting for review may be withdrawn (POST
// .../changes/:id/cancel). A refusal (already decided: 409) shows as the API's problem.
import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { storeApi, useSession, AnchorLink, useCursorPager, ServerTable, PageTitle, DateText, Data, ErrorAlert, StatusBadge, hasPermission, useMe, type Page, usePluginText } from '@bazaar/console';
import { STORE_TEXT, fill } from './store-text';

interface Change {
  id: string;
  productId: string;
  status: 'pending' | 'confirmed' | 'declined' | 'canceled';
  actions: { at: string }[];
  patch: Record<string, unknown>;
  reasons: string[];
  note: string | null;
  proposedAt: string;
  slaDueAt: string;
}

const STATUSES = ['pending', 'confirmed', 'declined', 'canceled'] as const;

export default function StoreChangesPage() {
  const text = usePluginText(STORE_TEXT);
  const session = useSession('store');
  const me = useMe();
  const canWrite = hasPermission(me.data?.permissions ?? [], 'onboarding:write');
  const qc = useQueryClient();
  const pager = useCursorPager();
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const key = ['store', session?.tenant, 'onboarding-own-changes', status];
  const cancel = async (c: Change) => {
    setError(null);
    setDone(false);
    try {
      await storeApi('POST', `/onboarding/changes/${c.id}/cancel`, { body: {} });
      setDone(true);
    } catch (err) {
      setError(err);
    }
    await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'onboarding-own-changes'] });
  };
  return (
    <>
      <PageTitle>{text.changes}</PageTitle>
      <Text size="sm" mb="md">{text.changesIntro}</Text>
      <Group mb="sm">
        <NativeSelect
          label={text.status}
          value={status}
          onChange={(e) => {
            setStatus(e.currentTarget.value);
            pager.reset();
          }}
          data={[{ value: '', label: text.all }, ...STATUSES.map((s) => ({ value: s, label: text.statuses[s] }))]}
        />
      </Group>
      <ErrorAlert error={error} />
      {done && <Alert color="teal" variant="light" role="status" mb="sm">{text.canceled}</Alert>}
      <ServerTable<Change>
        label={text.changes}
        pager={pager}
        queryKey={key}
        fetchPage={(cursor) => storeApi<Page<Change>>('GET', '/onboarding/changes', { query: { cursor, limit: 20, status: status || undefined } })}
        columns={[
          // Ids are time-ordered: their tail tells products apart.
          { header: text.product, cell: (c) => <AnchorLink to="/store/products/$productId" params={{ productId: c.productId }} size="sm"><Data>{c.productId.slice(-8)}</Data></AnchorLink> },
          { header: text.fields, cell: (c) => <Data>{Object.keys(c.patch).join(', ')}</Data> },
          { header: text.edits, cell: (c) => c.actions.length },
          { header: text.proposed, cell: (c) => <DateText value={c.proposedAt} /> },
          { header: text.reviewBy, cell: (c) => (c.status === 'pending' ? <DateText value={c.slaDueAt} /> : '—') },
          { header: text.status, cell: (c) => <span data-testid={`change-status-${c.id}`}>{text.statuses[c.status] ?? <StatusBadge status={c.status} />}</span> },
          { header: text.reasons, cell: (c) => <Data>{[c.reasons.join(', '), c.note].filter(Boolean).join(' · ')}</Data> },
          {
            header: '',
            cell: (c) =>
              c.status === 'pending' && canWrite ? (
                <Button size="compact-xs" variant="default" color="red" aria-label={fill(text.cancelLabel, { product: c.productId.slice(-8) })} data-testid={`cancel-${c.id}`} onClick={() => void cancel(c)}>
                  {text.cancel}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
