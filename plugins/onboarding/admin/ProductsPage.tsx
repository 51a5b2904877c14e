// Products held at the quality gate (GET /platform/v1/onboarding/products): approve publishes the
// product; reject carries a coded reason and a note the merchant sees.
import { useState } from 'react';
import { Button, Group, NativeSelect, Table, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi, useSession, PageTitle, DateText, Data, StatusBadge, ScrollTable, ErrorAlert, Loading, EmptyRow, type Page, pickPluginText } from '@bazaar/console';

interface Held {
  id: string;
  storeId: string;
  productId: string;
  status: string;
  reasons: string[];
  note: string | null;
  proposedAt: string;
}

const REASONS = ['LISTING_PROHIBITED', 'IMAGES_POOR', 'DESCRIPTION_MISLEADING', 'CATEGORY_WRONG', 'QUALITY_REPORT_MISSING', 'IP_INFRINGEMENT', 'PRICE_MISLEADING', 'OTHER'];
const TEXT = {
  en: { title: 'Product review', store: 'Store', product: 'Product', status: 'Status', proposed: 'Proposed', approve: 'Approve', reject: 'Reject', reason: 'Reason', note: 'Note for the merchant' },
  'zh-CN': { title: '商品审核', store: '店铺', product: '商品', status: '状态', proposed: '提交时间', approve: '通过', reject: '拒绝', reason: '原因', note: '给商家的说明' },
  ja: { title: '商品審査', store: 'ストア', product: '商品', status: '状態', proposed: '提出日時', approve: '承認', reject: '却下', reason: '理由', note: '出店者へのメモ' },
};

export default function ProductsPage() {
  const { i18n } = useTranslation();
  const text = pickPluginText(TEXT, i18n.language);
  const session = useSession('platform');
  const qc = useQueryClient();
  const [reason, setReason] = useState(REASONS[0]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const held = useQuery({ queryKey: ['platform', session?.email, 'onboarding-products'], queryFn: () => platformApi<Page<Held>>('GET', '/onboarding/products', { query: { limit: 100 } }) });
  const decide = async (p: Held, action: 'approve' | 'reject') => {
    setError(null);
    try {
      await platformApi('POST', `/onboarding/products/${p.id}/${action}`, { body: action === 'reject' ? { reasons: [reason], note } : { note: note || undefined } });
      await qc.invalidateQueries({ queryKey: ['platform', session?.email, 'onboarding-products'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      <Group mb="sm" align="end">
        <NativeSelect label={text.reason} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data={REASONS} translate="no" />
        <TextInput label={text.note} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} />
      </Group>
      {error ? <ErrorAlert error={error} /> : null}
      {held.isPending ? <Loading /> : held.error ? <ErrorAlert error={held.error} /> : (
        <ScrollTable label={text.title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{text.store}</Table.Th>
              <Table.Th>{text.product}</Table.Th>
              <Table.Th>{text.status}</Table.Th>
              <Table.Th>{text.proposed}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {held.data.items.length === 0 && <EmptyRow cols={5} />}
            {held.data.items.map((p) => (
              <Table.Tr key={p.id} data-testid={`held-${p.productId}`}>
                <Table.Td><Data>{p.storeId}</Data></Table.Td>
                <Table.Td><Data>{p.productId}</Data></Table.Td>
                <Table.Td><StatusBadge status={p.status} /></Table.Td>
                <Table.Td><DateText value={p.proposedAt} /></Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button size="compact-xs" color="teal.9" onClick={() => void decide(p, 'approve')}>{text.approve}</Button>
                    <Button size="compact-xs" variant="outline" color="red.9" onClick={() => void decide(p, 'reject')}>{text.reject}</Button>
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
