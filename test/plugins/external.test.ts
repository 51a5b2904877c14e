// A plugin installed from npm the way a user would: `npm pack` its folder, `npm install` the
// tarball into an application's node_modules, name it in BAZAAR_PLUGINS, boot.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestKit, type KitTenant, type TestKit } from '../../core/plugins/testkit.js';
import { createRuntime } from '../../core/server.js';
import { testConfig } from '../support/runtime.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'npm-hello');

describe('a plugin installed from npm (BAZAAR_PLUGINS)', function () {
  this.timeout(120_000);
  let app: string;
  let kit: TestKit;
  let shop: KitTenant;
  let other: KitTenant;

  before(async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-npm-'));
    const npm = (...args: string[]) => execFileSync('npm', args, { cwd: tmp, stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } }).toString();
    const tarball = npm('pack', fixture, '--pack-destination', tmp, '--silent').trim().split('\n').pop()!;
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    npm('install', '--no-save', '--no-audit', '--no-fund', '--offline', '--prefix', app, path.join(tmp, tarball));
    kit = await startTestKit({ env: { BAZAAR_PLUGINS: 'bazaar-plugin-hello' }, packageBase: app });
    shop = await kit.tenant({ enable: ['hello'] });
    other = await kit.tenant();
  });
  after(() => kit?.close());

  it('boots with it, installs it and runs its migration', async () => {
    const res = await kit.get('/platform/v1/plugins', { token: await kit.platformToken() });
    expect(res.body.items.find((p: { name: string }) => p.name === 'hello')).to.include({ origin: 'npm:bazaar-plugin-hello', version: '2.0.0', installed: true, author: 'Hello Labs <dev@hello.example>' });
    expect(await kit.kernel.pool.control.schema.hasTable('hello_greetings')).to.equal(true);
  });

  it('serves its routes to the store that enabled it, with its settings', async () => {
    const first = await kit.get('/store/v1/hello/greet/ada', { tenant: shop.slug });
    expect(first.status).to.equal(200);
    expect(first.body).to.deep.equal({ text: 'Hello, ada!', greeted: 1 });
    expect((await kit.put('/admin/v1/plugins/hello/settings', { settings: { greeting: 'Ahoy' } }, { token: shop.ownerToken })).status).to.equal(200);
    expect((await kit.get('/store/v1/hello/greet/grace', { tenant: shop.slug })).body).to.deep.equal({ text: 'Ahoy, grace!', greeted: 2 });
    expect((await kit.get('/store/v1/hello/greet/ada', { tenant: other.slug })).status).to.equal(404);
  });

  it('shares the host classes through @bazaar/sdk: its errors are problems with its own titles', async () => {
    const res = await kit.get('/store/v1/hello/greet/nobody', { tenant: shop.slug, headers: { 'accept-language': 'zh-CN' } });
    expect(res.status).to.equal(404);
    expect(res.body).to.include({ code: 'HELLO_NOBODY', title: '没有可以问候的人' });
  });

  it('fails boot with a clear message when a named package is not installed', async () => {
    let message = '';
    try {
      await createRuntime({ config: testConfig({ DATABASE_URL: 'sqlite::memory:', BAZAAR_PLUGINS: 'bazaar-plugin-nowhere' }), role: 'web', migrate: false, plugins: { builtIns: false, packageBase: app } });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).to.match(/^plugin package "bazaar-plugin-nowhere" \(BAZAAR_PLUGINS\) is not installed: no node_modules\/bazaar-plugin-nowhere from .* upwards \(run npm install bazaar-plugin-nowhere\)$/);
  });
});
