// Fraud review: referral payouts held because the referee shares a phone or an address with the
// referrer (GET /admin/v1/membership/flags; approve pays, reject does not; both audited), and
// manual adjustments above a staff member's daily cap, waiting for a second staff member.
import { useState } from 'react';
import { Button, Group, NativeSelect, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { storeApi, useSession, useCursorPager, ServerTable, PageTitle, DateText, Data, ErrorAlert, type Page } from '@bazaar/console';
import { useText } from './text';

interface FlagRow {
  id: string;
  memberId: string;
  otherMemberId: string | null;
  via: ('phone' | 'address')[];
  points: number;
  status: 'open' | 'approved' | 'rejected';
  note: string | null;
  createdAt: string;
}
interface AdjustmentRow {
  id: string;
  memberId: string;
  points: number;
  growth: number;
  reasonCode: string;
  note: string | null;
  staffId: string;
  createdAt: string;
}

export default function ReviewPage() {
  const text = useText();
  const session = useSession('store');
  const qc = useQueryClient();
  const [status, setStatus] = useState('open');
  const [error, setError] = useState<unknown>(null);
  const pager = useCursorPager();
  const act = async (path: string) => {
    setError(null);
    try {
      await storeApi('POST', path, { body: {} });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'membership-review'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle>{text.flags}</PageTitle>
      <ErrorAlert error={error} />
      <Group mb="sm">
        <NativeSelect
          label={text.status}
          value={status}
          onChange={(e) => { setStatus(e.currentTarget.value); pager.reset(); }}
          data={[{ value: '', label: text.all }, ...(['open', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: text.statuses[s] }))]}
        />
      </Group>
      <ServerTable<FlagRow>
        label={text.flags}
        pager={pager}
        queryKey={['store', session?.tenant, 'membership-review', 'flags', status]}
        fetchPage={(cursor) => storeApi<Page<FlagRow>>('GET', '/membership/flags', { query: { cursor, limit: 20, status: status || undefined } })}
        columns={[
          { header: text.at, cell: (f) => <DateText value={f.createdAt} /> },
          { header: text.referee, cell: (f) => <Data>{f.memberId}</Data> },
          { header: text.referrer, cell: (f) => <Data>{f.otherMemberId ?? ''}</Data> },
          { header: text.via, cell: (f) => f.via.map((v) => text.viaKinds[v]).join(', ') },
          { header: text.payout, cell: (f) => <Data>{f.points}</Data> },
          { header: text.status, cell: (f) => <span data-testid={`flag-status-${f.memberId}`}>{text.statuses[f.status]}</span> },
          {
            header: '',
            cell: (f) =>
              f.status === 'open' ? (
                <Group gap="xs" data-testid={`flag-${f.memberId}`}>
                  <Button size="compact-xs" color="teal.9" onClick={() => void act(`/membership/flags/${f.id}/approve`)}>{text.approve}</Button>
                  <Button size="compact-xs" variant="outline" color="red.9" onClick={() => void act(`/membership/flags/${f.id}/reject`)}>{text.reject}</Button>
                </Group>
              ) : null,
          },
        ]}
      />
      <Title order={2} size="h4" mt="xl" mb="xs">{text.adjustments}</Title>
      <ServerTable<AdjustmentRow>
        label={text.adjustments}
        queryKey={['store', session?.tenant, 'membership-review', 'adjustments']}
        fetchPage={(cursor) => storeApi<Page<AdjustmentRow>>('GET', '/membership/adjustments', { query: { cursor, limit: 20, status: 'pending_approval' } })}
        columns={[
          { header: text.at, cell: (a) => <DateText value={a.createdAt} /> },
          { header: text.member, cell: (a) => <Data>{a.memberId}</Data> },
          { header: text.points, cell: (a) => <Data>{a.points}</Data> },
          { header: text.growth, cell: (a) => <Data>{a.growth}</Data> },
          { header: text.reasonCode, cell: (a) => text.reasonCodes[a.reasonCode as keyof typeof text.reasonCodes] ?? <Data>{a.reasonCode}</Data> },
          { header: text.staff, cell: (a) => <Data>{a.staffId}</Data> },
          {
            header: '',
            cell: (a) => (
              <Group gap="xs">
                <Button size="compact-xs" color="teal.9" onClick={() => void act(`/membership/adjustments/${a.id}/approve`)}>{text.approve}</Button>
                <Button size="compact-xs" variant="outline" color="red.9" onClick={() => void act(`/membership/adjustments/${a.id}/reject`)}>{text.reject}</Button>
              </Group>
            ),
          },
        ]}
      />
    </>
  );
}
