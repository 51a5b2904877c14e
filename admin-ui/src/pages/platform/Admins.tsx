// Platform admins: who they are, add one with a first password (handed over out of band), remove
// one after a confirmation. The API audits both and never removes the last admin.
import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useForm } from 'react-hook-form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { platformApi, type Page } from '../../api';
import { useSession } from '../../layout/Shell';
import { Data, DateText, ErrorAlert, PageTitle, useCursorPager } from '../../components';
import { ServerTable } from '../../list';

interface Admin {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export default function Admins() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession('platform');
  const me = useQuery({ queryKey: ['platform', session?.email, 'me'], queryFn: () => platformApi<{ id: string }>('GET', '/me') });
  const pager = useCursorPager();
  const [opened, dialog] = useDisclosure();
  const [removing, setRemoving] = useState<Admin | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { register, handleSubmit, formState, reset } = useForm({ defaultValues: { name: '', email: '', password: '' } });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      await platformApi('POST', '/admins', { idempotent: true, body: { name: v.name.trim(), email: v.email.trim(), password: v.password } });
      reset();
      dialog.close();
      await qc.invalidateQueries({ queryKey: ['platform', 'admins'] });
    } catch (err) {
      setError(err);
    }
  });
  const remove = async (a: Admin) => {
    setError(null);
    setBusy(true);
    try {
      await platformApi('DELETE', `/admins/${a.id}`);
      setRemoving(null);
      await qc.invalidateQueries({ queryKey: ['platform', 'admins'] });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const required = { required: t('forms.required') };
  return (
    <>
      <PageTitle
        actions={
          <Button
            onClick={() => {
              setError(null);
              dialog.open();
            }}
          >
            {t('admins.add')}
          </Button>
        }
      >
        {t('admins.title')}
      </PageTitle>
      {!opened && !removing && <ErrorAlert error={error} />}
      <ServerTable<Admin>
        label={t('admins.title')}
        pager={pager}
        queryKey={['platform', 'admins']}
        fetchPage={(cursor) => platformApi<Page<Admin>>('GET', '/admins', { query: { cursor, limit: 20 } })}
        columns={[
          { header: t('common.name'), cell: (a) => <><Data>{a.name}</Data>{a.id === me.data?.id && <Text span size="xs"> ({t('admins.you')})</Text>}</> },
          { header: t('common.email'), cell: (a) => <Data>{a.email}</Data> },
          { header: t('common.created'), cell: (a) => <DateText value={a.createdAt} /> },
          {
            header: t('common.actions'),
            cell: (a) => (
              <Button size="compact-sm" variant="outline" color="red.9" aria-label={`${t('common.remove')} ${a.email}`} onClick={() => { setError(null); setRemoving(a); }}>
                {t('common.remove')}
              </Button>
            ),
          },
        ]}
      />
      <Modal opened={opened} onClose={dialog.close} title={t('admins.add')}>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <Stack>
            <TextInput label={t('common.name')} maxLength={200} {...register('name', required)} error={formState.errors.name?.message} data-autofocus />
            <TextInput label={t('common.email')} type="email" maxLength={254} {...register('email', required)} error={formState.errors.email?.message} />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('app.showPassword') }} label={t('admins.password')} description={t('admins.passwordHint')} {...register('password', { ...required, minLength: { value: 10, message: t('forms.tooShort') } })} error={formState.errors.password?.message} />
            <ErrorAlert error={error} />
            <Group>
              <Button type="submit" loading={formState.isSubmitting}>
                {t('common.add')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={removing !== null} onClose={() => setRemoving(null)} title={t('admins.remove')}>
        {removing && (
          <Stack>
            <Text size="sm">
              {t('admins.removeConfirm')} <Data>{removing.email}</Data>
            </Text>
            <ErrorAlert error={error} />
            <Group>
              <Button color="red.9" loading={busy} onClick={() => void remove(removing)}>
                {t('common.confirm')}
              </Button>
              <Button variant="default" onClick={() => setRemoving(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
