import { expect } from 'chai';
import { loadConfig, ConfigError } from '../../core/config.js';
import { clusterSeeds } from '../../core/cache/redis-connect.js';

describe('loadConfig', () => {
  it('runs on the embedded default with no configuration', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).to.equal('sqlite:data/bazaar.sqlite');
    expect(c.redisUrl).to.equal(null);
    expect(c.port).to.equal(3000);
    expect(c.allowTenantHeader).to.equal(true);
  });

  it('is frozen', () => {
    const c = loadConfig({ BAZAAR_PLUGINS: 'a,b' });
    expect(Object.isFrozen(c)).to.equal(true);
    expect(Object.isFrozen(c.plugins)).to.equal(true);
    expect(c.plugins).to.deep.equal(['a', 'b']);
  });

  it('refuses a bad value with one line naming the variable and what it expects', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).to.throw(ConfigError, /^config: PORT must be an integer port 0-65535 \(got "eighty"\)$/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).to.throw(ConfigError, /DATABASE_URL must be sqlite:/);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).to.throw(ConfigError, /REDIS_URL/);
    expect(() => loadConfig({ BAZAAR_PLUGIN_OPTIONS: '{not json' })).to.throw(ConfigError, /BAZAAR_PLUGIN_OPTIONS must be a JSON object/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).to.throw(ConfigError, /NODE_ENV must be one of development, test, production/);
  });

  it('takes one Redis server or a Redis Cluster by its seed nodes', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).redisUrl).to.equal('redis://127.0.0.1:6379/2');
    const url = 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001,10.0.0.3:7002';
    expect(loadConfig({ REDIS_URL: url }).redisUrl).to.equal(url);
    expect(clusterSeeds(url).nodes).to.deep.equal([{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }, { host: '10.0.0.3', port: 7002 }]);
    expect(clusterSeeds('redis+cluster://:s3cret@h1:7000,h2:7001')).to.deep.include({ password: 's3cret', nodes: [{ host: 'h1', port: 7000 }, { host: 'h2', port: 7001 }] });
    expect(() => loadConfig({ REDIS_URL: 'redis+cluster://' })).to.throw(ConfigError, /redis\+cluster:\/\/host:port,host:port/);
  });

  it('turns the X-Tenant header off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).allowTenantHeader).to.equal(false);
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_TENANT_HEADER: 'true' }).allowTenantHeader).to.equal(true);
  });

  it('stops the process at boot with that line', async () => {
    const { spawnSync } = await import('node:child_process');
    const out = spawnSync(process.execPath, ['--import', 'tsx', 'core/cli.ts', 'migrate'], { env: { ...process.env, PORT: '99999', DATABASE_URL: '' }, encoding: 'utf8' });
    expect(out.status).to.equal(2);
    expect(out.stderr.trim()).to.equal('config: PORT must be an integer port 0-65535 (got "99999")');
  });
});
