// Small pieces every page uses: problem display, cursor pager, badges, money and dates.
import { forwardRef, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';
import { createLink } from '@tanstack/react-router';
import { Alert, Anchor, type AnchorProps, Badge, Button, Group, Loader, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import { formatMoney } from './money';
import { fieldNames } from './schema-labels';

export { formatMoney, minorDigits } from './money';

/**
 * A problem+json error: its title comes localized from the API. Its detail and field messages
 * are English developer text, shown as such only in English; other languages get the title and
 * the names of the fields at fault: the form's own word for each (`labels`, by dotted path, as a
 * SchemaForm takes them; `pointerBase` where the form's data sits in the request) where the page
 * gives one, else the console's word for a field of that name (`fields.*`), else the API's path. Above a form that
 * shows each field's error at its field (`atFields`), the alert names those fields in every
 * language rather than saying their errors a second time.
 */
export function ErrorAlert({ error, labels, atFields = false, pointerBase }: { error: unknown; labels?: Record<string, string | undefined>; atFields?: boolean; pointerBase?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const english = i18n.language.startsWith('en');
  const errors = problem?.errors ?? [];
  const atField = (e: { pointer?: string }) => atFields && Boolean(e.pointer && e.pointer !== '/' && e.pointer !== pointerBase);
  const byName = (name: string) => (i18n.exists(`fields.${name}`) ? t(`fields.${name}`) : undefined);
  const fields = fieldNames(english ? errors.filter(atField) : errors, labels, pointerBase, byName);
  return (
    <Alert color="red" variant="light" title={problem?.title ?? t('common.error')} role="alert" data-testid="problem">
      {english && problem?.detail && <Text size="sm">{problem.detail}</Text>}
      {english &&
        errors
          .filter((e) => !atField(e))
          .map((e, i) => (
            <Text size="sm" key={i}>
              {e.message}
            </Text>
          ))}
      {fields.length > 0 && (
        <Text size="sm">
          <Data>{fields.join(', ')}</Data>
        </Text>
      )}
    </Alert>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" mb="md" wrap="wrap">
      <Title order={1} size="h2">
        {children}
      </Title>
      {actions && <Group gap="xs">{actions}</Group>}
    </Group>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <Group p="md" role="status" aria-live="polite">
      <Loader size="sm" />
      <Text size="sm">{t('app.loading')}</Text>
    </Group>
  );
}

/** Keyset pages: the cursors walked so far, so Previous goes back without asking for offsets. */
export function useCursorPager() {
  const [stack, setStack] = useState<string[]>([]);
  const cursor = stack[stack.length - 1];
  return {
    cursor,
    page: stack.length + 1,
    next: (c: string) => setStack((s) => [...s, c]),
    previous: () => setStack((s) => s.slice(0, -1)),
    reset: () => setStack([]),
  };
}

export function Pager({ pager, nextCursor }: { pager: ReturnType<typeof useCursorPager>; nextCursor: string | null | undefined }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" mt="sm" gap="xs">
      <Text size="sm">{t('common.page', { n: pager.page })}</Text>
      <Button variant="default" size="xs" disabled={pager.page === 1} onClick={pager.previous}>
        {t('common.previous')}
      </Button>
      <Button variant="default" size="xs" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        {t('common.next')}
      </Button>
    </Group>
  );
}

const STATUS_COLORS: Record<string, string> = { active: 'teal', paid: 'teal', captured: 'teal', shipped: 'blue', fulfilled: 'blue', completed: 'teal', suspended: 'red', terminated: 'gray', cancelled: 'red', refunded: 'grape', failed: 'red', on_hold: 'orange', draft: 'gray', archived: 'gray' };

export function StatusBadge({ status }: { status: string }) {
  const { t, i18n } = useTranslation();
  // Outline badges with shade 9 text keep AA contrast on white; their own white ground keeps it
  // on a striped or hovered table row too (teal 9 on gray 1 is 4.48:1). A badge is never cut
  // short: a narrow table column widens (its table scrolls) rather than ellipsize the status.
  const color = STATUS_COLORS[status] ?? 'gray';
  return (
    <Badge variant="outline" color={`${color}.9`} styles={{ root: { backgroundColor: 'var(--mantine-color-white)', minWidth: 'max-content' }, label: { color: `var(--mantine-color-${color}-9)` } }}>
      {i18n.exists(`status.${status}`) ? t(`status.${status}`) : <Data>{status}</Data>}
    </Badge>
  );
}

export function Money({ amount, currency }: { amount: number; currency: string }) {
  const { i18n } = useTranslation();
  return <span translate="no">{formatMoney(amount, currency, i18n.language)}</span>;
}

export function DateText({ value }: { value: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (!value) return null;
  // Intl's words (month names) are Intl's, not the string tables' (data-intl: the pseudo-locale run skips them).
  return <span data-intl="">{new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value))}</span>;
}

/** User data (names, emails, SKUs) is not text of the console: marked so no translator (or test) takes it for one. */
export function Data({ children }: { children: ReactNode }) {
  return <span translate="no">{children}</span>;
}

export function EmptyRow({ cols }: { cols: number }) {
  const { t } = useTranslation();
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text size="sm">{t('common.none')}</Text>
      </Table.Td>
    </Table.Tr>
  );
}

export function ScrollTable({ children, label }: { children: ReactNode; label: string }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover aria-label={label}>
        {children}
      </Table>
    </Table.ScrollContainer>
  );
}

const MantineAnchor = forwardRef<HTMLAnchorElement, AnchorProps & AnchorHTMLAttributes<HTMLAnchorElement>>((props, ref) => <Anchor ref={ref} {...props} />);
/** A Mantine anchor that is a router link with typed paths and params. */
export const AnchorLink = createLink(MantineAnchor);
