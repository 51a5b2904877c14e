// Seller scorecards for reviewers: stores whose latest 30-day card breaches a threshold, one
// store's card with its penalty points and restrictions, and the appeals waiting for a decision.
import { useState } from 'react';
import { Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi, useSession, PageTitle, Data, DateText, ScrollTable, ErrorAlert, Loading, EmptyRow, pickPluginText } from '@bazaar/console';
import { DecisionError } from './review-kit';

type Rates = Record<string, number | null>;
interface Card { day: string; orders: number; rates: Rates; breaches: string[] }
interface Restriction { id: string; storeId: string; level: number; kind: string; startsAt: string; endsAt: string; active: boolean; appeal: { status: string | null; text: string | null } }

const TEXT = {
  en: { title: 'Seller scorecards', breaching: 'Stores breaching a threshold', store: 'Store', orders: 'Orders', breaches: 'Breaches', show: 'Show', storeId: 'Store id', points: 'Penalty points this quarter', restrictions: 'Restrictions', appeals: 'Appeals waiting', kind: 'Restriction', until: 'Until', appeal: 'Appeal', uphold: 'Uphold', overturn: 'Overturn', days30: '30 days', days90: '90 days', metric: 'Metric' },
  'zh-CN': { title: '店铺绩效', breaching: '未达标的店铺', store: '店铺', orders: '订单数', breaches: '未达标项', show: '查看', storeId: '店铺 ID', points: '本季度扣分', restrictions: '处罚限制', appeals: '待处理申诉', kind: '限制', until: '截止', appeal: '申诉', uphold: '维持', overturn: '撤销', days30: '30 天', days90: '90 天', metric: '指标' },
  ja: { title: '出店者スコアカード', breaching: '基準を下回るストア', store: 'ストア', orders: '注文数', breaches: '基準未達', show: '表示', storeId: 'ストア ID', points: '今四半期のペナルティポイント', restrictions: '制限', appeals: '未処理の異議申し立て', kind: '制限', until: '期限', appeal: '異議申し立て', uphold: '維持', overturn: '取り消し', days30: '30 日', days90: '90 日', metric: '指標' },
};
const METRICS = ['odr', 'cancelRate', 'lateShipmentRate', 'validTrackingRate', 'returnRate', 'averageRating'];

export default function ScorecardsPage() {
  const { i18n } = useTranslation();
  const text = pickPluginText(TEXT, i18n.language);
  const session = useSession('platform');
  const qc = useQueryClient();
  const [storeId, setStoreId] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const breaching = useQuery({ queryKey: ['platform', session?.email, 'onboarding-breaches'], queryFn: () => platformApi<{ items: { storeId: string; orders: number; breaches: string[] }[] }>('GET', '/onboarding/scorecards/breaches') });
  const appeals = useQuery({ queryKey: ['platform', session?.email, 'onboarding-appeals'], queryFn: () => platformApi<{ items: Restriction[] }>('GET', '/onboarding/appeals') });
  const decide = async (id: string, decision: 'uphold' | 'overturn') => {
    setError(null);
    try {
      await platformApi('POST', `/onboarding/restrictions/${id}/appeal/decide`, { body: { decision } });
    } catch (err) {
      setError(err);
    }
    await qc.invalidateQueries({ queryKey: ['platform', session?.email] });
  };
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      <Title order={3}>{text.breaching}</Title>
      {breaching.isPending ? <Loading /> : breaching.error ? <ErrorAlert error={breaching.error} /> : (
        <ScrollTable label={text.breaching}>
          <Table.Thead><Table.Tr><Table.Th>{text.store}</Table.Th><Table.Th>{text.orders}</Table.Th><Table.Th>{text.breaches}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {breaching.data.items.length === 0 && <EmptyRow cols={4} />}
            {breaching.data.items.map((b) => (
              <Table.Tr key={b.storeId}>
                <Table.Td><Data>{b.storeId}</Data></Table.Td>
                <Table.Td>{b.orders}</Table.Td>
                <Table.Td><Data>{b.breaches.join(', ')}</Data></Table.Td>
                <Table.Td><Button size="compact-xs" variant="default" onClick={() => setShown(b.storeId)}>{text.show}</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Group mt="md" align="end">
        <TextInput label={text.storeId} value={storeId} onChange={(e) => setStoreId(e.currentTarget.value.trim())} maxLength={36} />
        <Button variant="default" onClick={() => setShown(storeId || null)} disabled={!/^[0-9a-f-]{36}$/.test(storeId)}>{text.show}</Button>
      </Group>
      {shown && <StoreCard key={shown} storeId={shown} text={text} />}
      <Title order={3} mt="lg">{text.appeals}</Title>
      <DecisionError error={error} />
      {appeals.isPending ? <Loading /> : appeals.error ? <ErrorAlert error={appeals.error} /> : (
        <ScrollTable label={text.appeals}>
          <Table.Thead><Table.Tr><Table.Th>{text.store}</Table.Th><Table.Th>{text.kind}</Table.Th><Table.Th>{text.appeal}</Table.Th><Table.Th /></Table.Tr></Table.Thead>
          <Table.Tbody>
            {appeals.data.items.length === 0 && <EmptyRow cols={4} />}
            {appeals.data.items.map((r) => (
              <Table.Tr key={r.id} data-testid={`appeal-${r.id}`}>
                <Table.Td><Data>{r.storeId.slice(0, 8)}</Data></Table.Td>
                <Table.Td><Data>{r.kind}</Data></Table.Td>
                <Table.Td><Data>{r.appeal.text}</Data></Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="compact-xs" variant="default" onClick={() => void decide(r.id, 'uphold')}>{text.uphold}</Button>
                    <Button size="compact-xs" color="teal.9" onClick={() => void decide(r.id, 'overturn')}>{text.overturn}</Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
    </>
  );
}

function StoreCard({ storeId, text }: { storeId: string; text: (typeof TEXT)['en'] }) {
  const session = useSession('platform');
  const card = useQuery({ queryKey: ['platform', session?.email, 'onboarding-card', storeId], queryFn: () => platformApi<{ days30: Card | null; days90: Card | null }>('GET', `/onboarding/stores/${storeId}/scorecard`) });
  const standing = useQuery({ queryKey: ['platform', session?.email, 'onboarding-standing', storeId], queryFn: () => platformApi<{ points: number; quarter: string; restrictions: Restriction[] }>('GET', `/onboarding/stores/${storeId}/standing`) });
  if (card.isPending || standing.isPending) return <Loading />;
  if (card.error || standing.error) return <ErrorAlert error={card.error ?? standing.error} />;
  return (
    <Stack mt="md" data-testid="store-card">
      <ScrollTable label={text.title}>
        <Table.Thead><Table.Tr><Table.Th>{text.metric}</Table.Th><Table.Th>{text.days30}</Table.Th><Table.Th>{text.days90}</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {METRICS.map((m) => (
            <Table.Tr key={m}>
              <Table.Td><Data>{m}</Data>{card.data.days30?.breaches.includes(m) ? ' ⚠' : ''}</Table.Td>
              <Table.Td>{card.data.days30?.rates[m] ?? '—'}</Table.Td>
              <Table.Td>{card.data.days90?.rates[m] ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
      <Data>{text.points} ({standing.data.quarter}): {standing.data.points}</Data>
      <ScrollTable label={text.restrictions}>
        <Table.Tbody>
          {standing.data.restrictions.length === 0 && <EmptyRow cols={3} />}
          {standing.data.restrictions.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td><Data>{r.kind} ({r.level})</Data></Table.Td>
              <Table.Td>{text.until} <DateText value={r.endsAt} /></Table.Td>
              <Table.Td><Data>{r.active ? 'active' : 'lifted'}{r.appeal.status ? ` · ${r.appeal.status}` : ''}</Data></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
    </Stack>
  );
}
