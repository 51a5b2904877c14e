import http from 'node:http';
import { expect } from 'chai';
import { get, patch } from '../support/http.js';
import { makeTenant } from '../support/factories.js';
import { testConfig, usingRedis } from '../support/runtime.js';
import { createRuntime, type Runtime } from '../../core/server.js';
import { makeProduct } from './support.js';

describe('catalog cache across processes', function () {
  let second: Runtime | undefined;
  let server: http.Server | undefined;

  before(function () {
    // Two processes share a cache only through Redis; the embedded default is one process.
    if (!usingRedis()) this.skip();
  });

  after(async () => {
    server?.close();
    await second?.close();
  });

  it('a write through one process is seen at once by another that had the page cached', async () => {
    second = await createRuntime({ config: testConfig(), role: 'web', migrate: false });
    server = await second.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const t = await makeTenant();
    const p = await makeProduct(t, { name: 'Before', price: 100 });
    const read = async (path: string) => (await fetch(base + path, { headers: { 'x-tenant': t.slug } })).json() as Promise<any>;
    expect((await read('/store/v1/products')).items[0].name).to.equal('Before');
    expect((await read(`/store/v1/products/${p.id}`)).name).to.equal('Before');
    // the entries are in Redis under the tenant's key
    const { Redis } = await import('ioredis');
    const redis = new Redis(testConfig().redisUrl!);
    const keys = await redis.keys(`bz:t:${t.tenant.id}:catalog:*`);
    redis.disconnect();
    expect(keys.length).to.be.greaterThan(1);

    await patch(`/admin/v1/products/${p.id}`, { translations: { en: { name: 'After' } } }, { token: t.ownerToken });
    expect((await read('/store/v1/products')).items[0].name).to.equal('After');
    expect((await read(`/store/v1/products/${p.id}`)).name).to.equal('After');
    expect((await get('/store/v1/products', { tenant: t.slug })).body.items[0].name).to.equal('After');
  });
});
