import { AnchorLink } from '../../components';
// Products: text search (name in any language or SKU), filters (status, category) and keyset
// pages from the server; CSV import as a job with its progress bar.
import { useEffect, useState } from 'react';
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

interface ProductImport {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  percent: number;
  products: number;
  imported: number;
  failed: number;
  errorCount: number;
  failure: string | null;
  errors?: { line: number; pointer: string; code: string; message: string }[];
}

const over = (i: ProductImport | undefined) => i?.status === 'done' || i?.status === 'failed';

/** Uploads the file (the server answers 202 at once) and follows the import job until it is over. */
function ImportDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession('store');
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const job = useQuery({
    queryKey: ['store', session?.tenant, 'product-import', jobId],
    queryFn: () => storeApi<ProductImport>('GET', `/products/imports/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (query) => (over(query.state.data) ? false : 700),
  });
  const current = job.data;
  useEffect(() => {
    if (over(current)) void qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'products'] });
  }, [current?.status, qc, session?.tenant]);
  const run = async () => {
    if (!file) return;
    setError(null);
    setJobId(null);
    setUploading(true);
    try {
      const started = await storeApi<ProductImport>('POST', '/products/import', { raw: { text: file, type: 'text/csv' }, query: { format: 'csv' } });
      setJobId(started.id);
    } catch (err) {
      setError(err);
    } finally {
      setUploading(false);
    }
  };
  const busy = uploading || (jobId !== null && !over(current));
  return (
    <Modal opened={opened} onClose={onClose} title={t('products.importTitle')}>
      <Stack>
        <Text size="sm">{t('products.importHint')}</Text>
        <FileInput label={t('products.importFile')} accept=".csv,text/csv" value={file} onChange={setFile} clearable />
        {(uploading || current) && (
          <Progress value={current?.percent ?? 0} aria-label={t('products.importTitle')} animated={busy} />
        )}
        {current && !over(current) && <Text size="sm">{t('products.importProgress', { percent: current.percent, products: current.products, failed: current.failed })}</Text>}
        {current?.status === 'done' && <Text size="sm">{t('products.importDone', { imported: current.imported, failed: current.failed })}</Text>}
        {current?.status === 'failed' && <Text size="sm" c="red">{t('products.importFailed', { imported: current.imported })}</Text>}
        {current && (current.errors?.length ?? 0) > 0 && over(current) && (
          <ScrollTable label={t('products.importErrors')}>
            <Table.Tbody>
              {current.errors!.slice(0, 50).map((e) => (
                <Table.Tr key={`${e.line}${e.pointer}${e.code}`}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
        )}
        <ErrorAlert error={error ?? job.error} />
        <Button onClick={() => void run()} disabled={!file || busy} loading={busy}>
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
