// Where a schema form says a field's errors, once. @rjsf/mantine's inputs, selects and checkbox
// groups show their own errors (Mantine's `error`), and its FieldErrorTemplate renders a hidden
// copy; an object or a list of entries has no input of its own, so its errors ("the hours close
// before they open" on one opening-hours entry, "two bands at the same distance") were shown
// nowhere at the field. This template says those under the object or list, and nothing for a
// field whose input already says them. A oneOf/anyOf field hands its own errors both to its
// choice of option and to the chosen option's field (rjsf's MultiSchemaField), which said them
// twice: they are said once, under the field.
import type { ComponentType } from 'react';
import { List } from '@mantine/core';
import { getDefaultRegistry } from '@rjsf/core';
import { errorId, getSchemaType, type FieldErrorProps, type FieldPathId, type FieldProps } from '@rjsf/utils';

function Errors({ errors, fieldPathId }: { errors: FieldErrorProps['errors']; fieldPathId: FieldPathId }) {
  return (
    <List id={errorId(fieldPathId)} c="var(--mantine-color-error)" size="sm" listStyleType="none" data-testid="field-errors">
      {(errors ?? []).map((error, i) => (
        <List.Item key={i}>{error}</List.Item>
      ))}
    </List>
  );
}

export function FieldErrorTemplate({ errors, fieldPathId, schema, registry }: FieldErrorProps) {
  if (!errors?.length) return null;
  const type = getSchemaType(schema);
  const ownInput = !(type === 'object' || type === 'array') || registry.schemaUtils.isMultiSelect(schema);
  return ownInput ? null : <Errors errors={errors} fieldPathId={fieldPathId} />;
}

/** rjsf's oneOf/anyOf field, its own errors kept from both its parts and said once below them. */
function errorsOnce(Field: ComponentType<FieldProps>) {
  return function XxxOfField(props: FieldProps) {
    const { __errors, ...inner } = props.errorSchema ?? {};
    return (
      <>
        <Field {...props} errorSchema={inner} />
        {__errors?.length ? <Errors errors={__errors} fieldPathId={props.fieldPathId} /> : null}
      </>
    );
  };
}

const core = getDefaultRegistry().fields;
export const fieldErrorTemplates = { FieldErrorTemplate };
export const fieldErrorFields = { OneOfField: errorsOnce(core.OneOfField), AnyOfField: errorsOnce(core.AnyOfField) };
