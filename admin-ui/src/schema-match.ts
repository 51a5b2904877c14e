// Whether a value has the shape a JSON Schema describes: what rjsf asks its validator when it
// opens a form on a saved row, to tell which oneOf/anyOf option the row's data is (a saved
// calendar's cutoff, a method's calculator by its `type`). The browser compiles no validator
// (CSP without 'unsafe-eval') and the API checks what is sent, so this only looks at shapes:
// types, const and enum, required and known properties, items, $ref and the combinators; not at
// lengths, patterns or bounds.
type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => same(a[k], b[k]));
  }
  return false;
}

/** A local $ref ('#/definitions/x') in the root schema. */
function resolve(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) node = isObject(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return node;
}

export function matchesSchema(schema: unknown, data: unknown, root: unknown = schema): boolean {
  if (schema === false) return false;
  if (!isObject(schema)) return true;
  if (typeof schema.$ref === 'string' && !matchesSchema(resolve(root, schema.$ref), data, root)) return false;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const type = typeOf(data);
    if (!types.some((t) => t === type || (t === 'number' && type === 'integer'))) return false;
  }
  if ('const' in schema && !same(schema.const, data)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((v) => same(v, data))) return false;
  if (isObject(data)) {
    if (Array.isArray(schema.required) && schema.required.some((k) => data[String(k)] === undefined)) return false;
    const properties = isObject(schema.properties) ? schema.properties : {};
    for (const [key, value] of Object.entries(data)) {
      if (value === undefined) continue;
      if (key in properties) {
        if (!matchesSchema(properties[key], value, root)) return false;
      } else if (schema.additionalProperties === false) return false;
      else if (isObject(schema.additionalProperties) && !matchesSchema(schema.additionalProperties, value, root)) return false;
    }
  }
  if (Array.isArray(data) && isObject(schema.items) && !data.every((item) => matchesSchema(schema.items, item, root))) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every((s) => matchesSchema(s, data, root))) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => matchesSchema(s, data, root))) return false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.filter((s) => matchesSchema(s, data, root)).length !== 1) return false;
  if (schema.not !== undefined && matchesSchema(schema.not, data, root)) return false;
  return true;
}
