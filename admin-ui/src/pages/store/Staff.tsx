// Staff and their roles: add, change role, remove (owner and admin roles hold staff:write).
import { useState } from 'react';
import { Button, Code, Group, Modal, NativeSelect, PasswordInput, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useForm } from 'react-hook-form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { DateText, ErrorAlert, PageTitle, StatusBadge, Data, Loading, ScrollTable } from '../../components';
import { ServerTable } from '../../list';

interface Staff {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  createdAt: string;
}
const ROLES = ['owner', 'admin', 'staff', 'viewer'];

/** What each role may do, as the API grants it. */
function RolesTable() {
  const { t } = useTranslation();
  const session = useSession('store');
  const q = useQuery({ queryKey: ['store', session?.tenant, 'roles'], queryFn: () => storeApi<{ items: { role: string; permissions: string[] }[] }>('GET', '/roles') });
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  return (
    <ScrollTable label={t('staff.rolesTitle')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('common.role')}</Table.Th>
          <Table.Th>{t('staff.permissions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {q.data.items.map((r) => (
          <Table.Tr key={r.role} data-testid={`role-${r.role}`}>
            <Table.Td>{t(`staff.roles.${r.role}`)}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                {r.permissions.map((p) => (
                  <Code key={p} translate="no">
                    {p === '*' ? t('staff.everything') : p}
                  </Code>
                ))}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ScrollTable>
  );
}

export default function StaffPage() {
  const { t } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'staff:write');
  const qc = useQueryClient();
  const [opened, dialog] = useDisclosure();
  const [error, setError] = useState<unknown>(null);
  const { register, handleSubmit, reset, formState } = useForm({ defaultValues: { email: '', name: '', role: 'staff', password: '' } });
  const refresh = () => qc.invalidateQueries({ queryKey: ['store', session?.tenant, 'staff'] });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      await storeApi('POST', '/staff', { body: { email: v.email.trim(), name: v.name.trim(), role: v.role, ...(v.password ? { password: v.password } : {}) } });
      reset();
      dialog.close();
      await refresh();
    } catch (err) {
      setError(err);
    }
  });
  const setRole = async (s: Staff, role: string) => {
    setError(null);
    try {
      await storeApi('PATCH', `/staff/${s.id}`, { body: { role } });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <PageTitle actions={canWrite && <Button onClick={dialog.open}>{t('staff.invite')}</Button>}>{t('staff.title')}</PageTitle>
      <ErrorAlert error={error} />
      <ServerTable<Staff>
        label={t('staff.title')}
        queryKey={['store', session?.tenant, 'staff']}
        fetchPage={(cursor) => storeApi<Page<Staff>>('GET', '/staff', { query: { cursor, limit: 20 } })}
        columns={[
          { header: t('common.name'), cell: (s) => <Data>{s.name}</Data> },
          { header: t('common.email'), cell: (s) => <span id={`staff-${s.id}`} translate="no">{s.email}</span> },
          {
            header: t('common.role'),
            cell: (s) =>
              canWrite && s.id !== me.data?.staff?.id ? (
                <NativeSelect aria-label={t('common.role')} aria-describedby={`staff-${s.id}`} size="xs" value={s.role} onChange={(e) => void setRole(s, e.currentTarget.value)} data={ROLES.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))} />
              ) : (
                t(`staff.roles.${s.role}`)
              ),
          },
          { header: t('common.status'), cell: (s) => <StatusBadge status={s.status} /> },
          { header: t('common.created'), cell: (s) => <DateText value={s.createdAt} /> },
        ]}
      />
      <Title order={2} size="h4" mt="xl" mb="sm">
        {t('staff.rolesTitle')}
      </Title>
      <RolesTable />
      <Modal opened={opened} onClose={dialog.close} title={t('staff.invite')}>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <Stack>
            <TextInput label={t('common.email')} type="email" {...register('email', { required: t('forms.required') })} error={formState.errors.email?.message} data-autofocus />
            <TextInput label={t('common.name')} {...register('name', { required: t('forms.required') })} error={formState.errors.name?.message} />
            <NativeSelect label={t('common.role')} {...register('role')} data={ROLES.map((r) => ({ value: r, label: t(`staff.roles.${r}`) }))} />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('app.showPassword') }} label={t('staff.password')} {...register('password')} />
            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={formState.isSubmitting}>
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
