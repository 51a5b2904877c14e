// The labels of a schema form's fields at every depth, in the console's language. A page gives
// its words by the field's path (property names joined by dots, array items left out):
//   'areas'                   the top-level field
//   'areas.postalRules.start' a field of an object in an array of an object …
//   'areas.postalRules.mode=exclude'  an enum value's label (shown in its select)
//   'cutoff|0'                the title of a oneOf/anyOf option (by its index)
//   'timezone#'               the field's description
// A field without a word of the page's takes the schema's own title, then its name made readable
// ("postalRules" -> "Postal rules"). A description the page does not translate is dropped from the
// form outside English (`displaySchema`), so no API English is left in a zh-CN form.
import type { RJSFSchema, UiSchema } from '@rjsf/utils';

export type FieldText = Record<string, string | undefined>;

type Node = RJSFSchema & { properties?: Record<string, Node>; items?: Node | Node[]; oneOf?: Node[]; anyOf?: Node[]; enum?: unknown[] };

/** "postalRules" -> "Postal rules", "leadMinutes" -> "Lead minutes", "max_km" -> "Max km". */
export function humanise(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A field's label: the page's word for its path, the schema's title, its name made readable. */
export function labelFor(path: string, schema: Node | undefined, text: FieldText): string {
  return text[path] ?? (typeof schema?.title === 'string' ? schema.title : undefined) ?? humanise(path.split('.').pop() ?? path);
}

const isObject = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ui entries of a field (its label, its enum labels, its description) and of what it holds. */
function nodeUi(schema: Node, path: string, text: FieldText, opts: { none: string }): UiSchema {
  const ui: UiSchema = {};
  if (path) {
    ui['ui:title'] = labelFor(path, schema, text);
    const description = text[`${path}#`];
    if (description) ui['ui:description'] = description;
  }
  if (Array.isArray(schema.enum) && path) {
    const names = schema.enum.map((v) => text[`${path}=${String(v)}`]);
    if (names.some(Boolean)) ui['ui:enumNames'] = schema.enum.map((v, i) => names[i] ?? String(v));
  }
  // A set of a few choices (weekdays) as checkboxes, not a multi-select to open.
  const items = schema.items;
  if (schema.uniqueItems && isObject(items) && Array.isArray(items.enum) && items.enum.length <= 12) ui['ui:widget'] = 'checkboxes';
  Object.assign(ui, childrenUi(schema, path, text, opts));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    // rjsf takes a chosen option's ui from here alone: each carries the field's words too.
    ui[key] = options.map((opt, i) => {
      const own = isObject(opt) ? childrenUi(opt, path, text, opts) : {};
      const title = text[`${path}|${i}`] ?? (isObject(opt) && opt.type === 'null' ? opts.none : isObject(opt) && typeof opt.title === 'string' ? opt.title : path ? labelFor(path, schema, text) : undefined);
      return { ...childrenUi(schema, path, text, opts), ...own, ...(title ? { 'ui:title': title } : {}) };
    });
  }
  return ui;
}

/** Entries for an object's properties and an array's items. */
function childrenUi(schema: Node, path: string, text: FieldText, opts: { none: string }): UiSchema {
  const ui: UiSchema = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) if (isObject(prop)) ui[name] = nodeUi(prop, path ? `${path}.${name}` : name, text, opts);
  if (isObject(schema.items)) {
    const { 'ui:title': _title, 'ui:description': _d, ...items } = nodeUi(schema.items, path, text, opts);
    // rjsf titles an item "<property name>-<n>": here "<the field's label> <n>". A choice list
    // (enum items, shown as checkboxes) reads its option labels from a plain object.
    const label = path ? labelFor(path, schema, text) : '';
    ui.items = Array.isArray(schema.items.enum) || !label ? items : (_item: unknown, index: number) => ({ ...items, 'ui:title': `${label} ${index + 1}` });
  }
  return ui;
}

/** The uiSchema labelling every field of `schema` from `text` (merge the page's own options over it). */
export function labelledUiSchema(schema: Record<string, unknown>, text: FieldText, opts: { none: string }): UiSchema {
  return nodeUi(schema as Node, '', text, opts);
}

/** The schema with its descriptions left out (keeping `keep` ones): the API's English stays out of other languages. */
export function displaySchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map((s) => displaySchema(s)) as T;
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' && typeof v === 'string') continue;
    // Property names are keys, not schemas: a property called "description" stays.
    out[k] = k === 'properties' && isObject(v) ? Object.fromEntries(Object.entries(v).map(([n, s]) => [n, displaySchema(s)])) : displaySchema(v);
  }
  return out as T;
}

/**
 * The fields a problem names, each in the page's words where it has them (`labels` by dotted
 * path; an array item's index is left out to find its field's word: areas/0/country is
 * areas.country), else the API's field name; once each. `base` is where the form's data sits in
 * the request ('/settings' for a plugin's settings): the pointers are read from there. `byName`
 * names a field the page has no word for by its own name (the console's common field names:
 * `fields.email` for /owner/email), before falling back to the API's path.
 */
export function fieldNames(errors: readonly { pointer?: string }[], labels: FieldText = {}, base = '', byName?: (name: string) => string | undefined): string[] {
  const named = errors.map((e) => {
    const pointer = e.pointer ?? '';
    const inForm = base && (pointer === base || pointer.startsWith(`${base}/`)) ? pointer.slice(base.length) : pointer;
    const path = inForm.replace(/^\//, '').replace(/\//g, '.');
    const leaf = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
    return path && (labels[path] ?? labels[path.replace(/\.\d+(?=\.|$)/g, '')] ?? byName?.(leaf) ?? path);
  });
  return [...new Set(named.filter(Boolean))];
}
