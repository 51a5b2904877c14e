// The store's own seller scorecard (GET /admin/v1/onboarding/scorecard): its latest 30- and
// 90-day cards against the platform's thresholds with breaches marked, its penalty points this
// quarter, and its restrictions with the state of each appeal. Only in stores onboarding opened.
import { Alert, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, useSession, PageTitle, Data, DateText, ScrollTable, ErrorAlert, Loading, usePluginText } from '@bazaar/console';
import { STORE_TEXT, fill } from './store-text';

type Metric = 'odr' | 'cancelRate' | 'lateShipmentRate' | 'validTrackingRate' | 'returnRate' | 'averageRating';
interface Card { day: string; windowDays: number; orders: number; rates: Partial<Record<Metric, number | null>>; breaches: string[] }
interface Restriction { id: string; level: number; kind: 'no_campaigns' | 'deboost' | 'no_new_listings'; startsAt: string; endsAt: string; active: boolean; appeal: { status: 'pending' | 'upheld' | 'overturned' | null; dueAt: string } }
interface Scorecard {
  thresholds: Record<string, number>;
  days30: Card | null;
  days90: Card | null;
  quarter: string;
  points: number;
  tiers: number[];
  restrictions: Restriction[];
}

const METRICS: Metric[] = ['odr', 'cancelRate', 'lateShipmentRate', 'validTrackingRate', 'returnRate', 'averageRating'];
/** Each metric's threshold: the most (or, for tracking, the least) it may be, in percent. */
const LIMITS: Partial<Record<Metric, { key: string; min?: true }>> = { odr: { key: 'odrMax' }, cancelRate: { key: 'cancelRateMax' }, lateShipmentRate: { key: 'lateShipmentRateMax' }, validTrackingRate: { key: 'validTrackingRateMin', min: true }, returnRate: { key: 'returnRateMax' } };

export default function StoreScorecardPage() {
  const text = usePluginText(STORE_TEXT);
  const { i18n } = useTranslation();
  const session = useSession('store');
  const card = useQuery({ queryKey: ['store', session?.tenant, 'onboarding-own-scorecard'], queryFn: () => storeApi<Scorecard>('GET', '/onboarding/scorecard') });
  const num = (n: number, metric: Metric) => new Intl.NumberFormat(i18n.language === 'en-XA' ? 'en' : i18n.language, metric === 'averageRating' ? { maximumFractionDigits: 2 } : { style: 'percent', maximumFractionDigits: 2 }).format(metric === 'averageRating' ? n : n / 100);
  const rate = (c: Card | null, m: Metric) => {
    const v = c?.rates[m];
    if (v === null || v === undefined) return <span aria-label="—">—</span>;
    return (
      <>
        <span data-intl="">{num(v, m)}</span>
        {c!.breaches.includes(m) && <Badge ml="xs" color="red.9" variant="outline" data-testid={`breach-${c!.windowDays}-${m}`}>{text.breached}</Badge>}
      </>
    );
  };
  if (card.isPending) return <Loading />;
  if (card.error) return <ErrorAlert error={card.error} />;
  const s = card.data;
  return (
    <>
      <PageTitle>{text.scorecard}</PageTitle>
      <Text size="sm" mb="md">{text.scorecardIntro}</Text>
      <Stack gap="lg">
        <section aria-labelledby="onb-metrics">
          <Title order={3} id="onb-metrics">{text.metrics}</Title>
          {!s.days30 && !s.days90 ? (
            <Alert variant="light" data-testid="no-card">{text.noCard}</Alert>
          ) : (
            <>
              {s.days30 && <Text size="sm" data-testid="card-as-of">{fill(text.computed, { day: s.days30.day, orders: s.days30.orders })}</Text>}
              <ScrollTable label={text.metrics}>
                <Table.Thead>
                  <Table.Tr><Table.Th>{text.metric}</Table.Th><Table.Th>{text.days30}</Table.Th><Table.Th>{text.days90}</Table.Th><Table.Th>{text.threshold}</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {METRICS.map((m) => {
                    const limit = LIMITS[m];
                    const value = limit ? s.thresholds[limit.key] : undefined;
                    return (
                      <Table.Tr key={m} data-testid={`metric-${m}`}>
                        <Table.Td>{text.metricNames[m]}</Table.Td>
                        <Table.Td>{rate(s.days30, m)}</Table.Td>
                        <Table.Td>{rate(s.days90, m)}</Table.Td>
                        <Table.Td>{limit && value !== undefined ? fill(limit.min ? text.atLeast : text.atMost, { value: num(value, m) }) : '—'}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </ScrollTable>
            </>
          )}
        </section>
        <section aria-labelledby="onb-points">
          <Title order={3} id="onb-points">{text.points}</Title>
          <Text data-testid="points">{fill(text.pointsLine, { points: s.points, quarter: s.quarter, tiers: s.tiers.join(' / ') })}</Text>
        </section>
        <section aria-labelledby="onb-restrictions">
          <Title order={3} id="onb-restrictions">{text.restrictions}</Title>
          {s.restrictions.length === 0 ? (
            <Text>{text.noRestrictions}</Text>
          ) : (
            <ScrollTable label={text.restrictions}>
              <Table.Thead>
                <Table.Tr><Table.Th>{text.restriction}</Table.Th><Table.Th>{text.level}</Table.Th><Table.Th>{text.period}</Table.Th><Table.Th>{text.state}</Table.Th><Table.Th>{text.appeal}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {s.restrictions.map((r) => (
                  <Table.Tr key={r.id} data-testid={`restriction-${r.kind}`}>
                    <Table.Td>{text.kinds[r.kind] ?? <Data>{r.kind}</Data>}</Table.Td>
                    <Table.Td>{r.level}</Table.Td>
                    <Table.Td><DateText value={r.startsAt} /> – <DateText value={r.endsAt} /></Table.Td>
                    <Table.Td>{r.active ? text.active : text.lifted}</Table.Td>
                    <Table.Td>
                      {text.appeals[r.appeal.status ?? 'none']}
                      {!r.appeal.status && r.active && Date.parse(r.appeal.dueAt) > Date.now() && (
                        <Text size="xs">{text.appealBy.split('{{date}}')[0]}<DateText value={r.appeal.dueAt} />{text.appealBy.split('{{date}}')[1]}</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </ScrollTable>
          )}
        </section>
      </Stack>
    </>
  );
}
