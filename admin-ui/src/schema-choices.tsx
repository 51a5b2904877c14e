// A schema form field holding the id of another of the store's resources (a stock location, a
// slot calendar): picked by name from a select filled from an Admin API list, not typed. A page
// names such fields in SchemaForm's `choices` ({ calendarId: { list: '/logistics/slot-calendars' } });
// a nullable id (oneOf [id, null]) gets a "none" entry in place of rjsf's choice of options.
// An id the list does not hold (removed since) stays shown as it is; the API says so at the field.
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { FieldProps, UiSchema } from '@rjsf/utils';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from './api';
import { useSession } from './layout/Shell';

export interface IdChoice {
  /** The Admin API list of the store the ids come from ('/stock-locations'): `{ items, nextCursor? }`. */
  list: string;
  /** The property of a listed row shown for it (default `name`). */
  label?: string;
}

/** At most this many rows are offered (a list of pages walked in full up to here). */
const MOST = 1000;
/** The "none" entry's value (Mantine's select wants a string; no id looks like it). */
const NONE = '-';

type Row = Record<string, unknown> & { id: string };

async function fetchAll(list: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const page: Page<Row> = await storeApi<Page<Row>>('GET', list, { query: { cursor, limit: 100 } });
    rows.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < MOST);
  return rows;
}

const isNullable = (schema: FieldProps['schema']) =>
  schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null')) || [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].some((o) => typeof o === 'object' && o.type === 'null');

export function IdChoiceField(props: FieldProps) {
  const { t } = useTranslation();
  const session = useSession('store');
  const { schema, uiSchema, formData, onChange, fieldPathId, required, disabled, readonly, errorSchema, rawErrors, name } = props;
  const choice = (uiSchema?.['ui:options']?.choice ?? {}) as IdChoice;
  // Read again each time a form opens: a calendar added on another page a moment ago is offered.
  const rows = useQuery({ queryKey: ['store', session?.tenant, 'choices', choice.list], queryFn: () => fetchAll(choice.list), staleTime: 0 });
  const labelOf = (r: Row) => String(r[choice.label ?? 'name'] ?? r.id);
  const value = typeof formData === 'string' && formData ? formData : null;
  const data = [
    ...(isNullable(schema) ? [{ value: NONE, label: t('forms.none') }] : []),
    ...(rows.data ?? []).map((r) => ({ value: r.id, label: labelOf(r) })),
    // The saved id when the list no longer has it: shown as it is, not dropped.
    ...(value && rows.data && !rows.data.some((r) => r.id === value) ? [{ value, label: value }] : []),
  ];
  const errors = rawErrors ?? errorSchema?.__errors ?? [];
  const title = (uiSchema?.['ui:title'] as string | undefined) ?? schema.title ?? name;
  return (
    <Select
      id={fieldPathId.$id}
      label={title}
      required={required}
      disabled={disabled || readonly || rows.isPending}
      placeholder={rows.isPending ? t('app.loading') : undefined}
      data={rows.isPending ? [] : data}
      value={value ?? (isNullable(schema) ? NONE : null)}
      onChange={(v) => onChange((v && v !== NONE ? v : isNullable(schema) ? null : undefined) as never, fieldPathId.path)}
      error={rows.error ? t('common.error') : errors.length ? errors.join('\n') : undefined}
      searchable
      allowDeselect={false}
      nothingFoundMessage={t('common.none')}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

/** The ui entry making a field an `IdChoiceField` (replacing rjsf's own oneOf/anyOf choice). */
export function idChoiceUi(choice: IdChoice): UiSchema {
  return { 'ui:field': IdChoiceField, 'ui:fieldReplacesAnyOrOneOf': true, 'ui:options': { choice } };
}
