// What the console build takes from plugins, as two virtual modules (Node side, used by
// vite.config.ts and build.ts):
// - `virtual:bazaar-console-plugins`: every plugin's console module, built-in
//   (plugins/<name>/admin/console.ts) or from an npm package named in BAZAAR_PLUGINS (its
//   package.json `bazaar.console`, else admin/console.{ts,tsx,js,mjs} in the package);
// - `virtual:bazaar-settings-validators`: per plugin, a lazily loaded module of precompiled
//   validators for its settings schema (@rjsf/validator-ajv8, compiled here at build time), so
//   the browser never compiles a schema and the console's CSP needs no 'unsafe-eval'.
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

const CONSOLE_FILES = ['console.ts', 'console.tsx', 'console.js', 'console.mjs'];
const MODULES_ID = 'virtual:bazaar-console-plugins';
const VALIDATORS_ID = 'virtual:bazaar-settings-validators';
const VALIDATOR_PREFIX = 'virtual:bazaar-settings-validator/';

/** The folder of an installed package, looked up in node_modules from `base` upwards (as Node does). */
function findPackage(name: string, base: string): string | undefined {
  let dir = path.resolve(base);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ...name.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const firstFile = (dir: string) => CONSOLE_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));

/** BAZAAR_PLUGINS as the core reads it: a comma-separated list of package names. */
export function packagesFromEnv(value = process.env.BAZAAR_PLUGINS ?? ''): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Console modules: built-ins first (by folder name), then packages in BAZAAR_PLUGINS order. */
export function consoleModuleFiles(root: string, packages: readonly string[]): string[] {
  const out: string[] = [];
  const builtins = path.join(root, 'plugins');
  if (fs.existsSync(builtins)) {
    for (const name of fs.readdirSync(builtins).sort()) {
      const file = firstFile(path.join(builtins, name, 'admin'));
      if (file) out.push(file);
    }
  }
  for (const name of packages) {
    const dir = findPackage(name, root);
    if (!dir) continue; // the server refuses to start without it and says why
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { bazaar?: { console?: unknown } };
    const declared = typeof pkg.bazaar?.console === 'string' ? path.resolve(dir, pkg.bazaar.console) : undefined;
    if (declared && !declared.startsWith(dir + path.sep)) throw new Error(`plugin package "${name}": bazaar.console points outside the package`);
    const file = declared && fs.existsSync(declared) ? declared : firstFile(path.join(dir, 'admin'));
    if (file) out.push(file);
  }
  return out;
}

/**
 * ajv's standalone output (CommonJS) as an ES module: its `require("x").default` become imports,
 * its exports one default object (validator functions keyed by schema hash, as
 * createPrecompiledValidator wants them). Null when the code needs anything else.
 */
export function validatorModule(cjs: string): string | null {
  const imports: string[] = [];
  let body = cjs.replace(/require\("([^"]+)"\)\.default/g, (_m, spec: string) => {
    if (!/^ajv\/dist\/runtime\/[a-z0-9]+$/.test(spec)) return `require("${spec}").default`;
    const local = `__ajv_${imports.length}`;
    imports.push(`import ${local} from ${JSON.stringify(spec)};`);
    return local;
  });
  if (/\brequire\(/.test(body)) return null;
  body = body.replace(/^"use strict";/, '');
  return `${imports.join('\n')}\nconst exports = {};\n${body}\nexport default exports;\n`;
}

export interface ConsolePluginsOptions {
  /** Console module files (consoleModuleFiles). */
  modules: string[];
  /** Plugin name -> ES module of its precompiled settings validators (validatorModule). */
  validators?: Map<string, string>;
}

const HANDOFF = Symbol.for('bazaar.console.plugins');

/**
 * build.ts hands what it found to vite.config.ts through this (Vite loads the config file
 * itself, bundled, so a module-level variable would not be shared); the config falls back to
 * finding the console modules alone, without precompiled validators (`vite` run by hand).
 */
export function handOff(opts: ConsolePluginsOptions | undefined): void {
  (globalThis as Record<symbol, unknown>)[HANDOFF] = opts;
}

export function handedOff(): ConsolePluginsOptions | undefined {
  return (globalThis as Record<symbol, unknown>)[HANDOFF] as ConsolePluginsOptions | undefined;
}

export function bazaarConsolePlugins(opts: ConsolePluginsOptions): Plugin {
  const validators = opts.validators ?? new Map<string, string>();
  return {
    name: 'bazaar-console-plugins',
    resolveId(id) {
      if (id === MODULES_ID || id === VALIDATORS_ID || id.startsWith(VALIDATOR_PREFIX)) return `\0${id}`;
      return null;
    },
    load(id) {
      if (id === `\0${MODULES_ID}`) {
        const lines = opts.modules.map((f, i) => `import m${i} from ${JSON.stringify(f.split(path.sep).join('/'))};`);
        return `${lines.join('\n')}\nexport default [${opts.modules.map((_f, i) => `m${i}`).join(', ')}];\n`;
      }
      if (id === `\0${VALIDATORS_ID}`) {
        const entries = [...validators.keys()].map((name) => `${JSON.stringify(name)}: () => import(${JSON.stringify(VALIDATOR_PREFIX + name)})`);
        return `export default {${entries.join(', ')}};\n`;
      }
      if (id.startsWith(`\0${VALIDATOR_PREFIX}`)) return validators.get(id.slice(VALIDATOR_PREFIX.length + 1)) ?? 'export default {};\n';
      return null;
    },
  };
}
