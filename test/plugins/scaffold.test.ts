// `npm run plugin:new -- <name>` gives an author a plugin that compiles and whose test passes.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../core/paths.js';
import { scaffoldPlugin } from '../../core/plugins/scaffold.js';

const run = promisify(execFile);

describe('npm run plugin:new', function () {
  this.timeout(180_000);
  let parent: string;

  before(() => {
    // A stand-in for the repository's plugins/ folder, so the shared runtime never loads it.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-scaffold-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }\n');
    fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'));
    parent = path.join(root, 'plugins');
    fs.mkdirSync(parent);
  });

  it('writes a manifest, routes, a subscriber, a migration, locales, a README and a test', async () => {
    const { stdout } = await run('npx', ['tsx', path.join(projectRoot, 'core/plugins/scaffold.ts'), 'gift-cards', '--dir', parent], { cwd: projectRoot });
    expect(stdout).to.include('created');
    const dir = path.join(parent, 'gift-cards');
    const files = fs.readdirSync(dir, { recursive: true }).map(String).sort();
    expect(files).to.include.members(['README.md', 'gift-cards.model.ts', 'gift-cards.routes.ts', 'index.ts', 'locales/en.json', 'locales/zh-CN.json', 'test/gift-cards.test.ts']);
    expect(files.some((f) => /^migrations\/\d{14}_gift_cards_init\.ts$/.test(f))).to.equal(true);
    expect(fs.readFileSync(path.join(dir, 'index.ts'), 'utf8')).to.include("name: 'gift-cards'");
  });

  it('refuses a bad or taken name, and an existing folder', () => {
    expect(() => scaffoldPlugin('Gift Cards', parent)).to.throw(/not a plugin name/);
    expect(() => scaffoldPlugin('orders', parent)).to.throw(/taken by the core/);
    expect(() => scaffoldPlugin('gift-cards', parent)).to.throw(/already exists/);
  });

  it('the scaffolded plugin type-checks and its own test passes', async () => {
    const dir = path.join(parent, 'gift-cards');
    const tsconfig = path.join(path.dirname(parent), 'tsconfig.json');
    fs.writeFileSync(tsconfig, JSON.stringify({ extends: path.join(projectRoot, 'tsconfig.json'), compilerOptions: { rootDir: '/', noEmit: true }, include: [`${dir}/**/*.ts`], exclude: [] }));
    await run('npx', ['tsc', '-p', tsconfig], { cwd: projectRoot }).catch((err: { stdout: string }) => {
      throw new Error(`tsc failed:\n${err.stdout}`);
    });
    // The child runs on the embedded default: it must never wipe this suite's MariaDB schema.
    const { stdout } = await run('npx', ['mocha', path.join(dir, 'test', 'gift-cards.test.ts')], { cwd: projectRoot, env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', REDIS_URL: '' } }).catch((err: { stdout: string }) => {
      throw new Error(`the scaffolded test failed:\n${err.stdout}`);
    });
    expect(stdout).to.match(/3 passing/);
  });
});
