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

/**
 * What a field error was about (ajv's params: a limit, the allowed values...), kept beside the
 * error rather than in it, so the problem middleware can say it in the request's language.
 */
export const fieldParams = new WeakMap<FieldError, Record<string, unknown>>();

/** A field error with the values its message names, for services that build their own. */
export function fieldError(where: string, pointer: string, code: string, message: string, params: Record<string, unknown> = {}): FieldError {
  const e: FieldError = { in: where, pointer, code, message };
  fieldParams.set(e, params);
  return e;
}

function paramsOf(e: ErrorObject): Record<string, unknown> {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'enum') return { values: (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ') };
  if (e.keyword === 'type') return { type: Array.isArray(p.type) ? p.type.join(', ') : p.type };
  return p;
}

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
    out.push(fieldError(where, pointer || '/', code, `${where}${pointer.replace(/\//g, '.')} ${message}`, paramsOf(e)));
  }
  return out;
}
