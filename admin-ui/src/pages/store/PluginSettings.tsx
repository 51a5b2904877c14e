// One plugin's settings, as a form rendered from its settings JSON Schema (@rjsf, Mantine
// theme). Secrets (writeOnly) are never shown: an empty secret field keeps the stored value.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Group, Text } from '@mantine/core';
import Form from '@rjsf/mantine';
import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema, UiSchema, RJSFValidationError } from '@rjsf/utils';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { storeApi } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { Data, ErrorAlert, Loading, PageTitle, StatusBadge } from '../../components';
import { consolePlugins, type TenantPlugin } from '../../plugin-pages';

type Schema = RJSFSchema & { properties?: Record<string, RJSFSchema & { writeOnly?: boolean }> };

/** writeOnly properties become password fields with a note when a value is stored. */
export function uiSchemaFor(schema: Schema, secretsSet: string[], note: string, labels: Record<string, { title?: string; description?: string }> = {}): UiSchema {
  const ui: UiSchema = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const entry: Record<string, unknown> = {};
    if (prop.writeOnly) {
      entry['ui:widget'] = 'password';
      if (secretsSet.includes(name)) entry['ui:help'] = note;
    }
    if (labels[name]?.title) entry['ui:title'] = labels[name].title;
    if (labels[name]?.description) entry['ui:description'] = labels[name].description;
    if (Object.keys(entry).length) ui[name] = entry;
  }
  return ui;
}

/** Drops empty writeOnly fields, so the API keeps the stored secret. */
export function withoutEmptySecrets(schema: Schema, data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) if (prop.writeOnly && (out[name] === undefined || out[name] === '')) delete out[name];
  return out;
}

export default function PluginSettings() {
  const { t, i18n } = useTranslation();
  const session = useSession('store');
  const me = useMe();
  const canWrite = allows(me.data?.permissions ?? [], 'plugins:write');
  const { name } = useParams({ strict: false }) as { name: string };
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['store', session?.tenant, 'plugin', name], queryFn: () => storeApi<TenantPlugin>('GET', `/plugins/${name}`) });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const labels = consolePlugins.find((c) => c.plugin === name)?.settingsLabels?.[i18n.language] ?? {};
  const schema = q.data?.settingsSchema as Schema | null | undefined;
  const ui = useMemo(() => (schema ? { ...uiSchemaFor(schema, q.data?.secretsSet ?? [], t('plugins.secretSet'), labels), 'ui:submitButtonOptions': { submitText: t('common.save'), norender: !canWrite || !q.data?.enabled } } : {}), [schema, q.data, t, labels, canWrite]);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const p = q.data;
  const save = async (data: Record<string, unknown>) => {
    setError(null);
    setSaved(false);
    try {
      await storeApi('PUT', `/plugins/${name}/settings`, { body: { settings: withoutEmptySecrets(schema!, data) } });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
      setSaved(true);
    } catch (err) {
      setError(err);
    }
  };
  const enable = async () => {
    setError(null);
    try {
      await storeApi('POST', `/plugins/${name}/${p.enabled ? 'disable' : 'enable'}`, { body: {} });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
    } catch (err) {
      setError(err);
    }
  };
  const transformErrors = (errors: RJSFValidationError[]) =>
    errors.map((e) => ({ ...e, message: e.name === 'required' ? t('forms.required') : e.name === 'minLength' ? t('forms.tooShort') : t('forms.invalid') }));
  return (
    <>
      <PageTitle
        actions={
          canWrite && (
            <Button variant={p.enabled ? 'default' : 'filled'} onClick={() => void enable()}>
              {t(p.enabled ? 'plugins.disable' : 'plugins.enable')}
            </Button>
          )
        }
      >
        {t('plugins.settings')}: <Data>{p.name}</Data>
      </PageTitle>
      <Group mb="md" gap="xs">
        <StatusBadge status={p.enabled ? 'enabled' : 'disabled'} />
        <Text size="sm">
          {t('plugins.version')} <Data>{p.version}</Data>
        </Text>
      </Group>
      <ErrorAlert error={error} />
      {saved && (
        <Alert color="teal" variant="light" role="status" mb="sm">
          {t('plugins.saved')}
        </Alert>
      )}
      <Card withBorder>
        {schema ? (
          <div translate={Object.keys(labels).length ? undefined : 'no'} data-testid="settings-form">
            <Form
              schema={schema}
              uiSchema={ui}
              formData={p.settings ?? {}}
              validator={validator}
              disabled={!canWrite || !p.enabled}
              showErrorList={false}
              noHtml5Validate
              transformErrors={transformErrors}
              onSubmit={({ formData }) => void save((formData ?? {}) as Record<string, unknown>)}
            />
          </div>
        ) : (
          <Text size="sm">{t('plugins.noSettings')}</Text>
        )}
      </Card>
    </>
  );
}
