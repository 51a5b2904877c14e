// A tenant placed on its own database: its rows live there, the registry stays on the control DB.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { expect } from 'chai';
import { createRuntime, type Runtime } from '../../core/server.js';
import { createKnex } from '../../core/db/knex.js';
import { createSystemCtx } from '../../core/context.js';
import { provisionTenant } from '../../tenants/tenant.service.js';
import { testConfig, usingMysql } from '../support/runtime.js';
import { unique, PASSWORD } from '../support/factories.js';

async function placementUrl(): Promise<string> {
  if (!usingMysql()) return `sqlite:${path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bazaar-placement-')), 'big.sqlite')}`;
  const url = new URL(process.env.DATABASE_URL!);
  const name = `${url.pathname.slice(1)}_placement`;
  const db = createKnex(process.env.DATABASE_URL!);
  await db.raw(`drop database if exists \`${name}\``);
  await db.raw(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await db.destroy();
  url.pathname = `/${name}`;
  return url.toString();
}

describe('tenant placement', () => {
  let rt: Runtime;
  let base: string;
  before(async () => {
    const big = await placementUrl();
    rt = await createRuntime({ config: testConfig({ DATABASE_PLACEMENTS: JSON.stringify({ big }), QUEUE_PREFIX: '{bazaar-placement-test}' }), role: 'all' });
    const server = await rt.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  after(async () => rt?.close());

  it('keeps a placed tenant\'s rows on its own database, with no code change', async () => {
    const slug = unique('big');
    const view = await provisionTenant(createSystemCtx(rt.kernel, null), { slug, name: 'Big Brand', placement: 'big', owner: { email: `o@${slug}.test`, name: 'O', password: PASSWORD } });
    expect(view.placement).to.equal('big');
    const res = await fetch(`${base}/store/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant': slug }, body: JSON.stringify({ email: 'shopper@example.com', password: PASSWORD, name: 'S' }) });
    expect(res.status).to.equal(201);
    const bigDb = rt.kernel.pool.forTenant({ placement: 'big' });
    const onBig = await bigDb('customers').where('tenant_id', view.id).count({ n: '*' });
    const onControl = await rt.kernel.pool.control('customers').where('tenant_id', view.id).count({ n: '*' });
    expect(Number(onBig[0].n)).to.equal(1);
    expect(Number(onControl[0].n)).to.equal(0);
    const owners = await bigDb('staff').where('tenant_id', view.id).count({ n: '*' });
    expect(Number(owners[0].n)).to.equal(1);
    const login = await fetch(`${base}/admin/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: slug, email: `o@${slug}.test`, password: PASSWORD }) });
    expect(login.status).to.equal(200);
  });
});
