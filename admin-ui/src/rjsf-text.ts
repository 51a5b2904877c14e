// @rjsf's own words in the console's language: the library's built-in English (buttons such as
// "Add" and "Move up", the array item title, option prefixes, …) comes through rjsf's
// `translateString` prop, keyed by the TranslatableString enum's member name under
// `rjsf.strings` in the locales; validation errors from the compiled validators get a message
// from `rjsf.errors` by their keyword (with the keyword's limit where it has one), never ajv's
// English ("must have required property …").
import { TranslatableString, replaceStringParameters, type RJSFValidationError } from '@rjsf/utils';
import type { TFunction } from 'i18next';

/** The enum's member name for each of its values ("Add Item" -> AddItemButton). */
const NAME_OF = new Map<string, string>(Object.entries(TranslatableString).map(([name, value]) => [value, name]));

/** rjsf's `translateString`: %1, %2 … are rjsf's parameters, kept as rjsf fills them. */
export function rjsfTranslator(t: TFunction): (key: TranslatableString, params?: string[]) => string {
  return (key, params) => {
    const name = NAME_OF.get(key);
    const text = name ? t(`rjsf.strings.${name}`, { defaultValue: key }) : key;
    return replaceStringParameters(text, params);
  };
}

/** Keywords with a message of their own; any other is `rjsf.errors.invalid`. */
const KEYWORDS = ['required', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'pattern', 'format', 'type', 'enum', 'const', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'additionalProperties', 'oneOf', 'anyOf'] as const;
export const ERROR_KEYWORDS: readonly string[] = KEYWORDS;

/** rjsf's `transformErrors`: each validation error's message in the console's language. */
export function localizeErrors(t: TFunction): (errors: RJSFValidationError[]) => RJSFValidationError[] {
  return (errors) =>
    errors.map((e) => {
      const keyword = e.name && (KEYWORDS as readonly string[]).includes(e.name) ? e.name : 'invalid';
      const params = (e.params ?? {}) as Record<string, unknown>;
      const message = t(`rjsf.errors.${keyword}`, { limit: params.limit, multipleOf: params.multipleOf });
      return { ...e, message, stack: message };
    });
}
