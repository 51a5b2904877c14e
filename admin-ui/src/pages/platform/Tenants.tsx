import { AnchorLink } from '../../components';
// Stores of the platform: search, status filter, keyset pages; create a store with its owner.
import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useForm } from 'react-hook-form';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { platformApi, type Page } from '../../api';
import { Data, DateText, ErrorAlert, PageTitle, StatusBadge, useCursorPager } from '../../components';
import { ServerTable } from '../../list';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  status: string;
  defaultLocale: string;
  defaultCurrency: string;
  currencies: string[];
  placement: string;
  domains: string[];
  createdAt: string;
}

export default function Tenants() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [status, setStatus] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const pager = useCursorPager();
  const [opened, dialog] = useDisclosure();
  const [error, setError] = useState<unknown>(null);
  const { register, handleSubmit, formState, reset } = useForm({ defaultValues: { name: '', slug: '', defaultCurrency: 'USD', ownerEmail: '', ownerPassword: '' } });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    try {
      const created = await platformApi<Tenant>('POST', '/tenants', {
        idempotent: true,
        body: { name: v.name.trim(), slug: v.slug.trim(), defaultCurrency: v.defaultCurrency.trim().toUpperCase(), owner: { email: v.ownerEmail.trim(), name: v.name.trim(), ...(v.ownerPassword ? { password: v.ownerPassword } : {}) } },
      });
      reset();
      dialog.close();
      await qc.invalidateQueries({ queryKey: ['platform'] });
      await navigate({ to: '/platform/tenants/$tenantId', params: { tenantId: created.id } });
    } catch (err) {
      setError(err);
    }
  });
  const required = { required: t('forms.required') };
  return (
    <>
      <PageTitle actions={<Button onClick={dialog.open}>{t('tenants.new')}</Button>}>{t('tenants.title')}</PageTitle>
      <Group mb="sm" align="end">
        <TextInput label={t('common.search')} value={search} onChange={(e) => { setSearch(e.currentTarget.value); pager.reset(); }} w={240} />
        <Select
          label={t('common.status')}
          data={[{ value: '', label: t('common.all') }, { value: 'active', label: t('status.active') }, { value: 'suspended', label: t('status.suspended') }, { value: 'pending', label: t('status.pending') }, { value: 'terminated', label: t('status.terminated') }]}
          value={status ?? ''}
          onChange={(v) => { setStatus(v || null); pager.reset(); }}
          allowDeselect={false}
          w={180}
        />
      </Group>
      <ServerTable<Tenant>
        label={t('tenants.title')}
        pager={pager}
        queryKey={['platform', 'tenants', status, q]}
        fetchPage={(cursor) => platformApi<Page<Tenant>>('GET', '/tenants', { query: { cursor, limit: 20, status, q } })}
        columns={[
          { header: t('common.name'), cell: (x) => <AnchorLink to="/platform/tenants/$tenantId" params={{ tenantId: x.id }} translate="no">{x.name}</AnchorLink> },
          { header: t('tenants.slug'), cell: (x) => <Data>{x.slug}</Data> },
          { header: t('common.status'), cell: (x) => <StatusBadge status={x.status} /> },
          { header: t('tenants.placement'), cell: (x) => <Data>{x.placement}</Data> },
          { header: t('common.created'), cell: (x) => <DateText value={x.createdAt} /> },
        ]}
      />
      <Modal opened={opened} onClose={dialog.close} title={t('tenants.new')}>
        <form onSubmit={(e) => void onSubmit(e)} noValidate>
          <Stack>
            <TextInput label={t('settings.storeName')} {...register('name', required)} error={formState.errors.name?.message} data-autofocus />
            <TextInput label={t('tenants.slug')} {...register('slug', required)} error={formState.errors.slug?.message} />
            <TextInput label={t('settings.defaultCurrency')} maxLength={3} {...register('defaultCurrency', required)} />
            <TextInput label={t('tenants.ownerEmail')} type="email" {...register('ownerEmail', required)} error={formState.errors.ownerEmail?.message} />
            <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('app.showPassword') }} label={t('tenants.ownerPassword')} {...register('ownerPassword')} />
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
