// A plugin after discovery: its manifest, checked options, folders, and what its register()
// contributed. The host keeps one per plugin, in requirement order.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type { RouteSpec } from '../http/route.js';
import type { HookHandler, Provider } from '../extensions.js';
import type { JobInfo } from '../events/queue.js';
import type { Ctx, Tenant, TenantCtx } from '../context.js';
import { projectRoot } from '../paths.js';
import type { PrincipalKind } from '../users/principals.js';
import { PluginBootError, schemaAjv, tablePrefix } from './manifest.js';
import type { FoundPlugin } from './discover.js';
import type { ListeningServer, PluginDefinition, PluginMiddleware, PluginJobOptions, PluginScope } from './types.js';

export interface LoadedPlugin {
  name: string;
  version: string;
  scope: PluginScope;
  def: PluginDefinition;
  origin: string;
  source: FoundPlugin['source'];
  /** The manifest's author, else the npm package's; null when neither says. */
  author: string | null;
  /** `webhooks_`: every table of the plugin starts with it. */
  prefix: string;
  migrationsDir?: string;
  localesDir?: string;
  options: Readonly<Record<string, unknown>>;
  settings?: { validate: ValidateFunction; writeOnly: string[]; schema: Record<string, unknown> };
  permissions: ReadonlySet<string>;
  routes: RouteSpec[];
  middleware: PluginMiddleware<unknown>[];
  providers: { kind: string; provider: Provider }[];
  hooks: { name: string; handler: HookHandler<never>; budgetMs: number }[];
  jobs: Map<string, { queue: string; handler: (ctx: TenantCtx, data: Record<string, unknown>, info: JobInfo) => Promise<void>; opts: PluginJobOptions }>;
  schedules: { name: string; everyMs: number; perTenant: boolean; fn: (ctx: Ctx) => Promise<void> }[];
  subscribers: string[];
  /** Token kinds of its own principals (platform plugins: onboarding's applicants). */
  principals: PrincipalKind[];
  /** Told when this process's HTTP server listens (api.onListening). */
  listening: ((server: ListeningServer) => void)[];
  /** Platform plugins: whether it acts for a store (api.actsFor), which its store-admin routes need. */
  actsFor?: (tenant: Tenant) => Promise<boolean>;
}

function folder(field: 'migrations' | 'locales', given: string | URL | undefined, found: FoundPlugin): string | undefined {
  const builtinSource = found.source === 'builtin' ? path.join(projectRoot, 'plugins', found.def.name, field) : undefined;
  if (given !== undefined) {
    const dir = given instanceof URL ? fileURLToPath(given) : path.isAbsolute(given) || !found.root ? given : path.join(found.root, given);
    if (fs.existsSync(dir)) return dir;
    // Built-ins run from dist/ too, where tsc leaves JSON locales behind: look beside the sources.
    if (builtinSource && fs.existsSync(builtinSource)) return builtinSource;
    throw new PluginBootError(`plugin "${found.def.name}" (${found.origin}): manifest field "${field}" names ${dir}, which does not exist`);
  }
  return [found.root && path.join(found.root, field), builtinSource].find((c): c is string => Boolean(c && fs.existsSync(c)));
}

/** Top-level `writeOnly` properties of a settings schema: secrets that are stored, never read back. */
function writeOnlyFields(schema: Record<string, unknown>): string[] {
  const props = (schema.properties ?? {}) as Record<string, { writeOnly?: boolean }>;
  return Object.entries(props).filter(([, s]) => s?.writeOnly).map(([k]) => k);
}

export function loadPlugin(found: FoundPlugin, allOptions: Readonly<Record<string, unknown>>): LoadedPlugin {
  const { def } = found;
  const given = allOptions[def.name] ?? {};
  let options: Record<string, unknown> = {};
  if (def.optionsSchema) {
    options = structuredClone(given) as Record<string, unknown>;
    const validate = schemaAjv.compile(def.optionsSchema);
    if (!validate(options)) {
      const e = validate.errors![0];
      throw new PluginBootError(`plugin "${def.name}" (${found.origin}): option "${e.instancePath || '/'}" ${e.message} (BAZAAR_PLUGIN_OPTIONS.${def.name})`);
    }
  } else if (Object.keys(given as object).length) {
    throw new PluginBootError(`plugin "${def.name}" (${found.origin}) takes no options, but BAZAAR_PLUGIN_OPTIONS.${def.name} gives some`);
  }
  return {
    name: def.name,
    version: def.version,
    scope: def.scope ?? 'tenant',
    def,
    origin: found.origin,
    source: found.source,
    author: def.author ?? found.author ?? null,
    prefix: tablePrefix(def.name),
    migrationsDir: folder('migrations', def.migrations, found),
    localesDir: folder('locales', def.locales, found),
    options: Object.freeze(options),
    settings: def.settingsSchema ? { validate: schemaAjv.compile(def.settingsSchema), writeOnly: writeOnlyFields(def.settingsSchema), schema: def.settingsSchema } : undefined,
    permissions: new Set(def.permissions ?? []),
    routes: [],
    middleware: [],
    providers: [],
    hooks: [],
    jobs: new Map(),
    schedules: [],
    subscribers: [],
    principals: [],
    listening: [],
  };
}
