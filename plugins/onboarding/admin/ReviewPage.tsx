// The review queue (GET /platform/v1/onboarding/applications, soonest deadline first, breaches
// flagged) and, for the chosen application, its checklist, documents and decisions, with the
// reviewer's actions: start review, approve, ask for information or reject with a coded reason.
import { useMemo, useState } from 'react';
import { Assignee, DecisionError, ShortcutHint, SlaCountdown, useDecisionKeys, useKitText } from './review-kit';
import { Badge, Button, Group, NativeSelect, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi, useSession, PageTitle, DateText, Data, StatusBadge, ScrollTable, ErrorAlert, Loading, EmptyRow, pickPluginText } from '@bazaar/console';

interface QueueItem {
  id: string;
  status: string;
  category: string;
  storeName: string;
  storeSlug: string;
  submittedAt: string | null;
  slaDueAt: string | null;
  breached: boolean;
  reviewerId?: string | null;
}
interface Item {
  id: string;
  kind: string;
  required: boolean;
  label: string;
  status: string;
  problems: string[];
  reasons: string[];
}
interface Detail extends QueueItem {
  checklist: Item[];
  blocking: string[];
  documents: { id: string; requirementId: string; filename: string; size: number; expiresAt: string | null }[];
  decisions: { action: string; toStatus: string; reasons: { code: string; requirementId: string }[]; externalNote: string | null; internalNote?: string | null; createdAt: string }[];
  store: { id: string; status: string | null; reason: string | null } | null;
}

const REASONS = ['DOC_ILLEGIBLE', 'DOC_EXPIRED', 'NAME_MISMATCH', 'ADDRESS_MISMATCH', 'AUTH_CHAIN_INCOMPLETE', 'TRADEMARK_INVALID', 'CATEGORY_NOT_ALLOWED', 'QUALITY_REPORT_MISSING', 'DUPLICATE_MERCHANT', 'SANCTIONS_HIT', 'BANK_UNVERIFIED', 'OTHER'];
const TEXT = {
  en: {
    title: 'Merchant applications', status: 'Status', store: 'Store', category: 'Category', due: 'Review due', breached: 'Late', open: 'Open', checklist: 'Checklist', item: 'Item', problems: 'Problems',
    documents: 'Documents', decisions: 'Decisions', startReview: 'Start review', approve: 'Approve', requestInfo: 'Ask for information', reject: 'Reject', reason: 'Reason', requirement: 'Item', note: 'Note for the merchant',
    internal: 'Note for the team', all: 'In the queue', storeStatus: 'Store',
  },
  'zh-CN': {
    title: '入驻申请', status: '状态', store: '店铺', category: '类目', due: '审核截止', breached: '已超时', open: '查看', checklist: '资质清单', item: '项目', problems: '问题',
    documents: '文件', decisions: '审核记录', startReview: '开始审核', approve: '通过', requestInfo: '要求补充材料', reject: '拒绝', reason: '原因', requirement: '项目', note: '给商家的说明',
    internal: '给团队的备注', all: '待审核', storeStatus: '店铺',
  },
  ja: {
    title: '出店申請', status: '状態', store: 'ストア', category: 'カテゴリ', due: '審査期限', breached: '期限超過', open: '開く', checklist: 'チェックリスト', item: '項目', problems: '問題',
    documents: '書類', decisions: '審査履歴', startReview: '審査を開始', approve: '承認', requestInfo: '追加情報を依頼', reject: '却下', reason: '理由', requirement: '項目', note: '出店者へのメモ',
    internal: 'チーム向けのメモ', all: '審査待ち', storeStatus: 'ストア',
  },
};
const STATUSES = ['', 'submitted', 'in_review', 'needs_info', 'approved', 'rejected', 'draft', 'withdrawn'];

export default function ReviewPage() {
  const { i18n } = useTranslation();
  const text = pickPluginText(TEXT, i18n.language);
  const session = useSession('platform');
  const kit = useKitText();
  const [status, setStatus] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const queue = useQuery({ queryKey: ['platform', session?.email, 'onboarding-queue', status], queryFn: () => platformApi<{ items: QueueItem[] }>('GET', '/onboarding/applications', { query: { status: status || undefined, limit: 100 } }) });
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      <Group mb="sm">
        <NativeSelect label={text.status} value={status} onChange={(e) => setStatus(e.currentTarget.value)} data={STATUSES.map((s) => ({ value: s, label: s || text.all }))} translate="no" data-testid="onboarding-status" />
      </Group>
      {queue.isPending ? <Loading /> : queue.error ? <ErrorAlert error={queue.error} /> : (
        <ScrollTable label={text.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{text.store}</Table.Th>
              <Table.Th>{text.category}</Table.Th>
              <Table.Th>{text.status}</Table.Th>
              <Table.Th>{text.due}</Table.Th>
              <Table.Th>{kit.assignee}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {queue.data.items.length === 0 && <EmptyRow cols={6} />}
            {queue.data.items.map((a) => (
              <Table.Tr key={a.id} data-testid={`application-${a.storeSlug}`}>
                <Table.Td><Data>{a.storeName}</Data></Table.Td>
                <Table.Td><Data>{a.category}</Data></Table.Td>
                <Table.Td><StatusBadge status={a.status} /></Table.Td>
                <Table.Td>
                  <DateText value={a.slaDueAt} /> <SlaCountdown due={a.slaDueAt} done={!['submitted', 'in_review'].includes(a.status)} /> {a.breached && <Badge color="red.9" variant="outline">{text.breached}</Badge>}
                </Table.Td>
                <Table.Td><Assignee id={a.reviewerId} /></Table.Td>
                <Table.Td><Button size="compact-xs" variant="default" onClick={() => setChosen(a.id)}>{text.open}</Button></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {chosen && <ApplicationDetail id={chosen} text={text} />}
    </>
  );
}

function ApplicationDetail({ id, text }: { id: string; text: (typeof TEXT)['en'] }) {
  const session = useSession('platform');
  const qc = useQueryClient();
  const key = ['platform', session?.email, 'onboarding-application', id];
  const app = useQuery({ queryKey: key, queryFn: () => platformApi<Detail>('GET', `/onboarding/applications/${id}`) });
  const [reason, setReason] = useState(REASONS[0]);
  const [requirement, setRequirement] = useState('');
  const [note, setNote] = useState('');
  const [internal, setInternal] = useState('');
  const [error, setError] = useState<unknown>(null);
  const inReview = app.data?.status === 'in_review';
  const keys = useMemo(() => ({
    approve: () => void act('approve', { externalNote: note || undefined, internalNote: internal || undefined }),
    reject: () => void act('reject', coded()),
  }), [app.data, reason, requirement, note, internal]);
  useDecisionKeys(keys, inReview);
  if (app.isPending) return <Loading />;
  if (app.error) return <ErrorAlert error={app.error} />;
  const a = app.data;
  async function act(action: string, body: unknown = {}) {
    setError(null);
    try {
      await platformApi('POST', `/onboarding/applications/${id}/${action}`, { body });
      await qc.invalidateQueries({ queryKey: ['platform', session?.email] });
    } catch (err) {
      setError(err);
    }
  }
  function coded() {
    return { reasons: [{ code: reason, requirementId: requirement || app.data!.checklist[0]?.id }], externalNote: note, internalNote: internal };
  }
  return (
    <Stack mt="lg" data-testid="onboarding-detail">
      <Title order={3}>
        <Data>{a.storeName}</Data> <StatusBadge status={a.status} />
      </Title>
      <Group gap="xs"><SlaCountdown due={a.slaDueAt} done={!['submitted', 'in_review'].includes(a.status)} /></Group>
      {a.store && (
        <Text size="sm">
          {text.storeStatus}: <Data>{a.store.status}{a.store.reason ? ` (${a.store.reason})` : ''}</Data>
        </Text>
      )}
      <DecisionError error={error} />
      <Title order={4}>{text.checklist}</Title>
      <ScrollTable label={text.checklist}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{text.item}</Table.Th>
            <Table.Th>{text.status}</Table.Th>
            <Table.Th>{text.problems}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {a.checklist.map((i) => (
            <Table.Tr key={i.id} data-testid={`item-${i.id}`}>
              <Table.Td><Data>{i.label}</Data></Table.Td>
              <Table.Td><StatusBadge status={i.status} /></Table.Td>
              <Table.Td><Data>{[...i.problems, ...i.reasons].join(', ')}</Data></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
      <Title order={4}>{text.documents}</Title>
      <Text size="sm"><Data>{a.documents.map((d) => `${d.requirementId}: ${d.filename}`).join(' · ') || '—'}</Data></Text>
      <Group>
        {a.status === 'submitted' && <Button onClick={() => void act('start-review')} data-testid="start-review">{text.startReview}</Button>}
        {a.status === 'in_review' && <Button color="teal.9" onClick={() => void act('approve', { externalNote: note || undefined, internalNote: internal || undefined })} data-testid="approve">{text.approve}</Button>}
      </Group>
      {a.status === 'in_review' && (
        <Stack gap="xs">
          <ShortcutHint />
          <Group>
            <NativeSelect label={text.reason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data={REASONS} translate="no" />
            <NativeSelect label={text.requirement} value={requirement || a.checklist[0]?.id} onChange={(e) => setRequirement(e.currentTarget.value)} data={a.checklist.map((i) => i.id)} translate="no" />
          </Group>
          <Textarea label={text.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
          <Textarea label={text.internal} value={internal} onChange={(e) => setInternal(e.currentTarget.value)} maxLength={2000} />
          <Group>
            <Button variant="default" onClick={() => void act('request-info', coded())} data-testid="request-info">{text.requestInfo}</Button>
            <Button color="red.9" variant="outline" onClick={() => void act('reject', coded())} data-testid="reject">{text.reject}</Button>
          </Group>
        </Stack>
      )}
      <Title order={4}>{text.decisions}</Title>
      <ScrollTable label={text.decisions}>
        <Table.Tbody>
          {a.decisions.length === 0 && <EmptyRow cols={3} />}
          {a.decisions.map((d, i) => (
            <Table.Tr key={i}>
              <Table.Td><DateText value={d.createdAt} /></Table.Td>
              <Table.Td><Data>{d.action} → {d.toStatus}</Data></Table.Td>
              <Table.Td><Data>{[d.reasons.map((r) => `${r.code} (${r.requirementId})`).join(', '), d.externalNote, d.internalNote].filter(Boolean).join(' · ')}</Data></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </ScrollTable>
    </Stack>
  );
}
