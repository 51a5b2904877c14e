// definePlugin() and the checks a manifest passes before its plugin may boot. Every failure is
// one line naming the plugin, where it came from, and the field.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsImport from 'ajv-formats';
import semver from 'semver';
import { ConfigError } from '../config.js';
import { TenantModel } from '../db/model.js';
import { knownServicePermissions, pluginService } from './services.js';
import type { Permission, PluginDefinition } from './types.js';

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

/** Identity at run time; at compile time it infers the permissions, so `api.use()` knows what was declared. */
export function definePlugin<const P extends Permission = never>(def: PluginDefinition<P>): PluginDefinition<P> {
  return def;
}

/** A plugin the platform is configured to load cannot boot: the CLI prints the one line and exits 2. */
export class PluginBootError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'PluginBootError';
  }
}

export const PLUGIN_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const manifestSchema = {
  type: 'object',
  required: ['name', 'version', 'core', 'register'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: PLUGIN_NAME.source, minLength: 2, maxLength: 40 },
    version: { type: 'string' },
    core: { type: 'string' },
    description: { type: 'string', maxLength: 500 },
    author: { type: 'string', minLength: 1, maxLength: 200 },
    scope: { enum: ['tenant', 'platform'] },
    requires: { type: 'object', propertyNames: { pattern: PLUGIN_NAME.source }, additionalProperties: { type: 'string' } },
    permissions: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^(events:([a-z][a-z0-9-]*|\\*)|[a-z][a-z-]*:[a-z][a-z-]*)$' } },
    optionsSchema: { type: 'object' },
    settingsSchema: { type: 'object' },
    migrations: {},
    locales: {},
    models: { type: 'array' },
    register: {},
  },
} as const;

const EXPECTED: Record<string, string> = {
  name: 'lowercase letters, digits and single dashes, 2-40 characters (it becomes the route prefix)',
  version: 'a semantic version such as 1.0.0',
  core: 'a semver range of core versions such as ^0.1.0',
  scope: '"tenant" or "platform"',
  permissions: 'a list of distinct permissions such as "notifications:send" or "events:order"',
};

/** A meta-validating ajv: compiling a broken settings or options schema fails at boot. */
export const schemaAjv = (() => {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
})();
const manifestAjv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });
const validateShape = manifestAjv.compile(manifestSchema);

function fieldOf(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') return (e.params as { missingProperty: string }).missingProperty;
  if (e.keyword === 'additionalProperties') return [path, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
  return path || '(manifest)';
}

function describe(e: ErrorObject, value: unknown): string {
  const field = fieldOf(e);
  if (e.keyword === 'required') return `manifest field "${field}" is required`;
  if (e.keyword === 'additionalProperties') return `manifest field "${field}" is not a manifest field (a typo?)`;
  const top = field.split('.')[0];
  const expected = EXPECTED[top] ?? e.message ?? 'is invalid';
  return `manifest field "${field}" must be ${expected} (got ${JSON.stringify(value)?.slice(0, 80)})`;
}

function valueAt(def: unknown, pointer: string): unknown {
  let v = def as Record<string, unknown> | undefined;
  for (const part of pointer.split('/').filter(Boolean)) v = v?.[part] as Record<string, unknown> | undefined;
  return v;
}

/** Checks a loaded entry module's default export; `origin` says where it came from (a path or package). */
export function validateManifest(def: unknown, origin: string): PluginDefinition {
  const label = (def as { name?: unknown } | null)?.name;
  const who = typeof label === 'string' && label ? `plugin "${label}" (${origin})` : `plugin at ${origin}`;
  const fail = (msg: string): never => {
    throw new PluginBootError(`${who}: ${msg}`);
  };
  if (!def || typeof def !== 'object') fail('the entry must `export default definePlugin({...})`');
  if (!validateShape(def)) {
    const e = validateShape.errors![0];
    fail(describe(e, valueAt(def, e.instancePath)));
  }
  const d = def as PluginDefinition;
  if (typeof d.register !== 'function') fail('manifest field "register" must be a function register(api)');
  if (!semver.valid(d.version)) fail(`manifest field "version" must be ${EXPECTED.version} (got ${JSON.stringify(d.version)})`);
  if (!semver.validRange(d.core)) fail(`manifest field "core" must be ${EXPECTED.core} (got ${JSON.stringify(d.core)})`);
  for (const [dep, range] of Object.entries(d.requires ?? {})) {
    if (!semver.validRange(range)) fail(`manifest field "requires.${dep}" must be a semver range (got ${JSON.stringify(range)})`);
    if (dep === d.name) fail(`manifest field "requires.${dep}": a plugin cannot require itself`);
  }
  const scope = d.scope ?? 'tenant';
  (d.permissions ?? []).forEach((p: string, i: number) => {
    if (p.startsWith('events:')) return;
    const service = pluginService(p);
    if (!service) fail(`manifest field "permissions.${i}": "${p}" is not a permission this core knows (known: ${knownServicePermissions().sort().join(', ')}, events:<domain>)`);
    if (!service!.scopes.includes(scope)) fail(`manifest field "permissions.${i}": "${p}" is for ${service!.scopes.join(' or ')} plugins; this plugin's scope is "${scope}"`);
  });
  if (scope === 'platform' && d.settingsSchema) fail('manifest field "settingsSchema": a platform plugin has no per-tenant settings (use optionsSchema)');
  for (const key of ['optionsSchema', 'settingsSchema'] as const) {
    if (!d[key]) continue;
    try {
      schemaAjv.compile(d[key]);
    } catch (err) {
      fail(`manifest field "${key}" is not a valid JSON Schema: ${(err as Error).message}`);
    }
  }
  for (const key of ['migrations', 'locales'] as const) {
    const v = d[key];
    if (v !== undefined && typeof v !== 'string' && !(v instanceof URL)) fail(`manifest field "${key}" must be a folder path or a file URL`);
  }
  const prefix = tablePrefix(d.name);
  (d.models ?? []).forEach((m, i) => {
    if (typeof m !== 'function' || !(m.prototype instanceof TenantModel)) fail(`manifest field "models.${i}" must be a class extending TenantModel`);
    if (!m.tableName?.startsWith(prefix)) fail(`manifest field "models.${i}": table "${m.tableName}" must start with "${prefix}"`);
  });
  return d;
}

/** Tables of plugin `payments-stripe` start with `payments_stripe_`. */
export function tablePrefix(name: string): string {
  return `${name.replace(/-/g, '_')}_`;
}
