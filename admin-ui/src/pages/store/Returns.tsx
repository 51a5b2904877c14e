// Returns: a status filter, keyset pages from the server, and the steps each return's state
// allows: approve or reject a request, receive the goods (restocked unless unticked), refund.
import { useState } from 'react';
import { Button, Checkbox, Group, Modal, NumberInput, Select, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { AnchorLink, Data, DateText, ErrorAlert, Money, PageTitle, StatusBadge, minorDigits, useCursorPager } from '../../components';
import { ServerTable } from '../../list';

interface Return {
  id: string;
  orderId: string;
  status: string;
  reason: string;
  note?: string | null;
  currency: string;
  refundAmount: number;
  lines: { lineId: string; quantity: number }[];
  requestedAt: string;
}

const STATUSES = ['requested', 'approved', 'rejected', 'received', 'refunded'];
type Step = 'approve' | 'reject' | 'receive' | 'refund';

/** What a return in this state can go through next (as the API allows). */
export function stepsFor(status: string): Step[] {
  if (status === 'requested') return ['approve', 'reject'];
  if (status === 'approved') return ['receive', 'refund', 'reject'];
  if (status === 'received') return ['refund'];
  return [];
}

export default function Returns() {
  const { t, i18n } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'returns:write');
  const qc = useQueryClient();
  const pager = useCursorPager();
  const [status, setStatus] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ step: Step; ret: Return } | null>(null);
  const [reason, setReason] = useState('');
  const [restock, setRestock] = useState(true);
  const [amount, setAmount] = useState<number | string>('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (step: Step, ret: Return) => {
    setError(null);
    setBusy(true);
    const digits = minorDigits(ret.currency);
    const body =
      step === 'reject' ? { reason: reason.trim() } : step === 'receive' ? { restock } : step === 'refund' && amount !== '' ? { amount: Math.round(Number(amount) * 10 ** digits) } : {};
    try {
      await storeApi('POST', `/returns/${ret.id}/${step}`, { body, idempotent: step === 'refund' });
      setDialog(null);
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const open = (step: Step, ret: Return) => {
    setError(null);
    setReason('');
    setRestock(true);
    setAmount('');
    if (step === 'approve') void run(step, ret);
    else setDialog({ step, ret });
  };
  const reasonLabel = (r: string) => (i18n.exists(`returns.reasons.${r}`) ? t(`returns.reasons.${r}`) : r);

  return (
    <>
      <PageTitle>{t('returns.title')}</PageTitle>
      <Group mb="sm" align="end">
        <Select
          label={t('common.status')}
          data={[{ value: '', label: t('common.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          value={status ?? ''}
          onChange={(v) => {
            setStatus(v || null);
            pager.reset();
          }}
          allowDeselect={false}
          w={200}
        />
      </Group>
      {!dialog && <ErrorAlert error={error} />}
      <ServerTable<Return>
        label={t('returns.title')}
        pager={pager}
        queryKey={['store', session?.tenant, 'returns', status]}
        fetchPage={(cursor) => storeApi<Page<Return>>('GET', '/returns', { query: { cursor, limit: 20, status } })}
        columns={[
          { header: t('returns.order'), cell: (r) => <AnchorLink to="/store/orders/$orderId" params={{ orderId: r.orderId }}>{t('common.details')}</AnchorLink> },
          { header: t('common.status'), cell: (r) => <StatusBadge status={r.status} /> },
          { header: t('orders.reasonLabel'), cell: (r) => <>{reasonLabel(r.reason)}{r.note && <div><Data>{r.note}</Data></div>}</> },
          { header: t('returns.units'), cell: (r) => <Data>{r.lines.reduce((n, l) => n + l.quantity, 0)}</Data> },
          { header: t('common.amount'), cell: (r) => <Money amount={r.refundAmount} currency={r.currency} /> },
          { header: t('common.created'), cell: (r) => <DateText value={r.requestedAt} /> },
          {
            header: t('common.actions'),
            cell: (r) =>
              canWrite && (
                <Group gap={4} wrap="nowrap" data-testid={`return-${r.id}`}>
                  {stepsFor(r.status).map((step) => (
                    <Button key={step} size="compact-xs" variant={step === 'reject' ? 'outline' : step === 'approve' ? 'filled' : 'default'} color={step === 'reject' ? 'red.9' : undefined} loading={busy && !dialog} onClick={() => open(step, r)}>
                      {t(`returns.${step}`)}
                    </Button>
                  ))}
                </Group>
              ),
          },
        ]}
      />
      <Modal opened={dialog !== null} onClose={() => setDialog(null)} title={dialog ? t(`returns.${dialog.step}`) : ''}>
        {dialog && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void run(dialog.step, dialog.ret);
            }}
          >
            <Stack>
              {dialog.step === 'reject' && <TextInput label={t('orders.reasonLabel')} required maxLength={500} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />}
              {dialog.step === 'receive' && <Checkbox label={t('returns.restock')} checked={restock} onChange={(e) => setRestock(e.currentTarget.checked)} />}
              {dialog.step === 'refund' && (
                <NumberInput
                  label={t('returns.refundAmount', { currency: dialog.ret.currency })}
                  description={t('returns.refundHint')}
                  min={0}
                  decimalScale={minorDigits(dialog.ret.currency)}
                  value={amount}
                  onChange={setAmount}
                  data-autofocus
                />
              )}
              <ErrorAlert error={error} />
              <Group>
                <Button type="submit" loading={busy} disabled={dialog.step === 'reject' && !reason.trim()}>
                  {t(`returns.${dialog.step}`)}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}
