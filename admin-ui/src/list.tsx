// A server-paginated table: the page asks for `limit` rows after a cursor and shows Next while
// the API gives a nextCursor.
import type { ReactNode } from 'react';
import { Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { Page } from './api';
import { EmptyRow, ErrorAlert, Loading, Pager, ScrollTable, useCursorPager } from './components';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

export function ServerTable<T extends { id: string }>({ label, queryKey, fetchPage, columns, pager: given }: { label: string; queryKey: unknown[]; fetchPage: (cursor: string | undefined) => Promise<Page<T>>; columns: Column<T>[]; pager?: ReturnType<typeof useCursorPager> }) {
  const own = useCursorPager();
  const pager = given ?? own;
  const q = useQuery({ queryKey: [...queryKey, pager.cursor], queryFn: () => fetchPage(pager.cursor) });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  return (
    <>
      <ScrollTable label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              <Table.Th key={i}>{c.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {q.data.items.map((row) => (
            <Table.Tr key={row.id}>
              {columns.map((c, i) => (
                <Table.Td key={i}>{c.cell(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
          {q.data.items.length === 0 && <EmptyRow cols={columns.length} />}
        </Table.Tbody>
      </ScrollTable>
      <Pager pager={pager} nextCursor={q.data.nextCursor} />
    </>
  );
}
