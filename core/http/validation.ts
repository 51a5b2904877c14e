// One ajv per role, compiled once per route at boot. Params and query are coerced from
// strings; bodies are not (a JSON body says what it means).
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FieldError } from '../errors.js';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function make(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, coerceTypes: coerce ? 'array' : false, useDefaults: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

export const ajvCoercing = make(true);
export const ajvStrict = make(false);

export type Validator = ValidateFunction;

export function toFieldErrors(where: string, errors: ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let pointer = e.instancePath;
    let code = e.keyword;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      pointer += `/${(e.params as { additionalProperty: string }).additionalProperty}`;
      code = 'unknown_field';
      message = 'is not a known field';
    } else if (e.keyword === 'required') {
      pointer += `/${(e.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    // anyOf/oneOf branches repeat themselves; keep the first word on each field.
    const key = `${pointer}|${code}`;
    if (seen.has(key) || e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    seen.add(key);
    out.push({ in: where, pointer: pointer || '/', code, message: `${where}${pointer.replace(/\//g, '.')} ${message}` });
  }
  return out;
}
