// Members (GET /admin/v1/membership/members: search by email prefix, member id or referral
// code; keyset pages) and the chosen member: balances, tier, a manual adjustment with a reason
// code (POST .../adjustments, audited, capped per staff member a day), both ledgers and the tier
// history, each paged on the server.
import { useState } from 'react';
import { Alert, Button, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { storeApi, useSession, useCursorPager, ServerTable, PageTitle, DateText, Data, ErrorAlert, Loading, WidgetZone, type Page } from '@bazaar/console';
import { useText, REASON_CODES } from './text';

interface MemberRow {
  id: string;
  email: string | null;
  name: string | null;
  referralCode: string;
  tierName: string | null;
  pointsAvailable: number;
  pointsPending: number;
  growthTotal: number;
}
interface Detail {
  memberId: string;
  email: string | null;
  name: string | null;
  referralCode: string;
  tier: { name: string } | null;
  tierExpiresAt: string | null;
  growth: { basis: string; value: number; lifetime: number; pending: number };
  nextTier: { name: string; threshold: number; remaining: number } | null;
  points: { available: number; pending: number; held: number; debt: number };
}
interface PointsRow {
  id: string;
  bizType: string;
  bizId: string;
  available: number;
  pending: number;
  held: number;
  note: string | null;
  createdAt: string;
}
interface GrowthRow {
  id: string;
  bizType: string;
  bizId: string;
  approved: number;
  pending: number;
  createdAt: string;
}
interface TierMove {
  id: string;
  from: { name: string | null } | null;
  to: { name: string | null } | null;
  move: 'up' | 'down' | 'renew' | 'removed';
  reason: 'growth' | 'term' | 'reversal' | 'config';
  growth: number;
  actor: string;
  createdAt: string;
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

export default function MembersPage() {
  const text = useText();
  const session = useSession('store');
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const pager = useCursorPager();
  const find = (value: string) => {
    setQ(value.trim());
    pager.reset();
  };
  return (
    <>
      <PageTitle>{text.members}</PageTitle>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          find(draft);
        }}
      >
        <Group mb="sm" align="end">
          <TextInput label={text.search} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} maxLength={254} w={320} data-testid="member-search" />
          <Button type="submit" variant="default">{text.find}</Button>
          {q && <Button variant="subtle" onClick={() => { setDraft(''); find(''); }}>{text.clear}</Button>}
        </Group>
      </form>
      <ServerTable<MemberRow>
        label={text.members}
        pager={pager}
        queryKey={['store', session?.tenant, 'membership-members', q]}
        fetchPage={(cursor) => storeApi<Page<MemberRow>>('GET', '/membership/members', { query: { cursor, limit: 20, q: q || undefined } })}
        columns={[
          { header: text.email, cell: (m) => <Data>{m.email ?? m.id}</Data> },
          { header: text.tier, cell: (m) => (m.tierName ? <Data>{m.tierName}</Data> : text.noTier) },
          { header: text.available, cell: (m) => <Data>{m.pointsAvailable}</Data> },
          { header: text.pending, cell: (m) => <Data>{m.pointsPending}</Data> },
          { header: text.lifetime, cell: (m) => <Data>{m.growthTotal}</Data> },
          { header: '', cell: (m) => <Button size="compact-xs" variant="default" onClick={() => setChosen(m.id)} data-testid={`open-${m.email ?? m.id}`}>{text.open}</Button> },
        ]}
      />
      {chosen && <MemberDetail id={chosen} key={chosen} />}
    </>
  );
}

function MemberDetail({ id }: { id: string }) {
  const text = useText();
  const session = useSession('store');
  const qc = useQueryClient();
  const base = ['store', session?.tenant, 'membership-member', id];
  const member = useQuery({ queryKey: base, queryFn: () => storeApi<Detail>('GET', `/membership/members/${id}`) });
  if (member.isPending) return <Loading />;
  if (member.error) return <ErrorAlert error={member.error} />;
  const m = member.data;
  const refresh = () => qc.invalidateQueries({ queryKey: base });
  return (
    <Stack mt="xl" data-testid="member-detail">
      <Title order={2} size="h3">
        <Data>{m.email ?? m.memberId}</Data>
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label={text.tier} value={m.tier?.name ?? text.noTier} testId="member-tier" />
        <Figure label={text.available} value={m.points.available} testId="member-available" />
        <Figure label={text.pending} value={m.points.pending} />
        <Figure label={text.held} value={m.points.held} />
        <Figure label={text.growth} value={m.growth.value} testId="member-growth" />
        <Figure label={text.lifetime} value={m.growth.lifetime} />
        <Figure label={text.referralCode} value={m.referralCode} />
        <Stack gap={0}>
          <Text size="sm" c="dimmed">{text.tierUntil}</Text>
          <Text>{m.tierExpiresAt ? <DateText value={m.tierExpiresAt} /> : text.none}</Text>
        </Stack>
      </SimpleGrid>
      {m.nextTier && (
        <Text size="sm">
          {text.nextTier}: <Data>{m.nextTier.name}</Data> ({text.toGo} <Data>{m.nextTier.remaining}</Data>)
        </Text>
      )}
      {/* A zone of this page for other plugins' widgets about a member (entityId: the member id). */}
      <WidgetZone zone="membership.member.details" entityId={id} />
      <AdjustForm id={id} onDone={refresh} />
      <Title order={3} size="h4">{text.pointsLedger}</Title>
      <ServerTable<PointsRow>
        label={text.pointsLedger}
        queryKey={[...base, 'points']}
        fetchPage={(cursor) => storeApi<Page<PointsRow>>('GET', `/membership/members/${id}/points`, { query: { cursor, limit: 10 } })}
        columns={[
          { header: text.at, cell: (e) => <DateText value={e.createdAt} /> },
          { header: text.type, cell: (e) => <Data>{e.bizType}</Data> },
          { header: text.available, cell: (e) => <Data>{signed(e.available)}</Data> },
          { header: text.pending, cell: (e) => <Data>{signed(e.pending)}</Data> },
          { header: text.held, cell: (e) => <Data>{signed(e.held)}</Data> },
          { header: text.note, cell: (e) => <Data>{e.note ?? ''}</Data> },
        ]}
      />
      <Title order={3} size="h4">{text.growthLedger}</Title>
      <ServerTable<GrowthRow>
        label={text.growthLedger}
        queryKey={[...base, 'growth']}
        fetchPage={(cursor) => storeApi<Page<GrowthRow>>('GET', `/membership/members/${id}/growth`, { query: { cursor, limit: 10 } })}
        columns={[
          { header: text.at, cell: (e) => <DateText value={e.createdAt} /> },
          { header: text.type, cell: (e) => <Data>{e.bizType}</Data> },
          { header: text.growth, cell: (e) => <Data>{signed(e.approved)}</Data> },
          { header: text.pending, cell: (e) => <Data>{signed(e.pending)}</Data> },
          { header: text.reference, cell: (e) => <Data>{e.bizId}</Data> },
        ]}
      />
      <Title order={3} size="h4">{text.tierHistory}</Title>
      <ServerTable<TierMove>
        label={text.tierHistory}
        queryKey={[...base, 'tier-history']}
        fetchPage={(cursor) => storeApi<Page<TierMove>>('GET', `/membership/members/${id}/tier-history`, { query: { cursor, limit: 10 } })}
        columns={[
          { header: text.at, cell: (h) => <DateText value={h.createdAt} /> },
          { header: text.move, cell: (h) => text.moves[h.move] },
          { header: text.from, cell: (h) => (h.from ? <Data>{h.from.name}</Data> : text.noTier) },
          { header: text.to, cell: (h) => (h.to ? <Data>{h.to.name}</Data> : text.noTier) },
          { header: text.reason, cell: (h) => text.reasons[h.reason] },
          { header: text.growth, cell: (h) => <Data>{h.growth}</Data> },
        ]}
      />
    </Stack>
  );
}

function Figure({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fw={600} data-testid={testId}>
        <Data>{value}</Data>
      </Text>
    </Stack>
  );
}

function AdjustForm({ id, onDone }: { id: string; onDone: () => Promise<unknown> }) {
  const text = useText();
  const qc = useQueryClient();
  const session = useSession('store');
  const [points, setPoints] = useState<number | string>(0);
  const [growth, setGrowth] = useState<number | string>(0);
  const [reason, setReason] = useState<string>(REASON_CODES[0]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setError(null);
    setOutcome(null);
    setBusy(true);
    try {
      const res = await storeApi<{ status: string }>('POST', `/membership/members/${id}/adjustments`, { body: { points: Number(points) || 0, growth: Number(growth) || 0, reasonCode: reason, note: note || undefined } });
      setOutcome(res.status === 'applied' ? text.applied : text.waiting);
      setPoints(0);
      setGrowth(0);
      setNote('');
      await onDone();
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'membership-members'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      data-testid="adjust-form"
    >
      <Title order={3} size="h4" mb="xs">{text.adjust}</Title>
      <Group align="end" wrap="wrap">
        <NumberInput label={text.points} value={points} onChange={setPoints} allowDecimal={false} min={-10_000_000} max={10_000_000} w={140} />
        <NumberInput label={text.growth} value={growth} onChange={setGrowth} allowDecimal={false} min={-10_000_000} max={10_000_000} w={140} />
        <NativeSelect label={text.reasonCode} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data={REASON_CODES.map((r) => ({ value: r, label: text.reasonCodes[r] }))} />
        <TextInput label={text.adjustNote} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={500} w={280} />
        <Button type="submit" loading={busy}>{text.apply}</Button>
      </Group>
      {outcome && <Alert mt="xs" color="teal" variant="light" role="status" data-testid="adjust-outcome">{outcome}</Alert>}
      <ErrorAlert error={error} />
    </form>
  );
}
