// The store's own settings: name, default language and currency, currencies, tax.
import { useState } from 'react';
import { Alert, Box, Button, Card, Group, NativeSelect, NumberInput, Stack, TagsInput, TextInput } from '@mantine/core';
import { Controller, useForm } from 'react-hook-form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { storeApi } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { ErrorAlert, Loading, PageTitle } from '../../components';
import { useStoreInfo, type StoreInfo } from './store-info';

function SettingsForm({ store }: { store: StoreInfo }) {
  const { t } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'store:write');
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const { register, control, handleSubmit, formState } = useForm({
    defaultValues: { name: store.name, defaultLocale: store.defaultLocale, defaultCurrency: store.defaultCurrency, currencies: store.currencies, taxMode: store.taxMode ?? 'exclusive', taxRateBp: store.taxRateBp ?? 0 },
  });
  const onSubmit = handleSubmit(async (v) => {
    setError(null);
    setSaved(false);
    try {
      await storeApi('PATCH', '/store', { body: { ...v, name: v.name.trim(), taxRateBp: Number(v.taxRateBp) } });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  });
  return (
    <Card withBorder maw={640}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
          <Stack>
            <TextInput label={t('settings.storeName')} {...register('name', { required: t('forms.required') })} error={formState.errors.name?.message} />
            <NativeSelect label={t('settings.defaultLocale')} {...register('defaultLocale')} data={[...new Set(['en', 'zh-CN', 'ja', store.defaultLocale])]} />
            <Controller control={control} name="currencies" render={({ field }) => (
                <Box translate="no">
                  <TagsInput label={t('settings.currencies')} value={field.value} onChange={(v) => field.onChange(v.map((c) => c.toUpperCase()))} />
                </Box>
              )} />
            <Controller control={control} name="defaultCurrency" render={({ field }) => <TextInput label={t('settings.defaultCurrency')} value={field.value} onChange={(e) => field.onChange(e.currentTarget.value.toUpperCase())} maxLength={3} />} />
            <NativeSelect label={t('settings.taxMode')} {...register('taxMode')} data={['exclusive', 'inclusive']} translate="no" />
            <Controller control={control} name="taxRateBp" render={({ field }) => <NumberInput label={t('settings.taxRate')} min={0} max={10000} allowDecimal={false} value={field.value} onChange={(v) => field.onChange(Number(v) || 0)} />} />
            <ErrorAlert error={error} />
            {saved && (
              <Alert color="teal" variant="light" role="status">
                {t('common.saved')}
              </Alert>
            )}
            {canWrite && (
              <Group>
                <Button type="submit" loading={formState.isSubmitting}>
                  {t('common.save')}
                </Button>
              </Group>
            )}
          </Stack>
        </fieldset>
      </form>
    </Card>
  );
}

export default function Settings() {
  const { t } = useTranslation();
  const info = useStoreInfo();
  return (
    <>
      <PageTitle>{t('settings.title')}</PageTitle>
      {info.isPending ? <Loading /> : info.error ? <ErrorAlert error={info.error} /> : <SettingsForm store={info.data} />}
    </>
  );
}
