// Builds the console with Vite when its sources are newer than the last build, so that
// `npm ci && npm start` serves it and a checkout never commits build output. The build goes
// to a fresh folder that then replaces dist/, so a server reading dist/ never sees half a build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../core/paths.js';

// From source (tsx) and from dist/ alike: the console's folder in the checkout or image.
const here = path.join(projectRoot, 'admin-ui');
export const consoleDir = here;
export const distDir = path.join(here, 'dist');
export const manifestFile = path.join(distDir, '.vite', 'manifest.json');

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

/** The newest change among the console's sources and the plugins' console pages. */
export function sourcesChangedAt(): number {
  let max = Math.max(newest(path.join(here, 'src')), ...['index.html', 'vite.config.ts', 'tsconfig.json'].map((f) => fs.statSync(path.join(here, f)).mtimeMs));
  const plugins = path.join(here, '..', 'plugins');
  if (fs.existsSync(plugins)) for (const p of fs.readdirSync(plugins)) max = Math.max(max, newest(path.join(plugins, p, 'admin')));
  return max;
}

export function isBuilt(): boolean {
  return fs.existsSync(manifestFile) && fs.existsSync(path.join(distDir, 'index.html')) && fs.statSync(manifestFile).mtimeMs >= sourcesChangedAt();
}

export type BuildOutcome = 'fresh' | 'built' | 'unavailable';

let running: Promise<BuildOutcome> | undefined;

/** Builds unless the last build is newer than every source; 'unavailable' where Vite is not installed. */
export function ensureConsoleBuilt(opts: { force?: boolean; log?: (line: string) => void } = {}): Promise<BuildOutcome> {
  running ??= (async (): Promise<BuildOutcome> => {
    if (!opts.force && isBuilt()) return 'fresh';
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
      await vite.build({ configFile: path.join(here, 'vite.config.ts'), root: here, logLevel: 'warn', build: { outDir: out, emptyOutDir: true } });
      const old = path.join(here, `.dist-old-${process.pid}-${Date.now()}`);
      if (fs.existsSync(distDir)) fs.renameSync(distDir, old);
      fs.renameSync(out, distDir);
      fs.rmSync(old, { recursive: true, force: true });
    } finally {
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
