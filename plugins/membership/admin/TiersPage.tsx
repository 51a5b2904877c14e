// The tier table and its typed benefits (GET /admin/v1/membership/tiers). A change is first a
// dry run (POST /tiers/preview: how many members move up at once, down at the end of their
// term); only the previewed table can be applied (PUT /tiers with confirm: true, audited).
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, Stack, Table, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { storeApi, useSession, PageTitle, ScrollTable, ErrorAlert, Loading } from '@bazaar/console';
import { fill, useText } from './text';

type Benefit =
  | { type: 'free_shipping_threshold'; amount: number }
  | { type: 'member_price_discount_percent'; percent: number }
  | { type: 'points_multiplier'; percent: number }
  | { type: 'birthday_gift'; points: number }
  | { type: 'exclusive_promotions' | 'priority_service' | 'checkin_enabled' };
interface TierIn {
  rank: number;
  name: string;
  threshold: number;
  entryRewardPoints: number;
  benefits: Benefit[];
}
/** One editable row: the typed benefits as fields (empty: none). */
interface Row {
  key: number;
  rank: number | string;
  name: string;
  threshold: number | string;
  entryRewardPoints: number | string;
  discount: number | string;
  freeShipping: number | string;
  multiplier: number | string;
  birthday: number | string;
  exclusive: boolean;
  priority: boolean;
  checkin: boolean;
}

let keys = 0;
const num = (v: number | string) => (v === '' ? null : Number(v));

function toRow(t: TierIn): Row {
  const b = <T extends Benefit['type']>(type: T) => t.benefits.find((x) => x.type === type) as Extract<Benefit, { type: T }> | undefined;
  return {
    key: ++keys, rank: t.rank, name: t.name, threshold: t.threshold, entryRewardPoints: t.entryRewardPoints,
    discount: b('member_price_discount_percent')?.percent ?? '', freeShipping: b('free_shipping_threshold')?.amount ?? '', multiplier: b('points_multiplier')?.percent ?? '', birthday: b('birthday_gift')?.points ?? '',
    exclusive: Boolean(b('exclusive_promotions')), priority: Boolean(b('priority_service')), checkin: Boolean(b('checkin_enabled')),
  };
}

function toTier(r: Row): TierIn {
  const benefits: Benefit[] = [];
  if (num(r.discount)) benefits.push({ type: 'member_price_discount_percent', percent: Number(r.discount) });
  if (num(r.freeShipping) !== null) benefits.push({ type: 'free_shipping_threshold', amount: Number(r.freeShipping) });
  if (num(r.multiplier)) benefits.push({ type: 'points_multiplier', percent: Number(r.multiplier) });
  if (num(r.birthday)) benefits.push({ type: 'birthday_gift', points: Number(r.birthday) });
  if (r.exclusive) benefits.push({ type: 'exclusive_promotions' });
  if (r.priority) benefits.push({ type: 'priority_service' });
  if (r.checkin) benefits.push({ type: 'checkin_enabled' });
  return { rank: Number(r.rank), name: r.name, threshold: Number(r.threshold) || 0, entryRewardPoints: Number(r.entryRewardPoints) || 0, benefits };
}

export default function TiersPage() {
  const text = useText();
  const session = useSession('store');
  const qc = useQueryClient();
  const key = ['store', session?.tenant, 'membership-tiers'];
  const tiers = useQuery({ queryKey: key, queryFn: () => storeApi<{ items: TierIn[] }>('GET', '/membership/tiers') });
  const [rows, setRows] = useState<Row[] | null>(null);
  const [preview, setPreview] = useState<{ body: string; counts: { up: number; down: number; same: number } } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (tiers.data && rows === null) setRows(tiers.data.items.map(toRow));
  }, [tiers.data, rows]);
  if (tiers.isPending || rows === null) return tiers.error ? <ErrorAlert error={tiers.error} /> : <Loading />;
  const body = JSON.stringify(rows.map(toTier));
  const previewed = preview?.body === body;
  const edit = (k: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows(rows.map((r) => (r.key === k ? { ...r, ...patch } : r)));
  };
  const run = async (what: 'preview' | 'save') => {
    setError(null);
    try {
      if (what === 'preview') {
        const counts = await storeApi<{ up: number; down: number; same: number }>('POST', '/membership/tiers/preview', { body: { tiers: rows.map(toTier) } });
        setPreview({ body, counts });
      } else {
        const res = await storeApi<{ items: TierIn[] }>('PUT', '/membership/tiers', { body: { confirm: true, tiers: rows.map(toTier) } });
        setRows(res.items.map(toRow));
        setPreview(null);
        setSaved(true);
        await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
      }
    } catch (err) {
      setError(err);
    }
  };
  const nextRank = rows.reduce((m, r) => Math.max(m, Number(r.rank) + 1), 0);
  return (
    <>
      <PageTitle>{text.tiers}</PageTitle>
      <ScrollTable label={text.tiers}>
        <Table.Thead>
          <Table.Tr>
            {[text.rank, text.name, text.threshold, text.entryReward, text.discount, text.freeShipping, text.multiplier, text.birthday, text.exclusive, text.priority, text.checkin, ''].map((h, i) => (
              <Table.Th key={i}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.key} data-testid={`tier-row-${r.rank}`}>
              <Table.Td><NumberInput aria-label={text.rank} value={r.rank} onChange={(v) => edit(r.key, { rank: v })} allowDecimal={false} min={0} max={20} w={70} /></Table.Td>
              <Table.Td><TextInput aria-label={text.name} value={r.name} onChange={(e) => edit(r.key, { name: e.currentTarget.value })} maxLength={100} w={140} translate="no" /></Table.Td>
              <Table.Td><NumberInput aria-label={text.threshold} value={r.threshold} onChange={(v) => edit(r.key, { threshold: v })} allowDecimal={false} min={0} w={110} /></Table.Td>
              <Table.Td><NumberInput aria-label={text.entryReward} value={r.entryRewardPoints} onChange={(v) => edit(r.key, { entryRewardPoints: v })} allowDecimal={false} min={0} w={100} /></Table.Td>
              <Table.Td><NumberInput aria-label={text.discount} value={r.discount} onChange={(v) => edit(r.key, { discount: v })} allowDecimal={false} min={1} max={90} w={80} /></Table.Td>
              <Table.Td><NumberInput aria-label={text.freeShipping} value={r.freeShipping} onChange={(v) => edit(r.key, { freeShipping: v })} allowDecimal={false} min={0} w={110} /></Table.Td>
              <Table.Td><NumberInput aria-label={text.multiplier} value={r.multiplier} onChange={(v) => edit(r.key, { multiplier: v })} allowDecimal={false} min={100} max={1000} w={90} /></Table.Td>
              <Table.Td><NumberInput aria-label={text.birthday} value={r.birthday} onChange={(v) => edit(r.key, { birthday: v })} allowDecimal={false} min={1} w={90} /></Table.Td>
              <Table.Td><Checkbox aria-label={text.exclusive} checked={r.exclusive} onChange={(e) => edit(r.key, { exclusive: e.currentTarget.checked })} /></Table.Td>
              <Table.Td><Checkbox aria-label={text.priority} checked={r.priority} onChange={(e) => edit(r.key, { priority: e.currentTarget.checked })} /></Table.Td>
              <Table.Td><Checkbox aria-label={text.checkin} checked={r.checkin} onChange={(e) => edit(r.key, { checkin: e.currentTarget.checked })} /></Table.Td>
              <Table.Td><Button size="compact-xs" variant="outline" color="red.9" onClick={() => { setSaved(false); setRows(rows.filter((x) => x.key !== r.key)); }}>{text.remove}</Button></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
      <Stack mt="sm" gap="xs">
        <Group>
          <Button variant="default" onClick={() => { setSaved(false); setRows([...rows, { key: ++keys, rank: nextRank, name: '', threshold: 0, entryRewardPoints: 0, discount: '', freeShipping: '', multiplier: '', birthday: '', exclusive: false, priority: false, checkin: false }]); }}>{text.addTier}</Button>
          <Button variant="default" onClick={() => void run('preview')} data-testid="tiers-preview">{text.preview}</Button>
          <Button disabled={!previewed} onClick={() => void run('save')} data-testid="tiers-save">{text.save}</Button>
        </Group>
        {previewed && preview && <Alert color="blue" variant="light" data-testid="tiers-preview-result">{fill(text.previewResult, preview.counts)}</Alert>}
        {!previewed && !saved && <Alert color="gray" variant="light">{text.previewFirst}</Alert>}
        {saved && <Alert color="teal" variant="light" data-testid="tiers-saved">{text.saved}</Alert>}
        <ErrorAlert error={error} />
      </Stack>
    </>
  );
}
