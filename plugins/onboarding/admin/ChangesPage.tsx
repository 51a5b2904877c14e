// Changes to live products waiting for review (GET /platform/v1/onboarding/changes, soonest
// deadline first): SLA countdown, assignee, the folded patch; confirm applies it, decline carries a
// coded reason and a note the merchant sees. Keys `a` and `r` decide the open change.
import { useMemo, useState } from 'react';
import { Badge, Button, Code, Group, NativeSelect, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi, useSession, PageTitle, Data, StatusBadge, ScrollTable, ErrorAlert, Loading, EmptyRow, type Page, pickPluginText } from '@bazaar/console';
import { Assignee, DecisionError, ShortcutHint, SlaCountdown, useDecisionKeys, useKitText } from './review-kit';

interface Change {
  id: string;
  storeId: string;
  productId: string;
  status: string;
  actions: { at: string }[];
  patch: Record<string, unknown>;
  reasons: string[];
  note: string | null;
  slaDueAt: string;
  breached: boolean;
  assigneeId: string | null;
}

const REASONS = ['LISTING_PROHIBITED', 'IMAGES_POOR', 'DESCRIPTION_MISLEADING', 'CATEGORY_WRONG', 'QUALITY_REPORT_MISSING', 'IP_INFRINGEMENT', 'PRICE_MISLEADING', 'OTHER'];
const TEXT = {
  en: { title: 'Product changes', store: 'Store', product: 'Product', due: 'Review due', late: 'Late', open: 'Open', edits: 'Edits', change: 'The change', confirm: 'Confirm', decline: 'Decline', take: 'Take it', reason: 'Reason', note: 'Note for the merchant', status: 'Status' },
  'zh-CN': { title: '商品变更审核', store: '店铺', product: '商品', due: '审核截止', late: '已超时', open: '查看', edits: '修改次数', change: '变更内容', confirm: '确认', decline: '驳回', take: '由我处理', reason: '原因', note: '给商家的说明', status: '状态' },
  ja: { title: '商品変更の審査', store: 'ストア', product: '商品', due: '審査期限', late: '期限超過', open: '開く', edits: '編集回数', change: '変更内容', confirm: '確定', decline: '却下', take: '担当する', reason: '理由', note: '出店者へのメモ', status: '状態' },
};

export default function ChangesPage() {
  const { i18n } = useTranslation();
  const text = pickPluginText(TEXT, i18n.language);
  const kit = useKitText();
  const session = useSession('platform');
  const [chosen, setChosen] = useState<string | null>(null);
  const queue = useQuery({ queryKey: ['platform', session?.email, 'onboarding-changes'], queryFn: () => platformApi<Page<Change>>('GET', '/onboarding/changes', { query: { limit: 100 } }) });
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      {queue.isPending ? <Loading /> : queue.error ? <ErrorAlert error={queue.error} /> : (
        <ScrollTable label={text.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{text.store}</Table.Th>
              <Table.Th>{text.product}</Table.Th>
              <Table.Th>{text.edits}</Table.Th>
              <Table.Th>{text.due}</Table.Th>
              <Table.Th>{kit.assignee}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queue.data.items.length === 0 && <EmptyRow cols={6} />}
            {queue.data.items.map((c) => (
              <Table.Tr key={c.id} data-testid={`change-${c.productId}`}>
                <Table.Td><Data>{c.storeId.slice(0, 8)}</Data></Table.Td>
                <Table.Td><Data>{c.productId.slice(0, 8)}</Data></Table.Td>
                <Table.Td>{c.actions.length}</Table.Td>
                <Table.Td><SlaCountdown due={c.slaDueAt} /> {c.breached && <Badge color="red.9" variant="outline">{text.late}</Badge>}</Table.Td>
                <Table.Td><Assignee id={c.assigneeId} /></Table.Td>
                <Table.Td><Button size="compact-xs" variant="default" onClick={() => setChosen(c.id)}>{text.open}</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {chosen && <ChangeDetail key={chosen} id={chosen} text={text} />}
    </>
  );
}

function ChangeDetail({ id, text }: { id: string; text: (typeof TEXT)['en'] }) {
  const session = useSession('platform');
  const qc = useQueryClient();
  const change = useQuery({ queryKey: ['platform', session?.email, 'onboarding-change', id], queryFn: () => platformApi<Change>('GET', `/onboarding/changes/${id}`) });
  const [reason, setReason] = useState(REASONS[0]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function act(action: 'confirm' | 'decline' | 'assign') {
    if (busy) return;
    setError(null);
    setBusy(true);
    try {
      await platformApi('POST', `/onboarding/changes/${id}/${action}`, { body: action === 'decline' ? { reasons: [reason], note: note || undefined } : action === 'confirm' ? { note: note || undefined } : {} });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
      await qc.invalidateQueries({ queryKey: ['platform', session?.email] });
    }
  }
  const pending = change.data?.status === 'pending';
  const keys = useMemo(() => ({ approve: () => void act('confirm'), reject: () => void act('decline') }), [reason, note, busy, id]);
  useDecisionKeys(keys, pending);
  if (change.isPending) return <Loading />;
  if (change.error) return <ErrorAlert error={change.error} />;
  const c = change.data;
  return (
    <Stack mt="lg" data-testid="change-detail">
      <Title order={3}>
        {text.change} <StatusBadge status={c.status} />
      </Title>
      <Group gap="xs"><SlaCountdown due={c.slaDueAt} done={!pending} /> <Assignee id={c.assigneeId} /></Group>
      <Code block data-testid="change-patch">{JSON.stringify(c.patch, null, 2)}</Code>
      {c.reasons.length > 0 && <Data>{c.reasons.join(', ')}{c.note ? ` · ${c.note}` : ''}</Data>}
      <DecisionError error={error} />
      {pending && (
        <Stack gap="xs">
          <ShortcutHint />
          <Group align="end">
            <NativeSelect label={text.reason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data={REASONS} translate="no" />
            <TextInput label={text.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
          </Group>
          <Group>
            <Button variant="default" onClick={() => void act('assign')} data-testid="take">{text.take}</Button>
            <Button color="teal.9" onClick={() => void act('confirm')} data-testid="confirm">{text.confirm}</Button>
            <Button color="red.9" variant="outline" onClick={() => void act('decline')} data-testid="decline">{text.decline}</Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
