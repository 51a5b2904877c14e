// The store's shipping zones (GET /admin/v1/logistics/zones), a page at a time: each zone's areas
// (country, region, postal rules).
import { storeApi, useSession, ServerTable, PageTitle, Data, type Page } from '@bazaar/console';
import { useText } from './text';

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
  return (
    <>
      <PageTitle>{text.zones}</PageTitle>
      <ServerTable<Zone>
        label={text.zones}
        queryKey={['store', session?.tenant, 'logistics-zones']}
        fetchPage={(cursor) => storeApi<Page<Zone>>('GET', '/logistics/zones', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.name, cell: (z) => <Data>{z.name}</Data> },
          { header: text.areas, cell: (z) => <Data>{z.areas.map(areaText).join('; ')}</Data> },
        ]}
      />
    </>
  );
}
