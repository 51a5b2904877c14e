// The store's shipping zones (GET /admin/v1/logistics/zones), a page at a time: each zone's areas
// (country, region, postal rules); add, change or remove one (a form from the API's schema).
import { storeApi, useSession, ServerTable, PageTitle, Data, type Page } from '@bazaar/console';
import { useState } from 'react';
import { useText } from './text';
import { AddButton, EditButton, ResourceEditor } from './editor';

interface Zone {
  id: string;
  name: string;
  areas: { country: string; region?: string; postalRules?: { start: string; end?: string; mode: string }[] }[];
}

const areaText = (a: Zone['areas'][number]) =>
  [a.country, a.region, ...(a.postalRules ?? []).map((r) => `${r.mode === 'exclude' ? 'not ' : ''}${r.start}${r.end ? `..${r.end}` : ''}`)].filter(Boolean).join(' ');

export default function ZonesPage() {
  const text = useText();
  const session = useSession('store');
  const [editing, setEditing] = useState<Zone | 'new' | null>(null);
  const key = ['store', session?.tenant, 'logistics-zones'];
  return (
    <>
      <PageTitle actions={<AddButton onClick={() => setEditing('new')} />}>{text.zones}</PageTitle>
      <ResourceEditor<Zone> path="/logistics/zones" noun={text.zone} labels={text.fields.zone} editing={editing} onClose={() => setEditing(null)} queryKey={key} />
      <ServerTable<Zone>
        label={text.zones}
        queryKey={key}
        fetchPage={(cursor) => storeApi<Page<Zone>>('GET', '/logistics/zones', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.name, cell: (z) => <Data>{z.name}</Data> },
          { header: text.areas, cell: (z) => <Data>{z.areas.map(areaText).join('; ')}</Data> },
          { header: '', cell: (z) => <EditButton name={z.name} onClick={() => setEditing(z)} /> },
        ]}
      />
    </>
  );
}
