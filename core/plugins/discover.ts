// Finding plugins: built-ins from plugins/<name>/index.(ts|js), external ones from npm packages
// named in BAZAAR_PLUGINS, resolved from the application's node_modules the way Node would.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginBootError, validateManifest } from './manifest.js';
import { registerSdkSpecifier } from './sdk-resolve.js';
import type { PluginDefinition } from './types.js';

export interface FoundPlugin {
  def: PluginDefinition;
  /** `builtin`, `npm` or `inline` (handed in by code: tests, the test kit). */
  source: 'builtin' | 'npm' | 'inline';
  /** Where it came from, for messages: `plugins/webhooks`, `npm:bazaar-plugin-loyalty`. */
  origin: string;
  /** The folder its default `migrations/` and `locales/` are found in. */
  root?: string;
  /** When the manifest names none: an npm package's author, or `Bazaar` for plugins/. */
  author?: string;
}

/** package.json's author: a string, or npm's `{ name, email, url }`. */
function authorOf(pkg: { author?: unknown }): string | undefined {
  const a = pkg.author;
  if (typeof a === 'string') return a.slice(0, 200) || undefined;
  if (a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string') {
    const { name, email } = a as { name: string; email?: unknown };
    return (typeof email === 'string' ? `${name} <${email}>` : name).slice(0, 200);
  }
  return undefined;
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** plugins/ beside core/, from sources (tsx) and from dist/ alike. */
export const BUILTIN_DIR = path.resolve(here, '..', '..', 'plugins');
const OWN_EXT = path.extname(fileURLToPath(import.meta.url));

async function importEntry(file: string, origin: string): Promise<unknown> {
  try {
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return mod.default;
  } catch (err) {
    throw new PluginBootError(`plugin at ${origin}: its entry ${file} failed to load: ${(err as Error).message}`);
  }
}

export async function discoverBuiltIns(dir = BUILTIN_DIR): Promise<FoundPlugin[]> {
  if (!fs.existsSync(dir)) return [];
  // Built-in plugins import the SDK by name too (tsx maps it through tsconfig paths; built
  // output under plain node needs the hook).
  registerSdkSpecifier();
  const found: FoundPlugin[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const root = path.join(dir, entry.name);
    // A folder without an entry is a plugin under construction, not a plugin.
    const file = [`index${OWN_EXT}`, 'index.ts', 'index.js'].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
    if (!file) continue;
    const origin = `plugins/${entry.name}`;
    const def = validateManifest(await importEntry(file, origin), origin);
    if (def.name !== entry.name) throw new PluginBootError(`plugin "${def.name}" (${origin}): manifest field "name" must equal its folder name "${entry.name}"`);
    // The application's own plugins are by its authors; a test's fixture folder names none.
    found.push({ def, source: 'builtin', origin, root, author: dir === BUILTIN_DIR ? 'Bazaar' : undefined });
  }
  return found;
}

/** The folder of an installed package, looked up in node_modules from `base` upwards. */
export function findPackage(name: string, base: string): string | undefined {
  let dir = path.resolve(base);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** The file a package's import resolves to (exports['.'], else main, else index.js). */
export function entryOf(pkgDir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { main?: string; exports?: unknown };
  let rel: unknown = pkg.exports;
  if (rel && typeof rel === 'object' && '.' in (rel as object)) rel = (rel as Record<string, unknown>)['.'];
  if (rel && typeof rel === 'object') rel = (rel as Record<string, unknown>).import ?? (rel as Record<string, unknown>).default;
  return path.join(pkgDir, typeof rel === 'string' ? rel : (pkg.main ?? 'index.js'));
}

/** Packages named in BAZAAR_PLUGINS; `base` is where node_modules is looked for (the app's root). */
export async function discoverPackages(names: readonly string[], base: string): Promise<FoundPlugin[]> {
  if (!names.length) return [];
  // Published plugins import the SDK as `@bazaar/sdk`; point that at this core's core/public.
  registerSdkSpecifier();
  const found: FoundPlugin[] = [];
  for (const name of names) {
    const origin = `npm:${name}`;
    const dir = findPackage(name, base);
    if (!dir) throw new PluginBootError(`plugin package "${name}" (BAZAAR_PLUGINS) is not installed: no node_modules/${name} from ${base} upwards (run npm install ${name})`);
    const file = entryOf(dir);
    if (!fs.existsSync(file)) throw new PluginBootError(`plugin package "${name}" (BAZAAR_PLUGINS): its entry ${file} does not exist`);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { author?: unknown };
    found.push({ def: validateManifest(await importEntry(file, origin), origin), source: 'npm', origin, root: path.dirname(file), author: authorOf(pkg) });
  }
  return found;
}
