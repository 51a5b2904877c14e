// One plugin's settings, as a form rendered from its settings JSON Schema (@rjsf, Mantine
// theme). Secrets (writeOnly) are never shown: an empty secret field keeps the stored value.
// The form checks input with validators compiled from the schema at build time (no eval, so the
// console's CSP has no 'unsafe-eval'); the API checks it again, and its field errors are shown
// at the fields.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Group, Text } from '@mantine/core';
import Form from '@rjsf/mantine';
import createPrecompiledValidator from '@rjsf/validator-ajv8/lib/createPrecompiledValidator.js';
import type { ErrorSchema, RJSFSchema, UiSchema, ValidatorType } from '@rjsf/utils';
import precompiled from 'virtual:bazaar-settings-validators';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, storeApi } from '../../api';
import { useSession } from '../../layout/Shell';
import { useMe } from '../../layout/Consoles';
import { allows } from '../../perms';
import { Data, ErrorAlert, Loading, PageTitle, StatusBadge } from '../../components';
import { consolePlugins, type TenantPlugin } from '../../plugin-pages';
import { localizeErrors, rjsfTranslator } from '../../rjsf-text';
import { labelledUiSchema, type FieldText } from '../../schema-labels';
import { fieldErrorFields, fieldErrorTemplates } from '../../schema-field-errors';
import { matchesSchema } from '../../schema-match';

type Schema = RJSFSchema & { properties?: Record<string, RJSFSchema & { writeOnly?: boolean }> };

/**
 * writeOnly properties become password fields with a note when a value is stored. The plugin's
 * labels name fields at any depth by path ('shipFrom', 'shipFrom.city'; see schema-labels.ts).
 */
export function uiSchemaFor(schema: Schema, secretsSet: string[], note: string, labels: Record<string, { title?: string; description?: string }> = {}, none = ''): UiSchema {
  const text: FieldText = {};
  for (const [path, l] of Object.entries(labels)) {
    if (l.title) text[path] = l.title;
    if (l.description) text[`${path}#`] = l.description;
  }
  // Without the plugin's words the form keeps the schema's own names (it is marked translate="no").
  const ui: UiSchema = Object.keys(labels).length ? labelledUiSchema(schema, text, { none }) : {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const entry: Record<string, unknown> = { ...(ui[name] as Record<string, unknown> | undefined) };
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

/**
 * For a schema the build did not see (a plugin added since): no check in the browser, the API's
 * answer marks the fields. It never compiles anything; it tells rjsf which oneOf/anyOf option a
 * saved value is by its shape (`matchesSchema`), so a form opens on that option.
 */
export const apiCheckedValidator: ValidatorType = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: (schema, formData, rootSchema) => matchesSchema(schema, formData, rootSchema),
  rawValidation: () => ({ errors: undefined, validationError: undefined }),
};

/** The precompiled validator for this plugin's schema, if the build made one for exactly this schema. */
export async function settingsValidator(plugin: string, schema: RJSFSchema): Promise<ValidatorType> {
  const load = precompiled[plugin];
  if (!load) return apiCheckedValidator;
  try {
    const fns = (await load()).default;
    return createPrecompiledValidator(fns as never, schema);
  } catch {
    // The schema served differs from the one compiled (the plugin changed since the build).
    return apiCheckedValidator;
  }
}

/** The API's field errors (pointers under /settings) as the form's extra errors, each at its field. */
export function apiFieldErrors(error: unknown): ErrorSchema | undefined {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return undefined;
  const out: Record<string, unknown> = {};
  for (const e of error.problem.errors) {
    const parts = (e.pointer ?? '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (parts[0] === 'settings') parts.shift();
    if (!parts.length) continue;
    let node = out;
    for (const p of parts) node = (node[p] ??= {}) as Record<string, unknown>;
    // The API writes "<in>.<path> <what>" ("body.currency 不是本店的货币", "body.hours[0] closes
    // before it opens"): at the field, only the what.
    const where = e.in && new RegExp(`^${e.in}[.[]\\S* `).exec(e.message);
    ((node.__errors ??= []) as string[]).push(where ? e.message.slice(where[0].length) : e.message);
  }
  return Object.keys(out).length ? (out as ErrorSchema) : undefined;
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
  // What the user typed since the last save: rjsf starts again from its formData prop whenever
  // another prop changes (the API's errors arriving), which would undo a refused edit.
  const [draft, setDraft] = useState<Record<string, unknown> | null>(null);
  const labels = consolePlugins.find((c) => c.plugin === name)?.settingsLabels?.[i18n.language] ?? {};
  const schema = q.data?.settingsSchema as Schema | null | undefined;
  const validator = useQuery({ queryKey: ['validator', name, schema], queryFn: () => settingsValidator(name, schema!), enabled: Boolean(schema), staleTime: Infinity });
  const ui = useMemo(() => (schema ? { ...uiSchemaFor(schema, q.data?.secretsSet ?? [], t('plugins.secretSet'), labels, t('forms.none')), 'ui:submitButtonOptions': { submitText: t('common.save'), norender: !canWrite || !q.data?.enabled } } : {}), [schema, q.data, t, labels, canWrite]);
  const translateString = useMemo(() => rjsfTranslator(t), [t]);
  const transformErrors = useMemo(() => localizeErrors(t), [t]);
  if (q.isPending || (schema && validator.isPending)) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const p = q.data;
  const save = async (data: Record<string, unknown>) => {
    setError(null);
    setSaved(false);
    try {
      await storeApi('PUT', `/plugins/${name}/settings`, { body: { settings: withoutEmptySecrets(schema!, data) } });
      await qc.invalidateQueries({ queryKey: ['store', session?.tenant] });
      setDraft(null);
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
      <ErrorAlert error={error} labels={Object.fromEntries(Object.entries(labels).map(([path, l]) => [path, l.title]))} pointerBase="/settings" atFields />
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
              formData={draft ?? p.settings ?? {}}
              onChange={({ formData }) => setDraft((formData ?? {}) as Record<string, unknown>)}
              validator={validator.data ?? apiCheckedValidator}
              extraErrors={apiFieldErrors(error)}
              templates={fieldErrorTemplates}
              fields={fieldErrorFields}
              disabled={!canWrite || !p.enabled}
              showErrorList={false}
              noHtml5Validate
              translateString={translateString}
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
