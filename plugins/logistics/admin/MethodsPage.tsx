// The store's shipping methods (GET /admin/v1/logistics/methods), a page at a time, in the order
// the cart shows them: code, label, zone, calculator, delivery days; add, change or remove one
// (a form from the API's schema).
import { storeApi, useSession, ServerTable, PageTitle, Data, Money, type Page } from '@bazaar/console';
import { useState } from 'react';
import { useText } from './text';
import { AddButton, EditButton, ResourceEditor } from './editor';

interface Method {
  id: string;
  code: string;
  label: string;
  zoneId: string;
  currency: string;
  calculator: { type: string; amount?: number; carrier?: string; freeOver?: number };
  minDays: number | null;
  maxDays: number | null;
  active: boolean;
}

export default function MethodsPage() {
  const text = useText();
  const session = useSession('store');
  const [editing, setEditing] = useState<Method | 'new' | null>(null);
  const key = ['store', session?.tenant, 'logistics-methods'];
  return (
    <>
      <PageTitle actions={<AddButton onClick={() => setEditing('new')} />}>{text.methods}</PageTitle>
      <ResourceEditor<Method> path="/logistics/methods" noun={text.methods} labels={text.fields.method} choices={{ zoneId: { list: '/logistics/zones' } }} editing={editing} onClose={() => setEditing(null)} queryKey={key} />
      <ServerTable<Method>
        label={text.methods}
        queryKey={key}
        fetchPage={(cursor) => storeApi<Page<Method>>('GET', '/logistics/methods', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.code, cell: (m) => <Data>{m.code}</Data> },
          { header: text.name, cell: (m) => <Data>{m.label}</Data> },
          { header: text.calculator, cell: (m) => <><Data>{m.calculator.carrier ? `${m.calculator.type} ${m.calculator.carrier}` : m.calculator.type}</Data>{m.calculator.amount !== undefined && <> <Money amount={m.calculator.amount} currency={m.currency} /></>}</> },
          { header: text.days, cell: (m) => <Data>{m.minDays === null && m.maxDays === null ? text.none : `${m.minDays ?? ''}-${m.maxDays ?? ''}`}</Data> },
          { header: text.active, cell: (m) => (m.active ? text.yes : text.no) },
          { header: '', cell: (m) => <EditButton name={m.code} onClick={() => setEditing(m)} /> },
        ]}
      />
    </>
  );
}
