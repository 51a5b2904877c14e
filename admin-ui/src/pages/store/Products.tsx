import { AnchorLink } from '../../components';
// Products: text search (name in any language or SKU), filters (status, category) and keyset
// pages from the server; CSV import with progress.
import { useState } from 'react';
import { Button, Group, Select, Table, Progress, Modal, FileInput, Text, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { Data, DateText, EmptyRow, ErrorAlert, Loading, PageTitle, Pager, ScrollTable, StatusBadge, useCursorPager } from '../../components';

interface ProductSummary {
  id: string;
  status: string;
  name: string;
  slug: string;
  variantCount: number;
  updatedAt: string;
}
export interface Category {
  id: string;
  names: Record<string, string>;
  handle: string;
}

export function useCategories() {
  const session = useSession('store');
  return useQuery({ queryKey: ['store', session?.tenant, 'categories'], queryFn: () => storeApi<Page<Category>>('GET', '/categories', { query: { limit: 100 } }) });
}

export function categoryName(c: Category, lang: string): string {
  return c.names[lang] ?? c.names[lang.split('-')[0]] ?? Object.values(c.names)[0] ?? c.handle;
}

function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<{ imported: number; failed: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    if (!file) return;
    setError(null);
    setReport(null);
    setProgress(10);
    try {
      const text = await file.text();
      setProgress(40);
      const res = await storeApi<{ imported?: number; created?: number; updated?: number; failed?: number; errors?: unknown[] }>('POST', '/products/import', { raw: { text, type: 'text/csv' }, query: { format: 'csv' } });
      setProgress(100);
      setReport({ imported: res.imported ?? (res.created ?? 0) + (res.updated ?? 0), failed: res.failed ?? res.errors?.length ?? 0 });
      await qc.invalidateQueries({ queryKey: ['store'] });
    } catch (err) {
      setProgress(null);
      setError(err);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('products.importTitle')}>
      <Stack>
        <Text size="sm">{t('products.importHint')}</Text>
        <FileInput label={t('products.importFile')} accept=".csv,text/csv" value={file} onChange={setFile} clearable />
        {progress !== null && <Progress value={progress} aria-label={t('products.importTitle')} animated={progress < 100} />}
        {report && <Text size="sm">{t('products.importDone', report)}</Text>}
        <ErrorAlert error={error} />
        <Button onClick={() => void run()} disabled={!file}>
          {t('products.importRun')}
        </Button>
      </Stack>
    </Modal>
  );
}

export default function Products() {
  const { t, i18n } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'catalog:write');
  const [status, setStatus] = useState<string | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [text] = useDebouncedValue(search.trim().slice(0, 100), 300);
  const [importing, importDialog] = useDisclosure();
  const pager = useCursorPager();
  const categories = useCategories();
  const q = useQuery({
    queryKey: ['store', session?.tenant, 'products', status, categoryId, text, pager.cursor],
    queryFn: () => storeApi<Page<ProductSummary>>('GET', '/products', { query: { status, categoryId, q: text || undefined, cursor: pager.cursor, limit: 20 } }),
  });
  return (
    <>
      <PageTitle
        actions={
          canWrite && (
            <>
              <Button variant="default" onClick={importDialog.open}>
                {t('products.importTitle')}
              </Button>
              <Button component={Link} to="/store/products/new">
                {t('products.new')}
              </Button>
            </>
          )
        }
      >
        {t('products.title')}
      </PageTitle>
      <Group mb="sm" align="end">
        <TextInput
          label={t('common.search')}
          description={t('products.searchHint')}
          type="search"
          maxLength={100}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            pager.reset();
          }}
          w={260}
          data-testid="product-search"
        />
        <Select
          label={t('common.status')}
          data={[{ value: '', label: t('common.all') }, ...['draft', 'active', 'archived'].map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          value={status ?? ''}
          onChange={(v) => {
            setStatus(v || null);
            pager.reset();
          }}
          allowDeselect={false}
          w={180}
        />
        <Select
          label={t('products.filterCategory')}
          data={[{ value: '', label: t('common.all') }, ...(categories.data?.items ?? []).map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))]}
          value={categoryId ?? ''}
          onChange={(v) => {
            setCategoryId(v || null);
            pager.reset();
          }}
          allowDeselect={false}
          w={220}
        />
      </Group>
      <ErrorAlert error={q.error} />
      {q.isPending ? (
        <Loading />
      ) : (
        q.data && (
          <>
            <ScrollTable label={t('products.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('common.name')}</Table.Th>
                  <Table.Th>{t('common.status')}</Table.Th>
                  <Table.Th>{t('products.variants')}</Table.Th>
                  <Table.Th>{t('common.created')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {q.data.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      <AnchorLink to="/store/products/$productId" params={{ productId: p.id }} translate="no">
                        {p.name}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={p.status} />
                    </Table.Td>
                    <Table.Td>
                      <Data>{p.variantCount}</Data>
                    </Table.Td>
                    <Table.Td>
                      <DateText value={p.updatedAt} />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {q.data.items.length === 0 && <EmptyRow cols={4} />}
              </Table.Tbody>
            </ScrollTable>
            <Pager pager={pager} nextCursor={q.data.nextCursor} />
          </>
        )
      )}
      <ImportDialog opened={importing} onClose={importDialog.close} />
    </>
  );
}
