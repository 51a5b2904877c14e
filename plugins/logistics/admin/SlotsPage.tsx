// Slot calendars (GET /admin/v1/logistics/slot-calendars), a page at a time, added, changed and
// removed here (a form from the API's schema, its fields named in the console's language) and,
// for the one picked, its open dated slots with what each has booked and has left
// (GET .../slot-calendars/:id/slots).
import { useState } from 'react';
import { Button, Group, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { storeApi, useSession, ServerTable, PageTitle, Data, DateText, ScrollTable, ErrorAlert, Loading, EmptyRow, type Page } from '@bazaar/console';
import { useText } from './text';
import { AddButton, EditButton, ResourceEditor } from './editor';

interface Calendar {
  id: string;
  code: string;
  name: string;
  timezone: string;
  days: string[];
  windows: { start: string; end: string; capacity: number }[];
  leadMinutes: number;
  cutoff: { time: string; daysBefore: number } | null;
  horizonDays: number;
}

interface Slot {
  date: string;
  start: string;
  end: string;
  startsAt: string;
  capacity: number;
  booked: number;
  remaining: number;
}

function Slots({ calendar }: { calendar: Calendar }) {
  const text = useText();
  const session = useSession('store');
  const slots = useQuery({ queryKey: ['store', session?.tenant, 'logistics-slots', calendar.id], queryFn: () => storeApi<{ items: Slot[] }>('GET', `/logistics/slot-calendars/${calendar.id}/slots`) });
  if (slots.isPending) return <Loading />;
  if (slots.error) return <ErrorAlert error={slots.error} />;
  return (
    <ScrollTable label={`${text.slots}: ${calendar.name}`}>
      <Table.Thead>
        <Table.Tr>
          {[text.date, text.window, text.booked, text.remaining].map((h) => <Table.Th key={h}>{h}</Table.Th>)}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {slots.data.items.map((s) => (
          <Table.Tr key={`${s.date} ${s.start}`}>
            <Table.Td><DateText value={s.startsAt} /></Table.Td>
            <Table.Td><Data>{`${s.start}-${s.end}`}</Data></Table.Td>
            <Table.Td><Data>{`${s.booked} / ${s.capacity}`}</Data></Table.Td>
            <Table.Td><Data>{String(s.remaining)}</Data></Table.Td>
          </Table.Tr>
        ))}
        {slots.data.items.length === 0 && <EmptyRow cols={4} />}
      </Table.Tbody>
    </ScrollTable>
  );
}

export default function SlotsPage() {
  const text = useText();
  const session = useSession('store');
  const [open, setOpen] = useState<Calendar | null>(null);
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null);
  const key = ['store', session?.tenant, 'logistics-slot-calendars'];
  const closeEditor = () => {
    // A changed or removed calendar's slots are read again when it is opened.
    if (editing !== 'new' && editing?.id === open?.id) setOpen(null);
    setEditing(null);
  };
  return (
    <>
      <PageTitle actions={<AddButton onClick={() => setEditing('new')} label={text.addCalendar} />}>{text.calendars}</PageTitle>
      <ResourceEditor<Calendar> path="/logistics/slot-calendars" noun={text.calendarNoun} labels={text.fields.calendar} editing={editing} onClose={closeEditor} queryKey={key} />
      <ServerTable<Calendar>
        label={text.calendars}
        queryKey={key}
        fetchPage={(cursor) => storeApi<Page<Calendar>>('GET', '/logistics/slot-calendars', { query: { cursor, limit: 20 } })}
        columns={[
          { header: text.code, cell: (c) => <Data>{c.code}</Data> },
          { header: text.name, cell: (c) => <Data>{c.name}</Data> },
          { header: text.timezone, cell: (c) => <Data>{c.timezone}</Data> },
          { header: text.days, cell: (c) => <>{c.days.map((d) => text.dayNames[d as keyof typeof text.dayNames] ?? d).join(' ')}</> },
          { header: text.windows, cell: (c) => <Data>{c.windows.map((w) => `${w.start}-${w.end} ×${w.capacity}`).join(', ')}</Data> },
          { header: text.lead, cell: (c) => <Data>{String(c.leadMinutes)}</Data> },
          { header: text.cutoff, cell: (c) => <Data>{c.cutoff ? `${c.cutoff.time} (-${c.cutoff.daysBefore})` : text.none}</Data> },
          { header: text.horizon, cell: (c) => <Data>{String(c.horizonDays)}</Data> },
          {
            header: '',
            cell: (c) => (
              <Group gap="xs" wrap="nowrap">
                <Button size="compact-sm" variant="default" onClick={() => setOpen(open?.id === c.id ? null : c)}>{open?.id === c.id ? text.hide : text.show}</Button>
                <EditButton name={c.code} onClick={() => setEditing(c)} />
              </Group>
            ),
          },
        ]}
      />
      {open && (
        <>
          <Title order={2} size="h3" mt="lg" mb="sm">{`${text.slots}: ${open.name}`}</Title>
          <Slots calendar={open} />
        </>
      )}
    </>
  );
}
