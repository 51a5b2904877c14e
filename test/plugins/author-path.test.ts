// A plugin author's whole path, outside this repository, as docs/plugins.md tells it: scaffold a
// package, install the packed @bazaar/sdk, type-check, pack (which builds), install the tarball
// into an application, name it in BAZAAR_PLUGINS, boot, enable it for one store, call its route.
// Then the same plugin built for another core is refused at boot with one line.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../core/paths.js';
import { scaffoldPlugin } from '../../core/plugins/scaffold.js';
import { startTestKit, type TestKit } from '@bazaar/sdk/testing';
import { createRuntime } from '../../core/server.js';
import { testConfig } from '../support/runtime.js';

const exec = promisify(execFile);

async function run(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await exec(cmd, args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: err });
  }
}

const lastLine = (out: string) => out.trim().split('\n').pop()!;

describe('a plugin author, from scaffold to a store (@bazaar/sdk)', function () {
  this.timeout(300_000);
  let tmp: string;
  let plugin: string;
  let app: string;
  let kit: TestKit | undefined;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-author-'));
    // 1. The SDK, packed from this checkout (what `npm run sdk:pack` does).
    const sdk = lastLine(await run('npx', ['tsx', path.join(projectRoot, 'core/sdk/build.ts'), '--pack', tmp], projectRoot));
    expect(fs.existsSync(sdk), sdk).to.equal(true);
    // 2. A plugin package of its own, outside the repository; its dependencies from npm's cache.
    plugin = scaffoldPlugin('gift-notes', tmp, { package: true }).dir;
    await run('npm', ['install', '-D', '--prefer-offline', sdk], plugin);
    // 3. Type-checked against the SDK's declarations, then packed (prepack builds dist/).
    await run('npx', ['tsc', '--noEmit'], plugin);
    const tarball = path.join(plugin, lastLine(await run('npm', ['pack', '--silent'], plugin)));
    // 4. Installed into an application's node_modules, the way a deployment does.
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "shop-app", "private": true }\n');
    await run('npm', ['install', '--prefer-offline', tarball], app);
  });
  after(async () => {
    await kit?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('depends on @bazaar/sdk as a peer the host provides, and ships only built code', () => {
    const installed = path.join(app, 'node_modules', 'bazaar-plugin-gift-notes');
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(pkg.peerDependencies).to.have.property('@bazaar/sdk');
    expect(fs.existsSync(path.join(app, 'node_modules', '@bazaar', 'sdk')), 'the host provides the SDK; the app installs no copy').to.equal(false);
    expect(fs.existsSync(path.join(installed, 'dist', 'index.js'))).to.equal(true);
    expect(fs.existsSync(path.join(installed, 'dist', 'locales', 'zh-CN.json'))).to.equal(true);
    expect(fs.readdirSync(path.join(installed, 'dist', 'migrations')).some((f) => f.endsWith('_gift_notes_init.js'))).to.equal(true);
    expect(fs.existsSync(path.join(installed, 'index.ts')), 'sources stay out of the tarball').to.equal(false);
  });

  it('boots from BAZAAR_PLUGINS, is enabled for one store, and serves its route there only', async () => {
    kit = await startTestKit({ env: { BAZAAR_PLUGINS: 'bazaar-plugin-gift-notes' }, packageBase: app });
    const listed = await kit.get('/platform/v1/plugins', { token: await kit.platformToken() });
    expect(listed.body.items.find((p: { name: string }) => p.name === 'gift-notes')).to.include({ origin: 'npm:bazaar-plugin-gift-notes', version: '0.1.0', installed: true });
    const shop = await kit.tenant();
    const other = await kit.tenant();
    const enabled = await kit.post('/admin/v1/plugins/gift-notes/enable', { settings: { greeting: 'Welcome' } }, { token: shop.ownerToken });
    expect(enabled.status, JSON.stringify(enabled.body)).to.equal(200);
    const res = await kit.get('/store/v1/gift-notes/hello', { tenant: shop.slug });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ message: `Welcome from ${shop.tenant.name}!` });
    const zh = await kit.get('/store/v1/gift-notes/hello', { tenant: shop.slug, headers: { 'accept-language': 'zh-CN' } });
    expect(zh.body.message).to.equal(`${shop.tenant.name}向你问好：Welcome！`);
    expect((await kit.get('/store/v1/gift-notes/hello', { tenant: other.slug })).status).to.equal(404);
  });

  it('refuses at boot, in one line naming both versions, a plugin built for another core', async () => {
    const bad = path.join(tmp, 'app-old');
    fs.cpSync(app, bad, { recursive: true });
    const entry = path.join(bad, 'node_modules', 'bazaar-plugin-gift-notes', 'dist', 'index.js');
    const built = fs.readFileSync(entry, 'utf8');
    expect(built).to.match(/core: '\^0\.1\.0'/);
    fs.writeFileSync(entry, built.replace(/core: '[^']+'/, "core: '^9.0.0'"));
    let message = '';
    try {
      await createRuntime({ config: testConfig({ DATABASE_URL: 'sqlite::memory:', BAZAAR_PLUGINS: 'bazaar-plugin-gift-notes' }), role: 'web', migrate: false, plugins: { builtIns: false, packageBase: bad } });
    } catch (err) {
      message = (err as Error).message;
    }
    const core = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')).version;
    expect(message).to.equal(`plugin "gift-notes" (npm:bazaar-plugin-gift-notes) needs core ^9.0.0, but this is core ${core}`);
    expect(message).not.to.include('\n');
  });
});
