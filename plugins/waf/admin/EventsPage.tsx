// Blocked, flagged, denied and rate-limited requests of this store, newest first (GET /admin/v1/waf/events).
import { useState } from 'react';
import { Group, NativeSelect, Code } from '@mantine/core';
import { storeApi, useSession, useCursorPager, ServerTable, PageTitle, DateText, Data, type Page , usePluginText } from '@bazaar/console';

interface WafEvent {
  id: string;
  createdAt: string;
  action: string;
  clientIp: string;
  method: string;
  path: string;
  detectors: string[];
  score: number;
}

const TEXT = {
  en: { title: 'Request filter events', action: 'Action', all: 'All', client: 'Client', request: 'Request', detectors: 'Detectors', score: 'Score', at: 'When' },
  'zh-CN': { title: '请求过滤事件', action: '处理', all: '全部', client: '客户端', request: '请求', detectors: '检测器', score: '分数', at: '时间' },
  ja: { title: 'リクエストフィルターのイベント', action: '処理', all: 'すべて', client: 'クライアント', request: 'リクエスト', detectors: '検知器', score: 'スコア', at: '日時' },
};
const ACTIONS = ['block', 'alert', 'deny', 'rate_limit'];

export default function EventsPage() {
  const text = usePluginText(TEXT);
  const session = useSession('store');
  const [action, setAction] = useState('');
  const pager = useCursorPager();
  return (
    <>
      <PageTitle>{text.title}</PageTitle>
      <Group mb="sm">
        <NativeSelect label={text.action} value={action} onChange={(e) => { setAction(e.currentTarget.value); pager.reset(); }} data={[{ value: '', label: text.all }, ...ACTIONS.map((a) => ({ value: a, label: a }))]} translate="no" />
      </Group>
      <ServerTable<WafEvent>
        label={text.title}
        pager={pager}
        queryKey={['store', session?.tenant, 'waf-events', action]}
        fetchPage={(cursor) => storeApi<Page<WafEvent>>('GET', '/waf/events', { query: { cursor, limit: 20, action: action || undefined } })}
        columns={[
          { header: text.at, cell: (e) => <DateText value={e.createdAt} /> },
          { header: text.action, cell: (e) => <Code translate="no">{e.action}</Code> },
          { header: text.client, cell: (e) => <Data>{e.clientIp}</Data> },
          { header: text.request, cell: (e) => <Data>{`${e.method} ${e.path}`}</Data> },
          { header: text.detectors, cell: (e) => <Data>{e.detectors.join(', ')}</Data> },
          { header: text.score, cell: (e) => e.score },
        ]}
      />
    </>
  );
}
