// One order: lines, totals, payments, shipments, refunds, its timeline, and the actions its
// state allows (confirm payment, fulfil, ship, deliver, complete, refund, hold/release, cancel).
import { useState } from 'react';
import { Button, Card, Group, Modal, NumberInput, SimpleGrid, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { ServerTable } from '../../list';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { WidgetZone } from '../../widgets';
import { Data, DateText, ErrorAlert, Loading, Money, PageTitle, StatusBadge, minorDigits } from '../../components';

interface Line {
  id: string;
  sku: string;
  title: string;
  quantity: number;
  unitAmount: number;
  total: number;
}

/** Lines a page of the order shows at a time (UI-5: a detail page loads its lines paged). */
const LINES_PER_PAGE = 20;

interface Order {
  id: string;
  number: number;
  status: string;
  paymentStatus: string;
  email: string;
  currency: string;
  totals: { subtotal: number; shipping: number; tax: number; total: number; paid?: number; refunded?: number };
  lineStats: { count: number; units: number; unfulfilledUnits: number; unshippedUnits: number };
  shipments: { id: string; carrier: string; trackingNumber: string; status: string; shippedAt: string }[];
  refunds: { id: string; amount: number; status: string; reason?: string | null; createdAt?: string }[];
  payments: { id: string; provider: string; status: string; amount: number; capturedAmount?: number }[];
  fulfilments: { id: string; status: string }[];
  timeline: { kind: string; from?: string | null; to?: string | null; message?: string | null; at: string }[];
  heldFrom?: string | null;
}

function StatusText({ status }: { status: string }) {
  const { t, i18n } = useTranslation();
  return i18n.exists(`status.${status}`) ? <>{t(`status.${status}`)}</> : <Data>{status}</Data>;
}
function KindText({ kind }: { kind: string }) {
  const { t, i18n } = useTranslation();
  return i18n.exists(`timeline.${kind}`) ? <>{t(`timeline.${kind}`)}</> : <Data>{kind}</Data>;
}

type Dialog = null | 'ship' | 'refund' | 'hold' | 'cancel';

export default function OrderDetail() {
  const { t } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'orders:write');
  const { orderId } = useParams({ strict: false }) as { orderId: string };
  const qc = useQueryClient();
  const key = ['store', session?.tenant, 'order', orderId];
  const q = useQuery({ queryKey: key, queryFn: () => storeApi<Order>('GET', `/orders/${orderId}`, { query: { lines: 'none' } }) });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [amount, setAmount] = useState<number | string>('');
  const [reason, setReason] = useState('');

  const act = async (path: string, body: unknown = {}, idempotent = false) => {
    setError(null);
    setBusy(true);
    try {
      await storeApi('POST', `/orders/${orderId}/${path}`, { body, idempotent });
      setDialog(null);
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const o = q.data;
  const unpaid = ['unpaid', 'authorized', 'partially_paid'].includes(o.paymentStatus);
  const refundable = (o.totals.paid ?? 0) - (o.totals.refunded ?? 0);
  const unfulfilled = o.lineStats.unfulfilledUnits > 0;
  const unshipped = o.lineStats.unshippedUnits > 0;
  const open = !['cancelled', 'refunded', 'completed'].includes(o.status);
  const openFulfilment = o.fulfilments.find((f) => f.status === 'pending');
  const actions = canWrite && (
    <>
      {open && unpaid && o.status !== 'on_hold' && (
        <Button size="xs" onClick={() => void act('confirm-payment', {}, true)} loading={busy}>
          {t('orders.confirmPayment')}
        </Button>
      )}
      {open && !unpaid && unfulfilled && o.status !== 'on_hold' && (
        <Button size="xs" onClick={() => void act('fulfilments')} loading={busy}>
          {t('orders.fulfil')}
        </Button>
      )}
      {open && !unpaid && unshipped && o.status !== 'on_hold' && (
        <Button size="xs" onClick={() => setDialog('ship')}>
          {t('orders.ship')}
        </Button>
      )}
      {o.status === 'shipped' && (
        <Button size="xs" variant="default" onClick={() => void act('deliver')} loading={busy}>
          {t('orders.deliver')}
        </Button>
      )}
      {o.status === 'delivered' && (
        <Button size="xs" variant="default" onClick={() => void act('complete')} loading={busy}>
          {t('orders.complete')}
        </Button>
      )}
      {refundable > 0 && (
        <Button size="xs" variant="default" onClick={() => setDialog('refund')}>
          {t('orders.refund')}
        </Button>
      )}
      {open && o.status !== 'on_hold' && !['shipped', 'delivered'].includes(o.status) && (
        <Button size="xs" variant="default" onClick={() => setDialog('hold')}>
          {t('orders.hold')}
        </Button>
      )}
      {o.status === 'on_hold' && (
        <Button size="xs" variant="default" onClick={() => void act('release')} loading={busy}>
          {t('orders.release')}
        </Button>
      )}
      {open && !['shipped', 'delivered'].includes(o.status) && (
        <Button size="xs" color="red.9" variant="outline" onClick={() => setDialog('cancel')}>
          {t('orders.cancel')}
        </Button>
      )}
    </>
  );
  return (
    <>
      <PageTitle actions={actions}>{t('orders.detail', { n: o.number })}</PageTitle>
      <Group mb="md" gap="xs">
        <StatusBadge status={o.status} />
        <StatusBadge status={o.paymentStatus} />
        <Text size="sm">
          <Data>{o.email}</Data>
        </Text>
      </Group>
      <ErrorAlert error={error} />
      <SimpleGrid cols={{ base: 1, md: 3 }} mt="sm">
        <Card withBorder style={{ gridColumn: 'span 2' }}>
          <Title order={2} size="h4" mb="sm">
            {t('orders.lines')}
          </Title>
          <ServerTable<Line>
            label={t('orders.lines')}
            queryKey={[...key, 'lines']}
            fetchPage={(cursor) => storeApi<Page<Line>>('GET', `/orders/${orderId}/lines`, { query: { cursor, limit: LINES_PER_PAGE } })}
            columns={[
              { header: t('common.name'), cell: (l) => <Data>{l.title}</Data> },
              { header: t('products.sku'), cell: (l) => <Data>{l.sku}</Data> },
              { header: t('orders.quantity'), cell: (l) => l.quantity },
              { header: t('orders.unitPrice'), cell: (l) => <Money amount={l.unitAmount} currency={o.currency} /> },
              { header: t('common.total'), cell: (l) => <Money amount={l.total} currency={o.currency} /> },
            ]}
          />
          <Stack gap={2} mt="sm" align="flex-end">
            <Text size="sm">
              {t('orders.subtotal')}: <Money amount={o.totals.subtotal} currency={o.currency} />
            </Text>
            <Text size="sm">
              {t('orders.shipping')}: <Money amount={o.totals.shipping} currency={o.currency} />
            </Text>
            <Text size="sm">
              {t('orders.tax')}: <Money amount={o.totals.tax} currency={o.currency} />
            </Text>
            <Text fw={700} data-testid="order-total">
              {t('common.total')}: <Money amount={o.totals.total} currency={o.currency} />
            </Text>
          </Stack>
          {o.shipments.length > 0 && (
            <>
              <Title order={3} size="h5" mt="md" mb="xs">
                {t('orders.shipments')}
              </Title>
              {o.shipments.map((s) => (
                <Text size="sm" key={s.id}>
                  <Data>
                    {s.carrier} {s.trackingNumber}
                  </Data>{' '}
                  · <DateText value={s.shippedAt} />
                </Text>
              ))}
            </>
          )}
          {o.refunds.length > 0 && (
            <>
              <Title order={3} size="h5" mt="md" mb="xs">
                {t('orders.refunds')}
              </Title>
              {o.refunds.map((r) => (
                <Text size="sm" key={r.id} data-testid="refund">
                  <Money amount={r.amount} currency={o.currency} /> · <StatusText status={r.status} />
                </Text>
              ))}
            </>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h4" mb="sm">
            {t('orders.timeline')}
          </Title>
          <Timeline bulletSize={12} lineWidth={2} color="indigo.8">
            {o.timeline.map((e, i) => (
              <Timeline.Item key={i} title={e.to ? <StatusText status={e.to} /> : <KindText kind={e.kind} />}>
                {e.message && (
                  <Text size="sm">
                    <Data>{e.message}</Data>
                  </Text>
                )}
                <Text size="xs">
                  <DateText value={e.at} />
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          <WidgetZone zone="order.details.side" entityId={orderId} />
        </Card>
      </SimpleGrid>
      <WidgetZone zone="order.details.main" entityId={orderId} />
      <Modal opened={dialog === 'ship'} onClose={() => setDialog(null)} title={t('orders.ship')}>
        <Stack>
          <TextInput label={t('orders.carrier')} value={carrier} onChange={(e) => setCarrier(e.currentTarget.value)} data-autofocus />
          <TextInput label={t('orders.tracking')} value={tracking} onChange={(e) => setTracking(e.currentTarget.value)} />
          <ErrorAlert error={error} />
          <Button onClick={() => void act('shipments', { carrier: carrier.trim(), trackingNumber: tracking.trim(), ...(openFulfilment ? { fulfilmentId: openFulfilment.id } : {}) }, true)} loading={busy} disabled={!carrier.trim() || !tracking.trim()}>
            {t('orders.ship')}
          </Button>
        </Stack>
      </Modal>
      <Modal opened={dialog === 'refund'} onClose={() => setDialog(null)} title={t('orders.refund')}>
        <Stack>
          <NumberInput label={t('orders.refundAmount', { currency: o.currency })} min={0} decimalScale={minorDigits(o.currency)} value={amount} onChange={setAmount} data-autofocus />
          <TextInput label={t('orders.reasonLabel')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          <ErrorAlert error={error} />
          <Button onClick={() => void act('refunds', { amount: Math.round(Number(amount) * 10 ** minorDigits(o.currency)), ...(reason.trim() ? { reason: reason.trim() } : {}) }, true)} loading={busy} disabled={!Number(amount)}>
            {t('orders.refund')}
          </Button>
        </Stack>
      </Modal>
      <Modal opened={dialog === 'hold' || dialog === 'cancel'} onClose={() => setDialog(null)} title={dialog === 'hold' ? t('orders.hold') : t('orders.cancel')}>
        <Stack>
          <TextInput label={t('orders.reasonLabel')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <ErrorAlert error={error} />
          <Button color={dialog === 'cancel' ? 'red.9' : undefined} onClick={() => void act(dialog === 'hold' ? 'hold' : 'cancel', reason.trim() ? { reason: reason.trim() } : {}, dialog === 'cancel')} loading={busy} disabled={dialog === 'hold' && !reason.trim()}>
            {t('common.confirm')}
          </Button>
        </Stack>
      </Modal>
    </>
  );
}
