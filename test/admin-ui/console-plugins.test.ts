// Console pages from plugins: built-in (plugins/<name>/admin/console.ts) and from npm packages
// named in BAZAAR_PLUGINS, the scaffold's console page template, and the settings validators
// compiled at build time (so the console's CSP has no 'unsafe-eval').
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../core/paths.js';
import { scaffoldPlugin } from '../../core/plugins/scaffold.js';
import { consoleModuleFiles, packagesFromEnv, validatorModule } from '../../admin-ui/console-plugins.js';
import { CONSOLE_CSP } from '../../core/http/console.js';

const run = promisify(execFile);

describe('console pages from plugins', function () {
  this.timeout(240_000);
  let app: string;
  let pkgDir: string;

  before(() => {
    // An application folder with its own node_modules holding the plugin package; the
    // repository's node_modules one level up gives React, Mantine and the rest.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-console-plugins-'));
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'));
    app = path.join(root, 'app');
    fs.mkdirSync(path.join(app, 'node_modules'), { recursive: true });
    const made = scaffoldPlugin('greeter', path.join(app, 'node_modules'), { package: true, console: true });
    pkgDir = path.join(app, 'node_modules', 'bazaar-plugin-greeter');
    fs.renameSync(made.dir, pkgDir);
  });

  it('the scaffold offers a console page: admin/console.ts and its page, declared in the package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg.bazaar).to.deep.equal({ console: './admin/console.ts' });
    expect(pkg.files).to.include('admin');
    expect(fs.readFileSync(path.join(pkgDir, 'admin', 'console.ts'), 'utf8')).to.include("plugin: 'greeter'");
    expect(fs.readFileSync(path.join(pkgDir, 'admin', 'GreetingsPage.tsx'), 'utf8')).to.include("'/greeter/greetings'");
  });

  it('finds built-in console modules and those of packages in BAZAAR_PLUGINS', () => {
    const builtIn = consoleModuleFiles(projectRoot, []);
    expect(builtIn.map((f) => path.relative(projectRoot, f))).to.include.members([path.join('plugins', 'waf', 'admin', 'console.ts'), path.join('plugins', 'webhooks', 'admin', 'console.ts')]);
    expect(consoleModuleFiles(app, ['bazaar-plugin-greeter'])).to.include(path.join(pkgDir, 'admin', 'console.ts'));
    // Not installed: nothing to add (the server refuses to start and says why).
    expect(consoleModuleFiles(app, ['bazaar-plugin-missing']).filter((f) => f.includes('missing'))).to.deep.equal([]);
    expect(packagesFromEnv(' a, b ,,c')).to.deep.equal(['a', 'b', 'c']);
  });

  it('refuses a bazaar.console that points outside its package', () => {
    const evil = path.join(app, 'node_modules', 'bazaar-plugin-evil');
    fs.mkdirSync(evil, { recursive: true });
    fs.writeFileSync(path.join(evil, 'package.json'), JSON.stringify({ name: 'bazaar-plugin-evil', bazaar: { console: '../../../etc/passwd' } }));
    expect(() => consoleModuleFiles(app, ['bazaar-plugin-evil'])).to.throw(/outside the package/);
  });

  it('turns ajv standalone validators into an ES module, and refuses code that needs more than its runtime', () => {
    const esm = validatorModule('"use strict";exports["-1a"] = validate10;const func2 = require("ajv/dist/runtime/ucs2length").default;function validate10(){return func2("x") > 0;}');
    expect(esm).to.include('import __ajv_0 from "ajv/dist/runtime/ucs2length";');
    expect(esm).to.include('export default exports;');
    expect(esm).not.to.match(/require\(/);
    expect(validatorModule('exports.x = 1; const f = require("some-package").default;')).to.equal(null);
  });

  it('builds an npm plugin’s console page into the console, as its own lazy chunk', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-console-build-'));
    // A child process: Vite's build sets NODE_ENV for the process it runs in.
    const script = `
      import { build } from 'vite';
      import { consoleViteConfig } from ${JSON.stringify(path.join(projectRoot, 'admin-ui', 'vite.config.ts'))};
      import { consoleModuleFiles } from ${JSON.stringify(path.join(projectRoot, 'admin-ui', 'console-plugins.ts'))};
      const config = consoleViteConfig({ modules: consoleModuleFiles(${JSON.stringify(app)}, ['bazaar-plugin-greeter']) });
      await build({ ...config, configFile: false, logLevel: 'error', build: { ...config.build, outDir: ${JSON.stringify(out)} } });
    `;
    // Beside the application, where node_modules (the repository's) resolves vite.
    const file = path.join(path.dirname(app), 'build.mts');
    fs.writeFileSync(file, script);
    try {
      await run('npx', ['tsx', file], { cwd: projectRoot, env: { ...process.env, NODE_ENV: 'production' } }).catch((err: { stderr: string }) => {
        throw new Error(`vite build failed:\n${err.stderr}`);
      });
      const manifest = JSON.parse(fs.readFileSync(path.join(out, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; isDynamicEntry?: boolean }>;
      const page = Object.entries(manifest).find(([k]) => k.endsWith('admin/GreetingsPage.tsx'));
      expect(page, Object.keys(manifest).join(', ')).to.not.equal(undefined);
      expect(page![1].isDynamicEntry).to.equal(true);
      const entry = Object.values(manifest).find((m) => (m as { isEntry?: boolean }).isEntry)!;
      expect(fs.readFileSync(path.join(out, entry.file), 'utf8')).to.include('greeter');
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(file, { force: true });
    }
  });

  it('the scaffolded console page type-checks against the console', async () => {
    const tsconfig = path.join(app, 'tsconfig.console.json');
    fs.writeFileSync(tsconfig, JSON.stringify({ extends: path.join(projectRoot, 'admin-ui', 'tsconfig.json'), include: [path.join(projectRoot, 'admin-ui', 'src'), path.join(pkgDir, 'admin')] }));
    await run('npx', ['tsc', '-p', tsconfig], { cwd: projectRoot }).catch((err: { stdout: string }) => {
      throw new Error(`tsc failed:\n${err.stdout}`);
    });
  });

  it('the console CSP allows no eval', () => {
    expect(CONSOLE_CSP).to.match(/script-src 'self';/);
    expect(CONSOLE_CSP).not.to.include('unsafe-eval');
  });
});
