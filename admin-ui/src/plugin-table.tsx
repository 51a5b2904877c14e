// The one table of plugins both consoles show: the store's plugins (on/off, settings link) and
// the platform's catalogue (scope, installed, availability). Name, description and version come
// first; each page adds its own columns.
import type { ReactNode } from 'react';
import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Data, EmptyRow, ScrollTable } from './components';
import type { Column } from './list';

export interface PluginRow {
  name: string;
  version: string;
  description?: string | null;
}

export function PluginTable<P extends PluginRow>({ label, items, name, columns, version = (p) => p.version }: { label: string; items: P[]; name?: (p: P) => ReactNode; columns: Column<P>[]; version?: (p: P) => string }) {
  const { t } = useTranslation();
  return (
    <ScrollTable label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('common.name')}</Table.Th>
          <Table.Th>{t('plugins.version')}</Table.Th>
          {columns.map((c, i) => (
            <Table.Th key={i}>{c.header}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((p) => (
          <Table.Tr key={p.name} data-testid={`plugin-${p.name}`}>
            <Table.Td>
              {name ? name(p) : <Data>{p.name}</Data>}
              {p.description && (
                <div>
                  <Data>{p.description}</Data>
                </div>
              )}
            </Table.Td>
            <Table.Td>
              <Data>{version(p)}</Data>
            </Table.Td>
            {columns.map((c, i) => (
              <Table.Td key={i}>{c.cell(p)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
        {items.length === 0 && <EmptyRow cols={columns.length + 2} />}
      </Table.Tbody>
    </ScrollTable>
  );
}
