// Pickup points (GET /admin/v1/logistics/pickup-points) and local delivery areas
// (GET /admin/v1/logistics/local-areas), each a page at a time; both are added, changed and
// removed here (a form from the API's schema, its fields named in the console's language).
import { storeApi, useSession, ServerTable, PageTitle, Data, Money, type Page } from '@bazaar/console';
import { Group, Title } from '@mantine/core';
import { useState } from 'react';
import { useText } from './text';
import { AddButton, EditButton, ResourceEditor } from './editor';

interface Point {
  id: string;
  code: string;
  name: string;
  address: { line1: string; city: string; postalCode: string; country: string };
  hours: { day: string; open: string; close: string }[];
  fee: number;
  currency: string;
  calendarId: string | null;
  active: boolean;
}

interface Area {
  id: string;
  code: string;
  name: string;
  country: string;
  postalCodes: string[];
  bands: { maxKm: number; fee: number }[] | null;
  fee: number;
  currency: string;
  freeOver: number | null;
  calendarId: string | null;
  active: boolean;
}

/** The stock location and the slot calendar are picked by name from the store's own. */
const choices = { locationId: { list: '/stock-locations' }, calendarId: { list: '/logistics/slot-calendars' } };

export default function PickupPage() {
  const text = useText();
  const session = useSession('store');
  const [editing, setEditing] = useState<Point | 'new' | null>(null);
  const key = ['store', session?.tenant, 'logistics-pickup-points'];
  const [editingArea, setEditingArea] = useState<Area | 'new' | null>(null);
  const areaKey = ['store', session?.tenant, 'logistics-local-areas'];
  return (
    <>
      <PageTitle actions={<AddButton onClick={() => setEditing('new')} />}>{text.pickup}</PageTitle>
      <ResourceEditor<Point> path="/logistics/pickup-points" noun={text.pickup} labels={text.fields.point} choices={choices} editing={editing} onClose={() => setEditing(null)} queryKey={key} />
      <ServerTable<Point>
        label={text.pickup}
        queryKey={key}
        fetchPage={(cursor) => storeApi<Page<Point>>('GET', '/logistics/pickup-points', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.code, cell: (p) => <Data>{p.code}</Data> },
          { header: text.name, cell: (p) => <Data>{p.name}</Data> },
          { header: text.address, cell: (p) => <Data>{`${p.address.line1}, ${p.address.postalCode} ${p.address.city}, ${p.address.country}`}</Data> },
          { header: text.hours, cell: (p) => <Data>{p.hours.map((h) => `${h.day} ${h.open}-${h.close}`).join(', ') || text.none}</Data> },
          { header: text.fee, cell: (p) => <Money amount={p.fee} currency={p.currency} /> },
          { header: text.calendar, cell: (p) => (p.calendarId ? text.yes : text.no) },
          { header: text.active, cell: (p) => (p.active ? text.yes : text.no) },
          { header: '', cell: (p) => <EditButton name={p.code} onClick={() => setEditing(p)} /> },
        ]}
      />
      <Group justify="space-between" mt="lg" mb="sm">
        <Title order={2} size="h3">{text.local}</Title>
        <AddButton onClick={() => setEditingArea('new')} label={text.addArea} testId="logistics-add-area" />
      </Group>
      <ResourceEditor<Area> path="/logistics/local-areas" noun={text.areaNoun} labels={text.fields.area} choices={choices} editing={editingArea} onClose={() => setEditingArea(null)} queryKey={areaKey} />
      <ServerTable<Area>
        label={text.local}
        queryKey={areaKey}
        fetchPage={(cursor) => storeApi<Page<Area>>('GET', '/logistics/local-areas', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.code, cell: (a) => <Data>{a.code}</Data> },
          { header: text.name, cell: (a) => <Data>{a.name}</Data> },
          { header: text.where, cell: (a) => <Data>{[a.country, a.postalCodes.length ? `${text.postcodes} ${a.postalCodes.slice(0, 5).join(' ')}${a.postalCodes.length > 5 ? ' …' : ''}` : '', ...(a.bands ?? []).map((b) => `≤${b.maxKm} ${text.km}`)].filter(Boolean).join(', ')}</Data> },
          { header: text.fee, cell: (a) => (a.bands?.length ? <>{a.bands.map((b, i) => <span key={i}>{i > 0 && ' / '}<Money amount={b.fee} currency={a.currency} /></span>)}</> : <Money amount={a.fee} currency={a.currency} />) },
          { header: text.freeOver, cell: (a) => (a.freeOver === null ? text.none : <Money amount={a.freeOver} currency={a.currency} />) },
          { header: text.calendar, cell: (a) => (a.calendarId ? text.yes : text.no) },
          { header: text.active, cell: (a) => (a.active ? text.yes : text.no) },
          { header: '', cell: (a) => <EditButton name={a.code} onClick={() => setEditingArea(a)} /> },
        ]}
      />
    </>
  );
}
