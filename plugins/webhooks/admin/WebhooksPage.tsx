// Endpoints (GET /admin/v1/webhooks/endpoints) and deliveries, newest first, with replay.
import { useState } from 'react';
import { Button, Table, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { storeApi, useSession, useMe, allows, ServerTable, PageTitle, DateText, Data, StatusBadge, ScrollTable, ErrorAlert, Loading, EmptyRow, type Page , usePluginText } from '@bazaar/console';

interface Endpoint {
  id: string;
  url: string;
  events: string[];
  status: string;
}
interface Delivery {
  id: string;
  endpointId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
  createdAt?: string;
}

const TEXT = {
  en: { title: 'Webhooks', endpoints: 'Endpoints', deliveries: 'Deliveries', url: 'Address', events: 'Events', status: 'Status', event: 'Event', attempts: 'Attempts', last: 'Last answer', at: 'When', replay: 'Send again' },
  'zh-CN': { title: 'Webhook 回调', endpoints: '回调地址', deliveries: '投递记录', url: '地址', events: '事件', status: '状态', event: '事件', attempts: '尝试次数', last: '最近响应', at: '时间', replay: '重新发送' },
  ja: { title: 'Webhook', endpoints: '送信先', deliveries: '配信記録', url: 'アドレス', events: 'イベント', status: 'ステータス', event: 'イベント', attempts: '試行回数', last: '最後の応答', at: '日時', replay: '再送信' },
};

export default function WebhooksPage() {
  const text = usePluginText(TEXT);
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'webhooks:write');
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const endpoints = useQuery({ queryKey: ['store', session?.tenant, 'webhook-endpoints'], queryFn: () => storeApi<{ items: Endpoint[] }>('GET', '/webhooks/endpoints') });
  const replay = async (d: Delivery) => {
    setError(null);
    try {
      await storeApi('POST', `/webhooks/deliveries/${d.id}/replay`, { body: {} });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'webhook-deliveries'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      <ErrorAlert error={error} />
      <Title order={2} size="h4" mb="sm">
        {text.endpoints}
      </Title>
      {endpoints.isPending ? (
        <Loading />
      ) : endpoints.error ? (
        <ErrorAlert error={endpoints.error} />
      ) : (
        <ScrollTable label={text.endpoints}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{text.url}</Table.Th>
              <Table.Th>{text.events}</Table.Th>
              <Table.Th>{text.status}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {endpoints.data.items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td><Data>{e.url}</Data></Table.Td>
                <Table.Td><Data>{e.events.join(', ')}</Data></Table.Td>
                <Table.Td><StatusBadge status={e.status} /></Table.Td>
              </Table.Tr>
            ))}
            {endpoints.data.items.length === 0 && <EmptyRow cols={3} />}
          </Table.Tbody>
        </ScrollTable>
      )}
      <Title order={2} size="h4" my="sm">
        {text.deliveries}
      </Title>
      <ServerTable<Delivery>
        label={text.deliveries}
        queryKey={['store', session?.tenant, 'webhook-deliveries']}
        fetchPage={(cursor) => storeApi<Page<Delivery>>('GET', '/webhooks/deliveries', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.at, cell: (d) => <DateText value={d.createdAt} /> },
          { header: text.event, cell: (d) => <Data>{d.eventType}</Data> },
          { header: text.status, cell: (d) => <StatusBadge status={d.status} /> },
          { header: text.attempts, cell: (d) => d.attempts },
          { header: text.last, cell: (d) => <Data>{d.lastStatus ?? ''}</Data> },
          { header: '', cell: (d) => (canWrite ? <Button size="compact-xs" variant="default" onClick={() => void replay(d)}>{text.replay}</Button> : null) },
        ]}
      />
    </>
  );
}
