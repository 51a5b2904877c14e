// Adding, changing and removing a logistics resource (zones, methods, pickup points, local
// delivery areas, slot calendars) from its page: the form is rendered from the Admin API route's own JSON Schema
// (`useRequestSchema` + `SchemaForm` from '@bazaar/console'), filled with the row as the API
// shows it; the API checks the input and its field errors show at the fields. A field holding
// another resource's id (a stock location, a slot calendar) is picked by name from its list
// (`choices`). Removing asks first.
import { Suspense, useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { storeApi, useMe, hasPermission, useRequestSchema, SchemaForm, ErrorAlert, Loading } from '@bazaar/console';
import type { SchemaFormProps } from '@bazaar/console';
import { useText } from './text';

/** A row as the API answers it: its own fields, less what the server keeps. */
function editable(row: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, createdAt: _c, updatedAt: _u, distanceKm: _d, ...rest } = row;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null));
}

export function useCanWrite(): boolean {
  const me = useMe();
  return hasPermission(me.data?.permissions ?? [], 'logistics:write');
}

/** The add button and the dialog for one resource; `editing` opens it on a row. */
export function ResourceEditor<R extends { id: string }>({ path, noun, labels, choices, editing, onClose, queryKey }: { path: string; noun: string; labels: SchemaFormProps['labels']; choices?: SchemaFormProps['choices']; editing: R | 'new' | null; onClose: () => void; queryKey: unknown[] }) {
  const text = useText();
  const qc = useQueryClient();
  const schema = useRequestSchema('POST', `/admin/v1${path}`);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setError(null);
    onClose();
  };
  const save = async (data: Record<string, unknown>) => {
    setError(null);
    setBusy(true);
    try {
      if (editing === 'new') await storeApi('POST', path, { body: data, idempotent: true });
      else if (editing) await storeApi('PUT', `${path}/${editing.id}`, { body: data });
      await qc.invalidateQueries({ queryKey });
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!editing || editing === 'new') return;
    setError(null);
    try {
      await storeApi('DELETE', `${path}/${editing.id}`);
      await qc.invalidateQueries({ queryKey });
      close();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Modal opened={editing !== null} onClose={close} title={`${editing === 'new' ? text.add : text.edit}: ${noun}`} size="lg">
      {schema.isPending ? (
        <Loading />
      ) : schema.error || !schema.data ? (
        <ErrorAlert error={schema.error ?? new Error('no schema')} />
      ) : (
        <Stack>
          <ErrorAlert error={error} labels={labels} atFields />
          <Suspense fallback={<Loading />}>
            <SchemaForm key={editing === 'new' || !editing ? 'new' : editing.id} schema={schema.data} formData={editing && editing !== 'new' ? editable(editing as unknown as Record<string, unknown>) : {}} labels={labels} choices={choices} submitLabel={text.save} error={error} disabled={busy} onSubmit={(d) => void save(d)} />
          </Suspense>
          {editing !== 'new' && <RemoveButton onConfirm={remove} />}
        </Stack>
      )}
    </Modal>
  );
}

function RemoveButton({ onConfirm }: { onConfirm: () => Promise<void> }) {
  const text = useText();
  const [asking, setAsking] = useState(false);
  return asking ? (
    <Group>
      <Text size="sm">{text.removeConfirm}</Text>
      <Button color="red.9" size="xs" onClick={() => void onConfirm()} data-testid="remove-confirm">{text.remove}</Button>
      <Button variant="default" size="xs" onClick={() => setAsking(false)}>{text.keep}</Button>
    </Group>
  ) : (
    <Group>
      <Button color="red.9" variant="outline" size="xs" onClick={() => setAsking(true)}>{text.remove}</Button>
    </Group>
  );
}

/** The page's title actions: an Add button for roles that may write (a page with two lists names what it adds). */
export function AddButton({ onClick, label, testId = 'logistics-add' }: { onClick: () => void; label?: string; testId?: string }): ReactNode {
  const text = useText();
  return useCanWrite() ? <Button onClick={onClick} data-testid={testId}>{label ?? text.add}</Button> : null;
}

/** A row's Edit button for roles that may write. */
export function EditButton({ onClick, name }: { onClick: () => void; name: string }): ReactNode {
  const text = useText();
  return useCanWrite() ? <Button size="compact-xs" variant="default" onClick={onClick} aria-label={`${text.edit} ${name}`}>{text.edit}</Button> : null;
}
