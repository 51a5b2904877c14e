// Builds the console with Vite when its sources are newer than the last build, so that
// `npm ci && npm start` serves it and a checkout never commits build output. The build goes
// to a fresh folder that then replaces dist/, so a server reading dist/ never sees half a build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { projectRoot } from '../core/paths.js';
import { entryOf, findPackage } from '../core/plugins/discover.js';
import { registerSdkSpecifier } from '../core/plugins/sdk-resolve.js';
import { consoleModuleFiles, handOff, packagesFromEnv, validatorModule } from './console-plugins.js';

// From source (tsx) and from dist/ alike: the console's folder in the checkout or image.
const here = path.join(projectRoot, 'admin-ui');
export const consoleDir = here;
export const distDir = path.join(here, 'dist');
export const manifestFile = path.join(distDir, '.vite', 'manifest.json');
/** Which plugin console modules and settings validators the last build took in. */
const stampFile = path.join(distDir, '.bazaar-plugins.json');

function newest(dir: string, skip = new Set<string>()): number {
  if (!fs.existsSync(dir)) return 0;
  let max = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name) || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return max;
}

/** The newest change among the console's sources and the plugins' console pages and manifests. */
export function sourcesChangedAt(packages: readonly string[] = packagesFromEnv()): number {
  let max = Math.max(newest(path.join(here, 'src')), ...['index.html', 'vite.config.ts', 'console-plugins.ts', 'tsconfig.json'].map((f) => fs.statSync(path.join(here, f)).mtimeMs));
  for (const file of consoleModuleFiles(projectRoot, packages)) max = Math.max(max, newest(path.dirname(file)));
  for (const entry of pluginEntries(packages)) max = Math.max(max, fs.statSync(entry.file).mtimeMs);
  return max;
}

const stampOf = (packages: readonly string[]) => JSON.stringify({ modules: consoleModuleFiles(projectRoot, packages), packages });

export function isBuilt(packages: readonly string[] = packagesFromEnv()): boolean {
  if (!fs.existsSync(manifestFile) || !fs.existsSync(path.join(distDir, 'index.html')) || !fs.existsSync(stampFile)) return false;
  return fs.statSync(manifestFile).mtimeMs >= sourcesChangedAt(packages) && fs.readFileSync(stampFile, 'utf8') === stampOf(packages);
}

/** The entry files of the built-in plugins and of the packages named in BAZAAR_PLUGINS. */
function pluginEntries(packages: readonly string[]): { origin: string; file: string }[] {
  const out: { origin: string; file: string }[] = [];
  const builtins = path.join(projectRoot, 'plugins');
  if (fs.existsSync(builtins)) {
    for (const name of fs.readdirSync(builtins).sort()) {
      const file = ['index.ts', 'index.js'].map((f) => path.join(builtins, name, f)).find((f) => fs.existsSync(f));
      if (file) out.push({ origin: `plugins/${name}`, file });
    }
  }
  for (const name of packages) {
    const dir = findPackage(name, projectRoot);
    const file = dir && entryOf(dir);
    if (file && fs.existsSync(file)) out.push({ origin: `npm:${name}`, file });
  }
  return out;
}

/**
 * Each plugin's settings schema compiled into validator code here, at build time (@rjsf's
 * precompiled validators), so the browser needs no eval. A plugin whose entry does not load or
 * whose schema does not compile is left out: its form is checked by the API alone.
 */
async function settingsValidators(packages: readonly string[], log?: (line: string) => void): Promise<Map<string, string>> {
  // A specifier in a variable keeps @rjsf's (React's) types out of the server's type check.
  const rjsf = '@rjsf/validator-ajv8/compileSchemaValidators';
  const { compileSchemaValidatorsCode } = (await import(rjsf)) as { compileSchemaValidatorsCode: (schema: object) => string };
  registerSdkSpecifier();
  const out = new Map<string, string>();
  for (const { origin, file } of pluginEntries(packages)) {
    try {
      const def = ((await import(pathToFileURL(file).href)) as { default?: { name?: unknown; settingsSchema?: unknown } }).default;
      if (!def || typeof def.name !== 'string' || !def.settingsSchema || typeof def.settingsSchema !== 'object') continue;
      // The schema as the API sends it (JSON), so the browser's copy hashes to the same key.
      const schema = JSON.parse(JSON.stringify(def.settingsSchema)) as Record<string, unknown>;
      const code = validatorModule(compileSchemaValidatorsCode(schema));
      if (code) out.set(def.name, code);
      else log?.(`admin console: ${origin}: its settings validator needs more than ajv's runtime; the API alone checks its form`);
    } catch (err) {
      log?.(`admin console: ${origin}: no precompiled settings validator (${(err as Error).message.split('\n')[0]})`);
    }
  }
  return out;
}

export type BuildOutcome = 'fresh' | 'built' | 'unavailable';

let running: Promise<BuildOutcome> | undefined;

/** Builds unless the last build is newer than every source; 'unavailable' where Vite is not installed. */
export function ensureConsoleBuilt(opts: { force?: boolean; log?: (line: string) => void; packages?: readonly string[] } = {}): Promise<BuildOutcome> {
  const packages = opts.packages ?? packagesFromEnv();
  running ??= (async (): Promise<BuildOutcome> => {
    if (!opts.force && isBuilt(packages)) return 'fresh';
    let vite: typeof import('vite');
    try {
      vite = await import('vite');
    } catch {
      opts.log?.('admin console: not built and Vite is not installed (npm ci installs it; `npm run build` builds it)');
      return 'unavailable';
    }
    const started = Date.now();
    opts.log?.('admin console: building (admin-ui, Vite)...');
    const out = path.join(here, `.dist-${process.pid}-${Date.now()}`);
    // Vite sets process.env.NODE_ENV to 'production' for its build; the server that asked keeps its own.
    const nodeEnv = process.env.NODE_ENV;
    try {
      handOff({ modules: consoleModuleFiles(projectRoot, packages), validators: await settingsValidators(packages, opts.log) });
      await vite.build({ configFile: path.join(here, 'vite.config.ts'), root: here, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
      fs.writeFileSync(path.join(out, '.bazaar-plugins.json'), stampOf(packages));
      const old = path.join(here, `.dist-old-${process.pid}-${Date.now()}`);
      if (fs.existsSync(distDir)) fs.renameSync(distDir, old);
      fs.renameSync(out, distDir);
      fs.rmSync(old, { recursive: true, force: true });
    } finally {
      handOff(undefined);
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
      fs.rmSync(out, { recursive: true, force: true });
    }
    opts.log?.(`admin console: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 'built';
  })().finally(() => {
    running = undefined;
  });
  return running;
}

// `node --import tsx admin-ui/build.ts [--force]`: the build on its own (npm run build:console).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureConsoleBuilt({ force: process.argv.includes('--force'), log: (l) => console.log(l) }).then(
    (r) => process.exit(r === 'unavailable' ? 1 : 0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
