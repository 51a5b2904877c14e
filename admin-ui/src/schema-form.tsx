// A form rendered from an API route's request JSON Schema (@rjsf, Mantine theme), for plugin
// pages that edit their resources (`SchemaForm` and `useRequestSchema` from '@bazaar/console').
// The schema is read from the API's own /openapi.json, so the form asks for what the route
// validates; the browser compiles nothing (CSP without 'unsafe-eval'): the API checks the input
// and its field errors are shown at the fields. Loaded lazily with rjsf.
import { useMemo, useState } from 'react';
import Form from '@rjsf/mantine';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { useTranslation } from 'react-i18next';
import { apiCheckedValidator, apiFieldErrors } from './pages/store/PluginSettings';
import { localizeErrors, rjsfTranslator } from './rjsf-text';
import { displaySchema, labelledUiSchema, type FieldText } from './schema-labels';
import { idChoiceUi, type IdChoice } from './schema-choices';
import { fieldErrorFields, fieldErrorTemplates } from './schema-field-errors';

export type { IdChoice } from './schema-choices';

export interface SchemaFormProps {
  schema: Record<string, unknown>;
  formData?: Record<string, unknown>;
  /**
   * The fields' words in the console's language by path ('areas', 'areas.country', enum values as
   * 'areas.postalRules.mode=exclude', descriptions as 'timezone#'; see schema-labels.ts); a field
   * without one takes the schema's title, then its name made readable.
   */
  labels?: FieldText;
  /**
   * Fields holding the id of another of the store's resources, by path as `labels` (through
   * objects): each picked by name from the Admin API list it names, e.g.
   * `{ locationId: { list: '/stock-locations' } }`.
   */
  choices?: Record<string, IdChoice>;
  submitLabel: string;
  /** The API's error from the last submit: its field errors are shown at the fields. */
  error?: unknown;
  disabled?: boolean;
  onSubmit: (data: Record<string, unknown>) => void;
}

export default function SchemaForm({ schema, formData, labels = {}, choices, submitLabel, error, disabled, onSubmit }: SchemaFormProps) {
  const { t, i18n } = useTranslation();
  // What the user typed is kept here: rjsf starts again from its formData prop whenever another
  // prop changes (the API's errors arriving, the form disabled while saving), which would empty
  // a refused form. A form for another row is another SchemaForm (its parent keys it).
  const [data, setData] = useState<Record<string, unknown>>(formData ?? {});
  const translateString = useMemo(() => rjsfTranslator(t), [t]);
  const transformErrors = useMemo(() => localizeErrors(t), [t]);
  const ui = useMemo((): UiSchema => {
    const labelled = labelledUiSchema(schema, labels, { none: t('forms.none') });
    for (const [path, choice] of Object.entries(choices ?? {})) {
      const parts = path.split('.');
      let node = labelled;
      for (const p of parts) node = (node[p] ??= {}) as UiSchema;
      Object.assign(node, idChoiceUi(choice));
    }
    return { ...labelled, 'ui:submitButtonOptions': { submitText: submitLabel, norender: Boolean(disabled) } };
  }, [schema, labels, choices, submitLabel, disabled, t]);
  // The API's descriptions are English: other languages show only those the page translates.
  const shown = useMemo(() => (i18n.language === 'en' ? schema : displaySchema(schema)), [schema, i18n.language]);
  return (
    <div data-testid="schema-form">
      <Form
        schema={shown as RJSFSchema}
        uiSchema={ui}
        formData={data}
        onChange={({ formData: next }) => setData((next ?? {}) as Record<string, unknown>)}
        validator={apiCheckedValidator}
        extraErrors={apiFieldErrors(error)}
        templates={fieldErrorTemplates}
        fields={fieldErrorFields}
        disabled={disabled}
        showErrorList={false}
        noHtml5Validate
        omitExtraData
        translateString={translateString}
        transformErrors={transformErrors}
        onSubmit={({ formData: data }) => onSubmit((data ?? {}) as Record<string, unknown>)}
      />
    </div>
  );
}
